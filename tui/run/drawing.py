"""Drawing the main view: a key's effect first and small (the status line), the heavier panels on
the next frame; while a run trains, each panel at its own pace, so the bytes sent stay within
budget at every speed (docs/benchmarks.md). Every panel resends only the lines that changed.

The app holds one Drawing: it reads the app's live run, state, view and language from the app
(its owner's), and keeps when each panel was last drawn in `drawn`.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from tui.widgets.loss_plot import LossPlot
from tui.widgets.network_diagram import NetworkDiagram
from tui.widgets.status_line import StatusLine
from tui.widgets.truth_table import TruthTable
from tui.widgets.weights_inspector import WeightsInspector

if TYPE_CHECKING:
    from tui.app import PerceptronLab

TICK = 1 / 4  # seconds between looks at a running engine: the status line's rate
# While a run trains under a screen on top (the hidden neurons, the loss surface), seconds between
# its redraws: each is a whole screen of colours (~40 KB at 120x40), so the bytes stay ≤ 16 KB/s.
TOP_EVERY = 3.0
# While training, seconds between redraws of (truth table, loss plot, network and weights), by
# speed; 0: at every new epoch. At 1 epoch/s every epoch's numbers can be read; faster, the
# heavy panels (a line of the weights table is ~400 bytes) would fill an SSH link, and at the
# top speeds a panel left much staler than 2 s would make pausing resend too much at once.
# At speeds with a pace, the network and weights table and the map take turns (see due).
# The plot costs CPU more than bytes (plotext: ~2.5 ms a redraw), and at 10/s its curve grows by
# a column every few seconds (its x axis spans the whole run).
# At 10/s, the pace a classroom's tabs are mostly at, each look costs a served machine's CPU: the
# status line twice a second (5 epochs a look), the table too, and the plot and heavy panels every
# 2 s took a training tab from 0.053 of a core to about 0.02 (docs/benchmarks.md). At 1/s every
# epoch shows. Out of view (the app without focus), every speed redraws at the fastest speed's
# rates, and the status line once a second.
REDRAW_EVERY: dict[int | None, tuple[float, float, float]] = {
    1: (0.0, 0.0, 0.0),
    10: (0.5, 2.0, 2.0),
    100: (1.0, 1.0, 2.0),
    None: (1.0, 1.0, 2.0),
}
STATUS_EVERY: dict[int | None, float] = {1: 0.0, 10: 0.5, 100: TICK, None: TICK}  # seconds
OUT_OF_VIEW_STATUS = 1.0  # seconds between the status line's looks while the app is out of view


def due(since: dict[str, float], every: tuple[float, float, float]) -> dict[str, bool]:
    """Which panels a tick draws, from the seconds `since` each was drawn and a speed's pace.

    The two heavy groups (the network and weights table; the map and hidden neurons) take turns,
    half a period apart, and the light panels wait for a tick with neither: a key pressed at any
    moment then finds at most one heavy panel's bytes still on their way over a slow link."""
    table_every, plot_every, weights_every = every
    weights = since["weights"] >= weights_every and (weights_every == 0 or since["map"] >= weights_every / 2)
    if weights_every > 0 and since["weights"] == since["map"] >= weights_every / 2:
        weights = True  # drawn together (a key, a start): the weights go half a period early, once
    boundary = since["map"] >= weights_every and (
        weights_every == 0 or (since["weights"] >= weights_every / 2 and not weights)
    )
    heavy = weights or boundary
    return {
        "table": since["table"] >= table_every and not (heavy and table_every > 0),
        "plot": since["plot"] >= plot_every and not (heavy and plot_every > 0),
        "weights": weights,
        "boundary": boundary,
    }


