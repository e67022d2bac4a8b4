"""One line: a bar as wide as the words beside it leave room for, and the words."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text

from tui.widgets.line_panel import TextPanel

WIDEST_BAR = 40


class ProgressLine(TextPanel):
    """`show(fraction, words)`: ████░░░░ words, resent only when it changed (a LinePanel)."""

    DEFAULT_CSS = "ProgressLine { height: 1; }"

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._fraction: float | None = None
        self._words = ""

    def show(self, fraction: float | None, words: str) -> None:
        """`fraction` 0..1, or None for the words alone."""
        self._fraction, self._words = fraction, words
        self.set_text(Text(f"{fraction}\0{words}"))  # the key of what is drawn; content_for draws it

    def content_for(self, width: int) -> Text:
        words = self._words
        room = width - cell_len(words) - 1
        if self._fraction is None or room < 5:
            return Text(words, no_wrap=True, overflow="ellipsis")
        bar = min(WIDEST_BAR, room)
        full = round(bar * max(0.0, min(1.0, self._fraction)))
        text = Text(no_wrap=True)
        text.append("█" * full, "green")
        text.append("░" * (bar - full), "dim")
        text.append(" " + words)
        return text

    def get_content_height(self, container, viewport, width: int) -> int:
        return 1
