"""The truth table: each input row, its target, and what the network says at the epoch on view."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text

from core.words import say
from tui.run.live import Frame
from tui.widgets.drawn import DrawsFrames
from tui.widgets.line_panel import TextPanel

RIGHT = Style(color="green", bold=True)
WRONG = Style(color="red", bold=True)
SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def _name(name: str) -> str:
    return name.translate(SUBSCRIPTS)


def render_table(frame: Frame, lang: str, width: int | None = None) -> Text:
    """The table; where its rows are wider than `width` cells (3 inputs at 80 columns), the ✓ or ✗
    moves into the class column ("1 ✗"), so that a row never wraps onto a second line."""
    text = _table(frame, lang, marks_apart=True)
    if width is not None and max(line.cell_len for line in text.split("\n")) > width:
        return _table(frame, lang, marks_apart=False)
    return text


def _table(frame: Frame, lang: str, marks_apart: bool) -> Text:
    names = [_name(n) for n in frame.input_names]
    labels = [say("app.target", lang), say("app.output", lang), say("app.class", lang)]
    widths = [max(_w(labels[0]), 1), max(_w(labels[1]), 6), max(_w(labels[2]), 1 if marks_apart else 3)]
    head_in = " ".join(f"{n:>2}" for n in names)
    text = Text()
    heads = " │ ".join(_pad(label, w) for label, w in zip(labels, widths))
    text.append(f" {head_in} │ {heads} │\n", style="bold")
    text.append("─" * (len(head_in) + 2) + "┼" + "┼".join("─" * (w + 2) for w in widths) + "┤\n", style="dim")
    for i, (inputs, y) in enumerate(frame.rows):
        cells = " ".join(f"{x:>2}" for x in inputs)
        text.append(f" {cells} │ {_pad(str(y), widths[0])} │ ")
        if i < len(frame.predictions):
            p = frame.predictions[i]
            guess = int(p >= 0.5)
            # The perceptron rule's unit outputs 0 or 1, not a probability: shown as the whole number.
            shown = f"{p:.0f}" if frame.rule is not None else f"{p:.4f}"
            mark, style = ("✓", RIGHT) if guess == y else ("✗", WRONG)
            if marks_apart:
                text.append(f"{_pad(shown, widths[1])} │ {_pad(str(guess), widths[2])} │ ")
                text.append(mark, style)
            else:
                room = widths[2] - 3
                text.append(f"{_pad(shown, widths[1])} │ {' ' * (room // 2)}{guess} ")
                text.append(mark, style)
                text.append(f"{' ' * (room - room // 2)} │")
        else:
            text.append(f"{_pad('…', widths[1])} │ {_pad('', widths[2])} │")
        text.append("\n")
    text.rstrip()
    return text


def _w(label: str) -> int:
    return Text(label).cell_len


def _pad(value: str, width: int) -> str:
    """`value` centred in `width` cells (Korean letters take two cells each)."""
    room = max(0, width - _w(value))
    return " " * (room // 2) + value + " " * (room - room // 2)


class TruthTable(DrawsFrames, TextPanel):
    """Inputs, target, output probability, predicted class and ✓/✗ for every row of the dataset."""

    _shown: tuple[Frame, str] | None = None

    def show(self, frame: Frame, lang: str) -> None:
        self._shown = (frame, lang)
        self.drawn = (frame.stamp, lang)
        width = self.size.width or None
        self.set_text(render_table(frame, lang, width), built_for=width)

    def content_for(self, width: int) -> Text:
        return self._content if self._shown is None else render_table(*self._shown, width)
