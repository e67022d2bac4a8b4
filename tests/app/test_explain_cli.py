"""perceptron-lab explain: the stages as text in both languages, every number as JSON (the same as
train --weights-at's), and one line with exit status 2 for bad input; lessons and train on the
lesson with no training."""

from __future__ import annotations

import json
import re

import pytest

from core.config import TrainConfig
from tui.__main__ import main


def _run(capsys, *argv):
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_text_shows_the_five_stages_with_the_numbers(capsys):
    status, out, _ = _run(capsys, "explain", "xor", "--hidden", "2", "--epoch", "5")
    assert status == 0
    assert out.startswith("Epoch 5 of xor: 2-2-1 sigmoid, BCE, SGD lr 1\n")
    titles = ["1. Forward pass", "2. Loss", "3. The output's error signal", "4. Backward pass", "5. Update"]
    assert [line for line in out.splitlines() if line[:2] in {"1.", "2.", "3.", "4.", "5."}] == titles
    assert "δ = (p − y)/n" in out and "multiplying by σ′(z) = p(1 − p) cancels it" in out
    assert "These new values are epoch 6's weights" in out
    assert max(len(line) for line in out.splitlines() if not line.startswith(" ")) <= 100


def test_text_in_korean_and_for_mse_adam(capsys):
    _, out, _ = _run(capsys, "explain", "xor", "--hidden", "2", "--loss", "mse", "--optimizer", "adam",
                     "--epoch", "3", "--lang", "ko")  # fmt: skip
    assert out.startswith("xor의 에포크 3: 2-2-1 sigmoid, MSE, Adam 학습률 0.01")
    assert "1. 순전파" in out and "평균 제곱 오차" in out and "δ = 2(p − y)/n · p(1 − p)" in out
    assert "t = 4:  1 − β₁ᵗ = 0.3439" in out and "m̂ = " in out


def test_korean_names_the_step_lr_times_the_gradient_and_an_experiment_in_words(capsys):
    """'학습률 lr = 1만큼 줄인 걸음' read as a step made smaller by 1; 'experiment의 에포크' named the run by its id."""
    from core.explain.explain_text import title

    _, out, _ = _run(capsys, "explain", "and", "--epoch", "0", "--lang", "ko")
    flat = " ".join(out.split())  # the text wraps
    assert "기울기에 학습률 lr = 1을(를) 곱한 만큼 걸음을 옮깁니다" in flat and "만큼 줄인" not in flat
    from core.explain.explain import explain
    from core.trainer import Trainer

    trainer = Trainer(TrainConfig(dataset="and"))
    trainer.run(to_epoch=1)
    explanation = explain(trainer.history, 0)
    assert title(explanation, "ko", "experiment").startswith("나의 실험의 에포크 0:")
    assert title(explanation, "en", "experiment").startswith("Epoch 0 of your experiment:")
    assert title(explanation, "en", "and").startswith("Epoch 0 of and:")


def _weights_at(capsys, *argv, epoch: int) -> dict:
    _, out, _ = _run(capsys, "train", *argv, "--epochs", str(epoch + 1), "--format", "json", "--weights-at", str(epoch))
    return json.loads(out)["weights_at"]


def test_json_has_every_number_and_they_are_trains(capsys):
    argv = ("xor", "--hidden", "2", "--activation", "relu", "--optimizer", "momentum", "--lr", "0.1")
    _, out, _ = _run(capsys, "explain", *argv, "--epoch", "9", "--format", "json")
    document = json.loads(out)
    layers = document["layers"]
    assert [layer["name"] for layer in layers] == ["0", "2"]
    assert set(layers[0]) >= {"weight", "bias", "weight_grad", "bias_grad", "weight_next", "bias_next"}
    now, after = _weights_at(capsys, *argv, epoch=9), _weights_at(capsys, *argv, epoch=10)
    for layer, w, w1 in zip(layers, now["layers"], after["layers"]):
        assert (layer["weight_grad"], layer["bias_grad"]) == (w["weight_grad"], w["bias_grad"])
        assert (layer["weight_next"], layer["bias_next"]) == (w1["weight"], w1["bias"])
    assert document["loss"] == now["loss"] and document["update"] == {
        "optimizer": "momentum", "lr": 0.1, "step": 10, "momentum": 0.9,
    }  # fmt: skip
    row = document["rows"][3]
    assert row["inputs"] == [1.0, 1.0] and row["target"] == 0.0
    assert [layer["name"] for layer in row["layers"]] == ["0", "2"] and len(row["layers"][0]["z"]) == 2
    assert row["output"] == row["layers"][1]["a"][0]
    assert set(layers[0]["state"]) == {"momentum"} and "path" not in document


