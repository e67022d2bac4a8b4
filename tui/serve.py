"""`perceptron-lab serve`: the app in web browsers, with textual-serve. Each browser tab gets its own
app process (`python -m tui` with the app's options); closing the tab ends that process.

A command module (core.cli): its options are the server's and the app's own (tui.launch's, checked
as the app checks them, once here rather than in every tab). Parsing imports neither Textual nor
aiohttp; textual-serve is imported only when serving starts.

Nothing on the page comes from outside this server: textual-serve's page loads its font from a font
CDN, so ours (tui/web/app_index.html) serves the same Roboto Mono from textual-serve's own files.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import ipaddress
import os
import shlex
import socket
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from core.cli import PROG
from core.cli.options import whole
from core.words import say
from tui import launch
from tui.seats import Seats

NAME = "serve"
TITLE = "Perceptron Lab"
TEMPLATES = Path(__file__).resolve().parent / "web"
QUIT_WAIT = 5.0  # seconds an app has to end after its tab closed


def add_arguments(parser, lang: str) -> None:
    o = "cli.serve."
    parser.add_argument("--host", default="127.0.0.1", metavar="ADDRESS", help=say(o + "host", lang))
    parser.add_argument(
        "--port", type=whole("port", 1, 65535, lang), default=None, metavar="PORT", help=say(o + "port", lang)
    )
    parser.add_argument("--cold", action="store_true", help=say(o + "cold", lang))
    parser.add_argument(
        "--max-sessions", type=whole("max-sessions", 1, 10000, lang), default=40, metavar="N",
        help=say(o + "max_sessions", lang),
    )  # fmt: skip
    parser.add_argument(
        "--per-address", type=whole("per-address", 1, 10000, lang), default=None, metavar="N",
        help=say(o + "per_address", lang),
    )  # fmt: skip
    door = parser.add_argument_group(say(o + "ssh_group", lang))
    door.add_argument("--ssh", action="store_true", help=say(o + "ssh", lang))
    door.add_argument("--web", action="store_true", help=say(o + "web", lang))
    door.add_argument(
        "--web-port",
        type=whole("web-port", 1, 65535, lang),
        default=None,
        metavar="PORT",
        help=say(o + "web_port", lang),
    )
    door.add_argument("--password-file", metavar="FILE", help=say(o + "password_file", lang))
    door.add_argument("--authorized-keys", metavar="FILE", help=say(o + "authorized_keys", lang))
    door.add_argument(
        "--idle-timeout", type=whole("idle-timeout", 1, 24 * 60, lang), default=30, metavar="MINUTES",
        help=say(o + "idle_timeout", lang),
    )  # fmt: skip
    parser.set_defaults(app_options=launch.add_app_options(parser, lang, title=o + "app_group"))


def run(args) -> int:
    launch.checked(args)  # a bad --keymap, --theme or --open is one line now, not an error in every tab
    if args.ssh:
        return serve_ssh(args)
    if args.web_port is not None:  # the browser's door alone listens on --port
        return _error(say("serve.web_port_alone", args.lang), args.lang)
    seats = Seats(args.max_sessions, args.per_address or args.max_sessions)
    return serve(args.host, args.port or 8000, app_argv(args), args.lang, warm=not args.cold, seats=seats)


@contextlib.contextmanager
def warm_parent(lang: str, warm: bool = True):
    """The warm parent (tui/warm.py) for the sessions of one server, started and ended with it; yields
    the command prefix that runs a session in it (or a fresh process each, if not `warm` or it could
    not start: one line says so)."""
    cold = [sys.executable, "-m", "tui"]
    if not warm:
        yield cold
        return
    with tempfile.TemporaryDirectory(prefix="perceptron-lab-") as directory:
        path = os.path.join(directory, "warm.sock")
        parent = subprocess.Popen(
            [sys.executable, "-m", "tui.warm", "parent", path], stdout=subprocess.PIPE, start_new_session=True
        )
        ready = parent.stdout.readline().strip() == b"ready"  # after its imports: a few seconds
        if not ready:
            print(f"{PROG} serve: " + say("serve.no_warm", lang), file=sys.stderr)
        try:
            yield [sys.executable, "-m", "tui.warm", "client", path, "--"] if ready else cold
        finally:
            parent.terminate()
            try:
                parent.wait(10)
            except subprocess.TimeoutExpired:
                parent.kill()


def _error(why: str, lang: str) -> int:
    print(f"{PROG} serve: {say('cli.error', lang)}: {why}", file=sys.stderr)
    return 2


def serve_ssh(args) -> int:
    """`serve --ssh`: the SSH door (tui/ssh_door.py), its options checked first, each in one line;
    with --web (or --web-port) the browser's door too, in the same process, with the same seats and
    the same warm parent."""
    from tui import ssh_door

    lang, port = args.lang, args.port or ssh_door.DEFAULT_PORT
    web = args.web or args.web_port is not None
    web_port = args.web_port or 8000
    password = None
    try:
        if args.password_file:
            password = Path(args.password_file).read_text(encoding="utf-8").strip()
            if not password:
                raise ValueError(say("serve.ssh_empty_password", lang, path=args.password_file))
        if args.authorized_keys:
            ssh_door.check_authorized_keys(args.authorized_keys)
    except (OSError, ValueError) as error:
        return _error(error.strerror if isinstance(error, OSError) and error.strerror else str(error), lang)
    if web and web_port == port:
        return _error(say("serve.same_ports", lang, port=port), lang)
    if not is_loopback(args.host):
        print(say("serve.ssh_open_warning", lang, host=args.host, port=port), file=sys.stderr)
        if web:
            print(say("serve.open_warning", lang, host=args.host, port=web_port), file=sys.stderr)
    for each in (port, web_port) if web else (port,):
        problem = port_problem(args.host, each, lang)
        if problem is not None:
            return _error(problem, lang)
    seats = Seats(args.max_sessions, args.per_address or args.max_sessions)  # one count for both doors
    with warm_parent(lang, warm=not args.cold) as command:
        door = ssh_door.Door(
            app_argv(args), lang, seats, idle=args.idle_timeout * 60, password=password,
            authorized_keys=args.authorized_keys, command=[*command, *app_argv(args)],
        )  # fmt: skip
        if not web:
            return ssh_door.serve_ssh(args.host, port, door)
        server = _make_server(args.host, web_port, app_command(app_argv(args), command), lang, seats)
        return _serve_both(args.host, port, door, server, web_port, lang)


def _serve_both(host: str, ssh_port: int, door, server, web_port: int, lang: str) -> int:
    """The SSH door and the browser's in one event loop until ctrl+c (or SIGTERM); then every
    learner's app is ended, on both doors. 2 if a port was taken after it was checked."""
    import asyncio
    import signal

    from aiohttp import web

    from tui import ssh_door

    async def main() -> int:
        stop = asyncio.Event()
        for signum in (signal.SIGINT, signal.SIGTERM):
            asyncio.get_running_loop().add_signal_handler(signum, stop.set)
        server.initialize_logging()
        runner = web.AppRunner(await server._make_app(), handle_signals=False, access_log=None)
        await runner.setup()
        listening = None
        try:  # either port may have been taken between our check and the bind
            try:
                await web.TCPSite(runner, host, web_port).start()
            except OSError as error:
                return _error(_bind_problem(host, web_port, error, lang), lang)
            try:
                listening = await ssh_door.open_door(host, ssh_port, door)
            except OSError as error:
                return _error(_bind_problem(host, ssh_port, error, lang), lang)
            shown = "localhost" if host in ("127.0.0.1", "::1") else host
            door.log("serve.ssh_serving", command=f"ssh -p {ssh_port} you@{shown}")
            await stop.wait()
        finally:
            if listening is not None:
                await ssh_door.close_door(listening, door)
            await runner.cleanup()  # closes every tab, which ends its app
        return 0

    return asyncio.run(main())


