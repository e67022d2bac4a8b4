"""`make bench`, the map's part: what a decision-boundary map costs to compute and to send.

Compute: core.boundary on xor-mlp at the widget's grid sizes, against one training epoch of the
same network measured in the same run. Send: the bytes a BoundaryMap writes to the terminal at
120x40 (a 40x22 panel) and 80x24 (the whole screen, a view of its own), on its first drawing and
per epoch while a run forms its boundary (only the lines that changed are sent).
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("MKL_CBWR", "COMPATIBLE")
os.environ.setdefault("ATEN_CPU_CAPABILITY", "default")
# numpy's OpenBLAS would spread a map's small products over every core, where they wait for the
# training thread: measured with a busy second core, a 65x65 map took 18 ms median instead of 1.2.
# The app must set this before numpy loads (torch loads numpy), as it sets MKL_CBWR.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from core.boundary import Params, boundary_map  # noqa: E402
from core.lessons import lesson  # noqa: E402
from core.trainer import Trainer  # noqa: E402


def _best_ms(fn, repeats: int = 200) -> tuple[float, float]:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1e3)
    return min(times), statistics.median(times)


def compute() -> None:
    spec = lesson("xor-mlp")
    trainer = Trainer(spec.config)
    trainer.run(to_epoch=2000)
    started = time.perf_counter()
    trainer.run(to_epoch=4000)
    epoch_ms = (time.perf_counter() - started) * 1e3 / 2000
    weights = trainer.history.weights_at(4000)
    print(
        f"decision-boundary map of xor-mlp (2-64-32-16-1), numpy float32, OPENBLAS_NUM_THREADS={os.environ['OPENBLAS_NUM_THREADS']}; one training epoch: {epoch_ms * 1e3:.1f} µs"
    )
    print("  grid     from a WeightsAt, p only    + every hidden neuron's grid    × an epoch (median)")
    for n in (33, 41, 65):
        p_best, p_median = _best_ms(lambda: boundary_map(weights, "sigmoid", nx=n, hidden=False))
        h_best, h_median = _best_ms(lambda: boundary_map(weights, "sigmoid", nx=n))
        print(
            f"  {n}x{n}   {p_best:6.2f} ms best {p_median:6.2f} median   {h_best:6.2f} best {h_median:6.2f} median      {p_median / epoch_ms:6.1f}"
        )
    params = Params.of(weights.layers, "sigmoid")
    best, median = _best_ms(lambda: Params.of(weights.layers, "sigmoid"))
    print(f"  converting a WeightsAt's floats to arrays: {median:.2f} ms median (once per epoch on view)")
    _best, median = _best_ms(lambda: boundary_map(params, nx=33, hidden=False))
    print(f"  33x33 from arrays already made: {median:.2f} ms median")


async def _bytes(
    lesson_id: str, epochs: range, size: tuple[int, int], panel: tuple[int, int] | None, term: str
) -> dict:
    from textual.app import App

    from tui.session import Session
    from tui.widgets.boundary_map import BoundaryMap
    from tui.widgets.strip_panel import changed_span

    os.environ["TERM"] = term
    os.environ.pop("COLORTERM", None) if term == "xterm" else os.environ.__setitem__("COLORTERM", "truecolor")
    session = Session(lesson(lesson_id))
    session.load()
    session.step(epochs.start)

    class MapApp(App):
        CSS = f"BoundaryMap {{ width: {panel[0]}; height: {panel[1]}; }}" if panel else ""

        def compose(self):
            yield BoundaryMap()

    app = MapApp()
    sent: list[int] = []
    async with app.run_test(size=size) as pilot:
        widget = app.query_one(BoundaryMap)
        console = app.console

        def show() -> int:
            before = list(widget._strips)
            widget.show(session.frame("paused", None), "en")
            after = widget._strips
            total = 0
            for i, strip in enumerate(after):
                span = (0, strip.cell_length) if i >= len(before) else changed_span(before[i], strip)
                if span is not None:  # a cursor move (about 8 bytes) and the changed cells
                    total += 8 + len(strip.crop(*span).render(console).encode())
            return total

        await pilot.pause()
        first = show()
        frame = session.frame("paused", None)
        build_ms = []
        for _ in range(30):  # the UI thread's whole cost of a new epoch: numbers, pixels, strips, diff
            widget._drawn_for = None
            started = time.perf_counter()
            widget.show(frame, "en")
            build_ms.append((time.perf_counter() - started) * 1e3)
        for _ in epochs:
            session.step(1)
            sent.append(show())
    os.environ.pop("COLORTERM", None)
    return {
        "first": first,
        "median": statistics.median(sent),
        "max": max(sent),
        "mean": statistics.mean(sent),
        "build": statistics.median(build_ms),
    }


def sending() -> None:
    print("\nbytes a BoundaryMap sends the terminal (first drawing; then per epoch, only the changed lines)")
    cases = [
        ("xor-2-2-1", range(1800, 2100), "epochs 1800-2100, the lines forming"),
        ("xor-mlp", range(3600, 3900), "epochs 3600-3900, the drop"),
        ("xor-mlp", range(4700, 5000), "epochs 4700-5000, converged"),
    ]
    for term in ("xterm-256color", "xterm"):
        for size, panel in (((120, 40), (40, 22)), ((80, 24), None)):
            for lesson_id, epochs, what in cases:
                b = asyncio.run(_bytes(lesson_id, epochs, size, panel, term))
                where = (
                    f"{panel[0]}x{panel[1]} panel at {size[0]}x{size[1]}" if panel else f"all of {size[0]}x{size[1]}"
                )
                print(
                    f"  {term:<15} {where:<24} {lesson_id:<10} {what:<34} first {b['first'] / 1024:5.1f} KB; "
                    f"an epoch: median {b['median'] / 1024:4.1f} KB, mean {b['mean'] / 1024:4.1f}, max {b['max'] / 1024:4.1f}; "
                    f"drawing it {b['build']:.1f} ms"
                )


def main() -> None:
    compute()
    sending()


if __name__ == "__main__":
    main()
