"""The app's sweep view in a pseudo-terminal: bytes written while a sweep runs, how soon a key shows
its effect while the sweep thread computes (against the same key once it has finished: the
baseline), and how long quitting mid-sweep takes. Part of `make bench` (bench/sweep_bench.py).

    .venv/bin/python bench/sweep_view_bench.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))  # terminal_bench, also when imported by benchmarks.py

from terminal_bench import APP, Terminal, ms  # noqa: E402

OPEN, MAIN = "Seed sweep", "Truth table"
RUNNING, DONE = "% · epoch", "epochs 0-5000: done"


def measure(size: tuple[int, int], repeats: int = 5) -> dict:
    """xor-mlp's sweep (100 seeds × 5001 epochs, about 6 s): w → the view, Esc → the main view,
    while the sweep runs and once it has finished; bytes a second of both; ctrl+c mid-sweep."""
    term = Terminal([*APP, "--lesson", "xor-mlp"], size=size)
    figures: dict = {"open": [], "esc": [], "open_done": [], "esc_done": [], "running_bps": [], "done_bps": None}
    try:
        term.wait_for("Epoch: 0/5000", timeout=60)
        time.sleep(1)
        for _ in range(repeats):  # each time a new sweep: a cancelled one is not kept
            sent = term.send("w")
            figures["open"].append(term.wait_for(OPEN, since=sent, timeout=15))
            term.wait_for(RUNNING, since=sent, timeout=30)
            start = time.perf_counter()
            time.sleep(3)  # the worst second of three (the histogram is redrawn at most once a second)
            figures["running_bps"].append(max(term.bytes_between(start + k, start + k + 1) for k in range(3)))
            sent = term.send("\x1b")
            figures["esc"].append(term.wait_for(MAIN, since=sent, timeout=15))
            time.sleep(0.5)
        sent = term.send("w")
        term.wait_for(DONE, since=sent, timeout=120)
        time.sleep(1)
        start = time.perf_counter()
        time.sleep(3)
        figures["done_bps"] = term.bytes_between(start, start + 3) / 3
        sent = term.send("\x1b")
        term.wait_for(MAIN, since=sent, timeout=15)
        time.sleep(0.5)
        for _ in range(repeats):  # the kept sweep: the same keys with no thread computing
            sent = term.send("w")
            figures["open_done"].append(term.wait_for(OPEN, since=sent, timeout=15))
            time.sleep(0.5)
            sent = term.send("\x1b")
            figures["esc_done"].append(term.wait_for(MAIN, since=sent, timeout=15))
            time.sleep(0.5)
        term.send("R")  # another seed, so the next sweep is a new one
        time.sleep(0.5)
        term.send("+")  # and another lr: a new sweep, not the kept one
        time.sleep(0.5)
        sent = term.send("w")
        term.wait_for(RUNNING, since=sent, timeout=30)
        time.sleep(1)
        sent = term.send("\x03")  # ctrl+c: quits (nothing trains under the sweep)
        term.process.wait(timeout=10)
        figures["quit"] = time.perf_counter() - sent
        figures["restored"] = b"\x1b[?1049l" in term.output(since=sent)
    finally:
        term.close()
    return figures


def gil_waits(seeds: int = 100, samples: int = 300) -> list[float]:
    """How long another thread waits for the interpreter while run_sweep computes in a thread: a 5 ms
    sleep and a little Python, the delay past 5 ms (the UI thread does the same between frames)."""
    import threading

    import core  # noqa: F401  the pinned numerics, before torch
    from core.lessons import lesson
    from core.sweep.sweep import run_sweep

    stop = threading.Event()
    worker = threading.Thread(
        target=run_sweep, args=(lesson("xor-mlp").config, range(seeds), 10**6), kwargs={"stop": stop}
    )
    worker.start()
    time.sleep(1.0)  # past the set-up
    waits = []
    for _ in range(samples):
        started = time.perf_counter()
        time.sleep(0.005)
        sum(range(2000))
        waits.append(time.perf_counter() - started - 0.005)
    stop.set()
    worker.join()
    return sorted(waits)


def main() -> None:
    import os

    print(f"the sweep view in a pseudo-terminal (xor-mlp, 100 seeds × 5001 epochs; load {os.getloadavg()[0]:.2f})")
    print("                                        120x40                    80x24")
    rows = {size: measure(size) for size in ((120, 40), (80, 24))}
    a, b = rows[(120, 40)], rows[(80, 24)]
    kb = lambda values: f"{max(values) / 1024:5.1f} KB/s worst"  # noqa: E731
    print(f"  bytes a second, sweep running     {kb(a['running_bps'])}          {kb(b['running_bps'])}   (≤ 16 KB/s)")
    print(f"  bytes once it has finished        {a['done_bps']:5.0f} B/s               {b['done_bps']:5.0f} B/s")
    print("  a key until its effect          median / worst           median / worst")
    for key, name in (
        ("open", "w (opens, sweep starts)"),
        ("esc", "Esc while the sweep runs"),
        ("open_done", "w, sweep kept (baseline)"),
        ("esc_done", "Esc, finished (baseline)"),
    ):
        print(f"  {name:30s}  {ms(a[key])}      {ms(b[key])}")
    waits = gil_waits()
    p90 = waits[int(0.9 * len(waits))]
    print(
        f"  the interpreter lock, sweep thread running: another thread waits {waits[len(waits) // 2] * 1e3:.2f} ms "
        f"median, {p90 * 1e3:.2f} ms p90, {waits[-1] * 1e3:.1f} ms worst of {len(waits)}"
    )
    for size, figures in rows.items():
        restored = "yes" if figures["restored"] else "NO"
        print(
            f"  ctrl+c mid-sweep at {size[0]}x{size[1]}: exited in {figures['quit']:.2f} s, "
            f"terminal restored: {restored}   (≤ 1 s)"
        )


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
