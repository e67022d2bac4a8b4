"""Plateaus: the losses where a network that cannot tell some rows apart gets stuck.

A network that gives a group of rows one shared output does best with the fraction of ones in
the group: m/n for n rows holding m ones. The loss there is a plateau. With binary cross-entropy
it is (1/R) Σ n·H(m/n) over the lumped groups, H the binary entropy in nats: ln 2 when every
output is 0.5, ln 2 / 2 when two of XOR's four rows are, ¾·H(⅓) = 0.4774 when three of them are
lumped at ⅓ or ⅔. With squared error it is (1/R) Σ m(n-m)/n: 1/4, 1/8, 1/6.

Pure Python, no torch.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

from core.words import say

if TYPE_CHECKING:
    from core.config import TrainConfig


@dataclass(frozen=True)
class Plateau:
    """A loss where a network that lumps some rows together gets stuck."""

    value: float
    label: str  # "ln 2", "ln 2 / 2", "3/4 H(1/3)", "1/8", ...
    groups: tuple[tuple[int, Fraction], ...]  # (rows, their shared output) for each lumped group
    rows: int  # the dataset's rows

    def description(self, lang: str = "en") -> str:
        lumped = sum(n for n, _ in self.groups)
        if len(self.groups) == 1 and lumped == self.rows and self.groups[0][1] == Fraction(1, 2):
            return say("plateau.every_row", lang)
        parts = [
            say("plateau.rows_at", lang, rows=n, output="0.5" if out == Fraction(1, 2) else _fraction_text(out))
            for n, out in self.groups
        ]
        if lumped < self.rows:
            parts.append(say("plateau.rest_right", lang))
        return ", ".join(parts)


def plateaus(config: TrainConfig) -> list[Plateau]:
    """The plateaus of `config`'s dataset and loss, lowest first (0, every row right, excluded)."""
    targets = [t for _, t in config.data.rows]
    n_rows = len(targets)
    found: dict[float, Plateau] = {}
    for partition in _partitions(list(range(n_rows))):
        mixed = []
        for group in partition:
            ones = sum(targets[i] for i in group)
            if 0 < ones < len(group):
                mixed.append((len(group), ones))
        if not mixed:
            continue
        value = sum(_group_loss(n, m, config.loss) for n, m in mixed) / n_rows
        key = round(value, 9)
        groups = tuple(sorted(((n, Fraction(m, n)) for n, m in mixed), reverse=True))
        candidate = Plateau(value, _label(mixed, n_rows, config.loss), groups, n_rows)
        best = found.get(key)
        # For equal values (two pairs at 0.5 and all four at 0.5 both give ln 2) keep the fewest groups.
        if best is None or len(candidate.groups) < len(best.groups):
            found[key] = candidate
    return sorted(found.values(), key=lambda p: p.value)


def nearest_plateau(loss: float, known: list[Plateau]) -> Plateau | None:
    """The plateau `loss` sits on (networks approach them slowly from above), or None."""
    if not known or not math.isfinite(loss):
        return None
    best = min(known, key=lambda p: abs(p.value - loss))
    others = [abs(p.value - best.value) for p in known if p is not best]
    tolerance = min(0.03, min(others) / 3) if others else 0.03
    return best if abs(loss - best.value) <= tolerance else None


def _group_loss(n: int, m: int, loss: str) -> float:
    q = m / n
    if loss == "bce":
        return n * -(q * math.log(q) + (1 - q) * math.log(1 - q))
    return m * (n - m) / n


def _label(mixed: list[tuple[int, int]], n_rows: int, loss: str) -> str:
    if loss == "mse":
        return _fraction_text(sum((Fraction(m * (n - m), n) for n, m in mixed), Fraction(0)) / n_rows)
    halves = sum(n for n, m in mixed if 2 * m == n)
    terms = []
    if halves:
        share = Fraction(halves, n_rows)
        terms.append(
            "ln 2" if share == 1 else f"ln 2 / {share.denominator}" if share.numerator == 1 else f"{share} ln 2"
        )
    by_output: dict[Fraction, int] = {}
    for n, m in mixed:
        if 2 * m != n:
            q = min(Fraction(m, n), 1 - Fraction(m, n))  # H(q) = H(1 - q)
            by_output[q] = by_output.get(q, 0) + n
    for q, rows in sorted(by_output.items()):
        share = Fraction(rows, n_rows)
        terms.append(f"H({_fraction_text(q)})" if share == 1 else f"{_fraction_text(share)} H({_fraction_text(q)})")
    return " + ".join(terms)


def _fraction_text(f: Fraction) -> str:
    return str(f.numerator) if f.denominator == 1 else f"{f.numerator}/{f.denominator}"


def _partitions(items: list[int]):
    """Every way to split `items` into groups (Bell(8) = 4140 for 8 rows)."""
    if not items:
        yield []
        return
    first, rest = items[0], items[1:]
    for partition in _partitions(rest):
        yield [[first], *partition]
        for i in range(len(partition)):
            yield [*partition[:i], [first] + partition[i], *partition[i + 1 :]]
