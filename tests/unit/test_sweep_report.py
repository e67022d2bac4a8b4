"""A sweep's report: learned and stuck seeds, the distribution of first epochs at 100 %, text, JSON, CSV."""

import csv
import io
import json
import math
import subprocess
import sys
from pathlib import Path

from core.config import TrainConfig
from core.sweep.sweep import SeedResult, SweepResult
from core.sweep.sweep_report import summarize, to_csv, to_document, to_json, to_text
from core.trainer import BlowUp

XOR_221 = TrainConfig(dataset="xor", hidden=(2,))


def _seed(seed, first=None, loss=0.001, accuracy=100.0, blowup=None, last=1000):
    return SeedResult(seed, first, last if blowup is None else blowup.epoch, loss, accuracy, blowup, (0.7, loss))


def _result(seeds, config=XOR_221, epochs=1000):
    return SweepResult(config, epochs, epochs, False, True, (0, epochs), tuple(seeds), 1.5)


SAMPLE = _result(
    [
        _seed(0, first=400),
        _seed(1, first=600),
        _seed(2, first=500),
        _seed(3, loss=0.3478, accuracy=75.0),  # near ln 2 / 2
        _seed(4, loss=0.4781, accuracy=75.0),  # near 3/4 H(1/3)
        _seed(5, loss=0.5500, accuracy=50.0),  # on the way somewhere
        _seed(6, loss=50.0, accuracy=50.0, blowup=BlowUp(2, "saturated", 50.0, 1.0)),
    ]
)


def test_summary_counts_learned_stuck_and_blown_up_seeds():
    summary = summarize(SAMPLE)
    assert summary.learned == 3
    assert (summary.first_full.min, summary.first_full.median, summary.first_full.max) == (400, 500, 600)
    stuck = {g.plateau.label if g.plateau else None: g.seeds for g in summary.stuck}
    assert stuck == {"ln 2 / 2": (3,), "3/4 H(1/3)": (4,), None: (5,)}
    assert summary.blown_up == {"saturated": 1}


def test_histogram_bins_have_round_edges_and_hold_every_seed():
    firsts = [2712, 2950, 3100, 3751, 3760, 4010, 4249]
    summary = summarize(_result([_seed(i, first=f) for i, f in enumerate(firsts)], epochs=5000))
    bins = summary.first_full.histogram(10)
    assert bins[0][0] == 2600 and bins[-1][1] == 4399 and len(bins) <= 10
    assert all(b - a + 1 == 200 for a, b, _ in bins)
    assert sum(c for _, _, c in bins) == len(firsts)


def test_text_names_the_plateaus_and_has_a_row_per_seed():
    text = to_text(SAMPLE, "en", lesson_id="xor-2-2-1")
    assert text.splitlines()[0].startswith("xor-2-2-1: XOR, 2-2-1 sigmoid, SGD lr 1, BCE: seeds 0-6, epochs 0-1000")
    assert "reached 100 % accuracy: 3 of 7 seeds (43 %)" in text
    assert "ln 2 / 2 = 0.3466 (2 rows at 0.5, the rest right): 1" in text
    assert "blown up: 1 (saturated 1)" in text
    lines = text.splitlines()
    rows = lines[lines.index("seed  first 100 %   final loss  accuracy  stuck at") + 1 :]
    assert len(rows) == 7 and rows[6].endswith("saturated @ 2")
    assert "정확도 100 % 도달: 시드 7개 중 3개" in to_text(SAMPLE, "ko")
    assert "\n   0" not in to_text(SAMPLE, rows=False)


def test_json_and_csv_carry_every_seed_and_no_nan():
    seeds = [
        *list(SAMPLE.seeds),
        _seed(7, loss=math.nan, accuracy=50.0, blowup=BlowUp(1, "non-finite", math.nan, 1e30)),
    ]
    result = _result(seeds)
    document = json.loads(to_json(result))
    assert document["summary"]["learned"] == 3 and document["seed_count"] == 8
    assert document["per_seed"][7] == {
        "seed": 7,
        "first_full_accuracy": None,
        "last_epoch": 1,
        "final_loss": None,
        "final_accuracy": 50.0,
        "plateau": None,
        "blowup": "non-finite",
        "blowup_epoch": 1,
    }
    assert "curve" not in document["per_seed"][0]
    assert to_document(result, curves=True)["per_seed"][0]["curve"] == [0.7, 0.001]
    rows = list(csv.DictReader(io.StringIO(to_csv(result))))
    assert [r["seed"] for r in rows] == [str(i) for i in range(8)]
    assert (
        rows[3]["plateau"] == "ln 2 / 2"
        and rows[0]["first_full_accuracy"] == "400"
        and rows[3]["first_full_accuracy"] == ""
    )


def test_the_report_module_does_not_load_torch():
    code = "import sys, core.sweep.sweep_report, core.sweep.plateaus; print('torch' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=Path(__file__).parents[2]
    )
    assert out.stdout.strip() == "False"
