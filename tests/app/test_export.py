"""Saving, continuing and exporting from the command line: train --save/--open, and export's four
kinds, each checked against what it claims (the script's log, the state dict's predictions)."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import torch
from torch import nn

from core.config import TrainConfig
from core.files.exports import script
from core.files.session_file import SavedRun, read_session, save_session
from core.network import build_model, init_parameters
from core.trainer import Trainer
from tui.__main__ import main

ROOT = Path(__file__).resolve().parents[2]
PLAIN_ENV = {k: v for k, v in os.environ.items() if k not in ("MKL_CBWR", "ATEN_CPU_CAPABILITY")}


def _run(capsys, *argv):
    status = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return status, out, err


def _refused(capsys, *argv) -> str:
    with pytest.raises(SystemExit) as exit_:
        main([str(a) for a in argv])
    out, err = capsys.readouterr()
    assert exit_.value.code == 2 and out == "" and len(err.splitlines()) == 1, err
    return err


def _python(path: Path) -> str:
    """Run a file with plain Python and torch: no perceptron-lab, and none of its settings in the environment."""
    result = subprocess.run(
        [sys.executable, str(path)], capture_output=True, text=True, env=PLAIN_ENV, cwd=path.parent, timeout=300
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def _teachers_run(path: Path) -> None:
    """XNOR with 3 tanh hidden neurons, seed 5, trained to 800, branched at 400 with a lower lr, saved."""
    trainer = Trainer(TrainConfig(dataset="xnor", hidden=(3,), activation="tanh", seed=5))
    trainer.run(to_epoch=800)
    trainer.rewind(400)
    trainer.set_lr(0.3)
    trainer.run(to_epoch=800)
    save_session(path, SavedRun.of(trainer, None, epochs=800, view=400))


# --- train --save and --open -----------------------------------------------------------------------


def test_continuing_a_saved_run_prints_the_log_of_one_run_straight_through(capsys, tmp_path):
    path = tmp_path / "run.json"
    status, first, err = _run(capsys, "train", "xor-mlp", "--epochs", "400", "--save", path)
    assert status == 0 and "saved the run (epochs 0 to 400)" in err
    assert read_session(path).last_epoch == 400
    _, continued, _ = _run(capsys, "train", "--open", path, "--epochs", "800")
    _, straight, _ = _run(capsys, "train", "xor-mlp", "--epochs", "800")
    assert continued == straight and continued.splitlines()[-1].startswith("Epoch: 800/800")
    _, again, _ = _run(capsys, "train", "--open", path)  # to its own goal: the log it printed
    assert again == first


def test_a_continued_run_saved_again_opens_where_it_stopped(capsys, tmp_path):
    path = tmp_path / "run.json"
    _teachers_run(path)
    _run(capsys, "train", "--open", path, "--epochs", "1200", "--save", path, "--format", "json")
    saved = read_session(path)
    assert saved.last_epoch == 1200 and saved.goal == 1200 and saved.epochs == 800 and saved.view is None
    assert saved.lr_changes == ((400, 0.3),)
    _, out, _ = _run(capsys, "train", "--open", path, "--format", "json")
    document = json.loads(out)
    assert document["lesson"] == "experiment" and document["config"]["dataset"] == "xnor"
    assert document["log"][-1]["epoch"] == 1200
    # The teacher-and-student story: the student continued the teacher's run; its script reproduces the log.
    _, logged, _ = _run(capsys, "train", "--open", path)
    _run(capsys, "export", path, "--to", "script", "--output", tmp_path / "student.py")
    assert _python(tmp_path / "student.py") == logged and logged.splitlines()[-1].startswith("Epoch: 1200/1200")


def test_a_run_whose_replay_differs_is_opened_with_a_warning(capsys, tmp_path):
    path = tmp_path / "run.json"
    _run(capsys, "train", "and", "--epochs", "50", "--save", path)
    document = json.loads(path.read_text())
    document["record"]["sha256"] = "f" * 64
    path.write_text(json.dumps(document))
    status, out, err = _run(capsys, "train", "--open", path)
    assert status == 0 and out.splitlines()[-1].startswith("Epoch: 50/50")
    assert "does not give the numbers it was saved with" in err.splitlines()[0]


@pytest.mark.parametrize(
    "argv,names",
    [
        (["train"], "LESSON"),
        (["train", "and", "--open", "{path}"], "not both"),
        (["train", "--open", "{path}", "--hidden", "4"], "--hidden cannot be used with a session file"),
        (["train", "--open", "{path}", "--lr", "0.5"], "--lr cannot be used"),
        (["train", "--open", "{path}", "--epochs", "20"], "before the saved run's last epoch, 50"),
        (["train", "--open", "{dir}"], "it is a directory"),
        (["train", "--open", "{dir}/missing.json"], "there is no such file"),
        (["train", "--open", "{dir}/empty.json"], "it is empty"),
        (["train", "and", "--save", "{dir}/no/such/dir.json"], "there is no directory"),
        (["train", "and", "--save", "{dir}"], "it is a directory"),
    ],
)
def test_bad_session_options_and_files_get_one_line_and_exit_2(capsys, tmp_path, argv, names):
    path = tmp_path / "run.json"
    _run(capsys, "train", "and", "--epochs", "50", "--save", path)
    (tmp_path / "empty.json").write_bytes(b"")
    err = _refused(capsys, *(a.format(path=path, dir=tmp_path) for a in argv))
    assert names in err


# --- export: script --------------------------------------------------------------------------------


def test_the_exported_script_of_a_saved_run_prints_what_train_prints(capsys, tmp_path):
    path = tmp_path / "teacher.json"
    _teachers_run(path)
    _, logged, _ = _run(capsys, "train", "--open", path)
    status, _, err = _run(capsys, "export", path, "--to", "script", "--output", tmp_path / "xnor.py")
    assert status == 0 and "wrote" in err
    text = (tmp_path / "xnor.py").read_text()
    assert "nn.Tanh()" in text and "torch.manual_seed(5)" in text and "lr_changes = {400: 0.3}" in text
    assert text.index('os.environ["MKL_CBWR"]') < text.index("\nimport torch\n")
    assert _python(tmp_path / "xnor.py") == logged


def test_the_script_of_a_lesson_with_options_and_of_a_blowup_print_what_train_prints(capsys, tmp_path):
    cases = {
        "own.py": ["xor", "--dataset", "분류=01101000", "--hidden", "5,3", "--activation", "relu", "--optimizer",
                   "adam", "--loss", "mse", "--seed", "9", "--epochs", "700", "--lang", "ko"],
        "boom.py": ["xor-mlp", "--lr", "1000"],
    }  # fmt: skip
    for name, argv in cases.items():
        _, logged, _ = _run(capsys, "train", *argv)
        _run(capsys, "export", *argv, "--to", "script", "--output", tmp_path / name)
        assert _python(tmp_path / name) == logged, name
    assert "# perceptron-lab stopped the run here:" in (tmp_path / "boom.py").read_text()
    assert "진리표 분류" in (tmp_path / "own.py").read_text()  # comments in the learner's language


@pytest.mark.parametrize(
    "config",
    [
        TrainConfig(dataset="xor", hidden=(64, 32, 16), seed=0),
        TrainConfig(dataset="parity3", hidden=(4, 3), activation="tanh", seed=12345),
        TrainConfig(dataset="and", seed=2**40),
    ],
)
def test_the_scripts_seed_and_model_start_from_the_engines_initial_weights(config):
    source = script(config, 10)
    namespace: dict = {"print": lambda *a, **k: None}
    exec(compile(source.split("\noptimizer = ")[0], "<script>", "exec"), namespace)
    theirs = namespace["model"].state_dict()
    ours = build_model(config.sizes, config.activation)
    init_parameters(ours, config.seed)
    assert list(theirs) == list(ours.state_dict())
    assert all(torch.equal(theirs[k], v) for k, v in ours.state_dict().items())


# --- export: csv, state-dict, svg -----------------------------------------------------------------------


def test_csv_holds_every_epoch_as_train_writes_its_rows(capsys, tmp_path):
    path = tmp_path / "run.json"
    _teachers_run(path)
    _run(capsys, "export", path, "--to", "csv", "--output", tmp_path / "run.csv")
    _, rows, _ = _run(capsys, "train", "--open", path, "--format", "csv", "--log-every", "1")
    text = (tmp_path / "run.csv").read_text()
    assert text == rows
    table = list(csv.DictReader(io.StringIO(text)))
    assert len(table) == 801 and list(table[0]) == ["epoch", "loss", "accuracy", "p_00", "p_01", "p_10", "p_11"]


def test_the_state_dict_loads_with_weights_only_into_the_same_sequential(capsys, tmp_path):
    path = tmp_path / "run.json"
    _teachers_run(path)  # saved with epoch 400 on view
    trainer = read_session(path).replay()
    for argv, epoch in (([], 400), (["--epoch", "650"], 650)):
        out = tmp_path / f"w{epoch}.pt"
        _run(capsys, "export", path, "--to", "state-dict", "--output", out, *argv)
        state = torch.load(out, weights_only=True)
        model = nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Linear(3, 1), nn.Sigmoid())
        model.load_state_dict(state)
        X = torch.FloatTensor([[0, 0], [0, 1], [1, 0], [1, 1]])
        with torch.no_grad():
            predictions = model(X).view(-1).tolist()
        assert predictions == trainer.history.predictions(epoch)


def test_svg_is_the_apps_screen_at_the_epoch_on_view(capsys, tmp_path):
    path = tmp_path / "run.json"
    _teachers_run(path)
    status, _, _ = _run(capsys, "export", path, "--to", "svg", "--output", tmp_path / "s.svg", "--size", "100x30")
    svg = (tmp_path / "s.svg").read_text()
    assert status == 0 and svg.startswith("<svg") and "Your&#160;experiment:&#160;xnor" in svg
    assert "Epoch:&#160;400/800" in svg  # the epoch on view when it was saved


# --- export: refusals ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "argv,names",
    [
        (["and", "--to", "csv", "--output", "{dir}/exists.csv"], "already exists: --force replaces it"),
        (["and", "--to", "csv", "--output", "{dir}/no/dir.csv"], "there is no directory"),
        (["and", "--to", "csv", "--output", "{dir}"], "it is a directory"),
        (["and", "--to", "csv", "--output", ""], "is not a file name"),
        (["and", "--to", "pdf", "--output", "{dir}/x"], "script, csv, state-dict, svg"),
        (["and", "--to", "csv"], "--output"),
        (["and", "--to", "csv", "--output", "{dir}/x", "--epoch", "3"], "--epoch is for state-dict and svg"),
        (["and", "--to", "state-dict", "--output", "{dir}/x", "--epoch", "1001"], "--epoch must be from 0 to 1000"),
        (
            ["xor-mlp", "--lr", "1000", "--to", "state-dict", "--output", "{dir}/x", "--epoch", "9"],
            "stopped at epoch 1",
        ),
        (["and", "--to", "svg", "--output", "{dir}/x", "--size", "60x20"], "80x24 to 400x200"),
        (["nothing", "--to", "csv", "--output", "{dir}/x"], "neither a lesson"),
        (["{dir}/exists.csv", "--to", "csv", "--output", "{dir}/x"], "it is not JSON"),
        (["{dir}/run.json", "--seed", "2", "--to", "csv", "--output", "{dir}/x"], "--seed cannot be used"),
    ],
)
def test_export_refuses_with_one_line_and_exit_2(capsys, tmp_path, argv, names):
    (tmp_path / "exists.csv").write_text("epoch\n")
    _run(capsys, "train", "and", "--epochs", "5", "--save", tmp_path / "run.json")
    err = _refused(capsys, "export", *(a.format(dir=tmp_path) for a in argv))
    assert names in err and err.startswith("perceptron-lab export: error:")
    assert (tmp_path / "exists.csv").read_text() == "epoch\n"


def test_force_replaces_an_existing_file(capsys, tmp_path):
    out = tmp_path / "and.csv"
    out.write_text("old")
    status, _, _ = _run(capsys, "export", "and", "--epochs", "3", "--to", "csv", "--output", out, "--force")
    assert status == 0 and out.read_text().startswith("epoch,loss") and len(out.read_text().splitlines()) == 5


def test_the_apps_open_option_checks_the_file_before_taking_the_screen(tmp_path):
    script_ = Path(sys.executable).parent / "perceptron-lab"
    (tmp_path / "bad.json").write_text('{"format": "perceptron-lab session", "version": 7}')
    trainer = Trainer(TrainConfig())
    trainer.step(3)
    save_session(tmp_path / "good.json", SavedRun.of(trainer, "and", epochs=1000))
    for name, expected in (("bad.json", "format version 7"), ("good.json", "the app needs a terminal")):
        result = subprocess.run(
            [str(script_), "--open", str(tmp_path / name)], capture_output=True, text=True, stdin=subprocess.DEVNULL,
            cwd=ROOT, timeout=60,
        )  # fmt: skip
        assert result.returncode == 2 and result.stderr.count("\n") == 1 and expected in result.stderr


def test_exporting_csv_never_loads_textual():
    code = (
        "import sys, tempfile, os\nfrom tui.__main__ import main\n"
        "out = os.path.join(tempfile.mkdtemp(), 'a.csv')\n"
        "main(['export', 'and', '--epochs', '2', '--to', 'csv', '--output', out])\n"
        "print([m for m in sys.modules if m.split('.')[0] in ('textual', 'rich', 'plotext')])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "[]"
