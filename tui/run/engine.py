"""The engine's life in the app: loading a lesson (torch, or a saved run replayed) in a worker,
training in another, and the state the app shows once no worker trains.

The app's rules (tui/app.py) hold: the run is changed only on the UI thread, only after `halt` has
waited for the training worker; a stopped worker's messages carry the run they belong to
(`run_id`) and are ignored once it is stale.
"""

from __future__ import annotations

import contextlib
import gc
import threading
from functools import partial
from typing import TYPE_CHECKING

from textual.worker import Worker, WorkerFailed, WorkerState

from core.words import say
from tui.messages import EngineFailed, EngineReady, Replaying, TrainingStopped
from tui.run.live import LiveRun, lower_thread_priority

if TYPE_CHECKING:
    from tui.app import PerceptronLab

_frozen = False  # gc.freeze() done (Engine.ready)
YOUNG_COLLECTION = 10_000  # allocations between young collections, once the engine has loaded


class Engine:
    """Load, start, train, halt and settle the app's live run."""

    def __init__(self, app: PerceptronLab):
        self.app = app
        self.stop = threading.Event()  # set: the worker training (or replaying) the run stops
        self.worker: Worker | None = None  # the training worker, while one runs
        self.run_id = 0  # which training: a stopped one's messages are stale
        self.halting = False  # a key is stopping the worker: no tick draws meanwhile

    # --- loading ----------------------------------------------------------------------------------

    def load(self, live: LiveRun) -> None:
        """Load `live` in a worker (import torch: seconds, so the first frame is drawn before; or
        replay a saved run, telling how far it got); quitting or another run ends a replay early."""
        self.stop = threading.Event()
        work = partial(self._load, live, self.stop)
        self.app.run_worker(work, thread=True, exclusive=True, exit_on_error=False, group="load")

    def _load(self, live: LiveRun, stop: threading.Event) -> None:
        post = self.app.post_message
        try:
            live.load(stop, lambda: post(Replaying(live.serial)))
        except Exception as error:
            post(EngineFailed(f"{type(error).__name__}: {error}", live.serial))
            return
        if live.ready:
            post(EngineReady(live.serial))

    def ready(self, message: EngineReady) -> None:
        """A run has loaded: the live run settles (another's news is stale)."""
        if message.serial == self.app.live.serial:
            self.settle()
        global _frozen
        if not _frozen:
            # What is loaded by now (torch, the app, the first run) lives as long as the process:
            # Python's full collections stop walking it. They took 175-216 ms every ~15 s while
            # training, and one landing on a key held its effect back as long (over SSH, the
            # stream after a pause; with it, 25-60 ms). Once: a later load (a test's next app)
            # would freeze whatever garbage is then uncollected, for good.
            _frozen = True
            gc.freeze()
            # A key's drawing makes thousands of short-lived objects (segments, strips, styles): at
            # Python's 700 allocations a young collection ran 2-3 times a key and a middle one every
            # few keys, 0.7 ms of a key's ~16 ms of CPU (docs/benchmarks.md); at 10,000, 0.1 ms.
            gc.set_threshold(YOUNG_COLLECTION, *gc.get_threshold()[1:])

    def failed(self, message: EngineFailed) -> None:
        app = self.app
        app.notify(say("app.engine_failed", app.lang, error=message.error), severity="error", timeout=30)

    # --- training ---------------------------------------------------------------------------------

    def start(self) -> None:
        app = self.app
        self.stop = threading.Event()
        self.run_id += 1
        app.owner.start_training()
        app.drawing.status()
        work = partial(self._train, app.live, self.stop, self.run_id)
        self.worker = app.run_worker(work, thread=True, exclusive=True, exit_on_error=False, group="train")

    def _train(self, live: LiveRun, stop: threading.Event, run_id: int) -> None:
        lower_thread_priority()  # keys and redraws, of this app and of every other tab served, first
        reason = live.train(stop)
        self.app.post_message(TrainingStopped(reason, run_id))

    def stopped(self, message: TrainingStopped) -> None:
        if message.run == self.run_id:
            self.worker = None
            self.app.owner.trained()
            self.settle()

    def worker_changed(self, event: Worker.StateChanged) -> None:
        # A worker that raised is a bug, but the learner gets one line and a usable app, not a
        # state stuck at "running".
        if event.state == WorkerState.ERROR and event.worker is self.worker:
            app = self.app
            self.worker = None
            app.owner.trained()
            self.run_id += 1
            app.notify(say("app.engine_failed", app.lang, error=str(event.worker.error)), severity="error")
            self.settle()

    async def halt(self, settle: bool = True) -> None:
        """Stop the training worker and wait for it: the run may be changed only after this."""
        app = self.app
        self.stop.set()
        self.halting = True  # no tick draws a panel meanwhile: the key's effect goes out first
        if settle and app.state == "running":
            app.drawing.status("paused")  # what this key will show; settled below once it has stopped
        try:
            if self.worker is not None:
                with contextlib.suppress(WorkerFailed):
                    await self.worker.wait()
                self.worker = None
            app.owner.trained()
        finally:
            self.halting = False
        self.run_id += 1  # whatever that worker posted is now stale
        if settle:
            self.settle()

    def settle(self) -> None:
        """The state once no worker trains, from what the run is (its owner says); drawn status first."""
        self.app.owner.settle()
        self.app.drawing.redraw()
