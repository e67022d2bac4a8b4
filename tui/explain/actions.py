"""e: the epoch on view, explained stage by stage (tui/explain/screen.py), from any lesson that
trains.

The numbers come from `core.explain.explain`, which replays the run's history with torch: it runs
in a thread worker, and only while no training worker runs (a running run is paused first, and
the keys that would train or change the run are greyed until the answer is in). The answer is a
message carrying plain floats; it applies only to the run and the request it was asked for.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from core.words import say
from tui.messages import ExplainEpoch, ExplanationFailed, ExplanationReady

if TYPE_CHECKING:  # the explainer screen loads when it opens, not before the first frame
    from tui.app import PerceptronLab
    from tui.explain.screen import Explainer


class Explaining:
    """The explainer's part of the app: the e key, the worker, and the screen's requests."""

    def __init__(self, app: PerceptronLab):
        self.app = app
        self._request = 0  # the latest request's number; an answer to another is stale
        self._pending = False  # a request is being computed
        self._opens = False  # the latest request opens the explainer (else it browses an open one)

    @property
    def busy(self) -> bool:
        """An explanation is being computed: the run must not change (greyed keys) meanwhile."""
        return self._pending

    def can_explain(self) -> bool | None:
        """check_action's answer for e: hidden for a lesson with no run, greyed while busy."""
        app = self.app
        if not app.live.lesson.trains:
            return False
        if app.state == "loading" or self._pending:
            return None
        return True

    async def explain(self) -> None:
        app = self.app
        if not app.on_main_screen or self.can_explain() is not True:
            return
        self._pending = True  # before awaiting: a second e meanwhile does nothing
        app.refresh_bindings()
        if app.state == "running":
            await app.engine.halt()  # the status line says paused first
        self._ask(app.owner.viewed, opens=True)

    def _ask(self, epoch: int, opens: bool) -> None:
        app = self.app
        self._request += 1
        self._opens = opens
        self._pending = True
        app.refresh_bindings()
        work = partial(self._explain, app.live, epoch, self._request)
        app.run_worker(work, thread=True, exclusive=True, exit_on_error=False, group="explain")

    def _explain(self, live, epoch: int, request: int) -> None:
        from core.explain.explain import explain  # torch: loaded by now, as the run is ready

        post = self.app.post_message
        try:
            explanation = explain(live.trainer.history, epoch)
        except Exception as error:
            post(ExplanationFailed(request, f"{type(error).__name__}: {error}"))
            return
        blowup = live.blowup
        stopped = blowup is not None and blowup.epoch == epoch  # its update was never applied
        post(ExplanationReady(live.serial, request, explanation, stopped))

    def _on_top(self) -> Explainer | None:
        from tui.explain.screen import Explainer

        screen = self.app.screen
        return screen if isinstance(screen, Explainer) else None

    def ready(self, message: ExplanationReady) -> None:
        if message.request != self._request:
            return
        app = self.app
        self._pending = False
        app.refresh_bindings()
        live = app.live
        if message.serial != live.serial:
            return
        explainer = self._on_top()
        if not self._opens:
            if explainer is not None:  # else it was closed meanwhile
                explainer.show(message.explanation, message.stopped)
        elif app.on_main_screen:
            from tui.explain.screen import Explainer

            screen = Explainer(message.explanation, app.lang, live.lesson.id, message.stopped, last=live.last_epoch)
            app.push_screen(screen, lambda epoch: self._explained(live, epoch))
        # else another screen took the keys meanwhile: the learner can press e again

    def failed(self, message: ExplanationFailed) -> None:
        if message.request != self._request:
            return
        app = self.app
        self._pending = False
        app.refresh_bindings()
        explainer = self._on_top()
        if explainer is not None:
            explainer.stop_waiting()
        app.notify(say("app.explain_failed", app.lang, error=message.error), severity="error")

    def another_epoch(self, message: ExplainEpoch) -> None:
        app = self.app
        explainer = self._on_top()
        if explainer is None or self._pending or not app.live.ready:
            return
        if not 0 <= message.epoch <= app.live.last_epoch:
            explainer.stop_waiting()
            return
        self._ask(message.epoch, opens=False)

    def _explained(self, live, epoch: int | None) -> None:
        """Back from the explainer: the epoch it last showed is the one on view."""
        app = self.app
        if epoch is None or app.live is not live or app.state in ("loading", "running"):
            return
        app.owner.browse(epoch)
        app.drawing.redraw()
