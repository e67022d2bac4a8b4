"""The headless command: the notebook's log line, the formats, and one clear line for bad input."""

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import NOTEBOOK_MLP

from tui.__main__ import main

ROOT = Path(__file__).resolve().parents[2]
LOG_LINE = re.compile(r"^Epoch: \d+/\d+ Loss : [ -]\d+\.\d{4} Accuracy:\d+\.\d{2}%$")


def _run(capsys, *argv):
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_train_prints_the_notebooks_log_line(capsys):
    status, out, err = _run(capsys, "train", "and")
    lines = out.splitlines()
    assert status == 0
    assert len(lines) == 11 and all(LOG_LINE.match(line) for line in lines)
    assert lines[0].startswith("Epoch: 0/1000 Loss :  0.") and lines[-1].startswith("Epoch: 1000/1000 Loss :  0.0")
    assert lines[-1].endswith("Accuracy:100.00%")
    assert "1001 epochs" in err and "100% accuracy first at epoch" in err


def test_the_mlp_lesson_prints_the_model_first_then_plateau_and_drop(capsys):
    _status, out, _ = _run(capsys, "train", "xor-mlp")
    model, log = out.split("\n\n", 1)
    assert model == NOTEBOOK_MLP
    lines = log.splitlines()
    assert len(lines) == 51 and all(LOG_LINE.match(line) for line in lines)
    assert "Loss :  0.693" in lines[10]  # epoch 1000: on the plateau
    assert lines[-1] == "Epoch: 5000/5000 Loss :  0.0004 Accuracy:100.00%"


def test_options_change_the_run(capsys):
    _, out, _ = _run(capsys, "train", "xor", "--hidden", "4", "--epochs", "3000", "--log-every", "1000", "--seed", "1")
    assert out.splitlines()[0] == "Sequential("
    assert out.splitlines()[-1].startswith("Epoch: 3000/3000")
    _, out, _ = _run(capsys, "train", "xor-mlp", "--hidden", "", "--epochs", "10", "--log-every", "5")
    assert [line.split()[1] for line in out.splitlines()] == ["0/10", "5/10", "10/10"]
    _, out, _ = _run(capsys, "train", "xor", "--dataset", "1000", "--epochs", "500", "--log-every", "500")
    assert out.splitlines()[-1].endswith("Accuracy:100.00%")  # NOR is learnable by one neuron


def test_json_output_holds_the_log_the_result_and_the_weights(capsys):
    status, out, _ = _run(capsys, "train", "or", "--format", "json", "--weights-at", "100")
    document = json.loads(out)
    assert status == 0 and document["lesson"] == "or"
    assert [row["epoch"] for row in document["log"]] == list(range(0, 1001, 100))
    assert document["result"]["accuracy"] == 100.0 and document["result"]["blowup"] is None
    weights = document["weights_at"]
    assert weights["epoch"] == 100 and len(weights["layers"][0]["weight"]) == 1
    assert weights["loss"] == document["log"][1]["loss"]


def test_csv_output_has_a_header_and_a_row_per_logged_epoch(capsys):
    _, out, _ = _run(capsys, "train", "xor", "--format", "csv", "--log-every", "250")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == ["epoch", "loss", "accuracy", "p_00", "p_01", "p_10", "p_11"]
    assert [int(r["epoch"]) for r in rows] == [0, 250, 500, 750, 1000]
    assert abs(float(rows[-1]["loss"]) - 0.6931) < 1e-3


def test_weights_at_prints_that_epochs_parameters(capsys):
    from core.lessons import lesson
    from core.trainer import Trainer

    _, out, _ = _run(capsys, "train", "and", "--weights-at", "137")
    text = out.split("\n\n", 1)[1]
    trainer = Trainer(lesson("and").config)
    trainer.run(to_epoch=137)
    weights = trainer.history.weights_at(137)
    assert (
        text.splitlines()[0] == f"Parameters at epoch 137 (Epoch: 137/1000 Loss : {weights.loss: .4f} Accuracy:100.00%)"
    )
    assert f"{weights.layers[0].weight[0][1]: .4f}" in text and "0.bias  shape (1,)" in text


def test_a_blowup_stops_the_run_and_says_why(capsys):
    status, out, err = _run(capsys, "train", "xor-mlp", "--lr", "1000")
    assert status == 0
    assert out.splitlines()[-1] == "Epoch: 1/5000 Loss :  50.0000 Accuracy:50.00%"
    assert "stopped: At epoch 1" in err and "learning rate 1000 is far too high" in err


