"""A real browser for the browser-mode test, bench and screenshot: Debian's headless Chromium, driven
over the DevTools protocol (a websocket, with aiohttp, which textual-serve brings), and
`perceptron-lab serve` on a free loopback port.

Nothing here downloads a browser: it uses /usr/bin/chromium (`apt-get install chromium`) or none.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import itertools
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Headless, as root (--no-sandbox), and quiet on the network: without the background-networking
# flags Chromium keeps calling home, which a closed network refuses.
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-dev-shm-usage",
    "--mute-audio",
    "--remote-debugging-port=0",
]
WINDOW = (1280, 800)  # 16 px Roboto Mono: about 133×42 cells, the wide layout


NO_CHROMIUM = "no Chromium: install Debian's (apt-get install chromium; .ci/run does it when it can)"


def have_chromium() -> bool:
    return os.path.exists(CHROMIUM)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- the server -----------------------------------------------------------------------------------


class Served:
    """`perceptron-lab serve` on a free loopback port, in a process group of its own."""

    def __init__(self, *app_argv: str, env: dict | None = None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        environment = dict(
            os.environ, MKL_CBWR="COMPATIBLE", ATEN_CPU_CAPABILITY="default", LC_ALL="C.UTF-8", **(env or {})
        )
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 - read by output() until stop() closes it
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tui", "serve", "--port", str(self.port), *app_argv],
            cwd=ROOT,
            env=environment,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"serve exited with {self.process.returncode}: {self.output()}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise TimeoutError("serve did not start listening in 30 s")

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read().decode(errors="replace")

    def apps(self) -> list[int]:
        """Pids of the app processes the server runs now (one per open tab)."""
        return session_apps(self.process.pid)

    def stop(self) -> int:
        """Ctrl+C, as a teacher stops it; returns its exit status."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        with contextlib.suppress(ProcessLookupError):  # anything of the server's left behind goes too
            os.killpg(self.process.pid, signal.SIGKILL)
        if not self.log.closed:
            self.said = self.output()
            self.log.close()
        return self.process.returncode

    def __enter__(self) -> Served:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def session_apps(server: int) -> list[int]:
    """The learners' apps a server runs: each a fresh process (`--cold`), or forked by its warm parent
    (tui/warm.py), whose clients and the parent itself are not apps."""
    warm_parents = [pid for pid in children_of(server) if "tui.warm parent" in cmdline(pid)]
    apps = [pid for parent in warm_parents for pid in children_of(parent)]
    cold = [pid for pid in children_of(server) if "tui" in cmdline(pid) and "tui.warm" not in cmdline(pid)]
    return apps + [pid for pid in cold if "serve" not in cmdline(pid)]


