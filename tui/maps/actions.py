"""The decision boundary in the app: the map panel, the map as a view of its own (m), the hidden
neurons' screen (h) and the slice x₃ = 0 or 1 of a 3-input dataset (x).

The app calls `_draw_boundary(frame)` whenever it draws the weights, so the map keeps their pace
(REDRAW_EVERY: the map is a heavy panel) and shows the same epoch. While a run trains, the map's
lines are computed and painted by a worker thread from the worker's weights snapshot (plain
floats, numpy: never torch) and shown when they arrive; on a key (browsing, a toggle) they are
drawn at once. The widget sends the terminal only the lines that changed.
"""

from __future__ import annotations

from textual import work

from tui.maps.boundary_map import BoundaryMap, MapRequest, build
from tui.messages import MapPainted


class BoundaryActions:
    """Mixed into PerceptronLab: needs its session, state, view, lang and redraw."""

    map_x3: float = 0.0  # the slice of the cube shown for 3-input datasets

    # --- keys --------------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "slice":
            return self._inputs() == 3  # hidden (and inert) for the 2-input datasets
        if action == "hidden_neurons" and not self.live.ready:
            return None  # greyed until the engine has loaded
        return super().check_action(action, parameters)

    def action_map_view(self) -> None:
        """The map alone in the right column (larger at 120 columns; at 80 the only way to see it)."""
        self.screen.toggle_class("map-view")
        self.call_after_refresh(self._draw_map_now)

    def action_slice(self) -> None:
        if self._inputs() == 3:
            self.map_x3 = 1.0 - self.map_x3
            self._draw_map_now()

    def action_hidden_neurons(self) -> None:
        from tui.maps.hidden_neurons import HiddenNeurons  # numpy: loaded with the engine

        frame = self.live.frame(self.state, self.view, with_weights=True, with_curve=False)

        def closed(x3: float | None) -> None:
            if x3 is not None and x3 != self.map_x3:
                self.map_x3 = x3
                self._draw_map_now()

        self.push_screen(HiddenNeurons(frame, self.lang, self.map_x3), closed)

    # --- drawing -----------------------------------------------------------------------------------

    def _inputs(self) -> int:
        return self.live.lesson.config.sizes[0]

    def _draw_map_now(self) -> None:
        frame = self.live.frame(self.state, self.view, with_weights=True, with_curve=False)
        self._draw_boundary(frame, at_once=True)

    def _draw_boundary(self, frame, at_once: bool = False) -> None:
        """Show `frame`'s epoch on the map (if it is on screen) and on the hidden neurons' screen (if open)."""
        from tui.maps.hidden_neurons import HiddenNeurons

        if isinstance(self.screen, HiddenNeurons) and frame.weights is not None:
            self.screen.show(frame, self.lang)
        widget = self.query_one(BoundaryMap)
        if widget.region.area == 0:
            return  # not on screen (80 columns without the map view, notes open): nothing to compute
        x3 = self.map_x3 if self._inputs() == 3 else 0.0
        request = widget.request(frame, self.lang, x3)
        if request is None or not widget.wants(request):
            return
        painter = widget.painter(request.mode, request.base.bgcolor)
        if self.state == "running" and not at_once:
            self._paint_map(request, painter)
        else:
            widget.apply(request, build(request, painter, self.console))

    @work(thread=True, exclusive=True, group="boundary", exit_on_error=False)
    def _paint_map(self, request: MapRequest, painter) -> None:
        self.post_message(MapPainted(request, build(request, painter, self.console)))

    def on_map_painted(self, message: MapPainted) -> None:
        self.query_one(BoundaryMap).apply(message.request, message.strips)
