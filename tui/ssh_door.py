"""`perceptron-lab serve --ssh`: the app over SSH (asyncssh), with no account and no shell.

A learner runs `ssh -p 2222 anyname@host` and gets the app on a pseudo-terminal of their terminal's
size, following its resizes. Nothing else is offered: a command (`ssh host ls`), a subsystem (sftp,
scp), X11, agent and port forwarding are refused. The door keeps seats: sessions at once and per
address, past which a newcomer reads one line and nobody already in notices; a session left idle is
closed with a line saying why; disconnecting ends that learner's app at once.

Each session's app is its own process (`python -m tui` with the app's options), as each browser tab
is: one learner's crash is theirs alone. The host key is made once and kept in the user's data
directory, so learners' clients know the server from one class to the next.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import hmac
import os
import signal
import struct
import sys
import termios
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from core.cli import PROG
from core.files.files import atomic_write
from core.words import say
from tui.seats import Seats

DEFAULT_PORT = 2222
DEFAULT_IDLE = 30 * 60  # seconds
END_WAIT = 2.0  # seconds an app has after its learner left, before it is killed
SIZE = (80, 24)  # a client that sends no size (ssh -tt from a pipe) gets this


def data_dir() -> Path:
    """The user's data directory for Perceptron Lab (XDG_DATA_HOME, else ~/.local/share)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "perceptron-lab"


def _asyncssh():
    # asyncssh's own imports still name DSA, which the cryptography package warns about on import
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import asyncssh
    return asyncssh


def host_key(path: Path | None = None):
    """The server's host key: read from the data directory, or made once (ed25519) and kept there."""
    asyncssh = _asyncssh()
    path = path or data_dir() / "ssh_host_ed25519_key"
    if path.exists():
        return asyncssh.read_private_key(str(path))
    key = asyncssh.generate_private_key("ssh-ed25519")
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, key.export_private_key())
    os.chmod(path, 0o600)
    return key


def check_authorized_keys(path: str) -> None:
    """ValueError in one line if `path` is not a file of public keys asyncssh can read."""
    asyncssh = _asyncssh()
    try:
        asyncssh.read_authorized_keys(path)
    except (asyncssh.KeyImportError, ValueError) as error:
        raise ValueError(f"{path}: {error}") from None


@dataclass
class Door:
    """What every session of one server shares: the app's command, the seats, the rules."""

    app_argv: list[str]
    lang: str = "en"
    seats: Seats = field(default_factory=Seats)
    idle: float = DEFAULT_IDLE
    password: str | None = None
    authorized_keys: str | None = None
    sessions: set = field(default_factory=set)
    command: list[str] | None = None  # what each session runs: the app, unless a test says otherwise

    def argv(self) -> list[str]:
        return self.command or [sys.executable, "-m", "tui", *self.app_argv]

    def log(self, key: str, **values) -> None:
        print(f"{PROG} serve: " + say(key, self.lang, **values), file=sys.stderr, flush=True)


def _set_size(fd: int, width: int, height: int) -> None:
    width, height = (width, height) if width > 0 and height > 0 else SIZE
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", height, width, 0, 0))


def _take_terminal() -> None:  # in the app's process, before exec: the pty is its terminal
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