class Drawing:
    """redraw (after a key), tick (while a run trains) and the panels they draw, for one app."""

    def __init__(self, app: PerceptronLab):
        self.app = app
        # When each heavy panel was last drawn (time.monotonic), and the last epoch drawn.
        self.drawn: dict[str, float | int] = {
            "table": 0.0, "plot": 0.0, "weights": 0.0, "map": 0.0, "top": 0.0, "status": 0.0, "epoch": -1
        }  # fmt: skip

    def tick(self) -> None:
        app = self.app
        # Textual runs a timer's callback in a task of its own, and a test's run_test closes the
        # screens before the app's timers: the tick could fire with its panels gone.
        # is_running is False by then. (A learner's quit stops the timers first.)
        if app.state != "running" or app.engine.halting or not app.is_running:
            return
        speed = app.live.speed if app.app_focus else None
        status_every = STATUS_EVERY.get(speed, TICK) if app.app_focus else OUT_OF_VIEW_STATUS
        epoch = app.live.last_epoch
        now = time.monotonic()
        if now - self.drawn["status"] < status_every - TICK / 2:
            return  # the status line's next look is due at a later tick
        self.drawn["status"] = now
        if epoch == self.drawn["epoch"]:
            self.status()  # the measured speed may have changed
            return
        since = {name: now - self.drawn[name] for name in ("table", "plot", "weights", "map")}
        self.draw(**due(since, REDRAW_EVERY.get(speed, REDRAW_EVERY[None])))

    def redraw(self) -> None:
        """Show the epoch on view: the status line in this frame, every other panel in the next, so
        that over a slow link the effect of a key arrives before the heavier panels."""
        self.status()
        self.app.call_after_refresh(self.draw, True, True, True)

    def status(self, state: str | None = None) -> None:
        app = self.app
        if not app.on_main_screen:
            return  # under a screen on top: it catches up when the main view is back (catch_up)
        frame = app.live.frame(state or app.state, app.view, with_weights=False, with_curve=False)
        app.query_one(StatusLine).show(frame, app.lang)

    def draw(self, table: bool, plot: bool, weights: bool, boundary: bool | None = None) -> None:
        """Draw the chosen panels from one Frame, so they all show the same epoch; the map and the
        hidden neurons (`boundary`) with the weights unless told otherwise."""
        app = self.app
        if app.neuron.by_hand:
            app.neuron.draw()
            return
        boundary = weights if boundary is None else boundary
        if not app.on_main_screen:
            # A screen on top (the hidden neurons, the surface) shows only its own panels: the main
            # view's, redrawn beneath it, cost their bytes all the same (Textual composites the
            # screens under a modal one). They catch up when the main view is back (catch_up).
            now = time.monotonic()
            if app.state == "running" and now - self.drawn["top"] < TOP_EVERY:
                return  # a whole screen of colours, ~40 KB a redraw at 120x40: within the budget
            if boundary or weights:  # the heavy turn, whichever it is: the screen on top's
                self.drawn["top"] = now
                frame = app.live.frame(app.state, app.view, with_weights=True, with_curve=False)
                self.drawn["epoch"] = frame.last_epoch
                app.maps.draw(frame)
                app.surfaces.draw(frame)
                self.drawn["map"] = self.drawn["weights"] = time.monotonic()
            return
        frame = app.live.frame(app.state, app.view, with_weights=weights or boundary, with_curve=plot)
        lang, now, drawn = app.lang, time.monotonic(), self.drawn
        drawn["epoch"] = frame.last_epoch
        app.query_one(StatusLine).show(frame, lang)
        if table:
            app.query_one(TruthTable).show(frame, lang)
            drawn["table"] = now
        if plot:
            app.query_one(LossPlot).show(frame, lang, app.show_accuracy)
            drawn["plot"] = now
        if frame.weights is not None:
            if weights:
                app.query_one(NetworkDiagram).show(frame, lang)
                app.query_one(WeightsInspector).show(frame, lang)
                drawn["weights"] = now
            if boundary:
                app.maps.draw(frame)  # the map and the hidden neurons: a heavy panel of their own
                app.surfaces.draw(frame)  # the loss surface, if its view is open: at the map's pace
                drawn["map"] = now
        elif not app.live.ready:
            app.query_one(NetworkDiagram).show(frame, lang)
            app.maps.draw(frame)

    # --- the truth of the screen ------------------------------------------------------------

    def visible_frames(self) -> dict[str, tuple | None]:
        """The frame (Stamp, language) each panel of the main view on screen last drew, by its id."""
        stack = self.app.screen_stack
        main = stack[0] if stack else None
        if main is None:
            return {}
        panels = {}
        for widget in main.query(".frames"):
            if widget.display and widget.region.area > 0:
                panels[widget.id] = widget.drawn
        return panels

    def catch_up(self) -> None:
        """Draw the frame on view in every visible panel that shows another (one that has come back
        into view: the notes closed, the map view toggled, a screen on top gone)."""
        app = self.app
        if not app.is_running or not app.screen_stack or app.engine.halting:
            return
        on_view = app.frame_on_view()
        behind = {name for name, drawn in self.visible_frames().items() if drawn != on_view}
        if not behind:
            return
        if app.neuron.by_hand:
            app.neuron.draw()
            self.status()
            return
        self.draw(
            table="truth" in behind,
            plot="plot" in behind,
            weights=bool({"diagram", "weights"} & behind),
            boundary="map" in behind,
        )
