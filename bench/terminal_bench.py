"""The app in a pseudo-terminal, as a learner's terminal (or an SSH link) sees it: how soon the
first frame appears, how many bytes it writes while training and while paused, how long a key
takes to show its effect while training at max speed, and how long quitting mid-run takes.

Baselines from the same run: an empty Textual app's first frame, and a full-screen
textual-plotext plot redrawn 20 times a second (what a naive live plot costs).
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import statistics
import struct
import subprocess
import sys
import termios
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
APP = [PYTHON, "-m", "tui"]

EMPTY_APP = """
from textual.app import App
from textual.widgets import Static
class Empty(App):
    def compose(self):
        yield Static("Truth table")
Empty().run()
"""

PLOT_20_FPS = """
import math
from textual.app import App
from textual_plotext import PlotextPlot
class Busy(App):
    def compose(self):
        yield PlotextPlot()
    def on_mount(self):
        self.n = 0
        self.set_interval(1 / 20, self.tick)
    def tick(self):
        self.n += 1
        plot = self.query_one(PlotextPlot)
        plot.plt.clear_data()
        xs = list(range(self.n, self.n + 400))
        plot.plt.plot(xs, [math.exp(-x / 500) for x in xs], marker="braille")
        plot.refresh()
Busy().run()
"""


def _own_terminal() -> None:
    """In the child: a session of its own with the pty as its controlling terminal, as over SSH,
    so that if this bench dies the kernel hangs up the terminal and the app gets SIGHUP."""
    os.setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class Terminal:
    """A program on a pty of a given size; collects everything it writes, with times."""

    def __init__(self, argv: list[str], size=(120, 40), env: dict | None = None):
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
        environment = dict(os.environ, TERM="xterm-256color", COLORTERM="", LC_ALL="C.UTF-8", **(env or {}))
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            argv, stdin=slave, stdout=slave, stderr=slave, cwd=ROOT, env=environment, preexec_fn=_own_terminal
        )
        os.close(slave)
        self.chunks: list[tuple[float, bytes]] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while not self._stop.is_set():
            ready, _, _ = select.select([self.master], [], [], 0.05)
            if ready:
                try:
                    data = os.read(self.master, 65536)
                except OSError:
                    return
                if not data:
                    return
                with self._lock:
                    self.chunks.append((time.perf_counter(), data))
            elif self.process.poll() is not None:
                return

    def output(self, since: float = 0.0) -> bytes:
        with self._lock:
            return b"".join(d for t, d in self.chunks if t >= since)

    def bytes_between(self, start: float, stop: float) -> int:
        with self._lock:
            return sum(len(d) for t, d in self.chunks if start <= t < stop)

    def wait_for(self, text: str, since: float = 0.0, timeout: float = 30.0) -> float:
        """Seconds from `since` (default: the start) until `text` has been written."""
        since = since or self.started
        needle = text.encode()
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            with self._lock:
                seen = b"".join(d for t, d in self.chunks if t >= since)
                if needle in seen:
                    arrived = next(t for t, _ in self._cumulative(since, needle))
                    return arrived - since
            time.sleep(0.002)
        raise TimeoutError(f"{text!r} did not appear")

    def _cumulative(self, since: float, needle: bytes):
        buffer = b""
        for t, d in self.chunks:
            if t < since:
                continue
            buffer += d
            if needle in buffer:
                yield t, buffer
                return

    def send(self, keys: str) -> float:
        now = time.perf_counter()
        os.write(self.master, keys.encode())
        return now

    def close(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        # The reader must be done with the descriptor before it is closed: select() on a closed
        # (or reused) descriptor raises EBADF in the thread.
        self._stop.set()
        self._reader.join()
        os.close(self.master)


def ms(seconds: list[float]) -> str:
    return f"{statistics.median(seconds) * 1000:5.0f} ms {max(seconds) * 1000:5.0f} ms"


def first_frame(argv: list[str], marker: str, repeats: int = 3) -> float:
    times = []
    for _ in range(repeats):
        term = Terminal(argv)
        try:
            times.append(term.wait_for(marker))
        finally:
            term.close()
    return min(times)


def bytes_per_second(term: Terminal, seconds: float) -> float:
    start = time.perf_counter()
    time.sleep(seconds)
    return term.bytes_between(start, start + seconds) / seconds


def key_latencies(term: Terminal, repeats: int) -> tuple[list[float], list[float]]:
    """Seconds from a key to its effect on the terminal: s/S (speed, in the status line), and ?
    (the help screen, which is composed afresh each time)."""
    speed, help_screen = [], []
    for _ in range(repeats):
        running = b"speed max" in term.output()[-20000:]
        sent = term.send("s" if running else "S")
        speed.append(term.wait_for("speed 1/s" if running else "speed max", since=sent, timeout=15))
        time.sleep(0.2)
        sent = term.send("S" if running else "s")
        speed.append(term.wait_for("speed max" if running else "speed 1/s", since=sent, timeout=15))
        time.sleep(0.2)
        sent = term.send("?")
        help_screen.append(term.wait_for("Perceptron Lab — help", since=sent, timeout=15))
        time.sleep(0.3)
        term.send("\x1b")
        time.sleep(0.5)
    return speed, help_screen


SPEED_KEYS = (("1/s", "S"), ("10/s", "s"), ("100/s", "s"), ("max", "s"))  # from the default 10/s


def bytes_at_every_speed(size: tuple[int, int], seconds: float = 6.0) -> dict[str, float]:
    """Bytes a second the app writes while xor-mlp trains at each speed, and paused."""
    term = Terminal([*APP, "--lesson", "xor-mlp", "--epochs", "10000000"], size=size)
    figures = {}
    try:
        term.wait_for("Epoch: 0/10000000")
        time.sleep(1)
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


def main() -> None:
    print("bytes the app writes to a terminal while xor-mlp trains, KB/s (TERM=xterm-256color)")
    sizes = ((120, 40), (80, 24))
    table = {size: bytes_at_every_speed(size) for size in sizes}
    print("  speed      " + "".join(f"{w}x{h:<9}" for w, h in sizes) + "target")
    for name in [n for n, _ in SPEED_KEYS] + ["paused"]:
        cells = "".join(f"{table[size][name] / 1024:<12.1f}" for size in sizes)
        print(f"  {name:<11}{cells}{'0' if name == 'paused' else '≤ 16'}")
    print()
    print("the app in a pseudo-terminal, 120x40, TERM=xterm-256color\n")
    empty = first_frame([PYTHON, "-c", EMPTY_APP], "Truth table")
    ours = first_frame([*APP, "--lesson", "xor-mlp"], "Truth table")
    term = Terminal([*APP, "--lesson", "xor-mlp"])
    ready = term.wait_for("Epoch: 0/5000")
    term.close()
    print("first frame                                   s     × empty Textual app")
    print(f"empty Textual app (baseline)              {empty:6.2f}     1.00")
    print(f"Perceptron Lab, panels drawn, loading     {ours:6.2f}     {ours / empty:4.2f}   (target ≤ 0.8 s)")
    print(f"  engine ready (torch loaded, epoch 0)    {ready:6.2f}\n")

    busy = Terminal([PYTHON, "-c", PLOT_20_FPS])
    time.sleep(2)
    naive = bytes_per_second(busy, 5)
    busy.close()

    term = Terminal([*APP, "--lesson", "xor-mlp", "--epochs", "10000000"])
    try:
        term.wait_for("Epoch: 0/10000000")
        time.sleep(1)
        term.send("ss ")  # 10/s → 100/s → max, run
        time.sleep(2)
        running = bytes_per_second(term, 10)
        latencies, help_latencies = key_latencies(term, 10)
        term.send(" ")  # pause
        time.sleep(2)
        paused = bytes_per_second(term, 10)
        paused_latencies, paused_help = key_latencies(term, 5)
        term.send("  ")  # pause, run
        time.sleep(1)
        sent = term.send("q")
        term.process.wait(timeout=10)
        quit_seconds = time.perf_counter() - sent
        restored = b"\x1b[?1049l" in term.output(since=sent)
    finally:
        term.close()

    print("bytes written to the terminal               KB/s   × naive live plot")
    print(f"full-screen plotext plot at 20 fps (baseline) {naive / 1024:6.1f}     1.00")
    ratio = running / naive
    print(f"training xor-mlp at max speed             {running / 1024:6.1f}     {ratio:4.2f}   (target ≤ 16 KB/s)")
    print(
        f"paused                                    {paused / 1024:6.2f}     {paused / naive:5.3f}  (target ≤ 1 KB/s)\n"
    )
    print("a key until its effect is on the terminal                 median   worst")
    n = len(latencies)
    print(f"  s/S (speed, status line), training at max speed      {ms(latencies)}   of {n}  (target ≤ 100 ms)")
    print(f"  s/S, paused (baseline)                               {ms(paused_latencies)}   of {len(paused_latencies)}")
    print(f"  ? (help screen composed), training at max speed      {ms(help_latencies)}   of {len(help_latencies)}")
    print(f"  ?, paused (baseline)                                 {ms(paused_help)}   of {len(paused_help)}")
    restored_text = "yes" if restored else "NO"
    print(f"quit (q) while training at max speed: exited in {quit_seconds:.2f} s, ", end="")
    print(f"terminal restored: {restored_text}   (target ≤ 1 s)")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
