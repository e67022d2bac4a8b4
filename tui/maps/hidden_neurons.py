"""Hidden neurons: what each neuron of a hidden layer computes, as a map over the input square.

A grid of thumbnails (a page at a time for wide layers) beside the chosen neuron shown large with
its weights. A screen of its own, never squeezed into the lab's: it covers it whole, owns the keys
while open (tui/screens/modal.py), and follows the epoch on view: the app calls `show(frame,
lang)` as it redraws, and ←/→ (and the page keys) browse the epochs through `app.browse`, which
moves the view only: no key here trains.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal

from core.maps.boundary import Params, boundary_map, neuron_lines, scale_for
from core.words import say
from tui.maps.map_panel import colour_mode
from tui.maps.neuron_detail import Chosen, NeuronDetail
from tui.maps.neuron_grid import NeuronGrid, Thumbnails, thumb_side
from tui.screens.modal import BROWSE_BINDINGS, LabModal
from tui.widgets.footer import SteadyFooter
from tui.widgets.line_panel import TextPanel
from tui.widgets.network_diagram import neuron_names

if TYPE_CHECKING:
    from tui.run.live import Frame

LAYER_KEYS = 9


class HiddenNeurons(LabModal):
    """Every neuron of one hidden layer; keys choose the layer and the neuron."""

    DEFAULT_CSS = """
    HiddenNeurons { background: $background; }
    HiddenNeurons #hn-head { height: auto; background: $panel; }
    HiddenNeurons #hn-body { height: 1fr; }
    HiddenNeurons NeuronDetail { width: 42%; min-width: 38; border: round $primary 60%; }
    HiddenNeurons NeuronGrid { width: 1fr; border: round $primary 60%; }
    """
    # Descriptions come from the words' [key] table by id (LabModal); the layer keys 2-9 share "1"'s.
    BINDINGS = [
        Binding("escape,h", "close", "Close", id="close"),
        Binding("tab", "neuron(1)", "Next neuron", id="hidden_next"),
        Binding("shift+tab", "neuron(-1)", "Previous neuron", id="hidden_previous", show=False),
        Binding("down", "neuron_row(1)", "Row down", id="hidden_row_down", key_display="↓"),
        Binding("up", "neuron_row(-1)", "Row up", id="hidden_row_up", key_display="↑"),
        Binding("1", "layer(0)", "Layer", id="hidden_layer", key_display="1-9"),
        *(Binding(str(k + 1), f"layer({k})", "", show=False) for k in range(1, LAYER_KEYS)),
        Binding("x", "slice", "x₃", id="slice"),
        *BROWSE_BINDINGS,
    ]

    def __init__(self, frame: Frame, lang: str = "en", x3: float = 0.0):
        super().__init__(lang)
        self._frame = frame
        self.chosen_layer = 0  # which hidden layer
        self.chosen_neuron = 0  # which neuron of it
        self.x3 = x3  # the slice of the cube, for 3-input datasets
        self._thumbs: Thumbnails | None = None
        self._thumbs_for: tuple | None = None
        self._params: tuple | None = None  # (the WeightsAt, its Params): converted once per epoch on view

    # --- keys ----------------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "slice":
            return self.n_inputs == 3
        if action == "layer":
            return len(self.widths) > 1 and parameters[0] < len(self.widths)
        return True

    @property
    def widths(self) -> tuple[int, ...]:
        return self._frame.sizes[1:-1]

    @property
    def n_inputs(self) -> int:
        return self._frame.sizes[0]

    def action_close(self) -> None:
        self.close(self.x3)

    def action_neuron(self, step: int) -> None:
        if self.widths:
            self.chosen_neuron = (self.chosen_neuron + step) % self.widths[self.chosen_layer]
            self._draw()

    def action_neuron_row(self, step: int) -> None:
        if not self.widths:
            return
        target = self.chosen_neuron + step * self.query_one(NeuronGrid).across
        if 0 <= target < self.widths[self.chosen_layer]:
            self.chosen_neuron = target
            self._draw()

    def action_layer(self, k: int) -> None:
        if k < len(self.widths) and k != self.chosen_layer:
            self.chosen_layer, self.chosen_neuron = k, 0
            self._draw()

    def action_slice(self) -> None:
        self.x3 = 1.0 - self.x3
        self._draw()

    # --- content -------------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield TextPanel(id="hn-head")
        with Horizontal(id="hn-body"):
            yield NeuronDetail()
            yield NeuronGrid()
        yield SteadyFooter(compact=True)

    def on_mount(self) -> None:
        self._draw()

    def on_resize(self) -> None:
        self.call_after_refresh(self._draw)

    def show(self, frame: Frame, lang: str) -> None:
        """The epoch on view (or a new run): redraw what changed."""
        if frame.sizes != self._frame.sizes:
            self.chosen_layer = self.chosen_neuron = 0
        self._frame = frame  # the keys' words stay in the language the screen opened in
        self.lang = lang
        self._draw()

    def _draw(self) -> None:
        frame, lang = self._frame, self.lang
        heads = self.query("#hn-head")
        if not heads:
            return  # not composed yet (on_mount draws) or already closing: nothing to draw on
        head = heads.first(TextPanel)
        weights = frame.weights
        if not self.widths or weights is None:
            head.set_text(Text(" " + say("hidden.none" if not self.widths else "map.waiting", lang)))
            return
        mode = colour_mode(self.app)
        if self._params is None or self._params[0] is not weights:
            pairs = [(layer.weight, layer.bias) for layer in weights.layers]
            self._params = (weights, Params.from_pairs(pairs, frame.lesson.config.activation))
        params = self._params[1]
        grid, detail = self.query_one(NeuronGrid), self.query_one(NeuronDetail)
        width = self.widths[self.chosen_layer]
        self.chosen_neuron = min(self.chosen_neuron, width - 1)
        names = neuron_names(frame.sizes, frame.input_names)
        # Thumbnails: every neuron of the layer, computed once per epoch, slice and layer.
        side = thumb_side(*grid.size, width, mode)
        key = (weights.epoch, id(weights), self.chosen_layer, self.x3, mode, side)
        if key != self._thumbs_for:
            small = boundary_map(params, nx=side, ny=(side + 1) // 2 if mode == "shade" else side, x3=self.x3)
            values = small.hidden[self.chosen_layer]
            lines = neuron_lines(params, self.x3) if self.chosen_layer == 0 else [None] * len(values)
            scales = tuple(scale_for(params.activation, v) for v in values)
            layer_names = tuple(names[self.chosen_layer + 1])
            self._thumbs = Thumbnails(values, small.x1, small.x2, scales, tuple(lines), layer_names)
            self._thumbs_for = key
        grid.show(self._thumbs, self.chosen_neuron, mode)
        chosen = Chosen(
            params, tuple(frame.rows), tuple(map(tuple, names)), self.chosen_layer, self.chosen_neuron, self.x3,
            weights.epoch,
        )  # fmt: skip
        detail.show(chosen, lang, mode)
        page, pages = grid.page_of(self.chosen_neuron)
        title = Text(" ")
        title.append(say("hidden.title", lang), "bold")
        title.append(
            "  " + say(
                "hidden.head", lang, layer=self.chosen_layer + 1, layers=len(self.widths), width=width,
                act=params.activation, epoch=weights.epoch,
            )
        )  # fmt: skip
        if pages > 1:
            title.append("  " + say("hidden.page", lang, page=page + 1, pages=pages), "dim")
        if self.n_inputs == 3:
            title.append("  " + say("map.slice", lang, x3=self.x3), "dim")
        head.set_text(title)
