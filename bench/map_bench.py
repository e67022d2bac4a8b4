"""`make bench`, the decision-boundary map's part (bench/benchmarks.py runs it).

- Compute: core.maps.boundary's map of xor-mlp at the app's sizes, against one training epoch of the
  same network measured in the same run (target: ≤ 5 ms for the 120x40 panel's map).
- The UI thread's cost of a browsing key: the whole map (numbers, pixels, lines) built at once.
- Bytes: the app in a pseudo-terminal with the map on (120x40: beside the plot; 80x24: the map
  view, m), at every speed and paused, while xor-2-2-1 and xor-mlp train (target ≤ 16 KB/s).
- A key's effect while browsing with the map on: ← until the status line shows the epoch, and
  until the terminal goes quiet (the map and every panel redrawn) (target ≤ 100 ms).
- The first frame with the map panel in the layout (target ≤ 0.8 s).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))  # the test helpers (scenarios.py)

import core  # noqa: E402, F401  first: the portable kernels, numpy's OpenBLAS among them (core.numerics)
from core.lessons import lesson  # noqa: E402
from core.maps.boundary import Params, boundary_map  # noqa: E402
from core.trainer import Trainer  # noqa: E402

SIZES = {"120x40 panel": 33, "120x40 map view": 61, "80x24 map view": 33}


def _median_ms(fn, repeats: int = 200) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1e3)
    return statistics.median(times)


def compute() -> None:
    spec = lesson("xor-mlp")
    trainer = Trainer(spec.config)
    trainer.run(to_epoch=2000)
    started = time.perf_counter()
    trainer.run(to_epoch=4000)
    epoch_ms = (time.perf_counter() - started) * 1e3 / 2000
    weights = trainer.history.weights_at(4000)
    params = Params.of(weights.layers, "sigmoid")
    print("decision-boundary map of xor-mlp (2-64-32-16-1): float64, pinned OpenBLAS kernels, one thread")
    print(f"  one training epoch (Trainer.run, baseline)          {epoch_ms * 1e3:7.1f} µs      1.0")
    print("  map                            grid    p only (ms)   × an epoch   + every hidden neuron (ms)")
    for name, n in SIZES.items():
        p_only = _median_ms(lambda n=n: boundary_map(params, nx=n, hidden=False))
        hidden = _median_ms(lambda n=n: boundary_map(params, nx=n))
        target = "   (target ≤ 5 ms)" if name == "120x40 panel" else ""
        print(f"  {name:<30} {n}x{n}   {p_only:8.2f}      {p_only / epoch_ms:6.1f}       {hidden:8.2f}{target}")
    convert = _median_ms(lambda: Params.of(weights.layers, "sigmoid"))
    print(f"  a WeightsAt's floats to arrays (once an epoch on view)   {convert:5.2f} ms")


async def _build_ms(lesson_id: str, size: tuple[int, int], keys: str) -> tuple[float, int]:
    """The UI thread's cost of drawing the map at once (a browsing key), median of 30."""
    from scenarios import wait_ready

    from tui.app import make_app
    from tui.maps.boundary_map import BoundaryMap, build

    app = make_app(lesson_id)
    async with app.run_test(size=size) as pilot:
        await wait_ready(pilot)
        await pilot.press(*keys)
        await pilot.pause()
        widget = app.query_one(BoundaryMap)
        frame = app.live.frame("paused", None)
        request = widget.request(frame, "en")
        painter = widget.painter(request.mode, request.base.bgcolor)
        times = []
        for _ in range(30):
            started = time.perf_counter()
            build(request, painter, app.console)
            times.append((time.perf_counter() - started) * 1e3)
        return statistics.median(times), widget.size.width


def drawing() -> None:
    import asyncio

    print("\nthe map drawn at once on the UI thread (a browsing key): numbers, pixels and lines")
    for lesson_id, size, keys, where in (
        ("xor-mlp", (120, 40), "N", "120x40 panel"),
        ("xor-mlp", (120, 40), "Nm", "120x40 map view"),
        ("xor-mlp", (80, 24), "Nm", "80x24 map view"),
        ("xor-2-2-1", (120, 40), "N", "120x40 panel"),
    ):
        ms, width = asyncio.run(_build_ms(lesson_id, size, keys))
        print(f"  {lesson_id:<10} {where:<16} ({width:2d} cells wide)   {ms:6.2f} ms")


