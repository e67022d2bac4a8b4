"""`perceptron-lab course`: the steps, a learner's report in text, JSON and CSV, a teacher's table
from several files, and bad files as one line each, never a traceback."""

from __future__ import annotations

import csv
import io
import json

import pytest

from core.course.steps import STEPS
from core.files.progress_file import ComparedRun, Progress, write_progress
from tui.__main__ import main


def _learner(tmp_path, name: str, corner: str, matched: bool):
    progress = Progress(current="xor-loss")
    progress.predicted("xor-corner", corner)
    progress.compared("xor-corner", ["00", "11"], matched, ComparedRun("xor", 0, 1.0, 1000))
    progress.predicted("xor-loss", 0.7)
    path = tmp_path / f"{name}.json"
    write_progress(path, progress)
    return path


def test_the_steps_are_listed(capsys):
    assert main(["course", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert all(step.title("en") in out for step in STEPS)


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_with_no_progress_every_step_is_not_yet_answered(lang, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    assert main(["course", "--report", "--lang", lang]) == 0
    out = capsys.readouterr().out
    from core.words import say

    assert out.count(say("cli.course.not_answered", lang)) == len(STEPS)


def test_a_learners_report_in_text_json_and_csv(tmp_path, capsys):
    path = _learner(tmp_path, "ana", "00", True)
    assert main(["course", "--report", "--progress", str(path), "--lang", "en"]) == 0
    text = capsys.readouterr().out
    assert "prediction: (0, 0)" in text and "the run said: (0, 0), (1, 1)   matched: yes" in text
    assert "predicted, not yet compared" in text and "xor, seed 0, lr 1, epoch 1000" in text
    assert "1 of 1 answered steps matched" in text

    assert main(["course", "--report", "--progress", str(path), "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert len(rows) == len(STEPS)
    corner = next(r for r in rows if r["id"] == "xor-corner")
    assert corner["prediction"] == "00" and corner["actual"] == ["00", "11"] and corner["matched"] is True
    assert corner["run"] == {"lesson": "xor", "seed": 0, "lr": 1.0, "epoch": 1000}

    assert main(["course", "--report", "--progress", str(path), "--format", "csv"]) == 0
    table = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(table) == len(STEPS)
    corner = next(r for r in table if r["id"] == "xor-corner")
    assert corner["actual"] == "00 11" and corner["matched"] == "true" and corner["seed"] == "0"


def test_a_teachers_table_counts_what_each_question_was_predicted(tmp_path, capsys):
    paths = [
        _learner(tmp_path, "a", "00", True),
        _learner(tmp_path, "b", "01", False),
        _learner(tmp_path, "c", "00", True),
    ]
    assert main(["course", "--report", "--progress", *map(str, paths), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "3 learners" in out
    assert "2 predicted (0, 0) (2 matched the run)" in out and "1 predicted (0, 1) (0 matched the run)" in out

    assert main(["course", "--report", "--progress", *map(str, paths), "--format", "json"]) == 0
    table = {row["id"]: row for row in json.loads(capsys.readouterr().out)}
    assert table["xor-corner"]["predictions"] == [
        {"prediction": "00", "count": 2, "matched": 2},
        {"prediction": "01", "count": 1, "matched": 0},
    ]
    assert table["neuron-and"]["predictions"] == []

    assert main(["course", "--report", "--progress", *map(str, paths), "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert {(r["id"], r["prediction"], r["count"]) for r in rows} >= {
        ("xor-corner", "00", "2"),
        ("xor-loss", "0.7", "3"),
    }


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_bad_files_are_one_line_each_and_the_others_still_count(lang, tmp_path, capsys):
    good = _learner(tmp_path, "good", "00", True)
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "perceptron-lab progress", "version": 1, "answers": ')
    assert (
        main(["course", "--report", "--progress", str(good), str(broken), str(tmp_path / "none.json"), "--lang", lang])
        == 1
    )
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert len(lines) == 3 and all(line.startswith("perceptron-lab course: ") for line in lines)
    assert "Traceback" not in captured.err and captured.out
    assert main(["course", "--report", "--progress", str(broken), "--lang", lang]) == 2
    assert capsys.readouterr().err.count("\n") == 1
