"""One training epoch written out by hand: forward, loss, backward and the optimizer's update.

It does what the notebook's loop does with autograd and `torch.optim`, calling the same ATen
kernels autograd calls (addmm, sigmoid_backward, binary_cross_entropy_backward, ...), so its
numbers are the notebook's bit for bit. What it saves is the overhead around them: every buffer
is allocated once, every view and transpose is made once, and the whole epoch is a fixed plan of
calls with no autograd graph. `tests/unit/test_kernel.py` checks it against autograd and torch.optim.

Call it inside `torch.inference_mode()`: that skips autograd's bookkeeping on every operation.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import partial
from itertools import accumulate, pairwise

import torch

from core.config import TrainConfig
from core.network import build_model, init_parameters, linear_layers, parameter_count
from core.optimizer import Optimizer, Saved

_aten = torch.ops.aten
_ACTIVATION = {"sigmoid": torch.sigmoid_, "tanh": torch.tanh_, "relu": torch.relu_}
# Each activation's backward, from the gradient and the activation's *output* (what autograd saves),
# writing into `grad_input`. `._op` is the C++ callable behind an OpOverload: one Python frame less.
_ACTIVATION_BACKWARD = {
    "sigmoid": _aten.sigmoid_backward.grad_input._op,
    "tanh": _aten.tanh_backward.grad_input._op,
    "relu": lambda grad, out, grad_input, _op=_aten.threshold_backward.grad_input._op: _op(
        grad, out, 0, grad_input=grad_input
    ),
}
_MEAN = 1  # ATen's reduction code for "mean"


def _loss_functions(loss: str):
    """(loss(p, y) -> 0-d tensor, loss_backward(one, p, y) -> dloss/dp), as autograd calls them."""
    if loss == "bce":
        return (
            partial(torch._C._nn.binary_cross_entropy, weight=None, reduction=_MEAN),
            partial(_aten.binary_cross_entropy_backward.default._op, weight=None, reduction=_MEAN),
        )
    return (
        partial(torch._C._nn.mse_loss, reduction=_MEAN),
        partial(_aten.mse_loss_backward.default._op, reduction=_MEAN),
    )


@dataclass(frozen=True)
class Trace:
    """Every number of one epoch's forward and backward pass, per layer (rows × neurons tensors)."""

    loss: float
    z: list[torch.Tensor]  # W·a + b, before the activation
    a: list[torch.Tensor]  # the activation of z (the last layer's: the output p)
    grad_a: list[torch.Tensor]  # ∂L/∂a (the last layer's: ∂L/∂p, from the loss's backward)
    delta: list[torch.Tensor]  # ∂L/∂z = ∂L/∂a ⊙ act′(z), as the activation's backward computes it


