"""Many networks of one shape trained side by side: core/kernel.py's epoch, batched over seeds.

`BatchKernel` holds N networks of one configuration (one per seed) and runs the single kernel's
epoch for all of them at once, so that each network gets the numbers `Kernel` gives it, bit for
bit, under the reproducible numerics (MKL_CBWR=COMPATIBLE, ATEN_CPU_CAPABILITY=default):

- Every network's matrices have the shapes and strides the single kernel's have, with a batch
  dimension in front: weights (out, in) and activations (rows, width) contiguous, and each
  layer's pre-activation gradient a column slice of one (rows, Σ widths) matrix, whose column
  sums are all the bias gradients at once, summed in the order the single kernel sums them.
- Hidden layers are batched matrix multiplies (`baddbmm`, `bmm`). MKL's batched routine computes
  each matrix as its `sgemm` does for one, but ATen sends tiny ones (fewer than 400
  multiply-adds) to a plain loop that sums in another order. So each product is tried once, at
  construction, on the real buffers against the single kernel's call made network by network,
  and kept batched only if every bit agrees; otherwise it runs network by network (still exact).
  `routes` says which way each product went.
- The inputs are bits, so the first layer's x·W + b is, per row, the sum of the weights of the
  inputs that are 1, then the bias: a few additions for all networks instead of a tiny product
  each (and likewise its weight gradient). Checked the same way.
- The width-1 output layer is a matrix-vector product, which MKL sums in its own order: the
  first product, then four lanes, the lanes folded as (0+2)+(1+3), then the rest one by one,
  then the bias. `core.sweep.batch_routes.sgemv_order_output` writes that order out with products and
  sums in order (checked the same way).
- Losses, their gradients and activations are elementwise, the same kernels as the single one.
- SGD's step p - lr·g runs as MKL's matrix-vector product (g as one column, times [1]): the same
  bits as ATen's add, ~4x faster under ATEN_CPU_CAPABILITY=default (checked at start too).

`matches_single_kernel()` checks whole epochs against `core.kernel.Kernel` for three networks.

Layout: one flat float32 buffer holds every network's parameters: layer by layer the weights of
all networks (N, out, in), then all biases (N, Σ widths), so an optimizer step is one operation;
`grads` and the optimizer `state` have the same layout. `seed_state(i)` translates one network
back to the single kernel's layout, for `Kernel.load`.
"""

from __future__ import annotations

import math
from functools import partial
from itertools import accumulate, pairwise

import torch
from torch import nn

from core.config import TrainConfig
from core.kernel import _ACTIVATION, _ACTIVATION_BACKWARD, Kernel
from core.network import parameter_count
from core.optimizer import Optimizer, Saved
from core.sweep.batch_routes import (
    Chooser,
    bias_gradient_sums,
    first_layer_bit_sums,
    first_weight_gradient_bit_sums,
    sgemv_order_output,
)

_aten = torch.ops.aten
_NONE = 0  # ATen's reduction code for "none"
_sigmoid_backward = _aten.sigmoid_backward.grad_input._op
_bce = torch._C._nn.binary_cross_entropy
_bce_backward = _aten.binary_cross_entropy_backward.default._op
_mse = torch._C._nn.mse_loss
_mse_backward = _aten.mse_loss_backward.default._op


