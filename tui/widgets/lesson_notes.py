"""The lesson's explanation, in Korean or English, shown or hidden with a key."""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from core.lessons import Lesson
from core.mathtext import wrap


class NotesText(Static):
    """The notes' paragraphs, wrapped to the panel's width by the rules the explainer's lines follow
    (core.mathtext.wrap): a line never breaks inside a formula that fits on one ("w₁·x₁ + w₂·x₂ ≥ θ"),
    nor between a relation and its value. Textual's own wrap would break it anywhere."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._paragraphs: list[str] = []
        self._wrapped: tuple[int, str] | None = None

    def set_paragraphs(self, paragraphs: list[str]) -> None:
        self._paragraphs, self._wrapped = paragraphs, None
        self._content_height_cache = (None, 0)
        self.refresh(layout=True)

    def text_at(self, width: int) -> str:
        """The paragraphs as lines of at most `width` cells, a blank line between paragraphs."""
        if self._wrapped is None or self._wrapped[0] != width:
            lines = "\n\n".join("\n".join(wrap(p, max(1, width))) for p in self._paragraphs)
            self._wrapped = (width, lines)
        return self._wrapped[1]

    def get_content_height(self, container, viewport, width: int) -> int:
        # Textual folds a word longer than a line: its height counts the folded lines
        return Content(self.text_at(width)).get_height(self.styles, width) if width and self._paragraphs else 0

    def render(self) -> Content:
        return Content(self.text_at(self.content_size.width))


class LessonNotes(VerticalScroll, can_focus=True):
    """The text of the lesson on view; scrolls if it is longer than the panel."""

    def compose(self):
        yield NotesText(id="notes-text")

    def show(self, lesson: Lesson, lang: str) -> None:
        # The texts are wrapped for an 100-column terminal: each paragraph is one line here, wrapped
        # again to the panel's width.
        paragraphs = lesson.text_in(lang).strip().split("\n\n")
        self.query_one(NotesText).set_paragraphs(
            [" ".join(line.strip() for line in p.splitlines()) for p in paragraphs]
        )
