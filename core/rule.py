"""Rosenblatt's perceptron rule (1957): a threshold unit, and the change it makes after each row.

The unit outputs ŷ = 1 if w·x + b ≥ 0, else 0. After each row, in the table's order, the rule sets
w ← w + η·(y − ŷ)·x and b ← b + η·(y − ŷ): nothing changes on a row it gets right. One pass over
the rows is an epoch. The weights start at zero (seed 0, Rosenblatt's start) or, for a seed S ≥ 1,
at small random values drawn by Python's own generator (the same on every machine).

The weights are held as exact fractions: a cycle on XOR comes back bit for bit, and what the
convergence theorem bounds is counted, not estimated. The pure-Python part (the rule, the bound,
the cycle) loads without torch; `RuleKernel` gives the trainer and the history what they expect of
a kernel (core.kernel.Kernel), so browsing, replay and session files work as for any lesson.
"""

from __future__ import annotations

import itertools
import math
import random
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

from core.words import count, say

Weights = tuple[Fraction, ...]  # (w₁, ..., wₙ, b)
Rows = tuple[tuple[tuple[int, ...], int], ...]
CYCLE_LIMIT = 10_000  # epochs the cycle search simulates at most (XOR's cycle comes back within 4)


def initial_weights(n_inputs: int, seed: int) -> Weights:
    """Seed 0: every weight and the bias 0. Seed S ≥ 1: each a random multiple of 0.01 in [−0.5, 0.5]."""
    if seed == 0:
        return (Fraction(0),) * (n_inputs + 1)
    rng = random.Random(seed)
    return tuple(Fraction(rng.randint(-50, 50), 100) for _ in range(n_inputs + 1))


def output(weights: Weights, inputs: tuple[int, ...]) -> int:
    """The threshold unit's output: 1 if w·x + b ≥ 0, else 0."""
    *w, b = weights
    return 1 if sum(wi * xi for wi, xi in zip(w, inputs)) + b >= 0 else 0


@dataclass(frozen=True)
class Pass:
    """One epoch of the rule: the weights before and after one pass over the rows, and its mistakes."""

    before: Weights
    after: Weights
    mistakes: int


def rule_pass(weights: Weights, rows: Rows, lr: Fraction) -> Pass:
    """One pass over `rows` in order, the rule applied after each row."""
    start = weights
    mistakes = 0
    for inputs, target in rows:
        error = target - output(weights, inputs)  # y − ŷ: 0, +1 or −1
        if error:
            mistakes += 1
            step = lr * error
            weights = (*(w + step * x for w, x in zip(weights, inputs)), weights[-1] + step)
    return Pass(start, weights, mistakes)


# --- the convergence theorem ---------------------------------------------------------------------


@dataclass(frozen=True)
class Novikoff:
    """The perceptron convergence theorem's bound (Novikoff, 1962) for one table.

    With each row's inputs and a 1 for the bias as one vector x̃: R is the largest |x̃|, γ the margin
    of the best separating line (the largest, over unit vectors u, of the smallest ±u·x̃). From zero
    weights the rule makes at most (R/γ)² mistakes, whatever η is; from weights w₀ at most the
    largest k with u·w₀ + kηγ ≤ √(|w₀|² + kη²R²).
    """

    r_squared: Fraction
    gamma_squared: Fraction
    bound: int  # the most mistakes the run can make, from its starting weights and η

    @property
    def r(self) -> float:
        return math.sqrt(self.r_squared)

    @property
    def gamma(self) -> float:
        return math.sqrt(self.gamma_squared)

    @property
    def ratio_squared(self) -> Fraction:
        """(R/γ)², exactly."""
        return self.r_squared / self.gamma_squared


def _solve(matrix: list[list[Fraction]], rhs: list[Fraction]) -> list[Fraction] | None:
    """Gaussian elimination in fractions; None if the matrix is singular."""
    n = len(matrix)
    a = [[*row, r] for row, r in zip(matrix, rhs)]
    for col in range(n):
        pivot = next((i for i in range(col, n) if a[i][col] != 0), None)
        if pivot is None:
            return None
        a[col], a[pivot] = a[pivot], a[col]
        for i in range(n):
            if i != col and a[i][col] != 0:
                f = a[i][col] / a[col][col]
                a[i] = [x - f * y for x, y in zip(a[i], a[col])]
    return [a[i][n] / a[i][i] for i in range(n)]


