"""`make bench`: the engine's speed and memory, as ratios against baselines measured in the same run.

Not a test: it asserts nothing and prints figures. Each timing is the best of several repeats,
with torch on one thread for both sides unless said otherwise.
"""

from __future__ import annotations

import json
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import core  # noqa: E402, F401, I001  first: it chooses torch's portable kernels (core.numerics)
import torch  # noqa: E402
from torch import nn, optim  # noqa: E402

from core.kernel import Kernel  # noqa: E402
from core.lessons import lesson  # noqa: E402
from core.network import build_model, init_parameters  # noqa: E402
from core.trainer import Trainer  # noqa: E402

MLP = lesson("xor-mlp")
EPOCHS = 2000
REPEATS = 5


def notebook_loop(epochs: int) -> float:
    """The notebook's cell, as written there (a new BCELoss each epoch, accuracy every 100): seconds."""
    model = build_model(MLP.config.sizes)
    init_parameters(model, 0)
    X = torch.FloatTensor(MLP.config.data.X)
    y = torch.FloatTensor(MLP.config.data.y)
    optimizer = optim.SGD(model.parameters(), lr=1)
    started = time.perf_counter()
    for epoch in range(epochs + 1):
        y_pred = model(X)
        loss = nn.BCELoss()(y_pred, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if epoch % 100 == 0:
            y_bool = (y_pred >= 0.5).float()
            accuracy = (y == y_bool).float().sum() / len(y) * 100
            f"{loss: .4f} {accuracy:.2f}"
    return time.perf_counter() - started


def engine(epochs: int) -> float:
    trainer = Trainer(MLP.config)
    started = time.perf_counter()
    trainer.run(to_epoch=epochs)
    return time.perf_counter() - started


def bare_kernel(epochs: int) -> float:
    kernel = Kernel(MLP.config)
    started = time.perf_counter()
    with torch.inference_mode():
        for _ in range(epochs + 1):
            kernel.forward_backward()
            kernel.update(1.0)
    return time.perf_counter() - started


def best_us_per_epoch(fn, epochs: int = EPOCHS) -> float:
    return min(fn(epochs) for _ in range(REPEATS)) / (epochs + 1) * 1e6


_MEMORY_PROBE = """
import json, sys
sys.path.insert(0, {root!r})
import core  # the portable kernels, before torch
def rss_mb(field="VmRSS:"):  # VmHWM: the peak; ru_maxrss would carry over the parent's peak
    for line in open("/proc/self/status"):
        if line.startswith(field):
            return int(line.split()[1]) / 1024
import torch
after_torch = rss_mb()
from core.lessons import lesson
from core.trainer import Trainer
trainer = Trainer(lesson("xor-mlp").config)
trainer.run(to_epoch=99_999)
trainer.history.weights_at(50_000)
print(json.dumps({{"torch": after_torch, "after": rss_mb(), "peak": rss_mb("VmHWM:"),
                  "checkpoints": trainer.history.checkpoint_bytes() / 2**20, "interval": trainer.history.interval}}))
"""


def memory() -> dict:
    out = subprocess.run(
        [sys.executable, "-c", _MEMORY_PROBE.format(root=str(ROOT))], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout)


def fetch_times(trainer: Trainer, epochs: list[int]) -> list[float]:
    times = []
    for epoch in epochs:
        trainer.history._replay_epoch = -1  # time the replay from a checkpoint, not the shortcut
        started = time.perf_counter()
        trainer.history.weights_at(epoch)
        times.append((time.perf_counter() - started) * 1e3)
    return times


def main() -> None:
    default_threads = torch.get_num_threads()
    print(f"torch {torch.__version__}, {default_threads} threads by default; xor-mlp (2-64-32-16-1), ", end="")
    print(f"{EPOCHS} epochs, best of {REPEATS}\n")
    notebook_loop(10)  # the first optimizer imports torch._dynamo (~2 s): keep it out of the timing

    notebook_default = best_us_per_epoch(notebook_loop)
    torch.set_num_threads(1)
    notebook_1 = best_us_per_epoch(notebook_loop)
    ours = best_us_per_epoch(engine)
    bare = best_us_per_epoch(bare_kernel)
    print("per epoch                                        µs    × notebook (1 thread)")
    ratio = notebook_default / notebook_1
    print(f"notebook loop, autograd + torch.optim, {default_threads} threads {notebook_default:8.1f}    {ratio:5.2f}")
    print(f"notebook loop, autograd + torch.optim, 1 thread  {notebook_1:8.1f}    1.00  (baseline)")
    print(f"engine: Trainer.run with history recording       {ours:8.1f}    {ours / notebook_1:5.3f}  (target ≤ 0.25)")
    print(f"kernel alone: forward, backward, update          {bare:8.1f}    {bare / notebook_1:5.3f}")
    print(f"history, checkpoints and blow-up checks cost     {ours - bare:8.1f} µs an epoch\n")

    mem = memory()
    print("a 100,000-epoch xor-mlp run, in a fresh process")
    print(f"  RSS after import torch       {mem['torch']:7.1f} MB")
    print(f"  RSS after the run            {mem['after']:7.1f} MB   (peak {mem['peak']:.1f} MB; target ≤ 400 MB)")
    print(
        f"  checkpoints                  {mem['checkpoints']:7.1f} MB   (one every {mem['interval']} epochs; ", end=""
    )
    print("every epoch's weights would be 1,127 MB)\n")

    trainer = Trainer(MLP.config)
    trainer.run(to_epoch=19_999)
    interval = trainer.history.interval
    worst = [k * interval + interval - 1 for k in range(20)]  # the farthest from a checkpoint
    some = random.Random(0).sample(range(20_000), 50)
    walk = list(range(10_000, 10_050))
    t_worst, t_random = fetch_times(trainer, worst), fetch_times(trainer, some)
    started = time.perf_counter()
    for epoch in walk:  # stepping through epochs one by one, as a learner pressing → does
        trainer.history.weights_at(epoch)
    t_walk = (time.perf_counter() - started) * 1e3 / len(walk)
    print("bringing back a past epoch's weights and gradients (weights_at)")
    print(f"  any epoch, median of 50      {statistics.median(t_random):7.2f} ms")
    print(f"  farthest from a checkpoint   {max(t_worst):7.2f} ms worst of 20   (target ≤ 50 ms)")
    print(f"  the next epoch, walking on   {t_walk:7.2f} ms")


_NUMERICS_PROBE = """
import sys, time
sys.path.insert(0, {root!r})
import core
import torch
from core.lessons import lesson
from core.trainer import Trainer
config = lesson("xor-mlp").config
best = float("inf")
for _ in range({repeats}):
    trainer = Trainer(config)
    started = time.perf_counter()
    trainer.run(to_epoch={epochs})
    best = min(best, time.perf_counter() - started)
print(best / ({epochs} + 1) * 1e6, torch.backends.cpu.get_cpu_capability())
"""


def numerics_cost() -> None:
    """Trainer.run with the portable kernels (core.numerics) against the CPU's own, each in a fresh process."""
    import os

    probe = _NUMERICS_PROBE.format(root=str(ROOT), repeats=REPEATS, epochs=EPOCHS)
    figures = {}
    for name, extra in (("portable", {}), ("native", {"PERCEPTRON_LAB_NUMERICS": "native"})):
        env = {k: v for k, v in os.environ.items() if k not in ("MKL_CBWR", "ATEN_CPU_CAPABILITY")} | extra
        out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, check=True)
        us, capability = out.stdout.split()
        figures[name] = (float(us), capability)
    (portable, _), (native, capability) = figures["portable"], figures["native"]
    print("the cost of the same numbers on every machine (Trainer.run, xor-mlp, fresh processes)")
    rows = (
        ("portable kernels (MKL_CBWR=COMPATIBLE, ATen default)", f"{portable:7.1f} µs an epoch"),
        (f"this CPU's own kernels (ATen {capability})", f"{native:7.1f} µs an epoch"),
        ("portable / native", f"{portable / native:7.2f}"),
    )
    for name, figure in rows:
        print(f"  {name:<55}{figure}")
    print()


