"""`make bench`, the loss surface's part (bench/benchmarks.py runs it).

- Compute: core.surface's 41×41 surface of xor-mlp (the grid alone, and whole: directions, grid,
  and a 51-epoch path projected), against one training epoch and the decision-boundary map's 33×33
  panel measured in the same run (target: ≤ 20 ms for the 41×41 surface).
- Bytes: the app in a pseudo-terminal with the surface view open (u) on xor-mlp at 120x40 and
  80x24, while the run trains and paused (target: nothing while paused).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import core  # noqa: E402, F401  first: the portable kernels, numpy's OpenBLAS among them (core.numerics)
from core.lessons import lesson  # noqa: E402
from core.maps.boundary import Params, boundary_map  # noqa: E402
from core.surface.surface import Net, losses, path_epochs, path_nets, random_directions, surface  # noqa: E402
from core.trainer import Trainer  # noqa: E402


def _median_ms(fn, repeats: int = 60) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1e3)
    return statistics.median(times)


def _best_ms(fn, repeats: int = 60) -> float:
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        best = min(best, (time.perf_counter() - started) * 1e3)
    return best


def compute() -> None:
    spec = lesson("xor-mlp")
    config = spec.config
    trainer = Trainer(config)
    trainer.run(to_epoch=2000)
    started = time.perf_counter()
    trainer.run(to_epoch=4000)
    epoch_ms = (time.perf_counter() - started) * 1e3 / 2000
    weights = trainer.history.weights_at(4000)
    map_ms = _median_ms(lambda: boundary_map(Params.of(weights.layers, "sigmoid"), nx=33, hidden=False))
    net = Net.of(weights.layers)
    da, db = random_directions(net)
    axis = [i / 20 - 1 for i in range(41)]
    import numpy as np

    a = np.array(axis)
    epochs = path_epochs(4000, spec.epochs, trainer.history.interval)
    started = time.perf_counter()
    nets = path_nets(trainer.history, epochs)
    path_ms = (time.perf_counter() - started) * 1e3
    grid = lambda: losses(net, da, db, a, a, config.data.rows)  # noqa: E731
    whole = lambda: surface(net, config.data.rows, path=nets, path_epochs=epochs, epoch=4000)  # noqa: E731
    grid_ms, grid_best = _median_ms(grid), _best_ms(grid)
    whole_ms, whole_best = _median_ms(whole), _best_ms(whole)
    print("loss surface of xor-mlp (2-64-32-16-1) at epoch 4000: float64, pinned OpenBLAS, portable exp, one thread")
    print("                                                    median ms   best ms   × an epoch   × the map's panel")
    print(f"  one training epoch (Trainer.run, baseline)        {epoch_ms:9.3f}                 1.0")
    print(
        f"  the map, 33x33 panel (baseline)                   {map_ms:9.2f}            {map_ms / epoch_ms:9.1f}        1.0"
    )
    for name, ms, best in (
        ("41x41 grid of losses (surface.losses)", grid_ms, grid_best),
        ("41x41 surface whole (directions, grid, path)", whole_ms, whole_best),
    ):
        print(f"  {name:<48}{ms:9.2f} {best:9.2f}   {ms / epoch_ms:9.1f}    {ms / map_ms:9.1f}   (target ≤ 20 ms)")
    print(
        f"  the path's {len(epochs)} epochs (checkpoints) brought back from the history (once a run; kept)  {path_ms:7.1f} ms"
    )


def bytes_with_the_surface(size: tuple[int, int], seconds: float = 6.0) -> dict[str, float]:
    """The view's keys are its own (escape closes it), so each speed is set on the main view and the
    view opened over the running (or paused) run."""
    from terminal_bench import APP, Terminal, bytes_per_second

    term = Terminal([*APP, "--lesson", "xor-mlp", "--epochs", "10000000"], size=size)
    figures = {}
    try:
        term.wait_for("Epoch: 0/10000000")
        time.sleep(1)
        for name, keys in (("10/s", " "), ("max", "ss"), ("paused", " ")):
            term.send("\x1b")  # escape: back on the main view (nothing, the first time)
            time.sleep(0.5)
            term.send(keys)
            time.sleep(0.5)
            term.send("u")
            time.sleep(2)  # past the first picture
            figures[name] = bytes_per_second(term, seconds)
    finally:
        term.close()
    return figures


def sending() -> None:
    print("\nbytes the app writes with the surface view open (u), xor-mlp, KB/s (TERM=xterm-256color)")
    table = {size: bytes_with_the_surface(size) for size in ((120, 40), (80, 24))}
    print("  " + "".join(f"{name:<16}" for name in ["", *table[(120, 40)]]))
    for size, figures in table.items():
        print(f"  {size[0]}x{size[1]:<13}" + "".join(f"{value / 1024:<16.2f}" for value in figures.values()))
    print("  (target: 0 while paused; training redraws it at the map's pace)")


def main() -> None:
    compute()
    sending()


if __name__ == "__main__":
    main()
