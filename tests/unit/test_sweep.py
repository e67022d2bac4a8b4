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


def _network_2_spoilt_before_epoch_8() -> tuple[_Run, Kernel]:
    """xor-mlp's seeds 0 to 3 trained to epoch 7, then one weight of network 2 made infinite (as a
    huge update would leave it); and a single kernel holding network 2 as it now stands."""
    run = _Run(MLP, list(range(4)), 100, 50)
    for epoch in range(8):
        run.epoch(epoch)
    run.read_block(7)
    run.kernel.W[1][2][0, 0] = math.inf
    run.checkpoint = run.kernel.save()
    single = Kernel(MLP)
    single.load(run.kernel.seed_state(2))
    return run, single


def test_gradients_that_turn_infinite_quietly_are_traced_back_to_their_epoch():
    # Outputs can stay sane while a gradient turns infinite (huge weights, saturated units); the
    # parameters then carry it, and the single kernel replays the block to find the epoch.
    targets = [t for _, t in MLP.data.rows]
    with torch.inference_mode():
        run, single = _network_2_spoilt_before_epoch_8()
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


LR50 = MLP.with_(lr=50.0)


def _saturates_at_2():
    # Seed 1 of xor-mlp at lr 50 saturates at epoch 2 (outputs pinned, some wrong, gradients gone).
    trainer = Trainer(LR50.with_(seed=1))
    trainer.run(to_epoch=10)
    assert trainer.blowup is not None and (trainer.blowup.epoch, trainer.blowup.kind) == (2, "saturated")
    return trainer.blowup


def test_a_seed_whose_numbers_go_wrong_is_replayed_from_its_blocks_start_by_the_trainers_rules():
    # Seed 1's parameters spoilt (NaN) after epoch 1: the sweep replays it with the single engine
    # from the block's start, epoch 0, and finds the trainer's own blow-up, not the NaN.
    blowup = _saturates_at_2()
    run = _Run(LR50, [0, 1], 10, 10)
    with torch.inference_mode():
        run.epoch(0)
        run.epoch(1)
        run.kernel.W[1][1][0, 0] = math.nan
        run.epoch(2)
    assert run.blowups == {1: blowup}


def test_a_seed_that_turns_non_finite_stops_there_even_if_its_replay_does_not_see_it():
    # Where the batch's numbers are not the single engine's (a CPU without the portable kernels),
    # the replay to the epoch can find nothing: then the batch's own word stands, non-finite at
    # that epoch (and not the single engine's blow-up of a later epoch).
    assert _saturates_at_2().epoch == 2
    run = _Run(LR50, [0, 1], 10, 10)
    with torch.inference_mode():
        run.epoch(0)
        run.kernel.W[1][1][0, 0] = math.nan  # after epoch 0: the replay from epoch 0 never sees it
        for epoch in range(1, 8):
            run.epoch(epoch)
        run.read_block(7)
    blowup = run.result(7, False, 0.0).seeds[1].blowup
    assert (blowup.epoch, blowup.kind, blowup.lr) == (1, "non-finite", 50.0) and math.isnan(blowup.loss)
    assert list(run.blowups) == [1]


def test_a_stopped_seed_stays_stopped_even_if_its_zeroed_network_saturates_again():
    # A single neuron at lr 1e30 under squared error: three seeds saturate at epoch 1; their zeroed
    # networks then swing to outputs pinned at 0, which is no new blow-up of theirs.
    config = TrainConfig(dataset="and", loss="mse", lr=1e30)
    result = run_sweep(config, range(4), 20)
    assert [s.blowup.epoch if s.blowup else None for s in result.seeds] == [1, 1, 1, None]
    assert_same_as_trainer(result, config, 20)


def test_progress_counts_the_seeds_the_blown_up_and_a_seed_right_from_epoch_0():
    reports = []
    result = run_sweep(MLP.with_(lr=50.0), range(8), 20, progress=reports.append)
    blown = sum(1 for s in result.seeds if s.blowup)
    assert reports[-1].seeds == 8 and reports[-1].blown_up == blown == 6
    # Seed 15's single neuron gets NAND right before any update: learned at epoch 0.
    reports = []
    result = run_sweep(TrainConfig(dataset="nand"), [15], 20, progress=reports.append)
    assert result.seeds[0].first_full_accuracy == 0 and reports[-1].learned == 1
    assert reports[-1].first_full == (0,)  # and still 0 after later blocks of epochs at 100 %
    # A seed not yet at 100 % shows as -1: XOR's single neuron never gets there.
    reports = []
    run_sweep(TrainConfig(dataset="xor"), [0, 1], 20, progress=reports.append)
    assert all(r.first_full == (-1, -1) for r in reports)


def test_gradients_too_large_to_add_up_are_not_called_non_finite():
    # Hidden ReLU units at 3e38 make output-weight gradients of 1.5e38 each: finite, but their sum
    # overflows. The trainer's rule then looks at each gradient: none is infinite, so this epoch is
    # no blow-up; the next update pins the outputs, and the network saturates at epoch 1.
    config = TrainConfig(dataset="xor", hidden=(4,), activation="relu")
    targets = [t for _, t in config.data.rows]
    run = _Run(config, [0, 1], 5, 5)
    with torch.inference_mode():
        kernel = run.kernel
        kernel.W[0][0].zero_()
        kernel.b[0][0].fill_(3e38)
        kernel.W[1][0].fill_(1e-38)  # every output 1 - 6e-6: XOR's two 0s pinned at the wrong answer
        kernel.b[1][0].zero_()
        single = Kernel(config)
        single.load(kernel.seed_state(0))
        expected, sums = [], []
        for epoch in range(2):
            loss, predictions, grad_sum = single.forward_backward()
            sums.append(grad_sum)
            expected.append(diagnose(single, epoch, loss, predictions, grad_sum, targets, config.lr))
            single.update(config.lr)
        run.epoch(0)
        assert math.isinf(sums[0]) and expected[0] is None and run.blowups == {}
        run.epoch(1)
    assert expected[1].kind == "saturated" and run.blowups == {0: expected[1]}


