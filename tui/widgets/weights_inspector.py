"""The weights inspector: W, b and their gradients for every layer at the epoch on view, with what
changed since the epoch before marked. Wide layers scroll both ways."""

from __future__ import annotations

import math

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from core.words import say
from tui.run.live import Frame
from tui.widgets.drawn import DrawsFrames
from tui.widgets.glyphs import FAINT, sign_style
from tui.widgets.network_diagram import neuron_names

BOLD = Style(bold=True)
UP, DOWN = "▲", "▼"


VALUE_CELLS, GRADIENT_CELLS = 7, 9  # "+0.1234", "+1.23e-02": every column keeps its width


def value_text(value: float) -> str:
    """`value` in exactly 7 cells: 4 decimals below 10, fewer as the whole part grows (+10.173,
    +123.46), an exponent past 99,999: a weight of 10 once took 8 cells and its column slipped."""
    if math.isfinite(value):
        for decimals in (4, 3, 2, 1, 0):
            shown = f"{value:+.{decimals}f}"
            if len(shown) <= VALUE_CELLS:
                return shown.rjust(VALUE_CELLS)
        return f"{value:+.0e}".rjust(VALUE_CELLS)
    return f"{value:+}".rjust(VALUE_CELLS)  # +inf, -inf, +nan


def gradient_text(value: float) -> str:
    """`value` as +1.23e-02 in 9 cells (a three-digit exponent drops a digit; inf and nan padded)."""
    shown = f"{value:+.2e}"
    if len(shown) > GRADIENT_CELLS:
        shown = f"{value:+.1e}"
    return shown.rjust(GRADIENT_CELLS)


def _cell(text: Text, value: float, before: float | None, big: float) -> None:
    """`+0.1234▲`: the value in its sign's colour, an arrow for its change, bold if the change is big."""
    style = sign_style(value)
    delta = 0.0 if before is None else value - before
    if delta and abs(delta) >= big:
        style = style + BOLD
    # One style for the value, its arrow and the space after: one segment, one set of escape codes.
    text.append(f"{value_text(value)}{UP if delta > 0 else DOWN if delta < 0 else ' '} ", style)


def _lines(frame: Frame, lang: str) -> list[tuple]:
    """What each line of the table is, cheaply: ("text", str, style), ("fit", forms, style): the
    first of the forms that fits the panel's width, ("head", layer) or ("row", layer, neuron)."""
    lines: list[tuple] = []
    if frame.previous is None:
        lines.append(("text", " " + say("app.first_epoch", lang), FAINT))
    else:
        words = {"epoch": frame.weights.epoch, "prev": frame.previous.epoch}
        forms = (" " + say("app.changed", lang, **words), " " + say("app.changed_short", lang, **words))
        lines.append(("fit", forms, FAINT))  # at 80 columns the long form was cut mid-word
    if frame.rule is not None:  # the rule's column beside the weights is their change, not a gradient
        lines.append(("fit", (" " + say("app.rule.change", lang), " " + say("app.rule.change_short", lang)), FAINT))
    for k, layer in enumerate(frame.weights.layers):
        n_out, n_in = len(layer.weight), len(layer.weight[0])
        lines.append(("text", "", None))
        lines.append(("text", f" {layer.name}.weight [{n_out}×{n_in}], {layer.name}.bias [{n_out}]", BOLD))
        lines.append(("head", k))
        lines.extend(("row", k, j) for j in range(n_out))
    return lines


