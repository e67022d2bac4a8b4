"""Truth tables the networks learn: two-input boolean functions, 3-input parity and majority, and
tables of the learner's own.

A table is named anywhere a dataset is (the command line, the config, a session file) by one
string, its `key`: a built-in's name ("xor", "parity3"), a 2-input output column ("0110", which
is always a built-in), an 8-bit output column for 3 inputs ("00010110"), or NAME=COLUMN for a
table of one's own with its name ("mine=01101000", "gate-2=0111"; any alphabet). Columns list the targets over
the rows in counting order: (0,0) (0,1) (1,0) (1,1), or (0,0,0) (0,0,1) ... (1,1,1).

Pure Python (no torch), so the UI can list and draw datasets before torch has loaded.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from itertools import product

from core.errors import InputError

# The 16 two-input boolean functions, named by their output column over the rows
# (0,0), (0,1), (1,0), (1,1): "0001" is AND, "0110" is XOR. The inputs are x1 and x2, as on
# every screen.
_TWO_INPUT = {
    "0000": "false",
    "0001": "and",
    "0010": "x1-and-not-x2",
    "0011": "x1",
    "0100": "x2-and-not-x1",
    "0101": "x2",
    "0110": "xor",
    "0111": "or",
    "1000": "nor",
    "1001": "xnor",
    "1010": "not-x2",
    "1011": "x2-implies-x1",
    "1100": "not-x1",
    "1101": "x1-implies-x2",
    "1110": "nand",
    "1111": "true",
}
# The names these tables had when the inputs were called a and b: a session file saved then says
# "a-and-not-b", and still opens (as "x1-and-not-x2").
OLD_NAMES = {
    "a-and-not-b": "x1-and-not-x2",
    "a": "x1",
    "b-and-not-a": "x2-and-not-x1",
    "b": "x2",
    "not-b": "not-x2",
    "b-implies-a": "x2-implies-x1",
    "not-a": "not-x1",
    "a-implies-b": "x1-implies-x2",
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
    def builtin(self) -> bool:
        """Whether this is one of the tables that come with the program (not a learner's own)."""
        return DATASETS.get(self.name) == self

    @property
    def key(self) -> str:
        """The one string that names this table anywhere a dataset name is taken (see the module's doc)."""
        if self.builtin or self.name == self.column:
            return self.name
        return f"{self.name}={self.column}"

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


_THREE_INPUT = {d.column: d.name for d in DATASETS.values() if len(d.inputs) == 3}
INPUTS_BY_BITS = {4: 2, 8: 3}  # a column's length -> how many inputs its table has
MAX_NAME = 16  # characters in the name of a learner's own table


def dataset(key: str) -> Dataset:
    """The table a key names: "xor", "parity3", "0110", "00010110" or NAME=COLUMN (see the module's doc).

    Raises InputError naming what is allowed.
    """
    text = str(key).strip()
    name, is_own, column = text.partition("=")
    if is_own:
        return own_table(name, column)
    lowered = text.lower()
    lowered = _TWO_INPUT.get(lowered, _THREE_INPUT.get(lowered, OLD_NAMES.get(lowered, lowered)))
    if lowered in DATASETS:
        return DATASETS[lowered]
    if len(lowered) == 8 and set(lowered) <= {"0", "1"}:
        return _own(lowered, lowered)
    raise InputError("dataset", value=key, allowed=", ".join(DATASETS))


def own_table(name: str, column: str) -> Dataset:
    """A learner's own truth table: `column` is its targets, 4 bits (2 inputs) or 8 bits (3 inputs).

    `name` is 1 to MAX_NAME letters (any alphabet), digits, - or _, with at least one letter, and
    not a built-in table's name. InputError says which rule is broken.
    """
    column = str(column).strip()
    if len(column) not in INPUTS_BY_BITS or not set(column) <= {"0", "1"}:
        raise InputError("dataset_column", value=column)
    name = unicodedata.normalize("NFC", str(name).strip()).lower()
    if (
        not 1 <= len(name) <= MAX_NAME
        or not all(c.isalnum() or c in "-_" for c in name)
        or not any(c.isalpha() for c in name)
        or name in DATASETS
        or name in OLD_NAMES
    ):
        raise InputError("dataset_name", value=name, most=MAX_NAME)
    return _own(name, column)


def label(name: str) -> str:
    """A table's name as the screens write it: "x₁ AND NOT x₂" for "x1-and-not-x2", "XOR" for "xor"."""
    subscripts = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
    return " ".join(
        word.translate(subscripts) if word[:1] == "x" and word[1:].isdigit() else word.upper()
        for word in name.split("-")
    )


@lru_cache(maxsize=256)
def _own(name: str, column: str) -> Dataset:
    outputs = iter(int(c) for c in column)
    return _table(name, INPUTS_BY_BITS[len(column)], lambda _bits: next(outputs))
