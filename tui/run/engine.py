"""The engine's life in the app: loading a lesson (torch, or a saved run replayed) in a worker,
training in another, and the state the app shows once no worker trains.

A mixin of PerceptronLab under the app's rules (tui/app.py): the run is changed only on the UI
thread, only after `_halt` has waited for the training worker; a stopped worker's messages carry
the run they belong to (`_run_id`) and are ignored once it is stale.
"""

from __future__ import annotations

import contextlib
import gc
import threading

from textual import work
from textual.worker import Worker, WorkerFailed, WorkerState

from core.words import say
from tui.messages import EngineFailed, EngineReady, Replaying, TrainingStopped
from tui.run.live import LiveRun, lower_thread_priority

_frozen = False  # gc.freeze() done (EngineLife.on_engine_ready)


class EngineLife:
    """Load, start, train, halt and settle (uses the app's `session`, `state`, `view`, `_stop`,
    `_worker`, `_run_id`, `_halting`, `_draw_status` and `redraw`)."""

    @work(thread=True, exclusive=True, exit_on_error=False, group="load")
    def _load(self, session: LiveRun, stop: threading.Event) -> None:
        """Load `session` (import torch: seconds, so the first frame is drawn before; or replay a
        saved run, telling how far it got); `stop` (quitting, another run) ends a replay early."""
        try:
            session.load(stop, lambda: self.post_message(Replaying(session.serial)))
        except Exception as error:
            self.post_message(EngineFailed(f"{type(error).__name__}: {error}", session.serial))
            return
        if session.ready:
            self.post_message(EngineReady(session.serial))

    def on_engine_ready(self, message: EngineReady) -> None:
        if message.serial == self.live.serial:
            self._settle()
        global _frozen
        if not _frozen:
            # What is loaded by now (torch, the app, the first run) lives as long as the process:
            # Python's full collections stop walking it. They took 175-216 ms every ~15 s while
            # training, and one landing on a key held its effect back as long (over SSH, the
            # stream after a pause; with it, 25-60 ms). Once: a later load (a test's next app)
            # would freeze whatever garbage is then uncollected, for good.
            _frozen = True
            gc.freeze()

    def on_engine_failed(self, message: EngineFailed) -> None:
        self.notify(say("app.engine_failed", self.lang, error=message.error), severity="error", timeout=30)

    def _start(self) -> None:
        self._stop = threading.Event()
        self._run_id += 1
        self.owner.start_training()
        self._draw_status()
        self._worker = self._train(self._stop, self._run_id)

    @work(thread=True, exclusive=True, exit_on_error=False, group="train")
    def _train(self, stop: threading.Event, run_id: int) -> None:
        lower_thread_priority()  # keys and redraws, of this app and of every other tab served, first
        reason = self.live.train(stop)
        self.post_message(TrainingStopped(reason, run_id))

    def on_training_stopped(self, message: TrainingStopped) -> None:
        if message.run == self._run_id:
            self._worker = None
            self.owner.trained()
            self._settle()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # A worker that raised is a bug, but the learner gets one line and a usable app, not a
        # state stuck at "running".
        if event.state == WorkerState.ERROR and event.worker is self._worker:
            self._worker = None
            self.owner.trained()
            self._run_id += 1
            self.notify(say("app.engine_failed", self.lang, error=str(event.worker.error)), severity="error")
            self._settle()

    async def _halt(self, settle: bool = True) -> None:
        """Stop the training worker and wait for it: the run may be changed only after this."""
        self._stop.set()
        self._halting = True  # no tick draws a panel meanwhile: the key's effect goes out first
        if settle and self.state == "running":
            self._draw_status("paused")  # what this key will show; settled below once it has stopped
        try:
            await self._stopped_worker()
        finally:
            self._halting = False
        self._run_id += 1  # whatever that worker posted is now stale
        if settle:
            self._settle()

    async def _stopped_worker(self) -> None:
        if self._worker is not None:
            with contextlib.suppress(WorkerFailed):
                await self._worker.wait()
            self._worker = None
        self.owner.trained()

    def _settle(self) -> None:
        """The state once no worker trains, from what the run is (its owner says); drawn status first."""
        self.owner.settle()
        self.redraw()
