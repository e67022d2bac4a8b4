"""A widget drawn from a list of cached Strips, one a line, that sends the terminal only what
changed: a refreshed widget would resend its whole area, and bytes are a budget. A line that
changed is repainted from its first changed cell to its last, not whole."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget


def _cells(strip: Strip) -> list | None:
    """(character, style) of each cell, or None if the line has wide characters (then compare it whole)."""
    cells = []
    for text, style, _ in strip:
        if len(text) != Text(text).cell_len:
            return None
        cells.extend((ch, style) for ch in text)
    return cells


def changed_span(before: Strip, after: Strip) -> tuple[int, int] | None:
    """The cells [start, end) where two lines of equal width differ; None if they are the same."""
    if before == after:
        return None
    a, b = _cells(before), _cells(after)
    if a is None or b is None or len(a) != len(b):
        return 0, max(before.cell_length, after.cell_length)
    start = next((i for i in range(len(a)) if a[i] != b[i]), None)
    if start is None:
        return None  # the same cells, cut into segments differently
    end = next(i for i in range(len(a), 0, -1) if a[i - 1] != b[i - 1])
    return start, end


class StripPanel(Widget):
    """Subclasses build their lines and hand them to `set_strips`; `render_line` serves them."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._strips: list[Strip] = []
        self._painters: dict = {}
        self.cells_sent = 0  # cells marked for repaint so far: what went to the terminal, in cells

    def set_strips(self, strips: list[Strip]) -> None:
        """Show these lines; repaint only the cells that differ from what is on screen."""
        old, self._strips = self._strips, strips
        width = self.size.width
        if len(old) != len(strips) or not old:
            self.cells_sent += width * len(strips)
            self.refresh()
            return
        for y, (before, after) in enumerate(zip(old, strips)):
            span = changed_span(before, after)
            if span is not None:
                start, end = span
                self.cells_sent += end - start
                self.refresh(Region(start, y, end - start, 1))

    def painter(self, mode: str, background):
        """A Painter for this mode and background, kept: it reuses its Style objects."""
        from tui.widgets.heatmap import Painter

        key = (mode, background)
        if key not in self._painters:
            self._painters[key] = Painter(mode, background)
        return self._painters[key]

    def render_line(self, y: int) -> Strip:
        if y < len(self._strips):
            return self._strips[y]
        return Strip.blank(self.size.width, self.rich_style)

    def text_strip(self, text: Text, width: int, style: Style | None = None) -> Strip:
        """A line of text on the widget's background (`style`: its rich_style, if already looked
        up: that lookup is slow), cut or padded to `width` cells."""
        style = self.rich_style if style is None else style
        strip = Strip(list(text.render(self.app.console)), text.cell_len).apply_style(style)
        return strip.adjust_cell_length(width, style)