def make_session_class():
    asyncssh = _asyncssh()

    class AppSession(asyncssh.SSHServerSession):
        """One learner: their app on a pseudo-terminal, its bytes to them, theirs to it."""

        def __init__(self, door: Door, address: str):
            self.door, self.address = door, address
            self.chan = None
            self.term: str | None = None
            self.command: str | None = None
            self.size = SIZE
            self.master: int | None = None
            self.process: asyncio.subprocess.Process | None = None
            self.seated = False
            self.ended = False
            self.last_input = time.monotonic()
            self.tasks: list[asyncio.Task] = []
            self.stopping: asyncio.Task | None = None  # the app's end, once the learner has left

        def connection_made(self, chan) -> None:
            self.chan = chan

        def pty_requested(self, term_type, term_size, term_modes) -> bool:
            self.term, self.size = term_type, (term_size[0], term_size[1])
            return True

        def shell_requested(self) -> bool:
            return True

        def exec_requested(self, command) -> bool:
            self.command = command  # the app only: the session says so in a line, and ends
            return True

        def subsystem_requested(self, subsystem) -> bool:
            return False  # no sftp, no scp

        def session_started(self) -> None:
            self.tasks.append(asyncio.ensure_future(self._start()))

        def _refuse(self, key: str, **values) -> None:
            self.chan.write((say(key, self.door.lang, **values) + "\r\n").encode())
            self.chan.exit(1)

        async def _start(self) -> None:
            if self.command is not None or self.term is None:
                self._refuse("serve.ssh_needs_terminal", port=self.chan.get_extra_info("sockname")[1])
                return
            why = self.door.seats.take(self.address)
            if why is not None:
                self.door.log("serve.refused", address=self.address, n=self.door.seats.in_use)
                self._refuse(why, most=self.door.seats.most, per_address=self.door.seats.per_address)
                return
            self.seated = True
            self.door.sessions.add(self)
            self.door.log("serve.ssh_opened", n=self.door.seats.in_use)
            master, slave = os.openpty()
            _set_size(slave, *self.size)
            # COLUMNS and LINES would win over the pty's size (Python's get_terminal_size reads them
            # first): a server started from a shell that set them gave every learner that size.
            env = {
                k: v
                for k, v in os.environ.items()
                if not k.startswith(("SSH_", "TEXTUAL_")) and k not in ("COLUMNS", "LINES")
            }
            env.update(TERM=self.term or "xterm-256color")
            try:
                self.process = await asyncio.create_subprocess_exec(
                    *self.door.argv(),
                    stdin=slave, stdout=slave, stderr=slave, env=env,
                    start_new_session=True, preexec_fn=_take_terminal,
                )  # fmt: skip
            finally:
                os.close(slave)
            self.master = master
            os.set_blocking(master, False)
            asyncio.get_running_loop().add_reader(master, self._from_app)
            self.tasks.append(asyncio.ensure_future(self._watch()))

        def _from_app(self) -> None:
            try:
                data = os.read(self.master, 65536)
            except (BlockingIOError, InterruptedError):
                return
            except OSError:  # EIO: the app has closed its terminal
                data = b""
            if data:
                self.chan.write(data)
            else:
                asyncio.get_running_loop().remove_reader(self.master)

        async def _watch(self) -> None:
            """The app's end (the learner quit, or it crashed), and the idle timeout."""
            step = min(5.0, self.door.idle / 4)
            while not self.ended:
                try:
                    code = await asyncio.wait_for(asyncio.shield(self.process.wait()), step)
                except TimeoutError:
                    if time.monotonic() - self.last_input > self.door.idle:
                        minutes = self.door.idle / 60
                        self.chan.write(
                            ("\r\n" + say("serve.ssh_idle", self.door.lang, minutes=minutes) + "\r\n").encode()
                        )
                        self.end()
                        self.chan.exit(0)
                    continue
                await asyncio.sleep(0.05)  # its last bytes, still in the pty
                if self.master is not None:
                    self._from_app()
                if code != 0:
                    self.chan.write(("\r\n" + say("serve.ssh_app_crashed", self.door.lang) + "\r\n").encode())
                self.end()
                self.chan.exit(0 if code == 0 else 1)
                return

        def data_received(self, data, datatype) -> None:
            self.last_input = time.monotonic()
            if self.master is not None and not self.ended:
                with contextlib.suppress(OSError):  # the app is ending
                    os.write(self.master, data)

        def terminal_size_changed(self, width, height, pixwidth, pixheight) -> None:
            self.size = (width, height)
            if self.master is not None and not self.ended:
                _set_size(self.master, width, height)

        def break_received(self, msec) -> bool:
            return False

        def eof_received(self) -> bool:
            self.end()
            return False

        def connection_lost(self, exc) -> None:
            self.end()

        def end(self) -> None:
            """The learner left or the app ended: end the app, give the seat back. Once."""
            if self.ended:
                return
            self.ended = True
            if self.master is not None:
                loop = asyncio.get_event_loop()
                loop.remove_reader(self.master)
                os.close(self.master)
                self.master = None
            if self.process is not None and self.process.returncode is None:
                self.stopping = asyncio.ensure_future(_stop(self.process))
                self.tasks.append(self.stopping)
            if self.seated:
                self.door.seats.give_back(self.address)
                self.door.sessions.discard(self)
                self.door.log("serve.ssh_closed", n=self.door.seats.in_use)

    return AppSession


async def _stop(process: asyncio.subprocess.Process) -> None:
    """End an app whose learner left: a hangup, as a closed terminal gives, then a kill."""
    try:
        os.killpg(process.pid, signal.SIGHUP)
    except ProcessLookupError:
        return
    try:
        await asyncio.wait_for(process.wait(), END_WAIT)
    except TimeoutError:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        await process.wait()


def make_server_class(door: Door):
    asyncssh = _asyncssh()
    Session = make_session_class()

    class LabServer(asyncssh.SSHServer):
        def connection_made(self, conn) -> None:
            self.conn = conn
            peer = conn.get_extra_info("peername")
            self.address = peer[0] if peer else "?"

        def begin_auth(self, username: str) -> bool:
            if door.authorized_keys:
                self.conn.set_authorized_keys(door.authorized_keys)
            return bool(door.password or door.authorized_keys)  # False: no login asked

        def password_auth_supported(self) -> bool:
            return door.password is not None

        def validate_password(self, username: str, password: str) -> bool:
            return hmac.compare_digest(password.encode(), door.password.encode())

        def public_key_auth_supported(self) -> bool:
            return door.authorized_keys is not None

        def session_requested(self):
            return Session(door, self.address)

        # Forwarding of any kind is refused: asyncssh's defaults say no, and so do we, explicitly.
        def connection_requested(self, dest_host, dest_port, orig_host, orig_port) -> bool:
            return False

        def server_requested(self, listen_host, listen_port) -> bool:
            return False

    return LabServer


async def open_door(host: str, port: int, door: Door, key=None):
    """Listen for learners on host:port; returns asyncssh's server (close() it to stop)."""
    asyncssh = _asyncssh()
    return await asyncssh.create_server(
        make_server_class(door),
        host,
        port,
        server_host_keys=[key or host_key()],
        encoding=None,
        x11_forwarding=False,
        agent_forwarding=False,
        allow_scp=False,
        line_editor=False,
        keepalive_interval=60,
        login_timeout=30,
    )


async def close_door(server, door: Door) -> None:
    """Stop listening, and end every learner's app (a hangup, then a kill) before returning."""
    server.close()
    sessions = list(door.sessions)
    for session in sessions:
        session.end()
    await asyncio.gather(*(s.stopping for s in sessions if s.stopping is not None), return_exceptions=True)


def serve_ssh(host: str, port: int, door: Door) -> int:
    """Serve the app by SSH until interrupted; 0, or 2 if the door cannot open."""

    async def main() -> None:
        server = await open_door(host, port, door)
        shown = "localhost" if host in ("127.0.0.1", "::1") else host
        door.log("serve.ssh_serving", command=f"ssh -p {port} you@{shown}")
        try:
            await server.wait_closed()
        finally:
            await close_door(server, door)

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(main())
    return 0
