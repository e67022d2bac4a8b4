"""The decision-boundary map: the network's output p over the input square at the epoch on view,
its p = 0.5 contour, and the dataset's rows marked right or wrong. For a single neuron, its line
w₁x₁ + w₂x₂ + b = 0 exactly; for one small hidden layer, each hidden neuron's line dotted over it.
The neuron lesson's threshold neuron outputs only 0 or 1: its map is two classes split by its
line w₁x₁ + w₂x₂ = θ, not a gradient.

Computed with numpy from the Frame's plain floats (core.maps.boundary), never with torch. Drawing is
split in two: `request()` (UI thread) says what to draw, at which size and in which colours;
`build()` makes the lines from it and touches no widget, so a worker thread can run it while a
run trains; `apply()` shows them, and only the lines that changed are sent to the terminal.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.strip import Strip

from core.words import say
from tui.maps.map_panel import MapPanel, colour_mode, text_strip
from tui.run.live import Frame
from tui.widgets.drawn import DrawsFrames

MARGIN = 3  # cells left of the map, for the x₂ labels
FOOTER_ROWS = 3  # the x₁ labels, the legend, and a caption (the line's equation, the slice), if it fits one line
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
    threshold: tuple[float, float, float] | None = None  # (w₁, w₂, θ) of a threshold neuron: a step, not a sigmoid
    biased: bool = False  # the threshold written as a bias b = −θ (the perceptron rule's unit)


def map_input(frame: Frame, x3: float = 0.0) -> MapInput | None:
    weights = frame.weights
    if weights is None:
        return None
    layers = tuple((layer.weight, layer.bias) for layer in weights.layers)  # compared with ==, never hashed
    neuron = frame.neuron
    threshold = None if neuron is None else tuple(neuron.value(name) for name in ("w1", "w2", "theta"))
    if frame.lesson.rule:  # Rosenblatt's unit is a step too: two classes, split by w·x + b = 0
        (w1, w2), b = weights.layers[0].weight[0], weights.layers[0].bias[0]
        threshold = (w1, w2, -b)
    return MapInput(
        layers,
        frame.lesson.config.activation,
        tuple(frame.rows),
        tuple(weights.predictions),
        weights.epoch,
        x3,
        threshold,
        frame.lesson.rule,
    )


@dataclass(frozen=True, eq=False)
class MapRequest:
    """Everything `build` needs, read on the UI thread: the input, the words' language, the size in
    cells, the colour mode, and the widget's style (its background)."""

    input: MapInput | None
    lang: str
    size: tuple[int, int]
    mode: str
    base: Style
    stamp: tuple | None = None  # (Frame.stamp, lang) of the frame it draws: not part of the picture

    def key(self) -> tuple:
        return (self.input, self.lang, self.size, self.mode)


def map_side(mode: str, width: int, height: int, footer: int = FOOTER_ROWS) -> int:
    """Grid points across (and up) for a map in width × height cells, `footer` rows left out."""
    from core.maps.boundary import square_size
    from core.maps.boundary_text import text_size

    room_w, room_h = width - MARGIN, height - footer
    if mode == "shade":
        return text_size(min(room_w, 2 * room_h - 1))[0]
    return square_size(min(room_w, 2 * room_h))


