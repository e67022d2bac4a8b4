"""A program on a pseudo-terminal we own, as a learner's terminal sees it: every chunk it writes,
with the time it arrived, and the screen those bytes draw, read back as text by a VT emulator
(pyte, which also gives Korean characters their two cells), so a test or a bench can ask "when
did the status line first say paused?" without searching escape sequences.

The chunks are timed by a reader thread that does nothing else; a second thread feeds them to
the emulator, so a slow parse delays the answer, never the time measured.
"""

from __future__ import annotations

import collections
import fcntl
import os
import pty
import re
import select
import struct
import subprocess
import sys
import termios
import threading
import time
from dataclasses import dataclass

# The app's status line (tui/widgets/status_line.py), in English: " <lesson>  <state>   lr 1  speed
# 10/s  seed 0" then " Epoch: 12/5000 Loss : ...". At 80 columns the first line wraps after the speed.
STATE = re.compile(r"\b(loading the engine|ready|running|paused|finished|blown up)\b\W+lr \S+\s+speed (max|\d+/s)")
EPOCH = re.compile(r"Epoch: (\d+)/(\d+)")


@dataclass(frozen=True)
class Status:
    """What the status line says: the state, the speed ("10/s" or "max") and the epoch on view."""

    state: str | None = None
    speed: str | None = None
    epoch: int | None = None


def read_status(lines: list[str]) -> Status:
    text = "\n".join(lines)
    state = STATE.search(text)
    epoch = EPOCH.search(text)
    return Status(
        state.group(1) if state else None,
        state.group(2) if state else None,
        int(epoch.group(1)) if epoch else None,
    )


def _own_terminal() -> None:
    """In the child: a session of its own with the pty as its controlling terminal, so that a
    killed bench hangs it up; and it dies with the bench (PR_SET_PDEATHSIG)."""
    os.setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)
    if sys.platform == "linux":
        import ctypes
        import signal

        ctypes.CDLL(None).prctl(1, signal.SIGTERM)


