"""Warm sessions: one parent process imports the engine and the app once, and forks each learner's
app from it, so a session starts at once and shares the parent's memory until it writes to it.

`serve` (browser tabs) and `serve --ssh` start a parent (`python -m tui.warm parent SOCKET`) and run
each session as a small client (`python -m tui.warm client SOCKET -- ARGS`) that imports nothing but
the standard library: it hands its standard input, output and error (a pty, or textual-serve's
pipes), its environment and its directory to the parent over a unix socket, and waits. The parent
forks; the child becomes a session of its own on those descriptors (the pty its controlling
terminal, so a resize reaches it as SIGWINCH), sets the client's environment, and runs
`perceptron-lab ARGS` as a fresh process would; its exit status goes back to the client, which exits
with it. A client that goes away (its tab closed, its learner disconnected, killed) ends its app:
a hangup, then a kill.

What a fork does not carry is taken care of: the parent never runs torch (no thread pool to lose),
has no event loop (each app makes its own), reseeds Python's random state in each child, and reloads
Textual's settings from the child's environment (Textual reads them when imported).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import struct
import sys
import time

KILL_WAIT = 2.0  # seconds an app has after its client left, before it is killed
HEADER = struct.Struct("!I")


# --- the client: standard library only, so that it starts in milliseconds ----------------------


def client(path: str, argv: list[str]) -> int:
    """Run `perceptron-lab argv` in a child of the warm parent at `path`, on this process's standard
    descriptors; return its exit status (1 if the parent is gone)."""
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        conn.connect(path)
    except OSError as error:
        print(f"perceptron-lab: no warm parent at {path}: {error.strerror}", file=sys.stderr)
        return 1
    request = json.dumps({"argv": argv, "env": dict(os.environ), "cwd": os.getcwd()}).encode()
    socket.send_fds(conn, [HEADER.pack(len(request)) + request], [0, 1, 2])
    reply = conn.makefile("r")
    first = reply.readline().split()
    if first[:1] != ["pid"]:
        return 1
    pid = int(first[1])

    def forward(signum, _frame):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signum)

    # SIGWINCH too: where this client's terminal is already another session's (a shell's), the app
    # cannot make it its own, and a resize reaches only this client
    for signum in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT, signal.SIGWINCH):
        signal.signal(signum, forward)
    last = reply.readline().split()
    return int(last[1]) if last[:1] == ["exit"] else 1


# --- the parent --------------------------------------------------------------------------------


def _preload() -> None:
    """Import what every session imports, and settle the heap so that children share it."""
    import gc
    import importlib

    importlib.import_module("core")  # first: it chooses torch's portable kernels, before torch loads
    torch = importlib.import_module("torch")
    torch.set_num_threads(1)  # as the Trainer does; set before any thread pool exists
    importlib.import_module("tui.__main__")  # the commands, the engine, the words
    importlib.import_module("tui.app")  # the app and every panel
    # What a session imports as its engine loads and its first frames are drawn (no kernel runs
    # here): shared by every child instead of imported, and paid for, in each.
    for name in (
        "core.trainer", "core.maps.boundary", "core.maps.boundary_text", "tui.maps.hidden_neurons",
        "textual.drivers.linux_driver", "textual.drivers.web_driver", "textual._xterm_parser",
        "textual.scrollbar", "textual.layouts.horizontal", "textual.layouts.stream",
    ):  # fmt: skip
        importlib.import_module(name)
    from rich.cells import cell_len

    from core.words import say

    cell_len(say("app.plot_epoch", "ko"))  # rich's table of wide characters, loaded on the first Korean word

    gc.collect()
    gc.freeze()  # the collector then leaves the parent's objects (and their pages) alone


def _read_request(conn: socket.socket) -> tuple[dict, list[int]]:
    data, fds, _, _ = socket.recv_fds(conn, 65536, 3)
    if len(data) < HEADER.size:
        raise ValueError("short request")
    (size,) = HEADER.unpack(data[: HEADER.size])
    data = data[HEADER.size :]
    while len(data) < size:
        more = conn.recv(size - len(data))
        if not more:
            raise ValueError("short request")
        data += more
    return json.loads(data), fds


def _child(request: dict, fds: list[int], close: list[int]) -> None:
    """In the forked child: become a fresh session on the client's descriptors and run the app."""
    import fcntl
    import importlib
    import random
    import termios

    try:
        for fd in close:
            os.close(fd)
        signal.set_wakeup_fd(-1)
        for signum in (signal.SIGCHLD, signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, signal.SIG_DFL)
        os.setsid()
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
        for fd in fds:
            if fd > 2:
                os.close(fd)
        if os.isatty(0):
            with contextlib.suppress(OSError):
                fcntl.ioctl(0, termios.TIOCSCTTY, 0)  # the learner's pty: resizes come as SIGWINCH
        os.environ.clear()
        os.environ.update(request["env"])
        from core import numerics

        if numerics.pinned():  # torch reads these at its first kernel, which is the child's, not ours
            os.environ.update(numerics.SETTINGS)
        os.chdir(request["cwd"])
        random.seed()
        import textual.constants

        importlib.reload(textual.constants)  # read from this session's environment
        from tui.__main__ import main

        sys.argv = ["perceptron-lab", *request["argv"]]
        code = main(request["argv"])
    except SystemExit as end:
        code = end.code if isinstance(end.code, int) else (0 if end.code is None else 1)
    except BaseException:
        import traceback

        traceback.print_exc()
        code = 1
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    finally:
        os._exit(code or 0)


