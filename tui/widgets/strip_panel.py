"""A widget drawn from a list of cached Strips, one a line, that sends the terminal only the lines
that changed: a refreshed widget would resend its whole area, and bytes are a budget."""

from __future__ import annotations

from rich.text import Text
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget


class StripPanel(Widget):
    """Subclasses build their lines and hand them to `set_strips`; `render_line` serves them."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._strips: list[Strip] = []
        self.lines_sent = 0  # lines marked for repaint so far: what went to the terminal, in lines

    def set_strips(self, strips: list[Strip]) -> None:
        """Show these lines; repaint only those that differ from what is on screen."""
        old, self._strips = self._strips, strips
        width = self.size.width
        if len(old) != len(strips) or not old:
            self.lines_sent += len(strips)
            self.refresh()
            return
        for y, (before, after) in enumerate(zip(old, strips)):
            if before != after:
                self.lines_sent += 1
                self.refresh(Region(0, y, width, 1))

    def render_line(self, y: int) -> Strip:
        if y < len(self._strips):
            return self._strips[y]
        return Strip.blank(self.size.width, self.rich_style)

    def text_strip(self, text: Text, width: int) -> Strip:
        """A line of text on the widget's background, cut or padded to `width` cells."""
        style = self.rich_style
        strip = Strip(list(text.render(self.app.console)), text.cell_len).apply_style(style)
        return strip.adjust_cell_length(width, style)
