"""The sweep's table of seeds: a row per seed, enter opens the highlighted one (named in the footer)."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import DataTable

from core.words import say
from tui.keys import localize


class SeedTable(DataTable):
    """DataTable whose enter (select the row: DataTable.RowSelected) is shown in the footer, in the
    learner's language (the words' [key] open_seed)."""

    BINDINGS = [Binding("enter", "select_cursor", "Open seed", id="open_seed")]

    def __init__(self, lang: str, **kwargs):
        super().__init__(cursor_type="row", **kwargs)
        shown = [Binding("enter", "select_cursor", say("key.open_seed", lang), id="open_seed")]
        self._bindings = localize(self._bindings, shown)

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "select_cursor" and self.row_count == 0:
            return None  # greyed until the sweep has its rows
        return super().check_action(action, parameters)
