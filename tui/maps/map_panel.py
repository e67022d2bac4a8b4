"""What the map widgets share: they are LinePanels (only the lines that changed go to the terminal),
keep one Painter per colour mode (it reuses its Style objects), and lay text out as lines."""

from __future__ import annotations

from functools import lru_cache

from rich.console import Console
from rich.style import Style
from rich.text import Text
from textual.strip import Strip

from tui.widgets.line_panel import LinePanel


def colour_mode(app) -> str:
    """How this app's terminal can show a map: "shade" with NO_COLOR (Textual reads it into
    app.no_color and greys everything) or no colour system, "ansi16" with 16 colours, else "rgb"."""
    if getattr(app, "no_color", False):
        return "shade"
    system = app.console.color_system
    if system is None:
        return "shade"
    return "ansi16" if system in ("standard", "windows") else "rgb"


def text_strip(console: Console, text: Text, width: int, style: Style) -> Strip:
    """A line of text on `style`'s background, cut or padded to `width` cells. Pure: a worker
    thread may call it. Kept by what it shows: a map's axis and legend are the same every epoch."""
    return _text_strip(console, text.plain, tuple(text.spans), text.style, width, style)


@lru_cache(maxsize=256)
def _text_strip(console: Console, plain: str, spans: tuple, text_style, width: int, style: Style) -> Strip:
    text = Text(plain, text_style, spans=list(spans))
    strip = Strip(list(text.render(console)), text.cell_len).apply_style(style)
    return strip.adjust_cell_length(width, style)


class MapPanel(LinePanel):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._painters: dict = {}

    def painter(self, mode: str, background):
        """A Painter for this mode and background, kept: it reuses its Style objects."""
        from tui.maps.heatmap import Painter  # numpy: loaded with the engine, not before the first frame

        key = (mode, background)
        if key not in self._painters:
            self._painters[key] = Painter(mode, background)
        return self._painters[key]

    def text_strip(self, text: Text, width: int, style: Style | None = None) -> Strip:
        """A line of text on the widget's background (`style`: its rich_style, if already looked
        up: that lookup is slow)."""
        return text_strip(self.app.console, text, width, self.rich_style if style is None else style)