def app_argv(args: argparse.Namespace) -> list[str]:
    """The app's options as given (tui.launch's, whatever they are), for every tab's app."""
    argv: list[str] = []
    for action in args.app_options:
        value, option = getattr(args, action.dest), action.option_strings[-1]
        if action.nargs == 0:  # a flag (store_true)
            argv += [option] if value else []
        elif isinstance(value, list):  # given once per value (append)
            for item in value:
                argv += [option, str(item)]
        elif value is not None:
            if action.dest == "open":  # the tabs' apps may not start where the server did
                value = os.path.abspath(value)
            argv += [option, str(value)]
    return argv


def app_command(app_argv: Sequence[str], prefix: Sequence[str] | None = None) -> str:
    """The shell command textual-serve runs for each tab: this interpreter's app, with `app_argv`
    (`prefix`: how a session starts, e.g. in the warm parent)."""
    prefix = prefix or [sys.executable, "-m", "tui"]
    return "exec " + shlex.join([*prefix, *app_argv])  # exec: no shell left waiting


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def port_problem(host: str, port: int, lang: str = "en") -> str | None:
    """Why (host, port) cannot be served, in a few words, or None. Binds as aiohttp will (with
    SO_REUSEADDR, so a port that a server just left is not 'in use')."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as error:
        return say("serve.cannot_resolve", lang, host=host, why=error.strerror)
    for family, kind, proto, _, address in infos:
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(address)
            except OSError as error:
                return _bind_problem(host, port, error, lang)
    return None


def _bind_problem(host: str, port: int, error: OSError, lang: str) -> str:
    key = {
        errno.EADDRINUSE: "serve.port_in_use",
        errno.EACCES: "serve.port_denied",
        errno.EADDRNOTAVAIL: "serve.not_here",
    }.get(error.errno, "serve.cannot_listen")
    return say(key, lang, host=host, port=port, why=error.strerror)


def _make_server(host: str, port: int, command: str, lang: str, seats: Seats):
    """textual-serve's Server, with our page, URLs taken from each request, a line per tab opened
    or closed instead of a log line per request, and every tab's app ended when it stops."""
    import asyncio
    import logging

    import aiohttp_jinja2
    from aiohttp import web
    from textual_serve.app_service import AppService
    from textual_serve.server import Server, to_int

    log = logging.getLogger("textual-serve")

    async def _stop(app_service: AppService) -> None:
        """Ask the tab's app to quit; one that has not ended in QUIT_WAIT seconds is killed, so no
        app outlives its tab (or the server) however it hangs."""
        try:
            await asyncio.wait_for(asyncio.shield(app_service.stop()), QUIT_WAIT)
        except TimeoutError:
            process = app_service._process  # textual-serve keeps it private; there is no other way
            if process is not None and process.returncode is None:
                log.warning(say("serve.app_killed", lang, seconds=QUIT_WAIT))
                process.kill()
            await app_service.stop()

    class LabServer(Server):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self.sockets: set[web.WebSocketResponse] = set()

        def initialize_logging(self) -> None:
            logging.basicConfig(level=logging.WARNING, format=f"{PROG} serve: %(message)s")

        async def on_shutdown(self, app: web.Application) -> None:
            # Open tabs would hold aiohttp's shutdown for a minute: close them, which ends their apps.
            await asyncio.gather(*(socket.close() for socket in list(self.sockets)), return_exceptions=True)

        async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
            # textual-serve 1.1.3's handler, with its sockets kept (for on_shutdown) and counted.
            websocket = web.WebSocketResponse(heartbeat=15)
            width = to_int(request.query.get("width", "80"), 80)
            height = to_int(request.query.get("height", "24"), 24)
            app_service = None
            address = request.remote or "?"
            why = seats.take(address)
            if why is not None:  # the class is full: one line in the tab, and nobody else notices
                await websocket.prepare(request)
                line = say(why, lang, most=seats.most, per_address=seats.per_address)
                await websocket.send_bytes(f"\r\n {line}\r\n".encode())
                await websocket.close()
                print(say("serve.refused", lang, address=address, n=seats.in_use), file=sys.stderr, flush=True)
                return websocket

            seated = [address]

            def leave() -> None:  # once: the tab's seat back, and a line for the teacher
                if seated:
                    seats.give_back(seated.pop())
                if websocket in self.sockets:
                    self.sockets.discard(websocket)
                    print(say("serve.tab_closed", lang, n=len(self.sockets)), file=sys.stderr, flush=True)

            try:
                await websocket.prepare(request)
                self.sockets.add(websocket)
                print(say("serve.tab_opened", lang, n=len(self.sockets)), file=sys.stderr, flush=True)
                app_service = AppService(
                    self.command,
                    write_bytes=websocket.send_bytes,
                    write_str=websocket.send_str,
                    close=websocket.close,
                    download_manager=self.download_manager,
                    debug=self.debug,
                )
                await app_service.start(width, height)
                try:
                    await self._process_messages(websocket, app_service)
                finally:
                    leave()  # a page reloaded finds its seat free while its old app ends
                    await _stop(app_service)
            except asyncio.CancelledError:
                await websocket.close()
            except Exception as error:
                log.exception(error)
            finally:
                leave()
                if app_service is not None:
                    await _stop(app_service)
            return websocket

        # The page's own URLs follow the address the browser used, so a server bound to 0.0.0.0
        # gives a classroom's browsers addresses they can reach (textual-serve would write the
        # bound address, e.g. ws://0.0.0.0:8000/ws, into the page).
        @aiohttp_jinja2.template("app_index.html")
        async def handle_index(self, request: web.Request) -> dict:
            secure = request.secure or request.headers.get("X-Forwarded-Proto") == "https"
            return {
                "font_size": to_int(request.query.get("fontsize", "16"), 16),
                "app_websocket_url": f"{'wss' if secure else 'ws'}://{request.host}/ws",
                "config": {"static": {"url": "/static/"}},
                "application": {"name": TITLE},
                "ended": say("serve.ended", lang),
                "restart": say("serve.restart", lang),
            }

        async def on_startup(self, app: web.Application) -> None:
            shown = "localhost" if host in ("127.0.0.1", "::1") else host
            print(say("serve.serving", lang, url=f"http://{shown}:{port}"), file=sys.stderr, flush=True)

    return LabServer(
        command,
        host=host,
        port=port,
        title=TITLE,
        # textual-serve's own static files (xterm.css, textual.js, the fonts), by absolute path
        statics_path=Path(sys.modules["textual_serve.server"].__file__).parent / "static",
        templates_path=TEMPLATES,
    )


def serve(
    host: str, port: int, app_argv: Sequence[str], lang: str = "en", warm: bool = True, seats: Seats | None = None
) -> int:
    """Serve the app on http://host:port until interrupted; each browser tab runs `perceptron-lab
    *app_argv` in a process of its own. Returns the exit status: 2 if the address cannot be used."""
    if not is_loopback(host):
        print(say("serve.open_warning", lang, host=host, port=port), file=sys.stderr)
    problem = port_problem(host, port, lang)
    if problem is not None:
        print(f"{PROG} serve: {say('cli.error', lang)}: {problem}", file=sys.stderr)
        return 2
    with warm_parent(lang, warm) as prefix:
        server = _make_server(host, port, app_command(app_argv, prefix), lang, seats or Seats())
        try:
            server.serve()
        except OSError as error:  # taken between our check and aiohttp's bind
            print(f"{PROG} serve: {say('cli.error', lang)}: {_bind_problem(host, port, error, lang)}", file=sys.stderr)
            return 2
        except KeyboardInterrupt:
            pass
    return 0
