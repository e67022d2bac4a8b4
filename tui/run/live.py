"""The app's hold on the engine: one lesson's Trainer, trained from a worker thread, read as Frames.

No Textual here. The worker thread calls `train()`; the UI thread calls everything else, and
changes the run (reset, branch, new seed) only while no worker is training. A learning-rate
change made at rest makes the next epoch (the last epoch's update, made eagerly with the old rate
and seen by nobody, is made again); one made while training is handed to the worker, which applies
it from the next epoch it computes. The history's record of learning rates is exactly what the run
used, so every epoch replays exactly.
"""

from __future__ import annotations

import contextlib
import itertools
import math
import os
import sys
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from core.lessons import Experiment, Lesson
from tui.run.frame import Curve, Frame, Stamp

if TYPE_CHECKING:  # torch loads with the trainer; the first frame is drawn before that
    from core.files.session_file import SavedRun
    from core.history import WeightsAt
    from core.trainer import BlowUp, Trainer

__all__ = ["SPEEDS", "Curve", "Frame", "LiveRun", "Stamp", "lower_thread_priority", "lr_step"]

SPEEDS: tuple[int | None, ...] = (1, 10, 100, None)  # epochs a second; None: as fast as it goes
LR_LADDER = (*tuple(m * 10.0**e for e in range(-4, 4) for m in (1, 2, 5)), 10000.0)
SLICE = 0.02  # seconds of training at max speed between looks at the stop flag and the lr
# Seconds at least between a paced run's wakes: it then makes every epoch due. Woken for each
# epoch (10 times a second at 10/s), a thread ran each epoch ~3x slower (0.83 ms against 0.25 for
# xor-mlp: its caches gone cold). As often as the status line looks (drawing.STATUS_EVERY): twice
# a second at 10/s, 5 epochs a look either way; 4 times a second faster.
WAKE: dict[int | None, float] = {1: 0.0, 10: 0.5}
WAKE_FASTER = 0.25
CURVE_POINTS = 400  # most points of the loss curve handed to the plot