def test_a_path_through_the_mlp(capsys):
    _, out, _ = _run(capsys, "explain", "xor-mlp", "--epoch", "10", "--path", "2,5,1,3")
    assert "x₂ → h¹₅ → h²₁ → h³₃ → ŷ" in out and "[63 more: " in out and "[15 more: " in out
    assert "w(h²₁→h³₃):" in out
    _, out, _ = _run(capsys, "explain", "xor-mlp", "--epoch", "10", "--path", "2,5,1,3", "--format", "json")
    path = json.loads(out)["path"]
    assert [(s["name"], s["source"], s["neuron"]) for s in path] == [("0", 1, 4), ("2", 4, 0), ("4", 0, 2), ("6", 2, 0)]


@pytest.mark.parametrize(
    "argv,says",
    [
        (["explain", "and", "--epoch", "1001"], "--epoch must be an epoch from 0 to 1000"),
        (["explain", "and", "--epoch", "20", "--epochs", "10"], "from 0 to 10"),
        (["explain", "and", "--epoch", "-1"], "--epoch"),
        (["explain", "xor-mlp", "--path", "3,1,1,1"], "1-2, 1-64, 1-32, 1-16"),
        (["explain", "xor-mlp", "--path", "1,1"], "4 neuron numbers"),
        (["explain", "xor-mlp", "--path", "a,b"], "not 'a,b'"),
        (["explain", "xor-mlp", "--lr", "1000", "--epoch", "5"], "it blew up and stopped at epoch 1"),
        (["explain", "and", "--format", "csv"], "text, json"),
        (["explain", "neuron"], "'neuron' has no training"),
        (["train", "neuron"], "'perceptron-lab lessons neuron' shows it"),
        (["explain", "neuron", "--lang", "ko"], "학습이 없습니다"),
        (["--lesson", "neuron"], "the app needs a terminal"),  # the app takes the lesson: only the pipe is refused
    ],
)
def test_bad_input_is_one_line_and_exit_2(capsys, argv, says):
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    out, err = capsys.readouterr()
    assert exit_.value.code == 2 and out == ""
    assert len(err.splitlines()) == 1 and says in err and err.startswith("perceptron-lab")


def test_the_epoch_a_run_blew_up_at_is_explained_as_not_applied(capsys):
    _, out, _ = _run(capsys, "explain", "xor-mlp", "--lr", "1000", "--epoch", "1")
    assert "The run stopped at this epoch (it blew up), so this update was never applied." in out
    _, out, _ = _run(capsys, "explain", "xor-mlp", "--lr", "1000", "--epoch", "1", "--format", "json")
    assert json.loads(out)["applied"] is False


def test_lessons_shows_the_neuron_first_with_weights_for_each_target(capsys):
    _, out, _ = _run(capsys, "lessons", "--lang", "en")
    assert out.splitlines()[0].split()[0] == "neuron" and "no training" in out.splitlines()[0]
    _, out, _ = _run(capsys, "lessons", "neuron", "--lang", "en")
    assert "1943" in out and "McCulloch" in out and "Pitts" in out
    assert "  AND      w₁ =  1   w₂ =  1   θ =  2" in out
    assert "  XOR      none: no line separates its 1s from its 0s" in out
    _, out, _ = _run(capsys, "lessons", "neuron", "--lang", "ko")
    assert "1943년" in out and "매컬러" in out and "피츠" in out and "XOR      없음" in out


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_engines_two_steps_read_as_two_values_not_one_equation(capsys, lang):
    """'[∂L/∂p = 0.5226 · p(1 − p) = 0.2495]' read as ∂L/∂p = 0.5226·p(1 − p); it meant two numbers."""
    _, out, _ = _run(capsys, "explain", "xor", "--hidden", "2", "--epoch", "5", "--lang", lang)
    brackets = [line.split("[", 1)[1] for line in out.splitlines() if "[∂L/∂p" in line]
    assert len(brackets) == 4 and "(0,0): (0.5216 − 0)/4 = 0.1304    [∂L/∂p = 0.5226, p(1 − p) = 0.2495]" in out
    for bracket in brackets:
        _slope, sigmoid = re.fullmatch(r"∂L/∂p = (-?[\d.]+), p\(1 − p\) = ([\d.]+)\]", bracket).groups()
        assert 0 < float(sigmoid) <= 0.25
