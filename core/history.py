"""Everything a run has been: each epoch's loss and predictions, and its exact weights on demand.

Storing every epoch's parameters would cost 11 KB an epoch for the 2-64-32-16-1 MLP (1.1 GB for
100,000 epochs). Instead the history keeps the loss and the predictions of every epoch, plus a
checkpoint (parameters, optimizer state, step count) every `interval` epochs, and brings any
other epoch back by replaying the training steps from the checkpoint before it. Replay runs the
same kernel on buffers of the same layout with the same learning rates, so it reproduces the run
bit for bit; `tests/unit/test_history.py` checks that.
"""

from __future__ import annotations

import bisect
import hashlib
import sys
import threading
from array import array
from dataclasses import dataclass

import torch

from core.config import TrainConfig
from core.kernel import Kernel
from core.network import parameter_count

MEMORY_BUDGET = 64 * 2**20  # bytes of checkpoints before they are thinned out
REPLAY_TARGET_SECONDS = 0.02  # how long bringing back an epoch should take, at most, roughly


@dataclass(frozen=True)
class LayerWeights:
    """One `nn.Linear` layer's parameters and their gradients at some epoch, as plain floats."""

    name: str  # the layer's index in the nn.Sequential, as in state_dict keys ("0", "2", ...)
    weight: list[list[float]]
    bias: list[float]
    weight_grad: list[list[float]]
    bias_grad: list[float]


@dataclass(frozen=True)
class WeightsAt:
    """The network as it was at one epoch: before that epoch's update, as the notebook logs it."""

    epoch: int
    loss: float
    predictions: list[float]
    accuracy: float
    lr: float  # the learning rate of this epoch's update
    layers: list[LayerWeights]


def checkpoint_interval(config: TrainConfig) -> int:
    """Epochs between checkpoints: as many as replay in about REPLAY_TARGET_SECONDS.

    Estimated from the network's shape rather than timed, so that where checkpoints fall (and
    hence memory use) does not depend on how busy the machine is.
    """
    sizes = config.sizes
    ops = 7 * (len(sizes) - 1) + 6  # tensor operations an epoch; ~2 µs each on a laptop
    flops = 6 * parameter_count(sizes) * len(config.data.rows)
    seconds = ops * 2e-6 + flops / 1e9
    return max(8, min(1024, int(REPLAY_TARGET_SECONDS / seconds)))


