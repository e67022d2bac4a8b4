"""What a training run is made of: dataset, network shape, optimizer, loss, learning rate, seed.

Pure Python; the one place the allowed values and their limits are written down, so the CLI, the
app and the Python API accept and refuse the same things.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from core.datasets import Dataset, dataset

ACTIVATIONS = ("sigmoid", "tanh", "relu")
OPTIMIZERS = ("sgd", "momentum", "adam")
LOSSES = ("bce", "mse")
MAX_WIDTH = 1024
MAX_EPOCHS = 10_000_000
MOMENTUM = 0.9  # for the "momentum" optimizer: torch.optim.SGD(momentum=0.9)
ADAM_DEFAULT_LR = 0.01  # lr 1, right for the lessons' plain SGD, is far too high for Adam


@dataclass(frozen=True)
class TrainConfig:
    """One training run's settings. Validated on creation: a bad value raises ValueError."""

    dataset: str = "and"
    hidden: tuple[int, ...] = ()
    activation: str = "sigmoid"
    optimizer: str = "sgd"
    loss: str = "bce"
    lr: float = 1.0
    seed: int = 0

    def __post_init__(self):
        dataset(self.dataset)  # raises KeyError naming what is allowed
        object.__setattr__(self, "hidden", tuple(self.hidden))
        for width in self.hidden:
            check_width(width)
        check_choice("activation", self.activation, ACTIVATIONS)
        check_choice("optimizer", self.optimizer, OPTIMIZERS)
        check_choice("loss", self.loss, LOSSES)
        check_lr(self.lr)
        if not isinstance(self.seed, int) or self.seed < 0:
            raise ValueError(f"seed must be a whole number ≥ 0, not {self.seed!r}")

    @property
    def data(self) -> Dataset:
        return dataset(self.dataset)

    @property
    def sizes(self) -> tuple[int, ...]:
        """Layer sizes from input to output, e.g. (2, 64, 32, 16, 1)."""
        return (len(self.data.inputs), *self.hidden, 1)

    def with_(self, **changes) -> TrainConfig:
        """A copy with some settings changed (validated again)."""
        return replace(self, **changes)


def check_choice(what: str, value: str, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise ValueError(f"unknown {what} {value!r}: choose from {', '.join(allowed)}")


def check_width(width) -> None:
    if isinstance(width, bool) or not isinstance(width, int) or not 1 <= width <= MAX_WIDTH:
        raise ValueError(f"hidden layer widths must be whole numbers from 1 to {MAX_WIDTH}, not {width!r}")


def check_lr(lr) -> None:
    if isinstance(lr, bool) or not isinstance(lr, (int, float)) or not math.isfinite(lr) or lr <= 0:
        raise ValueError(f"the learning rate must be a number > 0, not {lr!r}")
