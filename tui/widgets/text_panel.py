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

    def set_text(self, text: Text) -> None:
        if text == self._text:
            return  # unchanged: nothing goes to the terminal
        relayout = text.plain.count("\n") != self._text.plain.count("\n") or not self._text.plain
        self._text = text
        self.refresh(layout=relayout)

    def render(self) -> Text:
        return self._text
