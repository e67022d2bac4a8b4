"""`perceptron-lab sweep`: its formats, a seed's row against the single engine, the progress bar only
on a terminal, Ctrl-C, and one line for bad input."""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import re
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from core.sweep.sweep_report import CSV_COLUMNS
from tui.__main__ import main

ROOT = Path(__file__).resolve().parents[2]


def _run(capsys, *argv):
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_the_text_report_counts_the_seeds_that_learn_and_names_where_the_rest_stuck(capsys):
    status, out, err = _run(capsys, "sweep", "xor", "--hidden", "2", "--seeds", "12", "--epochs", "3000")
    assert status == 0
    lines = out.splitlines()
    assert lines[0].startswith("xor: XOR, 2-2-1 sigmoid, SGD lr 1, BCE: seeds 0-11, epochs 0-3000")
    assert "reached 100 % accuracy:" in out and "of 12 seeds" in out
    assert "ln 2 / 2 = 0.3466 (2 rows at 0.5, the rest right)" in out  # seed 5 sits there
    rows = [line for line in lines if line[:4].strip().isdigit() and "%" in line]
    assert [int(row.split()[0]) for row in rows] == list(range(12))
    # Piped (not a terminal): no progress bar, only the one summary line.
    assert "\r" not in err and err.count("\n") == 1 and "12 seeds × 3001 epochs" in err


def test_a_seeds_row_is_the_single_engines_run_of_that_seed(capsys):
    from core.config import TrainConfig
    from core.trainer import Trainer

    _, out, _ = _run(capsys, "sweep", "xor", "--hidden", "2", "--seeds", "4", "--seed-start", "3", "--format", "json")
    document = json.loads(out)
    assert [row["seed"] for row in document["per_seed"]] == [3, 4, 5, 6]
    for row in document["per_seed"]:
        trainer = Trainer(TrainConfig(dataset="xor", hidden=(2,), seed=row["seed"]))
        trainer.run(to_epoch=1000)
        assert row["first_full_accuracy"] == trainer.history.first_epoch_where(100.0)
        assert row["final_loss"] == trainer.history.loss(1000)


def test_json_holds_the_summary_and_curves_when_asked(capsys):
    status, out, _ = _run(capsys, "sweep", "and", "--seeds", "3", "--epochs", "300", "--format", "json", "--curves")
    document = json.loads(out)
    assert status == 0 and document["lesson"] == "and" and document["seed_count"] == 3
    assert document["summary"]["learned"] == 3 and document["exact"] is True and document["stopped"] is False
    assert len(document["curve_epochs"]) == len(document["per_seed"][0]["curve"]) <= 200
    _, out, _ = _run(capsys, "sweep", "and", "--seeds", "3", "--epochs", "300", "--format", "json")
    assert "curve" not in json.loads(out)["per_seed"][0]


def test_csv_is_a_header_and_a_row_per_seed(capsys):
    status, out, _ = _run(capsys, "sweep", "or", "--seeds", "5", "--seed", "10", "--epochs", "200", "--format", "csv")
    rows = list(csv.reader(io.StringIO(out)))
    assert status == 0 and tuple(rows[0]) == CSV_COLUMNS
    assert [int(row[0]) for row in rows[1:]] == [10, 11, 12, 13, 14]


def test_korean_report_and_help(capsys):
    _, out, err = _run(capsys, "sweep", "and", "--seeds", "2", "--epochs", "100", "--lang", "ko")
    assert "정확도 100 % 도달: 시드 2개 중" in out and "시드 2개 × 에포크 101개" in err
    with pytest.raises(SystemExit):
        main(["sweep", "--help", "--lang", "ko"])
    help_text = capsys.readouterr().out
    assert help_text.startswith("사용법: perceptron-lab sweep") and "--seed-start" in help_text
    assert "--open" not in help_text  # a sweep takes a lesson, not a session file


@pytest.mark.parametrize(
    "argv,names",
    [
        (["sweep", "and", "--seeds", "0"], "--seeds"),
        (["sweep", "and", "--seeds", "10001"], "10,000"),
        (["sweep", "and", "--seeds", "many"], "--seeds"),
        (["sweep", "and", "--seed-start", "-1"], "--seed-start"),
        (["sweep", "and", "--seed-start", "9223372036854775807", "--seeds", "2"], "largest seed"),
        (["sweep", "and", "--seed", "3", "--seed-start", "4"], "give one"),
        (["sweep", "and", "--format", "xml"], "text, json, csv"),
        (["sweep", "and", "--curves"], "--curves"),
        (["sweep", "and", "--lr", "0"], "--lr"),
        (["sweep", "and", "--epochs", "0"], "--epochs"),
        (["sweep", "and", "--open", "run.json"], "--open"),
        (["sweep", "nand"], "unknown lesson 'nand'"),
        (["sweep", "neuron"], "no training"),
        (["sweep"], "LESSON"),
    ],
)
def test_bad_input_is_one_line_naming_the_option_and_exit_2(capsys, argv, names):
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    out, err = capsys.readouterr()
    assert exit_.value.code == 2 and out == ""
    assert len(err.splitlines()) == 1 and names in err and err.startswith("perceptron-lab sweep"), err


def _read_until(fd: int, needle: bytes, timeout: float) -> bytes:
    seen, deadline = b"", time.monotonic() + timeout
    while needle not in seen and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                seen += os.read(fd, 65536)
            except OSError:
                break
    return seen


def test_on_a_terminal_a_progress_bar_and_ctrl_c_reports_what_was_done():
    """stderr on a pseudo-terminal (stdout piped): the bar is drawn in place; Ctrl-C stops the sweep
    at its next epoch, the report says where, and the exit status is 130."""
    master, slave = pty.openpty()
    script = Path(sys.executable).parent / "perceptron-lab"
    argv = [str(script), "sweep", "xor-mlp", "--seeds", "50", "--epochs", "1000000", "--lang", "en"]
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=slave, stdin=subprocess.DEVNULL, cwd=ROOT)
    os.close(slave)
    try:
        seen = _read_until(master, b"at 100 %", timeout=60)
        assert b"\r[" in seen and b"% \xc2\xb7 epoch " in seen, seen[-300:]
        process.send_signal(signal.SIGINT)
        out, _ = process.communicate(timeout=30)
        seen += _read_until(master, b"interrupted", timeout=5)
    finally:
        if process.poll() is None:
            process.kill()
        os.close(master)
    assert process.returncode == 130
    report = out.decode()
    assert report.startswith("xor-mlp: XOR, 2-64-32-16-1") and "stopped at epoch" in report
    assert len([line for line in report.splitlines() if re.match(r"^ *\d+ +(-|\d+) +\d+\.\d+ ", line)]) == 50
    assert b"interrupted: every seed was trained up to epoch" in seen
    assert b"\r\x1b[K" in seen  # the bar is wiped before the summary
