"""The seed sweep's figures for `make bench`: speed per model-epoch against the single engine and the
notebook loop measured in the same run, agreement with the single engine, and memory.

Not a test: it asserts nothing and prints figures. Times are CPU time of this process (torch on one
thread everywhere), the best of several repeats, so that other processes on a shared machine
disturb them less; the ratios are what to compare across machines.

    .venv/bin/python bench/sweep_bench.py            # everything (~3 minutes)
    .venv/bin/python bench/sweep_bench.py --quick    # speed only
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import core  # noqa: E402, F401  (the portable numerics, set before torch and numpy load)

# isort: split
import torch  # noqa: E402

from core.lessons import lesson  # noqa: E402
from core.sweep.sweep import run_sweep  # noqa: E402
from core.trainer import Trainer  # noqa: E402

MLP = lesson("xor-mlp").config
SEEDS = 100
EPOCHS = 1000
REPEATS = 3


def clock() -> float:
    return time.process_time()


def sweep_us(seeds: int = SEEDS, epochs: int = EPOCHS) -> float:
    """µs per model-epoch of run_sweep on xor-mlp: set-up, recording and blow-up checks included."""
    best = float("inf")
    for _ in range(REPEATS):
        started = clock()
        run_sweep(MLP, range(seeds), epochs)
        best = min(best, clock() - started)
    return best / (seeds * (epochs + 1)) * 1e6


def single_us(epochs: int = EPOCHS) -> float:
    best = float("inf")
    for _ in range(REPEATS):
        trainer = Trainer(MLP)
        started = clock()
        trainer.run(to_epoch=epochs)
        best = min(best, clock() - started)
    return best / (epochs + 1) * 1e6


def notebook_us(epochs: int = 1000) -> float:
    """The notebook's loop (bench/benchmarks.py), timed around the call: its set-up is < 1 %."""
    from benchmarks import notebook_loop

    notebook_loop(10)  # the first optimizer imports torch._dynamo: keep it out
    best = float("inf")
    for _ in range(REPEATS):
        started = clock()
        notebook_loop(epochs)
        best = min(best, clock() - started)
    return best / (epochs + 1) * 1e6


def agreement(seeds: int = 100, epochs: int = 5000) -> dict:
    """The sweep's first epoch at 100 % against the single engine's, seed by seed."""
    result = run_sweep(MLP, range(seeds), epochs)
    within, identical, rows = 0, 0, []
    for seed_result in result.seeds:
        trainer = Trainer(MLP.with_(seed=seed_result.seed))
        trainer.run(to_epoch=epochs)
        single = trainer.history.first_epoch_where(100.0)
        swept = seed_result.first_full_accuracy
        if single == swept or (single is not None and swept is not None and abs(single - swept) <= 0.01 * single):
            within += 1
        same = (
            single == swept
            and trainer.history.loss(trainer.history.last_epoch) == seed_result.final_loss
            and trainer.blowup == seed_result.blowup
        )
        identical += same
        rows.append((seed_result.seed, single, swept))
    learned = [s for _, s, _ in rows if s is not None]
    return {
        "seeds": seeds,
        "epochs": epochs,
        "within_1_percent": within,
        "identical": identical,
        "exact": result.exact,
        "learned": len(learned),
        "first_full": sorted(learned),
    }


_MEMORY_PROBE = """
import json, os, sys, time
os.environ.setdefault("MKL_CBWR", "COMPATIBLE")
os.environ.setdefault("ATEN_CPU_CAPABILITY", "default")
sys.path.insert(0, {root!r})
def rss_mb(field="VmRSS:"):
    for line in open("/proc/self/status"):
        if line.startswith(field):
            return int(line.split()[1]) / 1024
import torch
after_torch = rss_mb()
from core.lessons import lesson
from core.sweep.sweep import run_sweep
started = time.process_time()
result = run_sweep(lesson("xor-mlp").config, range({seeds}), {epochs})
seconds = time.process_time() - started
print(json.dumps({{"torch": after_torch, "after": rss_mb(), "peak": rss_mb("VmHWM:"), "seconds": seconds,
                  "learned": sum(s.learned for s in result.seeds)}}))
"""


def memory(seeds: int = 1000, epochs: int = 5000) -> dict:
    """Peak RSS of a sweep in a fresh process (VmHWM, so the parent's memory does not count)."""
    code = _MEMORY_PROBE.format(root=str(ROOT), seeds=seeds, epochs=epochs)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


_VARIATION_PROBE = """
import hashlib, sys
sys.path.insert(0, {root!r})
import torch
from core.config import TrainConfig
from core.lessons import lesson
from core.sweep.sweep import run_sweep
digest = hashlib.sha256()
exact = True
for config, seeds, epochs in ((lesson("xor-mlp").config, 20, 3000), (TrainConfig(dataset="xor", hidden=(2,)), 50, 3000),
                              (TrainConfig(dataset="parity3", hidden=(8, 4), activation="tanh", optimizer="adam", lr=0.01), 10, 1000)):
    result = run_sweep(config, range(seeds), epochs)
    exact = exact and result.exact
    for s in result.seeds:
        digest.update(repr((s.first_full_accuracy, s.last_epoch, s.final_loss.hex(), s.blowup, [x.hex() for x in s.curve])).encode())
print(digest.hexdigest()[:16], exact)
"""

