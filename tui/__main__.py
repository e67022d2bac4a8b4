"""`perceptron-lab` and `python -m tui`: the app with no command, a headless command with one.

The one list of commands: a new command is a module (see core.cli) added here.
"""

from __future__ import annotations

import sys

from core.cli import course, datasets, explain, export, lessons, sweep, train
from core.cli import main as cli_main
from tui import launch, serve

COMMANDS = (launch, lessons, datasets, train, explain, export, sweep, course, serve)
export.render_svg = launch.render_svg  # the svg export draws the app's screen: core never imports the app


def main(argv: list[str] | None = None) -> int:
    return cli_main(COMMANDS, argv)


if __name__ == "__main__":
    sys.exit(main())
