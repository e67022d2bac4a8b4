"""What a seed sweep says, as numbers and as text: how many seeds learned and when, where the rest
got stuck (named after core.plateaus), and a row per seed; rendered as text, JSON or CSV.

Pure Python (no torch): it reads a `core.sweep.SweepResult`, which holds plain numbers.
"""

from __future__ import annotations

import csv
import io
import json
import math
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

from core.plateaus import Plateau, nearest_plateau, plateaus
from core.words import say

if TYPE_CHECKING:  # core.sweep loads torch; reports are made from finished results
    from core.config import TrainConfig
    from core.sweep import SeedResult, SweepResult


class _Words(dict):
    """The words' [sweep] table in one language, as templates the report fills in."""

    def __init__(self, lang: str):
        super().__init__()
        self.lang = lang

    def __missing__(self, key: str) -> str:
        return say(f"sweep.{key}", self.lang)


def _words(lang: str) -> _Words:
    return _Words(lang)


# --- the summary ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Distribution:
    """Where the first epochs at 100 % lie."""

    values: tuple[int, ...]  # sorted
    min: int
    q1: float
    median: float
    q3: float
    max: int
    mean: float

    def histogram(self, bins: int = 10) -> list[tuple[int, int, int]]:
        """(first epoch, last epoch, seeds) for at most `bins` ranges of a round width (1, 2 or 5
        times a power of ten) covering min..max."""
        width = next(w for w in _round_widths() if self.max // w - self.min // w < max(1, bins))
        start = self.min // width * width
        counts = [0] * ((self.max - start) // width + 1)
        for v in self.values:
            counts[(v - start) // width] += 1
        return [(start + i * width, start + (i + 1) * width - 1, c) for i, c in enumerate(counts)]


def _round_widths():
    power = 1
    while True:
        for m in (1, 2, 5):
            yield m * power
        power *= 10


@dataclass(frozen=True)
class StuckGroup:
    plateau: Plateau | None  # None: not near a known plateau
    seeds: tuple[int, ...]
    losses: tuple[float, ...]


@dataclass(frozen=True)
class SweepSummary:
    seeds: int
    learned: int  # reached 100 % at some epoch
    first_full: Distribution | None
    stuck: tuple[StuckGroup, ...]  # seeds that never reached 100 % (and did not blow up), by plateau
    blown_up: dict[str, int]  # kind -> seeds
    plateau_of: dict[int, Plateau | None]  # seed -> where it ended, for seeds that never reached 100 %


def summarize(result: SweepResult) -> SweepSummary:
    """The figures of a sweep: learned fraction, first-100 % distribution, plateaus, blow-ups."""
    known = plateaus(result.config)
    firsts = sorted(s.first_full_accuracy for s in result.seeds if s.learned)
    groups: dict[float | None, list[SeedResult]] = {}
    plateau_of = {}
    blown: dict[str, int] = {}
    for s in result.seeds:
        if s.blowup is not None:
            blown[s.blowup.kind] = blown.get(s.blowup.kind, 0) + 1
        if s.learned:
            continue
        plateau = nearest_plateau(s.final_loss, known) if s.blowup is None else None
        plateau_of[s.seed] = plateau
        if s.blowup is None:
            groups.setdefault(plateau.value if plateau else None, []).append(s)
    by_value = {p.value: p for p in known}
    stuck = tuple(
        StuckGroup(by_value.get(value), tuple(s.seed for s in members), tuple(s.final_loss for s in members))
        for value, members in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0] is None, kv[0] or 0))
    )
    return SweepSummary(
        seeds=len(result.seeds),
        learned=len(firsts),
        first_full=_distribution(firsts) if firsts else None,
        stuck=stuck,
        blown_up=blown,
        plateau_of=plateau_of,
    )


def _distribution(values: list[int]) -> Distribution:
    return Distribution(
        values=tuple(values),
        min=values[0],
        q1=_quantile(values, 0.25),
        median=_quantile(values, 0.5),
        q3=_quantile(values, 0.75),
        max=values[-1],
        mean=sum(values) / len(values),
    )


