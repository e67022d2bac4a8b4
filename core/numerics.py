"""The same seed gives the same numbers on every x86-64 machine: kernels chosen for that, before torch loads.

MKL (matrix products) and ATen (element-wise operations, sums) pick kernels by CPU: AVX2, AVX-512,
Intel or AMD. Their last bits differ, and a long plateau such as XOR's amplifies them until one
machine's run converges epochs before another's. Two settings, read once when torch loads, make
every x86-64 CPU run the same code:

- `MKL_CBWR=COMPATIBLE`: MKL's conditional numerical reproducibility on its SSE2 branch. Its other
  branches (AVX2, AVX512) are honoured on Intel processors only; elsewhere MKL silently falls
  back to choosing by CPU, so COMPATIBLE is the one branch that holds on AMD too.
- `ATEN_CPU_CAPABILITY=default`: ATen's portable kernels instead of its AVX2/AVX-512 ones.

numpy's BLAS, OpenBLAS, does the same (it picks Haswell, SkylakeX, Zen... kernels by CPU, and
their sums differ in the last bits); the decision-boundary map (core.maps.boundary) multiplies with it:

- `OPENBLAS_CORETYPE=Prescott`: the SSE3 kernels every x86-64 CPU runs (x86-64 only: elsewhere
  the name means nothing to OpenBLAS).
- `OPENBLAS_NUM_THREADS=1`: a map's small products on one thread, the same order every time; spread
  over the cores they only wait for the training thread.

For these tiny networks the cost is within the noise of a single run; `make bench` measures it.
`PERCEPTRON_LAB_NUMERICS=native` keeps the CPU's fastest kernels (then the numbers may differ in
their last bits from other machines).

`import core` calls `pin()`, so importing the engine first is enough. Where torch (or numpy, which
torch loads) was imported before, the settings come too late: `pin()` says so once, with a
ReproducibilityWarning.
"""

from __future__ import annotations

import os
import platform
import sys
import warnings

SETTINGS = {"MKL_CBWR": "COMPATIBLE", "ATEN_CPU_CAPABILITY": "default", "OPENBLAS_NUM_THREADS": "1"}
if platform.machine().lower() in ("x86_64", "amd64"):
    SETTINGS["OPENBLAS_CORETYPE"] = "Prescott"
OPT_OUT = "PERCEPTRON_LAB_NUMERICS"


class ReproducibilityWarning(UserWarning):
    """torch was loaded before the engine could choose its kernels: numbers may differ between machines."""


_state = {"pinned": None, "warned": False}


def pin() -> bool:
    """Choose the portable kernels, if torch has not loaded yet. Returns whether the numbers are pinned.

    Idempotent. Warns once when torch was imported first with other settings.
    """
    if _state["pinned"] is not None:
        return _state["pinned"]
    if os.environ.get(OPT_OUT, "").strip().lower() == "native":
        _one_thread()
        _state["pinned"] = False
        return False
    already = all(os.environ.get(name) == value for name, value in SETTINGS.items())
    if ("torch" in sys.modules or "numpy" in sys.modules) and not already:
        _state["pinned"] = False
        if not _state["warned"]:
            _state["warned"] = True
            warnings.warn(
                "torch or numpy was imported before perceptron-lab's engine, so the engine could not "
                "choose its portable kernels: results are repeatable on this machine but may differ in "
                "the last bits on another. Import core (or set "
                + " ".join(f"{name}={value}" for name, value in SETTINGS.items())
                + ") before torch and numpy for the same numbers everywhere.",
                ReproducibilityWarning,
                stacklevel=3,
            )
        return False
    os.environ.update(SETTINGS)
    _one_thread()
    _state["pinned"] = True
    return True


def _one_thread() -> None:
    """One OpenMP thread for every thread that runs torch, unless the environment says otherwise.

    torch.set_num_threads(1) (as the Trainer calls it) holds only for the thread that calls it:
    any other thread's product (the app's replays of an epoch's weights, on its UI thread) started
    a team of OpenMP threads that spin after each product. For these tiny networks that made a
    key's CPU about twice as much (60 ms instead of 30 for `n` on xor-mlp), and no faster."""
    if "torch" not in sys.modules:
        os.environ.setdefault("OMP_NUM_THREADS", "1")


def pinned() -> bool:
    """Whether this process runs the portable kernels (after `pin()`)."""
    return bool(_state["pinned"])
