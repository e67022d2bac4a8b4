"""One training epoch written out by hand: forward, loss, backward and the optimizer's update.

It does what the notebook's loop does with autograd and `torch.optim`, calling the same ATen
kernels autograd calls (addmm, sigmoid_backward, binary_cross_entropy_backward, ...), but on
preallocated buffers and a flat parameter vector, so an epoch of the 2-64-32-16-1 MLP costs a
few dozen small tensor operations and no graph. `tests/test_kernel.py` checks its gradients
against autograd's and its updates against `torch.optim`.
"""

from __future__ import annotations

import math

import torch

from core.config import MOMENTUM, TrainConfig
from core.network import build_model, init_parameters, linear_layers, parameter_count

_aten = torch.ops.aten
_ACTIVATION = {"sigmoid": torch.sigmoid_, "tanh": torch.tanh_, "relu": torch.relu_}
# Backward of each activation, given the gradient and the activation's *output* (as autograd saves it).
_ACTIVATION_BACKWARD = {
    "sigmoid": _aten.sigmoid_backward.default,
    "tanh": _aten.tanh_backward.default,
    "relu": lambda grad, out: _aten.threshold_backward.default(grad, out, 0),
}
_MEAN = 1  # ATen's reduction code for "mean"
_ADAM_BETAS = (0.9, 0.999)
_ADAM_EPS = 1e-8


def _loss_functions(loss: str):
    if loss == "bce":
        return (
            lambda p, y: torch._C._nn.binary_cross_entropy(p, y, None, _MEAN),
            lambda one, p, y: _aten.binary_cross_entropy_backward.default(one, p, y, None, _MEAN),
        )
    return (
        lambda p, y: torch._C._nn.mse_loss(p, y, _MEAN),
        lambda one, p, y: _aten.mse_loss_backward.default(one, p, y, _MEAN),
    )


class Kernel:
    """The parameters, gradients and optimizer state of one network, and the epoch that changes them.

    `params`, `grads` and `state` are flat float32 tensors; `steps` counts the updates made.
    `model` is the `nn.Sequential` whose weights are views of `params`.
    """

    def __init__(self, config: TrainConfig):
        self.config = config
        data = config.data
        sizes = config.sizes
        n_params = parameter_count(sizes)
        self.params = torch.zeros(n_params)
        self.grads = torch.zeros(n_params)
        n_state = {"sgd": 0, "momentum": 1, "adam": 3}[config.optimizer]
        self.state = torch.zeros(n_state * n_params)
        self.steps = 0
        self.model = build_model(sizes, config.activation, self.params)
        init_parameters(self.model, config.seed)

        self._X = torch.tensor(data.X)
        self._y = torch.tensor(data.y)
        self._one = torch.ones(())
        self._layers = []  # (W, b, dW, db) views into params and grads
        offset = 0
        for linear in linear_layers(self.model):
            n_out, n_in = linear.weight.shape
            dW = self.grads[offset : offset + n_in * n_out].view(n_out, n_in)
            offset += n_in * n_out
            db = self.grads[offset : offset + n_out]
            offset += n_out
            self._layers.append((linear.weight.detach(), linear.bias.detach(), dW, db))
        self._acts = [self._X] + [torch.empty(len(data.rows), n_out) for n_out in sizes[1:]]
        self._activation = _ACTIVATION[config.activation]
        self._activation_backward = _ACTIVATION_BACKWARD[config.activation]
        self._loss, self._loss_backward = _loss_functions(config.loss)
        self._update = {"sgd": self._sgd, "momentum": self._momentum, "adam": self._adam}[config.optimizer]
        if config.optimizer == "adam":
            self._exp_avg, self._exp_avg_sq, self._denom = self.state.view(3, n_params)

    # --- one epoch -------------------------------------------------------------------------------

    def forward_backward(self) -> tuple[float, list[float]]:
        """Forward pass, loss and gradients (into `grads`) at the current parameters.

        Returns the loss and each row's output probability, as Python floats.
        """
        acts, layers = self._acts, self._layers
        last = len(layers) - 1
        for i, (W, b, _, _) in enumerate(layers):
            out = torch.addmm(b, acts[i], W.t(), out=acts[i + 1])
            (torch.sigmoid_ if i == last else self._activation)(out)
        p = acts[-1]
        try:
            loss = self._loss(p, self._y)
        except RuntimeError:  # binary_cross_entropy rejects outputs outside [0, 1]: only NaN gets there
            self.grads.fill_(math.nan)
            return math.nan, p.view(-1).tolist()
        grad = _aten.sigmoid_backward.default(self._loss_backward(self._one, p, self._y), p)
        for i in range(last, -1, -1):
            W, _, dW, db = layers[i]
            torch.mm(grad.t(), acts[i], out=dW)
            torch.sum(grad, 0, out=db)
            if i:
                grad = self._activation_backward(torch.mm(grad, W), acts[i])
        return loss.item(), p.view(-1).tolist()

    def update(self, lr: float) -> None:
        """Apply the optimizer's update with learning rate `lr`, using the gradients in `grads`."""
        self._update(lr)
        self.steps += 1

    def _sgd(self, lr: float) -> None:
        self.params.add_(self.grads, alpha=-lr)

    def _momentum(self, lr: float) -> None:
        # torch.optim.SGD(momentum=0.9, dampening=0): the buffer starts as the first gradient.
        if self.steps == 0:
            self.state.copy_(self.grads)
        else:
            self.state.mul_(MOMENTUM).add_(self.grads)
        self.params.add_(self.state, alpha=-lr)

    def _adam(self, lr: float) -> None:
        # torch.optim.Adam's single-tensor update, written the same way so the numbers agree.
        beta1, beta2 = _ADAM_BETAS
        step = self.steps + 1
        self._exp_avg.lerp_(self.grads, 1 - beta1)
        self._exp_avg_sq.mul_(beta2).addcmul_(self.grads, self.grads, value=1 - beta2)
        bias_correction1 = 1 - beta1**step
        bias_correction2_sqrt = (1 - beta2**step) ** 0.5
        torch.sqrt(self._exp_avg_sq, out=self._denom)
        self._denom.div_(bias_correction2_sqrt).add_(_ADAM_EPS)
        self.params.addcdiv_(self._exp_avg, self._denom, value=-(lr / bias_correction1))

    # --- saving and restoring --------------------------------------------------------------------

    def save(self) -> tuple[torch.Tensor, torch.Tensor, int]:
        """A copy of everything that decides the next epochs: parameters, optimizer state, step count."""
        return self.params.clone(), self.state.clone(), self.steps

    def load(self, saved: tuple[torch.Tensor, torch.Tensor, int]) -> None:
        params, state, steps = saved
        self.params.copy_(params)
        self.state.copy_(state)
        self.steps = steps

    def all_finite(self) -> bool:
        return bool(torch.isfinite(self.grads).all()) and bool(torch.isfinite(self.params).all())

    def largest_gradient(self) -> float:
        return self.grads.abs().max().item()

    def gradient_sum(self) -> float:
        """Sum of all gradients: not finite if any gradient is not (or if the sum overflows)."""
        return self.grads.sum().item()

    def layer_tensors(self):
        """(weight, bias, weight gradient, bias gradient) of each layer, as views (copy before keeping)."""
        return self._layers
