"""The decision-boundary map: what the network outputs over the input square, and what each
hidden neuron computes there.

Computed with numpy from the plain floats of a `WeightsAt`, never with torch: a UI thread can
draw it while a worker thread trains (every torch call would wait for the busy worker). The
forward pass is the network's own: `x @ W.T + b`, the hidden activation, a sigmoid at the end;
`tests/unit/test_boundary.py` checks it against `model(X)`.

The same bits on every machine, so that what the map shows and what `train --map` writes never
depend on the CPU: float64 (the float32 weights' exact function, to about 1e-15), products by
OpenBLAS on the kernels core.numerics pins (one thread, the SSE3 ones every x86-64 CPU has), and
exp by core.portable_exp's polynomial, of additions and multiplications only: numpy's own exp and tanh
choose AVX2 or AVX-512 code by CPU and differ in their last bits.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from core.portable_exp import activate_inplace, sigmoid_inplace

if TYPE_CHECKING:  # core.history loads torch; this module must not
    from core.history import LayerWeights, WeightsAt

LOW, HIGH = -0.5, 1.5  # the square drawn: the four truth-table corners inside, with margin
CLI_STEPS = 41  # points an axis in `perceptron-lab train --map`: a step of 0.05, 0 and 1 among them
# The level where each activation's neuron "switches": its output at pre-activation 0.
SWITCH = {"sigmoid": 0.5, "tanh": 0.0, "relu": 0.0}


def axis(n: int, low: float = LOW, high: float = HIGH) -> np.ndarray:
    """`n` evenly spaced values from `low` to `high`, both included, each a float32 (as the network's
    inputs are) held in float64.

    With n ≡ 1 (mod 4) on the default square, 0 and 1 are among them exactly (at n // 4 and
    3 * (n // 4)), so the truth table's corners fall on grid points.
    """
    if n < 2:
        raise ValueError(f"an axis needs at least 2 points, not {n}")
    return np.linspace(low, high, n, dtype=np.float64).astype(np.float32).astype(np.float64)


@dataclass(frozen=True, eq=False)
class Params:
    """One network's weights and biases as float64 arrays (the float32 values exactly), converted once
    from a `WeightsAt`.
    Compared by identity (arrays have no single truth value): convert once, keep the object."""

    weights: tuple[np.ndarray, ...]  # layer k: (n_out, n_in)
    biases: tuple[np.ndarray, ...]  # layer k: (n_out,)
    activation: str  # of the hidden layers; the output is always a sigmoid

    @classmethod
    def of(cls, layers: Sequence[LayerWeights], activation: str) -> Params:
        return cls(
            tuple(np.asarray(layer.weight, dtype=np.float64) for layer in layers),
            tuple(np.asarray(layer.bias, dtype=np.float64) for layer in layers),
            activation,
        )

    @classmethod
    def from_pairs(cls, pairs: Sequence[tuple[Sequence[Sequence[float]], Sequence[float]]], activation: str) -> Params:
        """From (weight rows, bias) of each layer, as plain floats."""
        return cls(
            tuple(np.asarray(w, dtype=np.float64) for w, _ in pairs),
            tuple(np.asarray(b, dtype=np.float64) for _, b in pairs),
            activation,
        )

    @property
    def sizes(self) -> tuple[int, ...]:
        return (self.weights[0].shape[1], *(w.shape[0] for w in self.weights))


def forward(params: Params, X: np.ndarray) -> tuple[list[np.ndarray], np.ndarray]:
    """Every layer's output for the rows of X (float64, shape (n, inputs)): each hidden layer's
    activations, then the output probabilities (n, 1), as the network's forward pass makes them;
    and the output neuron's pre-activation z (p = sigmoid(z)), (n, 1)."""
    outputs = []
    a = X
    last = len(params.weights) - 1
    logit = None
    for k, (W, b) in enumerate(zip(params.weights, params.biases)):
        z = a @ W.T
        z += b
        if k == last:
            logit = z.copy()
            a = sigmoid_inplace(z)
        else:
            a = activate_inplace(z, params.activation)
        outputs.append(a)
    return outputs, logit


def grid_inputs(x1: np.ndarray, x2: np.ndarray, n_inputs: int = 2, x3: float = 0.0) -> np.ndarray:
    """The grid's points as network inputs, row by row: (x1[j], x2[i]) at row i * len(x1) + j,
    with x3 fixed for 3-input networks (a slice of the cube)."""
    X = np.empty((len(x2), len(x1), n_inputs), dtype=np.float64)
    X[:, :, 0] = x1[None, :]
    X[:, :, 1] = x2[:, None]
    if n_inputs == 3:
        X[:, :, 2] = x3
    elif n_inputs != 2:
        raise ValueError(f"a map needs a network with 2 or 3 inputs, not {n_inputs}")
    return X.reshape(-1, n_inputs)


@dataclass(frozen=True)
class BoundaryMap:
    """The network's output over a grid of the input square at one epoch.

    `p[i, j]` is the output at (x1[j], x2[i]); `hidden[k][n, i, j]` is neuron n of hidden layer k
    there. For 3-input networks the square is the slice x3 = `x3` of the cube.
    """

    epoch: int
    x1: np.ndarray
    x2: np.ndarray
    x3: float | None
    p: np.ndarray  # (len(x2), len(x1)) float64
    z: np.ndarray  # the output neuron's pre-activation there: p = sigmoid(z)
    hidden: tuple[np.ndarray, ...]  # per hidden layer: (width, len(x2), len(x1)) float64
    activation: str

    def to_json(self, decimals: int = 6) -> dict:
        """{"epoch", "x1", "x2", "p"[, "x3"], "hidden"}: p[i][j] at x2[i], x1[j]; each hidden layer as
        {"layer", "activation", "neurons": [grid, ...]} with grids in the same form. Values rounded
        to `decimals` places (a map's resolution; all 17 digits would triple the size)."""

        def numbers(a: np.ndarray):
            return np.round(a, decimals).tolist()

        document = {"epoch": self.epoch, "x1": numbers(self.x1), "x2": numbers(self.x2), "p": numbers(self.p)}
        if self.x3 is not None:
            document["x3"] = self.x3
        if self.hidden:
            document["hidden"] = [
                {"layer": str(2 * k), "activation": self.activation, "neurons": numbers(grids)}
                for k, grids in enumerate(self.hidden)
            ]
        return document


def boundary_map(
    weights: WeightsAt | Params,
    activation: str = "sigmoid",
    nx: int = CLI_STEPS,
    ny: int | None = None,
    x3: float = 0.0,
    hidden: bool = True,
    epoch: int | None = None,
) -> BoundaryMap:
    """The output p (and, if `hidden`, every hidden neuron's activation) on an nx × ny grid of
    [-0.5, 1.5]², from a WeightsAt's plain floats (or Params made from them once)."""
    params = weights if isinstance(weights, Params) else Params.of(weights.layers, activation)
    if epoch is None:
        epoch = getattr(weights, "epoch", -1)
    ny = nx if ny is None else ny
    x1, x2 = axis(nx), axis(ny)
    n_inputs = params.sizes[0]
    outputs, logit = forward(params, grid_inputs(x1, x2, n_inputs, x3))
    shape = (ny, nx)
    grids = tuple(a.T.reshape(a.shape[1], *shape) for a in outputs[:-1]) if hidden else ()
    return BoundaryMap(
        epoch=epoch,
        x1=x1,
        x2=x2,
        x3=float(x3) if n_inputs == 3 else None,
        p=outputs[-1].reshape(shape),
        z=logit.reshape(shape),
        hidden=grids,
        activation=params.activation,
    )


# --- the lines a neuron draws ---------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """The line w1·x1 + w2·x2 + c = 0 in the input plane: where a first-layer neuron's
    pre-activation is 0 (for a single neuron, where its output is exactly 0.5). For a 3-input
    neuron on the slice x3 = s, c = b + w3·s."""

    w1: float
    w2: float
    c: float

    def value(self, x1: float, x2: float) -> float:
        return self.w1 * x1 + self.w2 * x2 + self.c

    def ends(self, low: float = LOW, high: float = HIGH) -> tuple[tuple[float, float], tuple[float, float]] | None:
        """Where the line enters and leaves the square [low, high]², or None if it misses it
        (or if w1 = w2 = 0: no line at all, the neuron says the same everywhere)."""
        w1, w2, c = self.w1, self.w2, self.c
        points: list[tuple[float, float]] = []
        if w2 != 0:
            for x1 in (low, high):
                x2 = -(w1 * x1 + c) / w2
                if low <= x2 <= high:
                    points.append((x1, x2))
        if w1 != 0:
            for x2 in (low, high):
                x1 = -(w2 * x2 + c) / w1
                if low <= x1 <= high:
                    points.append((x1, x2))
        unique: list[tuple[float, float]] = []
        for point in points:
            if all(math.dist(point, other) > 1e-9 for other in unique):
                unique.append(point)
        if len(unique) < 2:
            return None
        a, b = max(((a, b) for a in unique for b in unique), key=lambda pair: math.dist(*pair))
        return (a, b) if a <= b else (b, a)

    def equation(self, names: tuple[str, str] = ("x₁", "x₂")) -> str:
        """`5.71·x₁ + 5.71·x₂ − 8.62 = 0`, with minus signs as − and zero terms left out; small
        weights (a stuck single neuron's) to two significant digits rather than as 0.00."""
        terms = [(self.w1, f"·{names[0]}"), (self.w2, f"·{names[1]}"), (self.c, "")]
        text = ""
        for value, name in terms:
            if value == 0 and (name or text):
                continue
            sign = "−" if value < 0 else "+"
            size = abs(value)
            body = (f"{size:.2f}" if size >= 0.095 or size == 0 else f"{size:.2g}") + name
            text = (f"−{body}" if sign == "−" else body) if not text else f"{text} {sign} {body}"
        return f"{text or '0'} = 0"


def neuron_lines(weights: WeightsAt | Params, x3: float = 0.0, activation: str = "sigmoid") -> list[Line]:
    """The line of each neuron of the first layer (the hidden layer's, or the single neuron's)."""
    params = weights if isinstance(weights, Params) else Params.of(weights.layers, activation)
    W, b = params.weights[0], params.biases[0]
    lines = []
    for row, bias in zip(W.tolist(), b.tolist()):
        c = bias + (row[2] * x3 if len(row) == 3 else 0.0)
        lines.append(Line(row[0], row[1], c))
    return lines


def single_neuron_line(weights: WeightsAt | Params, x3: float = 0.0) -> Line | None:
    """For a network with no hidden layer, the line where its output is 0.5; otherwise None."""
    params = weights if isinstance(weights, Params) else Params.of(weights.layers, "sigmoid")
    if len(params.weights) != 1:
        return None
    return neuron_lines(params, x3)[0]


# --- reading a map: scales, contours, the dataset's rows ------------------------------------------


@dataclass(frozen=True)
class Scale:
    """How a neuron's values read: `center` is where it switches (0.5 for a sigmoid, 0 for tanh
    and ReLU), `half` how far from it counts as fully on or off."""

    center: float
    half: float
    strict: bool = False  # "on" means > center (ReLU: 0 is off), else ≥ center (p ≥ 0.5 is class 1)

    def signed(self, values: np.ndarray) -> np.ndarray:
        """Values as -1 (fully off) … 0 (at the switch) … 1 (fully on)."""
        t = (values - self.center) / self.half
        return np.clip(t, -1, 1, out=t)

    def on(self, values: np.ndarray) -> np.ndarray:
        return values > self.center if self.strict else values >= self.center


OUTPUT_SCALE = Scale(0.5, 0.5)


def scale_for(activation: str, values: np.ndarray | None = None) -> Scale:
    """The scale of a hidden neuron with this activation (ReLU's spans 0 to its largest value)."""
    if activation == "sigmoid":
        return OUTPUT_SCALE
    if activation == "tanh":
        return Scale(0.0, 1.0)
    top = float(values.max()) if values is not None and values.size else 0.0
    return Scale(0.0, top if top > 0 else 1.0, strict=True)


def contour(values: np.ndarray, scale: Scale = OUTPUT_SCALE) -> np.ndarray:
    """The points of the grid on the "on" side of the switch with a neighbour (left, right, up or
    down) on the other: a line one point thick, the p = 0.5 contour of an output."""
    on = scale.on(values)
    off = ~on
    edge = np.zeros(on.shape, dtype=bool)
    edge[1:, :] |= on[1:, :] & off[:-1, :]
    edge[:-1, :] |= on[:-1, :] & off[1:, :]
    edge[:, 1:] |= on[:, 1:] & off[:, :-1]
    edge[:, :-1] |= on[:, :-1] & off[:, 1:]
    return edge


def line_mask(line: Line, x1: np.ndarray, x2: np.ndarray) -> np.ndarray:
    """The grid points along a neuron's line, found as `contour` finds the p = 0.5 line."""
    z = line.w1 * x1[None, :] + line.w2 * x2[:, None] + line.c
    return contour(z, Scale(0.0, 1.0))


def directions(values: np.ndarray, x1: np.ndarray, x2: np.ndarray) -> np.ndarray:
    """At each grid point, which way a contour through it runs: 0 across (─), 1 up-right (╱),
    2 up (│), 3 down-right (╲); from the slope of the values, in the plane's own units."""
    g2, g1 = np.gradient(values.astype(np.float64), x2.astype(np.float64), x1.astype(np.float64))
    # The contour runs across the gradient: direction (-g2, g1), angle folded into [0°, 180°).
    angle = np.degrees(np.arctan2(g1, -g2)) % 180.0
    return (np.floor((angle + 22.5) / 45.0).astype(np.int8)) % 4


def grid_index(value: float, axis_values: np.ndarray) -> int:
    """The grid point nearest `value` along an axis."""
    return int(np.abs(axis_values - value).argmin())


@dataclass(frozen=True)
class RowMark:
    """A dataset row on the map: at x2[i], x1[j]; its target, and whether the network gets it right."""

    i: int
    j: int
    row: int  # its index in the dataset
    target: int
    right: bool | None  # None when the predictions are not known


def row_marks(
    rows, x1: np.ndarray, x2: np.ndarray, x3: float | None, predictions: Sequence[float] = ()
) -> list[RowMark]:
    """The dataset's rows that lie on the map (all of them, or for 3 inputs those with x3 on the
    slice), each with right = (prediction ≥ 0.5) == target, from the same predictions the truth
    table shows."""
    marks = []
    for k, (inputs, target) in enumerate(rows):
        if len(inputs) == 3 and x3 is not None and inputs[2] != x3:
            continue
        right = None if k >= len(predictions) else (predictions[k] >= 0.5) == bool(target)
        marks.append(RowMark(grid_index(inputs[1], x2), grid_index(inputs[0], x1), k, int(target), right))
    return marks


def square_size(limit: int, modulus: int = 4) -> int:
    """The largest n ≤ limit with n ≡ 1 (mod `modulus`): a grid where 0 and 1 fall on points
    (modulus 8 when the rows are sampled at half the columns' density, as text cells are)."""
    n = limit - (limit - 1) % modulus
    return max(n, modulus + 1)


def neuron_columns(params: Params, rows) -> list[list[str]]:
    """Each hidden neuron's own truth table over the dataset's inputs, as a column of 0s and 1s
    ("1" where it is on: past its switch). For two inputs a column names a function: "0111" is
    OR, "1110" NAND (core.datasets); that is how a hidden neuron of XOR reads."""
    X = np.asarray([[float(v) for v in inputs] for inputs, _ in rows], dtype=np.float64)
    outputs, _ = forward(params, X)
    columns = []
    for a in outputs[:-1]:
        layer = []
        for n in range(a.shape[1]):
            scale = scale_for(params.activation, a[:, n])
            layer.append("".join("1" if on else "0" for on in scale.on(a[:, n])))
        columns.append(layer)
    return columns
