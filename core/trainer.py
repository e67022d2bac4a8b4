"""The trainer: steps a network through full-batch epochs, records them, and notices blow-ups."""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import torch

from core.config import TrainConfig, check_lr
from core.history import MEMORY_BUDGET, History, WeightsAt
from core.kernel import Kernel
from core.rule import RuleKernel
from core.words import say

# Saturation: every output this close to 0 or 1, at least one of them on the wrong side, and no
# gradient larger than this. Measured on xor-mlp with lr 1000: the outputs sit between 1e-31 and
# 3e-6 from 0 or 1 and the largest gradient between 0 and 7e-8, epoch after epoch; a network that
# is learning has no output pinned at the wrong answer.
PINNED = 1e-3
VANISHED = 1e-4

StopReason = Literal["epoch", "condition", "stopped", "blowup"]


@dataclass(frozen=True)
class BlowUp:
    """Why training stopped by itself: the numbers left the range where learning can happen."""

    epoch: int
    kind: str  # "non-finite" (NaN or infinity) or "saturated" (outputs pinned, some wrong, gradients vanished)
    loss: float
    lr: float

    def message(self, lang: str = "en", short: bool = False) -> str:
        """Why, in words (the catalog's [blowup] table); `short`: in fewer words, the advice kept."""
        key = f"blowup.{self.kind.replace('-', '_')}" + ("_short" if short else "")
        return say(key, lang, epoch=self.epoch, loss=self.loss, lr=self.lr)


def diagnose(
    kernel: Kernel, epoch: int, loss: float, predictions: list[float], grad_sum: float, targets: list[int], lr: float
) -> BlowUp | None:
    """The blow-up rules, applied to one epoch's numbers (`Kernel.forward_backward()`'s, before the
    update): why this epoch ends the run, or None. The trainer and the seed sweep both use them."""
    # The sum is finite unless a gradient is not (or the sum overflows: then look closer).
    sum_finite = math.isfinite(loss) and math.isfinite(grad_sum)
    if not sum_finite and (not math.isfinite(loss) or not kernel.all_finite()):
        return BlowUp(epoch, "non-finite", loss, lr)
    if _saturated(predictions, targets) and kernel.largest_gradient() < VANISHED:
        return BlowUp(epoch, "saturated", loss, lr)
    return None


def _saturated(predictions: list[float], targets: list[int]) -> bool:
    pinned = all(p < PINNED or p > 1 - PINNED for p in predictions)
    return pinned and any(abs(p - t) > 0.5 for p, t in zip(predictions, targets))


