"""The decision-boundary map: the network's output p over the input square at the epoch on view,
its p = 0.5 contour, and the dataset's rows marked right or wrong. For a single neuron, its line
w₁x₁ + w₂x₂ + b = 0 exactly; for one small hidden layer, each hidden neuron's line dotted over it.

Computed with numpy from the Frame's plain floats (core.boundary), never with torch. Drawn with
the line API: the strips are cached, and when the weights change only the lines that came out
different are sent to the terminal.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.strip import Strip

from core.boundary import OUTPUT_SCALE, Params, boundary_map, line_mask, row_marks, single_neuron_line, square_size
from core.boundary_text import overlaid_lines, text_size
from tui.i18n import tr
from tui.session import Frame
from tui.widgets.heatmap import Painter, Picture, colour_mode
from tui.widgets.strip_panel import StripPanel

MARGIN = 3  # cells left of the map, for the x₂ labels
FOOTER_ROWS = 3  # the x₁ labels, the legend, and a caption (the line's equation, the slice)
FAINT = Style(dim=True)
BOLD = Style(bold=True)


@dataclass(frozen=True)
class MapInput:
    """What the map depends on; a new one that equals the last draws nothing."""

    layers: tuple  # ((weight rows, bias), ...) of each layer, plain floats
    activation: str
    rows: tuple
    predictions: tuple
    epoch: int
    x3: float


def map_input(frame: Frame, x3: float = 0.0) -> MapInput | None:
    weights = frame.weights
    if weights is None:
        return None
    layers = tuple((layer.weight, layer.bias) for layer in weights.layers)  # compared with ==, never hashed
    return MapInput(layers, frame.lesson.config.activation, tuple(frame.rows), tuple(weights.predictions), weights.epoch, x3)


def map_side(mode: str, width: int, height: int) -> int:
    """Grid points across (and up) for a map in width × height cells, footer rows left out."""
    room_w, room_h = width - MARGIN, height - FOOTER_ROWS
    if mode == "shade":
        return text_size(min(room_w, 2 * room_h - 1))[0]
    return square_size(min(room_w, 2 * room_h))


class BoundaryMap(StripPanel):
    """The output over x₁, x₂ ∈ [-0.5, 1.5] (a slice x₃ = 0 or 1 for three inputs)."""

    DEFAULT_CSS = "BoundaryMap { height: 1fr; width: 1fr; }"

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._input: MapInput | None = None
        self._lang = "en"
        self._drawn_for: tuple | None = None  # (input, lang, size, mode) of the strips on screen

    # --- what the app calls ------------------------------------------------------------------------

    def show(self, frame: Frame, lang: str, x3: float = 0.0) -> None:
        """Show the epoch on view; draws nothing if what it shows has not changed."""
        self._input, self._lang = map_input(frame, x3), lang
        self._update()

    def on_resize(self) -> None:
        self._update()

    # --- drawing -------------------------------------------------------------------------------------

    def _update(self) -> None:
        width, height = self.size
        if width <= 0 or height <= 0:
            return
        mode = colour_mode(self.app)
        key = (self._input, self._lang, (width, height), mode)
        if key == self._drawn_for:
            return
        self._drawn_for = key
        self.set_strips(self._build(mode, width, height))

    def _build(self, mode: str, width: int, height: int) -> list[Strip]:
        base = self.rich_style  # looked up once: each lookup costs a walk over the styles
        background = base.bgcolor
        blank = Strip.blank(width, Style(bgcolor=background))
        data = self._input
        if data is None:
            return [self.text_strip(Text(" " + tr("map_waiting", self._lang), FAINT), width, base)] + [blank] * (height - 1)
        n = map_side(mode, width, height)
        if n < 9:
            return [self.text_strip(Text(" " + tr("map_too_small", self._lang), FAINT), width, base)] + [blank] * (height - 1)
        params = Params.from_pairs(data.layers, data.activation)
        ny = (n + 1) // 2 if mode == "shade" else n
        bmap = boundary_map(params, nx=n, ny=ny, x3=data.x3, hidden=False, epoch=data.epoch)
        line = single_neuron_line(params, data.x3)
        edge = line_mask(line, bmap.x1, bmap.x2) if line is not None else None
        marks = row_marks(data.rows, bmap.x1, bmap.x2, bmap.x3, data.predictions)
        hidden_lines = overlaid_lines(params, data.x3)
        picture = Picture(bmap.p, bmap.x1, bmap.x2, OUTPUT_SCALE, edge, bmap.z, hidden_lines, marks)
        painter = self.painter(mode, background)
        map_rows = painter.paint(picture)

        labels = {}
        for value, text in ((1.0, "1"), (0.0, "0")):
            i = int(abs(bmap.x2 - value).argmin())
            labels[(ny - 1 - i) // 2 if mode != "shade" else ny - 1 - i] = text
        strips = []
        margin_style = base + FAINT
        rest = width - MARGIN - n
        for r, row in enumerate(map_rows):
            label = labels.get(r, "x₂" if r == 0 else "")
            parts = [Segment(f"{label:>2} ", margin_style), *row]
            if rest > 0:
                parts.append(Segment(" " * rest, base))
            strips.append(Strip(parts, width))
        strips.append(self.text_strip(self._axis(bmap.x1, n), width, base))
        strips.append(self.text_strip(self._legend(painter, mode, bool(hidden_lines), width), width, base))
        strips.append(self.text_strip(self._caption(line, bmap.x3), width, base))
        strips.extend([blank] * (height - len(strips)))
        return strips[:height]

    def _axis(self, x1, n: int) -> Text:
        line = [" "] * (MARGIN + n + 3)
        for value, text in ((0.0, "0"), (1.0, "1")):
            j = int(abs(x1 - value).argmin())
            line[MARGIN + j] = text
        line[MARGIN + n - 1 :] = list(" x₁")
        return Text("".join(line).rstrip(), FAINT)

    def _legend(self, painter: Painter, mode: str, hidden: bool, width: int) -> Text:
        lang = self._lang
        text = Text(" ")
        if mode == "shade":
            text.append("p<0.1 ░ ▓ █ p≥0.9", FAINT)
            text.append("  ─│╱╲ ", BOLD)
        else:
            text.append("0 ", FAINT)
            for colour in painter.level_colours():
                text.append(" ", Style(bgcolor=f"rgb({colour[0]},{colour[1]},{colour[2]})"))
            text.append(" 1", FAINT)
            contour = painter.colour("contour")
            text.append("  ━ ", Style(color=f"rgb({contour[0]},{contour[1]},{contour[2]})", bold=True))
        text.append("p = 0.5", FAINT)
        # The rest goes in whole items, as many as fit: a word (a Korean one above all) is never cut.
        items = [[("  0/1 ", BOLD), (tr("map_targets", lang), FAINT)]]
        if hidden:
            items.append([("  ··· ", BOLD), (tr("map_hidden_lines", lang), FAINT)])
        for item in items:
            if text.cell_len + sum(Text(part).cell_len for part, _ in item) > width:
                break
            for part, style in item:
                text.append(part, style)
        return text

    def _caption(self, line, x3: float | None) -> Text:
        lang = self._lang
        text = Text(" ")
        if line is not None:
            text.append(tr("map_line", lang, equation=line.equation()) if (line.w1 or line.w2) else tr("map_no_line", lang))
        if x3 is not None:
            text.append(("   " if line is not None else "") + tr("map_slice", lang, x3=x3), FAINT)
        return text