@lru_cache(maxsize=64)
def best_separator(rows: Rows) -> tuple[Fraction, ...] | None:
    """The shortest v with s·v·x̃ ≥ 1 for every row (s = +1 for target 1, −1 for 0; x̃ = (x, 1)), or
    None if no line separates the table. Its margin γ = 1/|v| is the best a line has.

    Exactly, by the hard-margin problem's own geometry: the optimum is the shortest point of the
    affine set where some linearly independent rows are tight (s·v·x̃ = 1), so every such set of at
    most dim rows is tried (v = Aᵀ(AAᵀ)⁻¹1, A the rows s·x̃), and the shortest v that keeps every
    row at s·v·x̃ ≥ 1 is the answer. Fractions throughout: γ² comes out exact."""
    signed = [tuple(Fraction((1 if t else -1) * v) for v in (*x, 1)) for x, t in rows]
    dim = len(signed[0])
    best: tuple[Fraction, ...] | None = None
    best_norm: Fraction | None = None
    for k in range(1, dim + 1):
        for tight in itertools.combinations(signed, k):
            gram = [[sum(a * b for a, b in zip(p, q)) for q in tight] for p in tight]
            alpha = _solve(gram, [Fraction(1)] * k)
            if alpha is None:
                continue
            v = tuple(sum(al * p[i] for al, p in zip(alpha, tight)) for i in range(dim))
            if all(sum(a * b for a, b in zip(v, s)) >= 1 for s in signed):
                norm = sum(x * x for x in v)
                if best_norm is None or norm < best_norm:
                    best, best_norm = v, norm
    return best


def novikoff(rows: Rows, start: Weights, lr: Fraction) -> Novikoff | None:
    """The bound for a run on `rows` from weights `start` with rate `lr`; None if no line separates them."""
    v = best_separator(rows)
    if v is None:
        return None
    r_squared = max(sum(Fraction(x) ** 2 for x in inputs) + 1 for inputs, _ in rows)
    norm_squared = sum(x * x for x in v)
    gamma_squared = 1 / norm_squared
    if not any(start):
        bound = math.floor(r_squared / gamma_squared)
    else:
        # u = v/|v|: (a + kηγ)² ≤ c + kη²R² with a = u·w₀, c = |w₀|²; the largest root of the quadratic.
        gamma = math.sqrt(gamma_squared)
        a = float(sum(x * w for x, w in zip(v, start))) * gamma
        c, eta, r2 = float(sum(w * w for w in start)), float(lr), float(r_squared)
        qa, qb, qc = eta**2 * gamma**2, 2 * a * eta * gamma - eta**2 * r2, a * a - c
        bound = math.floor((-qb + math.sqrt(qb * qb - 4 * qa * qc)) / (2 * qa))
    return Novikoff(r_squared, gamma_squared, bound)


# --- where the run ends: a line found, or a cycle ------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """Where the rule's run goes, from its start: converged (`period` 1, no mistakes from `first` on)
    or a cycle (the weights of epoch `first` come back every `period` epochs, with mistakes)."""

    first: int  # the first epoch of the fixed point or of the cycle
    period: int
    converged: bool
    mistakes: tuple[int, ...]  # each epoch's mistakes, epochs 0 to first + period − 1
    weights: tuple[Weights, ...]  # each epoch's starting weights, the same epochs

    @property
    def total_mistakes(self) -> int:
        """Every mistake the run makes, if it converged (a cycle makes them for ever)."""
        return sum(self.mistakes)

    def first_seen(self, epoch: int) -> int:
        """The first epoch whose weights are the weights at `epoch`."""
        if epoch < self.first:
            return epoch
        return self.first + (epoch - self.first) % self.period


@lru_cache(maxsize=64)
def outcome(rows: Rows, start: Weights, lr: Fraction, limit: int = CYCLE_LIMIT) -> Outcome | None:
    """Run the rule until an epoch's weights repeat an earlier epoch's; None if none has by `limit`."""
    seen: dict[Weights, int] = {}
    weights, mistakes, path = start, [], []
    for epoch in range(limit + 1):
        if weights in seen:
            first = seen[weights]
            return Outcome(first, epoch - first, mistakes[first] == 0, tuple(mistakes), tuple(path))
        seen[weights] = epoch
        done = rule_pass(weights, rows, lr)
        mistakes.append(done.mistakes)
        path.append(weights)
        weights = done.after
    return None


def exact_lr(lr: float) -> Fraction:
    """η as the run uses it: the float's exact value (1 is 1; 0.1 is the double nearest 0.1)."""
    return Fraction(lr)


# --- the kernel the trainer drives ---------------------------------------------------------------