class Trainer:
    """Trains one network on one dataset, an epoch at a time, as the notebook's loop does.

    Epoch e means: the parameters after e updates, their loss, predictions and gradients, then
    the update. `history` keeps every epoch; `epoch` is the next one to compute.
    """

    def __init__(self, config: TrainConfig, memory_budget: int = MEMORY_BUDGET, rule: bool = False):
        # Tiny networks run fastest on one thread, and leave the other core to a UI.
        torch.set_num_threads(1)
        self.config = config
        self.rule = rule  # Rosenblatt's rule on a threshold unit (core.rule), not gradient descent
        self.lr = config.lr
        self.blowup: BlowUp | None = None
        self.looked: WeightsAt | None = None  # the last step's look at its epoch (step(look=True))
        self._memory_budget = memory_budget
        self._new_run()

    def _new_run(self) -> None:
        kind = RuleKernel if self.rule else Kernel
        self.kernel = kind(self.config)
        self.history = History(self.config, self.lr, self._memory_budget, kind)
        self.history.add_checkpoint(0, self.kernel.save())
        self.blowup = None

    @property
    def model(self) -> torch.nn.Sequential:
        """The nn.Sequential being trained; its parameters are the trainer's current ones."""
        return self.kernel.model

    @property
    def epoch(self) -> int:
        """The next epoch to compute (the number of epochs recorded so far)."""
        return len(self.history)

    # --- training --------------------------------------------------------------------------------

    def step(self, n: int = 1, stop: threading.Event | None = None, look: bool = False) -> int:
        """Train `n` epochs, or fewer if `stop` is set or the run blows up. Returns how many ran.

        With `look`, `looked` is then the last epoch's WeightsAt, read before its update (what
        `history.weights_at` would replay, without the replay)."""
        done = 0
        self.looked = None
        with torch.inference_mode():
            while done < n and self.blowup is None and not (stop is not None and stop.is_set()):
                self._epoch(look and done == n - 1)
                done += 1
        return done

    def run(
        self,
        to_epoch: int | None = None,
        until: Callable[[Trainer], bool] | None = None,
        stop: threading.Event | None = None,
    ) -> StopReason:
        """Train until epoch `to_epoch` is recorded, `until(trainer)` is true after an epoch, `stop`
        is set, or the run blows up. Returns which: "epoch", "condition", "stopped" or "blowup".
        """
        if to_epoch is None and until is None and stop is None:
            raise ValueError("run() needs to_epoch, until or stop, or it would never end")
        self.looked = None  # a look is a step's, at its last epoch
        with torch.inference_mode():
            while True:
                if self.blowup is not None:
                    return "blowup"
                if to_epoch is not None and self.epoch > to_epoch:
                    return "epoch"
                if stop is not None and stop.is_set():
                    return "stopped"
                self._epoch()
                if until is not None and self.blowup is None and until(self):
                    return "condition"

    def _epoch(self, look: bool = False) -> None:
        kernel, history = self.kernel, self.history
        epoch = len(history)
        if history.wants_checkpoint(epoch):
            history.add_checkpoint(epoch, kernel.save())
        loss, predictions, grad_sum = kernel.forward_backward(self.lr)
        history.record(loss, predictions)
        if look:
            self.looked = history.weights_of(epoch, kernel)
        self.blowup = self._diagnose(epoch, loss, predictions, grad_sum)
        if self.blowup is None:
            kernel.update(self.lr)

    def _diagnose(self, epoch: int, loss: float, predictions: list[float], grad_sum: float) -> BlowUp | None:
        if self.rule:  # the rule adds whole multiples of η: nothing to blow up (and 0/1 outputs are not "pinned")
            return None
        return diagnose(self.kernel, epoch, loss, predictions, grad_sum, self.history.targets, self.lr)

    # --- changing course -------------------------------------------------------------------------

    def set_lr(self, lr: float, from_last: bool = False) -> None:
        """Use this learning rate from the next epoch's update on; with `from_last`, from the update
        of the last epoch recorded (made with the old rate, though no epoch shows it yet): that epoch
        is made again, with the same loss and outputs, so the next epoch is the new rate's first."""
        check_lr(lr)
        lr = float(lr)
        last = self.history.last_epoch
        if from_last and lr != self.lr and last >= 0 and self.blowup is None:
            self.rewind(last)
            self.lr = lr
            self.history.set_lr(self.epoch, lr)
            self.step(1)
            return
        self.lr = lr
        self.history.set_lr(self.epoch, lr)

    def reset(self) -> None:
        """Back to epoch 0 with the same initial weights (same seed); the history starts over."""
        self._new_run()

    def reseed(self, seed: int) -> None:
        """Start over from new initial weights drawn with `seed`."""
        self.config = self.config.with_(seed=seed)
        self._new_run()

    def rewind(self, epoch: int) -> None:
        """Branch from `epoch`: forget it and every later epoch, and continue from its weights.

        The next step recomputes `epoch` with the current learning rate.
        """
        if not 0 <= epoch <= self.history.last_epoch:
            raise IndexError(f"cannot go back to epoch {epoch}: the history has epochs 0 to {self.history.last_epoch}")
        saved = self.history.state_at(epoch)
        self.history.truncate(epoch)
        self.history.set_lr(epoch, self.lr)
        self.kernel.load(saved)
        self.blowup = None
