"""The course panel: a strip under the main view's panels with the step's question, then the
prediction beside the run's answer and the explanation."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Input, Static
from textual.widgets.option_list import Option

from tui.widgets.option_list import OptionList


class NumberField(Input):
    """The field a number is predicted in: it takes the characters of a number and leaves every
    other key to the app (c, <, >, and the run keys, which say they wait for the prediction)."""

    def check_consume_key(self, key: str, character: str | None) -> bool:
        return character is not None and character in NUMBER_CHARACTERS

    async def _on_key(self, event) -> None:
        if event.is_printable and event.character not in NUMBER_CHARACTERS:
            event.prevent_default()  # not a number's: Input's handler leaves it, and it goes on to the app's keys


NUMBER_CHARACTERS = set("0123456789.,-+eE")


class CoursePanel(VerticalScroll):
    """What the course shows; the Course feature (tui/course/course.py) fills it in."""

    def compose(self) -> ComposeResult:
        yield Static(id="course-text", markup=False)
        yield OptionList(id="course-choices")
        yield NumberField(id="course-number", compact=True)
        yield Static(id="course-hint", markup=False)

    def show(self, title: str, text: str, hint: str, choices: list[tuple[str, str]] | None, number: str | None) -> None:
        """`choices` (id, words) for a choice or pick question, `number` for a number's field;
        neither once the prediction is in."""
        self.border_title = title
        self.query_one("#course-text", Static).update(text)
        self.query_one("#course-hint", Static).update(hint)
        options = self.query_one("#course-choices", OptionList)
        options.clear_options()
        options.display = bool(choices)
        if choices:
            options.add_options([Option(words, id=choice) for choice, words in choices])
            options.highlighted = 0
        field = self.query_one("#course-number", Input)
        field.display = number is not None
        if number is not None:
            field.value = ""
            field.placeholder = number
        self.scroll_home(animate=False)

    def answer_widget(self):
        """The widget that takes the prediction now (the options or the number's field), or None."""
        options = self.query_one("#course-choices", OptionList)
        if options.display:
            return options
        field = self.query_one("#course-number", Input)
        return field if field.display else None
