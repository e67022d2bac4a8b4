"""Panels that resend only the lines that changed.

A refreshed widget resends its whole area to the terminal, and over SSH every byte waits its
turn. These panels keep the lines they last drew (as Strips); a new picture is compared line by
line and only the lines that differ are marked dirty, so an epoch that changes one number costs
one line, not a panel. A change of height asks for a layout pass; nothing else does.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.console import Console, RenderableType
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.geometry import Region, Size
from textual.strip import Strip
from textual.widget import Widget


def changed_runs(old: list[Strip], new: list[Strip]) -> list[tuple[int, int]]:
    """(first line, line count) of each run of lines that differ between two pictures of one height."""
    runs: list[tuple[int, int]] = []
    for y, (a, b) in enumerate(zip(old, new)):
        if a == b:
            continue
        if runs and runs[-1][0] + runs[-1][1] == y:
            runs[-1] = (runs[-1][0], runs[-1][1] + 1)
        else:
            runs.append((y, 1))
    return runs


def wrap_like(text: str, widest: str, width: int) -> str:
    """`text` broken into lines where `widest` (the same sentence with the widest values it can
    hold) breaks at `width` cells, so that a panel's height follows its width, never its numbers:
    a line that wrapped when an epoch gained a digit changed the panel's height, and a new height
    resends the whole panel (twice: the refresh, then the layout's resize). Fields set apart by
    two spaces ("sd 1.243  |max| 4.721") stay whole where they fit."""
    for gap in ("  ", " "):
        parts, wide = text.split(gap), widest.split(gap)
        if len(parts) == len(wide) and (gap == " " or all(cell_len(w) <= width for w in wide)):
            break
    else:
        return text
    lines: list[list[str]] = [[]]
    used = 0
    for part, room in zip(parts, wide):
        need = cell_len(room) + (len(gap) if lines[-1] else 0)
        if lines[-1] and used + need > width:
            lines.append([])
            used, need = 0, cell_len(room)
        lines[-1].append(part)
        used += need
    return "\n".join(gap.join(line) for line in lines)


def text_lines(content: RenderableType, width: int, console: Console) -> list[Strip] | None:
    """A Text's lines at `width`, exactly as `console.render_lines` makes them (tests/unit/
    test_line_panel.py), wrapping only the lines that do not fit: rich's wrapping of every line was
    most of a panel's drawing (~2.5 ms of the network diagram's 4.5, at every step). None for
    anything else (then render_lines makes them)."""
    if not isinstance(content, Text) or not content.plain or content.style or content.no_wrap:
        return None
    if content.justify not in (None, "default"):
        return None
    if "\t" in content.plain:
        return None
    null = Style.null() if content.spans else None  # as rich renders a Text with spans, and one without
    strips = []
    for line in content.split("\n", allow_blank=True):
        key = (line.plain, tuple(line.spans), line.overflow, null is None, width if cell_len(line.plain) > width else 0)
        rows = _LINES.get(key)
        if rows is None:
            rows = _LINES[key] = _line_strips(line, width, null, console)
            if len(_LINES) > LINES_KEPT:
                del _LINES[next(iter(_LINES))]  # the oldest
        strips.extend(rows)
    return strips


# A panel's lines that did not change since its last picture (a heading, a legend, most of a weight
# matrix's picture) are made once: of the network diagram's 34 lines an epoch changes a handful.
_LINES: dict[tuple, list[Strip]] = {}
LINES_KEPT = 512


def _line_strips(line: Text, width: int, null: Style | None, console: Console) -> list[Strip]:
    if cell_len(line.plain) <= width:
        rows = [line.render(console, end="")]
    else:
        rows = console.render_lines(line, console.options.update_width(max(1, width)), pad=False, new_lines=False)
    return [Strip(Segment.simplify([Segment(text, style or null) for text, style, _ in row if text])) for row in rows]


class LinePanel(Widget):
    """Draws `self._strips`, one per line; `show_strips` replaces them, refreshing only changed lines."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._strips: list[Strip] = []
        self.lines_sent = 0  # lines marked dirty since mounting: tests and benchmarks read it

    def show_strips(self, strips: list[Strip]) -> None:
        old, self._strips = self._strips, strips
        width = self.size.width
        if len(old) != len(strips) or width <= 0:
            self.lines_sent += len(strips)
            self.refresh(layout=self.styles.height is not None and self.styles.height.is_auto)
            return
        for y, count in changed_runs(old, strips):
            self.lines_sent += count
            self.refresh(Region(0, y, width, count))

    def render_line(self, y: int) -> Strip:
        width, style = self.size.width, self.rich_style
        if y >= len(self._strips):
            return Strip.blank(width, style)
        return self._strips[y].crop_extend(0, width, style).apply_style(style)


class TextPanel(LinePanel):
    """A LinePanel showing a Rich renderable (usually Text), wrapped to its width; its height follows."""

    DEFAULT_CSS = "TextPanel { height: auto; }"

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._content: RenderableType = Text()
        self._built_for: int | None = None  # the width `_content` was made for, if it depends on one
        self._rendered: tuple[int, list[Strip]] | None = None  # (width, lines) of `_content`

    def set_text(self, content: RenderableType, built_for: int | None = None) -> None:
        """Show `content`; `built_for`: the width a panel's content_for made it for (it is not made
        again for that width)."""
        if content == self._content:
            return  # unchanged: nothing goes to the terminal
        self._content, self._built_for, self._rendered = content, built_for, None
        if self.is_mounted and self.size.width > 0:
            self.show_strips(self._lines(self.size.width))
        else:
            self._strips = []  # made when first drawn (render_line), once laid out
            self.refresh(layout=True)

    @property
    def plain(self) -> str:
        """The text on show, without styles (for tests and for reading the screen back)."""
        content = self.content_for(self.size.width or 80)
        return content.plain if isinstance(content, Text) else str(content)

    def content_for(self, width: int) -> RenderableType:
        """What to draw at this width (a panel whose picture depends on its width overrides it)."""
        return self._content

    def _lines(self, width: int) -> list[Strip]:
        # Asked for twice or more a picture (its height for the layout, then its lines): made once.
        if self._rendered is not None and self._rendered[0] == width:
            return self._rendered[1]
        content = self._content if width == self._built_for else self.content_for(width)
        console = self.app.console
        strips = text_lines(content, width, console)
        if strips is None:
            options = console.options.update_width(max(1, width))
            lines = console.render_lines(content, options, pad=False, new_lines=False)
            # Runs of one style as one segment: each segment costs its own escape codes on the wire.
            strips = [Strip(Segment.simplify(line)) for line in lines]
        self._rendered = (width, strips)
        return strips

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._lines(width))

    def render_line(self, y: int) -> Strip:
        # Content set before the panel was laid out (the first frame) is drawn in that frame, not
        # one later when the resize comes.
        width = self.size.width
        if not self._strips and width > 0:
            self._strips = self._lines(width)
        return super().render_line(y)

    def on_resize(self) -> None:
        self._strips = self._lines(self.size.width) if self.size.width > 0 else []
        self.refresh()