def _end_with_the_server() -> None:
    """SIGTERM to this parent when the server that started it ends, even killed outright (Linux):
    its handler then ends every learner's app, so none is left running without a door."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    server = os.getppid()
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    if os.getppid() != server:  # the server ended before the line above
        os.kill(os.getpid(), signal.SIGTERM)


def parent(path: str) -> int:
    """Preload, listen on the unix socket `path`, say "ready" on stdout, and fork a session per client
    until SIGTERM or SIGINT; then end every session."""
    import selectors

    _end_with_the_server()
    _preload()
    if os.path.exists(path):
        os.unlink(path)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    os.chmod(path, 0o600)
    listener.listen(128)
    wake_read, wake_write = socket.socketpair()
    wake_write.setblocking(False)
    signal.set_wakeup_fd(wake_write.fileno())
    stopping = []
    signal.signal(signal.SIGCHLD, lambda *_: None)
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    signal.signal(signal.SIGINT, lambda *_: stopping.append(True))
    selector = selectors.DefaultSelector()
    selector.register(listener, selectors.EVENT_READ, "listen")
    selector.register(wake_read, selectors.EVENT_READ, "wake")
    sessions: dict[int, socket.socket] = {}  # pid -> its client's connection
    kill_at: dict[int, float] = {}  # pid -> when to kill it (its client left)
    print("ready", flush=True)

    def reap() -> None:
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            kill_at.pop(pid, None)
            conn = sessions.pop(pid, None)
            if conn is not None:
                selector.unregister(conn)
                with contextlib.suppress(OSError):
                    conn.sendall(f"exit {os.waitstatus_to_exitcode(status) & 0xFF}\n".encode())
                conn.close()

    def end(pid: int) -> None:
        try:
            os.killpg(pid, signal.SIGHUP)
        except ProcessLookupError:
            return
        kill_at[pid] = time.monotonic() + KILL_WAIT

    while not stopping:
        timeout = max(0.0, min(kill_at.values()) - time.monotonic()) if kill_at else None
        for key, _ in selector.select(timeout):
            if key.data == "listen":
                conn, _ = listener.accept()
                try:
                    request, fds = _read_request(conn)
                except (OSError, ValueError):
                    conn.close()
                    continue
                sys.stdout.flush()
                sys.stderr.flush()
                pid = os.fork()
                if pid == 0:
                    others = [c.fileno() for c in sessions.values()]
                    _child(
                        request,
                        fds,
                        [listener.fileno(), wake_read.fileno(), wake_write.fileno(), conn.fileno(), *others],
                    )
                for fd in fds:
                    os.close(fd)
                sessions[pid] = conn
                selector.register(conn, selectors.EVENT_READ, pid)
                conn.sendall(f"pid {pid}\n".encode())
            elif key.data == "wake":
                wake_read.recv(4096)
                reap()
            else:  # a client's connection: readable only when it has gone
                pid = key.data
                selector.unregister(key.fileobj)
                sessions.pop(pid, None)
                key.fileobj.close()
                end(pid)
        now = time.monotonic()
        for pid, when in list(kill_at.items()):
            if when <= now:
                kill_at.pop(pid)
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(pid, signal.SIGKILL)
        reap()
    for pid in list(sessions):
        end(pid)
    deadline = time.monotonic() + KILL_WAIT
    while kill_at and time.monotonic() < deadline:
        time.sleep(0.05)
        reap()
    for pid in kill_at:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGKILL)
    os.unlink(path)
    return 0


def main(argv: list[str]) -> int:
    if argv[:1] == ["parent"] and len(argv) == 2:
        return parent(argv[1])
    if argv[:1] == ["client"] and len(argv) >= 3 and argv[2] == "--":
        return client(argv[1], argv[3:])
    print("usage: python -m tui.warm parent SOCKET | client SOCKET -- ARGS", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