class ScreenReader:
    """Runs `argv` on a pty of `size` (columns, rows); `send` types, `wait_status` and friends
    answer when something first reached the terminal. Times are time.perf_counter()."""

    def __init__(
        self, argv: list[str], size: tuple[int, int] = (120, 40), env: dict | None = None, marker: str = "Truth table"
    ):
        import pyte  # `make bench` installs it (the bench extra); read_status needs nothing

        self.columns, self.rows = size
        self.marker = marker
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", self.rows, self.columns, 0, 0))
        environment = dict(os.environ, TERM="xterm-256color", LC_ALL="C.UTF-8", **(env or {}))
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            argv, stdin=slave, stdout=slave, stderr=slave, env=environment, preexec_fn=_own_terminal
        )
        os.close(slave)
        self.chunks: list[tuple[float, bytes]] = []
        self.statuses: list[tuple[float, Status]] = []  # each change, with the arrival time of the chunk that made it
        self.first_frame: float | None = None  # when the marker and a status line were first both on screen
        self.screen = pyte.Screen(self.columns, self.rows)
        self._stream = pyte.ByteStream(self.screen)
        self._lock = threading.Lock()
        self._screen_lock = threading.Lock()  # its own: a long parse must never hold up the reader's timing
        self._unparsed: collections.deque[tuple[float, bytes]] = collections.deque()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._eof = threading.Event()
        self._threads = [
            threading.Thread(target=self._read, daemon=True),
            threading.Thread(target=self._parse, daemon=True),
        ]
        for thread in self._threads:
            thread.start()

    # --- the two threads --------------------------------------------------------------------------

    def _read(self) -> None:
        try:
            while not self._stop.is_set():
                ready, _, _ = select.select([self.master], [], [], 0.05)
                if not ready:
                    continue
                try:
                    data = os.read(self.master, 65536)
                except OSError:  # EIO: every process holding the pty's other end has gone
                    data = b""
                if not data:
                    return
                now = time.perf_counter()
                with self._lock:
                    self.chunks.append((now, data))
                self._unparsed.append((now, data))
                self._wake.set()
        finally:
            self._eof.set()
            self._wake.set()

    def _parse(self) -> None:
        last = Status()
        while True:
            self._wake.wait(0.1)
            self._wake.clear()
            while self._unparsed:
                arrived, data = self._unparsed.popleft()
                with self._screen_lock:
                    self._stream.feed(data)
                    lines = self.screen.display
                status = read_status(lines)
                if status != last:
                    with self._lock:
                        self.statuses.append((arrived, status))
                    last = status
                if self.first_frame is None and status.state and any(self.marker in line for line in lines):
                    self.first_frame = arrived
            if self._stop.is_set() or (self._eof.is_set() and not self._unparsed):
                return

    # --- asking -----------------------------------------------------------------------------------

    def send(self, keys: str) -> float:
        sent = time.perf_counter()
        os.write(self.master, keys.encode())
        return sent

    def status(self) -> Status:
        with self._lock:
            return self.statuses[-1][1] if self.statuses else Status()

    def wait_status(self, wanted, since: float, timeout: float = 10.0) -> float:
        """The arrival time of the first chunk at or after `since` after which the status line
        satisfied `wanted(status)`."""
        deadline = time.perf_counter() + timeout
        seen = 0
        while True:
            with self._lock:
                fresh = self.statuses[seen:]
                seen = len(self.statuses)
            for arrived, status in fresh:
                if arrived >= since and wanted(status):
                    return arrived
            if time.perf_counter() > deadline:
                raise TimeoutError(f"the status line did not change as expected; it says {self.status()}")
            time.sleep(0.003)

    def wait_first_frame(self, timeout: float = 30.0) -> float:
        deadline = time.perf_counter() + timeout
        while self.first_frame is None:
            if time.perf_counter() > deadline or (self._eof.is_set() and not self._unparsed):
                raise TimeoutError("no first frame:\n" + "\n".join(self.screen.display))
            time.sleep(0.005)
        return self.first_frame

    def wait_bytes(self, needle: bytes, since: float, timeout: float = 10.0) -> float:
        """The arrival time of the first chunk at or after `since` that holds `needle`."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            with self._lock:
                found = next((t for t, data in self.chunks if t >= since and needle in data), None)
            if found is not None:
                return found
            time.sleep(0.003)
        raise TimeoutError(f"{needle!r} did not arrive")

    def wait_quiet(self, since: float, quiet: float = 1.0, timeout: float = 8.0) -> float:
        """The arrival time of the last chunk after `since`, once nothing has come for `quiet`
        seconds (`since` itself if nothing came); TimeoutError if it never goes quiet."""
        deadline = since + timeout
        while True:
            with self._lock:
                last = self.chunks[-1][0] if self.chunks and self.chunks[-1][0] >= since else since
            now = time.perf_counter()
            if now - last >= quiet:
                return last
            if now > deadline:
                raise TimeoutError(f"still writing {timeout:.0f} s after")
            time.sleep(0.01)

    def bytes_between(self, start: float, stop: float) -> int:
        with self._lock:
            return sum(len(d) for t, d in self.chunks if start <= t < stop)

    def output(self, since: float = 0.0) -> bytes:
        with self._lock:
            return b"".join(d for t, d in self.chunks if t >= since)

    def text(self) -> str:
        """The screen as it stands (what has been parsed so far)."""
        with self._screen_lock:
            return "\n".join(self.screen.display)

    def wait_text(self, wanted, timeout: float = 10.0) -> str:
        """The screen's text once `wanted(text)` holds. A status change says only that the chunk
        holding it was parsed: the rest of what the program wrote may come in a later read."""
        deadline = time.perf_counter() + timeout
        while not wanted(text := self.text()):
            if time.perf_counter() > deadline:
                raise TimeoutError("the screen did not show what was expected:\n" + text)
            time.sleep(0.003)
        return text

    def wait_exit(self, timeout: float = 10.0) -> float:
        """When the program exited (polled every 2 ms)."""
        deadline = time.perf_counter() + timeout
        while self.process.poll() is None:
            if time.perf_counter() > deadline:
                raise TimeoutError("still running")
            time.sleep(0.002)
        return time.perf_counter()

    def close(self) -> None:
        """End the program if it still runs, then the threads, then the pty: the reader thread
        must be done with the descriptor before it is closed (else select() on a closed or reused
        descriptor raises EBADF)."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=3)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._stop.set()
        self._wake.set()
        for thread in self._threads:
            thread.join()
        os.close(self.master)
