"""The lesson's explanation, in Korean or English, shown or hidden with a key."""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.widgets import Static

from core.lessons import Lesson


class LessonNotes(VerticalScroll, can_focus=True):
    """The text of the lesson on view; scrolls if it is longer than the panel."""

    def compose(self):
        yield Static(id="notes-text")

    def show(self, lesson: Lesson, lang: str) -> None:
        # The texts are wrapped for an 100-column terminal; let the panel wrap them to its width.
        paragraphs = lesson.text_in(lang).strip().split("\n\n")
        text = "\n\n".join(" ".join(line.strip() for line in p.splitlines()) for p in paragraphs)
        self.query_one("#notes-text", Static).update(text)
