"""The loss surface under a run: the loss over a plane through the weights of one epoch, and the
run's path projected onto it.

A single neuron has three parameters, so the plane can be two of them, in their own units:
(w₁, w₂) with b at the epoch's value, (w₁, b) or (w₂, b). A network with hidden layers has too many:
the plane is spanned by two random directions through the epoch's weights, each scaled neuron by
neuron to the size of that neuron's own incoming weights (Li, Xu, Taylor, Studer and Goldstein,
"Visualizing the Loss Landscape of Neural Nets", 2018: filter normalization; biases are not
moved, as there), drawn from a seed that the picture states. A step of 1 along an axis then moves
every neuron's weights by about their own size.

Computed with numpy from plain floats, never with torch (a worker computes it while another trains),
in float64 and with the same bits on every machine, as the decision-boundary map is: products by
OpenBLAS on the kernels core.numerics pins (the norms and the projections too), exp and the loss's
log by core.portable_exp, the rows' losses summed in order, and the random directions from PCG64's
integers (a sum of twelve uniforms, not numpy's normal sampler, whose rare branches call the CPU's
own log and exp).

The loss is the network's own (the mean over the dataset's rows of binary cross-entropy or squared
error), computed exactly from the output's logit: where the float32 network's output rounds to 0
or 1, torch clamps its log at -100 and reports 100 for that row, while the surface keeps the true
value. `tests/unit/test_surface.py` checks the grid against the engine's loss at those weights.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np

from core.portable_exp import activate_inplace, sigmoid_inplace, softplus_inplace

if TYPE_CHECKING:  # core.history loads torch; this module must not
    from core.history import History, LayerWeights

STEPS = 41  # grid points an axis in `train --surface` and the benchmark
SEED = 0  # the random directions' seed, unless another is asked for
PATH_POINTS = 50  # about as many epochs of the path as this, a fixed stride apart
# The planes of a single neuron, by the parameters on their axes (a, b); "random" for the others.
NEURON_PLANES = (("w1", "w2"), ("w1", "b"), ("w2", "b"))
RANDOM = ("alpha", "beta")
_INDEX = {"w1": 0, "w2": 1, "b": 2}


@dataclass(frozen=True, eq=False)
class Net:
    """One network's weights and biases as float64 arrays (the float32 values exactly).
    Compared by identity, as arrays have no single truth value."""

    weights: tuple[np.ndarray, ...]  # layer k: (n_out, n_in)
    biases: tuple[np.ndarray, ...]  # layer k: (n_out,)

    @classmethod
    def of(cls, layers: Sequence[LayerWeights]) -> Net:
        return cls.from_pairs([(layer.weight, layer.bias) for layer in layers])

    @classmethod
    def from_pairs(cls, pairs: Sequence[tuple[Sequence[Sequence[float]], Sequence[float]]]) -> Net:
        """From (weight rows, bias) of each layer, as plain floats."""
        return cls(
            tuple(np.asarray(w, dtype=np.float64).reshape(len(b), -1) for w, b in pairs),
            tuple(np.asarray(b, dtype=np.float64) for _, b in pairs),
        )

    @cached_property
    def flat(self) -> np.ndarray:
        """Every parameter in one vector, layer by layer (weights, then biases): made once."""
        return np.concatenate([np.concatenate([w.reshape(-1), b]) for w, b in zip(self.weights, self.biases)])

    @property
    def single(self) -> bool:
        """A single neuron of two inputs: its planes are its own parameters'."""
        return len(self.weights) == 1 and self.weights[0].shape == (1, 2)


