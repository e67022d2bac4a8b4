"""A truth table's targets, set from the keyboard: 2 or 3 inputs, a column per input row.

    x₁ │ 0 0 1 1
    x₂ │ 0 1 0 1
     y │ 0 1 1 0

←/→ choose a row, space toggles its target, 0 or 1 sets it and moves on, 2 or 3 sets how many
inputs the table has. Posts `TargetsEditor.Changed` (nested, as Textual's own widgets do, so the
widget stands alone) when the learner changes it; setting `column` from code posts nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product

from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from core.datasets import INPUTS_BY_BITS
from tui.widgets.truth_table import SUBSCRIPTS

CURSOR = Style(reverse=True, bold=True)
ONE = Style(bold=True)


def widen(column: str, inputs: int) -> str:
    """The column for a table of `inputs` inputs that keeps what it can: a 2-input column ignores
    the third input (each target twice); a 3-input one keeps the rows where the third input is 0."""
    if len(column) == 2**inputs:
        return column
    if inputs == 3:
        return "".join(bit * 2 for bit in column)
    return column[::2]


class TargetsEditor(Widget, can_focus=True):
    DEFAULT_CSS = """
    TargetsEditor { height: auto; width: auto; min-width: 12; }
    TargetsEditor:focus { background: $boost; }
    """
    BINDINGS = [
        Binding("left", "move(-1)", "Row before", show=False),
        Binding("right", "move(1)", "Row after", show=False),
        Binding("space", "toggle", "Toggle target", show=False),
        Binding("0", "set(0)", "Target 0", show=False),
        Binding("1", "set(1)", "Target 1", show=False),
        Binding("2", "inputs(2)", "2 inputs", show=False),
        Binding("3", "inputs(3)", "3 inputs", show=False),
    ]

    column = reactive("0110", layout=True)
    cursor = reactive(0)

    @dataclass
    class Changed(Message):
        """The learner changed a target or the number of inputs."""

        editor: TargetsEditor
        column: str

    def __init__(self, column: str = "0110", **kwargs):
        super().__init__(**kwargs)
        self.set_reactive(TargetsEditor.column, self.validate_column(column))

    def validate_column(self, column: str) -> str:
        if len(column) not in INPUTS_BY_BITS or not set(column) <= {"0", "1"}:
            raise ValueError(f"not a 4- or 8-bit column: {column!r}")
        return column

    def watch_column(self, column: str) -> None:
        self.cursor = min(self.cursor, len(column) - 1)

    @property
    def inputs(self) -> int:
        return INPUTS_BY_BITS[len(self.column)]

    def render(self) -> Text:
        column, inputs = self.column, self.inputs
        rows = list(product((0, 1), repeat=inputs))
        text = Text()
        for i in range(inputs):
            name = f"x{i + 1}".translate(SUBSCRIPTS)
            text.append(f" {name} │ ", "dim")
            text.append(" ".join(str(row[i]) for row in rows) + "\n", "dim")
        text.append("  y │ ", "bold")
        for j, bit in enumerate(column):
            style = CURSOR if self.has_focus and j == self.cursor else ONE if bit == "1" else Style()
            text.append(bit, style)
            if j < len(column) - 1:
                text.append(" ")
        return text

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def _change(self, column: str) -> None:
        if column != self.column:
            self.column = column
            self.post_message(self.Changed(self, column))

    def action_move(self, delta: int) -> None:
        self.cursor = (self.cursor + delta) % len(self.column)

    def action_toggle(self) -> None:
        i = self.cursor
        self._change(self.column[:i] + ("0" if self.column[i] == "1" else "1") + self.column[i + 1 :])

    def action_set(self, bit: int) -> None:
        i = self.cursor
        self._change(self.column[:i] + str(bit) + self.column[i + 1 :])
        if i < len(self.column) - 1:
            self.action_move(1)

    def action_inputs(self, inputs: int) -> None:
        self._change(widen(self.column, inputs))