class BatchKernel:
    """Parameters, gradients and optimizer state of N networks of one configuration, and their epoch.

    Network i starts from the weights `core.network.init_parameters` draws for `seeds[i]`: the
    weights `Kernel(config.with_(seed=seeds[i]))` starts from.
    """

    def __init__(self, config: TrainConfig, seeds: list[int] | range):
        self.config = config
        self.seeds = list(seeds)
        if not self.seeds:
            raise ValueError("a batch needs at least one seed")
        self.n = n = len(self.seeds)
        self.sizes = sizes = config.sizes
        self.n_rows = len(config.data.rows)
        self.n_params = parameter_count(sizes)
        self.params = torch.zeros(n * self.n_params)
        self.grads = torch.zeros(n * self.n_params)
        self._one = torch.ones(1)
        axpy = self._mkl_axpy if _mkl_axpy_is_exact() else None  # None: params.add_
        self.optimizer = Optimizer(config.optimizer, self.params, self.grads, axpy)
        self.state = self.optimizer.state
        self._layout()
        self._init_weights()
        self._buffers()
        initial = self.params.clone()
        self.routes = self._plan()  # how each product is computed: a batched route, or "per network"
        self.params.copy_(initial)  # the plan's trials left random numbers behind

    # --- layout ----------------------------------------------------------------------------------

    def _layout(self) -> None:
        """Views of each layer's weights and biases, and of their gradients, in the flat buffers."""
        n, sizes = self.n, self.sizes
        self.W, self.dW = [], []
        offset = 0
        starts = []
        for n_in, n_out in pairwise(sizes):
            size = n_in * n_out
            self.W.append(self.params[offset : offset + n * size].view(n, n_out, n_in))
            self.dW.append(self.grads[offset : offset + n * size].view(n, n_out, n_in))
            starts.append((offset, size))
            offset += n * size
        self.n_biases = n_biases = sum(sizes[1:])
        self.B = self.params[offset:].view(n, n_biases)
        self.dB = self.grads[offset:].view(n, n_biases)
        self.columns = columns = list(accumulate(sizes[1:], initial=0))
        self.b = [self.B[:, a:b] for a, b in pairwise(columns)]
        starts.append((offset, n_biases))
        # Each block's (start in the batch, size per network, start in the single kernel's layout,
        # which has all weights, then all biases, in the blocks' order).
        self._blocks = [
            (start, size, single)
            for (start, size), single in zip(starts, accumulate((size for _, size in starts), initial=0))
        ]
        # Where network 0's parameters lie, in the single kernel's order; network i's lie
        # `i * size` further on in each block.
        self._index_base = torch.cat([torch.arange(start, start + size) for start, size in starts])
        self._index_step = torch.cat([torch.full((size,), size) for _, size in starts])

    def seed_index(self, i: int) -> torch.Tensor:
        """Where network `i`'s parameters (and gradients) lie in `params` (and `grads`)."""
        return self._index_base + i * self._index_step

    def _init_weights(self) -> None:
        """Each network's starting weights, drawn as `init_parameters` draws them for its seed
        (the same generator calls on the same shapes, without building a model for each)."""
        draws = _initial_draws(self.sizes)
        staging = torch.empty(self.n, self.n_params)  # the single kernel's layout, one row a network
        for i, seed in enumerate(self.seeds):
            generator = torch.Generator().manual_seed(seed)
            row = staging[i]
            for start, shape, bound in draws:
                row[start : start + math.prod(shape)].view(shape).uniform_(-bound, bound, generator=generator)
        for start, size, single in self._blocks:
            self.params[start : start + self.n * size].view(self.n, size).copy_(staging[:, single : single + size])

    def _buffers(self) -> None:
        n, rows, sizes = self.n, self.n_rows, self.sizes
        data = self.config.data
        self.X = torch.tensor(data.X).expand(n, rows, sizes[0])  # one copy, shared by every network
        self.y = torch.tensor(data.y).view(1, rows).expand(n, rows).contiguous()
        # acts[l]: layer l's output (acts[0] is X); the last layer's output is the caller's buffer.
        self.acts = [self.X] + [torch.empty(n, rows, w) for w in sizes[1:-1]]
        # Each layer's gradient with respect to its pre-activation, side by side as in the single kernel.
        self.pre_grads = torch.empty(n, rows, self.n_biases)
        self.deltas = [self.pre_grads[:, :, a:b] for a, b in zip(self.columns, self.columns[1:])]
        self.ups = [None] + [torch.empty(n, rows, w) for w in sizes[1:-1]]  # gradient w.r.t. acts[l]
        self.pre_output = torch.empty(n, rows)
        self.loss_elements = torch.empty(n, rows)
        self._ones = torch.ones(())

    # --- the plan --------------------------------------------------------------------------------

    def _plan(self) -> dict[str, str]:
        """Lay out the epoch as lists of calls, each product batched where that is exact."""
        config, n = self.config, self.n
        activation = _ACTIVATION[config.activation]
        activation_backward = _ACTIVATION_BACKWARD[config.activation]
        last = len(self.sizes) - 2  # index of the output layer
        bits = [inputs for inputs, _ in config.data.rows]
        chooser = Chooser(n)
        choose = chooser.choose

        self._forward = []
        for layer in range(last):
            W, b, a, out = self.W[layer], self.b[layer], self.acts[layer], self.acts[layer + 1]
            candidates = [("baddbmm", partial(torch.baddbmm, b.unsqueeze(1), a, W.transpose(1, 2), out=out))]
            if layer == 0:
                candidates.insert(0, ("bit sums", first_layer_bit_sums(W, b, out, bits)))
            self._forward += choose(
                f"forward {layer}",
                [W, b] + ([a] if layer else []),
                out,
                candidates,
                lambda i, W=W, b=b, a=a, out=out: partial(torch.addmm, b[i], a[i], W[i].t(), out=out[i]),
            )
            self._forward.append(partial(activation, out))
        h, w, b = self.acts[last], self.W[last], self.b[last]
        if last:
            candidates = [("sgemv order", sgemv_order_output(h, w, b, self.pre_output))]
        else:  # no hidden layer: sums over the 2 or 3 inputs, too short for the order to vary
            candidates = [
                (
                    "baddbmm",
                    partial(torch.baddbmm, b.unsqueeze(1), h, w.transpose(1, 2), out=self.pre_output.unsqueeze(2)),
                )
            ]
        self._output = choose(
            "output",
            [w, b] + ([h] if last else []),
            self.pre_output,
            candidates,
            lambda i: partial(torch.addmm, b[i], h[i], w[i].t(), out=self.pre_output[i].unsqueeze(1)),
        )

        self._backward = []
        for layer in range(last, -1, -1):
            delta, a, dW = self.deltas[layer], self.acts[layer], self.dW[layer]
            if layer < last:
                self._backward.append(
                    partial(activation_backward, self.ups[layer + 1], self.acts[layer + 1], grad_input=delta)
                )
            candidates = [("bmm", partial(torch.bmm, delta.transpose(1, 2), a, out=dW))]
            if layer == 0 and last > 0:
                candidates.insert(0, ("bit sums", first_weight_gradient_bit_sums(delta, dW, bits)))
            self._backward += choose(
                f"weight gradient {layer}",
                [delta] + ([a] if layer else []),
                dW,
                candidates,
                lambda i, delta=delta, a=a, dW=dW: partial(torch.mm, delta[i].t(), a[i], out=dW[i]),
            )
            if layer == last and last > 0:
                # One product per element (the inner dimension is 1): exact however it is computed.
                self._backward.append(partial(torch.mul, delta, self.W[layer], out=self.ups[layer]))
            elif layer:
                W, up = self.W[layer], self.ups[layer]
                self._backward += choose(
                    f"backward {layer}",
                    [delta, W],
                    up,
                    [("bmm", partial(torch.bmm, delta, W, out=up))],
                    lambda i, delta=delta, W=W, up=up: partial(torch.mm, delta[i], W[i], out=up[i]),
                )
        self._backward += choose(
            "bias gradients",
            [self.pre_grads],
            self.dB,
            bias_gradient_sums(self.pre_grads, self.dB),
            lambda i: partial(torch.sum, self.pre_grads[i], 0, out=self.dB[i]),
        )
        return chooser.routes

    # --- one epoch -------------------------------------------------------------------------------

    def forward_backward(self, loss_out: torch.Tensor, predictions_out: torch.Tensor) -> None:
        """Forward pass, loss and gradients (into `grads`) of every network at its current parameters.

        Writes each network's loss into `loss_out` (n,) and each row's output probability into
        `predictions_out` (n, rows). A network whose outputs are NaN gets loss NaN (and
        meaningless gradients); the other networks' numbers do not depend on it.
        """
        for op in self._forward:
            op()
        for op in self._output:
            op()
        p = torch.sigmoid(self.pre_output, out=predictions_out)
        grad_p = self._loss_and_gradient(p, loss_out)
        _sigmoid_backward(grad_p, p, grad_input=self.deltas[-1].squeeze(2))
        for op in self._backward:
            op()

    def _loss_and_gradient(self, p: torch.Tensor, loss_out: torch.Tensor) -> torch.Tensor:
        """Each network's loss (mean over rows) into loss_out, and d loss / d p, as the single
        kernel's mean reduction computes them: elementwise, then divided by the number of rows."""
        y = self.y
        if self.config.loss == "bce":
            try:
                _bce(p, y, None, _NONE, out=self.loss_elements)
                grad = _bce_backward(self._ones, p, y, weight=None, reduction=_NONE)
            except RuntimeError:  # BCE rejects NaN outputs: compute the others, then mark those
                bad = p.isnan()
                safe = p.masked_fill(bad, 0.5)
                _bce(safe, y, None, _NONE, out=self.loss_elements)
                grad = _bce_backward(self._ones, safe, y, weight=None, reduction=_NONE)
                self.loss_elements.masked_fill_(bad, math.nan)
        else:
            _mse(p, y, _NONE, out=self.loss_elements)
            grad = _mse_backward(self._ones, p, y, _NONE)
        torch.mean(self.loss_elements, 1, out=loss_out)
        return grad.div_(self.n_rows)

    # --- the update ------------------------------------------------------------------------------

    def update(self, lr: float) -> None:
        """Every network's optimizer step with learning rate `lr`, as Kernel.update does it."""
        self.optimizer.update(lr)

    @property
    def steps(self) -> int:
        """The number of updates made (the same for every network)."""
        return self.optimizer.steps

    def _mkl_axpy(self, x: torch.Tensor, alpha: float) -> None:
        # params + alpha * x as a matrix-vector product (x as one column, times [1]): MKL's loop
        # runs ~4x faster than ATen's add under ATEN_CPU_CAPABILITY=default, with the same bits.
        torch.addmv(self.params, x.view(-1, 1), self._one, alpha=alpha, out=self.params)

    # --- saving, and one network at a time ------------------------------------------------------

    def save(self) -> Saved:
        """A copy of everything the next epochs depend on: parameters, optimizer state, step count."""
        return self.optimizer.save()

    def load(self, saved: Saved) -> None:
        """Put back what `save()` returned."""
        self.optimizer.load(saved)

    def seed_state(self, i: int, saved: Saved | None = None) -> Saved:
        """Network i's parameters, optimizer state and step count in the single kernel's layout
        (what `Kernel.save()` returns), now or in `saved` (from `save()`), for `Kernel.load`."""
        params, state, steps = saved if saved is not None else (self.params, self.state, self.steps)
        index = self.seed_index(i)
        return params[index].clone(), state.view(-1, params.numel())[:, index].reshape(-1), steps

    def seed_gradients(self, i: int) -> torch.Tensor:
        """Network i's gradients, in the single kernel's layout."""
        return self.grads[self.seed_index(i)]

    def zero_network(self, i: int) -> None:
        """Set network i's parameters and optimizer state to 0: a network that has blown up stops
        carrying NaNs and huge numbers along (the others never see them either way)."""
        index = self.seed_index(i)
        self.params[index] = 0.0
        self.state.view(-1, self.params.numel())[:, index] = 0.0

    def matches_single_kernel(self, epochs: int = 3) -> bool:
        """Whether the first, middle and last networks' losses, outputs and gradients equal
        `Kernel`'s bit for bit over the next epochs. Runs them, then puts everything back."""
        saved = self.save()
        watched = sorted({0, self.n // 2, self.n - 1})
        kernels = []
        for i in watched:
            kernel = Kernel(self.config.with_(seed=self.seeds[i]))
            kernel.load(self.seed_state(i))
            kernels.append(kernel)
        loss, predictions = torch.empty(self.n), torch.empty(self.n, self.n_rows)
        try:
            with torch.inference_mode():
                for _ in range(epochs):
                    self.forward_backward(loss, predictions)
                    for i, kernel in zip(watched, kernels):
                        single_loss, single_predictions, _ = kernel.forward_backward()
                        if not (
                            _same_float(single_loss, loss[i].item())
                            and single_predictions == predictions[i].tolist()
                            and torch.equal(kernel.grads, self.seed_gradients(i))
                        ):
                            return False
                        kernel.update(self.config.lr)
                    self.update(self.config.lr)
            return True
        finally:
            self.load(saved)


def _initial_draws(sizes: tuple[int, ...]) -> list[tuple[int, tuple[int, ...], float]]:
    """(offset in the single kernel's layout, shape, bound) of each uniform draw `init_parameters`
    makes, in its order: layer by layer, the weight (kaiming_uniform_ with a = √5), then the bias."""
    n_weights = sum(n_in * n_out for n_in, n_out in pairwise(sizes))
    draws, w_offset, b_offset = [], 0, n_weights
    gain = nn.init.calculate_gain("leaky_relu", math.sqrt(5))
    for n_in, n_out in pairwise(sizes):
        # kaiming_uniform_'s own arithmetic: bound = √3 · gain / √fan_in
        draws.append((w_offset, (n_out, n_in), math.sqrt(3.0) * (gain / math.sqrt(n_in))))
        draws.append((b_offset, (n_out,), 1 / math.sqrt(n_in)))
        w_offset += n_in * n_out
        b_offset += n_out
    return draws


def _mkl_axpy_is_exact() -> bool:
    """Whether addmv(p, g as a column, [1], alpha) gives add_'s p + alpha * g, bit for bit."""
    generator = torch.Generator().manual_seed(1)
    p, g = torch.randn(1000, generator=generator), torch.randn(1000, generator=generator)
    expected = p.clone().add_(g, alpha=-0.37)
    return torch.equal(torch.addmv(p, g.view(-1, 1), torch.ones(1), alpha=-0.37), expected)


def _same_float(a: float, b: float) -> bool:
    return a == b or (math.isnan(a) and math.isnan(b))
