"""The neuron lesson's hold on its state: a threshold neuron set by hand and the target it aims at.

No trainer and no torch: the lesson has no run. It answers what the app asks of any session (ready,
the last epoch, a Frame for the status line) so the app's loop treats it as a run that is always
ready and never trains; the training keys are hidden for it (PerceptronLab.check_action).
"""

from __future__ import annotations

from dataclasses import dataclass

from core.lessons import Lesson
from core.neuron import TARGETS, ThresholdNeuron, target_table
from tui.run.live import SPEEDS, Frame, LiveRun, Stamp, _serials, _versions


@dataclass(frozen=True)
class NeuronLayer:
    """The neuron as a layer, in the shape the map reads (core.history.LayerWeights' without torch)."""

    weight: list[list[float]]
    bias: list[float]


@dataclass(frozen=True)
class NeuronWeights:
    """What the map reads of a WeightsAt: the epoch, the outputs, the layers."""

    epoch: int
    predictions: list[float]
    layers: list[NeuronLayer]


class NeuronRun:
    """The one owner of the neuron lesson's state; changed on the UI thread only (NeuronChanged)."""

    trainer = None  # nothing is trained
    blowup = None
    finished = False
    ready = True  # nothing to load
    last_epoch = 0

    def __init__(self, lesson: Lesson, epochs: int | None = None):
        self.serial = next(_serials)
        self.version = next(_versions)
        self.lesson = lesson
        self.neuron = ThresholdNeuron()
        self.target = TARGETS[0]
        self.speed: int | None = SPEEDS[1]  # kept for the next lesson opened
        self.seed = lesson.config.seed
        self.lr = lesson.config.lr

    def settle_lr(self) -> None:
        """No learning rate: nothing learns."""

    def load(self, stop=None, progress=None) -> None:
        """Nothing to load (the app's loading worker calls it for every session)."""

    def set(self, neuron: ThresholdNeuron, target: str) -> None:
        if target not in TARGETS:
            raise KeyError(target)
        if (neuron, target) != (self.neuron, self.target):
            self.version = next(_versions)
        self.neuron, self.target = neuron, target

    @property
    def reached(self) -> bool:
        return self.neuron.reaches(self.target)

    def stamp(self, view: int | None = None) -> Stamp:
        """One frame a neuron: the one set now."""
        return Stamp(self.version, None, 0)

    def frame(self, state: str, epoch: int | None = None, with_weights: bool = True, with_curve: bool = True) -> Frame:
        data = target_table(self.target)  # the rows the neuron aims at, for the map's marks
        return Frame(
            stamp=self.stamp(epoch),
            lesson=self.lesson,
            state=state,
            sizes=self.lesson.config.sizes,
            rows=tuple(data.rows),
            input_names=tuple(data.inputs),
            seed=self.seed,
            speed=self.speed,
            neuron=self.neuron,
            target=self.target,
            weights=self._weights(data) if with_weights else None,
        )

    def _weights(self, data) -> NeuronWeights:
        """The neuron as a one-layer network for the map: weights (w₁, w₂), bias −θ, so that its line
        w·x = θ is where the map's z = w·x − θ crosses 0 (the map reads the Frame's `neuron` and
        shows a step there, two classes, not a sigmoid's gradient)."""
        n = self.neuron
        layer = NeuronLayer([[n.value("w1"), n.value("w2")]], [-n.value("theta")])
        return NeuronWeights(0, [float(n.fires(inputs)) for inputs, _ in data.rows], [layer])


def run_for(lesson: Lesson, epochs: int | None = None) -> LiveRun | NeuronRun:
    """The session a lesson needs: a trainer's, or (for the lesson set by hand) the neuron's."""
    return LiveRun(lesson, epochs) if lesson.trains else NeuronRun(lesson, epochs)
