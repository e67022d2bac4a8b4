"""`perceptron-lab` and `python -m tui`: the command line. The Textual app arrives with its own issue."""

from __future__ import annotations

import sys


def main() -> int:
    from core.cli import main as cli_main

    return cli_main(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
