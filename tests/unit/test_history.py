"""Any past epoch comes back exactly as the run had it: parameters and gradients, bit for bit."""

import hashlib
import random
import struct

import pytest
import torch

from core.config import TrainConfig
from core.history import History, checkpoint_interval
from core.lessons import lesson
from core.trainer import Trainer

MLP = lesson("xor-mlp").config


def _flat(weights, grads=False):
    """The weights as the kernel lays them out: every weight matrix, then every bias."""
    matrices = [torch.tensor(layer.weight_grad if grads else layer.weight).reshape(-1) for layer in weights.layers]
    biases = [torch.tensor(layer.bias_grad if grads else layer.bias) for layer in weights.layers]
    return torch.cat(matrices + biases)


def _step_and_keep(trainer, n):
    """Step one epoch at a time, keeping the parameters and gradients each epoch had."""
    kept = {}
    for _ in range(n):
        epoch, params = trainer.epoch, trainer.kernel.params.clone()
        trainer.step(1)
        kept[epoch] = (params, trainer.kernel.grads.clone())
    return kept


def _assert_exact(trainer, kept, epochs):
    for epoch in epochs:
        weights = trainer.history.weights_at(epoch)
        params, grads = kept[epoch]
        assert torch.equal(_flat(weights), params), epoch
        assert torch.equal(_flat(weights, grads=True), grads), epoch
        assert weights.loss == trainer.history.loss(epoch)


@pytest.mark.parametrize(
    "config",
    [
        MLP,
        MLP.with_(optimizer="adam", lr=0.01),
        MLP.with_(optimizer="momentum", activation="tanh", lr=0.1),
        lesson("and").config,
        TrainConfig(dataset="parity3", hidden=(5,), activation="relu", loss="mse"),
    ],
)
def test_every_epoch_comes_back_bit_for_bit_in_any_order(config):
    trainer = Trainer(config)
    n = 2 * trainer.history.interval + 50  # so replay starts from several checkpoints
    kept = _step_and_keep(trainer, n)
    epochs = list(range(n))
    _assert_exact(trainer, kept, epochs)  # forward, one after another
    _assert_exact(trainer, kept, epochs[::-5])  # backward
    random.Random(1).shuffle(epochs)
    _assert_exact(trainer, kept, epochs[:100])