VARIATIONS = {
    "MKL_CBWR=COMPATIBLE ATEN_CPU_CAPABILITY=default": {},
    "  + MKL_ENABLE_INSTRUCTIONS=AVX2": {"MKL_ENABLE_INSTRUCTIONS": "AVX2"},
    "  with MKL_CBWR=COMPATIBLE,STRICT": {"MKL_CBWR": "COMPATIBLE,STRICT"},
    "  + GLIBC_TUNABLES=glibc.cpu.hwcaps=-AVX2,-FMA": {"GLIBC_TUNABLES": "glibc.cpu.hwcaps=-AVX2,-FMA"},
    "  + OMP_NUM_THREADS=2 MKL_NUM_THREADS=2": {"OMP_NUM_THREADS": "2", "MKL_NUM_THREADS": "2"},
}


def variations() -> dict[str, tuple[str, bool]]:
    """A few sweeps' results (digest of every bit) under other CPUs' code paths, each in a fresh process."""
    base = {k: v for k, v in os.environ.items() if k not in ("MKL_ENABLE_INSTRUCTIONS", "GLIBC_TUNABLES")}
    base.update(MKL_CBWR="COMPATIBLE", ATEN_CPU_CAPABILITY="default")
    found = {}
    for name, changes in VARIATIONS.items():
        out = subprocess.run(
            [sys.executable, "-c", _VARIATION_PROBE.format(root=str(ROOT))],
            env={**base, **changes},
            capture_output=True,
            text=True,
            check=True,
        )
        digest, exact = out.stdout.split()
        found[name] = (digest, exact == "True")
    return found


def load() -> str:
    """The machine's load average over 1 minute, and its cores: shared machines time worse when busy."""
    return f"load {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores"


def main(quick: bool = False) -> None:
    torch.set_num_threads(1)
    print(
        f"seed sweep: xor-mlp (2-64-32-16-1), {SEEDS} seeds x {EPOCHS + 1} epochs; CPU time, best of {REPEATS}; "
        f"MKL_CBWR={os.environ.get('MKL_CBWR')} ATEN_CPU_CAPABILITY={os.environ.get('ATEN_CPU_CAPABILITY')}; "
        f"{load()}\n"
    )
    notebook = notebook_us()
    single = single_us()
    sweep = sweep_us()
    notebook_after = notebook_us()  # again, to see how much the machine's load moved meanwhile
    print("per model-epoch                                   µs    × notebook   × single engine")
    print(
        f"notebook loop (autograd + torch.optim)      {notebook:8.1f}      1.000       (baseline; {notebook_after:.1f} when measured again after)"
    )
    print(f"single engine: Trainer.run                  {single:8.1f}      {single / notebook:5.3f}")
    print(
        f"sweep: run_sweep, {SEEDS} seeds, all included  {sweep:8.2f}      {sweep / notebook:5.3f}       {sweep / single:5.3f}   (target ≤ 0.03 × notebook)"
    )
    print(f"  ({load()} after these)\n")
    if quick:
        return
    agree = agreement()
    print(
        f"agreement over xor-mlp seeds 0-{agree['seeds'] - 1}, {agree['epochs']} epochs: first epoch at 100 % within 1 % for "
        f"{agree['within_1_percent']}/{agree['seeds']} seeds (target ≥ 95); identical results (first epoch, final loss, "
        f"blow-up) for {agree['identical']}/{agree['seeds']}; batch checked bit-exact: {agree['exact']}"
    )
    first = agree["first_full"]
    if first:
        print(
            f"  {agree['learned']}/{agree['seeds']} reach 100 %: first epoch {first[0]}..{first[-1]}, median {first[len(first) // 2]}\n"
        )
    mem = memory()
    print("1,000 seeds of xor-mlp for 5,000 epochs, in a fresh process")
    print(
        f"  RSS after import torch {mem['torch']:7.1f} MB; after the sweep {mem['after']:7.1f} MB; peak {mem['peak']:7.1f} MB (target < 1024 MB)"
    )
    print(
        f"  {mem['seconds']:.1f} s CPU ({mem['seconds'] / (1000 * 5001) * 1e6:.2f} µs per model-epoch); {mem['learned']}/1000 reach 100 %\n"
    )
    found = variations()
    reference = next(iter(found.values()))[0]
    print("the same sweeps under other CPUs' code paths (xor-mlp, 2-2-1, parity3 with Adam; every bit hashed)")
    for name, (digest, exact) in found.items():
        same = "identical" if digest == reference else "DIFFERENT"
        print(f"  {name:48s} {digest}  {same}{'' if exact else ', not exact'}")


if __name__ == "__main__":
    main(quick="--quick" in sys.argv)