class RuleKernel:
    """The rule as a kernel (core.kernel.Kernel's interface), over a threshold unit with n inputs.

    `params` holds (w₁, …, wₙ, b) as float64 for reading; the exact weights are fractions beside
    them. What a gradient kernel calls gradients, `grads`, is here the change the epoch's pass makes
    (after − before): the rule has no gradient. `forward_backward(lr)` makes the pass (its updates
    depend on η, unlike a gradient) and returns its mistakes where a kernel returns the loss.
    """

    MEASURE = "mistakes"

    def __init__(self, config):
        import torch

        self.config = config
        self.rows: Rows = tuple(config.data.rows)
        n = len(config.data.inputs)
        self.weights = initial_weights(n, config.seed)
        self.change: Weights = (Fraction(0),) * (n + 1)
        self.steps = 0
        self.params = torch.zeros(n + 1, dtype=torch.float64)
        self.grads = torch.zeros(n + 1, dtype=torch.float64)
        self.state = torch.zeros(0, dtype=torch.float64)
        self._show()
        self.model = _model(n, self.params)
        self._layers = [(self.params[:n].view(1, n), self.params[n:], self.grads[:n].view(1, n), self.grads[n:])]

    def _show(self) -> None:
        self.params.copy_(self.params.new_tensor([float(w) for w in self.weights]))
        self.grads.copy_(self.grads.new_tensor([float(d) for d in self.change]))

    def forward_backward(self, lr: float = 1.0) -> tuple[float, list[float], float]:
        """The epoch's outputs (from the weights it starts with) and its pass: returns the pass's
        mistakes, each row's output (0 or 1) before the pass, and the sum of the changes."""
        done = rule_pass(self.weights, self.rows, exact_lr(lr))
        self.change = tuple(a - b for a, b in zip(done.after, done.before))
        self._show()
        predictions = [float(output(self.weights, inputs)) for inputs, _ in self.rows]
        return float(done.mistakes), predictions, float(sum(self.change))

    def update(self, lr: float) -> None:
        """Keep the pass's weights (forward_backward made it with this η)."""
        self.weights = tuple(w + d for w, d in zip(self.weights, self.change))
        self.steps += 1
        self._show()

    def save(self) -> tuple:
        return self.params.clone(), self.state, (self.steps, self.weights)

    def load(self, saved: tuple) -> None:
        _, _, (steps, weights) = saved
        self.steps, self.weights = steps, weights
        self.change = (Fraction(0),) * len(weights)
        self._show()

    def all_finite(self) -> bool:
        return True  # whole multiples of η added to the start: never NaN nor infinite

    def largest_gradient(self) -> float:
        return max(abs(float(d)) for d in self.change)

    def layer_tensors(self):
        """(weight, bias, change of weight, change of bias), as views (copy before keeping)."""
        return self._layers


def _model(n: int, params):
    """nn.Sequential(Linear(n, 1), Step()): how the unit reads printed, its weights views of `params`."""
    from torch import nn

    class Step(nn.Module):
        """ŷ = 1 if z ≥ 0 else 0: the threshold unit's output."""

        def forward(self, z):
            return (z >= 0).to(z.dtype)

    linear = nn.Linear(n, 1, device="meta", dtype=params.dtype)
    linear.weight = nn.Parameter(params[:n].view(1, n), requires_grad=False)
    linear.bias = nn.Parameter(params[n:], requires_grad=False)
    return nn.Sequential(linear, Step())


# --- what the lesson says at an epoch ----------------------------------------------------------


@dataclass(frozen=True)
class RuleStatus:
    """The rule's run at one epoch, for the status line and the log: the mistakes of that epoch's
    pass and of every pass up to it, Novikoff's bound (None: no line separates the table), and
    where the run goes (None: not known, as after a change of η midway)."""

    epoch: int
    mistakes: int
    so_far: int
    bound: Novikoff | None
    outcome: Outcome | None

    @property
    def converged(self) -> bool:
        """No mistake from the epoch on view on: the line is found."""
        o = self.outcome
        return o is not None and o.converged and self.epoch >= o.first

    @property
    def cycling(self) -> bool:
        """The epoch on view is in the cycle: its weights came back from an earlier epoch (or will)."""
        o = self.outcome
        return o is not None and not o.converged and self.epoch >= o.first


def status_at(config, epoch: int, losses: list[float], lr_changes: list[tuple[int, float]]) -> RuleStatus:
    """The status at `epoch` of a run of `config` whose epochs 0..epoch made `losses` mistakes (what
    the history records). The bound and the outcome are for one η from the start: a run whose η
    changed gets neither."""
    rows = tuple(config.data.rows)
    one_lr = len(lr_changes) == 1
    start = initial_weights(len(config.data.inputs), config.seed)
    lr = exact_lr(lr_changes[0][1])
    return RuleStatus(
        epoch=epoch,
        mistakes=int(losses[epoch]),
        so_far=int(sum(losses[: epoch + 1])),
        bound=novikoff(rows, start, lr) if one_lr else None,
        outcome=outcome(rows, start, lr) if one_lr else None,
    )


def verdict(status: RuleStatus, dataset: str, lang: str, short: bool = False) -> str:
    """What the run has come to at the status's epoch, in words: Novikoff's bound and the mistakes
    made against it, or the cycle (its first epoch and period); "" when neither is known. `short`:
    in fewer words, for a status line with little room."""
    bound, outcome = status.bound, status.outcome
    end = "_short" if short else ""
    if status.cycling:
        per_cycle = sum(outcome.mistakes[outcome.first :])
        seen = outcome.first_seen(status.epoch)
        return count("app.rule.cycle" + end, outcome.period, lang, dataset=dataset, seen=seen, per_cycle=per_cycle)
    if outcome is None:
        return ""
    if bound is None:
        return say("app.rule.no_line" + end, lang, dataset=dataset)
    facts = {"bound": bound.bound, "r2": str(bound.r_squared), "g2": str(bound.gamma_squared)}
    if status.converged:
        return say("app.rule.converged" + end, lang, first=outcome.first, total=outcome.total_mistakes, **facts)
    return say("app.rule.bound" + end, lang, **facts)
