"""`perceptron-lab train LESSON --map`: the boundary map after the log, as text or in the JSON."""

import json

import numpy as np
import pytest

from tui.__main__ import main


def _run(capsys, *argv):
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_map_follows_the_log_at_the_last_epoch(capsys):
    status, out, _ = _run(capsys, "train", "xor-2-2-1", "--map", "--log-every", "1000")
    assert status == 0
    log, _, rest = out.partition("\n\nDecision boundary at epoch 5000")
    assert log.splitlines()[-1].startswith("Epoch: 5000/5000")
    body = "\n".join(line[7:] for line in rest.splitlines()[1:22])
    assert body.count("1✓") == 2 and body.count("0✓") == 2
    assert "· the line of each hidden neuron" in rest


def test_map_at_an_earlier_epoch_with_the_weights(capsys):
    _, out, _ = _run(capsys, "train", "xor-2-2-1", "--map", "--weights-at", "1000", "--epochs", "1200")
    assert "Parameters at epoch 1000" in out and "Decision boundary at epoch 1000" in out
    assert out.index("Parameters at epoch 1000") < out.index("Decision boundary at epoch 1000")


def test_map_of_a_single_neuron_names_its_line(capsys):
    _, out, _ = _run(capsys, "train", "and", "--map", "--lang", "ko")
    assert "뉴런의 직선: " in out and "x₁" in out and "= 0" in out


def test_json_map_is_p_over_x2_then_x1_with_hidden_layers(capsys):
    _, out, _ = _run(capsys, "train", "xor-2-2-1", "--map", "--format", "json", "--epochs", "3000")
    document = json.loads(out)
    m = document["map"]
    assert m["epoch"] == 3000 and len(m["x1"]) == len(m["x2"]) == 41
    assert m["x1"][0] == -0.5 and m["x1"][10] == 0.0 and m["x1"][30] == 1.0 and m["x1"][-1] == 1.5
    p = np.array(m["p"])
    assert p.shape == (41, 41)
    predictions = document["log"][-1]["predictions"]  # epoch 3000's, rows (0,0) (0,1) (1,0) (1,1)
    assert np.allclose([p[10, 10], p[30, 10], p[10, 30], p[30, 30]], predictions, atol=1e-5)
    assert [len(layer["neurons"]) for layer in m["hidden"]] == [2]
    assert np.array(m["hidden"][0]["neurons"]).shape == (2, 41, 41)


def test_json_without_map_has_no_map(capsys):
    _, out, _ = _run(capsys, "train", "and", "--format", "json", "--epochs", "10", "--log-every", "5")
    assert "map" not in json.loads(out)


def test_a_3_input_map_is_a_slice(capsys):
    _, out, _ = _run(
        capsys, "train", "xor-mlp", "--dataset", "parity3", "--hidden", "8", "--epochs", "100", "--map", "--slice", "1"
    )
    assert "the slice x₃ = 1 of the cube" in out
    _, out, _ = _run(
        capsys,
        "train",
        "xor-mlp",
        "--dataset",
        "parity3",
        "--hidden",
        "8",
        "--epochs",
        "100",
        "--map",
        "--format",
        "json",
    )
    assert json.loads(out)["map"]["x3"] == 0.0


@pytest.mark.parametrize(
    "argv,names", [(["--format", "csv"], "--map"), (["--slice", "2"], "--slice"), (["--slice", "1"], "--slice")]
)
def test_bad_map_options_are_one_line(capsys, argv, names):
    with pytest.raises(SystemExit) as exit_:
        main(["train", "and", "--map", *argv])
    err = capsys.readouterr().err
    assert exit_.value.code == 2 and len(err.splitlines()) == 1 and names in err
