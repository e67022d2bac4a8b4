"""The seed sweep: one configuration trained from many initialisations at once, and what each did.

`run_sweep(config, seeds, epochs)` trains networks seeds[0], seeds[1], ... side by side on a
`BatchKernel` (the single engine's numbers, bit for bit) and records, per seed: the first epoch
at 100 % accuracy, the loss and accuracy at its last epoch, a loss curve of at most
`curve_points` points, and a blow-up by the trainer's rules (core.trainer.diagnose).

Recording costs almost nothing per epoch: the kernel writes each epoch's losses and outputs
straight into a block of epochs (8, then 16, ... up to `CHUNK`), which is read once it is full.
Blow-ups are caught at their epoch by the trainer's own rules (core.trainer.diagnose): every
epoch one number, the largest distance of an output from its target, says whether any network
has an output pinned at the wrong answer or NaN; only then are those networks' gradients looked
at. Gradients that go non-finite while the outputs stay sane show as non-finite parameters by
the end of the block; that network is then replayed with the single kernel from the block's
start to find the epoch. A blown-up network is frozen: its records end at that epoch, and its
parameters are zeroed so it carries no NaNs along.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

import torch

from core.config import TrainConfig
from core.kernel import Kernel
from core.sweep.batch_kernel import BatchKernel
from core.trainer import PINNED, BlowUp, diagnose

CHUNK = 64  # epochs recorded between two looks at the records
FIRST_BLOCK = 8
CURVE_POINTS = 200  # default bound on each seed's loss curve
PROGRESS_SECONDS = 0.1  # the progress callback is called at most this often (and at the end)
# A seed is looked at closely only if an output is this far from its target: pinned at the wrong
# answer (core.trainer's rule is within PINNED of it), or NaN. Looser than the rule, never tighter.
_NEARLY_WRONG = 1 - 2 * PINNED


@dataclass(frozen=True)
class SeedResult:
    """What one initialisation did."""

    seed: int
    first_full_accuracy: int | None  # the first epoch at 100 % accuracy, None if never
    last_epoch: int  # its last recorded epoch: the sweep's last, or where it blew up (or stopped)
    final_loss: float  # the loss at last_epoch
    final_accuracy: float  # percent, at last_epoch
    blowup: BlowUp | None
    curve: tuple[float, ...]  # the loss at SweepResult.curve_epochs up to last_epoch

    @property
    def learned(self) -> bool:
        return self.first_full_accuracy is not None


@dataclass(frozen=True)
class SweepResult:
    """A whole sweep: the settings, and one SeedResult per seed, in the order of the seeds."""

    config: TrainConfig  # the configuration (its `seed` is the first seed's)
    epochs: int  # the last epoch asked for
    last_epoch: int  # the last epoch run: `epochs`, unless stopped (or every seed blew up) first
    stopped: bool  # True if the stop flag ended it early
    exact: bool  # whether the numbers are the single engine's bit for bit (see reproducible_numerics)
    curve_epochs: tuple[int, ...]
    seeds: tuple[SeedResult, ...]
    seconds: float

    def seed(self, seed: int) -> SeedResult:
        for result in self.seeds:
            if result.seed == seed:
                return result
        raise KeyError(f"seed {seed} is not in this sweep")


@dataclass(frozen=True)
class SweepProgress:
    """A snapshot for a progress bar: plain numbers, safe to hand to another thread."""

    epoch: int  # epochs 0..epoch are done
    epochs: int
    learned: int  # seeds at 100 % accuracy at least once so far
    blown_up: int
    seeds: int
    first_full: tuple[int, ...] = ()  # per seed, in the order of the seeds: its first epoch at 100 %, or -1

    @property
    def fraction(self) -> float:
        return (self.epoch + 1) / (self.epochs + 1)


def reproducible_numerics() -> bool:
    """Whether ATen runs its portable kernels (ATEN_CPU_CAPABILITY=default). With AVX2 or AVX-512
    an elementwise operation rounds the last few elements of a tensor differently from the rest,
    so where a network's numbers lie in the batch would change them."""
    return torch.backends.cpu.get_cpu_capability() == "DEFAULT"


def curve_epochs(epochs: int, points: int = CURVE_POINTS) -> range:
    """The epochs a sweep keeps the loss of: every k-th from 0, at most `points` of them."""
    step = max(1, math.ceil((epochs + 1) / max(1, points)))
    return range(0, epochs + 1, step)


