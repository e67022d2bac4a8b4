"""Truth tables the networks learn: two-input boolean functions, 3-input parity and majority.

Pure Python (no torch), so the UI can list and draw datasets before torch has loaded.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product

from core.errors import InputError

# The 16 two-input boolean functions, named by their output column over the rows
# (0,0), (0,1), (1,0), (1,1): "0001" is AND, "0110" is XOR.
_TWO_INPUT = {
    "0000": "false",
    "0001": "and",
    "0010": "a-and-not-b",
    "0011": "a",
    "0100": "b-and-not-a",
    "0101": "b",
    "0110": "xor",
    "0111": "or",
    "1000": "nor",
    "1001": "xnor",
    "1010": "not-b",
    "1011": "b-implies-a",
    "1100": "not-a",
    "1101": "a-implies-b",
    "1110": "nand",
    "1111": "true",
}


@dataclass(frozen=True)
class Dataset:
    """A truth table: input names, and rows of (inputs, target)."""

    name: str
    inputs: tuple[str, ...]
    rows: tuple[tuple[tuple[int, ...], int], ...]

    @property
    def X(self) -> list[list[float]]:
        """The inputs as a list of float rows, the shape `torch.tensor` wants."""
        return [[float(v) for v in x] for x, _ in self.rows]

    @property
    def y(self) -> list[list[float]]:
        """The targets as a column of floats."""
        return [[float(t)] for _, t in self.rows]

    @property
    def column(self) -> str:
        """The target column as a bit string, e.g. "0110" for XOR."""
        return "".join(str(t) for _, t in self.rows)

    @property
    def linearly_separable(self) -> bool:
        """Whether one straight line (plane) splits the 1s from the 0s: what a single layer can learn."""
        return _separable(self.rows)


def _table(name: str, n_inputs: int, fn) -> Dataset:
    rows = tuple((bits, int(fn(bits))) for bits in product((0, 1), repeat=n_inputs))
    return Dataset(name, tuple(f"x{i + 1}" for i in range(n_inputs)), rows)


def _from_column(name: str, column: str) -> Dataset:
    outputs = iter(int(c) for c in column)
    return _table(name, 2, lambda _bits: next(outputs))


def _separable(rows) -> bool:
    # A perceptron's decision rule is w·x + b > 0; for 0/1 inputs it is enough to try small
    # integer weights (every threshold function of up to 3 inputs has weights in -2..2 over
    # thresholds at half-integers).
    n = len(rows[0][0])
    weights = range(-2, 3)
    for w in product(weights, repeat=n):
        for twice_b in range(-2 * n * 2 - 1, 2 * n * 2 + 2, 2):
            if all((2 * sum(wi * xi for wi, xi in zip(w, x)) + twice_b > 0) == bool(t) for x, t in rows):
                return True
    return False


DATASETS: dict[str, Dataset] = {name: _from_column(name, col) for col, name in _TWO_INPUT.items()}
DATASETS["parity3"] = _table("parity3", 3, lambda b: sum(b) % 2)
DATASETS["majority3"] = _table("majority3", 3, lambda b: sum(b) >= 2)


def dataset(name_or_column: str) -> Dataset:
    """Look a dataset up by name ("xor", "parity3") or by a 2-input output column ("0110").

    Raises InputError naming what is allowed.
    """
    key = str(name_or_column).strip().lower()
    key = _TWO_INPUT.get(key, key)
    if key not in DATASETS:
        raise InputError("dataset", value=name_or_column, allowed=", ".join(DATASETS))
    return DATASETS[key]
