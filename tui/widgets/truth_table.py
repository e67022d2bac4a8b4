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


def render_table(frame: Frame, lang: str) -> Text:
    names = [_name(n) for n in frame.input_names]
    labels = [say("app.target", lang), say("app.output", lang), say("app.class", lang)]
    widths = [max(_w(labels[0]), 1), max(_w(labels[1]), 6), max(_w(labels[2]), 1)]
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
            text.append(f"{_pad(f'{p:.4f}', widths[1])} │ {_pad(str(guess), widths[2])} │ ")
            text.append("✓" if guess == y else "✗", RIGHT if guess == y else WRONG)
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

    def show(self, frame: Frame, lang: str) -> None:
        self.drawn = (frame.stamp, lang)
        self.set_text(render_table(frame, lang))
