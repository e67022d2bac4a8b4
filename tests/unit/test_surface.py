"""core.surface: the loss surface's numbers against the network's own loss, XOR's bowl, the planes,
the path, and the same bits under simulated CPUs."""

from __future__ import annotations

import math
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

import core  # noqa: F401  (the engine's numerics first)
from core.config import TrainConfig
from core.lessons import lesson
from core.network import build_model
from core.surface.surface import (
    NEURON_PLANES,
    RANDOM,
    Net,
    _neuron_plane,
    nice_axis,
    path_epochs,
    path_nets,
    planes,
    random_directions,
    surface,
)
from core.surface.surface_text import levels, render_text
from core.trainer import Trainer

ROOT = Path(__file__).resolve().parents[2]


def _trained(config: TrainConfig, epoch: int) -> Trainer:
    trainer = Trainer(config)
    trainer.run(to_epoch=epoch)
    return trainer


def _engine_loss(config: TrainConfig, net: Net) -> tuple[float, bool]:
    """The network's own loss (nn.Sequential and torch's loss, as the notebook computes it) at
    `net`'s weights, in float64 (the surface's precision: in float32 an output near 1 keeps few
    digits of 1 - p), and whether no output saturated (torch clamps the log of 0 or 1 at -100)."""
    model = build_model(config.sizes, config.activation).double()
    with torch.no_grad():
        for layer, w, b in zip((m for m in model if isinstance(m, torch.nn.Linear)), net.weights, net.biases):
            layer.weight.copy_(torch.tensor(w, dtype=torch.float64))
            layer.bias.copy_(torch.tensor(b, dtype=torch.float64))
        rows = config.data.rows
        X = torch.tensor([[float(v) for v in inputs] for inputs, _ in rows], dtype=torch.float64)
        y = torch.tensor([[float(t)] for _, t in rows], dtype=torch.float64)
        p = model(X)
        loss = torch.nn.BCELoss()(p, y) if config.loss == "bce" else torch.nn.MSELoss()(p, y)
    return loss.item(), bool(((p > 0) & (p < 1)).all())


def _plane(net: Net, axes, seed=0):
    if axes == RANDOM:
        return (net, *random_directions(net, seed))
    return _neuron_plane(net, axes)


def _at(origin: Net, da: Net, db: Net, a: float, b: float) -> Net:
    return Net(
        tuple(w + a * u + b * v for w, u, v in zip(origin.weights, da.weights, db.weights)),
        tuple(w + a * u + b * v for w, u, v in zip(origin.biases, da.biases, db.biases)),
    )


@pytest.mark.parametrize(
    ("lesson_id", "epoch", "axes", "loss"),
    [
        ("xor", 1000, ("w1", "w2"), "bce"),
        ("and", 1000, ("w1", "b"), "bce"),
        ("or", 300, ("w2", "b"), "bce"),
        ("xor-mlp", 200, RANDOM, "bce"),
        ("xor-2-2-1", 2500, RANDOM, "bce"),
        ("xor-2-2-1", 300, RANDOM, "mse"),
    ],
)
def test_the_grids_losses_are_the_networks_own_loss_at_those_weights(lesson_id, epoch, axes, loss):
    config = lesson(lesson_id).config.with_(loss=loss)
    net = Net.of(_trained(config, epoch).history.weights_at(epoch).layers)
    got = surface(net, config.data.rows, axes, epoch=epoch, activation=config.activation, loss=loss, steps=9)
    origin, da, db = _plane(net, axes)
    compared = 0
    for i in range(0, 9, 2):
        for j in range(0, 9, 2):
            expected, unsaturated = _engine_loss(config, _at(origin, da, db, got.a[j], got.b[i]))
            if unsaturated:
                assert got.loss[i, j] == pytest.approx(expected, rel=1e-9, abs=1e-12), (i, j)
                compared += 1
    assert compared >= 10
    # The epoch's own point is the run's loss at that epoch (the run's float32, to its precision).
    assert got.point_loss == pytest.approx(_trained(config, epoch).history.loss(epoch), rel=2e-5, abs=1e-6)


def test_xors_single_neuron_surface_at_b_0_has_its_minimum_ln2_at_w_0():
    net = Net.from_pairs([([[0.4, -0.3]], [0.0])])
    got = surface(net, lesson("xor").config.data.rows, ("w1", "w2"))
    a, b, low = got.lowest
    assert (a, b) == (0.0, 0.0)
    assert low == pytest.approx(math.log(2), abs=1e-15)
    others = np.delete(got.loss.reshape(-1), int(np.argmin(got.loss)))
    assert (others > math.log(2)).all()  # a bowl: every other point is higher


def test_xors_run_slides_to_w_0_at_the_bottom_of_the_bowl():
    config = lesson("xor").config
    trainer = _trained(config, 1000)
    epochs = path_epochs(1000, 1000)
    nets = path_nets(trainer.history, epochs)
    got = surface(nets[-1], config.data.rows, path=nets, path_epochs=epochs, epoch=1000)
    assert got.path_epochs[0] == 0 and got.path_epochs[-1] == 1000 and len(got.path) == len(epochs)
    assert np.abs(got.point).max() < 1e-3 and got.fixed[0] == "b" and abs(got.fixed[1]) < 1e-3
    assert np.abs(got.path[0]).max() > 0.1  # it started away from the bottom
    assert got.lowest[:2] == (0.0, 0.0) and got.point_loss == pytest.approx(math.log(2), abs=1e-6)