def boundary_maps() -> None:
    # A fresh interpreter: numpy's thread count must be set before numpy loads (torch loads it above).
    print()
    subprocess.run([sys.executable, str(ROOT / "bench" / "map_bench.py")], check=True)


def loss_surface() -> None:
    # A fresh interpreter, as for the maps: numpy's OpenBLAS is pinned before numpy loads.
    print()
    subprocess.run([sys.executable, str(ROOT / "bench" / "surface_bench.py")], check=True)


def app_in_a_terminal() -> None:
    import terminal_bench  # the app as a terminal sees it: first frame, bytes/s, key latency

    print()
    terminal_bench.main()


def app_over_ssh() -> None:
    import link_bench  # the app over an emulated 100 ms, 1 Mbit/s SSH link (root; else it says why not)

    print()
    link_bench.main([])


def seed_sweep(full: bool) -> None:
    import sweep_bench  # the batched engine against the notebook loop and the single engine
    import sweep_view_bench  # the app's sweep view: bytes, keys and quitting while a sweep runs

    print()
    sweep_bench.main(quick=not full)
    if not full:
        print("(agreement with the single engine, memory of 1,000 seeds and other CPUs' code paths: ", end="")
        print("make bench ARGS=--sweep-full, about 3 minutes more)\n")
    sweep_view_bench.main()


def app_in_a_browser() -> None:
    import browser_bench  # perceptron-lab serve in headless Chromium: page load, keys, tabs per machine

    print()
    browser_bench.main([])


def ssh_door() -> None:
    import ssh_bench  # serve --ssh: warm sessions against fresh processes, 10 learners

    print()
    ssh_bench.main(["10"])


def classroom() -> None:
    import classroom_bench  # serve --ssh --web: 30 learners a door, real ssh clients and websocket tabs

    print()
    classroom_bench.main([])


if __name__ == "__main__":
    import session_bench  # opening a saved run: replay against stored checkpoints

    main()
    numerics_cost()
    session_bench.main()
    boundary_maps()
    loss_surface()
    session_bench.app_open()
    app_in_a_terminal()
    app_over_ssh()
    seed_sweep(full="--sweep-full" in sys.argv[1:])
    app_in_a_browser()
    ssh_door()
    classroom()
