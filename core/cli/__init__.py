"""The command line's one shape: `perceptron-lab [COMMAND] [options]`.

A command is a module with `NAME` (None for what runs with no COMMAND: the app), `add_arguments
(parser, lang)` and `run(args) -> int`; its help texts are words under `[cli.<NAME>]`. The
program's entry point lists its commands once and hands them to `main`. Parsing imports only the
command modules, which import neither torch nor a UI package: a command loads what it needs in
`run`, so `perceptron-lab train` starts without Textual and `--help` without torch.

Every bad value is one line on stderr naming the option and what it accepts, exit status 2.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Sequence
from types import ModuleType

from core.lang import LANGS, default_lang
from core.version import PROG, version
from core.words import say


class Parser(argparse.ArgumentParser):
    """argparse, but an error is one line (what is wrong and what is allowed), exit status 2, and
    its headings in the learner's language."""

    def __init__(self, *args, lang: str = "en", **kwargs):
        super().__init__(*args, add_help=False, **kwargs)
        self.lang = lang
        self._positionals.title = say("cli.arguments", lang)
        self._optionals.title = say("cli.options", lang)
        self.add_argument("-h", "--help", action="help", help=say("cli.help", lang))

    def format_usage(self) -> str:
        return super().format_usage().replace("usage: ", say("cli.usage", self.lang) + " ", 1)

    def format_help(self) -> str:
        return super().format_help().replace("usage: ", say("cli.usage", self.lang) + " ", 1)

    def error(self, message: str):
        chosen = re.match(r"argument COMMAND: invalid choice: '([^']*)'", message)
        if chosen and _is_lesson(chosen[1]):  # `perceptron-lab xor`: the app on that lesson was meant
            message = say("cli.lesson_not_command", self.lang, prog=self.prog, lesson=chosen[1])
        elif message.startswith("argument "):  # argparse's own word for an option
            message = say("cli.argument", self.lang) + message[len("argument") :]
        self.exit(2, f"{self.prog}: {say('cli.error', self.lang)}: {message}\n")


def requested_lang(argv: Sequence[str]) -> str:
    """The language asked for with --lang (looked for before parsing, for the help texts), else the locale's."""
    for i, arg in enumerate(argv):
        value = arg.split("=", 1)[1] if arg.startswith("--lang=") else None
        if arg == "--lang" and i + 1 < len(argv):
            value = argv[i + 1]
        if value in LANGS:
            return value
    return default_lang()


class VersionAction(argparse.Action):
    """--version, its version looked up only when asked (argparse's own wants it at every start)."""

    def __init__(self, option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS, help=None):
        super().__init__(option_strings, dest, nargs=0, default=default, help=help)

    def __call__(self, parser, namespace, values, option_string=None):
        print(f"{PROG} {version()}")  # on stdout, as argparse's own --version
        parser.exit()


def build_parser(commands: Sequence[ModuleType], lang: str) -> Parser:
    """The top-level parser with a sub-command per module (the NAME None module's options at the top)."""
    parser = Parser(
        prog=PROG,
        lang=lang,
        description=say("cli.description", lang),
        epilog=say("cli.epilog", lang, prog=PROG),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action=VersionAction, help=say("cli.version", lang))
    parser.set_defaults(parser=parser, command=None, run=None)
    sub = parser.add_subparsers(metavar="COMMAND", parser_class=Parser, title=say("cli.commands", lang))
    for module in commands:
        if module.NAME is None:
            module.add_arguments(parser, lang)
            parser.set_defaults(run=module.run)
            continue
        key = f"cli.{module.NAME}"
        command = sub.add_parser(
            module.NAME,
            lang=lang,
            help=say(f"{key}.help", lang),
            description=say(f"{key}.description", lang, prog=PROG),
            epilog=say(f"{key}.epilog", lang, prog=PROG) if _has(f"{key}.epilog") else None,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        command.set_defaults(parser=command, command=module.NAME, run=module.run)
        module.add_arguments(command, lang)
    return parser


def _is_lesson(name: str) -> bool:
    from core.lessons import LESSONS

    return name in LESSONS


def _has(key: str) -> bool:
    from core.words import has

    return has(key)


def main(commands: Sequence[ModuleType], argv: Sequence[str] | None = None) -> int:
    """Parse `argv` and run the command it names; returns the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    lang = requested_lang(argv)
    parser = build_parser(commands, lang)
    args = parser.parse_args(argv)
    args.lang = getattr(args, "lang", None) or lang
    if args.run is None:
        parser.print_help()
        return 0
    try:
        return args.run(args)
    except KeyboardInterrupt:
        print(f"{PROG}: {say('cli.interrupted', args.lang)}", file=sys.stderr)
        return 130
    except BrokenPipeError:  # piped into `head`: stop quietly, as the Python docs advise
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
