"""The optimizer's update over one flat parameter tensor: torch.optim's SGD, SGD with momentum, and Adam.

Written out with the same calls torch.optim makes (its single-tensor updates), so the numbers agree
bit for bit. `Kernel` (one network) and `BatchKernel` (many networks side by side) both keep their
parameters, gradients and optimizer state as flat tensors, so one `Optimizer` serves both: an
update, a save and a load are the same operations whatever the tensors hold.
"""

from __future__ import annotations

from collections.abc import Callable

import torch

from core.config import MOMENTUM

ADAM_BETAS = (0.9, 0.999)  # torch.optim.Adam's defaults
ADAM_EPS = 1e-8
STATE_BUFFERS = {"sgd": 0, "momentum": 1, "adam": 2}  # flat state buffers per parameter

Saved = tuple[torch.Tensor, torch.Tensor, int]


class Optimizer:
    """The update of `params` from `grads`, and the state it carries from step to step.

    `state` is a flat float32 tensor (nothing for SGD; the momentum buffer; Adam's first then
    second moments), `steps` counts the updates made. `axpy(x, alpha)` adds alpha·x to `params`
    in place: `params.add_` unless the caller has a faster call with the same bits.
    """

    def __init__(
        self,
        kind: str,
        params: torch.Tensor,
        grads: torch.Tensor,
        axpy: Callable[[torch.Tensor, float], object] | None = None,
    ):
        self.params, self.grads = params, grads
        n = params.numel()
        self.state = torch.zeros(STATE_BUFFERS[kind] * n)
        self.steps = 0
        self._axpy = axpy or self._add
        self._update = {"sgd": self._sgd, "momentum": self._momentum, "adam": self._adam}[kind]
        if kind == "adam":
            self._exp_avg, self._exp_avg_sq = self.state.view(2, n)
            self._denom = torch.empty(n)  # scratch, not state: it is recomputed every step

    def update(self, lr: float) -> None:
        """Apply the update with learning rate `lr`, using the gradients in `grads`."""
        self._update(lr)
        self.steps += 1

    def _add(self, x: torch.Tensor, alpha: float) -> None:
        self.params.add_(x, alpha=alpha)

    def _sgd(self, lr: float) -> None:
        self._axpy(self.grads, -lr)

    def _momentum(self, lr: float) -> None:
        # torch.optim.SGD(momentum=0.9, dampening=0): the buffer starts as the first gradient.
        if self.steps == 0:
            self.state.copy_(self.grads)
        else:
            self.state.mul_(MOMENTUM).add_(self.grads)
        self._axpy(self.state, -lr)

    def _adam(self, lr: float) -> None:
        # torch.optim.Adam's single-tensor update, written the same way so the numbers agree.
        beta1, beta2 = ADAM_BETAS
        step = self.steps + 1
        self._exp_avg.lerp_(self.grads, 1 - beta1)
        self._exp_avg_sq.mul_(beta2).addcmul_(self.grads, self.grads, value=1 - beta2)
        bias_correction1 = 1 - beta1**step
        bias_correction2_sqrt = (1 - beta2**step) ** 0.5
        torch.sqrt(self._exp_avg_sq, out=self._denom)
        self._denom.div_(bias_correction2_sqrt).add_(ADAM_EPS)
        self.params.addcdiv_(self._exp_avg, self._denom, value=-(lr / bias_correction1))

    def save(self) -> Saved:
        """A copy of everything that decides the next updates: parameters, optimizer state, step count."""
        return self.params.clone(), self.state.clone(), self.steps

    def load(self, saved: Saved) -> None:
        """Put back what `save()` returned (copied in place: views of the tensors stay valid)."""
        params, state, steps = saved
        self.params.copy_(params)
        self.state.copy_(state)
        self.steps = steps
