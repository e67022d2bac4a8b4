"""One epoch's computation, every number of it: what backpropagation does, taken from the engine.

`explain(history, epoch)` brings the run back to the start of `epoch` (the history's replay: its
parameters, optimizer state and step count, `History.state_at`), runs that epoch with the engine's
own kernel (`Kernel.trace`: the epoch's calls with copies taken between them) and its update with
the learning rate the run used (`History.lr_at`). It returns plain floats, no tensors, so a UI can
draw them from a worker's snapshot.

Exact and recomputed. These are the engine's float32 numbers, bit for bit (converted to Python
floats, which hold a float32 exactly): every layer's inputs, z, a, ∂L/∂a and δ = ∂L/∂z for every
row, the loss, ∂L/∂W, ∂L/∂b, the optimizer's buffers before and after, and the updated W and b.
So `weight_grad` equals `History.weights_at(epoch)`'s and `weight_next` equals
`weights_at(epoch + 1)`'s weight exactly. What a learner is shown *between* them is recomputed
here in float64 from those numbers: the terms of each sum (w·a, δ·a), the part of a layer-wide sum
off a path, the activation's slope act′(z), BCE's (p − y)/n, Adam's m̂ and v̂. Those agree with the
engine's results within float32 rounding (about 1e-7 relative), not bit for bit: the engine sums in
float32, in its own order.

`path_steps(explanation, path)` picks one neuron a layer (input → h¹ → h² → … → output) out of a
wide network: that path's numbers, and the layer-wide sums that feed it as one number each.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

from core.config import MOMENTUM, TrainConfig
from core.errors import InputError

SMALL_CONNECTIONS = 16  # networks up to this many weights (2-1, 2-2-1, 2-4-1, 3-4-1) are explained whole

# --- what an epoch is made of -----------------------------------------------------------------


@dataclass(frozen=True)
class Buffers:
    """One optimizer buffer of one layer, shaped as its parameters."""

    weight: list[list[float]]
    bias: list[float]


@dataclass(frozen=True)
class LayerStep:
    """One `nn.Linear` layer's part of the epoch. Per-row values are rows × the layer's neurons."""

    name: str  # the layer's index in the nn.Sequential ("0", "2", ...), as train --weights-at names it
    activation: str  # "sigmoid", "tanh" or "relu"; the output layer's is always "sigmoid"
    weight: list[list[float]]  # W (one row per neuron, one column per input), before the update
    bias: list[float]
    inputs: list[list[float]]  # a of the layer before (the dataset's x for the first layer)
    z: list[list[float]]  # W·a + b
    a: list[list[float]]  # act(z); for the output layer, p
    grad_a: list[list[float]]  # ∂L/∂a; for the output layer ∂L/∂p, the loss's own backward
    delta: list[list[float]]  # δ = ∂L/∂z = ∂L/∂a ⊙ act′(z)
    weight_grad: list[list[float]]  # ∂L/∂W = δᵀ·inputs
    bias_grad: list[float]  # ∂L/∂b = Σ over rows of δ
    weight_next: list[list[float]]  # W after the optimizer's update: the next epoch's W
    bias_next: list[float]
    state: dict[str, Buffers]  # the optimizer's buffers before: {"momentum"} or {"m", "v"} ({} for SGD)
    state_next: dict[str, Buffers]  # and after the update

    @property
    def n_in(self) -> int:
        return len(self.weight[0])

    @property
    def n_out(self) -> int:
        return len(self.weight)


@dataclass(frozen=True)
class Update:
    """The optimizer's rule and its constants for this epoch's update."""

    optimizer: str  # "sgd", "momentum" or "adam"
    lr: float
    step: int  # t: which update this is, from 1 (Adam's bias corrections use it)
    momentum: float = MOMENTUM  # momentum: v ← momentum·v + g (v starts as g at t = 1)
    betas: tuple[float, float] = (0.9, 0.999)  # Adam
    eps: float = 1e-8
    bias_correction1: float = 1.0  # 1 − β₁ᵗ, computed as the kernel computes it
    bias_correction2: float = 1.0  # 1 − β₂ᵗ


@dataclass(frozen=True)
class Explanation:
    """Every number of one epoch: forward, loss, backward and update, layer by layer."""

    config: TrainConfig
    epoch: int
    inputs: list[list[float]]  # each row's x
    targets: list[float]  # each row's y
    loss: float  # the engine's loss for this epoch (BCE or MSE, as config.loss)
    layers: list[LayerStep]
    update: Update

    @property
    def sizes(self) -> tuple[int, ...]:
        return self.config.sizes

    @property
    def predictions(self) -> list[float]:
        """Each row's output p."""
        return [row[0] for row in self.layers[-1].a]

    @property
    def n_rows(self) -> int:
        return len(self.inputs)