def test_asking_a_sweep_for_a_seed_it_did_not_run_says_which():
    with pytest.raises(KeyError, match="seed 99 is not in this sweep"):
        run_sweep(XOR_221, [9], 0).seed(99)


@pytest.mark.parametrize("spoil", ["loss", "nan loss", "output"])
@pytest.mark.parametrize("network", [0, 3, 5])  # the first, middle and last of six
def test_a_batch_is_called_exact_only_if_its_numbers_are_the_single_engines(spoil, network):
    # A machine whose batch differs from the single engine in the last bit of one network's loss or
    # output (or gives NaN where it does not): the sweep must not claim the single engine's numbers.
    batch = BatchKernel(XOR_221, range(6))
    assert batch.matches_single_kernel()
    forward_backward = batch.forward_backward

    def spoilt(loss, predictions):
        forward_backward(loss, predictions)
        if spoil == "loss":
            loss[network] = torch.nextafter(loss[network], torch.tensor(math.inf))
        elif spoil == "nan loss":
            loss[network] = math.nan
        else:
            predictions[network, 0] = torch.nextafter(predictions[network, 0], torch.tensor(math.inf))

    batch.forward_backward = spoilt
    assert not batch.matches_single_kernel()


def test_a_short_sweep_keeps_every_epochs_loss_and_one_point_means_epoch_0():
    assert list(curve_epochs(10, 200)) == list(range(11))  # fewer epochs than points: all of them
    assert list(curve_epochs(9, 1)) == [0]
    assert list(curve_epochs(9, 5)) == [0, 2, 4, 6, 8]


def test_stop_pressed_at_a_report_ends_the_sweep_one_epoch_after_the_epoch_it_showed():
    stop = threading.Event()
    reports = []

    def progress(p):
        reports.append(p)
        stop.set()

    started = time.perf_counter()
    result = run_sweep(XOR_221, range(4), 1000, progress=progress, stop=stop)
    took = time.perf_counter() - started
    assert result.last_epoch == reports[0].epoch + 1  # the report's epoch was done, and one more ran
    assert 0 < result.seconds <= took


def test_a_sweep_whose_batch_differs_from_the_single_engine_does_not_claim_its_numbers(monkeypatch):
    monkeypatch.setattr(BatchKernel, "matches_single_kernel", lambda self, epochs=3: False)
    assert not run_sweep(XOR_221, range(2), 3).exact


def test_an_output_of_exactly_one_half_is_class_1_as_in_the_notebook():
    # A network of zeros outputs exactly 0.5 on every row: class 1, so OR's three 1-rows are right.
    run = _Run(TrainConfig(dataset="or", hidden=(2,)), [0], 5, 5)
    with torch.inference_mode():
        run.kernel.zero_network(0)
        run.epoch(0)
        assert run.predictions[0][0].tolist() == [0.5] * 4
        run.read_block(0)
    assert run.result(0, False, 0.0).seeds[0].final_accuracy == 75.0


def test_a_gradient_that_turns_infinite_while_the_outputs_stay_sane_is_caught_when_the_block_is_read():
    # As above, network 2's weight made infinite before epoch 8: its outputs at epoch 8 are still
    # about 0.5, only its parameters show it; reading the block replays it and stops it at epoch 8.
    targets = [t for _, t in MLP.data.rows]
    with torch.inference_mode():
        run, single = _network_2_spoilt_before_epoch_8()
        loss, predictions, grad_sum = single.forward_backward()
        expected = diagnose(single, 8, loss, predictions, grad_sum, targets, MLP.lr)
        run.epoch(8)
        assert all(math.isfinite(p) for p in run.predictions[0][2].tolist()) and run.blowups == {}
        run.read_block(8)
    assert expected is not None and run.blowups == {2: expected}


def test_a_seed_spoilt_in_a_later_block_is_replayed_from_that_blocks_start():
    # xor-mlp with momentum at lr 20: seed 0 saturates at epoch 108, in the block of epochs 56 to 119.
    config = MLP.with_(optimizer="momentum", lr=20.0)
    trainer = Trainer(config)
    trainer.run(to_epoch=150)
    assert trainer.blowup is not None and trainer.blowup.epoch == 108
    run = _Run(config, [0], 150, 10)
    with torch.inference_mode():
        for epoch in range(108):
            run.epoch(epoch)
            if epoch + 1 - run.block_start == run.block_size:
                run.read_block(epoch)
        assert run.block_start == 56
        run.kernel.W[1][0][0, 0] = math.nan  # spoilt after epoch 107: the replay starts at 56
        run.epoch(108)
    assert run.blowups == {0: trainer.blowup}


def test_a_sweep_of_no_seeds_is_refused_in_words():
    with pytest.raises(ValueError, match=r"^a batch needs at least one seed$"):
        BatchKernel(XOR_221, [])