def test_ands_path_follows_a_valley_out_towards_large_weights():
    config = lesson("and").config
    trainer = _trained(config, 1000)
    epochs = path_epochs(1000, 1000)
    nets = path_nets(trainer.history, epochs)
    got = surface(nets[-1], config.data.rows, path=nets, path_epochs=epochs, epoch=1000)
    w = np.asarray(got.path)
    assert (np.diff(w[:, 0])[5:] > 0).all() and w[-1, 0] > 5  # still moving out at epoch 1000
    assert got.point_loss < 0.02


def test_planes_of_a_neuron_and_of_a_network():
    neuron = Net.from_pairs([([[1.0, 2.0]], [3.0])])
    assert planes(neuron) == NEURON_PLANES
    deep = Net.of(_trained(lesson("xor-2-2-1").config, 1).history.weights_at(0).layers)
    assert planes(deep) == (RANDOM,)
    with pytest.raises(ValueError):
        surface(deep, lesson("xor").config.data.rows, ("w1", "w2"))
    for axes in NEURON_PLANES:
        got = surface(neuron, lesson("and").config.data.rows, axes, path=[neuron])
        assert got.axes == axes and got.point == tuple(float({"w1": 1, "w2": 2, "b": 3}[n]) for n in axes)


def test_random_directions_are_filter_normalized_and_fixed_by_their_seed():
    net = Net.of(_trained(lesson("xor-mlp").config, 1).history.weights_at(0).layers)
    da, _db = random_directions(net, 7)
    again, _ = random_directions(net, 7)
    other, _ = random_directions(net, 8)
    for w, d, e, o in zip(net.weights, da.weights, again.weights, other.weights):
        assert np.array_equal(d, e) and not np.array_equal(d, o)
        assert np.allclose(np.linalg.norm(d, axis=1), np.linalg.norm(w, axis=1), rtol=1e-12)
    assert all(not b.any() for b in da.biases)
    got = surface(net, lesson("xor-mlp").config.data.rows, seed=7, steps=5)
    assert got.seed == 7 and got.to_json()["seed"] == 7


def test_the_path_projects_back_onto_a_plane_it_lies_in():
    net = Net.of(_trained(lesson("xor-mlp").config, 1).history.weights_at(0).layers)
    origin, da, db = _plane(net, RANDOM, 3)
    on_plane = [_at(origin, da, db, 0.25, -0.5), _at(origin, da, db, -1.5, 2.0)]
    got = surface(net, lesson("xor-mlp").config.data.rows, path=on_plane, seed=3, steps=5)
    assert np.allclose(got.path, [[0.25, -0.5], [-1.5, 2.0]], atol=1e-9)
    assert got.a[0] <= -1.5 and got.b[-1] >= 2.0  # the range follows the path


def test_axes_are_round_steps_with_0_on_them():
    axis = nice_axis(-1.93, 2.07, 41)
    assert len(axis) == 41 and 0.0 in axis and axis[0] <= -1.93 and axis[-1] >= 2.07
    assert nice_axis(-1, 1, 41).tolist()[20] == 0.0


def test_the_json_and_the_text():
    net = Net.from_pairs([([[0.4, -0.3]], [0.1])])
    got = surface(net, lesson("xor").config.data.rows, path=[net, net], path_epochs=[0, 3], epoch=3)
    document = got.to_json()
    assert {"epoch", "axes", "a", "b", "loss", "path", "point"} <= set(document)
    assert document["axes"] == ["w1", "w2"] and document["epoch"] == 3
    assert len(document["loss"]) == len(document["b"]) == 41 and len(document["loss"][0]) == len(document["a"])
    assert document["path"] == [[0.4, -0.3], [0.4, -0.3]] and document["point"] == [0.4, -0.3]
    text = render_text(got, "bce", "en")
    assert "◆" in text and "epoch 3" in text and "w₁" in text
    assert "에포크 3" in render_text(got, "bce", "ko")
    assert levels(np.array([math.log(2)])).tolist() == [3]  # ln 2 has a level of its own


def test_the_same_bits_under_simulated_cpus():
    """The surface's JSON for xor-mlp is byte-identical whichever kernels ATen and MKL would choose
    (OpenBLAS is pinned by core.numerics; the exp and log are core.portable_exp's)."""
    run = [sys.executable, "-m", "tui", "train", "xor-mlp", "--epochs", "300", "--surface", "--format", "json"]
    base = {k: v for k, v in os.environ.items() if not k.startswith(("ATEN_", "MKL_", "GLIBC_", "OPENBLAS_"))}

    def out(**env):
        done = subprocess.run(run, capture_output=True, cwd=ROOT, env={**base, **env}, check=True, timeout=120)
        import json

        return json.dumps(json.loads(done.stdout)["surface"])

    plain = out()
    for env in (
        {"ATEN_CPU_CAPABILITY": "avx2"},
        {"MKL_CBWR": "AVX2"},
        {"GLIBC_TUNABLES": "glibc.cpu.hwcaps=-AVX2,-FMA"},
    ):
        assert out(**env) == plain, env


def test_a_large_networks_path_falls_on_its_checkpoints():
    assert path_epochs(5000, 5000, 147)[:3] == [0, 147, 294] and path_epochs(5000, 5000, 147)[-1] == 5000
    assert path_epochs(1000, 1000, 767)[:3] == [0, 20, 40]  # a single neuron replays fast: every 20th
