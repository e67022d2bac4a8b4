"""Textual's OptionList and Select, with page keys that hold on a list not yet laid out (a tiny terminal)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import OptionList as _OptionList
from textual.widgets import Select as _Select
from textual.widgets._select import SelectCurrent, SelectOverlay


class SafePages:
    """Textual's page moves read a line index built when the list is first drawn: on a list too small
    to draw (at 21x7) they raised KeyError. Then the first (or last) option will do."""

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


class OptionList(SafePages, _OptionList):
    pass


class _Overlay(SafePages, SelectOverlay):
    pass


class Select(_Select):
    """Textual's Select, its drop-down list with the safe page keys (a key fuzz found pagedown there)."""

    def compose(self) -> ComposeResult:
        yield SelectCurrent(self.prompt)
        yield _Overlay(type_to_search=self._type_to_search).data_bind(compact=_Select.compact)
