"""The seed sweep: many seeds at once, each with exactly the numbers the single engine gives it."""

import dataclasses
import math
import threading
import time
import warnings

import pytest
import torch

from core.config import TrainConfig
from core.kernel import Kernel
from core.lessons import lesson
from core.sweep.batch_kernel import BatchKernel
from core.sweep.sweep import _Run, curve_epochs, run_sweep
from core.trainer import Trainer, diagnose

MLP = lesson("xor-mlp").config
XOR_221 = TrainConfig(dataset="xor", hidden=(2,))

CONFIGS = [
    MLP,
    XOR_221,
    TrainConfig(dataset="and"),
    TrainConfig(dataset="parity3", hidden=(8,), activation="tanh", lr=0.5),
    TrainConfig(dataset="xor", hidden=(64, 32, 16), activation="relu", loss="mse", optimizer="momentum", lr=0.1),
    TrainConfig(dataset="majority3", hidden=(16, 5), optimizer="adam", lr=0.01),
    TrainConfig(dataset="xor", hidden=(8, 8), activation="tanh"),  # tiny layers: some multiplies run per network
    TrainConfig(dataset="nand", hidden=(1, 3), loss="mse", lr=2.0),
]


def _label(config):
    hidden = "-".join(map(str, config.hidden)) or "none"
    return f"{config.dataset}-{hidden}-{config.activation}-{config.optimizer}-{config.loss}"


def assert_same_as_trainer(result, config, epochs):
    for seed_result in result.seeds:
        trainer = Trainer(config.with_(seed=seed_result.seed))
        trainer.run(to_epoch=epochs)
        history = trainer.history
        assert seed_result.last_epoch == history.last_epoch
        assert _same_blowup(seed_result.blowup, trainer.blowup)
        assert seed_result.first_full_accuracy == history.first_epoch_where(100.0)
        assert seed_result.final_accuracy == history.accuracy(history.last_epoch)
        assert seed_result.final_loss == history.loss(history.last_epoch) or (
            math.isnan(seed_result.final_loss) and math.isnan(history.loss(history.last_epoch))
        )
        expected_curve = [history.loss(e) for e in result.curve_epochs if e <= history.last_epoch]
        assert seed_result.curve == pytest.approx(expected_curve, nan_ok=True, rel=0, abs=0)


def _same_blowup(a, b):
    if a is None or b is None:
        return a is b
    return (a.epoch, a.kind, a.lr) == (b.epoch, b.kind, b.lr) and (
        a.loss == b.loss or (math.isnan(a.loss) and math.isnan(b.loss))
    )


@pytest.mark.parametrize("config", CONFIGS, ids=_label)
def test_every_seed_starts_from_the_single_engines_weights(config):
    seeds = [0, 1, 7, 123]
    batch = BatchKernel(config, seeds)
    for i, seed in enumerate(seeds):
        params, state, steps = batch.seed_state(i)
        single = Kernel(config.with_(seed=seed))
        assert torch.equal(params, single.params) and torch.equal(state, single.state) and steps == 0


@pytest.mark.parametrize("config", CONFIGS, ids=_label)
def test_each_seed_gets_the_single_engines_numbers_bit_for_bit(config):
    epochs = 150
    result = run_sweep(config, range(5), epochs, curve_points=40)
    assert result.exact
    assert_same_as_trainer(result, config, epochs)


def test_xor_mlp_leaves_the_plateau_at_the_single_engines_epoch():
    # On the ln 2 plateau a difference in the last bit would move the epoch a seed leaves it.
    result = run_sweep(MLP, [0, 1], 4200)
    assert all(s.learned for s in result.seeds)
    assert_same_as_trainer(result, MLP, 4200)


def test_a_seed_is_the_same_in_any_batch():
    alone = run_sweep(XOR_221, [9], 400)
    among = run_sweep(XOR_221, range(4, 20), 400)
    assert among.seed(9) == alone.seed(9)


@pytest.mark.parametrize(
    "config",
    [
        MLP.with_(lr=50.0),
        MLP.with_(optimizer="momentum", lr=20.0),
        MLP.with_(optimizer="adam", lr=50.0, activation="tanh"),
        MLP.with_(loss="mse", lr=50.0),
    ],
    ids=["sgd", "momentum", "adam-tanh", "mse"],
)
def test_blown_up_seeds_stop_where_the_trainer_stops_and_the_rest_go_on(config):
    result = run_sweep(config, range(8), 150)  # most seeds saturate within a few epochs, some never
    blown = [s for s in result.seeds if s.blowup]
    assert 0 < len(blown) < 8
    assert_same_as_trainer(result, config, 150)
    for s in blown:
        assert s.last_epoch == s.blowup.epoch and s.final_loss == s.blowup.loss
        assert len(s.curve) == sum(1 for e in result.curve_epochs if e <= s.blowup.epoch)


