"""A widget that shows a Text and resends it only when it changed: no layout pass unless its
height did (Static.update always asks for one, which repaints more of the screen)."""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget


class TextPanel(Widget):
    DEFAULT_CSS = "TextPanel { height: auto; }"

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._text = Text()
        self._height: int | None = None  # lines the text takes at the current width

    def set_text(self, text: Text) -> None:
        if text == self._text:
            return  # unchanged: nothing goes to the terminal
        self._text = text
        height = self._lines(text)
        relayout = height is None or height != self._height
        self._height = height
        self.refresh(layout=relayout)

    def on_resize(self) -> None:
        self._height = self._lines(self._text)

    def _lines(self, text: Text) -> int | None:
        width = self.content_size.width
        if width <= 0:
            return None  # not laid out yet
        return len(text.wrap(self.app.console, width))

    def render(self) -> Text:
        return self._text