def build(request: MapRequest, painter, console: Console) -> list[Strip]:
    """The map's lines for this request. Touches no widget: safe on a worker thread."""
    (width, height), mode, base, lang = request.size, request.mode, request.base, request.lang
    blank = Strip.blank(width, Style(bgcolor=base.bgcolor))
    data = request.input
    if data is None:  # before the engine has loaded: numpy is not needed (nor loaded) yet
        return _note(console, say("map.waiting", lang), request, blank)
    import numpy as np

    from core.maps.boundary import OUTPUT_SCALE, Params, boundary_map, line_mask, row_marks, single_neuron_line
    from core.maps.boundary_text import overlaid_lines
    from tui.maps.heatmap import Picture

    params = Params.from_pairs(data.layers, data.activation)
    line = single_neuron_line(params, data.x3)
    x3 = data.x3 if params.sizes[0] == 3 else None
    # The caption wraps (a narrow panel, a long equation) and the map takes the rows it leaves.
    caption = _caption(line, x3, lang, max(1, width - 1))
    hidden_lines = overlaid_lines(params, data.x3)
    if data.threshold is not None:
        legend = _step_legend(painter, mode, width, lang, data.biased)
    else:
        legend = _legend(painter, mode, bool(hidden_lines), width, lang)
    n = map_side(mode, width, height, 1 + len(legend) + len(caption))
    if n < 9:
        return _note(console, say("map.too_small", lang), request, blank)
    ny = (n + 1) // 2 if mode == "shade" else n
    bmap = boundary_map(params, nx=n, ny=ny, x3=data.x3, hidden=False, epoch=data.epoch)
    edge = line_mask(line, bmap.x1, bmap.x2) if line is not None else None
    marks = row_marks(data.rows, bmap.x1, bmap.x2, bmap.x3, data.predictions)
    values = bmap.p
    if data.threshold is not None:  # 1 where w·x ≥ θ, else 0: two classes (in shades: ░ and █)
        values = np.where(bmap.z >= 0, 1.0, 0.25 if mode == "shade" else 0.0)
    picture = Picture(values, bmap.x1, bmap.x2, OUTPUT_SCALE, edge, bmap.z, hidden_lines, marks)
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
    for text in (_axis(bmap.x1, n), *legend):
        strips.append(text_strip(console, text, width, base))
    strips.extend(text_strip(console, Text(" ") + text, width, base) for text in caption)
    strips.extend([blank] * (height - len(strips)))
    return strips[:height]


def _note(console: Console, note: str, request: MapRequest, blank: Strip) -> list[Strip]:
    """A note instead of the map, wrapped (never cut mid-word) to the panel's width."""
    (width, height), base = request.size, request.base
    if width < 2:  # a panel caught mid-resize, a cell wide (the long key fuzz, seed 110): no room for words
        return [blank] * height
    lines = [text_strip(console, Text(" ") + line, width, base) for line in Text(note, FAINT).wrap(console, width - 1)]
    return (lines + [blank] * height)[:height]


def _axis(x1, n: int) -> Text:
    line = [" "] * (MARGIN + n + 3)
    for value, text in ((0.0, "0"), (1.0, "1")):
        j = int(abs(x1 - value).argmin())
        line[MARGIN + j] = text
    line[MARGIN + n - 1 :] = list(" x₁")
    return Text("".join(line).rstrip(), FAINT)


def _legend(painter, mode: str, hidden: bool, width: int, lang: str) -> list[Text]:
    """The colours (or shades) and the p = 0.5 line, then what the marks mean: whole items, as many
    a line as fit, so that a word (a Korean one above all) is never cut."""
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
    items = [[("0/1 ", BOLD), (say("map.targets", lang), FAINT)]]
    if hidden:
        items.append([("··· ", BOLD), (say("map.hidden_lines", lang), FAINT)])
    return _packed([text], items, width)


def _step_legend(painter, mode: str, width: int, lang: str, biased: bool = False) -> list[Text]:
    """A threshold neuron's legend: its two classes and the line between them, w₁x₁ + w₂x₂ = θ."""
    if mode == "shade":
        swatches = [("░", None), ("█", None)]
        edge = ("─│╱╲ ", BOLD)
    else:
        colours = painter.level_colours()
        swatches = [("  ", Style(bgcolor=f"rgb({c[0]},{c[1]},{c[2]})")) for c in (colours[0], colours[-1])]
        contour = painter.colour("contour")
        edge = ("━ ", Style(color=f"rgb({contour[0]},{contour[1]},{contour[2]})", bold=True))
    items = [
        [swatches[0], (" " + say("map.output_0", lang), FAINT)],
        [swatches[1], (" " + say("map.output_1", lang), FAINT)],
        [edge, (say("map.bias_line" if biased else "map.threshold_line", lang), FAINT)],
        [("0/1 ", BOLD), (say("map.targets", lang), FAINT)],
    ]
    return _packed([Text("")], items, width)


