"""Which language to speak: from the command line, else the locale, else English."""

from __future__ import annotations

import os

from core.words import FALLBACK, languages

LANGS = languages()  # ("en", "ko"): one per words file in core/words/


def default_lang(environ=os.environ) -> str:
    """The language of the locale (LC_ALL, LC_MESSAGES, LANG, in that order) if there are words for it."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(var)
        if value:
            code = value.split("_")[0].split(".")[0].lower()
            return code if code in LANGS else FALLBACK
    return FALLBACK


def next_lang(lang: str) -> str:
    """The language after `lang`, round the list: what the app's language key switches to."""
    return LANGS[(LANGS.index(lang) + 1) % len(LANGS)] if lang in LANGS else FALLBACK