def test_non_finite_numbers_are_caught_at_their_epoch_and_do_not_spread():
    config = MLP.with_(activation="relu", lr=1e30)
    result = run_sweep(config, range(4), 50)
    assert all(s.blowup.kind == "non-finite" and s.blowup.epoch == 1 for s in result.seeds)
    assert result.last_epoch < 50  # nothing left to train: the sweep ends early
    assert_same_as_trainer(result, config, 50)


def test_gradients_that_turn_infinite_quietly_are_traced_back_to_their_epoch():
    # Outputs can stay sane while a gradient turns infinite (huge weights, saturated units); the
    # parameters then carry it, and the single kernel replays the block to find the epoch.
    targets = [t for _, t in MLP.data.rows]
    run = _Run(MLP, list(range(4)), 100, 50)
    with torch.inference_mode():
        for epoch in range(8):
            run.epoch(epoch)
        run.read_block(7)
        run.kernel.W[1][2][0, 0] = math.inf  # network 2, before epoch 8
        run.checkpoint = run.kernel.save()
        single = Kernel(MLP)
        single.load(run.kernel.seed_state(2))
        expected = None
        for epoch in range(8, 40):
            loss, predictions, grad_sum = single.forward_backward()
            expected = diagnose(single, epoch, loss, predictions, grad_sum, targets, MLP.lr)
            if expected:
                break
            single.update(MLP.lr)
        for epoch in range(8, 40):
            run.epoch(epoch)
        run.read_block(39)
    assert expected is not None and expected.kind == "non-finite"
    assert list(run.blowups) == [2] and run.blowups[2].epoch == expected.epoch
    result = run.result(39, False, 0.0)
    assert result.seeds[2].last_epoch == expected.epoch
    assert_same_as_trainer(_only(result, [0, 1, 3]), MLP, 39)


def _only(result, indices):
    return dataclasses.replace(result, seeds=tuple(result.seeds[i] for i in indices))


def test_stop_ends_the_sweep_within_an_epoch_and_keeps_what_was_done():
    stop = threading.Event()
    reports = []

    def progress(p):
        reports.append(p)
        stop.set()

    result = run_sweep(XOR_221, range(8), 100_000, progress=progress, stop=stop)
    assert result.stopped and result.last_epoch < 100
    assert reports[-1].epoch == result.last_epoch
    assert all(s.last_epoch == result.last_epoch for s in result.seeds)
    assert_same_as_trainer(result, XOR_221, result.last_epoch)


def test_stop_from_another_thread_is_noticed_within_milliseconds():
    stop = threading.Event()
    started = threading.Event()
    finished = []

    def sweep():
        run_sweep(MLP, range(300), 1_000_000, progress=lambda p: started.set(), stop=stop)
        finished.append(time.perf_counter())

    worker = threading.Thread(target=sweep)
    worker.start()
    assert started.wait(30)
    set_at = time.perf_counter()
    stop.set()
    worker.join(5)
    assert finished and finished[0] - set_at < 0.5  # an epoch of 300 xor-mlp networks takes ~3 ms


def test_progress_reports_plain_numbers_and_ends_at_the_last_epoch():
    reports = []
    result = run_sweep(lesson("and").config, range(6), 300, progress=reports.append)
    assert reports[-1].epoch == 300 and reports[-1].fraction == 1.0
    assert reports[-1].learned == sum(s.learned for s in result.seeds) == 6
    assert reports[-1].first_full == tuple(s.first_full_accuracy for s in result.seeds)  # per seed, for the app
    assert all(e == -1 or e <= r.epoch for r in reports for e in r.first_full)
    assert [r.epoch for r in reports] == sorted(r.epoch for r in reports)


def test_curves_are_bounded_and_start_at_epoch_0():
    assert list(curve_epochs(4999, 50)) == list(range(0, 5000, 100))
    assert len(curve_epochs(123_456, 200)) <= 200
    result = run_sweep(XOR_221, range(3), 1000, curve_points=25)
    assert len(result.curve_epochs) <= 25 and result.curve_epochs[0] == 0
    assert all(len(s.curve) == len(result.curve_epochs) for s in result.seeds)


def test_a_sweep_says_nothing_but_its_result():
    # A buffer of the wrong shape still gives the right numbers (torch resizes it) but warns on the
    # learner's terminal: the sweep's buffers are made the shapes its kernels write.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = run_sweep(lesson("xor-mlp").config.with_(hidden=(3, 2)), range(3), 20)
    assert [seed.seed for seed in result.seeds] == [0, 1, 2] and result.last_epoch == 20
