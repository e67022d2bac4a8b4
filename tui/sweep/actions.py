"""The seed sweep in the app: `w` (and the palette) opens the sweep of the run's configuration;
a seed chosen there becomes the run, trained again by the single engine so every number on the
main view is exact.

The app's rules (tui/app.py) hold: the run is changed by its owner on the UI thread, after the
training worker has stopped, and a new run is published whole.
"""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from typing import TYPE_CHECKING

from core.words import say
from tui.messages import EngineFailed, EngineReady
from tui.run.live import LiveRun

if TYPE_CHECKING:  # the sweep view loads when it opens, not before the first frame
    from tui.app import PerceptronLab
    from tui.sweep.view import SweepChoice

SEEDS = 100  # seeds 0..99: as `perceptron-lab sweep` does by default


class Sweeps:
    """w: the sweep of the run's configuration, and opening a swept seed as the run."""

    def __init__(self, app: PerceptronLab):
        self.app = app
        self.kept: tuple | None = None  # ((config, seeds, epochs), result): the last finished sweep

    async def open(self) -> None:
        if not self.app.on_main_screen or not self.app.live.ready:
            return
        session = self.app.live
        if not session.lesson.trains:
            self.app.notify(say("sweep_view.no_training", self.app.lang, lesson=session.lesson.id), severity="warning")
            return
        if self.app.state == "running":
            await self.app.engine.halt()  # the sweep takes the cores; the run waits, paused
            if self.app.live is not session or not self.app.on_main_screen:
                return  # another key changed the run or opened a screen meanwhile
        config = session.trainer.config.with_(seed=0, lr=session.lr)  # as the run goes on from here
        seeds, epochs = range(SEEDS), session.goal
        kept = self.kept
        result = kept[1] if kept is not None and kept[0] == (config, seeds, epochs) else None
        from tui.sweep.view import SweepView

        view = SweepView(self.app.lang, session.lesson.id, config, seeds, epochs, session.seed, result)
        self.app.push_screen(view, self._swept)

    async def _swept(self, choice: SweepChoice | None) -> None:
        if choice is None or choice.result is None:
            return
        result = choice.result
        self.kept = ((result.config.with_(seed=0), range(SEEDS), result.epochs), result)
        if choice.seed is not None:
            await self._open_seed(result.config.with_(seed=choice.seed), result.last_epoch)

    async def _open_seed(self, config, last_epoch: int) -> None:
        """Make `config` (a seed of the sweep) the run, trained by the single engine to `last_epoch`."""
        if not self.app.on_main_screen:
            return
        await self.app.engine.halt(settle=False)
        session = LiveRun(replace(self.app.live.lesson, config=config), self.app.live.epochs)
        self.app.owner.use(session)
        self.app.show_run()
        self.app.notify(say("sweep_view.opened", self.app.lang, seed=config.seed, epoch=last_epoch), timeout=4)
        work = partial(self._load_seed, session, last_epoch)
        self.app.run_worker(work, thread=True, exclusive=True, exit_on_error=False, group="load")

    def _load_seed(self, session: LiveRun, last_epoch: int) -> None:
        try:
            from core.trainer import Trainer

            trainer = Trainer(session.lesson.config)
            trainer.run(to_epoch=last_epoch)
            session.goal = max(session.goal, trainer.history.last_epoch)
            session.trainer = trainer  # published whole: nothing reads the run half-trained
        except Exception as error:
            self.app.post_message(EngineFailed(f"{type(error).__name__}: {error}", session.serial))
            return
        self.app.post_message(EngineReady(session.serial))
