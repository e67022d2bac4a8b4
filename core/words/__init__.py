"""Every sentence and label the learner sees, in every language: one TOML file a language.

`say("app.paused", "ko")` is the Korean for the key `paused` in the `[app]` table of `ko.toml`,
with `{placeholders}` filled in from keyword arguments (str.format). A key missing from a
language falls back to English, so a new language can be added a file at a time and filled in
gradually; `tests/unit/test_words.py` checks that the shipped ones are complete and agree on their
placeholders.

Why TOML: a translator edits one readable file (multi-line lesson texts, comments, no code), it
needs no build step (gettext's .mo files do), and Python reads it with the standard library.
The engine's logic returns facts (a blow-up's kind, epoch and lr); words turn them into text.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

HERE = Path(__file__).parent
FALLBACK = "en"


@cache
def catalog(lang: str) -> dict[str, str]:
    """The language's words as flat dotted keys ("app.paused" -> "paused")."""
    path = HERE / f"{lang}.toml"
    if not path.is_file():
        raise KeyError(f"no words for language {lang!r}: languages are {', '.join(languages())}")
    with path.open("rb") as file:
        return dict(_flatten(tomllib.load(file)))


def _flatten(table: dict, prefix: str = ""):
    for key, value in table.items():
        if isinstance(value, dict):
            yield from _flatten(value, f"{prefix}{key}.")
        else:
            yield f"{prefix}{key}", value


@cache
def languages() -> tuple[str, ...]:
    """The languages there are words for, English first: ("en", "ko", ...)."""
    found = sorted(path.stem for path in HERE.glob("*.toml"))
    return (FALLBACK, *(lang for lang in found if lang != FALLBACK))


def say(key: str, lang: str, /, **values) -> str:
    """The text for `key` in `lang` (English if that language lacks it), with `values` filled in."""
    words = catalog(lang) if lang in languages() else catalog(FALLBACK)
    text = words.get(key)
    if text is None:
        text = catalog(FALLBACK)[key]  # KeyError: a key no language has is a bug
    return text.format(**values) if values else text


def count(key: str, n: int, lang: str, /, **values) -> str:
    """`key.one` for 1 and `key.other` for any other number, in `lang` (its own forms before English's).

    `n` is passed on as a value too: "{n} epochs".
    """
    own = catalog(lang) if lang in languages() else {}
    form = "one" if n == 1 else "other"
    for key_form in (f"{key}.{form}", f"{key}.other"):
        if key_form in own:
            return own[key_form].format(n=n, **values)
    return say(f"{key}.{form}", FALLBACK, n=n, **values)


def has(key: str, lang: str = FALLBACK) -> bool:
    return key in catalog(lang) or key in catalog(FALLBACK)


def name_of(lang: str) -> str:
    """The language's own name for itself, as its words file gives it (meta.name)."""
    return say("meta.name", lang)


class Phrase:
    """Words to be said later, in a language not known yet: a key and its values. A fact of an
    InputError can be one (it is said in the error's language)."""

    def __init__(self, key: str, /, **values):
        self.key, self.values = key, values

    def message(self, lang: str) -> str:
        return say(self.key, lang, **self.values)

    def __str__(self) -> str:
        return self.message(FALLBACK)