def children_of(pid: int) -> list[int]:
    try:
        return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def descendants(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def memory_mb(pid: int) -> dict[str, float]:
    """RSS, PSS (shared pages divided among their users) and private memory of a process, in MB."""
    fields = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, value, *_ = line.split()
        fields[name.rstrip(":")] = int(value) / 1024
    return {"rss": fields["Rss"], "pss": fields["Pss"], "private": fields["Private_Clean"] + fields["Private_Dirty"]}


# --- the browser ----------------------------------------------------------------------------------


class Chromium:
    """Headless Chromium with a fresh profile, and one DevTools connection to it."""

    def __init__(self) -> None:
        self.profile = tempfile.TemporaryDirectory(prefix="lab-chromium-")
        self.process: subprocess.Popen | None = None
        self.ws: aiohttp.ClientWebSocketResponse | None = None
        self._http: aiohttp.ClientSession | None = None
        self._ids = itertools.count(1)
        self._pending: dict[int, asyncio.Future] = {}
        self._listeners: list[tuple[str, str | None, asyncio.Queue]] = []
        self._reader: asyncio.Task | None = None

    async def start(self) -> Chromium:
        self.process = subprocess.Popen(
            [
                CHROMIUM,
                *FLAGS,
                f"--user-data-dir={self.profile.name}",
                f"--window-size={WINDOW[0]},{WINDOW[1]}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        port_file = Path(self.profile.name) / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while not (port_file.exists() and port_file.read_text().count("\n") >= 1):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("chromium did not start")
            await asyncio.sleep(0.05)
        port, path = port_file.read_text().split("\n")[:2]
        self._http = aiohttp.ClientSession()
        self.ws = await self._http.ws_connect(f"ws://127.0.0.1:{port}{path}", max_msg_size=0)
        self._reader = asyncio.create_task(self._read())
        return self

    async def _read(self) -> None:
        async for message in self.ws:
            data = json.loads(message.data)
            if "id" in data:
                future = self._pending.pop(data["id"], None)
                if future is not None and not future.done():
                    if "error" in data:
                        future.set_exception(RuntimeError(f"{data['error']}"))
                    else:
                        future.set_result(data.get("result", {}))
            else:
                for method, session, queue in self._listeners:
                    if data.get("method") == method and session in (None, data.get("sessionId")):
                        queue.put_nowait(data.get("params", {}))

    async def send(self, method: str, params: dict | None = None, session: str | None = None) -> dict:
        id_ = next(self._ids)
        future = asyncio.get_running_loop().create_future()
        self._pending[id_] = future
        message = {"id": id_, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        await self.ws.send_str(json.dumps(message))
        return await asyncio.wait_for(future, 60)

    def listen(self, method: str, session: str | None = None) -> asyncio.Queue:
        queue: asyncio.Queue = asyncio.Queue()
        self._listeners.append((method, session, queue))
        return queue

    async def new_tab(self) -> Tab:
        target = await self.send("Target.createTarget", {"url": "about:blank"})
        attached = await self.send("Target.attachToTarget", {"targetId": target["targetId"], "flatten": True})
        tab = Tab(self, target["targetId"], attached["sessionId"])
        await tab.send("Page.enable")
        await tab.send("Runtime.enable")
        # The page's size exactly (a headless window's size includes what would be its frame).
        await tab.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": WINDOW[0], "height": WINDOW[1], "deviceScaleFactor": 1, "mobile": False},
        )
        return tab

    async def close(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
        if self.ws is not None:
            await self.ws.close()
        if self._http is not None:
            await self._http.close()
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        self.profile.cleanup()

    async def __aenter__(self) -> Chromium:
        return await self.start()

    async def __aexit__(self, *exc) -> None:
        await self.close()


# Finds textual.js's terminal (xterm.js) among the page's objects: the page keeps it in a closure,
# and its buffer is what the canvas shows.
FIND_TERMINAL = """function () {
    const found = this.find((o) => o && typeof o.websocket_url === "string" && o.terminal && o.terminal.buffer);
    if (found) { window.__lab = found.terminal; window.__labClient = found; }
    return !!found;
}"""

SCREEN_TEXT = """(() => {
    const buffer = window.__lab.buffer.active, lines = [];
    for (let y = 0; y < window.__lab.rows; y++)
        lines.push(buffer.getLine(buffer.viewportY + y).translateToString(true));
    return lines.join("\\n");
})()"""

# Times, on the page's clock, from a key reaching the terminal (onData, as typed) to the terminal's
# buffer first holding `text` (onWriteParsed: drawn at the next animation frame, ≤ 16 ms later).
WATCH = """((text) => {
    const term = window.__lab;
    window.__watch = {text, typed: null, shown: null};
    const seen = () => {
        for (let y = 0; y < term.rows; y++) {
            const line = term.buffer.active.getLine(term.buffer.active.viewportY + y);
            if (line && line.translateToString(true).includes(text)) return true;
        }
        return false;
    };
    const typed = term.onData(() => {
        if (window.__watch.typed === null) window.__watch.typed = performance.now();
        typed.dispose();
    });
    const parsed = term.onWriteParsed(() => {
        if (window.__watch.typed !== null && window.__watch.shown === null && seen()) {
            window.__watch.shown = performance.now();
            parsed.dispose();
        }
    });
    return true;
})"""

KEYS = {
    " ": ("Space", 32),
    "?": ("Slash", 191),
    "escape": ("Escape", 27),
}


class Tab:
    def __init__(self, browser: Chromium, target: str, session: str) -> None:
        self.browser, self.target, self.session = browser, target, session

    async def send(self, method: str, params: dict | None = None) -> dict:
        return await self.browser.send(method, params, self.session)

    async def evaluate(self, expression: str):
        result = await self.send(
            "Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True}
        )
        if "exceptionDetails" in result:
            raise RuntimeError(
                result["exceptionDetails"].get("exception", {}).get("description", result["exceptionDetails"])
            )
        return result["result"].get("value")

    async def open(self, url: str, timeout: float = 60) -> float:
        """Load the page and wait until the app has drawn its panels; seconds from navigation."""
        loaded = self.browser.listen("Page.loadEventFired", self.session)
        started = time.perf_counter()
        await self.send("Page.navigate", {"url": url})
        await asyncio.wait_for(loaded.get(), timeout)
        await self._find_terminal(timeout)
        await self.wait_for("Truth table", timeout=timeout - (time.perf_counter() - started))
        return time.perf_counter() - started

    async def _find_terminal(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if await self.evaluate("document.querySelector('.xterm') !== null"):
                prototype = await self.send("Runtime.evaluate", {"expression": "Object.prototype"})
                objects = await self.send(
                    "Runtime.queryObjects", {"prototypeObjectId": prototype["result"]["objectId"]}
                )
                found = await self.send(
                    "Runtime.callFunctionOn",
                    {
                        "objectId": objects["objects"]["objectId"],
                        "functionDeclaration": FIND_TERMINAL,
                        "returnByValue": True,
                    },
                )
                await self.send("Runtime.releaseObject", {"objectId": objects["objects"]["objectId"]})
                if found["result"].get("value"):
                    return
            await asyncio.sleep(0.05)
        raise TimeoutError("no terminal on the page")

    async def text(self) -> str:
        return await self.evaluate(SCREEN_TEXT)

    async def wait_for(self, text: str, timeout: float = 30) -> float:
        started = time.perf_counter()
        while True:
            if text in await self.text():
                return time.perf_counter() - started
            if time.perf_counter() - started > timeout:
                raise TimeoutError(f"{text!r} not on the page after {timeout} s:\n{await self.text()}")
            await asyncio.sleep(0.02)

    async def press(self, key: str) -> None:
        """A key as the learner types it: keydown with its text, keyup; to whatever has focus."""
        code, vk = KEYS.get(
            key, (f"Key{key.upper()}" if key.isalpha() else "", ord(key.upper()) if len(key) == 1 else 0)
        )
        text = {"escape": "\x1b"}.get(key, key)
        down = {
            "type": "keyDown",
            "key": "Escape" if key == "escape" else key,
            "code": code,
            "windowsVirtualKeyCode": vk,
        }
        if key != "escape":
            down["text"] = text
        await self.send("Input.dispatchKeyEvent", down)
        await self.send("Input.dispatchKeyEvent", {**down, "type": "keyUp", "text": ""})

    async def key_to_screen(self, key: str, text: str, timeout: float = 10) -> float:
        """Seconds on the page's clock from `key` reaching the terminal to `text` being on it."""
        await self.evaluate(f"({WATCH})({json.dumps(text)})")
        await self.press(key)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            watch = await self.evaluate("window.__watch")
            if watch["shown"] is not None:
                return (watch["shown"] - watch["typed"]) / 1000
            await asyncio.sleep(0.01)
        raise TimeoutError(f"{key!r} did not bring {text!r} in {timeout} s (typed: {watch['typed'] is not None})")

    async def bytes_per_second(self, seconds: float) -> float:
        """What the app sends this page, per second, over `seconds`."""
        before = await self.evaluate("window.__labClient.refreshBytes")
        started = time.perf_counter()
        await asyncio.sleep(seconds)
        after = await self.evaluate("window.__labClient.refreshBytes")
        return (after - before) / (time.perf_counter() - started)

    async def screenshot(self, path: Path) -> Path:
        shot = await self.send("Page.captureScreenshot", {"format": "png"})
        path.write_bytes(base64.b64decode(shot["data"]))
        return path

    async def close(self) -> None:
        await self.browser.send("Target.closeTarget", {"targetId": self.target})


# --- a tab without a browser ----------------------------------------------------------------------


class Socket:
    """What textual-serve sees of a browser tab: its websocket (keys in, the screen's bytes out).
    For measuring the server with many tabs without a browser drawing each one on this machine."""

    def __init__(self, url: str, size=(142, 40)) -> None:
        self.url = url.replace("http://", "ws://").rstrip("/") + f"/ws?width={size[0]}&height={size[1]}"
        self.size = size
        self.chunks: list[tuple[float, bytes]] = []
        self._http: aiohttp.ClientSession | None = None
        self.ws = None
        self._reader: asyncio.Task | None = None
        self._changed = asyncio.Event()

    async def open(self) -> Socket:
        self.opened = time.perf_counter()
        self._http = aiohttp.ClientSession()
        self.ws = await self._http.ws_connect(self.url, max_msg_size=0)
        await self.ws.send_str(json.dumps(["resize", {"width": self.size[0], "height": self.size[1]}]))
        self._reader = asyncio.create_task(self._read())
        return self

    async def _read(self) -> None:
        async for message in self.ws:
            if message.type == aiohttp.WSMsgType.BINARY:
                self.chunks.append((time.perf_counter(), message.data))
                self._changed.set()

    def output(self, since: float = 0.0) -> bytes:
        return b"".join(d for t, d in self.chunks if t >= since)

    async def wait_for(self, text: str, since: float = 0.0, timeout: float = 30) -> float:
        """Seconds from `since` (default: opening) until `text` has arrived."""
        since = since or self.opened
        needle, deadline = text.encode(), time.perf_counter() + timeout
        while True:
            buffer = b""
            for t, d in self.chunks:
                if t >= since:
                    buffer += d
                    if needle in buffer:
                        return t - since
            remaining = deadline - time.perf_counter()
            if remaining <= 0:
                raise TimeoutError(f"{text!r} did not arrive in {timeout} s")
            self._changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), remaining)

    async def send(self, keys: str) -> float:
        now = time.perf_counter()
        await self.ws.send_str(json.dumps(["stdin", keys]))
        return now

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
        if self._reader is not None:
            self._reader.cancel()
        if self._http is not None:
            await self._http.close()


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process (all its threads) so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
