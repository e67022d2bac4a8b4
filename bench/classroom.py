"""The classroom bench's harness (bench/classroom_bench.py): learners on either door as the server
sees them, with the bytes each one's screen received and when; the server, `perceptron-lab serve
--ssh --web`; and the CPU of a stretch of time, read from /proc.

- `SshLearner`: a real OpenSSH client (`ssh -tt`) on a pseudo-terminal of its own, 120x40.
- `WebLearner`: a browser tab's websocket (bench/browser.py's Socket), in view, at the same size.
Every process started here is in STARTED, for the bench to end however it stops.
"""

from __future__ import annotations

import asyncio
import bisect
import contextlib
import fcntl
import json
import os
import signal
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from browser import ROOT, Socket, alive, cpu_seconds, descendants, free_port, memory_mb, session_apps

GOAL = 10**6  # epochs: a run that does not end during the bench
SIZE = (120, 40)
KEY_TIMEOUT = 10.0  # seconds: a key whose effect has not come by then is counted as lost
SSH_OPTIONS = ["-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR"]
STARTED: list[subprocess.Popen] = []  # every process the bench starts, ended however it stops


class Lost(Exception):
    """A learner's screen ended, or did not show what was waited for in time."""


# --- what a learner sees: the bytes, with the time each chunk came -----------------------------


class Screen:
    def __init__(self) -> None:
        self.data = bytearray()
        self.offsets: list[int] = []  # where each chunk starts in data
        self.times: list[float] = []  # and when it came
        self.closed = False
        self.changed = asyncio.Event()

    def feed(self, chunk: bytes) -> None:
        self.offsets.append(len(self.data))
        self.times.append(time.perf_counter())
        self.data += chunk
        self.changed.set()

    def end(self) -> None:
        self.closed = True
        self.changed.set()

    def tail(self) -> str:
        text = self.data[-2000:].decode(errors="replace")
        return " ".join(text.replace("\x1b", " ").split())[-120:]

    async def wait_for(self, needle: bytes, start: int = 0, timeout: float = KEY_TIMEOUT) -> float:
        """When the chunk that completed `needle` (wholly after offset `start`) came."""
        deadline = time.perf_counter() + timeout
        while True:
            found = self.data.find(needle, start)
            if found >= 0:
                last = found + len(needle) - 1
                return self.times[bisect.bisect_right(self.offsets, last) - 1]
            start = max(start, len(self.data) - len(needle) + 1)
            left = deadline - time.perf_counter()
            if self.closed or left <= 0:
                raise Lost(f"{needle.decode()!r} {'never came' if left <= 0 else 'not before the end'}: {self.tail()}")
            self.changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.changed.wait(), left)


class SshLearner:
    """A real OpenSSH client on a pseudo-terminal of its own, as a learner's terminal runs it."""

    door = "SSH"

    def __init__(self, ssh_port: int, web_port: int, index: int) -> None:
        self.port, self.index = ssh_port, index
        self.screen = Screen()
        self.process: subprocess.Popen | None = None
        self.master: int | None = None

    async def open(self) -> None:
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", SIZE[1], SIZE[0], 0, 0))
        argv = ["ssh", "-tt", "-p", str(self.port), *SSH_OPTIONS, f"learner{self.index}@127.0.0.1"]
        self.process = subprocess.Popen(
            argv, stdin=slave, stdout=slave, stderr=slave, start_new_session=True, preexec_fn=_take_terminal
        )
        STARTED.append(self.process)
        os.close(slave)
        os.set_blocking(self.master, False)
        asyncio.get_running_loop().add_reader(self.master, self._read)

    def _read(self) -> None:
        try:
            chunk = os.read(self.master, 65536)
        except BlockingIOError:
            return
        except OSError:  # EIO: the client has ended
            chunk = b""
        if chunk:
            self.screen.feed(chunk)
        else:
            asyncio.get_running_loop().remove_reader(self.master)
            self.screen.end()

    async def press(self, keys: bytes) -> tuple[int, float]:
        start = len(self.screen.data)
        sent = time.perf_counter()
        os.write(self.master, keys)
        return start, sent

    def client_pids(self) -> list[int]:
        return [self.process.pid] if self.process is not None else []

    async def close(self) -> None:
        if self.master is not None:
            with contextlib.suppress(ValueError, OSError):
                asyncio.get_running_loop().remove_reader(self.master)
            os.close(self.master)
            self.master = None
        if self.process is not None and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            for _ in range(40):
                if self.process.poll() is not None:
                    break
                await asyncio.sleep(0.05)
        end_process(self.process)