class History:
    """The record of one run. Appended to by the trainer; read by anyone, from any thread."""

    def __init__(self, config: TrainConfig, lr: float, memory_budget: int = MEMORY_BUDGET, kernel=Kernel):
        self.config = config
        self._kernel = kernel  # the kind the trainer runs (Kernel, or core.rule's RuleKernel): replay uses the same
        self.measure = kernel.MEASURE  # what each epoch's "loss" is: "loss", or the rule's "mistakes"
        self.targets = [t for _, t in config.data.rows]
        self._n_rows = len(self.targets)
        self._loss = array("f")
        self._preds = array("f")  # n_rows values an epoch
        self._lr_changes: list[tuple[int, float]] = [(0, lr)]  # (first epoch, lr), sorted
        self._checkpoints: dict[int, tuple] = {}
        self._checkpoint_epochs: list[int] = []
        self.interval = checkpoint_interval(config)
        self._memory_budget = memory_budget
        self._lock = threading.RLock()
        self._replay: Kernel | None = None
        self._replay_epoch = -1  # the epoch whose parameters the replay kernel holds (-1: none)
        self.replayed_steps = 0  # updates replayed by the last weights_at, for tests and benchmarks

    # --- per-epoch record ----------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self._loss)

    @property
    def last_epoch(self) -> int:
        """The latest epoch recorded (-1 before the first)."""
        return len(self._loss) - 1

    def record(self, loss: float, predictions: list[float]) -> None:
        # The loss goes last: its length says which epochs exist, so a reader in another thread
        # never sees an epoch whose predictions are not there yet.
        self._preds.extend(predictions)
        self._loss.append(loss)

    def loss(self, epoch: int) -> float:
        return self._loss[self._check(epoch)]

    def losses(self, start: int = 0, stop: int | None = None, step: int = 1) -> list[float]:
        """Losses of epochs start..stop-1 (all by default), every `step`-th."""
        return self._loss[start:stop:step].tolist()

    def predictions(self, epoch: int) -> list[float]:
        """Each row's output probability at this epoch."""
        i = self._check(epoch) * self._n_rows
        return self._preds[i : i + self._n_rows].tolist()

    def accuracy(self, epoch: int) -> float:
        """Percentage of rows whose prediction (output ≥ 0.5) equals the target, as the notebook computes it."""
        correct = sum((p >= 0.5) == bool(t) for p, t in zip(self.predictions(epoch), self.targets))
        return 100.0 * correct / self._n_rows

    def records(self) -> tuple[array, array]:
        """Every epoch's loss, and every epoch's predictions one after another (a row each), copied
        at once: what an export is written from while the run goes on or changes."""
        n = len(self._loss)  # read the length first: a training thread may be appending
        return self._loss[:n], self._preds[: n * self._n_rows]

    def first_epoch_where(self, accuracy: float) -> int | None:
        """The first epoch whose accuracy is at least `accuracy` percent, or None."""
        for epoch in range(len(self)):
            if self.accuracy(epoch) >= accuracy:
                return epoch
        return None

    def fingerprint(self) -> str:
        """SHA-256 of every epoch's loss and predictions as little-endian float32: two runs with the
        same fingerprint recorded the same numbers, bit for bit (a session file keeps it to check
        that replaying it on another machine gives the run it saved)."""
        n = len(self._loss)  # read the length first: a training thread may be appending
        losses, predictions = self._loss[:n], self._preds[: n * self._n_rows]
        if sys.byteorder != "little":
            losses.byteswap()
            predictions.byteswap()
        return hashlib.sha256(losses.tobytes() + predictions.tobytes()).hexdigest()

    def _check(self, epoch: int) -> int:
        if not 0 <= epoch < len(self._loss):
            raise IndexError(f"epoch {epoch} is not in the history (it has epochs 0 to {self.last_epoch})")
        return epoch

    # --- learning rates ------------------------------------------------------------------------

    def lr_at(self, epoch: int) -> float:
        """The learning rate used for this epoch's update."""
        i = bisect.bisect_right(self._lr_changes, (epoch, float("inf"))) - 1
        return self._lr_changes[i][1]

    def lr_changes(self) -> list[tuple[int, float]]:
        """Every learning rate the run used: (first epoch, lr) pairs in order, the first at epoch 0."""
        with self._lock:
            return list(self._lr_changes)

    def set_lr(self, epoch: int, lr: float) -> None:
        """Use `lr` from this epoch's update on."""
        with self._lock:
            while self._lr_changes and self._lr_changes[-1][0] >= epoch:
                self._lr_changes.pop()
            if not self._lr_changes or self._lr_changes[-1][1] != lr:
                self._lr_changes.append((epoch, lr))

    # --- checkpoints and replay ----------------------------------------------------------------

    def wants_checkpoint(self, epoch: int) -> bool:
        return epoch % self.interval == 0 and epoch not in self._checkpoints

    def add_checkpoint(self, epoch: int, saved: tuple) -> None:
        """Keep `saved` (Kernel.save() taken before this epoch's forward pass) as epoch's checkpoint."""
        with self._lock:
            self._checkpoints[epoch] = saved
            bisect.insort(self._checkpoint_epochs, epoch)
            if self.checkpoint_bytes() > self._memory_budget:
                self._thin()

    def checkpoint_bytes(self) -> int:
        return sum(p.nbytes + s.nbytes for p, s, _ in self._checkpoints.values())

    def _thin(self) -> None:
        # Keep every other checkpoint: memory halves, replay gets at most twice as long.
        self.interval *= 2
        keep = [e for e in self._checkpoint_epochs if e % self.interval == 0]
        for epoch in set(self._checkpoint_epochs) - set(keep):
            del self._checkpoints[epoch]
        self._checkpoint_epochs = keep

    def truncate(self, n_epochs: int) -> None:
        """Forget epochs n_epochs and later (their records, checkpoints after them, lr changes)."""
        with self._lock:
            del self._loss[n_epochs:]
            del self._preds[n_epochs * self._n_rows :]
            for epoch in self._checkpoint_epochs[bisect.bisect_right(self._checkpoint_epochs, n_epochs) :]:
                del self._checkpoints[epoch]
            del self._checkpoint_epochs[bisect.bisect_right(self._checkpoint_epochs, n_epochs) :]
            self._lr_changes = [c for c in self._lr_changes if c[0] < n_epochs] or self._lr_changes[:1]
            self._replay_epoch = -1

    def state_at(self, epoch: int) -> tuple:
        """Kernel.save() as it was before `epoch`'s forward pass, for a trainer to branch from."""
        with self._lock, torch.inference_mode():
            kernel = self._replay_to(epoch)
            return kernel.save()

    def weights_at(self, epoch: int) -> WeightsAt:
        """The parameters and gradients of any recorded epoch, exactly as the run had them."""
        self._check(epoch)
        with self._lock, torch.inference_mode():
            kernel = self._replay_to(epoch)
            kernel.forward_backward(self.lr_at(epoch))  # this epoch's gradients; the parameters stay as they are
            return self.weights_of(epoch, kernel)

    def weights_of(self, epoch: int, kernel: Kernel) -> WeightsAt:
        """Recorded epoch `epoch`'s WeightsAt, read from a kernel that has just made its forward and
        backward pass (before its update): the trainer's own, or the replay's."""
        layers = [
            LayerWeights(str(2 * i), W.tolist(), b.tolist(), dW.tolist(), db.tolist())
            for i, (W, b, dW, db) in enumerate(kernel.layer_tensors())
        ]
        return WeightsAt(
            epoch=epoch,
            loss=self.loss(epoch),
            predictions=self.predictions(epoch),
            accuracy=self.accuracy(epoch),
            lr=self.lr_at(epoch),
            layers=layers,
        )

    def _replay_to(self, epoch: int) -> Kernel:
        if self._replay is None:
            self._replay = self._kernel(self.config)
        kernel = self._replay
        start = self._checkpoint_epochs[bisect.bisect_right(self._checkpoint_epochs, epoch) - 1]
        # Going forward from where the replay kernel already is beats restarting at a checkpoint.
        if not start <= self._replay_epoch <= epoch:
            kernel.load(self._checkpoints[start])
            self._replay_epoch = start
        self.replayed_steps = epoch - self._replay_epoch
        for e in range(self._replay_epoch, epoch):
            lr = self.lr_at(e)
            kernel.forward_backward(lr)
            kernel.update(lr)
        self._replay_epoch = epoch
        return kernel
