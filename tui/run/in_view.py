"""What an app served to a browser tab needs (and a terminal app gets for free): the engine stops
however the app is told to end, and the panels catch up when the app comes back into view.

A tab that closes, or a server that stops, ends its app with Textual's ExitApp message, not with
the quit action: without the stop below, the training thread (a thread of the loop's executor,
which the loop waits for when it closes) would keep the app's process alive.

Out of view (a browser tab behind another, or a terminal window that reports losing focus) the
app redraws at the fastest speed's rates whatever the speed (Drawing._tick, tui/run/drawing.py); back in view,
every panel is redrawn at once.
"""

from __future__ import annotations


class InView:
    """A mixin of PerceptronLab (uses its `_stop`, `state` and `redraw`)."""

    def on_exit_app(self) -> None:
        # However the app is told to exit (q, a closed browser tab, SIGTERM, the server stopping).
        self._stop.set()

    def on_app_focus(self) -> None:
        if self.state == "running":
            self.redraw()  # in view again: the latest epoch at once, not at the next slow redraw
