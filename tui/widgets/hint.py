"""A key hint ("enter: save · esc: cancel · →: complete") that drops its last parts rather than cut
one mid-phrase when its room is short: a hint is a nudge (the footer and help have every key)."""

from __future__ import annotations

from rich.cells import cell_len
from textual.widgets import Static


def fitting(hint: str, room: int | None) -> str:
    """As many of the hint's " · " parts as fit in `room` cells (at least the first): a hint is a
    nudge (the footer has every key), and one cut mid-phrase onto a line of its own reads badly."""
    parts = hint.split(" · ")
    if room is None:
        return hint
    shown = parts[0]
    for part in parts[1:]:
        if cell_len(shown + " · " + part) > room:
            break
        shown += " · " + part
    return shown


class Hint(Static):
    """`text`, as much of it as `fitting` lets into the widget's width (all of it before layout)."""

    def __init__(self, text: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.text = text

    def render(self) -> str:
        return fitting(self.text, self.content_size.width or None)

    def on_resize(self) -> None:
        self.refresh()
