"""`perceptron-lab` and `python -m tui`: the app with no command, the headless CLI with one, and
`serve`: the app in web browsers."""

from __future__ import annotations

import argparse
import os
import sys


def add_app_options(parser: argparse.ArgumentParser, title: str = "the app (no COMMAND)") -> None:
    """The options of the interactive app, on the top-level command and on `serve`."""
    from core.cli import _choice, _lesson_id, _whole
    from core.config import MAX_EPOCHS
    from core.lang import LANGS

    group = parser.add_argument_group(title)
    group.add_argument("--lesson", type=_lesson_id, default="and", metavar="LESSON", help="open this lesson (default: and)")
    group.add_argument("--epochs", type=_whole(1, MAX_EPOCHS), default=None, metavar="N", help="train to epoch N (default: the lesson's)")
    group.add_argument("--lang", type=_choice("language", LANGS), default=None, help="ko or en (default: from the locale)")
    group.add_argument("--theme", default=None, metavar="NAME", help="a Textual theme, e.g. textual-dark, nord, gruvbox")
    group.add_argument("--no-mouse", action="store_true", help="ignore the mouse (keys do everything)")
    group.add_argument("--keymap", action="append", default=[], metavar="ID=KEY", help="remap a key, e.g. --keymap step=j (ids: see ? in the app)")


def checked_keymap(args: argparse.Namespace, parser: argparse.ArgumentParser) -> dict[str, str]:
    """--keymap as {id: keys}, and --theme checked: a bad one is one line and exit status 2.
    Textual is imported only to check what was given (`serve` runs no app itself)."""
    keymap: dict[str, str] = {}
    if args.keymap:
        from tui.keys import KEYS

        ids = [binding_id for _, _, binding_id, _, _ in KEYS]
    for item in args.keymap:
        binding_id, _, keys = item.partition("=")
        if binding_id not in ids or not keys.strip():
            parser.error(f"--keymap wants ID=KEY with ID one of {', '.join(ids)}, not {item!r}")
        keymap[binding_id] = keys.strip()
    if args.theme is not None:
        from textual.theme import BUILTIN_THEMES

        if args.theme not in BUILTIN_THEMES:
            parser.error(f"unknown theme {args.theme!r}: choose from {', '.join(sorted(BUILTIN_THEMES))}")
    return keymap


def app_argv(args: argparse.Namespace) -> list[str]:
    """The app's options as given, for the app process of each browser tab."""
    argv = ["--lesson", args.lesson]
    for option, value in (("--epochs", args.epochs), ("--lang", args.lang), ("--theme", args.theme)):
        if value is not None:
            argv += [option, str(value)]
    if args.no_mouse:
        argv.append("--no-mouse")
    for item in args.keymap:
        argv += ["--keymap", item]
    return argv


def serve(args: argparse.Namespace) -> int:
    from core.lang import default_lang
    from tui.serve import serve as serve_app

    checked_keymap(args, args.command_parser)  # once here, not in every tab
    return serve_app(args.host, args.port, app_argv(args), lang=args.lang or default_lang())


def launch(args: argparse.Namespace) -> int:
    from core.lang import default_lang
    from tui.app import make_app

    keymap = checked_keymap(args, args.top_parser)
    app = make_app(args.lesson, args.lang or default_lang(), args.theme, keymap, epochs=args.epochs)
    app.run(mouse=not args.no_mouse)
    # The terminal is restored by now. Tearing down torch's modules at interpreter exit takes
    # ~0.6 s and there is nothing left to save, so leave at once.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(app.return_code or 0)


def main(argv: list[str] | None = None) -> int:
    from core.cli import main as cli_main

    return cli_main(sys.argv[1:] if argv is None else argv, launch_app=launch, app_options=add_app_options, serve_app=serve)


if __name__ == "__main__":
    sys.exit(main())
