"""Each step's answer, taken from the run itself: a function of the run's history (or, for the
neuron set by hand, of the neuron as it is set), never a number written in a text. Change the
seed or the learning rate and the answer follows the run.

An answer function returns the answer, or PENDING while the run cannot say yet (not run far
enough); `need` words say what is missing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

PENDING = None  # the run cannot say yet
NEVER = "never"  # a number question whose event never came (every row right, within the run)

CORNERS = ("00", "01", "10", "11")  # the input rows (x₁x₂), in the datasets' order
# Two inputs' 16 functions by their truth column over CORNERS (the output for 00, 01, 10, 11).
FUNCTIONS = {
    "0000": "false", "0001": "and", "0010": "x1-not-x2", "0011": "x1", "0100": "x2-not-x1", "0101": "x2",
    "0110": "xor", "0111": "or", "1000": "nor", "1001": "xnor", "1010": "not-x2", "1011": "x1-or-not-x2",
    "1100": "not-x1", "1101": "x2-or-not-x1", "1110": "nand", "1111": "true",
}  # fmt: skip


@dataclass(frozen=True)
class RunFacts:
    """What a step's answer may be taken from: a trained run (its history, its last epoch) or the
    neuron set by hand; and the last finished seed sweep of this run's settings, if any.

    `history` is a core.history.History (or anything with its reading methods)."""

    lesson: str
    seed: int | None = None
    lr: float | None = None
    history: Any = None
    finished: bool = False  # the run reached its last epoch (or blew up)
    neuron: Any = None  # core.neuron.ThresholdNeuron, for the neuron lesson
    target: str | None = None  # the neuron's target
    sweep_learned: tuple[int, int] | None = None  # (seeds that learned, seeds swept)

    @property
    def last_epoch(self) -> int:
        return self.history.last_epoch if self.history is not None else 0


def _sigmoid(z: float) -> float:
    return 1 / (1 + math.exp(-z)) if z >= 0 else math.exp(z) / (1 + math.exp(z))


def final_loss(run: RunFacts):
    """The loss at the run's last epoch, once it has run to its end."""
    return round(run.history.loss(run.last_epoch), 4) if run.finished else PENDING


def loss_band(run: RunFacts):
    """Where the final loss ends: "ln2" (within 0.01 of ln 2), "above", "mid" (0.01 to 0.1), "low" (below 0.01)."""
    loss = final_loss(run)
    if loss is PENDING:
        return PENDING
    if abs(loss - math.log(2)) < 0.01:
        return "ln2"
    if loss >= 0.1:
        return "above"
    return "mid" if loss >= 0.01 else "low"


def first_all_right(run: RunFacts):
    """The first epoch at which every row is right; NEVER if the run ended without one."""
    epoch = run.history.first_epoch_where(100.0)
    if epoch is not None:
        return epoch
    return NEVER if run.finished else PENDING


def all_right_at_end(run: RunFacts):
    """ "yes" if every row is right at the last epoch, "no" otherwise (once the run has ended)."""
    if not run.finished:
        return PENDING
    return "yes" if run.history.accuracy(run.last_epoch) >= 100.0 else "no"


def wrong_corners(run: RunFacts):
    """The input rows the network gets wrong at its last epoch (output ≥ 0.5 is class 1)."""
    if not run.finished:
        return PENDING
    history = run.history
    predictions = history.predictions(run.last_epoch)
    return [c for c, p, t in zip(CORNERS, predictions, history.targets) if (p >= 0.5) != bool(t)]


def output_bias_sign(run: RunFacts):
    """ "negative" or "positive": the output neuron's bias at the last epoch."""
    if not run.finished:
        return PENDING
    bias = run.history.weights_at(run.last_epoch).layers[-1].bias[0]
    return "negative" if bias < 0 else "positive"


def hidden_functions(run: RunFacts):
    """The logic function each neuron of the first hidden layer computes at the last epoch (its
    output ≥ 0.5 read as 1), named as FUNCTIONS names them, sorted."""
    if not run.finished:
        return PENDING
    layer = run.history.weights_at(run.last_epoch).layers[0]
    names = []
    for w, b in zip(layer.weight, layer.bias):
        column = "".join(str(int(_sigmoid(w[0] * int(c[0]) + w[1] * int(c[1]) + b) >= 0.5)) for c in CORNERS)
        names.append(FUNCTIONS[column])
    return sorted(names)


def hidden_pair(run: RunFacts):
    """The pair the two hidden neurons learn, as a choice: "or-nand", "and-nor", "one-sided" (x₁ and
    not x₂, x₂ and not x₁), or "other"."""
    names = hidden_functions(run)
    if names is PENDING:
        return PENDING
    pairs = {("nand", "or"): "or-nand", ("and", "nor"): "and-nor", ("x1-not-x2", "x2-not-x1"): "one-sided"}
    return pairs.get(tuple(names), "other")


def learned_share(run: RunFacts):
    """Percent of the seed sweep's starts that got every row right (the sweep of this run's settings)."""
    if run.sweep_learned is None:
        return PENDING
    learned, seeds = run.sweep_learned
    return round(100 * learned / seeds)


def output_delta(run: RunFacts):
    """δ = (p − y)/n of the last row (1, 1) at epoch 0, as the explainer computes it with BCE."""
    history = run.history
    p, y, n = history.predictions(0)[-1], history.targets[-1], len(history.targets)
    return round((p - y) / n, 4)


def moves_after_one_update(run: RunFacts):
    """ "up" or "down": how the output for row (1, 1) moves from epoch 0 to epoch 1."""
    if run.last_epoch < 1:
        return PENDING
    before, after = run.history.predictions(0)[-1], run.history.predictions(1)[-1]
    return "up" if after > before else "down"


def theta_for_and(run: RunFacts):
    """With w₁ = w₂ = 1 and the target AND reached: where θ lies ("below1", "1to2", "above2")."""
    neuron = run.neuron
    if neuron is None or (neuron.w1, neuron.w2) != (10, 10) or not neuron.reaches("and"):
        return PENDING
    theta = neuron.value("theta")
    return "below1" if theta <= 1 else "1to2" if theta <= 2 else "above2"


def xor_reachable(run: RunFacts):
    """Whether any weights and threshold reach XOR: the engine's search over every setting (core.neuron)."""
    from core.neuron import reachable

    return "yes" if reachable("xor") else "no"