@dataclass(frozen=True)
class Surface:
    """The loss over a grid of a plane: `loss[i, j]` at (a[j], b[i]); the path's epochs projected onto
    the plane, and the epoch's own point. For a single neuron a and b are the parameters named by
    `axes`; for a deeper network, steps along the two random directions of `seed`."""

    epoch: int
    axes: tuple[str, str]
    a: np.ndarray
    b: np.ndarray
    loss: np.ndarray  # (len(b), len(a)) float64
    path: np.ndarray  # (k, 2): (a, b) of each epoch in path_epochs
    path_epochs: tuple[int, ...]
    point: tuple[float, float]
    point_loss: float  # the loss at the epoch's own weights, computed as the grid's is
    seed: int | None  # the random directions' seed; None for a neuron's own parameters
    fixed: tuple[str, float] | None = None  # a neuron's third parameter, held at the epoch's value

    @property
    def lowest(self) -> tuple[float, float, float]:
        """(a, b, loss) of the grid's lowest point."""
        i, j = np.unravel_index(int(np.argmin(self.loss)), self.loss.shape)
        return float(self.a[j]), float(self.b[i]), float(self.loss[i, j])

    def to_json(self, decimals: int = 6) -> dict:
        """{"epoch", "axes", "a", "b", "loss", "path", "point"[, "seed"]}: loss[i][j] at b[i], a[j];
        values rounded to `decimals` places (a picture's resolution)."""

        def numbers(values):
            return np.round(np.asarray(values, dtype=np.float64), decimals).tolist()

        document = {
            "epoch": self.epoch,
            "axes": list(self.axes),
            "a": numbers(self.a),
            "b": numbers(self.b),
            "loss": numbers(self.loss),
            "path": numbers(self.path.reshape(-1, 2)),
            "path_epochs": list(self.path_epochs),
            "point": numbers(self.point),
            "point_loss": round(self.point_loss, decimals + 2),
        }
        if self.seed is not None:
            document["seed"] = self.seed
        if self.fixed is not None:
            document["fixed"] = {self.fixed[0]: self.fixed[1]}
        return document


def planes(net: Net) -> tuple[tuple[str, str], ...]:
    """The planes a network's surface can be drawn on: a single neuron's three, or the random one."""
    return NEURON_PLANES if net.single else (RANDOM,)


# --- the directions ------------------------------------------------------------------------------


def _gaussian(rng: np.random.Generator, shape: tuple[int, ...]) -> np.ndarray:
    """About normal (mean 0, variance 1): the sum of twelve uniforms less 6, from PCG64's integers
    only, so the same on every machine."""
    u = rng.random((12, *shape))
    total = u[0].copy()
    for k in range(1, 12):
        total += u[k]
    total -= 6.0
    return total


def _row_norms(w: np.ndarray) -> list[float]:
    # A product by the pinned OpenBLAS (not numpy's sum, whose order follows the CPU's vector width).
    return np.sqrt((w * w) @ np.ones(w.shape[1])).tolist()


def random_directions(net: Net, seed: int = SEED) -> tuple[Net, Net]:
    """Two random directions in the network's weight space, each neuron's incoming weights scaled to
    that neuron's own size (filter normalization); biases stay put (zero)."""
    rng = np.random.Generator(np.random.PCG64(seed))
    pair = []
    for _ in range(2):
        weights = []
        for w in net.weights:
            d = _gaussian(rng, w.shape)
            for k, (size, norm) in enumerate(zip(_row_norms(w), _row_norms(d))):
                d[k] *= size / norm if norm > 0 else 0.0
            weights.append(d)
        pair.append(Net(tuple(weights), tuple(np.zeros_like(b) for b in net.biases)))
    return pair[0], pair[1]


def _neuron_plane(net: Net, axes: tuple[str, str]) -> tuple[Net, Net, Net]:
    """(origin, d_a, d_b) for a single neuron's plane of two of its own parameters: the origin is the
    epoch's parameters with the plane's two set to 0, so a grid point's values are its coordinates."""
    flat = [*net.weights[0][0].tolist(), float(net.biases[0][0])]
    origin = list(flat)
    for name in axes:
        origin[_INDEX[name]] = 0.0

    def unit(values: list[float]) -> Net:
        return Net((np.array([values[:2]], dtype=np.float64),), (np.array(values[2:], dtype=np.float64),))

    ones = [[1.0 if i == _INDEX[name] else 0.0 for i in range(3)] for name in axes]
    return unit(origin), unit(ones[0]), unit(ones[1])


def _flat(net: Net) -> np.ndarray:
    return net.flat


def project(nets: Sequence[Net], origin: Net, da: Net, db: Net, axes: tuple[str, str]) -> np.ndarray:
    """Each network's place on the plane: a neuron's own two parameters, or for random directions
    the least-squares (α, β) of its difference from `origin` (the directions are not orthogonal)."""
    if not nets:
        return np.zeros((0, 2))
    if axes != RANDOM:
        return np.array([[_flat(n)[_INDEX[axes[0]]], _flat(n)[_INDEX[axes[1]]]] for n in nets], dtype=np.float64)
    basis = np.stack([_flat(da), _flat(db)], axis=1)  # (parameters, 2)
    gram = basis.T @ basis  # products by the pinned OpenBLAS: the same sums everywhere
    (uu, uv), (_, vv) = gram.tolist()
    det = uu * vv - uv * uv
    if det <= 0:
        return np.zeros((len(nets), 2))
    dots = (np.stack([_flat(n) for n in nets]) - _flat(origin)) @ basis  # (nets, 2)
    du, dv = dots[:, 0], dots[:, 1]
    return np.stack([(vv * du - uv * dv) / det, (uu * dv - uv * du) / det], axis=1)


