"""The seed sweep in the app: `w` (and the palette) opens the sweep of the run's configuration;
a seed chosen there becomes the run, trained again by the single engine so every number on the
main view is exact.

A mixin of PerceptronLab: it uses the app's rules (tui/app.py): the run is changed only here on
the UI thread, after the training worker has stopped, and a new run is published whole.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from textual import work

from core.words import say
from tui.messages import EngineFailed, EngineReady
from tui.run.live import LiveRun

if TYPE_CHECKING:  # the sweep view loads when it opens, not before the first frame
    from tui.sweep.view import SweepChoice

SEEDS = 100  # seeds 0..99: as `perceptron-lab sweep` does by default


class SweepActions:
    """action_sweep, and opening a swept seed as the run."""

    _sweep_kept: tuple | None = None  # ((config, seeds, epochs), result): the last finished sweep

    async def action_sweep(self) -> None:
        if not self.on_main_screen or not self.live.ready:
            return
        session = self.live
        if not session.lesson.trains:
            self.notify(say("sweep_view.no_training", self.lang, lesson=session.lesson.id), severity="warning")
            return
        if self.state == "running":
            await self._halt()  # the sweep takes the cores; the run waits, paused
            if self.live is not session or not self.on_main_screen:
                return  # another key changed the run or opened a screen meanwhile
        config = session.trainer.config.with_(seed=0, lr=session.lr)  # as the run goes on from here
        seeds, epochs = range(SEEDS), session.goal
        kept = self._sweep_kept
        result = kept[1] if kept is not None and kept[0] == (config, seeds, epochs) else None
        from tui.sweep.view import SweepView

        view = SweepView(self.lang, session.lesson.id, config, seeds, epochs, session.seed, result)
        self.push_screen(view, self._swept)

    async def _swept(self, choice: SweepChoice | None) -> None:
        if choice is None or choice.result is None:
            return
        result = choice.result
        self._sweep_kept = ((result.config.with_(seed=0), range(SEEDS), result.epochs), result)
        if choice.seed is not None:
            await self._open_seed(result.config.with_(seed=choice.seed), result.last_epoch)

    async def _open_seed(self, config, last_epoch: int) -> None:
        """Make `config` (a seed of the sweep) the run, trained by the single engine to `last_epoch`."""
        if not self.on_main_screen:
            return
        await self._halt(settle=False)
        session = LiveRun(replace(self.live.lesson, config=config), self.live.epochs)
        self.owner.use(session)
        self._show_run()
        self.notify(say("sweep_view.opened", self.lang, seed=config.seed, epoch=last_epoch), timeout=4)
        self._load_seed(session, last_epoch)

    @work(thread=True, exclusive=True, exit_on_error=False, group="load")
    def _load_seed(self, session: LiveRun, last_epoch: int) -> None:
        try:
            from core.trainer import Trainer

            trainer = Trainer(session.lesson.config)
            trainer.run(to_epoch=last_epoch)
            session.goal = max(session.goal, trainer.history.last_epoch)
            session.trainer = trainer  # published whole: nothing reads the run half-trained
        except Exception as error:
            self.post_message(EngineFailed(f"{type(error).__name__}: {error}", session.serial))
            return
        self.post_message(EngineReady(session.serial))
