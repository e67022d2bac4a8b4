"""Asked when the learner runs from a past epoch: branch from there, or jump back to the latest?"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Label
from textual.widgets.option_list import Option

from core.words import count, say
from tui.screens.modal import LabModal
from tui.widgets.option_list import OptionList


class BranchQuestion(LabModal):
    """Dismisses with "branch", "jump", or None (cancelled)."""

    BINDINGS = [
        Binding("b", "choose('branch')", "Branch", id="branch"),
        Binding("j", "choose('jump')", "Jump", id="jump"),
        Binding("escape", "choose(None)", "Cancel", id="cancel"),
    ]

    def __init__(self, epoch: int, last: int, lang: str):
        super().__init__(lang)
        self.epoch, self.last = epoch, last

    def compose(self) -> ComposeResult:
        lang = self.lang
        with Vertical(id="dialog"):
            yield Label(say("app.branch_title", lang, epoch=self.epoch, last=self.last))
            yield OptionList(
                Option(
                    "b  "
                    + count(
                        "app.branch",
                        self.last - self.epoch,
                        lang,
                        epoch=self.epoch,
                        first=self.epoch + 1,
                        last=self.last,
                    ),
                    id="branch",
                ),
                Option("j  " + say("app.jump", lang, last=self.last), id="jump"),
                Option("esc  " + say("app.cancel", lang), id="cancel"),
            )

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.close(None if event.option.id == "cancel" else event.option.id)

    def action_choose(self, choice: str | None) -> None:
        self.close(choice)