# --- the grid ------------------------------------------------------------------------------------


def nice_axis(low: float, high: float, n: int = STEPS) -> np.ndarray:
    """`n` values a round step apart (1, 2, 2.5 or 5 times a power of ten) covering [low, high], each
    a whole multiple of the step, so that 0 is on the grid whenever the range holds it."""
    span = max(high - low, 1e-9)
    power = 10.0 ** math.floor(math.log10(span / (n - 1)))
    for step in (m * power for m in (1.0, 2.0, 2.5, 5.0, 10.0, 20.0)):
        first = math.floor(low / step + 1e-9)
        spare = (n - 1) - (math.ceil(high / step - 1e-9) - first)
        if spare >= 0:
            first -= spare // 2  # the room left over, shared between the ends
            return np.arange(first, first + n, dtype=np.float64) * step
    raise AssertionError("a step of 20 powers covers any span")


def losses(
    origin: Net,
    da: Net,
    db: Net,
    a: np.ndarray,
    b: np.ndarray,
    rows: Sequence[tuple[Sequence[float], float]],
    activation: str = "sigmoid",
    loss: str = "bce",
) -> np.ndarray:
    """The loss (mean over `rows`) of the network origin + a[j]·da + b[i]·db, as [i, j].

    Layer by layer for many grid points at once: a layer's pre-activation is linear in (a, b) given
    its input h, z = h·W₀ᵀ + a·(h·Daᵀ) + b·(h·Dbᵀ) + the biases' terms; the first layer's input is
    the dataset itself, the same for every point. A few lines of the grid at a time, so that the
    arrays stay in the CPU's cache."""
    X = np.asarray([[float(v) for v in inputs] for inputs, _ in rows], dtype=np.float64)
    y = [float(t) for _, t in rows]
    first = [X @ w.T for w in (origin.weights[0], da.weights[0], db.weights[0])]
    first[0] += origin.biases[0]
    first[1] += da.biases[0]
    first[2] += db.biases[0]
    a_part = a[:, None, None] * first[1][None]  # (len(a), rows, n): the first layer's a·(X·Daᵀ)
    out = np.empty((len(b), len(a)))
    lines = max(1, _CHUNK_POINTS // len(a))
    for start in range(0, len(b), lines):
        bs = b[start : start + lines]
        out[start : start + len(bs)] = _chunk(origin, da, db, a, bs, first, a_part, y, activation, loss)
    return out


_CHUNK_POINTS = 164  # grid points a pass: a 64-wide layer's three products fit in a core's L2 cache


def _chunk(origin, da, db, a, bs, first, a_part, y, activation, loss) -> np.ndarray:
    n_rows, points = len(y), len(a) * len(bs)
    # z[i, j, r, :] = (X·W₀ᵀ + b₀ + b[i]·X·Dbᵀ)[r] + a[j]·(X·Daᵀ)[r]
    base = first[0][None] + bs[:, None, None] * first[2][None]  # (len(bs), rows, n)
    z = base[:, None] + a_part[None]
    last = len(origin.weights) - 1
    A = np.tile(a, len(bs))[:, None, None]  # per point
    B = np.repeat(bs, len(a))[:, None, None]
    h = z.reshape(points, n_rows, -1)
    if last > 0:
        h = activate_inplace(h, activation)
    for k in range(1, last + 1):
        flat = h.reshape(points * n_rows, -1)
        z = (flat @ origin.weights[k].T).reshape(points, n_rows, -1)
        z += origin.biases[k]
        for d, factor in ((da, A), (db, B)):
            part = (flat @ d.weights[k].T).reshape(points, n_rows, -1)
            part += d.biases[k]
            part *= factor
            z += part
        h = z if k == last else activate_inplace(z, activation)
    z = h[:, :, 0]  # the output's logit, (point, row)
    if loss == "bce":
        per_row = softplus_inplace(z * np.array([1.0 - 2.0 * t for t in y]))
    else:
        per_row = sigmoid_inplace(np.array(z)) - np.array(y)
        per_row *= per_row
    total = per_row[:, 0].copy()
    for r in range(1, n_rows):  # rows in order: the same sum everywhere
        total += per_row[:, r]
    total /= n_rows
    return total.reshape(len(bs), len(a))


def surface(
    net: Net,
    rows: Sequence[tuple[Sequence[float], float]],
    axes: tuple[str, str] | None = None,
    path: Sequence[Net] = (),
    path_epochs: Sequence[int] = (),
    epoch: int = -1,
    activation: str = "sigmoid",
    loss: str = "bce",
    steps: int | tuple[int, int] = STEPS,
    seed: int = SEED,
) -> Surface:
    """The loss surface of the plane `axes` (default: the first of `planes(net)`) through `net`, on a
    steps × steps grid (or steps = (across, up)) whose range holds the path: for a neuron's own
    parameters, the path's extent and at least ±2 around it; for random directions, at least
    [-1, 1] (a step of 1 changes every neuron's weights by their own size)."""
    axes = axes or planes(net)[0]
    if axes not in planes(net):
        raise ValueError(f"no plane {axes!r} for this network: {planes(net)}")
    if axes == RANDOM:
        da, db = random_directions(net, seed)
        origin = net
    else:
        origin, da, db = _neuron_plane(net, axes)
    point = project([net], origin, da, db, axes)[0]
    if axes == RANDOM:
        point = np.zeros(2)
    where = project(list(path), origin, da, db, axes)
    every = np.vstack([where, point[None, :]])
    low, high = every.min(axis=0), every.max(axis=0)
    if axes == RANDOM:
        half = np.maximum(np.maximum(np.abs(low), np.abs(high)) * 1.1, 1.0)
        low, high = -half, half
    else:
        centre, half = (low + high) / 2, np.maximum((high - low) / 2 * 1.15, 2.0)
        low, high = centre - half, centre + half
    na, nb = (steps, steps) if isinstance(steps, int) else steps
    a_axis = nice_axis(float(low[0]), float(high[0]), na)
    b_axis = nice_axis(float(low[1]), float(high[1]), nb)
    grid = losses(origin, da, db, a_axis, b_axis, rows, activation, loss)
    return Surface(
        epoch=epoch,
        axes=tuple(axes),
        a=a_axis,
        b=b_axis,
        loss=grid,
        path=where,
        path_epochs=tuple(path_epochs),
        point=(float(point[0]), float(point[1])),
        point_loss=float(losses(origin, da, db, point[:1], point[1:], rows, activation, loss)[0, 0]),
        seed=seed if axes == RANDOM else None,
        fixed=None if axes == RANDOM else _fixed(net, axes),
    )


def _fixed(net: Net, axes: tuple[str, str]) -> tuple[str, float]:
    name = next(n for n in _INDEX if n not in axes)
    return name, float(_flat(net)[_INDEX[name]])


# --- the path, from a run's history -------------------------------------------------------------------


def path_stride(goal: int, points: int = PATH_POINTS, interval: int = 1) -> int:
    """Epochs between the path's points for a run of `goal` epochs: fixed for the run, so browsing
    reuses the points already brought back. Where the history keeps its checkpoints (`interval`
    epochs apart) not much farther apart than that, as it does for a network large enough to be slow
    to replay, the points fall on checkpoints, which come back without replaying an epoch."""
    stride = max(1, math.ceil(goal / points))
    if interval <= 4 * stride:
        stride = interval * math.ceil(stride / interval)
    return stride


def path_epochs(epoch: int, goal: int, interval: int = 1) -> list[int]:
    """The epochs of the path up to `epoch`: every stride-th from 0, and `epoch` itself."""
    stride = path_stride(max(goal, epoch), interval=interval)
    shown = list(range(0, epoch + 1, stride))
    if shown[-1] != epoch:
        shown.append(epoch)
    return shown


def path_nets(history: History, epochs: Sequence[int], known: dict[int, Net] | None = None) -> list[Net]:
    """The network at each of `epochs` (in increasing order: the history replays forward), from
    `known` where it is there; what is brought back is added to `known`."""
    known = {} if known is None else known
    nets = []
    for e in epochs:
        if e not in known:
            known[e] = Net.of(history.weights_at(e).layers)
        nets.append(known[e])
    return nets