def lower_thread_priority(niceness: int = 10) -> None:
    """Make the calling thread yield the CPU to the others (on Linux a thread has a nice value of
    its own): `niceness` more than the process's own, so that an app started under `nice` still
    trains below its UI. For the training thread: a key's effect, in this app and in every other app
    on the machine (a classroom's browser tabs are processes on one server), waits for no one's
    training. The thread keeps it: the loop's executor may reuse it for later workers, background
    work too (a second call lowers it no further)."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError):  # not allowed: it trains at the same priority
            wanted = min(19, os.getpriority(os.PRIO_PROCESS, os.getpid()) + niceness)
            thread = threading.get_native_id()
            if os.getpriority(os.PRIO_PROCESS, thread) < wanted:
                os.setpriority(os.PRIO_PROCESS, thread, wanted)


def lr_step(lr: float, up: bool) -> float:
    """The next learning rate on the 1-2-5 ladder above (or below) `lr`."""
    if up:
        return next((x for x in LR_LADDER if x > lr * (1 + 1e-9)), LR_LADDER[-1])
    return next((x for x in reversed(LR_LADDER) if x < lr * (1 - 1e-9)), LR_LADDER[0])


_serials = itertools.count(1)
_versions = itertools.count(1)  # Stamp.run: one counter for every session, so no two runs share one


class LiveRun:
    """One lesson's run: its trainer (once torch has loaded), its goal, speed and seed.

    The one owner of the run's state. The worker thread calls `load()` and `train()`; everything
    else is called on the UI thread while no worker trains.
    """

    def __init__(self, lesson: Lesson, epochs: int | None = None):
        self.serial = next(_serials)  # tells this run's messages from an earlier one's
        self.version = next(_versions)  # the run's past as it is now (Stamp.run)
        self.saved: SavedRun | None = None  # the session file's run, replayed by load()
        self.path: str | None = None  # the file it was opened from
        self.progress: tuple[int, int] | None = None  # (epoch, last) of a replay under way
        self.mismatch = False  # the replay did not record what the file saved (another machine)
        self.lesson = lesson
        self.epochs = epochs or lesson.epochs  # a run's length, and how much "extend" adds
        self.trainer: Trainer | None = None
        self.goal = self.epochs
        self.seed = lesson.config.seed
        self.speed: int | None = SPEEDS[1]
        self.rate: float | None = None
        self._pending_lr: float | None = None
        self._lr_lock = threading.Lock()
        # While training, the worker thread brings back the weights: torch calls release the
        # interpreter lock, so from the UI thread each one would wait ~5 ms for the busy worker.
        self._weights_wanted = threading.Event()
        self._weights: tuple[WeightsAt, WeightsAt | None] | None = None

    # --- set-up (the first call imports torch: run it in a worker) --------------------------------

    @classmethod
    def opened(cls, path: str, saved: SavedRun) -> LiveRun:
        """The run saved in a session file (read and checked), to be replayed by load()."""
        session = cls(saved.lesson, saved.epochs)
        session.saved, session.path = saved, str(path)
        session.goal = saved.goal
        return session

    @classmethod
    def of(cls, lesson: Lesson, trainer: Trainer, goal: int) -> LiveRun:
        """A session over a run trained elsewhere (already loaded): what `export --to svg` shows."""
        session = cls(lesson)
        session.trainer, session.seed = trainer, trainer.config.seed
        session.goal = max(goal, trainer.history.last_epoch)
        return session

    def load(self, stop: threading.Event | None = None, progress: Callable[[], None] | None = None) -> None:
        """Make the trainer (importing torch): a new run's epoch 0, or a saved run replayed epoch by
        epoch, `progress()` called as it goes (self.progress says how far). A replay that `stop`
        ends leaves the run unloaded."""
        if self.trainer is not None:
            return
        if self.saved is not None:
            self._replay(stop, progress)
            return
        from core.trainer import Trainer

        trainer = Trainer(self.lesson.config.with_(seed=self.seed), rule=self.lesson.rule)
        trainer.step(1)  # epoch 0: the initial weights' outputs and loss
        self.trainer = trainer  # published whole: a reader never sees a run without epoch 0

    def _replay(self, stop: threading.Event | None, progress: Callable[[], None] | None) -> None:
        def advanced(epoch: int, last: int) -> None:
            self.progress = (epoch, last)
            if progress is not None:
                progress()

        trainer = self.saved.replay(stop=stop, progress=advanced)
        if trainer is None:
            return
        self.mismatch = not self.saved.matches(trainer.history)
        self.trainer = trainer  # published whole, once every saved epoch is back

    @property
    def lesson_id(self) -> str | None:
        """The lesson the run was made from, or None for an experiment of one's own (as a session file says)."""
        return None if isinstance(self.lesson, Experiment) else self.lesson.id

    def saved_run(self, view: int | None) -> SavedRun:
        """The run as a session file holds it, with `view` as the epoch on view (UI thread, not training)."""
        from core.files.session_file import SavedRun

        return SavedRun.of(self.trainer, self.lesson_id, self.epochs, goal=self.goal, view=view)

    @property
    def ready(self) -> bool:
        return self.trainer is not None

    @property
    def last_epoch(self) -> int:
        return self.trainer.history.last_epoch if self.trainer else -1

    @property
    def finished(self) -> bool:
        return self.trainer is not None and self.last_epoch >= self.goal

    @property
    def blowup(self) -> BlowUp | None:
        return self.trainer.blowup if self.trainer else None

    @property
    def lr(self) -> float:
        with self._lr_lock:
            if self._pending_lr is not None:
                return self._pending_lr
        return self.trainer.lr if self.trainer else self.lesson.config.lr

    # --- training (worker thread) ---------------------------------------------------------------

    def train(self, stop: threading.Event) -> str:
        """Train towards the goal at `self.speed` until `stop` is set.

        Returns "finished", "stopped" or "blowup".
        """
        trainer = self.trainer
        paced = None  # (speed, time, epoch) that a slow speed's timetable counts from
        woke = -math.inf  # when a paced run last made its epochs
        sampled = (time.perf_counter(), trainer.epoch)
        try:
            while True:
                self._apply_lr()
                if trainer.blowup is not None:
                    return "blowup"
                if stop.is_set():
                    return "stopped"
                left = self.goal - trainer.history.last_epoch
                if left <= 0:
                    return "finished"
                speed = self.speed
                now = time.perf_counter()
                if speed is None:
                    deadline = now + SLICE
                    while left > 0 and time.perf_counter() < deadline and not stop.is_set():
                        left -= trainer.step(min(left, 16), stop)
                        if trainer.blowup is not None:
                            break
                    if self._weights_wanted.is_set():
                        self._weights_wanted.clear()
                        self._take_weights()
                    # Let the UI thread have the interpreter for a moment between slices.
                    time.sleep(0.0005)
                else:
                    if paced is None or paced[0] != speed:
                        paced = (speed, now, trainer.epoch)
                    due = paced[1] + (trainer.epoch - paced[2]) / speed
                    wake = max(due, woke + WAKE.get(speed, WAKE_FASTER))
                    if wake > now:
                        stop.wait(min(wake - now, 0.05))  # a new speed or lr is seen soon
                        continue
                    woke = now
                    n = min(left, 1 + int((now - due) * speed))  # every epoch due by now
                    before = None
                    if n > 1 and trainer.step(n - 1, stop, look=True) == n - 1:
                        before = trainer.looked
                    if trainer.blowup is None and not stop.is_set():
                        trainer.step(1, stop, look=True)
                        self._take_weights(trainer.looked, before)  # slow enough to show each epoch's weights
                if now - sampled[0] >= 0.5:
                    self.rate = (trainer.epoch - sampled[1]) / (now - sampled[0])
                    sampled = (now, trainer.epoch)
        finally:
            # A change that came too late for this run is left pending: settle_lr (the UI thread,
            # once this worker has returned) makes it the one the next epoch is made with.
            self.rate = None

    def _take_weights(self, looked: WeightsAt | None = None, before: WeightsAt | None = None) -> None:
        """Keep the last epoch's weights and the epoch's before it, for the frames drawn while the
        run trains (or just after a step). `looked`: the trainer's own look at the last epoch, if it
        took one; the epoch before is then the last look, if that was it. Else the history replays
        them (~0.4 ms each for xor-mlp, at every epoch at 10/s: the most of a training tab's CPU).
        `before`: a look at the epoch before the last, if the trainer took one."""
        history = self.trainer.history
        last = history.last_epoch
        kept = self._weights
        if kept is not None and before is None:
            before = kept[0]
        if looked is None or looked.epoch != last:
            # The epoch before first: the history replays forward from there by one epoch (the
            # other order goes back to a checkpoint each time: 5-10x the CPU).
            previous = history.weights_at(last - 1) if last > 0 else None
            self._weights = (history.weights_at(last), previous)
        elif before is not None and before.epoch == last - 1:
            self._weights = (looked, before)
        else:
            self._weights = (looked, history.weights_at(last - 1) if last > 0 else None)

    def _apply_lr(self) -> None:
        with self._lr_lock:
            lr, self._pending_lr = self._pending_lr, None
        if lr is not None:
            self.trainer.set_lr(lr)

    # --- changing course (UI thread) --------------------------------------------------------------

    def settle_lr(self) -> None:
        """Once no worker trains: a learning rate set during the run's last moments makes the next
        epoch, as one set at rest does."""
        with self._lr_lock:
            lr, self._pending_lr = self._pending_lr, None
        if lr is not None and self.trainer is not None:
            self.trainer.set_lr(lr, from_last=True)

    def set_lr(self, lr: float, training: bool) -> None:
        """Use `lr` from the next update computed on: the one that makes the next epoch, including
        the first (handed to the worker if it is training)."""
        if training:
            with self._lr_lock:
                self._pending_lr = lr
        else:
            self._weights = None  # the last epoch is made again: its update's rate is the new one
            self.trainer.set_lr(lr, from_last=True)

    def step(self, n: int) -> None:
        """Train `n` epochs now; a run stepped past its goal finishes where it stops."""
        self.trainer.step(n, look=True)
        self._take_weights(self.trainer.looked)  # the frame drawn next shows them: no replay
        self.goal = max(self.goal, self.last_epoch)

    def reset(self, new_seed: bool = False) -> None:
        """Back to epoch 0: the same initial weights, or new ones from the next seed."""
        self._weights = None
        self._apply_lr()  # a rate set as the last run stopped is the new run's
        self.version = next(_versions)
        if new_seed:
            self.seed += 1
            self.trainer.reseed(self.seed)
        else:
            self.trainer.reset()
        self.trainer.step(1)
        self.goal = self.epochs

    def branch(self, epoch: int) -> None:
        """Forget the epochs after `epoch` and carry on from there: `epoch` itself is kept, and its
        update is made again with the learning rate on screen, as a rate set at rest makes the
        next epoch."""
        if epoch < self.last_epoch:
            self._weights = None
            self.version = next(_versions)
            self.trainer.rewind(epoch)
            self.trainer.step(1)

    def extend(self) -> None:
        """Give a finished run another lesson's worth of epochs."""
        self.goal = max(self.goal, self.last_epoch) + self.epochs

    # --- reading (UI thread, any time) ----------------------------------------------------------

    def stamp(self, view: int | None) -> Stamp:
        """The stamp of the frame of epoch `view` (None: the latest), as frame() makes it."""
        last = self.last_epoch
        if self.trainer is None:
            return Stamp(self.version, None, last)
        return Stamp(self.version, last if view is None else min(view, last), last)

    def frame(self, state: str, epoch: int | None, with_weights: bool = True, with_curve: bool = True) -> Frame:
        lesson = self.lesson
        data = lesson.config.data
        base = {
            "stamp": self.stamp(epoch),
            "lesson": lesson,
            "state": state,
            "sizes": lesson.config.sizes,
            "rows": tuple(data.rows),
            "input_names": tuple(data.inputs),
            "goal": self.goal,
            "extend_by": self.epochs,
            "lr": self.lr,
            "seed": self.seed,
            "speed": self.speed,
            "rate": self.rate if state == "running" else None,
        }
        if self.trainer is None:
            if self.saved is not None:
                epoch, last = self.progress or (-1, self.saved.last_epoch)
                base["opening"] = (self.path, epoch, last)
            return Frame(**base)
        history = self.trainer.history
        last = history.last_epoch
        epoch = last if epoch is None else min(epoch, last)
        weights = previous = None
        if with_weights and state == "running":
            if self._weights is not None:
                weights, previous = self._weights  # the worker's latest; maybe a few epochs old
            self._weights_wanted.set()
        elif with_weights and self._weights is not None and self._weights[0].epoch == epoch:
            weights, previous = self._weights  # the worker's last look, at this epoch: a pause draws it
        elif with_weights:
            if epoch > 0:
                previous = history.weights_at(epoch - 1)
            weights = history.weights_at(epoch)
        blowup = self.trainer.blowup
        return Frame(
            **base,
            epoch=epoch,
            last_epoch=last,
            loss=history.loss(epoch),
            accuracy=history.accuracy(epoch),
            predictions=tuple(history.predictions(epoch)),
            weights=weights,
            previous=previous,
            curve=self.curve(last + 1) if with_curve else Curve(),
            blowup=blowup if blowup is not None and blowup.epoch <= epoch else None,
            rule=self._rule_status(epoch) if lesson.rule else None,
        )

    def _rule_status(self, epoch: int):
        from core.rule import status_at  # pure Python: no torch call, safe while the worker trains

        history = self.trainer.history
        return status_at(self.trainer.config, epoch, history.losses(0, epoch + 1), history.lr_changes())

    def curve(self, n: int) -> Curve:
        """Every stride-th of the first `n` epochs and the last one; never more than CURVE_POINTS."""
        history = self.trainer.history
        if n <= 0:
            return Curve()
        stride = max(1, -(-n // CURVE_POINTS))
        epochs = list(range(0, n, stride))
        if epochs[-1] != n - 1:
            epochs.append(n - 1)
        losses = history.losses(0, n, stride)
        if len(losses) < len(epochs):
            losses.append(history.loss(n - 1))
        return Curve(
            epochs=tuple(epochs),
            losses=tuple(losses),
            accuracies=tuple(history.accuracy(e) for e in epochs),
        )
