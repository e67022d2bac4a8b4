"""Which language to speak: Korean or English, from the command line or the locale."""

from __future__ import annotations

import os

LANGS = ("ko", "en")


def default_lang(environ=os.environ) -> str:
    """ "ko" if the locale (LC_ALL, LC_MESSAGES, LANG, in that order) is Korean, else "en"."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(var)
        if value:
            return "ko" if value.lower().startswith("ko") else "en"
    return "en"