def run_sweep(
    config: TrainConfig,
    seeds: range | list[int],
    epochs: int,
    progress: Callable[[SweepProgress], None] | None = None,
    stop: threading.Event | None = None,
    curve_points: int = CURVE_POINTS,
) -> SweepResult:
    """Train `config` from every seed in `seeds` for epochs 0..`epochs` and report each seed.

    `progress(SweepProgress)` is called from this thread at most every PROGRESS_SECONDS and once
    at the end; `stop` is checked after every epoch (for xor-mlp, ~0.5 ms per 100 seeds): once
    it is set, the sweep ends with what it has (`stopped=True`).
    """
    torch.set_num_threads(1)  # results must not depend on the machine's cores; tiny nets run fastest so
    started = time.perf_counter()
    with torch.inference_mode():
        run = _Run(config, list(seeds), epochs, curve_points)
        last_report = -math.inf
        epoch = 0
        stopped = False
        while epoch <= epochs:
            run.epoch(epoch)
            epoch += 1
            stopped = stop is not None and stop.is_set()
            if epoch - run.block_start == run.block_size or epoch > epochs or stopped:
                run.read_block(epoch - 1)
                if run.all_blown_up():
                    break
                now = time.perf_counter()
                if progress is not None and now - last_report >= PROGRESS_SECONDS and epoch <= epochs:
                    progress(run.snapshot(epoch - 1))
                    last_report = now
            if stopped:
                break
        last_epoch = epoch - 1
        result = run.result(last_epoch, stopped, time.perf_counter() - started)
    if progress is not None:
        progress(run.snapshot(last_epoch))
    return result


