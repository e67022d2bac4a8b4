"""The chosen hidden neuron, large: its activation over the input square with the dataset's rows on
it, its incoming weights and bias (for the first layer, the line they draw), which rows switch it
on (for two inputs, the logic function that makes: OR, NAND, ...), and its weights into the next
layer."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from rich.style import Style
from rich.text import Text
from textual.strip import Strip

from core.boundary import Line, RowMark, Scale, line_mask
from core.datasets import dataset
from tui.i18n import tr
from tui.widgets.glyphs import sign_style, signed
from tui.widgets.heatmap import Painter, Picture
from tui.widgets.strip_panel import StripPanel

BOLD = Style(bold=True)
FAINT = Style(dim=True)
MOST_WEIGHTS = 8  # incoming or outgoing weights listed one by one; the largest, if there are more


@dataclass(frozen=True)
class NeuronView:
    """Everything shown about one neuron, as plain numbers."""

    name: str
    layer: int  # hidden layer index, 0 for the first
    activation: str
    values: np.ndarray  # on the grid x1 × x2 (pixels, or cells for "shade")
    x1: np.ndarray
    x2: np.ndarray
    scale: Scale
    line: Line | None  # first layer: where its input sums to 0
    marks: tuple[RowMark, ...]
    incoming: tuple[tuple[str, float], ...]  # (from, weight)
    bias: float
    outgoing: tuple[tuple[str, float], ...]  # (to, weight)
    column: str  # its truth table over the dataset's rows: "0111"
    inputs: tuple[tuple[int, ...], ...] = ()  # the dataset's rows' inputs, in the column's order

    @property
    def rows_on(self) -> str:
        """"(0,1) (1,0) (1,1)": the rows where it is on; the column itself when there are many."""
        on = [x for x, bit in zip(self.inputs, self.column) if bit == "1"]
        if len(self.inputs) > 4 or not self.inputs:
            return self.column if "1" in self.column else ""
        return " ".join("(" + ",".join(map(str, x)) + ")" for x in on)


def function_name(column: str) -> str | None:
    """"or" for "0111": the two-input function a neuron's column is, if it has 4 rows."""
    if len(column) != 4:
        return None
    try:
        return dataset(column).name
    except KeyError:
        return None


def _weights(text: Text, pairs: tuple[tuple[str, float], ...]) -> None:
    shown = pairs if len(pairs) <= MOST_WEIGHTS else tuple(sorted(pairs, key=lambda p: -abs(p[1]))[:MOST_WEIGHTS])
    for name, value in shown:
        text.append(f" {name} ")
        text.append(signed(value), sign_style(value))
    if len(shown) < len(pairs):
        text.append(" …", FAINT)


def describe(view: NeuronView, lang: str) -> list[Text]:
    """The lines of text under the map."""
    lines = []
    head = Text()
    head.append(view.name, BOLD)
    head.append("  " + tr("neuron_formula", lang, act=view.activation), FAINT)
    lines.append(head)
    incoming = Text(tr("neuron_in", lang, n=len(view.incoming)) + (" " + tr("neuron_largest", lang) if len(view.incoming) > MOST_WEIGHTS else "") + ":")
    _weights(incoming, view.incoming)
    incoming.append("  b ")
    incoming.append(signed(view.bias), sign_style(view.bias))
    lines.append(incoming)
    if view.line is not None:
        lines.append(Text(tr("map_line", lang, equation=view.line.equation())))
    rows = view.rows_on
    on = Text(tr("neuron_on", lang, rows=rows) if rows else tr("neuron_never", lang))
    name = function_name(view.column)
    if name is not None:
        on.append("  " + tr("neuron_like", lang, name=name.upper()), BOLD)
    lines.append(on)
    outgoing = Text(tr("neuron_out", lang, n=len(view.outgoing)) + (" " + tr("neuron_largest", lang) if len(view.outgoing) > MOST_WEIGHTS else "") + ":")
    _weights(outgoing, view.outgoing)
    lines.append(outgoing)
    return lines


class NeuronDetail(StripPanel):
    """The chosen neuron's map and numbers."""

    DEFAULT_CSS = "NeuronDetail { height: 1fr; width: 1fr; }"

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._view: NeuronView | None = None
        self._lang = "en"
        self._mode = "rgb"
        self._drawn_for: tuple | None = None

    def show(self, view: NeuronView, lang: str, mode: str) -> None:
        self._view, self._lang, self._mode = view, lang, mode
        self._update()

    def on_resize(self) -> None:
        self._update()

    def _update(self) -> None:
        width, height = self.size
        if width <= 0 or height <= 0 or self._view is None:
            return
        key = (id(self._view), self._lang, self._mode, width, height)
        if key == self._drawn_for:
            return
        self._drawn_for = key
        self.set_strips(self._build(width, height))

    def _build(self, width: int, height: int) -> list[Strip]:
        view = self._view
        edge = line_mask(view.line, view.x1, view.x2) if view.line is not None else None
        picture = Picture(view.values, view.x1, view.x2, view.scale, edge, None, (), view.marks)
        rows = Painter(self._mode, self.rich_style.bgcolor).paint(picture)
        margin = Strip.blank(1, self.rich_style)
        strips = [Strip.join([margin, row]).adjust_cell_length(width, self.rich_style) for row in rows]
        for line in describe(view, self._lang):
            for wrapped in line.wrap(self.app.console, max(1, width - 1)):
                strips.append(self.text_strip(Text(" ") + wrapped, width))
        strips.extend([Strip.blank(width, self.rich_style)] * (height - len(strips)))
        return strips[:height]