def _quantile(values: list[int], q: float) -> float:
    """Linear interpolation between closest ranks (numpy's default)."""
    position = (len(values) - 1) * q
    below = math.floor(position)
    above = min(below + 1, len(values) - 1)
    return values[below] + (values[above] - values[below]) * (position - below)


# --- rendering -----------------------------------------------------------------------------------


def describe(result: SweepResult, lang: str = "en", lesson_id: str | None = None) -> str:
    """One line naming what was swept."""
    seeds = [s.seed for s in result.seeds]
    return describe_settings(result.config, min(seeds), max(seeds), result.epochs, lang, lesson_id)


def describe_settings(
    c: TrainConfig, first: int, last: int, epochs: int, lang: str = "en", lesson_id: str | None = None
) -> str:
    """One line naming a sweep to make: its settings, seeds first..last and epochs 0..epochs."""
    return _words(lang)["title"].format(
        lesson=f"{lesson_id}: " if lesson_id else "",
        data=c.dataset.upper(),
        shape="-".join(map(str, c.sizes)),
        activation=c.activation,
        optimizer=say(f"optimizer.{c.optimizer}", lang),
        lr=c.lr,
        loss=c.loss.upper(),
        first=first,
        last=last,
        epochs=epochs,
    )


def to_text(
    result: SweepResult, lang: str = "en", lesson_id: str | None = None, rows: bool = True, bins: int = 10
) -> str:
    """The report a person reads: the figures, a histogram of first epochs at 100 %, a row per seed."""
    words = _words(lang)
    summary = summarize(result)
    head = describe(result, lang, lesson_id) + f" ({words['time'].format(seconds=result.seconds)})"
    lines = [head]
    if result.stopped:
        lines.append(words["stopped"].format(epoch=result.last_epoch, epochs=result.epochs))
    if not result.exact:
        lines.append(words["inexact"])
    lines.append(
        words["learned"].format(
            learned=summary.learned, seeds=summary.seeds, percent=100 * summary.learned / summary.seeds
        )
    )
    dist = summary.first_full
    if dist is None:
        lines.append(words["none_learned"])
    else:
        lines.append(
            words["first_full"].format(
                min=dist.min, q1=_num(dist.q1), median=_num(dist.median), q3=_num(dist.q3), max=dist.max
            )
        )
        histogram = dist.histogram(bins)
        widest = max(c for _, _, c in histogram)
        label_width = max(len(f"{a}-{b}") for a, b, _ in histogram)
        for a, b, count in histogram:
            bar = "█" * round(30 * count / widest) if count else ""
            lines.append(f"  {f'{a}-{b}':>{label_width}} {bar} {count}")
    stuck_count = sum(len(g.seeds) for g in summary.stuck)
    if stuck_count:
        lines.append(words["stuck"].format(count=stuck_count))
        for group in summary.stuck:
            if group.plateau is not None:
                lines.append(
                    words["plateau_line"].format(
                        label=group.plateau.label,
                        value=group.plateau.value,
                        description=group.plateau.description(lang),
                        count=len(group.seeds),
                    )
                )
            else:
                shown = ", ".join(f"{v:.4f}" for v in sorted(group.losses)[:8]) + (
                    " ..." if len(group.losses) > 8 else ""
                )
                lines.append(words["other_line"].format(count=len(group.seeds), losses=shown))
    if summary.blown_up:
        kinds = ", ".join(f"{words['kind_' + kind]} {count}" for kind, count in sorted(summary.blown_up.items()))
        lines.append(words["blown"].format(count=sum(summary.blown_up.values()), kinds=kinds))
    if rows:
        lines.append("")
        seed_w, first_w, loss_w, acc_w = 4, 11, 11, 8
        names = tuple(words[f"column_{c}"] for c in ("seed", "first", "loss", "accuracy", "stuck"))
        lines.append(
            "  ".join(
                [
                    _pad(names[0], seed_w),
                    _pad(names[1], first_w),
                    _pad(names[2], loss_w),
                    _pad(names[3], acc_w),
                    names[4],
                ]
            )
        )
        for s in result.seeds:
            first = str(s.first_full_accuracy) if s.learned else words["never"]
            where = _where(s, summary, lang)
            lines.append(f"{s.seed:4d}  {first:>11}  {s.final_loss:11.6f}  {s.final_accuracy:6.1f} %  {where}".rstrip())
    return "\n".join(lines)


