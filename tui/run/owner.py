"""The one owner of what the screen shows: the live run, the epoch on view and the app's state.

Only this object assigns them, and only on the UI thread: features ask it (`use`, `browse`,
`step`, `reset`, `branch`, `set_lr`, `settle`), they never assign. A change to the run itself
(a step, a reset, a branch) is refused while a worker trains it: the caller halts the worker
first (EngineLife._halt). What a panel shows is stamped with the frame it came from (Frame.stamp),
and `frame_on_view()` says which frame every visible panel must show at rest.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui.run.live import LiveRun, lr_step

if TYPE_CHECKING:
    from tui.app import PerceptronLab
    from tui.neuron.run import NeuronRun

STATES = ("loading", "ready", "running", "paused", "finished", "blown_up")


class RunWhileTraining(RuntimeError):
    """A change to the run was asked for while a worker trains it (a bug: the caller must halt first)."""


class RunOwner:
    """The live run, the epoch on view (None follows the latest) and the state, for one app."""

    def __init__(self, app: PerceptronLab, live: LiveRun | NeuronRun, view: int | None = None):
        self._app = app
        self._live = live
        self._view = view
        self._training = False  # a worker trains the run: from start_training until trained

    # --- reading --------------------------------------------------------------------------------

    @property
    def live(self) -> LiveRun | NeuronRun:
        return self._live

    @property
    def view(self) -> int | None:
        return self._view

    @property
    def state(self) -> str:
        return self._app.state

    @property
    def viewed(self) -> int:
        """The epoch on view as a number (the latest when following it)."""
        return self._live.last_epoch if self._view is None else self._view

    @property
    def in_past(self) -> bool:
        return self._view is not None and self._view < self._live.last_epoch

    def frame_on_view(self, lang: str) -> tuple:
        """(Stamp, language) of the frame every visible panel shows at rest."""
        return (self._live.stamp(self._view), lang)

    # --- changing what is on view ---------------------------------------------------------------

    def use(self, live: LiveRun | NeuronRun, view: int | None = None, keep_speed: bool = True) -> None:
        """Make `live` the run on screen, at epoch `view` (the caller has halted the one before);
        it is loading until `settle` says otherwise."""
        self._check_not_training()
        if keep_speed:
            live.speed = self._live.speed  # the learner's speed carries over to a new run
        self._live, self._view = live, view
        self.set_state("loading")

    def browse(self, epoch: int | None) -> None:
        """Put `epoch` on view (None, or the latest: follow the latest), never past either end."""
        last = self._live.last_epoch
        if epoch is None or epoch >= last:
            self._view = None
        else:
            self._view = max(0, epoch)

    def set_state(self, state: str) -> None:
        if state not in STATES:
            raise ValueError(f"unknown state {state!r}")
        self._app._run_state = state

    def settle(self) -> None:
        """The state once no worker trains, from what the run is; a rate set as the run stopped
        makes the next epoch."""
        live = self._live
        live.settle_lr()
        if not live.ready:
            state = "loading"
        elif live.blowup is not None:
            state = "blown_up"  # the status line says why, in red
        elif live.finished:
            state = "finished"
        else:
            state = "ready" if live.last_epoch == 0 else "paused"
        self.set_state(state)

    # --- changing the run (never while a worker trains it) ---------------------------------------

    def step(self, n: int) -> None:
        """Train `n` epochs now, on this thread, and follow the latest."""
        self._check_not_training()
        self._live.step(n)
        self._view = None

    def reset(self, new_seed: bool = False) -> None:
        """Back to epoch 0 (with new initial weights from the next seed, if asked)."""
        self._check_not_training()
        self._live.reset(new_seed=new_seed)
        self._view = None

    def branch(self, epoch: int) -> None:
        """Forget the epochs after `epoch`; train on from there."""
        self._check_not_training()
        self._live.branch(epoch)
        self._view = None

    def extend(self) -> None:
        self._check_not_training()
        self._live.extend()

    def set_neuron(self, neuron, target: str) -> None:
        """The neuron lesson's weights, threshold or target, as set by hand (no worker: it has no run)."""
        self._live.set(neuron, target)

    def set_lr(self, up: bool) -> None:
        """One step up or down the learning-rate ladder, from the next update computed."""
        live = self._live
        live.set_lr(lr_step(live.lr, up=up), training=self.state == "running")

    def start_training(self) -> None:
        """A worker is about to train the run: the latest epoch is on view."""
        self._check_not_training()
        self._training = True
        self._view = None
        self.set_state("running")

    def trained(self) -> None:
        """The training worker has returned (or was waited for): the run may change again."""
        self._training = False

    def _check_not_training(self) -> None:
        if self._training:
            raise RunWhileTraining("the run was to change while a worker trains it")