def _packed(lines: list[Text], items: list[list[tuple]], width: int) -> list[Text]:
    """Items appended to `lines` whole, as many a line as fit in `width` cells."""
    for item in items:
        size = 2 + sum(Text(part).cell_len for part, _ in item)
        if lines[-1].cell_len + size > width:
            lines.append(Text(""))
        lines[-1].append("  " if lines[-1].cell_len else " ")
        for part, style in item:
            lines[-1].append(part, style)
    return lines


def _caption(line, x3: float | None, lang: str, width: int) -> list[Text]:
    """The line's equation and the slice, on one line if they fit, else each wrapped where an
    equation may break (never between its sides: a line once ended "… − 0.58 =" and the next "0")."""
    from core.mathtext import cells, wrap

    parts = []
    if line is not None:
        equation = say("map.line", lang, equation=line.equation())
        parts.append((equation if (line.w1 or line.w2) else say("map.no_line", lang), None))
    if x3 is not None:
        parts.append((say("map.slice", lang, x3=x3), FAINT))
    if not parts:
        return []
    if cells("   ".join(part for part, _ in parts)) <= width:
        text = Text()
        for k, (part, style) in enumerate(parts):
            text.append(("   " if k else "") + part, style or "")
        return [text]
    return [Text(row, style or "") for part, style in parts for row in wrap(part, width)]


class BoundaryMap(DrawsFrames, MapPanel):
    """The output over x₁, x₂ ∈ [-0.5, 1.5] (a slice x₃ = 0 or 1 for three inputs)."""

    DEFAULT_CSS = "BoundaryMap { height: 1fr; width: 1fr; }"

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._input: MapInput | None = None
        self._lang = "en"
        self._titled: str | None = None
        self._wanted: tuple | None = None  # the key of the last request asked for
        self._drawn_for: tuple | None = None  # the key of the lines on screen
        self._frame_stamp = None  # the stamp of the frame `_input` came from
        self._wanted_stamp: tuple | None = None  # the frame of the lines asked for last

    # --- what the app calls ------------------------------------------------------------------------

    def show(self, frame: Frame, lang: str, x3: float = 0.0) -> None:
        """Show the epoch on view now (on this thread); draws nothing if nothing it shows changed."""
        request = self.request(frame, lang, x3)
        if request is not None and self.wants(request):
            self.apply(request, build(request, self.painter(request.mode, request.base.bgcolor), self.app.console))

    def request(self, frame: Frame | None, lang: str, x3: float = 0.0) -> MapRequest | None:
        """What to draw for this frame at the panel's size; None while the panel has no size."""
        if frame is not None:
            self._input = map_input(frame, x3)
            self._frame_stamp = frame.stamp
        self._lang = lang
        if self._titled != lang:  # a title repaints the whole panel: only when the language changes
            self._titled = lang
            self.border_title = say("map.title", lang)
        width, height = self.size
        if width <= 0 or height <= 0:
            return None
        stamp = (self._frame_stamp, lang)
        return MapRequest(self._input, lang, (width, height), colour_mode(self.app), self.rich_style, stamp)

    def wants(self, request: MapRequest) -> bool:
        """Whether this request would change what is on screen (or on its way); notes it as wanted."""
        key = request.key()
        self._wanted_stamp = request.stamp  # the same picture may stand for a newer frame
        if key == self._wanted:
            if key == self._drawn_for:
                self.drawn = request.stamp
            return False
        self._wanted = key
        return True

    def apply(self, request: MapRequest, strips: list[Strip]) -> None:
        """Show lines built for `request`, unless a newer request was made since."""
        key = request.key()
        if key != self._wanted or key == self._drawn_for:
            return
        self._drawn_for = key
        self.drawn = self._wanted_stamp
        self.show_strips(strips)

    def on_mount(self) -> None:
        self.request(None, self.app.lang)  # the title, in the first frame

    def on_resize(self) -> None:
        request = self.request(None, self._lang)
        if request is not None and self.wants(request):
            self.apply(request, build(request, self.painter(request.mode, request.base.bgcolor), self.app.console))
