"""What a training run is made of: dataset, network shape, optimizer, loss, learning rate, seed.

Pure Python; the one place the allowed values and their limits are written down, so the command
line, the app's experiment form, session files and the Python API accept and refuse the same
things. `parse(field, text)` reads what a learner typed; the `check_*` functions check values.
Both raise `InputError` with the facts; the words catalog says them in the learner's language.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from core.datasets import Dataset, dataset
from core.errors import InputError

ACTIVATIONS = ("sigmoid", "tanh", "relu")
OPTIMIZERS = ("sgd", "momentum", "adam")
LOSSES = ("bce", "mse")
MAX_WIDTH = 1024
MAX_LAYERS = 8
MAX_EPOCHS = 10_000_000
MAX_SEED = 2**63 - 1
MOMENTUM = 0.9  # for the "momentum" optimizer: torch.optim.SGD(momentum=0.9)
ADAM_DEFAULT_LR = 0.01  # lr 1, right for the lessons' plain SGD, is far too high for Adam


@dataclass(frozen=True)
class TrainConfig:
    """One training run's settings. Validated on creation: a bad value raises InputError (a ValueError)."""

    dataset: str = "and"  # a table's key: "xor", "parity3", "00010110", "mine=0111" (core.datasets)
    hidden: tuple[int, ...] = ()
    activation: str = "sigmoid"
    optimizer: str = "sgd"
    loss: str = "bce"
    lr: float = 1.0
    seed: int = 0

    def __post_init__(self):
        object.__setattr__(self, "dataset", dataset(self.dataset).key)
        object.__setattr__(self, "hidden", check_hidden(self.hidden))
        check_choice("activation", self.activation, ACTIVATIONS)
        check_choice("optimizer", self.optimizer, OPTIMIZERS)
        check_choice("loss", self.loss, LOSSES)
        check_lr(self.lr)
        check_whole("seed", self.seed, 0, MAX_SEED)

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


# --- checking values ---------------------------------------------------------------------------


def check_choice(field: str, value, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise InputError("choice", field=field, value=value, allowed=", ".join(allowed))
    return value


def check_whole(field: str, value, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InputError("whole", field=field, value=value, low=f"{low:,}", high=f"{high:,}")
    return value


def check_hidden(widths) -> tuple[int, ...]:
    widths = tuple(widths)
    if len(widths) > MAX_LAYERS or any(
        isinstance(w, bool) or not isinstance(w, int) or not 1 <= w <= MAX_WIDTH for w in widths
    ):
        raise InputError("hidden", value=",".join(map(str, widths)), most=MAX_WIDTH, layers=MAX_LAYERS)
    return widths


def check_lr(lr) -> float:
    if isinstance(lr, bool) or not isinstance(lr, (int, float)) or not math.isfinite(lr) or lr <= 0:
        raise InputError("lr", value=lr)
    return float(lr)


# --- reading what a learner typed ----------------------------------------------------------------


def parse_whole(field: str, text: str, low: int, high: int) -> int:
    try:
        return check_whole(field, int(str(text).strip().replace("_", "").replace(",", "")), low, high)
    except (ValueError, InputError):  # InputError is a ValueError: say what was typed, not what it became
        raise InputError("whole", field=field, value=text, low=f"{low:,}", high=f"{high:,}") from None


def parse_hidden(text: str) -> tuple[int, ...]:
    """ "64,32,16" -> (64, 32, 16); "" or "none" -> () (no hidden layer)."""
    text = str(text).strip()
    if text.lower() in ("", "none", "-"):
        return ()
    parts = [p.strip() for p in text.split(",")]
    if not all(p.isdigit() for p in parts):
        raise InputError("hidden", value=text, most=MAX_WIDTH, layers=MAX_LAYERS)
    return check_hidden(int(p) for p in parts)


def parse_lr(text: str) -> float:
    try:
        return check_lr(float(str(text).strip()))
    except (ValueError, InputError):
        raise InputError("lr", value=text) from None


def parse(field: str, text: str):
    """The value of a training setting from what was typed: raises InputError saying what is allowed."""
    text = str(text)
    if field == "dataset":
        return dataset(text).key
    if field == "hidden":
        return parse_hidden(text)
    if field in ("activation", "optimizer", "loss"):
        allowed = {"activation": ACTIVATIONS, "optimizer": OPTIMIZERS, "loss": LOSSES}[field]
        return check_choice(field, text.strip().lower(), allowed)
    if field == "lr":
        return parse_lr(text)
    if field == "seed":
        return parse_whole("seed", text, 0, MAX_SEED)
    if field == "epochs":
        return parse_whole("epochs", text, 1, MAX_EPOCHS)
    raise KeyError(f"no such setting: {field!r}")
