"""The program's name and the installed versions it reports: for `--version` and a session file's "saved_by".

The lookups (importlib.metadata, ~35 ms) are made only when asked, never at start.
"""

from __future__ import annotations

PROG = "perceptron-lab"


def version() -> str:
    """This program's installed version, or "unknown" when run from a checkout never installed."""
    return _installed(PROG, "unknown")


def torch_version() -> str:
    """The installed torch's version, read without loading torch; "?" if it cannot be found."""
    return _installed("torch", "?")


def _installed(package: str, missing: str) -> str:
    from importlib import metadata  # only when asked: the lookup is not part of every start

    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return missing
