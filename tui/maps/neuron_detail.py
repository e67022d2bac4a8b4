"""The chosen hidden neuron, large: its activation over the input square with the dataset's rows on
it, its incoming weights and bias (for the first layer, the line they draw), which rows switch it
on (for two inputs, the logic function that makes: OR, NAND, ...), and its weights into the next
layer. The map takes the room the text leaves."""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from rich.cells import cell_len
from rich.console import Console
from rich.style import Style
from rich.text import Text
from textual.strip import Strip

from core.boundary import (
    Params,
    boundary_map,
    line_mask,
    neuron_columns,
    neuron_lines,
    row_marks,
    scale_for,
    square_size,
)
from core.boundary_text import text_size
from core.datasets import dataset, label
from core.words import say
from tui.maps.heatmap import Picture
from tui.maps.map_panel import MapPanel
from tui.widgets.glyphs import sign_style, signed

BOLD = Style(bold=True)
FAINT = Style(dim=True)
MOST_WEIGHTS = 8  # incoming or outgoing weights listed one by one; the largest, if there are more


@dataclass(frozen=True)
class Chosen:
    """Which neuron of which network, at which epoch and slice: plain numbers only."""

    params: Params
    rows: tuple  # the dataset's (inputs, target) rows
    names: tuple  # neuron names, layer by layer (inputs first, output last)
    layer: int  # hidden layer index, 0 for the first
    neuron: int
    x3: float
    epoch: int


def function_name(column: str) -> str | None:
    """ "or" for "0111": the two-input function a neuron's column is, if it has 4 rows."""
    if len(column) != 4:
        return None
    try:
        return dataset(column).name
    except KeyError:
        return None


def rows_on(rows, column: str) -> str:
    """ "(0,1) (1,0) (1,1)": the rows where the neuron is on; its column itself when there are many."""
    if len(rows) > 4:
        return column if "1" in column else ""
    return " ".join("(" + ",".join(map(str, inputs)) + ")" for (inputs, _), bit in zip(rows, column) if bit == "1")


def _weights(text: Text, pairs: list[tuple[str, float]]) -> None:
    shown = pairs if len(pairs) <= MOST_WEIGHTS else sorted(pairs, key=lambda p: -abs(p[1]))[:MOST_WEIGHTS]
    for name, value in shown:
        text.append(f" {name} ")
        text.append(signed(value), sign_style(value))
    if len(shown) < len(pairs):
        text.append(" …", FAINT)


def describe(chosen: Chosen, lang: str) -> list[Text]:
    """The lines of text under the map."""
    params, k, n, names = chosen.params, chosen.layer, chosen.neuron, chosen.names
    head = Text()
    head.append(names[k + 1][n], BOLD)
    head.append("  " + say("hidden.formula", lang, act=params.activation), FAINT)
    incoming = list(zip(names[k], params.weights[k][n].tolist()))
    line_in = Text(
        say("hidden.in", lang, n=len(incoming))
        + (" " + say("hidden.largest", lang) if len(incoming) > MOST_WEIGHTS else "")
        + ":"
    )
    _weights(line_in, incoming)
    bias = float(params.biases[k][n])
    line_in.append("  b ")
    line_in.append(signed(bias), sign_style(bias))
    lines = [head, line_in]
    if k == 0:
        lines.append(Text(say("map.line", lang, equation=neuron_lines(params, chosen.x3)[n].equation())))
    column = neuron_columns(params, chosen.rows)[k][n]
    on = rows_on(chosen.rows, column)
    lines.append(Text(say("hidden.on", lang, rows=on) if on else say("hidden.never", lang)))
    name = function_name(column)
    if name is not None and name != "false":  # "off at every row" says it already
        lines[-1].append("  ")
        lines[-1].append(say("hidden.like", lang, name=label(name)), BOLD)
    outgoing = list(zip(names[k + 2], params.weights[k + 1][:, n].tolist()))
    line_out = Text(
        say("hidden.out", lang, n=len(outgoing))
        + (" " + say("hidden.largest", lang) if len(outgoing) > MOST_WEIGHTS else "")
        + ":"
    )
    _weights(line_out, outgoing)
    lines.append(line_out)
    return lines


