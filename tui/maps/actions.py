"""The decision boundary in the app: the map panel, the map as a view of its own (m), the hidden
neurons' screen (h) and the slice x₃ = 0 or 1 of a 3-input dataset (x).

The app's drawing calls `draw(frame)` whenever it draws the weights, so the map keeps their pace
(REDRAW_EVERY: the map is a heavy panel) and shows the same epoch. While a run trains, the map's
lines are computed and painted by a worker thread from the worker's weights snapshot (plain
floats, numpy: never torch) and shown when they arrive; on a key (browsing, a toggle) they are
drawn at once. The widget sends the terminal only the lines that changed.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from core.words import say
from tui.maps.boundary_map import BoundaryMap, MapRequest, build
from tui.messages import MapPainted

if TYPE_CHECKING:
    from tui.app import PerceptronLab


class Maps:
    """The maps' part of the app: its keys (m, x, h), and drawing the epoch on view on the map."""

    def __init__(self, app: PerceptronLab):
        self.app = app
        self.x3 = 0.0  # the slice of the cube shown for 3-input datasets

    # --- keys --------------------------------------------------------------------------------------

    def check_action(self, action: str) -> bool | None:
        """The maps' own rules for their keys (True: no rule of theirs)."""
        if action == "slice":
            return self._inputs() == 3  # hidden (and inert) for the 2-input datasets
        if action == "hidden_neurons":
            if len(self.app.live.lesson.config.sizes) < 3:
                return False  # no hidden layer: hidden (the key says why)
            if not self.app.live.ready:
                return None  # greyed until the engine has loaded
        return True

    def why_not(self, action: str, key: str) -> str | None:
        """Why a map key that does nothing here does nothing, in one line (None: not a map key)."""
        app = self.app
        sizes = app.live.lesson.config.sizes
        if action == "slice":
            return say("app.why_no_slice", app.lang, key=key, n=sizes[0])
        if action == "hidden_neurons":
            return say("app.why_no_hidden", app.lang, key=key, sizes="-".join(map(str, sizes)))
        return None

    def toggle_view(self) -> None:
        """The map alone in the right column (larger at 120 columns; at 80 the only way to see it)."""
        app = self.app
        app.screen.toggle_class("map-view")
        app.call_after_refresh(self.draw_now)

    def toggle_slice(self) -> None:
        if self._inputs() == 3:
            self.x3 = 1.0 - self.x3
            self.draw_now()

    def open_hidden_neurons(self) -> None:
        from tui.maps.hidden_neurons import HiddenNeurons  # numpy: loaded with the engine

        app = self.app
        frame = app.live.frame(app.state, app.view, with_weights=True, with_curve=False)

        def closed(x3: float | None) -> None:
            if x3 is not None and x3 != self.x3:
                self.x3 = x3
                self.draw_now()

        app.push_screen(HiddenNeurons(frame, app.lang, self.x3), closed)

    # --- drawing -----------------------------------------------------------------------------------

    def _inputs(self) -> int:
        return self.app.live.lesson.config.sizes[0]

    def draw_now(self) -> None:
        app = self.app
        frame = app.live.frame(app.state, app.view, with_weights=True, with_curve=False)
        self.draw(frame, at_once=True)

    def draw(self, frame, at_once: bool = False) -> None:
        """Show `frame`'s epoch on the map (if it is on screen) and on the hidden neurons' screen (if open)."""
        from tui.maps.hidden_neurons import HiddenNeurons

        app = self.app
        if isinstance(app.screen, HiddenNeurons) and frame.weights is not None:
            app.screen.show(frame, app.lang)
        if not app.on_main_screen:
            return  # the map is beneath a screen on top: drawn when the main view is back (catch_up)
        widget = app.query_one(BoundaryMap)
        if widget.region.area == 0:
            return  # not on screen (80 columns without the map view, notes open): drawn when it comes back
        x3 = self.x3 if self._inputs() == 3 else 0.0
        request = widget.request(frame, app.lang, x3)
        if request is None or not widget.wants(request):
            return
        painter = widget.painter(request.mode, request.base.bgcolor)
        if app.state == "running" and not at_once:
            work = partial(self._paint, request, painter)
            app.run_worker(work, thread=True, exclusive=True, group="boundary", exit_on_error=False)
        else:
            widget.apply(request, build(request, painter, app.console))

    def _paint(self, request: MapRequest, painter) -> None:
        self.app.post_message(MapPainted(request, build(request, painter, self.app.console)))

    def painted(self, message: MapPainted) -> None:
        self.app.query_one(BoundaryMap).apply(message.request, message.strips)