def test_adam_without_lr_gets_a_sensible_default(capsys):
    _, out, _ = _run(capsys, "train", "xor-mlp", "--optimizer", "adam", "--format", "json", "--epochs", "500")
    document = json.loads(out)
    assert document["config"]["lr"] == 0.01 and document["result"]["accuracy"] == 100.0


@pytest.mark.parametrize(
    "argv,names",
    [
        (
            ["train", "foo"],
            "unknown lesson 'foo': choose from neuron, perceptron-rule, and, or, xor, xor-mlp, xor-2-2-1",
        ),
        (["train", "and", "--lr", "0"], "--lr"),
        (["train", "and", "--lr", "-1"], "--lr"),
        (["train", "and", "--lr", "abc"], "--lr"),
        (["train", "and", "--lr", "nan"], "--lr"),
        (["train", "and", "--epochs", "0"], "--epochs"),
        (["train", "and", "--epochs", "10000001"], "10,000,000"),
        (["train", "and", "--hidden", "0"], "--hidden"),
        (["train", "and", "--hidden", "-3"], "--hidden"),
        (["train", "and", "--hidden", "a,b"], "--hidden"),
        (["train", "and", "--hidden", "1025"], "1 to 1024"),
        (["train", "and", "--weights-at", "1001"], "--weights-at"),
        (["train", "and", "--weights-at", "-1"], "--weights-at"),
        (["train", "and", "--activation", "gelu"], "sigmoid, tanh, relu"),
        (["train", "and", "--optimizer", "rmsprop"], "sgd, momentum, adam"),
        (["train", "and", "--loss", "hinge"], "bce, mse"),
        (["train", "and", "--log-every", "0"], "--log-every"),
        (["train", "and", "--format", "xml"], "text, json, csv"),
        (["train", "and", "--dataset", "nope"], "0110"),
        (["train", "and", "--format", "csv", "--weights-at", "3"], "--weights-at"),
        (["train"], "LESSON"),
        (["fly"], "COMMAND"),
    ],
)
def test_bad_input_gets_one_line_naming_the_option_and_exit_2(capsys, argv, names):
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    out, err = capsys.readouterr()
    assert exit_.value.code == 2 and out == ""
    assert len(err.splitlines()) == 1 and names in err and err.startswith("perceptron-lab")


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_a_lesson_given_as_a_command_says_how_to_open_it(capsys, lang):
    with pytest.raises(SystemExit) as exit_:
        main(["--lang", lang, "xor-mlp"])
    err = capsys.readouterr().err
    assert exit_.value.code == 2 and len(err.splitlines()) == 1
    assert "'xor-mlp'" in err and "perceptron-lab --lesson xor-mlp" in err and "COMMAND" not in err


def test_weights_at_beyond_a_run_that_blew_up_is_one_line(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["train", "xor-mlp", "--lr", "1000", "--weights-at", "100"])
    err = capsys.readouterr().err
    assert exit_.value.code == 2 and "--weights-at 100 is beyond the run: it stopped at epoch 1" in err.splitlines()[-1]


def test_lessons_and_datasets_list_what_there_is(capsys):
    _, out, _ = _run(capsys, "lessons", "--lang", "en")
    assert [line.split()[0] for line in out.splitlines()[:6]] == [
        "neuron",
        "perceptron-rule",
        "and",
        "or",
        "xor",
        "xor-mlp",
    ]
    assert "Backpropagation solves XOR" in out
    _, out, _ = _run(capsys, "lessons", "xor", "--lang", "ko")
    assert "퍼셉트론은 XOR를 풀지 못한다" in out and "1969" in out
    _, out, _ = _run(capsys, "datasets")
    assert "xor          2 inputs  outputs 0110      needs a hidden layer" in out and "parity3" in out


