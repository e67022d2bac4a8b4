"""The McCulloch–Pitts neuron (1943): two 0/1 inputs, weights and a threshold set by hand, no training.

It fires (outputs 1) when w₁·x₁ + w₂·x₂ ≥ θ. Its parameters are kept in tenths, as integers, so a
step of 0.1 is exact and whether w·x reaches θ never hangs on floating-point rounding.

The boundary w₁·x₁ + w₂·x₂ = θ is a straight line across the square of the four inputs: the
neuron answers 1 on one side of it and 0 on the other. So it reaches a target (a truth table)
exactly when one line separates the target's 1s from its 0s. XOR's 1s sit on opposite corners,
and no line does that: its four rows ask for inequalities that cannot hold together
(`conditions`); `core.datasets.Dataset.linearly_separable` is the general test.

Pure Python; the words ([neuron]) tell the facts.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace

from core.datasets import Dataset, dataset

PARAMETERS = ("w1", "w2", "theta")
LIMIT = 30  # tenths: every parameter stays within ±3.0
TARGETS = ("and", "or", "nand", "not-x1", "xor")  # the lesson's targets, as dataset names
LABELS = {"and": "AND", "or": "OR", "nand": "NAND", "not-x1": "NOT x₁", "xor": "XOR"}


@dataclass(frozen=True)
class Row:
    """One input row under the neuron: its weighted sum, what it outputs and what the target wants."""

    x: tuple[int, int]
    total: float  # w₁·x₁ + w₂·x₂
    output: int  # 1 if total ≥ θ
    target: int

    @property
    def right(self) -> bool:
        return self.output == self.target


@dataclass(frozen=True)
class ThresholdNeuron:
    """w₁, w₂ and θ in tenths (w1=5 is 0.5). Immutable: `nudged` returns a new neuron."""

    w1: int = 0
    w2: int = 0
    theta: int = 5

    def value(self, name: str) -> float:
        """A parameter's value: value("theta") == 0.5 for theta=5."""
        return getattr(self, name) / 10

    def nudged(self, name: str, steps: int) -> ThresholdNeuron:
        """This neuron with one parameter moved by `steps` tenths, kept within ±LIMIT tenths."""
        if name not in PARAMETERS:
            raise KeyError(name)
        return replace(self, **{name: max(-LIMIT, min(LIMIT, getattr(self, name) + steps))})

    def fires(self, x: tuple[int, ...]) -> int:
        """1 if w·x ≥ θ, else 0 (in whole tenths: exact)."""
        return int(self.w1 * x[0] + self.w2 * x[1] >= self.theta)

    def table(self, target: str) -> list[Row]:
        """Every input row of `target`'s truth table, with the neuron's sum and output."""
        return [
            Row(tuple(x), (self.w1 * x[0] + self.w2 * x[1]) / 10, self.fires(x), t)
            for x, t in target_table(target).rows
        ]

    def reaches(self, target: str) -> bool:
        """Whether the neuron outputs the target's column on every row."""
        return all(row.right for row in self.table(target))


def target_table(target: str) -> Dataset:
    """The target's truth table (a 2-input dataset)."""
    if target not in TARGETS:
        raise KeyError(f"no such target: {target!r} (targets: {', '.join(TARGETS)})")
    return dataset(target)


def reachable(target: str) -> bool:
    """Whether some setting of w₁, w₂ and θ reaches the target: one line separates its 1s from its 0s."""
    return target_table(target).linearly_separable


def example(target: str) -> ThresholdNeuron | None:
    """A simple neuron that reaches the target (whole numbers if any do, then halves, then tenths), or
    None if none within ±3.0 does (XOR)."""
    if not reachable(target):
        return None
    for step in (10, 5, 1):
        values = range(-LIMIT, LIMIT + 1, step)
        candidates = sorted(itertools.product(values, repeat=3), key=lambda v: (sum(map(abs, v)), v))
        for w1, w2, theta in candidates:
            neuron = ThresholdNeuron(w1, w2, theta)
            if neuron.reaches(target):
                return neuron
    return None


def next_target(target: str, step: int = 1) -> str:
    """The target after (or before) `target`, round the list."""
    return TARGETS[(TARGETS.index(target) + step) % len(TARGETS)]


@dataclass(frozen=True)
class Condition:
    """What one row of a target needs from the neuron: w₁·x₁ + w₂·x₂ ≥ θ (fire) or < θ (stay quiet)."""

    x: tuple[int, int]
    fire: bool
    holds: bool  # for the neuron it was made for


def conditions(neuron: ThresholdNeuron, target: str) -> list[Condition]:
    """The target's rows as inequalities, and whether `neuron` meets each.

    For XOR they read: 0 < θ, w₂ ≥ θ, w₁ ≥ θ, w₁ + w₂ < θ. The middle two add up to w₁ + w₂ ≥ 2θ,
    and with θ > 0 that is more than θ: the last cannot hold too, whatever the numbers.
    """
    return [Condition(row.x, bool(row.target), row.right) for row in neuron.table(target)]