def _where(s: SeedResult, summary: SweepSummary, lang: str) -> str:
    if s.blowup is not None:
        return f"{_words(lang)['kind_' + s.blowup.kind]} @ {s.blowup.epoch}"
    plateau = summary.plateau_of.get(s.seed)
    return plateau.label if plateau is not None else ""


def _pad(text: str, width: int) -> str:
    """`text` right-aligned in `width` terminal cells (Korean letters take two)."""
    cells = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return " " * max(0, width - cells) + text


def _num(x: float) -> str:
    return str(int(x)) if x == int(x) else f"{x:.1f}"


def to_document(result: SweepResult, curves: bool = False, lesson_id: str | None = None) -> dict:
    """Everything `--format json` writes (curves only if asked: 200 numbers a seed)."""
    summary = summarize(result)
    c = result.config
    dist = summary.first_full
    document = {
        "lesson": lesson_id,
        "config": {
            "dataset": c.dataset,
            "hidden": list(c.hidden),
            "activation": c.activation,
            "optimizer": c.optimizer,
            "loss": c.loss,
            "lr": c.lr,
        },
        "seed_count": len(result.seeds),
        "epochs": result.epochs,
        "last_epoch": result.last_epoch,
        "stopped": result.stopped,
        "exact": result.exact,
        "seconds": round(result.seconds, 3),
        "summary": {
            "learned": summary.learned,
            "fraction_learned": summary.learned / summary.seeds,
            "first_full_accuracy": None
            if dist is None
            else {
                "min": dist.min,
                "q1": dist.q1,
                "median": dist.median,
                "q3": dist.q3,
                "max": dist.max,
                "mean": dist.mean,
            },
            "stuck": [
                {
                    "plateau": g.plateau.label if g.plateau else None,
                    "value": g.plateau.value if g.plateau else None,
                    "seeds": list(g.seeds),
                }
                for g in summary.stuck
            ],
            "blown_up": summary.blown_up,
        },
        "per_seed": [_seed_row(s, summary) for s in result.seeds],
    }
    if curves:
        document["curve_epochs"] = list(result.curve_epochs)
        for row, s in zip(document["per_seed"], result.seeds):
            row["curve"] = [_json_float(v) for v in s.curve]
    return document


def to_json(result: SweepResult, curves: bool = False, lesson_id: str | None = None) -> str:
    return json.dumps(to_document(result, curves, lesson_id), ensure_ascii=False, allow_nan=False)


CSV_COLUMNS = (
    "seed",
    "first_full_accuracy",
    "last_epoch",
    "final_loss",
    "final_accuracy",
    "plateau",
    "blowup",
    "blowup_epoch",
)


def to_csv(result: SweepResult) -> str:
    """A row per seed (columns: CSV_COLUMNS); empty cells where there is nothing to say."""
    summary = summarize(result)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for s in result.seeds:
        row = _seed_row(s, summary)
        writer.writerow("" if row[column] is None else row[column] for column in CSV_COLUMNS)
    return out.getvalue()


def _seed_row(s: SeedResult, summary: SweepSummary) -> dict:
    plateau = summary.plateau_of.get(s.seed)
    return {
        "seed": s.seed,
        "first_full_accuracy": s.first_full_accuracy,
        "last_epoch": s.last_epoch,
        "final_loss": _json_float(s.final_loss),
        "final_accuracy": s.final_accuracy,
        "plateau": plateau.label if plateau is not None else None,
        "blowup": s.blowup.kind if s.blowup else None,
        "blowup_epoch": s.blowup.epoch if s.blowup else None,
    }


def _json_float(x: float) -> float | None:
    return x if math.isfinite(x) else None