SPEED_KEYS = (("1/s", "S"), ("10/s", "s"), ("100/s", "s"), ("max", "s"))  # from the default 10/s


def bytes_with_the_map(lesson_id: str, size: tuple[int, int], seconds: float = 8.0) -> dict[str, float]:
    # 8 s: four of the heavy panels' 2-second redraws at 100/s and max (a 4 s window held two or
    # three of them, as its phase fell: ±50 % from one run to the next)
    from terminal_bench import APP, Terminal, bytes_per_second

    term = Terminal([*APP, "--lesson", lesson_id, "--epochs", "10000000"], size=size)
    figures = {}
    try:
        term.wait_for("Epoch: 0/10000000")
        time.sleep(1)
        if size[0] < 110:
            term.send("m")  # the map view: at 80 columns the map is not on screen otherwise
            time.sleep(0.5)
        term.send(" ")
        for name, key in SPEED_KEYS:
            term.send(key)
            time.sleep(2)  # past the redraw that the key itself causes
            figures[name] = bytes_per_second(term, seconds)
        term.send(" ")
        time.sleep(2)
        figures["paused"] = bytes_per_second(term, seconds)
    finally:
        term.close()
    return figures


def sending() -> None:
    print("\nbytes the app writes with the map on screen, KB/s (TERM=xterm-256color; 80x24: the map view, m)")
    cases = [(lesson_id, size) for lesson_id in ("xor-2-2-1", "xor-mlp") for size in ((120, 40), (80, 24))]
    table = {case: bytes_with_the_map(*case) for case in cases}
    print("  speed     " + "".join(f"{lesson_id} {w}x{h:<6}" for lesson_id, (w, h) in cases) + "target")
    for name in [n for n, _ in SPEED_KEYS] + ["paused"]:
        cells = "".join(f"{table[case][name] / 1024:<{len(case[0]) + 13}.1f}" for case in cases)
        print(f"  {name:<10}{cells}{'0' if name == 'paused' else '≤ 16'}")


def browsing() -> None:
    from terminal_bench import APP, Terminal, first_frame

    print("\na key while browsing, with the map on (xor-2-2-1 at epoch 2000, paused)")
    for size in ((120, 40), (80, 24)):
        term = Terminal([*APP, "--lesson", "xor-2-2-1"], size=size)
        status, quiet = [], []
        try:
            term.wait_for("Epoch: 0/5000")
            time.sleep(0.5)
            if size[0] < 110:
                term.send("m")
            term.send("N" * 20)
            term.wait_for("Epoch: 2000/5000", timeout=30)
            time.sleep(1)
            for k in range(1, 11):
                sent = term.send("[")
                status.append(term.wait_for(f"Epoch: {2000 - k}/5000", since=sent, timeout=15))
                # quiet: no byte for 150 ms; the last byte's time is when the map had arrived
                while True:
                    time.sleep(0.15)
                    last = term.chunks[-1][0]
                    if time.perf_counter() - last >= 0.15:
                        break
                quiet.append(last - sent)
        finally:
            term.close()
        print(
            f"  {size[0]}x{size[1]}: ← to the status line {statistics.median(status) * 1e3:5.0f} ms median "
            f"{max(status) * 1e3:5.0f} worst; to the last byte (map included) {statistics.median(quiet) * 1e3:5.0f} ms "
            f"median {max(quiet) * 1e3:5.0f} worst   (target ≤ 100 ms)"
        )
    ours = first_frame([*APP, "--lesson", "xor-2-2-1"], "Decision boundary")
    print(f"\nfirst frame with the map panel (its title on the terminal), 120x40: {ours:.2f} s   (target ≤ 0.8 s)")


def main() -> None:
    compute()
    drawing()
    browsing()
    sending()


if __name__ == "__main__":
    main()
