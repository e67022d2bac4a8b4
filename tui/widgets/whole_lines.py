"""Styled text wrapped where a learner's eye expects a break: core.mathtext.wrap's rules (never
between an equation's sides, nor between a name and its value) with the styles kept, and later
lines indented as the first (rich's own wrap starts them a column left of a " "-led first line)."""

from __future__ import annotations

from rich.text import Text

from core.mathtext import wrap


def wrapped(text: Text, width: int | None, indent: str = " ") -> Text:
    """`text` (one paragraph) broken into lines of at most `width` cells, later lines led by
    `indent`; as it is if it fits or `width` is None."""
    plain = text.plain
    if width is None:
        return text
    rows = wrap(plain, max(1, width), indent)
    if len(rows) == 1:
        return text
    out = Text()
    pos = 0
    for k, row in enumerate(rows):
        words = row.split()
        if not words:
            continue
        start = end = plain.index(words[0], pos)
        for word in words:
            end = plain.index(word, end) + len(word)
        out.append(row[: len(row) - len(row.lstrip(" "))])
        out.append_text(text[start:end])
        if k < len(rows) - 1:
            out.append("\n")
        pos = end
    return out
