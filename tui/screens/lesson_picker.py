"""The lesson picker: the lessons, by title, in the learner's language."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Label
from textual.widgets.option_list import Option

from core.lessons import trained
from core.words import say
from tui.screens.modal import LabModal
from tui.widgets.option_list import OptionList


class LessonPicker(LabModal):
    """Dismisses with the chosen lesson's id, or None."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="cancel")]

    def __init__(self, current: str, lang: str):
        super().__init__(lang)
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(say("app.pick_lesson", self.lang))
            # The lessons with a run; the neuron lesson joins when the app has its view (issue 10).
            lessons = trained()
            options = OptionList(
                *(
                    Option(f"{i}. {lesson.title_in(self.lang)}  ({lesson.id})", id=lesson.id)
                    for i, lesson in enumerate(lessons, 1)
                )
            )
            options.highlighted = [lesson.id for lesson in lessons].index(self.current)
            yield options

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.close(event.option.id)

    def action_cancel(self) -> None:
        self.close(None)