def test_exact_after_any_run_length_and_while_the_run_goes_on():
    trainer = Trainer(MLP)
    kept = {}
    for length in (1, 2, 72, 73, 74, 150, 400):
        kept.update(_step_and_keep(trainer, length - trainer.epoch))
        _assert_exact(trainer, kept, {0, length - 1, length // 2})


def test_exact_across_learning_rate_changes():
    trainer = Trainer(MLP)
    kept = _step_and_keep(trainer, 100)
    trainer.set_lr(0.5)
    kept.update(_step_and_keep(trainer, 130))
    trainer.set_lr(2.0)
    kept.update(_step_and_keep(trainer, 100))
    assert [trainer.history.lr_at(e) for e in (0, 99, 100, 229, 230, 329)] == [1.0, 1.0, 0.5, 0.5, 2.0, 2.0]
    assert trainer.history.weights_at(150).lr == 0.5
    _assert_exact(trainer, kept, range(0, 330, 7))


def test_branching_from_a_past_epoch_forgets_the_later_ones():
    trainer = Trainer(MLP)
    kept = _step_and_keep(trainer, 300)
    first_losses = trainer.history.losses()
    trainer.rewind(120)
    assert trainer.epoch == 120 and trainer.history.last_epoch == 119
    assert torch.equal(trainer.kernel.params, kept[120][0])
    trainer.run(to_epoch=299)
    assert trainer.history.losses() == first_losses  # same lr: the same run again
    trainer.rewind(120)
    trainer.set_lr(0.1)
    trainer.run(to_epoch=299)
    assert trainer.history.losses()[:120] == first_losses[:120]
    assert trainer.history.losses()[121:] != first_losses[121:]
    with pytest.raises(IndexError):
        trainer.rewind(300)


def test_a_100000_epoch_run_keeps_little_and_replays_a_bounded_number_of_steps():
    trainer = Trainer(MLP)
    trainer.run(to_epoch=99_999)
    history = trainer.history
    assert len(history) == 100_000
    # 1.1 GB if every epoch's parameters were kept; its checkpoints take about 8 MB.
    assert history.checkpoint_bytes() < 16 * 2**20
    for epoch in random.Random(2).sample(range(100_000), 20):
        history.weights_at(epoch)
        assert history.replayed_steps < history.interval
    # And they are exact: compare with fresh runs stopped just before those epochs' updates.
    for epoch in (12_345, 54_321):
        fresh = Trainer(MLP)
        fresh.run(to_epoch=epoch - 1)
        assert torch.equal(_flat(history.weights_at(epoch)), fresh.kernel.params)


def test_thinning_checkpoints_under_a_small_budget_keeps_replay_exact():
    trainer = Trainer(MLP, memory_budget=200_000)  # room for 17 checkpoints of 11 KB
    interval = trainer.history.interval
    kept = _step_and_keep(trainer, 3000)
    assert trainer.history.interval > interval
    assert trainer.history.checkpoint_bytes() <= 200_000
    _assert_exact(trainer, kept, range(0, 3000, 37))


def test_asking_for_an_epoch_that_was_not_run_says_which_there_are():
    trainer = Trainer(lesson("and").config)
    trainer.step(10)
    with pytest.raises(IndexError, match="0 to 9"):
        trainer.history.weights_at(10)
    with pytest.raises(IndexError):
        trainer.history.loss(-1)


def test_accuracy_and_predictions_follow_the_notebook():
    trainer = Trainer(lesson("and").config)
    trainer.run(to_epoch=1000)
    history = trainer.history
    predictions = history.predictions(1000)
    assert len(predictions) == 4 and predictions[3] > 0.5 > max(predictions[:3])
    assert history.accuracy(1000) == 100.0
    assert history.first_epoch_where(100.0) == min(e for e in range(1001) if history.accuracy(e) == 100.0)


def test_the_first_epoch_with_every_row_right_is_the_first_at_100_percent():
    history = History(lesson("and").config, lr=1.0)
    for predictions in ([0.5] * 4, [0.4, 0.4, 0.4, 0.6], [0.1, 0.2, 0.3, 0.9], [0.1, 0.1, 0.1, 0.9]):
        history.record(0.5, predictions)
    assert [history.accuracy(e) for e in range(4)] == [25.0, 100.0, 100.0, 100.0]
    assert history.first_epoch_where(100.0) == 1 and history.first_epoch_where(25.0) == 0
    assert History(lesson("and").config, lr=1.0).first_epoch_where(100.0) is None
    assert history.replayed_steps == 0  # nothing brought back yet


def test_thinned_checkpoints_still_bring_any_epoch_back_in_fewer_steps_than_the_interval():
    trainer = Trainer(MLP, memory_budget=200_000)  # room for 17 checkpoints of 11 KB: thinned as it runs
    trainer.run(to_epoch=2999)
    history = trainer.history
    assert history.interval > checkpoint_interval(MLP)
    for epoch in range(2999, 0, -211):  # backwards: each from the checkpoint before it, none left out
        history.weights_at(epoch)
        assert history.replayed_steps < history.interval, epoch


def test_after_a_branch_every_epoch_comes_back_as_a_run_never_branched_had_it():
    straight, branched = Trainer(lesson("and").config), Trainer(lesson("and").config)
    straight.run(to_epoch=29)
    branched.run(to_epoch=29)
    branched.rewind(20)  # same learning rate: training on gives the same epochs again
    branched.run(to_epoch=29)
    for epoch in (3, 25, 1, 29, 20):
        assert torch.equal(_flat(branched.history.weights_at(epoch)), _flat(straight.history.weights_at(epoch)))


def test_forgetting_epochs_forgets_the_learning_rates_set_from_them_on_but_never_the_first():
    history = History(lesson("and").config, lr=1.0)
    history.set_lr(5, 0.5)
    history.set_lr(10, 0.25)
    history.truncate(10)
    assert history.lr_changes() == [(0, 1.0), (5, 0.5)]
    history.truncate(0)
    assert history.lr_changes() == [(0, 1.0)]


def test_the_fingerprint_is_the_sha256_of_every_loss_then_every_prediction_as_little_endian_float32():
    # A session file keeps it to check a replay on another machine: the bytes are the same on any CPU.
    history = History(lesson("and").config, lr=1.0)
    history.record(0.75, [0.5, 0.25, 0.125, 1.0])
    history.record(0.5, [0.0, 0.5, 0.75, 0.0625])
    expected = struct.pack("<2f", 0.75, 0.5) + struct.pack("<8f", 0.5, 0.25, 0.125, 1.0, 0.0, 0.5, 0.75, 0.0625)
    assert history.fingerprint() == hashlib.sha256(expected).hexdigest()


def test_checkpoints_fall_every_so_many_epochs_fixed_by_the_networks_shape_not_by_the_machine():
    # as many epochs as replay in about 20 ms: 147 of the notebook's 2-64-32-16-1 MLP on xor's 4 rows,
    # 767 of and's 2-1 perceptron, and never fewer than 8 (a 2-1024x8-1 network)
    assert checkpoint_interval(MLP) == 147
    assert checkpoint_interval(lesson("and").config) == 767
    assert checkpoint_interval(TrainConfig(hidden=(1024,) * 8)) == 8
    assert Trainer(MLP).history.interval == 147


def test_an_epoch_brought_back_carries_its_accuracy_as_the_notebook_counts_it():
    trainer = Trainer(lesson("and").config)
    trainer.run(to_epoch=1000)
    assert trainer.history.weights_at(1000).accuracy == 100.0  # every row of AND right by then
    assert trainer.history.weights_at(0).accuracy == 75.0  # every first output under 0.5: class 0, three rows right


def test_a_run_keeps_a_checkpoint_every_interval_epochs_and_no_more():
    trainer = Trainer(MLP)
    one = trainer.history.checkpoint_bytes()  # epoch 0's: 11 KB of parameters and optimizer state
    trainer.run(to_epoch=299)
    assert trainer.history.checkpoint_bytes() == 3 * one  # epochs 0, 147 and 294, not 11 KB an epoch


def test_a_checkpoint_counts_the_optimizers_state_as_well_as_the_weights():
    # the MLP's 2817 float32 parameters are 11,268 bytes; momentum keeps one more of each, Adam two more
    sizes = {
        o: Trainer(MLP.with_(optimizer=o, lr=0.01)).history.checkpoint_bytes() for o in ("sgd", "momentum", "adam")
    }
    assert sizes == {"sgd": 11_268, "momentum": 2 * 11_268, "adam": 3 * 11_268}


def test_the_rules_history_counts_mistakes_and_gradient_descents_counts_loss():
    # what an export's second column is named by: epoch,loss,... or epoch,mistakes,...
    assert Trainer(lesson("and").config).history.measure == "loss"
    assert Trainer(lesson("and").config, rule=True).history.measure == "mistakes"


def test_the_records_an_export_is_written_from_are_every_loss_and_every_row_of_predictions():
    history = History(lesson("and").config, lr=1.0)
    history.record(0.75, [0.5, 0.25, 0.125, 1.0])
    history.record(0.5, [0.0, 0.5, 0.75, 0.0625])
    losses, predictions = history.records()
    assert losses.tolist() == [0.75, 0.5]
    assert predictions.tolist() == [0.5, 0.25, 0.125, 1.0, 0.0, 0.5, 0.75, 0.0625]