class _Table:
    """One epoch's parameters, laid out as lines that are built only when they are on screen."""

    def __init__(self, frame: Frame, lang: str):
        self.frame = frame
        self.lines = _lines(frame, lang)
        self.names = neuron_names(frame.sizes, frame.input_names)
        self._big: dict[int, float] = {}  # per layer, once one of its rows is built: see big
        n_in_max = max(len(layer.weight[0]) for layer in frame.weights.layers)
        self.width = 8 + 9 * n_in_max + 11 + 10 * n_in_max + 12

    def big(self, k: int) -> float:
        """A change of layer k's parameters at least this large is shown bold: half the largest.
        Worked out for the layers on screen only (the 2-64-32-16-1 network's second layer alone
        has 2,048 weights)."""
        if k not in self._big:
            layer = self.frame.weights.layers[k]
            before = self.frame.previous.layers[k] if self.frame.previous else None
            deltas = [0.0]
            if before:
                deltas += [abs(a - b) for row, prow in zip(layer.weight, before.weight) for a, b in zip(row, prow)]
                deltas += [abs(a - b) for a, b in zip(layer.bias, before.bias)]
            self._big[k] = max(deltas) / 2 or 1.0
        return self._big[k]

    def line(self, y: int, width: int) -> Text:
        kind = self.lines[y]
        if kind[0] == "text":
            return Text(kind[1], kind[2] or "")
        if kind[0] == "fit":
            forms = kind[1]
            return Text(next((f for f in forms if cell_len(f) <= width), forms[-1]), kind[2])
        layer = self.frame.weights.layers[kind[1]]
        k = kind[1]
        names = self.names
        name_w = max(len(n) for n in names[k + 1])
        n_in = len(layer.weight[0])
        if kind[0] == "head":
            w_cols = " ".join(f"{names[k][i]:^8}" for i in range(n_in))
            g_cols = " ".join(f"{names[k][i]:^9}" for i in range(n_in))
            bias_change = "Δb" if self.frame.rule is not None else "∂b"
            return Text(f" {'':<{name_w}}  {w_cols} │ {'b':^8} ┃ {g_cols} │ {bias_change:^9}", FAINT)
        j = kind[2]
        before = self.frame.previous.layers[k] if self.frame.previous else None
        big = self.big(k)
        text = Text(f" {names[k + 1][j]:<{name_w}}  ")
        for i in range(n_in):
            _cell(text, layer.weight[j][i], before.weight[j][i] if before else None, big)
        text.append("│ ", FAINT)
        _cell(text, layer.bias[j], before.bias[j] if before else None, big)
        text.append("┃ ", FAINT)
        # The rule's change is a whole multiple of η: a weight's 4 decimals, not a gradient's exponent.
        shown = gradient_text if self.frame.rule is None else lambda v: value_text(v).rjust(GRADIENT_CELLS)
        for i in range(n_in):
            text.append(shown(layer.weight_grad[j][i]) + " ", sign_style(layer.weight_grad[j][i]))
        text.append("│ ", FAINT)
        text.append(shown(layer.bias_grad[j]), sign_style(layer.bias_grad[j]))
        return text


class WeightsInspector(DrawsFrames, ScrollView, can_focus=True):
    """Every layer's parameters and gradients at the epoch on view. Only the lines on screen are
    built: the 2-64-32-16-1 network has 2,753 parameters and as many gradients."""

    BINDINGS = [
        Binding("shift+left", "scroll_left", "Scroll left", show=False),
        Binding("shift+right", "scroll_right", "Scroll right", show=False),
    ]

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._table: _Table | None = None
        self._cache: dict[int, Strip] = {}
        self._cache_width = 0  # the width the cached lines were laid out for
        self.lines_sent = 0

    def _size_updated(self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True) -> bool:
        # Textual's ScrollView repaints both scrollbars on every layout pass anywhere on the screen
        # (its container-size test never matches), ~1.8 KB each at 120 columns: not when nothing moved.
        # Its own virtual size (the table's, set by show) counts: without it a new table's scrollbar
        # waited for the next resize to appear.
        sizes = (size, virtual_size, container_size, self.virtual_size)
        if sizes == getattr(self, "_sizes", None):
            return False
        self._sizes = sizes
        return super()._size_updated(size, virtual_size, container_size, layout)

    def show(self, frame: Frame, lang: str) -> None:
        old_table, old_cache = self._table, self._cache
        self.drawn = (frame.stamp, lang)
        self._table = _Table(frame, lang) if frame.weights is not None else None
        self._cache = {}
        size = Size(self._table.width, len(self._table.lines)) if self._table else Size(0, 0)
        if old_table is None or size != self.virtual_size:
            self.virtual_size = size
            self.refresh()
            return
        # The same shape: resend only the lines on screen whose text changed.
        _, scroll_y = self.scroll_offset
        width = self.size.width
        for y in range(self.size.height):
            index = scroll_y + y
            if index >= len(self._table.lines):
                break
            if old_cache.get(index) != self._strip(index):
                self.lines_sent += 1
                self.refresh(Region(0, y, width, 1))

    def _strip(self, index: int) -> Strip:
        width = self.size.width
        if width != self._cache_width:  # a line that fits itself to the width is laid out again
            self._cache = {i: strip for i, strip in self._cache.items() if self._table.lines[i][0] != "fit"}
            self._cache_width = width
        strip = self._cache.get(index)
        if strip is None:
            text = self._table.line(index, width)
            strip = Strip(Segment.simplify(text.render(self.app.console)), text.cell_len)
            self._cache[index] = strip
        return strip

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.size.width
        style = self.rich_style
        if self._table is None or index >= len(self._table.lines):
            return Strip.blank(width, style)
        return self._strip(index).crop_extend(scroll_x, scroll_x + width, style).apply_style(style)