class _Run:
    """The state of a sweep while it runs: the batch, the block of records, and each seed's results."""

    def __init__(self, config: TrainConfig, seeds: list[int], epochs: int, curve_points: int):
        self.config, self.seeds, self.epochs = config, seeds, epochs
        self.kernel = kernel = BatchKernel(config, seeds)
        self.exact = reproducible_numerics() and kernel.matches_single_kernel()
        n, rows = kernel.n, kernel.n_rows
        self.targets = [t for _, t in config.data.rows]
        self._target_mask = torch.tensor(self.targets, dtype=torch.bool)
        self.losses = torch.empty(CHUNK, n)
        self.predictions = torch.empty(CHUNK, n, rows)
        self.block_start = 0
        self.block_size = FIRST_BLOCK  # then doubling up to CHUNK: early blow-ups end the sweep early
        self.checkpoint = kernel.save()
        self.curve_epochs = curve_epochs(epochs, curve_points)
        self.curve = torch.full((len(self.curve_epochs), n), math.nan)
        self.first_full = torch.full((n,), -1, dtype=torch.long)
        self.final_loss = torch.full((n,), math.nan)
        self.final_accuracy = torch.zeros(n)
        self.blowups: dict[int, BlowUp] = {}
        self.blowup_epoch = torch.full((n,), epochs + 1, dtype=torch.long)  # a seed's records end there
        self.active = torch.ones(n, dtype=torch.bool)
        self._single: Kernel | None = None  # for replays, made on first use

    def all_blown_up(self) -> bool:
        return not bool(self.active.any())

    # --- one epoch ---------------------------------------------------------------------------------

    def epoch(self, epoch: int) -> None:
        i = epoch - self.block_start
        loss, predictions = self.losses[i], self.predictions[i]
        self.kernel.forward_backward(loss, predictions)
        # A blow-up needs an output pinned at the wrong answer or a NaN one (a loss that is not
        # finite comes from a NaN output): one look at the largest error tells whether to look closer.
        worst = torch.dist(predictions, self.kernel.y, math.inf).item()
        found = {} if worst <= _NEARLY_WRONG else self._blowups_at(epoch, loss, predictions)
        # Also after the last epoch: gradients that are not finite then show in the parameters.
        self.kernel.update(self.config.lr)
        for i, blowup in found.items():
            self._freeze(i, blowup)

    def _blowups_at(self, epoch: int, loss: torch.Tensor, predictions: torch.Tensor) -> dict[int, BlowUp]:
        """The trainer's rules for this epoch, applied to every seed with a wrong output near 0 or 1."""
        error = (predictions - self.kernel.y).abs().amax(1)
        suspects = ~(error <= _NEARLY_WRONG) & self.active
        found = {}
        for i in suspects.nonzero().flatten().tolist():
            index = self.kernel.seed_index(i)
            params, grads = self.kernel.params[index], self.kernel.grads[index]
            if not bool(torch.isfinite(params).all()):
                # Parameters that are not finite came from an earlier update: find its epoch. (The
                # replay finds it unless the batch is not exact; then the batch's word stands.)
                blowup = self._replay(i, self.block_start, epoch) or BlowUp(
                    epoch, "non-finite", loss[i].item(), self.config.lr
                )
            else:
                grad_sum = torch.sum(grads, 0, keepdim=True).item()
                blowup = diagnose(
                    _Network(params, grads),
                    epoch,
                    loss[i].item(),
                    predictions[i].tolist(),
                    grad_sum,
                    self.targets,
                    self.config.lr,
                )
            if blowup is not None:
                found[i] = blowup
        return found

    def _freeze(self, i: int, blowup: BlowUp) -> None:
        self.blowups[i] = blowup
        self.blowup_epoch[i] = blowup.epoch
        self.active[i] = False
        self.kernel.zero_network(i)

    def _replay(self, i: int, start: int, end: int) -> BlowUp | None:
        """Run network i with the single kernel from the block's start to `end` under the trainer's rules."""
        if self._single is None:
            self._single = Kernel(self.config)
        single = self._single
        single.load(self.kernel.seed_state(i, self.checkpoint))
        for epoch in range(start, end + 1):
            loss, predictions, grad_sum = single.forward_backward()
            blowup = diagnose(single, epoch, loss, predictions, grad_sum, self.targets, self.config.lr)
            if blowup is not None:
                return blowup
            single.update(self.config.lr)
        return None

    # --- reading a block of records --------------------------------------------------------------

    def read_block(self, end: int) -> None:
        """Take in epochs block_start..end: first epochs at 100 %, curve points, last values."""
        start = self.block_start
        # Gradients that went non-finite without a NaN output show in the parameters by now.
        suspects = ~torch.isfinite(self._parameter_sums()) & self.active
        for i in suspects.nonzero().flatten().tolist():
            blowup = self._replay(i, start, end)
            if blowup is not None:
                self._freeze(i, blowup)
        m = end - start + 1
        losses, predictions = self.losses[:m], self.predictions[:m]
        correct = (predictions >= 0.5) == self._target_mask  # (m, n, rows)
        epochs = torch.arange(start, end + 1).unsqueeze(1)  # (m, 1)
        valid = epochs <= self.blowup_epoch  # (m, n): a blown-up seed's records end at its blow-up
        # First epoch at 100 %: the first row of `hit`, where there is one (argmax finds the first max).
        hit = correct.all(2) & valid
        fresh = hit.any(0) & (self.first_full < 0)
        self.first_full = torch.where(fresh, start + hit.to(torch.uint8).argmax(0), self.first_full)
        for k, epoch in enumerate(self.curve_epochs):
            if start <= epoch <= end:
                self.curve[k] = torch.where(valid[epoch - start], losses[epoch - start], math.nan)
        last = torch.minimum(self.blowup_epoch, torch.tensor(end))
        ended = last >= start  # seeds whose last epoch so far is in this block
        rows, columns = (last - start).clamp(min=0), torch.arange(self.kernel.n)
        self.final_loss = torch.where(ended, losses[rows, columns], self.final_loss)
        accuracy = correct[rows, columns].to(torch.float32).mean(1) * 100
        self.final_accuracy = torch.where(ended, accuracy, self.final_accuracy)
        self.block_start = end + 1
        self.block_size = min(2 * self.block_size, CHUNK)
        self.checkpoint = self.kernel.save()

    def _parameter_sums(self) -> torch.Tensor:
        """Each network's sum of parameters: not finite if any parameter is not (or, rarely, if they overflow)."""
        kernel = self.kernel
        sums = kernel.B.sum(1)
        for W in kernel.W:
            sums += W.view(kernel.n, -1).sum(1)
        return sums

    # --- results ---------------------------------------------------------------------------------

    def snapshot(self, epoch: int) -> SweepProgress:
        return SweepProgress(
            epoch=epoch,
            epochs=self.epochs,
            learned=int((self.first_full >= 0).sum()),
            blown_up=len(self.blowups),
            seeds=self.kernel.n,
            first_full=tuple(self.first_full.tolist()),
        )

    def result(self, last_epoch: int, stopped: bool, seconds: float) -> SweepResult:
        first_full = self.first_full.tolist()
        final_loss = self.final_loss.tolist()
        final_accuracy = self.final_accuracy.tolist()
        curves = self.curve.t().tolist()
        seeds = []
        for i, seed in enumerate(self.seeds):
            last = self.blowups[i].epoch if i in self.blowups else last_epoch
            kept = sum(1 for e in self.curve_epochs if e <= last)
            seeds.append(
                SeedResult(
                    seed=seed,
                    first_full_accuracy=first_full[i] if first_full[i] >= 0 else None,
                    last_epoch=last,
                    final_loss=final_loss[i],
                    final_accuracy=final_accuracy[i],
                    blowup=self.blowups.get(i),
                    curve=tuple(curves[i][:kept]),
                )
            )
        return SweepResult(
            config=self.config.with_(seed=self.seeds[0]),
            epochs=self.epochs,
            last_epoch=last_epoch,
            stopped=stopped,
            exact=self.exact,
            curve_epochs=tuple(e for e in self.curve_epochs if e <= last_epoch),
            seeds=tuple(seeds),
            seconds=seconds,
        )


class _Network:
    """What core.trainer.diagnose asks of a kernel, for one network of the batch."""

    def __init__(self, params: torch.Tensor, grads: torch.Tensor):
        self.params, self.grads = params, grads

    def all_finite(self) -> bool:
        return bool(torch.isfinite(self.grads).all()) and bool(torch.isfinite(self.params).all())

    def largest_gradient(self) -> float:
        return self.grads.abs().max().item()
