"""What a panel draws: a Frame of plain numbers for one epoch on view, stamped with the run and the
epoch it belongs to. Made by the live run (tui/run/live.py) on the UI thread; never holds tensors."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

from core.lessons import Lesson

if TYPE_CHECKING:
    from core.history import WeightsAt
    from core.neuron import ThresholdNeuron
    from core.rule import RuleStatus
    from core.trainer import BlowUp


@dataclass(frozen=True)
class Curve:
    """The loss (and accuracy) curve, every `stride`-th epoch plus the last: what the plot draws."""

    epochs: tuple[int, ...] = ()
    losses: tuple[float, ...] = ()
    accuracies: tuple[float, ...] = ()


class Stamp(NamedTuple):
    """Which frame a panel drew: the run (a new number for every change of its past: a new lesson,
    a reset, a new seed, a branch, a neuron set by hand), the epoch on view and the run's last
    epoch. Two frames with one stamp show the same numbers."""

    run: int
    epoch: int | None
    last: int


@dataclass(frozen=True)
class Frame:
    """Everything the panels show, for one epoch on view: plain numbers, no tensors."""

    stamp: Stamp
    lesson: Lesson
    state: str  # loading, ready, running, paused, finished, blown_up
    sizes: tuple[int, ...]
    rows: tuple  # the dataset's (inputs, target) rows
    input_names: tuple[str, ...]
    goal: int = 0  # the run's last epoch, as in the notebook's "Epoch: e/goal"
    extend_by: int = 0  # epochs that space adds to a finished run
    lr: float = 1.0  # the learning rate the next update will use
    seed: int = 0
    speed: int | None = None
    rate: float | None = None  # epochs a second, measured, while running
    epoch: int | None = None  # the epoch on view (None before the engine has computed one)
    last_epoch: int = -1
    loss: float | None = None
    accuracy: float | None = None
    predictions: tuple[float, ...] = ()
    weights: WeightsAt | None = None
    previous: WeightsAt | None = None  # the epoch before, for what changed
    curve: Curve = field(default_factory=Curve)
    blowup: BlowUp | None = None
    neuron: ThresholdNeuron | None = None  # the lesson set by hand (tui/neuron/run.py): its neuron
    target: str = ""  # and the target it aims at
    opening: tuple[str, int, int] | None = None  # while a saved run replays: (its file, epoch, of last)
    rule: RuleStatus | None = None  # the perceptron rule's lesson: mistakes so far, the bound, the cycle
