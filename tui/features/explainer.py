"""e: the epoch on view, explained stage by stage (tui/screens/explainer.py), from any lesson that
trains.

The numbers come from `core.explain.explain.explain`, which replays the run's history with torch: it runs
in a thread worker, and only while no training worker runs (a running run is paused first, and
the keys that would train or change the run are greyed until the answer is in). The answer is a
message carrying plain floats; it applies only to the session and the request it was asked for.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work

from core.words import say
from tui.messages import ExplainEpoch, ExplanationFailed, ExplanationReady, LanguageChosen

if TYPE_CHECKING:  # the explainer screen loads when it opens, not before the first frame
    from tui.screens.explainer import Explainer


class ExplainerActions:
    """The explainer's part of PerceptronLab: the e key, the worker, and the screen's requests."""

    _explain_request = 0  # the latest request's number; an answer to another is stale
    _explain_pending = False  # a request is being computed
    _explain_opens = False  # the latest request opens the explainer (else it browses an open one)

    @property
    def explaining(self) -> bool:
        """An explanation is being computed: the run must not change (greyed keys) meanwhile."""
        return self._explain_pending

    def can_explain(self) -> bool | None:
        """check_action's answer for e: hidden for a lesson with no run, greyed while busy."""
        if not self.session.lesson.trains:
            return False
        if self.state == "loading" or self.explaining:
            return None
        return True

    async def action_explain(self) -> None:
        if not self.on_main_screen or self.can_explain() is not True:
            return
        self._explain_pending = True  # before awaiting: a second e meanwhile does nothing
        self.refresh_bindings()
        if self.state == "running":
            await self._halt()  # the status line says paused first
        self._ask_explanation(self._viewed, opens=True)

    def _ask_explanation(self, epoch: int, opens: bool) -> None:
        self._explain_request += 1
        self._explain_opens = opens
        self._explain_pending = True
        self.refresh_bindings()
        self._explain(self.session, epoch, self._explain_request)

    @work(thread=True, exclusive=True, exit_on_error=False, group="explain")
    def _explain(self, session, epoch: int, request: int) -> None:
        from core.explain.explain import explain  # torch: loaded by now, as the session is ready

        try:
            explanation = explain(session.trainer.history, epoch)
        except Exception as error:
            self.post_message(ExplanationFailed(request, f"{type(error).__name__}: {error}"))
            return
        blowup = session.blowup
        stopped = blowup is not None and blowup.epoch == epoch  # its update was never applied
        self.post_message(ExplanationReady(session.serial, request, explanation, stopped))

    def _explainer_on_top(self) -> Explainer | None:
        from tui.screens.explainer import Explainer

        screen = self.screen
        return screen if isinstance(screen, Explainer) else None

    def on_explanation_ready(self, message: ExplanationReady) -> None:
        if message.request != self._explain_request:
            return
        self._explain_pending = False
        self.refresh_bindings()
        session = self.session
        if message.serial != session.serial:
            return
        explainer = self._explainer_on_top()
        if not self._explain_opens:
            if explainer is not None:  # else it was closed meanwhile
                explainer.show(message.explanation, message.stopped)
        elif self.on_main_screen:
            from tui.screens.explainer import Explainer

            screen = Explainer(
                message.explanation, self.lang, session.lesson.id, message.stopped, last=session.last_epoch
            )
            self.push_screen(screen, lambda epoch: self._explained(session, epoch))
        # else another screen took the keys meanwhile: the learner can press e again

    def on_explanation_failed(self, message: ExplanationFailed) -> None:
        if message.request != self._explain_request:
            return
        self._explain_pending = False
        self.refresh_bindings()
        explainer = self._explainer_on_top()
        if explainer is not None:
            explainer.stop_waiting()
        self.notify(say("app.explain_failed", self.lang, error=message.error), severity="error")

    def on_explain_epoch(self, message: ExplainEpoch) -> None:
        explainer = self._explainer_on_top()
        if explainer is None or self.explaining or not self.session.ready:
            return
        if not 0 <= message.epoch <= self.session.last_epoch:
            explainer.stop_waiting()
            return
        self._ask_explanation(message.epoch, opens=False)

    def on_language_chosen(self, message: LanguageChosen) -> None:
        if message.lang != self.lang:
            self.set_lang(message.lang)

    def _explained(self, session, epoch: int | None) -> None:
        """Back from the explainer: the epoch it last showed is the one on view."""
        if epoch is None or self.session is not session or self.state in ("loading", "running"):
            return
        self.view = None if epoch >= session.last_epoch else epoch
        self.redraw()
