"""`train perceptron-rule`: a log line of mistakes an epoch, Novikoff's bound or the cycle after it,
`--format json` with the same facts, and one line for what the rule has no use for."""

from __future__ import annotations

import json
import re

import pytest

from core.words import say
from tui.__main__ import main

RULE_LINE = re.compile(r"^Epoch: \d+/\d+ Mistakes: \d+ So far: \d+ Accuracy:\d+\.\d{2}%$")


def _run(capsys, *argv):
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_and_logs_its_mistakes_every_epoch_and_the_bound(capsys):
    status, out, err = _run(capsys, "train", "perceptron-rule", "--lang", "en")
    log, verdict = out.rstrip("\n").split("\n\n")
    lines = log.splitlines()
    assert status == 0 and len(lines) == 21 and all(RULE_LINE.match(line) for line in lines)
    assert lines[:6] == [
        "Epoch: 0/20 Mistakes: 2 So far: 2 Accuracy:25.00%",
        "Epoch: 1/20 Mistakes: 3 So far: 5 Accuracy:25.00%",
        "Epoch: 2/20 Mistakes: 3 So far: 8 Accuracy:50.00%",
        "Epoch: 3/20 Mistakes: 2 So far: 10 Accuracy:75.00%",
        "Epoch: 4/20 Mistakes: 1 So far: 11 Accuracy:50.00%",
        "Epoch: 5/20 Mistakes: 0 So far: 11 Accuracy:100.00%",
    ]
    assert lines[-1] == "Epoch: 20/20 Mistakes: 0 So far: 11 Accuracy:100.00%"
    assert verdict == say("app.rule.converged", "en", first=5, total=11, bound=51, r2="3", g2="1/17")
    assert "100% accuracy first at epoch 5" in err


def test_or_stops_within_its_bound_and_xor_cycles(capsys):
    _, out, _ = _run(capsys, "train", "perceptron-rule", "--dataset", "or", "--lang", "en")
    assert out.rstrip().endswith(say("app.rule.converged", "en", first=3, total=5, bound=27, r2="3", g2="1/9"))
    _, out, _ = _run(capsys, "train", "perceptron-rule", "--dataset", "xor", "--epochs", "6", "--lang", "en")
    log, verdict = out.rstrip("\n").split("\n\n")
    assert [line.split()[3] for line in log.splitlines()] == ["3", "3", "4", "4", "4", "4", "4"]
    assert verdict.startswith("No line separates XOR") and "first appeared at epoch 2" in verdict


def test_korean_log_and_verdict(capsys):
    _, out, _ = _run(capsys, "train", "perceptron-rule", "--dataset", "xor", "--epochs", "3", "--lang", "ko")
    log, verdict = out.rstrip("\n").split("\n\n")
    assert log.splitlines()[0] == say("cli.rule.log", "ko", epoch=0, epochs=3, mistakes=3, so_far=3, accuracy=50.0)
    assert verdict == say("app.rule.cycle.one", "ko", dataset="XOR", seen=2, per_cycle=4)


def test_json_has_the_mistakes_the_bound_and_the_cycle(capsys):
    _, out, _ = _run(capsys, "train", "perceptron-rule", "--format", "json", "--epochs", "8")
    document = json.loads(out)
    assert document["config"] == {"dataset": "and", "lr": 1.0, "seed": 0, "sizes": [2, 1]}
    assert [row["mistakes"] for row in document["log"]] == [2, 3, 3, 2, 1, 0, 0, 0, 0]
    assert document["log"][8]["mistakes_so_far"] == 11 and "loss" not in document["log"][0]
    assert document["result"]["mistakes"] == 0 and document["result"]["first_epoch_at_100"] == 5
    rule = document["rule"]
    assert rule["novikoff"]["R_squared"] == "3" and rule["novikoff"]["gamma_squared"] == "1/17"
    assert rule["novikoff"]["bound"] == 51 and abs(rule["novikoff"]["gamma"] - 17**-0.5) < 1e-15
    assert rule["outcome"] == {
        "converged": True,
        "first_epoch": 5,
        "period": 1,
        "mistakes_per_cycle": 0,
        "mistakes_before": 11,
    }
    _, out, _ = _run(capsys, "train", "perceptron-rule", "--dataset", "xor", "--format", "json", "--epochs", "4")
    rule = json.loads(out)["rule"]
    assert rule["novikoff"] is None and rule["outcome"]["period"] == 1 and rule["outcome"]["mistakes_per_cycle"] == 4


def test_seed_and_lr_change_the_start_and_weights_at_shows_them(capsys):
    _, out, _ = _run(
        capsys, "train", "perceptron-rule", "--seed", "2", "--lr", "0.1", "--epochs", "3", "--weights-at", "0"
    )
    assert "Parameters at epoch 0 (Epoch: 0/3 Mistakes: 1 So far: 1 Accuracy:75.00%)" in out
    from fractions import Fraction

    from core.rule import initial_weights

    assert initial_weights(2, 2) == (Fraction(-43, 100), Fraction(-39, 100), Fraction(-40, 100))
    assert "0.weight  shape (1, 2)\n  -0.4300 -0.3900\n0.bias  shape (1,)\n  -0.4000" in out


def test_csv_names_its_column_mistakes(capsys):
    _, out, _ = _run(capsys, "train", "perceptron-rule", "--format", "csv", "--epochs", "2")
    assert out.splitlines()[0] == "epoch,mistakes,accuracy,p_00,p_01,p_10,p_11"
    assert out.splitlines()[1] == "0,2.0,25,1.0,1.0,1.0,1.0"


@pytest.mark.parametrize(
    "argv, key",
    [
        (["train", "perceptron-rule", "--hidden", "2"], "cli.rule.no_option"),
        (["train", "perceptron-rule", "--optimizer", "adam"], "cli.rule.no_option"),
        (["train", "perceptron-rule", "--map"], "cli.rule.no_map"),
        (["train", "perceptron-rule", "--surface"], "cli.rule.no_surface"),
        (["explain", "perceptron-rule"], "cli.rule.no_explain"),
        (["sweep", "perceptron-rule"], "cli.rule.no_sweep"),
    ],
)
@pytest.mark.parametrize("lang", ["en", "ko"])
def test_what_the_rule_has_no_use_for_is_one_line_exit_2(capsys, argv, key, lang):
    with pytest.raises(SystemExit) as stop:
        main([*argv, "--lang", lang])
    _, err = capsys.readouterr()
    assert stop.value.code == 2
    line = err.strip().splitlines()[-1]
    option = argv[2] if len(argv) > 2 else ""
    expected = say(key, lang, lesson="perceptron-rule", prog="perceptron-lab", option=option)
    assert line.endswith(expected)
