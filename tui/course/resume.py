"""Asked when the course starts for a learner who has answered before: resume, start again, or explore."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Label
from textual.widgets.option_list import Option

from core.words import say
from tui.screens.modal import LabModal
from tui.widgets.option_list import OptionList


class ResumeQuestion(LabModal):
    """Dismisses with "resume", "restart", or None (explore freely)."""

    BINDINGS = [Binding("escape", "choose(None)", "Cancel", id="cancel")]

    def __init__(self, lang: str, n: int, total: int, title: str):
        super().__init__(lang)
        self.n, self.total, self.title = n, total, title

    def compose(self) -> ComposeResult:
        lang = self.lang
        with Vertical(id="dialog"):
            yield Label(say("course.resume_title", lang, n=self.n, total=self.total, title=self.title))
            yield OptionList(
                Option(say("course.resume", lang, n=self.n), id="resume"),
                Option(say("course.restart", lang), id="restart"),
                Option(say("course.explore", lang), id="explore"),
            )

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.close(None if event.option.id == "explore" else event.option.id)

    def action_choose(self, choice: str | None) -> None:
        self.close(choice)
