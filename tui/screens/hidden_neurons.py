"""Hidden neurons: what each neuron of a hidden layer computes, as a map over the input square.

A grid of thumbnails (a page at a time for wide layers) beside the chosen neuron shown large with
its weights. The learner switches to this view (it is never squeezed into the main screen); the
app's own keys (run, step, epochs) still work here, and `show(frame, lang)` brings it up to date.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding, BindingsMap
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Footer

from core.boundary import Params, boundary_map, neuron_lines, scale_for
from tui.i18n import tr
from tui.widgets.heatmap import colour_mode
from tui.widgets.network_diagram import neuron_names
from tui.widgets.neuron_detail import Chosen, NeuronDetail
from tui.widgets.neuron_grid import NeuronGrid, Thumbnails, thumb_side
from tui.widgets.text_panel import TextPanel

if TYPE_CHECKING:
    from tui.session import Frame


def _bindings(lang: str) -> list[Binding]:
    return [
        Binding("escape,h", "close", tr("hn_back", lang), id="hidden_close"),
        Binding("tab", "neuron(1)", tr("hn_next", lang), id="hidden_next"),
        Binding("shift+tab", "neuron(-1)", tr("hn_previous", lang), id="hidden_previous", show=False),
        Binding("down", "neuron_row(1)", tr("hn_row_down", lang), id="hidden_row_down", key_display="↓"),
        Binding("up", "neuron_row(-1)", tr("hn_row_up", lang), id="hidden_row_up", key_display="↑"),
        *(
            Binding(str(k + 1), f"layer({k})", tr("hn_layer", lang), id=f"hidden_layer{k + 1}", show=k == 0, key_display="1-9" if k == 0 else None)
            for k in range(9)
        ),
        Binding("x", "slice", tr("hn_slice", lang), id="hidden_slice"),
    ]


class HiddenNeurons(Screen[None]):
    """Every neuron of one hidden layer; keys choose the layer and the neuron."""

    DEFAULT_CSS = """
    HiddenNeurons #hn-head { height: auto; background: $panel; }
    HiddenNeurons #hn-body { height: 1fr; }
    HiddenNeurons NeuronDetail { width: 42%; min-width: 38; border: round $primary 60%; }
    HiddenNeurons NeuronGrid { width: 1fr; border: round $primary 60%; }
    """

    def __init__(self, frame: Frame, lang: str = "en"):
        super().__init__()
        self.lang = lang
        self._frame = frame
        self.chosen_layer = 0  # which hidden layer
        self.chosen_neuron = 0  # which neuron of it
        self.x3 = 0.0  # the slice of the cube, for 3-input datasets
        self._thumbs: Thumbnails | None = None
        self._thumbs_for: tuple | None = None
        self._params: tuple | None = None  # (the WeightsAt, its Params): converted once per epoch on view
        self._bindings = BindingsMap(_bindings(lang))  # in the learner's language (replaces Screen's tab keys)

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
        if self.app.screen is self:
            self.dismiss(None)

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
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self._draw()

    def on_resize(self) -> None:
        self.call_after_refresh(self._draw)

    def show(self, frame: Frame, lang: str) -> None:
        """The epoch on view (or a new run): redraw what changed."""
        if frame.sizes != self._frame.sizes:
            self.chosen_layer = self.chosen_neuron = 0
        self._frame, self.lang = frame, lang
        self._draw()

    def _draw(self) -> None:
        from rich.text import Text

        frame, lang = self._frame, self.lang
        head = self.query_one("#hn-head", TextPanel)
        weights = frame.weights
        if not self.widths or weights is None:
            head.set_text(Text(" " + tr("hn_none" if not self.widths else "map_waiting", lang)))
            return
        mode = colour_mode(self.app)
        if self._params is None or self._params[0] is not weights:
            self._params = (weights, Params.from_pairs([(layer.weight, layer.bias) for layer in weights.layers], frame.lesson.config.activation))
        params = self._params[1]
        grid, detail = self.query_one(NeuronGrid), self.query_one(NeuronDetail)
        self.chosen_neuron = min(self.chosen_neuron, self.widths[self.chosen_layer] - 1)
        names = neuron_names(frame.sizes, frame.input_names)
        # Thumbnails: every neuron of the layer, computed once per epoch, slice and layer.
        side = thumb_side(*grid.size, self.widths[self.chosen_layer], mode)
        key = (weights.epoch, id(weights), self.chosen_layer, self.x3, mode, side)
        if key != self._thumbs_for:
            small = boundary_map(params, nx=side, ny=(side + 1) // 2 if mode == "shade" else side, x3=self.x3)
            values = small.hidden[self.chosen_layer]
            lines = neuron_lines(params, self.x3) if self.chosen_layer == 0 else [None] * len(values)
            self._thumbs = Thumbnails(
                values, small.x1, small.x2, tuple(scale_for(params.activation, v) for v in values), tuple(lines), tuple(names[self.chosen_layer + 1])
            )
            self._thumbs_for = key
        grid.show(self._thumbs, self.chosen_neuron, mode)
        chosen = Chosen(params, tuple(frame.rows), tuple(map(tuple, names)), self.chosen_layer, self.chosen_neuron, self.x3, weights.epoch)
        detail.show(chosen, lang, mode)
        page, pages = grid.page_of(self.chosen_neuron)
        title = Text(" ")
        title.append(tr("hn_title", lang), "bold")
        title.append(
            "  " + tr("hn_head", lang, layer=self.chosen_layer + 1, layers=len(self.widths), width=self.widths[self.chosen_layer], act=params.activation, epoch=weights.epoch)
        )
        if pages > 1:
            title.append("  " + tr("hn_page", lang, page=page + 1, pages=pages), "dim")
        if self.n_inputs == 3:
            title.append("  " + tr("map_slice", lang, x3=self.x3), "dim")
        head.set_text(title)