def is_small(sizes: tuple[int, ...]) -> bool:
    """Whether every weight of the network is explained (else a path through it is)."""
    return sum(a * b for a, b in itertools.pairwise(sizes)) <= SMALL_CONNECTIONS


# --- computing it -------------------------------------------------------------------------------


def explain(history, epoch: int) -> Explanation:
    """Every number of `epoch` of the run `history` records (see the module's docstring).

    Raises IndexError for an epoch the history does not have. Loads torch; call it off the UI thread.
    """
    import torch

    from core.kernel import Kernel
    from core.optimizer import ADAM_BETAS, ADAM_EPS

    if not 0 <= epoch <= history.last_epoch:
        raise IndexError(f"epoch {epoch} is not in the history (it has epochs 0 to {history.last_epoch})")
    config: TrainConfig = history.config
    lr = history.lr_at(epoch)
    with torch.inference_mode():
        kernel = Kernel(config)
        kernel.load(history.state_at(epoch))
        params, state, steps = kernel.save()
        trace = kernel.trace()
        grads = kernel.grads.tolist()
        kernel.update(lr)
        params_next, state_next = kernel.params.tolist(), kernel.state.tolist()
        params, state = params.tolist(), state.tolist()
        rows = [t.tolist() for t in (*trace.z, *trace.a, *trace.grad_a, *trace.delta)]

    sizes = config.sizes
    n = len(sizes) - 1
    z, a, grad_a, delta = (rows[i * n : (i + 1) * n] for i in range(4))
    names = {"sgd": (), "momentum": ("momentum",), "adam": ("m", "v")}[config.optimizer]
    n_params = len(params)

    def buffers(flat: list[float]) -> dict[str, list[Buffers]]:
        return {
            name: [Buffers(w, b) for w, b in split(flat[i * n_params : (i + 1) * n_params], sizes)]
            for i, name in enumerate(names)
        }

    before, after = buffers(state), buffers(state_next)
    step = steps + 1
    beta1, beta2 = ADAM_BETAS
    update = Update(
        optimizer=config.optimizer,
        lr=lr,
        step=step,
        betas=ADAM_BETAS,
        eps=ADAM_EPS,
        bias_correction1=1 - beta1**step if config.optimizer == "adam" else 1.0,
        bias_correction2=1 - beta2**step if config.optimizer == "adam" else 1.0,
    )
    data = config.data
    layers = []
    for k, ((W, b), (dW, db), (W1, b1)) in enumerate(
        zip(split(params, sizes), split(grads, sizes), split(params_next, sizes))
    ):
        layers.append(
            LayerStep(
                name=str(2 * k),
                activation="sigmoid" if k == n - 1 else config.activation,
                weight=W,
                bias=b,
                inputs=data.X if k == 0 else a[k - 1],
                z=z[k],
                a=a[k],
                grad_a=grad_a[k],
                delta=delta[k],
                weight_grad=dW,
                bias_grad=db,
                weight_next=W1,
                bias_next=b1,
                state={name: before[name][k] for name in names},
                state_next={name: after[name][k] for name in names},
            )
        )
    return Explanation(
        config=config,
        epoch=epoch,
        inputs=data.X,
        targets=[float(t) for _, t in data.rows],
        loss=trace.loss,
        layers=layers,
        update=update,
    )


def split(flat: list[float], sizes: tuple[int, ...]) -> list[tuple[list[list[float]], list[float]]]:
    """A flat parameter-shaped list as (W, b) per layer: every weight matrix first, then every bias
    (the layout of core.network)."""
    out, w_at = [], 0
    b_at = sum(n_in * n_out for n_in, n_out in itertools.pairwise(sizes))
    for n_in, n_out in itertools.pairwise(sizes):
        W = [flat[w_at + j * n_in : w_at + (j + 1) * n_in] for j in range(n_out)]
        out.append((W, flat[b_at : b_at + n_out]))
        w_at += n_in * n_out
        b_at += n_out
    return out


# --- the numbers between the engine's ------------------------------------------------------------


def slope(activation: str, z: float, a: float) -> float:
    """act′(z), from the activation's output as its backward uses it: σ′ = a(1 − a), tanh′ = 1 − a²,
    relu′ = 1 where z > 0 (else 0)."""
    if activation == "sigmoid":
        return a * (1 - a)
    if activation == "tanh":
        return 1 - a * a
    return 1.0 if a > 0 else 0.0


def row_loss(loss: str, p: float, y: float) -> float:
    """One row's share of the loss before the mean: −[y·ln p + (1 − y)·ln(1 − p)] or (p − y)².

    BCE's logarithms are clamped at −100 as torch's binary_cross_entropy clamps them.
    """
    if loss == "mse":
        return (p - y) ** 2

    def ln(v: float) -> float:
        return max(math.log(v), -100.0) if v > 0 else -100.0

    return -(y * ln(p) + (1 - y) * ln(1 - p))