def test_the_installed_command_and_python_m_tui_answer_help_without_a_traceback():
    script = Path(sys.executable).parent / "perceptron-lab"
    for command in ([str(script), "--help"], [sys.executable, "-m", "tui", "train", "--help"]):
        result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
        assert result.returncode == 0 and "usage: perceptron-lab" in result.stdout and not result.stderr
    result = subprocess.run([str(script), "train", "and", "--lr", "x"], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_json_stays_valid_when_the_numbers_are_not(capsys):
    _, out, _ = _run(capsys, "train", "xor-mlp", "--activation", "relu", "--lr", "1e30", "--format", "json")

    def refuse(constant):
        raise AssertionError(f"{constant} is not JSON")

    document = json.loads(out, parse_constant=refuse)
    assert document["log"][-1]["loss"] is None and document["result"]["blowup"]["kind"] == "non-finite"


def test_ctrl_c_keeps_what_was_trained_and_says_where_it_stopped(capsys, monkeypatch):
    from core.trainer import Trainer

    run, calls = Trainer.run, []

    def interrupted_on_the_fourth_log(self, **kwargs):
        calls.append(kwargs)
        if len(calls) == 4:
            raise KeyboardInterrupt
        return run(self, **kwargs)

    monkeypatch.setattr(Trainer, "run", interrupted_on_the_fourth_log)
    status, out, err = _run(capsys, "train", "and", "--lang", "en")
    assert status == 130
    assert [line.split()[1] for line in out.splitlines()] == ["0/1000", "100/1000", "200/1000"]
    assert "interrupted: trained up to epoch 200" in err


@pytest.mark.parametrize(
    "epochs,every,shown",
    [(1000, 300, [0, 300, 600, 900, 1000]), (10, 100, [0, 10]), (10, 5, [0, 5, 10]), (1, 1, [0, 1])],
)
def test_train_trains_every_epoch_to_the_end_and_logs_the_last(capsys, epochs, every, shown):
    status, out, err = _run(capsys, "train", "and", "--epochs", str(epochs), "--log-every", str(every))
    assert status == 0 and [int(line.split()[1].split("/")[0]) for line in out.splitlines()] == shown
    assert f"{epochs + 1} epochs in" in err


def test_help_lists_every_command_and_speaks_korean_when_asked(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    for command in ("lessons", "datasets", "train"):
        assert f"    {command} " in out
    with pytest.raises(SystemExit):
        main(["train", "--help", "--lang", "ko"])
    out = capsys.readouterr().out
    assert out.startswith("사용법: perceptron-lab train") and "옵션:" in out and "학습률" in out


def test_a_korean_error_is_one_korean_line(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["train", "and", "--lr", "-1", "--lang", "ko"])
    err = capsys.readouterr().err
    assert (
        exit_.value.code == 2
        and err == "perceptron-lab train: 오류: 옵션 --lr: 학습률은 0보다 큰 수여야 합니다. '-1'은(는) 안 됩니다\n"
    )


@pytest.mark.parametrize(
    "argv,names",
    [
        (["--keymap", "step=q"], "'q' already belongs to quit"),
        (["--keymap", "step=hello"], "'hello' is not a key name"),
        (["--keymap", "jump=j"], "ID one of help, run"),
        (["--keymap", "step="], "ID one of"),
        (["--theme", "sparkly"], "unknown theme 'sparkly'"),
        ([], "the app needs a terminal"),
    ],
)
def test_the_apps_bad_options_and_no_terminal_are_one_line_exit_2(argv, names):
    script = Path(sys.executable).parent / "perceptron-lab"
    result = subprocess.run(
        [str(script), *argv], capture_output=True, text=True, cwd=ROOT, stdin=subprocess.DEVNULL, timeout=60
    )
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and names in result.stderr, result.stderr


def test_version_is_looked_up_only_when_asked(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0 and re.fullmatch(r"perceptron-lab \S+\n", capsys.readouterr().out)
    # the lookup (importlib.metadata, ~35 ms) is not part of every start
    probe = "import sys; from tui.__main__ import main; sys.exit('importlib.metadata' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", probe], check=False).returncode == 0


SLOW_START = """
import re, sys, time
from importlib.abc import MetaPathFinder

class SlowTorch(MetaPathFinder):  # start-up made 2 s slower: the engine's module takes that long to load
    def find_spec(self, name, path=None, target=None):
        if name == "core.trainer":
            time.sleep(2.0)
        return None

sys.meta_path.insert(0, SlowTorch())
from tui.__main__ import main
main(["train", "and", "--epochs", "1"])
"""


def test_the_summary_times_the_training_not_the_start_up():
    done = subprocess.run([sys.executable, "-c", SLOW_START], capture_output=True, text=True, cwd=ROOT, timeout=120)
    seconds = float(re.search(r"2 epochs in (\d+\.\d+) s", done.stderr)[1])
    assert seconds < 1.0, done.stderr  # two epochs of one neuron: milliseconds, not the 2 s of loading


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_log_line_trains_help_quotes_is_what_train_and_prints(capsys, lang):
    """It quoted the notebook's 0.1425 at epoch 100, from the notebook's own random start; seed 0 has 0.1387."""
    from core.words import say

    (quoted,) = re.findall(r"Epoch: \d+/\d+ Loss : +[\d.]+ Accuracy:[\d.]+%", say("cli.train.description", lang))
    _, out, _ = _run(capsys, "train", "and")
    assert quoted in out.splitlines()