class WebLearner(Socket):
    """A browser tab as the server sees it: its websocket (bench/browser.py), in view. It says
    "focus" when the first screen comes, as our page does (tui/web/app_index.html): Textual's web
    driver makes an app start blurred, so a "focus" sent before that is lost, and the app would run
    out of view until a key of the learner's focused it (that key then paid for the restyle)."""

    door = "browser"

    def __init__(self, ssh_port: int, web_port: int, index: int) -> None:
        super().__init__(f"http://127.0.0.1:{web_port}/", size=SIZE)
        self.index = index
        self.screen = Screen()

    async def _read(self) -> None:  # Socket's, into the Screen
        import aiohttp

        in_view = False
        try:
            async for message in self.ws:
                if message.type == aiohttp.WSMsgType.BINARY:
                    self.screen.feed(message.data)
                    if not in_view and len(message.data) > 1000:  # the first screen
                        in_view = True
                        await self.ws.send_str(json.dumps(["focus"]))
        finally:
            self.screen.end()

    async def press(self, keys: bytes) -> tuple[int, float]:
        start = len(self.screen.data)
        sent = time.perf_counter()
        await self.ws.send_str(json.dumps(["stdin", keys.decode()]))
        return start, sent

    def client_pids(self) -> list[int]:
        return []  # in this process


def _take_terminal() -> None:
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


def end_process(process: subprocess.Popen | None) -> None:
    if process is not None and process.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


# --- the server ----------------------------------------------------------------------------------


class Server:
    """`perceptron-lab serve --ssh --web`, both doors, N seats; its log in a temporary file."""

    def __init__(self, seats: int, cold: bool = False) -> None:
        self.ssh_port, self.web_port = free_port(), free_port()
        self.home = tempfile.TemporaryDirectory(prefix="classroom-bench-")
        self.log = Path(self.home.name) / "serve.log"
        env = dict(
            os.environ, XDG_DATA_HOME=self.home.name, MKL_CBWR="COMPATIBLE", ATEN_CPU_CAPABILITY="default",
            LC_ALL="C.UTF-8", PYTHONUNBUFFERED="1",
        )  # fmt: skip
        argv = [
            sys.executable, "-m", "tui", "serve", "--ssh", "--port", str(self.ssh_port),
            "--web-port", str(self.web_port), "--max-sessions", str(seats), "--lesson", "xor-mlp",
            "--epochs", str(GOAL), "--lang", "en", *(["--cold"] if cold else []),
        ]  # fmt: skip
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                argv, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        STARTED.append(self.process)
        self.started = time.perf_counter()
        deadline = time.monotonic() + 120
        while "learners run" not in self.said():
            if self.process.poll() is not None or time.monotonic() > deadline:
                said = self.said()[-500:]
                self.stop()
                raise RuntimeError(f"the server did not start: {said}")
            time.sleep(0.1)
        self.ready = time.perf_counter() - self.started

    def said(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def apps(self) -> list[int]:
        return session_apps(self.process.pid)

    def pss(self) -> float:
        """PSS (MB) of the server and everything it runs: the warm parent, its clients, the apps."""
        total = 0.0
        for pid in [self.process.pid, *descendants(self.process.pid)]:
            with contextlib.suppress(OSError, KeyError):
                total += memory_mb(pid)["pss"]
        return total

    def stop(self) -> None:
        """ctrl+c, as a teacher stops it; then anything of its left behind is killed."""
        everything = descendants(self.process.pid)
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(20)
        end_process(self.process)
        for pid in everything:
            if alive(pid):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
        self.home.cleanup()


# --- measuring -----------------------------------------------------------------------------------


def machine_busy() -> tuple[float, float]:
    """(busy, all) CPU-seconds of the whole machine so far, from /proc/stat."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    ticks = os.sysconf("SC_CLK_TCK")
    return (sum(fields[:8]) - fields[3] - fields[4]) / ticks, sum(fields[:8]) / ticks


def cpu_of(pids) -> float:
    total = 0.0
    for pid in pids:
        with contextlib.suppress(OSError):
            total += cpu_seconds(pid)
    return total


class Window:
    """The CPU (in cores) used over a stretch of time: by the machine, the server process (both
    doors), each app, and the clients (ssh processes, and this bench's own process)."""

    def __init__(self, server: Server, learners: list) -> None:
        self.server, self.learners = server, learners
        self.apps = {learner: learner.app for learner in learners if learner.app}
        self.clients = [pid for learner in learners for pid in learner.client_pids()]

    def __enter__(self) -> Window:
        self.t0, self.machine0 = time.perf_counter(), machine_busy()
        self.server0, self.clients0 = cpu_of([self.server.process.pid]), cpu_of(self.clients) + time.process_time()
        self.apps0 = {learner: cpu_of([pid]) for learner, pid in self.apps.items()}
        return self

    def __exit__(self, *exc) -> None:
        wall = time.perf_counter() - self.t0
        busy, total = machine_busy()
        cores = os.cpu_count() or 1
        self.seconds = wall
        self.machine = (busy - self.machine0[0]) / max(1e-9, total - self.machine0[1]) * cores
        self.doors = (cpu_of([self.server.process.pid]) - self.server0) / wall
        self.clients_cores = (cpu_of(self.clients) + time.process_time() - self.clients0) / wall
        self.per_app = {learner: (cpu_of([pid]) - self.apps0[learner]) / wall for learner, pid in self.apps.items()}
        self.apps_cores = sum(self.per_app.values())
