"""The figures the README's lessons table states about runs, checked against the engine: a number a
learner reads on the front page is one the engine produces (the batched sweep, which equals the
single engine seed for seed)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from core.lessons import lesson
from core.sweep.sweep import run_sweep

README = (Path(__file__).resolve().parents[2] / "README.md").read_text()


def _row(lesson_id: str) -> str:
    return next(line for line in README.splitlines() if line.startswith(f"| `{lesson_id}` |"))


def _sweep(lesson_id: str, seeds: range):
    spec = lesson(lesson_id)
    return run_sweep(spec.config, seeds, spec.epochs, curve_points=2)


@pytest.mark.parametrize("lesson_id", ["and", "xor-mlp"])
def test_the_first_epochs_at_100_percent_over_seeds_0_to_19(lesson_id):
    first, last, seeds = map(int, re.search(r"(\d+)-(\d+) \(seeds 0-(\d+)\)", _row(lesson_id)).groups())
    result = _sweep(lesson_id, range(seeds + 1))
    reached = [result.seed(s).first_full_accuracy for s in range(seeds + 1)]
    assert None not in reached
    assert (min(reached), max(reached)) == (first, last)


def test_xor_mlps_loss_at_5000_and_xor_2_2_1s_first_whole_epoch():
    loss = float(re.search(r"loss ~([\d.]+) at 5000", _row("xor-mlp")).group(1))
    assert f"{_sweep('xor-mlp', range(1)).seed(0).final_loss:.4f}" == f"{loss:.4f}"
    epoch = int(re.search(r"every row right from epoch (\d+)", _row("xor-2-2-1")).group(1))
    assert _sweep("xor-2-2-1", range(1)).seed(0).first_full_accuracy == epoch


def test_xor_stays_at_ln_2():
    assert "0.6931" in _row("xor")
    assert f"{_sweep('xor', range(1)).seed(0).final_loss:.4f}" == "0.6931"
