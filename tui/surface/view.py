"""The loss surface view (u): the loss over a plane through the weights of the epoch on view, the
run's path so far projected onto it, and the epoch's own point.

A screen of its own, like the hidden neurons': it covers the lab, owns the keys while open, and
follows the epoch on view. ←/→ (and the page keys) browse through `app.browse`, which moves the view
only; p turns to the next plane (a single neuron's three). The surface is computed and painted by a
worker (tui/surface/actions.py); the view only shows the lines it is handed, and resends only the
lines that changed: while the run is paused and the epoch on view stays, it sends nothing.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding

from core.words import say
from tui.screens.modal import BROWSE_BINDINGS, LabModal
from tui.surface.picture import SurfaceRequest, caption, heading, legend
from tui.widgets.footer import SteadyFooter
from tui.widgets.line_panel import LinePanel, TextPanel


class SurfacePicture(LinePanel):
    """The picture's lines, as the worker painted them."""

    DEFAULT_CSS = "SurfacePicture { height: 1fr; }"

    def on_resize(self) -> None:
        # Laid out anew (the first layout, a terminal resized): a picture of this size is asked for.
        ask = getattr(self.screen, "ask_again", None)
        if ask is not None:
            self.call_after_refresh(ask)


class SurfaceView(LabModal):
    """The loss surface at the epoch on view; `drawn` is (Frame.stamp, language) of what it shows."""

    DEFAULT_CSS = """
    SurfaceView { background: $background; }
    SurfaceView #sf-head { height: auto; background: $panel; }
    SurfaceView #sf-body { height: 1fr; border: round $primary 60%; }
    SurfaceView #sf-legend, SurfaceView #sf-caption { height: auto; }
    """
    BINDINGS = [
        Binding("escape,u", "close", "Close", id="close"),
        Binding("p", "plane", "Plane", id="surface_plane"),
        *BROWSE_BINDINGS,
    ]

    def __init__(self, lang: str, planes: tuple[tuple[str, str], ...], plane: tuple[str, str] | None = None):
        super().__init__(lang)
        self.planes = planes
        self.plane = plane if plane in planes else planes[0]  # the one last shown, if the network has it
        self.drawn: tuple | None = None  # (Frame.stamp, lang) of the surface on show
        self.drawn_key: tuple | None = None  # the request it was painted for
        self.wanted: tuple | None = None  # the latest request's key: a worker's answer to another is dropped

    # --- keys ----------------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "plane":
            return len(self.planes) > 1  # a network with hidden layers has one plane: the key is hidden
        return True

    def action_close(self) -> None:
        self.close()

    def action_plane(self) -> None:
        if len(self.planes) > 1 and self.app.screen is self:
            self.plane = self.planes[(self.planes.index(self.plane) + 1) % len(self.planes)]
            surfaces = getattr(self.app, "surfaces", None)
            if surfaces is not None:
                surfaces.plane = self.plane  # opened again, the view shows this plane
            self._ask()

    # --- content -------------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield TextPanel(id="sf-head")
        yield SurfacePicture(id="sf-body")
        yield TextPanel(id="sf-legend")
        yield TextPanel(id="sf-caption")
        yield SteadyFooter(compact=True)

    def on_mount(self) -> None:
        self.query_one("#sf-body").border_title = say("surface.title", self.lang)
        self.query_one("#sf-caption", TextPanel).set_text(Text(" " + say("surface.waiting", self.lang), "dim"))
        self.call_after_refresh(self._ask)

    def ask_again(self) -> None:
        self._ask()

    def _ask(self) -> None:
        surfaces = getattr(self.app, "surfaces", None)
        if surfaces is not None and self.is_mounted and self.app.screen is self:
            surfaces.ask()

    def picture_size(self) -> tuple[int, int]:
        body = self.query_one(SurfacePicture)
        return body.size.width, body.size.height

    def apply(self, request: SurfaceRequest, surface, strips: list) -> None:
        """Show a painted surface, if it answers the latest request."""
        if request.key != self.wanted or not self.is_mounted:
            return
        base = self.query_one(SurfacePicture).rich_style
        self.query_one("#sf-head", TextPanel).set_text(heading(request, surface))
        self.query_one(SurfacePicture).show_strips(strips)
        self.query_one("#sf-legend", TextPanel).set_text(legend(request, base))
        self.query_one("#sf-caption", TextPanel).set_text(caption(surface, request))
        self.drawn, self.drawn_key = request.stamp, request.key

    def note(self, words: str) -> None:
        """No surface to show (the engine loading, too small): one line says why."""
        self.query_one("#sf-caption", TextPanel).set_text(Text(" " + words, "dim"))
        self.query_one(SurfacePicture).show_strips([])