class Kernel:
    """The parameters, gradients and optimizer state of one network, and the epoch that changes them.

    `params`, `grads` and `state` are flat float32 tensors (layout: see `core.network`); `steps`
    counts the updates made. `model` is the `nn.Sequential` whose weights are views of `params`.
    """

    MEASURE = "loss"  # what forward_backward's first number is (History.measure)

    def __init__(self, config: TrainConfig):
        self.config = config
        n_params = parameter_count(config.sizes)
        self.params = torch.zeros(n_params)
        self.grads = torch.zeros(n_params)
        self.optimizer = Optimizer(config.optimizer, self.params, self.grads)
        self.state = self.optimizer.state
        self.model = build_model(config.sizes, config.activation, self.params)
        init_parameters(self.model, config.seed)
        self._plan()

    def _plan(self) -> None:
        """Allocate every buffer and make every view once, and lay out the epoch as a list of calls."""
        data, sizes = self.config.data, self.config.sizes
        n_rows = len(data.rows)
        linears = linear_layers(self.model)
        n_weights = sum(linear.weight.numel() for linear in linears)
        # Each row's output, then the sum of all gradients: one tolist() an epoch reads both.
        self._record = torch.empty(n_rows + 1)
        self._p = p = self._record[:n_rows].view(n_rows, 1)
        self._y = torch.tensor(data.y)
        acts = [torch.tensor(data.X)] + [torch.empty(n_rows, n) for n in sizes[1:-1]] + [p]
        self._acts = acts  # kept for trace(); training reads them only through the plan
        # Every layer's gradient with respect to its pre-activation, side by side in one matrix:
        # its column sums are all the bias gradients, which lie side by side in `grads` too.
        columns = list(accumulate(sizes[1:], initial=0))
        pre_grads = torch.empty(n_rows, columns[-1])
        deltas = [pre_grads[:, a:b] for a, b in pairwise(columns)]
        self._deltas = deltas
        weight_offsets = list(accumulate((linear.weight.numel() for linear in linears), initial=0))
        self._layers = [  # (W, b, dW, db) views, for reading the weights out
            (
                linear.weight.detach(),
                linear.bias.detach(),
                self.grads[weight_offsets[i] : weight_offsets[i + 1]].view(linear.weight.shape),
                self.grads[n_weights + columns[i] : n_weights + columns[i + 1]],
            )
            for i, linear in enumerate(linears)
        ]

        activation = _ACTIVATION[self.config.activation]
        activation_backward = _ACTIVATION_BACKWARD[self.config.activation]
        last = len(linears) - 1
        self._forward = []
        for i, (W, b, _, _) in enumerate(self._layers):
            self._forward.append(partial(torch.addmm, b, acts[i], W.t(), out=acts[i + 1]))
            self._forward.append(partial(torch.sigmoid_ if i == last else activation, acts[i + 1]))
        self._loss, loss_backward = _loss_functions(self.config.loss)
        self._output_backward = (
            partial(loss_backward, torch.ones(()), p, self._y),
            partial(_aten.sigmoid_backward.grad_input._op, output=p, grad_input=deltas[last]),
        )
        self._backward = []
        self._upstreams: list[torch.Tensor | None] = [None] * len(linears)  # ∂L/∂a of each hidden layer
        for i in range(last, -1, -1):
            W, _, dW, _ = self._layers[i]
            self._backward.append(partial(torch.mm, deltas[i].t(), acts[i], out=dW))
            if i:
                upstream = self._upstreams[i - 1] = torch.empty(n_rows, W.shape[1])
                self._backward.append(partial(torch.mm, deltas[i], W, out=upstream))
                self._backward.append(partial(activation_backward, upstream, acts[i], grad_input=deltas[i - 1]))
        self._backward.append(partial(torch.sum, pre_grads, 0, out=self.grads[n_weights:]))
        self._backward.append(partial(torch.sum, self.grads, 0, keepdim=True, out=self._record[n_rows:]))

    # --- one epoch -------------------------------------------------------------------------------

    def forward_backward(self, lr: float | None = None) -> tuple[float, list[float], float]:
        """Forward pass, loss and gradients (into `grads`) at the current parameters. `lr` is not
        used (a gradient does not depend on it); the perceptron rule's kernel needs it for its pass.

        Returns the loss, each row's output probability, and the sum of all gradients (not
        finite if any gradient is not), as Python floats.
        """
        for op in self._forward:
            op()
        try:
            loss = self._loss(self._p, self._y)
        except RuntimeError:  # binary_cross_entropy rejects outputs outside [0, 1]: only NaN gets there
            self.grads.fill_(math.nan)
            return math.nan, self._p.view(-1).tolist(), math.nan
        grad_p, to_pre_activation = self._output_backward
        to_pre_activation(grad_p())
        for op in self._backward:
            op()
        *predictions, grad_sum = self._record.tolist()
        return loss.item(), predictions, grad_sum

    def trace(self) -> Trace:
        """forward_backward(), keeping a copy of every number in between, for explaining the epoch.

        The same calls on the same buffers in the same order, with copies taken between them (z is
        copied before the activation overwrites it in place), so every value is the epoch's own,
        bit for bit, and `grads` ends as forward_backward() leaves it. Not for training: the copies
        cost more than the epoch.
        """
        zs = []
        for k, op in enumerate(self._forward):
            op()
            if k % 2 == 0:  # addmm just wrote z into the layer's activation buffer
                zs.append(self._acts[k // 2 + 1].clone())
        try:
            loss = self._loss(self._p, self._y).item()
        except RuntimeError:  # as in forward_backward(): only NaN outputs get here
            loss = math.nan
        grad_p_of, to_pre_activation = self._output_backward
        if math.isnan(loss):
            grad_p = torch.full_like(self._p, math.nan)
            self.grads.fill_(math.nan)
            for buffer in (*self._deltas, *(u for u in self._upstreams if u is not None)):
                buffer.fill_(math.nan)
        else:
            grad_p = grad_p_of()
            to_pre_activation(grad_p)
            for op in self._backward:
                op()
        grad_a = [u.clone() for u in self._upstreams[:-1]] + [grad_p.clone()]
        return Trace(
            loss=loss,
            z=zs,
            a=[a.clone() for a in self._acts[1:]],
            grad_a=grad_a,
            delta=[d.clone() for d in self._deltas],
        )

    def update(self, lr: float) -> None:
        """Apply the optimizer's update with learning rate `lr`, using the gradients in `grads`."""
        self.optimizer.update(lr)

    @property
    def steps(self) -> int:
        """The number of updates made."""
        return self.optimizer.steps

    # --- saving and restoring --------------------------------------------------------------------

    def save(self) -> Saved:
        """A copy of everything that decides the next epochs: parameters, optimizer state, step count."""
        return self.optimizer.save()

    def load(self, saved: Saved) -> None:
        """Put back what `save()` returned."""
        self.optimizer.load(saved)

    def all_finite(self) -> bool:
        return bool(torch.isfinite(self.grads).all()) and bool(torch.isfinite(self.params).all())

    def largest_gradient(self) -> float:
        return self.grads.abs().max().item()

    def layer_tensors(self):
        """(weight, bias, weight gradient, bias gradient) of each layer, as views (copy before keeping)."""
        return self._layers
