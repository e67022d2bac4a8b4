"""u: the loss surface under the run (tui/surface/view.py), for the epoch on view.

The app's drawing calls `draw(frame)` whenever it draws the weights, so the surface keeps their pace
(a heavy panel: REDRAW_EVERY) and shows the same epoch. The surface is computed and painted off the
UI thread, in a worker: the epoch's weights come from the Frame (plain floats); the path's earlier
epochs from the run's history (replayed under its lock, with torch, as the explainer does), kept
for the run so browsing brings each back once. The worker's answer is a message; the view shows it
only if it answers the latest request. A request equal to the last one (the same frame, plane, size,
colours and language) asks for nothing, so a paused run sends the terminal nothing.
"""

from __future__ import annotations

import time
from functools import partial
from typing import TYPE_CHECKING

from core.words import say
from tui.messages import SurfacePainted
from tui.surface.picture import SurfaceRequest, build, grid_size
from tui.surface.view import SurfacePicture, SurfaceView

if TYPE_CHECKING:
    from tui.app import PerceptronLab
    from tui.run.frame import Frame

NEURON = (2, 1)  # a single neuron of two inputs: its own parameters are the planes
# While a run trains, seconds between surfaces at least: a whole picture changes (~40 KB at 120x40
# in colour) where the map changes a few lines. At rest every epoch on view is drawn at once.
RUNNING_EVERY = 2.0


def colour_mode(app) -> str:
    """As the map's: "shade" with NO_COLOR or no colour, "ansi16" with 16 colours, else "rgb"."""
    if getattr(app, "no_color", False) or app.console.color_system is None:
        return "shade"
    return "ansi16" if app.console.color_system in ("standard", "windows") else "rgb"


class Surfaces:
    """The surface's part of the app: the u key, the requests and the worker that answers them."""

    def __init__(self, app: PerceptronLab):
        self.app = app
        self._known: tuple[int, dict] = (-1, {})  # (run, {epoch: core.surface Net}) of the path brought back
        self._asked = 0.0  # when the last surface was asked for (time.monotonic)
        self.plane: tuple[str, str] | None = None  # the plane last turned to (p), kept for the next opening

    def check_action(self) -> bool | None:
        """Greyed until the engine has loaded (no run, no loss)."""
        return True if self.app.live.ready else None

    def open(self) -> None:
        from core.surface.surface import NEURON_PLANES, RANDOM

        app = self.app
        if not app.on_main_screen or not app.live.ready:
            return
        planes = NEURON_PLANES if tuple(app.live.lesson.config.sizes) == NEURON else (RANDOM,)
        app.push_screen(SurfaceView(app.lang, planes, self.plane))

    def draw(self, frame: Frame) -> None:
        """The epoch on view, on the view if it is open; while the run trains, every RUNNING_EVERY s."""
        if isinstance(self.app.screen, SurfaceView):
            if self.app.state == "running" and time.monotonic() - self._asked < RUNNING_EVERY:
                return
            self.ask(frame)

    def ask(self, frame: Frame | None = None) -> None:
        """Ask a worker for the surface of `frame` (default: the frame on view), unless it is the one
        on show or already asked for."""
        app = self.app
        view = app.screen
        if not isinstance(view, SurfaceView) or not view.is_mounted:
            return
        if frame is None:
            frame = app.live.frame(app.state, app.view, with_weights=True, with_curve=False)
        if frame.weights is None or app.live.trainer is None:
            view.note(say("surface.waiting", app.lang))
            return
        mode = colour_mode(app)
        size = view.picture_size()
        if grid_size(mode, *size) is None:
            view.note(say("surface.too_small", app.lang))
            view.wanted = None
            return
        key = (frame.stamp, view.plane, size, mode, app.lang)
        if key == view.wanted:
            return
        view.wanted = key
        self._asked = time.monotonic()
        config = frame.lesson.config
        request = SurfaceRequest(
            key=key,
            stamp=(frame.stamp, app.lang),
            layers=tuple((layer.weight, layer.bias) for layer in frame.weights.layers),
            epoch=frame.weights.epoch,
            goal=max(frame.goal, frame.weights.epoch),
            rows=tuple(frame.rows),
            activation=config.activation,
            loss=config.loss,
            plane=view.plane,
            size=size,
            mode=mode,
            lang=app.lang,
            seed=0,
        )
        if self._known[0] != frame.stamp.run:
            self._known = (frame.stamp.run, {})
        base = view.query_one(SurfacePicture).rich_style
        work = partial(self._paint, request, app.live.trainer.history, self._known[1], base)
        app.run_worker(work, thread=True, exclusive=True, group="surface", exit_on_error=False)

    def _paint(self, request: SurfaceRequest, history, known: dict, base) -> None:
        from core.surface.surface import Net, path_epochs, path_nets, surface

        net = Net.from_pairs(request.layers)
        epochs = path_epochs(request.epoch, request.goal, history.interval)
        nets = [*path_nets(history, epochs[:-1], known), net]
        grid = grid_size(request.mode, *request.size)
        computed = surface(
            net, request.rows, request.plane, nets, epochs, request.epoch, request.activation, request.loss,
            steps=grid, seed=request.seed,
        )  # fmt: skip
        self.app.post_message(SurfacePainted(request, computed, build(computed, request, base)))

    def painted(self, message: SurfacePainted) -> None:
        if isinstance(self.app.screen, SurfaceView):
            self.app.screen.apply(message.request, message.surface, message.strips)
