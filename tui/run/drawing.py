"""Drawing the main view: a key's effect first and small (the status line), the heavier panels on
the next frame; while a run trains, each panel at its own pace, so the bytes sent stay within
budget at every speed (README, Benchmarks). Every panel resends only the lines that changed.

A mixin of PerceptronLab: it reads the app's session, state, view and lang, and keeps when each
panel was last drawn in `_drawn` (made in PerceptronLab.__init__).
"""

from __future__ import annotations

import time

from tui.widgets.loss_plot import LossPlot
from tui.widgets.network_diagram import NetworkDiagram
from tui.widgets.status_line import StatusLine
from tui.widgets.truth_table import TruthTable
from tui.widgets.weights_inspector import WeightsInspector

TICK = 1 / 4  # seconds between looks at a running engine: the status line's rate
# While training, seconds between redraws of (truth table, loss plot, network and weights), by
# speed; 0: at every new epoch. At 1 epoch/s every epoch's numbers can be read; faster, the
# heavy panels (a line of the weights table is ~400 bytes) would fill an SSH link, and at the
# top speeds a panel left much staler than 2 s would make pausing resend too much at once.
# At speeds with a pace, the network and weights table and the map take turns (see due).
# The plot costs CPU more than bytes (plotext: ~20 ms a redraw, most of a tab's drawing at 10/s,
# and a served classroom's tabs share one machine's cores), and at 10/s its curve grows by a
# column a second at most (its x axis spans the whole run): it redraws once a second from 10/s up.
# Out of view (tui/run/in_view.py), every speed redraws at the fastest speed's rates.
REDRAW_EVERY: dict[int | None, tuple[float, float, float]] = {
    1: (0.0, 0.0, 0.0),
    10: (0.0, 1.0, 1.0),
    100: (1.0, 1.0, 2.0),
    None: (1.0, 1.0, 2.0),
}


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
    """redraw (after a key), _tick (while a run trains) and the panels they draw."""

    def _tick(self) -> None:
        # Textual runs a timer's callback in a task of its own, and a test's run_test closes the
        # screens before the app's timers: the tick could fire with its panels gone.
        # is_running is False by then. (A learner's quit stops the timers first.)
        if self.state != "running" or self._halting or not self.is_running:
            return
        speed = self.live.speed if self.app_focus else None
        epoch = self.live.last_epoch
        if epoch == self._drawn["epoch"]:
            self._draw_status()  # the measured speed may have changed
            return
        now = time.monotonic()
        since = {name: now - self._drawn[name] for name in ("table", "plot", "weights", "map")}
        self._draw(**due(since, REDRAW_EVERY.get(speed, REDRAW_EVERY[None])))

    def redraw(self) -> None:
        """Show the epoch on view: the status line in this frame, every other panel in the next, so
        that over a slow link the effect of a key arrives before the heavier panels."""
        self._draw_status()
        self.call_after_refresh(self._draw, True, True, True)

    def _draw_status(self, state: str | None = None) -> None:
        frame = self.live.frame(state or self.state, self.view, with_weights=False, with_curve=False)
        self.query_one(StatusLine).show(frame, self.lang)

    def _draw(self, table: bool, plot: bool, weights: bool, boundary: bool | None = None) -> None:
        """Draw the chosen panels from one Frame, so they all show the same epoch; the map and the
        hidden neurons (`boundary`) with the weights unless told otherwise."""
        if self.by_hand:
            self._draw_by_hand()
            return
        boundary = weights if boundary is None else boundary
        frame = self.live.frame(self.state, self.view, with_weights=weights or boundary, with_curve=plot)
        lang, now = self.lang, time.monotonic()
        self._drawn["epoch"] = frame.last_epoch
        self.query_one(StatusLine).show(frame, lang)
        if table:
            self.query_one(TruthTable).show(frame, lang)
            self._drawn["table"] = now
        if plot:
            self.query_one(LossPlot).show(frame, lang, self.show_accuracy)
            self._drawn["plot"] = now
        if frame.weights is not None:
            if weights:
                self.query_one(NetworkDiagram).show(frame, lang)
                self.query_one(WeightsInspector).show(frame, lang)
                self._drawn["weights"] = now
            if boundary:
                self._draw_boundary(frame)  # the map and the hidden neurons: a heavy panel of their own
                self._drawn["map"] = now
        elif not self.live.ready:
            self.query_one(NetworkDiagram).show(frame, lang)
            self._draw_boundary(frame)
