"""Going through a run's epochs: a step, a hundred, back and forth in the past, and a branch from
an earlier epoch (the branch question: train on from there, or go back to the latest first).

The app's rules (tui/app.py) hold: the run is changed only by its owner, on the UI thread and only
while no worker trains it; an answer applies to the run it was asked about.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.words import say
from tui.run.branch_question import BranchQuestion

if TYPE_CHECKING:
    from tui.app import PerceptronLab


class Epochs:
    """The keys that move the epoch on view or train the run on from it (n, N, ←, →, Home, End, space)."""

    def __init__(self, app: PerceptronLab):
        self.app = app

    def step(self, n: int) -> None:
        if not self.held_back(then=n):
            self._step(n)

    def run_or_pause(self) -> None:
        """space at rest: train on (a finished run gets another lesson's worth of epochs)."""
        app = self.app
        if self.held_back(then=None):
            return
        if app.state == "finished":
            app.owner.extend()
        app.engine.start()

    def held_back(self, then: int | None) -> bool:
        """Whether training on (a step of `then` epochs, or a run for None) must not start now: from
        a past epoch the branch question is asked first; a blown-up run says why it will not."""
        app = self.app
        if app.owner.in_past:
            self._ask_branch(then)
            return True
        if app.state == "blown_up":
            app.notify(say("app.blowup_keys", app.lang), severity="warning")
            return True
        return False

    def _step(self, n: int) -> None:
        self.app.owner.step(n)
        self.app.engine.settle()

    def _ask_branch(self, then: int | None) -> None:
        app = self.app
        live, epoch = app.live, app.view

        def answer(choice: str | None) -> None:
            # Only for the run it was asked about, and only if nothing is training or loading.
            if choice is None or app.live is not live or app.state in ("loading", "running"):
                return
            if choice == "branch":
                app.owner.branch(epoch)
            else:
                app.owner.browse(None)
            if live.blowup is not None:
                app.engine.settle()
            elif then is None:
                app.engine.start()
            else:
                self._step(then)

        app.push_screen(BranchQuestion(epoch, live.last_epoch, app.lang), answer)

    def move(self, delta: int) -> None:
        if delta == 1 and not self.app.owner.in_past:
            self.step(1)  # → at the latest epoch steps, as n does
            return
        self.browse(delta)

    def browse(self, move: int | str) -> None:
        """Move the epoch on view (by a number of epochs, to "first" or to "latest"), never past the
        latest and never training: the keys of the main view, and of screens on top that show the
        run (the hidden neurons)."""
        app = self.app
        if app.state in ("loading", "running"):
            return
        target = {"first": 0, "latest": None}[move] if isinstance(move, str) else app.owner.viewed + move
        app.owner.browse(target)
        app.drawing.redraw()
