"""The SSH door (`perceptron-lab serve --ssh`, tui/ssh_door.py), driven by a real OpenSSH client on
a pseudo-terminal, as a learner's terminal would: the app's first frame and a key, a resize, the
seats (a full class is one line, and nobody in it notices), a command or a session with no terminal
refused in one line, garbage on the port, the app ended when the learner leaves, the host key kept.
Password and key logins and the idle timeout use asyncssh's own client, in this process."""

from __future__ import annotations

import asyncio
import fcntl
import os
import re
import select
import shutil
import signal
import socket
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(shutil.which("ssh") is None, reason="no ssh client (.ci/run installs openssh-client)")

SSH_OPTIONS = ["-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """`perceptron-lab serve --ssh` in a process of its own, its data directory in `home`."""

    def __init__(self, home: Path, *options: str, web: bool = False):
        self.port = _free_port()
        self.env = dict(os.environ, XDG_DATA_HOME=str(home), PYTHONUNBUFFERED="1")
        self.log = home / "door.log"
        argv = [sys.executable, "-m", "tui", "serve", "--ssh", "--port", str(self.port), "--lang", "en", *options]
        if web:  # the browsers' door too, in the same server
            self.web_port = _free_port()
            argv += ["--web-port", str(self.web_port)]
        self.process = subprocess.Popen(argv, env=self.env, stderr=self.log.open("wb"), stdout=subprocess.DEVNULL)
        self.wait_for_log("learners run")

    def wait_for_log(self, text: str, timeout: float = 30.0) -> str:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            said = self.log.read_text(errors="replace") if self.log.exists() else ""
            if text in said:
                return said
            assert self.process.poll() is None, said
            time.sleep(0.05)
        raise AssertionError(f"{text!r} not in the server's log: {self.log.read_text()!r}")

    def apps(self) -> list[int]:
        """The pids of the learners' apps this server runs (forked by its warm parent)."""
        from browser import session_apps

        return session_apps(self.process.pid)

    def stop(self) -> None:
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def _take_terminal() -> None:
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class Learner:
    """A real `ssh` client on a pseudo-terminal of `size`, as a learner's terminal runs it."""

    def __init__(self, server: Server, *command: str, size=(100, 30), flags=("-tt",)):
        self.master, slave = os.openpty()
        self.resize(*size, fd=slave)
        argv = ["ssh", *flags, *SSH_OPTIONS, "-p", str(server.port), "learner@127.0.0.1", *command]
        self.process = subprocess.Popen(
            argv, stdin=slave, stdout=slave, stderr=slave, start_new_session=True, preexec_fn=_take_terminal
        )  # its controlling terminal: a resize sends it SIGWINCH, as a terminal window's does
        os.close(slave)
        self.seen = b""

    def resize(self, width: int, height: int, fd: int | None = None) -> None:
        fcntl.ioctl(self.master if fd is None else fd, termios.TIOCSWINSZ, struct.pack("HHHH", height, width, 0, 0))

    def read_until(self, pattern: bytes, timeout: float = 60.0) -> bytes:
        """Everything read until `pattern` (a regex) is in it; AssertionError after `timeout` s."""
        end = time.monotonic() + timeout
        while not re.search(pattern, self.seen):
            left = end - time.monotonic()
            assert left > 0, (pattern, self.seen[-600:])
            ready, _, _ = select.select([self.master], [], [], min(left, 0.5))
            if ready:
                try:
                    chunk = os.read(self.master, 65536)
                except OSError:  # the client ended
                    chunk = b""
                if not chunk:
                    assert re.search(pattern, self.seen), (pattern, self.seen[-600:])
                self.seen += chunk
        return self.seen

    def text(self) -> str:
        return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b[()][A-Z0-9]|\x1b[=>]", "", self.seen.decode(errors="replace"))

    def press(self, keys: bytes) -> None:
        os.write(self.master, keys)

    def wait(self, timeout: float = 30.0) -> int:
        return self.process.wait(timeout)

    def close(self) -> None:  # once, or again: nothing more
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        if self.master is not None:
            os.close(self.master)
            self.master = None


@pytest.fixture
def server(tmp_path):
    servers = []

    def start(*options: str, web: bool = False) -> Server:
        servers.append(Server(tmp_path, *options, web=web))
        return servers[-1]

    yield start
    for each in servers:
        each.stop()


def _wait_until(condition, timeout: float = 30.0) -> None:
    end = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < end, "timed out"
        time.sleep(0.05)


def test_a_learner_gets_the_app_and_its_keys_and_leaving_ends_it(server):
    door = server()
    learner = Learner(door)
    try:
        learner.read_until(rb"Epoch: 0/1000")  # the and lesson's first frame, through ssh
        learner.press(b"n")
        learner.read_until(rb"Epoch: 1/1000")
        assert re.search(rb"\x1b\[29;1H(\x1b\[[0-9;]*m| )*Epoch: 1/1000", learner.seen)  # row 29 of 30
        learner.resize(80, 24)  # the client says so; the app draws its status on row 23 of 24 now
        learner.read_until(rb"\x1b\[23;1H(\x1b\[[0-9;]*m| )*Epoch: 1/1000")
        door.wait_for_log("1 in class")
        assert len(door.apps()) == 1
    finally:
        learner.close()  # the learner's terminal goes away, mid-lesson
    door.wait_for_log("a learner left: 0 in class")
    _wait_until(lambda: door.apps() == [])


def test_the_app_quit_with_q_closes_the_connection(server):
    door = server()
    learner = Learner(door)
    try:
        learner.read_until(rb"Epoch: 0/1000")
        learner.press(b"q")
        assert learner.wait() == 0
    finally:
        learner.close()
    door.wait_for_log("0 in class")


def test_a_full_class_turns_a_newcomer_away_in_one_line_and_nobody_in_it_notices(server):
    door = server("--max-sessions", "1")
    first = Learner(door)
    try:
        first.read_until(rb"Epoch: 0/1000")
        second = Learner(door)
        try:
            second.read_until(rb"The class is full \(1 learners at once\)")
            assert second.wait() == 1
        finally:
            second.close()
        first.press(b"n")
        first.read_until(rb"Epoch: 1/1000")  # still there, still answering
    finally:
        first.close()


def test_a_command_or_no_terminal_is_refused_in_one_line(server):
    door = server()
    for learner in (Learner(door, "ls", "/"), Learner(door, flags=("-T",))):
        try:
            learner.read_until(rb"runs no commands and needs a terminal")
            assert learner.wait() == 1
            assert learner.text().strip().count("\n") == 0, learner.text()
        finally:
            learner.close()
    assert door.apps() == []


def test_garbage_and_a_dropped_handshake_leave_the_door_open(server):
    door = server()
    for payload in (os.urandom(4096), b"SSH-2.0-broken\r\n" + os.urandom(64), b""):
        with socket.create_connection(("127.0.0.1", door.port)) as raw:
            raw.sendall(payload)
    learner = Learner(door)
    try:
        learner.read_until(rb"Epoch: 0/1000")
    finally:
        learner.close()


async def test_both_doors_share_one_count_of_seats(server):
    """`serve --ssh --web`: two tabs and one ssh client fill 3 seats; the next of each is turned away
    in one line, and a seat left on one door is taken from the other."""
    from browser import Socket

    door = server("--max-sessions", "3", web=True)
    url = f"http://127.0.0.1:{door.web_port}/"
    tabs = [await Socket(url, size=(100, 30)).open() for _ in range(2)]
    learners = [Learner(door)]
    try:
        for tab in tabs:
            await tab.wait_for("Epoch: 0/1000", timeout=60)
        await asyncio.to_thread(learners[0].read_until, rb"Epoch: 0/1000")
        assert len(door.apps()) == 3  # from the one warm parent

        learners.append(Learner(door))  # the class is full: for ssh ...
        await asyncio.to_thread(learners[1].read_until, rb"The class is full \(3 learners at once\)")
        assert await asyncio.to_thread(learners[1].wait) == 1
        assert learners[1].text().strip().count("\n") == 0, learners[1].text()
        tabs.append(await Socket(url, size=(100, 30)).open())  # ... and for a browser
        await tabs[2].wait_for("The class is full (3 learners at once)", timeout=60)
        assert tabs[2].output().decode().strip().count("\n") == 0
        since = await tabs[0].send("n")  # nobody in class noticed
        await tabs[0].wait_for("Epoch: 1/1000", since=since, timeout=30)

        learners[0].close()  # a seat left by ssh is taken by a tab
        door.wait_for_log("a learner left: 2 in class")
        tabs.append(await Socket(url, size=(100, 30)).open())
        await tabs[3].wait_for("Epoch: 0/1000", timeout=60)
        await tabs[1].close()  # and a seat left by a tab is taken by ssh
        await asyncio.to_thread(door.wait_for_log, "a tab closed")
        learners.append(Learner(door))
        await asyncio.to_thread(learners[2].read_until, rb"Epoch: 0/1000")
        learners[2].press(b"n")
        await asyncio.to_thread(learners[2].read_until, rb"Epoch: 1/1000")
        apps = door.apps()
        assert len(apps) == 3
        await asyncio.to_thread(door.stop)  # ctrl+c ends both doors and every app on either
        assert door.process.returncode == 0
        assert not any(Path(f"/proc/{pid}").exists() for pid in apps)
    finally:
        for tab in tabs:
            await tab.close()
        for learner in learners:
            learner.close()


@pytest.mark.parametrize("case", ["same port", "web port taken", "web port alone"])
def test_both_doors_bad_ports_are_one_line_and_exit_2(tmp_path, case):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        busy, port = taken.getsockname()[1], _free_port()
        options = {
            "same port": ["--ssh", "--web", "--port", str(port), "--web-port", str(port)],
            "web port taken": ["--ssh", "--port", str(port), "--web-port", str(busy)],
            "web port alone": ["--web-port", str(port)],
        }[case]
        out = subprocess.run(
            [sys.executable, "-m", "tui", "serve", "--lang", "en", *options],
            capture_output=True, text=True, timeout=60, env=dict(os.environ, XDG_DATA_HOME=str(tmp_path)),
        )  # fmt: skip
    assert out.returncode == 2 and out.stderr.count("\n") == 1, out.stderr
    assert out.stderr.startswith("perceptron-lab serve: error: "), out.stderr
    said = {"same port": "are both", "web port taken": f"port {busy} on 127.0.0.1 is in use", "web port alone": "--ssh"}
    assert said[case] in out.stderr, out.stderr


def test_the_host_key_is_made_once_and_kept(server, tmp_path):
    first = server()
    key = tmp_path / "perceptron-lab" / "ssh_host_ed25519_key"
    made = key.read_bytes()
    assert key.stat().st_mode & 0o777 == 0o600
    first.stop()
    server()
    assert key.read_bytes() == made


def _client_options(**kwargs):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import asyncssh
    return asyncssh, dict(known_hosts=None, username="learner", **kwargs)


async def _open_door(tmp_path, monkeypatch, **door_options):
    from tui import ssh_door

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    door = ssh_door.Door(["--lesson", "and", "--lang", "en"], **door_options)
    port = _free_port()
    return door, port, await ssh_door.open_door("127.0.0.1", port, door)


async def test_a_class_password_lets_in_only_who_knows_it(tmp_path, monkeypatch):
    asyncssh, options = _client_options()
    _, port, listening = await _open_door(tmp_path, monkeypatch, password="perceptron 1957")
    try:
        with pytest.raises(asyncssh.PermissionDenied):
            await asyncssh.connect("127.0.0.1", port, password="wrong", **options)
        async with asyncssh.connect("127.0.0.1", port, password="perceptron 1957", **options) as conn:
            result = await conn.run("ls")  # in, and still no command
            assert "runs no commands" in result.stdout and result.exit_status == 1
    finally:
        listening.close()


async def test_only_allowed_keys_get_in(tmp_path, monkeypatch):
    asyncssh, options = _client_options()
    allowed, other = asyncssh.generate_private_key("ssh-ed25519"), asyncssh.generate_private_key("ssh-ed25519")
    keys = tmp_path / "authorized_keys"
    keys.write_bytes(allowed.export_public_key())
    _, port, listening = await _open_door(tmp_path, monkeypatch, authorized_keys=str(keys))
    try:
        with pytest.raises(asyncssh.PermissionDenied):
            await asyncssh.connect("127.0.0.1", port, client_keys=[other], **options)
        async with asyncssh.connect("127.0.0.1", port, client_keys=[allowed], **options) as conn:
            assert (await conn.run("ls")).exit_status == 1
    finally:
        listening.close()


async def test_an_idle_session_is_closed_with_a_line_saying_why(tmp_path, monkeypatch):
    asyncssh, options = _client_options()
    door, port, listening = await _open_door(tmp_path, monkeypatch, idle=1.0)
    try:
        async with asyncssh.connect("127.0.0.1", port, **options) as conn:
            process = await conn.create_process(term_type="xterm-256color", term_size=(80, 24), encoding=None)
            seen = b""
            while b"without a key" not in seen:
                chunk = await asyncio.wait_for(process.stdout.read(65536), 60)
                assert chunk, seen[-300:]
                seen += chunk
            await asyncio.wait_for(process.wait_closed(), 30)
        assert door.seats.in_use == 0 and not door.sessions
    finally:
        listening.close()


@pytest.mark.parametrize("option", ["--password-file", "--authorized-keys"])
def test_a_bad_password_or_keys_file_is_one_line(tmp_path, option):
    empty, broken = tmp_path / "empty", tmp_path / "broken"
    empty.write_text("\n")
    broken.write_text("ssh-ed25519 not-a-key\n")
    for path in (tmp_path / "missing", empty if option == "--password-file" else broken):
        out = subprocess.run(
            [sys.executable, "-m", "tui", "serve", "--ssh", "--port", str(_free_port()), option, str(path)],
            capture_output=True, text=True, timeout=60, env=dict(os.environ, XDG_DATA_HOME=str(tmp_path)),
        )  # fmt: skip
        assert out.returncode == 2 and out.stderr.count("\n") == 1 and "Traceback" not in out.stderr, out.stderr


# A stand-in for the app where the door's own behaviour is tested under load: it says "ready", then
# echoes each key back as "key:<byte>" (and its terminal's size after a resize); "x" makes it crash.
STAND_IN = r"""
import os, signal, sys, termios, tty, fcntl, struct
tty.setraw(0)
def size(*_):
    rows, cols, _, _ = struct.unpack("HHHH", fcntl.ioctl(0, termios.TIOCGWINSZ, b"\0" * 8))
    os.write(1, f"size:{cols}x{rows}\r\n".encode())
signal.signal(signal.SIGWINCH, size)
os.write(1, b"ready\r\n")
while True:
    key = os.read(0, 1)
    if not key or key == b"q":
        sys.exit(0)
    if key == b"x":
        sys.exit(3)
    os.write(1, b"key:" + key + b"\r\n")
"""


async def _learner(asyncssh, port, options, size=(80, 24)):
    conn = await asyncssh.connect("127.0.0.1", port, **options)
    process = await conn.create_process(term_type="xterm", term_size=size, encoding=None)
    return conn, process


async def _read_until(process, text: bytes, timeout: float = 60.0) -> bytes:
    seen = b""
    while text not in seen:
        chunk = await asyncio.wait_for(process.stdout.read(65536), timeout)
        assert chunk, seen[-300:]
        seen += chunk
    return seen


async def test_sixty_at_once_forty_seated_the_rest_one_line_each(tmp_path, monkeypatch):
    asyncssh, options = _client_options()
    door, port, listening = await _open_door(tmp_path, monkeypatch, command=[sys.executable, "-c", STAND_IN])
    try:
        learners = await asyncio.gather(*(_learner(asyncssh, port, options) for _ in range(60)))
        said = await asyncio.gather(
            *(asyncio.wait_for(process.stdout.read(4096), 60) for _, process in learners), return_exceptions=True
        )
        seated = [i for i, text in enumerate(said) if isinstance(text, bytes) and b"ready" in text]
        full = [i for i, text in enumerate(said) if isinstance(text, bytes) and b"The class is full" in text]
        assert len(seated) == 40 and len(full) == 20, said
        assert all(said[i].decode().strip().count("\n") == 0 for i in full)
        for i in seated[:5]:  # those in class notice nothing
            learners[i][1].stdin.write(b"k")
            await _read_until(learners[i][1], b"key:k")
        for conn, _ in learners:
            conn.close()
        for conn, _ in learners:
            await conn.wait_closed()
        for _ in range(200):
            if door.seats.in_use == 0:
                break
            await asyncio.sleep(0.05)
        assert door.seats.in_use == 0 and not door.sessions
    finally:
        listening.close()


async def test_a_crash_is_one_line_for_that_learner_and_nothing_for_the_others(tmp_path, monkeypatch):
    asyncssh, options = _client_options()
    door, port, listening = await _open_door(tmp_path, monkeypatch, command=[sys.executable, "-c", STAND_IN])
    try:
        (conn_a, a), (conn_b, b) = [await _learner(asyncssh, port, options) for _ in range(2)]
        await _read_until(a, b"ready")
        await _read_until(b, b"ready")
        a.stdin.write(b"x")  # a's app crashes
        assert b"The app stopped with an error" in await _read_until(a, b"error")
        await asyncio.wait_for(a.wait_closed(), 30)
        assert a.exit_status == 1
        b.stdin.write(b"k")
        await _read_until(b, b"key:k")
        assert door.seats.in_use == 1
        conn_a.close()
        conn_b.close()
    finally:
        listening.close()


async def test_a_storm_of_window_changes_ends_at_the_last_size(tmp_path, monkeypatch):
    asyncssh, options = _client_options()
    _, port, listening = await _open_door(tmp_path, monkeypatch, command=[sys.executable, "-c", STAND_IN])
    try:
        conn, process = await _learner(asyncssh, port, options)
        await _read_until(process, b"ready")
        for i in range(300):
            process.change_terminal_size(20 + i % 200, 6 + i % 90)
        process.change_terminal_size(123, 45)
        await _read_until(process, b"size:123x45")
        process.stdin.write(b"k")
        await _read_until(process, b"key:k")
        conn.close()
    finally:
        listening.close()
