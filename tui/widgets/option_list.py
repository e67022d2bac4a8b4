"""Textual's OptionList, with page keys that hold on a list not yet laid out (a tiny terminal)."""

from __future__ import annotations

from textual.widgets import OptionList as _OptionList


class OptionList(_OptionList):
    # Textual's page moves read a line index built when the list is first drawn: on a list too
    # small to draw (at 21x7) it raised KeyError. Then the first (or last) option will do.
    def action_page_up(self) -> None:
        try:
            super().action_page_up()
        except (KeyError, IndexError):
            self.action_first()

    def action_page_down(self) -> None:
        try:
            super().action_page_down()
        except (KeyError, IndexError):
            self.action_last()
