"""Going through a run's epochs: a step, a hundred, back and forth in the past, and a branch from
an earlier epoch (the branch question: train on from there, or go back to the latest first).

A mixin of PerceptronLab: it uses the app's rules (tui/app.py): the run is changed only on the UI
thread and only while no worker trains it; an answer applies to the run it was asked about.
"""

from __future__ import annotations

from core.words import say
from tui.run.branch_question import BranchQuestion


class EpochActions:
    """The epoch on view (`view`; None follows the latest) and the keys that move it or the run."""

    @property
    def _viewed(self) -> int:
        return self.owner.viewed

    @property
    def _in_past(self) -> bool:
        return self.owner.in_past

    def action_step(self, n: int) -> None:
        if not self._held_back(then=n):
            self._step(n)

    def _held_back(self, then: int | None) -> bool:
        """Whether training on (a step of `then` epochs, or a run for None) must not start now: from
        a past epoch the branch question is asked first; a blown-up run says why it will not."""
        if self._in_past:
            self._ask_branch(then)
            return True
        if self.state == "blown_up":
            self.notify(say("app.blowup_keys", self.lang), severity="warning")
            return True
        return False

    def _step(self, n: int) -> None:
        self.owner.step(n)
        self._settle()

    def _ask_branch(self, then: int | None) -> None:
        session, epoch = self.live, self.view

        def answer(choice: str | None) -> None:
            # Only for the run it was asked about, and only if nothing is training or loading.
            if choice is None or self.live is not session or self.state in ("loading", "running"):
                return
            if choice == "branch":
                self.owner.branch(epoch)
            else:
                self.owner.browse(None)
            if session.blowup is not None:
                self._settle()
            elif then is None:
                self._start()
            else:
                self._step(then)

        self.push_screen(BranchQuestion(epoch, session.last_epoch, self.lang), answer)

    def action_move(self, delta: int) -> None:
        if delta == 1 and not self._in_past:
            self.action_step(1)  # → at the latest epoch steps, as n does
            return
        self.owner.browse(self._viewed + delta)
        self.redraw()

    def action_first(self) -> None:
        self.owner.browse(0)
        self.redraw()

    def action_latest(self) -> None:
        self.owner.browse(None)
        self.redraw()

    def browse(self, move: int | str) -> None:
        """Move the epoch on view (by a number of epochs, to "first" or to "latest"), never past the
        latest and never training: for screens on top that show the run (the hidden neurons)."""
        if self.state in ("loading", "running"):
            return
        target = {"first": 0, "latest": None}[move] if isinstance(move, str) else self._viewed + move
        self.owner.browse(target)
        self.redraw()