# --- a path through a wide network ---------------------------------------------------------------


@dataclass(frozen=True)
class PathStep:
    """One neuron of a path and the one weight that feeds it from the path's neuron before.

    Per-row lists have a value per row. `term` + `rest` + `bias` is z; `back_term` + `back_rest` is
    ∂L/∂a (None for the output, whose ∂L/∂p comes from the loss). term, rest, back_term, back_rest,
    slope and grad_terms are recomputed in float64; the rest are the engine's numbers.
    """

    layer: int  # index into Explanation.layers
    neuron: int  # this neuron (0-based) in its layer
    source: int  # the path's neuron (0-based) in the layer before (an input for the first layer)
    weight: float  # W[neuron][source]
    bias: float
    term: list[float]  # weight · a_source
    rest: list[float]  # the layer-wide sum's other n_in − 1 terms, added up
    z: list[float]
    a: list[float]
    back_term: list[float] | None  # W'[next][neuron] · δ'_next, from the path's next neuron
    back_rest: list[float] | None  # the other terms of Σ over the next layer of W'·δ'
    grad_a: list[float]
    slope: list[float]  # act′(z)
    delta: list[float]
    grad_terms: list[float]  # δ · a_source, whose sum over rows is weight_grad
    weight_grad: float
    bias_grad: float
    weight_next: float
    bias_next: float
    state: dict[str, tuple[float, float]]  # each optimizer buffer's (weight, bias) entries, before
    state_next: dict[str, tuple[float, float]]


def check_path(sizes: tuple[int, ...], path) -> tuple[int, ...]:
    """A path as 0-based neuron numbers, one per layer from the inputs to the output (which may be
    left out: there is one output neuron).

    Raises InputError("path") saying how many numbers and which ranges.
    """
    given = tuple(path)
    path = (*given, 0) if len(given) == len(sizes) - 1 else given
    if len(path) != len(sizes) or any(
        isinstance(j, bool) or not isinstance(j, int) or not 0 <= j < width for j, width in zip(path, sizes)
    ):
        raise InputError(
            "path",
            value=",".join(str(j + 1) if isinstance(j, int) else str(j) for j in given),
            count=len(sizes) - 1,
            ranges=", ".join(f"1-{width}" for width in sizes[:-1]),
            shape="-".join(map(str, sizes)),
            example=",".join("1" * (len(sizes) - 1)),
        )
    return path


def _fsum(values: list[float]) -> float:
    """The exactly rounded sum; NaN where the terms are infinities of both signs (a blown-up run)."""
    try:
        return math.fsum(values)
    except (ValueError, OverflowError):
        return math.nan


def path_steps(explanation: Explanation, path: tuple[int, ...]) -> list[PathStep]:
    """The path's numbers, one PathStep a layer (pure Python: cheap on a UI thread)."""
    path = check_path(explanation.sizes, path)
    layers = explanation.layers
    steps = []
    for k, layer in enumerate(layers):
        i, j = path[k], path[k + 1]
        w_row = layer.weight[j]
        term = [w_row[i] * x[i] for x in layer.inputs]
        total = [_fsum([w * v for w, v in zip(w_row, x)]) for x in layer.inputs]
        if k + 1 < len(layers):
            after, m = layers[k + 1], path[k + 2]
            back_term = [after.weight[m][j] * d[m] for d in after.delta]
            back_total = [_fsum([after.weight[r][j] * d[r] for r in range(after.n_out)]) for d in after.delta]
            back_rest = [t - bt for t, bt in zip(back_total, back_term)]
        else:
            back_term = back_rest = None
        steps.append(
            PathStep(
                layer=k,
                neuron=j,
                source=i,
                weight=w_row[i],
                bias=layer.bias[j],
                term=term,
                rest=[t - tt for t, tt in zip(total, term)],
                z=[row[j] for row in layer.z],
                a=[row[j] for row in layer.a],
                back_term=back_term,
                back_rest=back_rest,
                grad_a=[row[j] for row in layer.grad_a],
                slope=[slope(layer.activation, zr[j], ar[j]) for zr, ar in zip(layer.z, layer.a)],
                delta=[row[j] for row in layer.delta],
                grad_terms=[d[j] * x[i] for d, x in zip(layer.delta, layer.inputs)],
                weight_grad=layer.weight_grad[j][i],
                bias_grad=layer.bias_grad[j],
                weight_next=layer.weight_next[j][i],
                bias_next=layer.bias_next[j],
                state={name: (buf.weight[j][i], buf.bias[j]) for name, buf in layer.state.items()},
                state_next={name: (buf.weight[j][i], buf.bias[j]) for name, buf in layer.state_next.items()},
            )
        )
    return steps