NUMBER = re.compile(r"[+\-−]?[0-9]")  # a word that is a value: "-0.01", "+0.38", "0.38·x₂"


def _wrapped(line: Text, width: int, console: Console) -> list[Text]:
    """`line` in rows of `width` cells. A "label: rest" line too wide for one row puts its rest,
    whole, on a row of its own where it fits there; otherwise rows break at spaces, but never
    between a name or an operator and the value after it ("h²₂ | -0.12", "= | 0" read badly)."""
    if line.cell_len <= width:
        return [line]
    plain = line.plain
    colon = plain.find(": ")
    if colon > 0:
        label, rest = line.divide([colon + 1])
        if rest.cell_len <= width:
            return [label, rest]
    words = [(m.start(), m.group()) for m in re.finditer(r"\S+", plain)]
    breaks = [start for (_, before), (start, word) in pairwise(words) if not NUMBER.match(word) or NUMBER.match(before)]
    cuts, row_start, last = [], 0, None
    for at in [*breaks, len(plain)]:
        if last is not None and cell_len(plain[row_start:at].rstrip()) > width:
            cuts.append(last)
            row_start = last
        last = at
    rows = list(line.divide(cuts))
    for row in rows:
        row.rstrip()
    # A unit wider than a row (a long name) is left to rich's wrap.
    return [part for row in rows for part in (row.wrap(console, width) if row.cell_len > width else [row])]


class NeuronDetail(MapPanel):
    """The chosen neuron's map and numbers."""

    DEFAULT_CSS = "NeuronDetail { height: 1fr; width: 1fr; }"

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._chosen: Chosen | None = None
        self._lang = "en"
        self._mode = "rgb"
        self._drawn_for: tuple | None = None

    def show(self, chosen: Chosen, lang: str, mode: str) -> None:
        self._chosen, self._lang, self._mode = chosen, lang, mode
        self._update()

    def on_resize(self) -> None:
        self._update()

    def _update(self) -> None:
        width, height = self.size
        if width <= 0 or height <= 0 or self._chosen is None:
            return
        key = (self._chosen, self._lang, self._mode, width, height)
        if key == self._drawn_for:
            return
        self._drawn_for = key
        self.show_strips(self._build(width, height))

    def _build(self, width: int, height: int) -> list[Strip]:
        chosen, mode = self._chosen, self._mode
        text = []
        for line in describe(chosen, self._lang):
            text.extend(Text(" ") + wrapped for wrapped in _wrapped(line, max(1, width - 1), self.app.console))
        room = min(width - 2, 2 * (height - len(text)))
        strips: list[Strip] = []
        if room >= 9:
            side = text_size(room)[0] if mode == "shade" else square_size(room)
            big = boundary_map(chosen.params, nx=side, ny=(side + 1) // 2 if mode == "shade" else side, x3=chosen.x3)
            values = big.hidden[chosen.layer][chosen.neuron]
            line = neuron_lines(chosen.params, chosen.x3)[chosen.neuron] if chosen.layer == 0 else None
            edge = line_mask(line, big.x1, big.x2) if line is not None else None
            marks = tuple(row_marks(chosen.rows, big.x1, big.x2, big.x3))
            picture = Picture(
                values, big.x1, big.x2, scale_for(chosen.params.activation, values), edge, None, (), marks
            )
            margin = Strip.blank(1, self.rich_style)
            for row in self.painter(mode, self.rich_style.bgcolor).paint(picture):
                strips.append(Strip.join([margin, row]).adjust_cell_length(width, self.rich_style))
        strips.extend(self.text_strip(line, width) for line in text)
        strips.extend([Strip.blank(width, self.rich_style)] * (height - len(strips)))
        return strips[:height]
