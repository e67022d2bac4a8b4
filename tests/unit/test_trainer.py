import threading
import time

import pytest
import torch

from core.config import TrainConfig
from core.lessons import lesson
from core.trainer import Trainer

MLP = lesson("xor-mlp").config


def test_same_configuration_and_seed_give_bit_identical_runs():
    a, b = Trainer(MLP.with_(seed=5)), Trainer(MLP.with_(seed=5))
    a.run(to_epoch=800)
    b.run(to_epoch=800)
    assert a.history.losses() == b.history.losses()
    assert torch.equal(a.kernel.params, b.kernel.params)
    c = Trainer(MLP.with_(seed=6))
    c.run(to_epoch=800)
    assert c.history.losses() != a.history.losses()


def test_one_epoch_n_times_equals_n_epochs_at_once():
    one, many, run = Trainer(MLP), Trainer(MLP), Trainer(MLP)
    for _ in range(300):
        assert one.step(1) == 1
    assert many.step(300) == 300
    assert run.run(to_epoch=299) == "epoch"
    assert one.history.losses() == many.history.losses() == run.history.losses()
    assert torch.equal(one.kernel.params, many.kernel.params) and torch.equal(one.kernel.params, run.kernel.params)
    assert one.epoch == 300 and one.history.last_epoch == 299


def test_reset_returns_to_the_same_initial_weights():
    trainer = Trainer(MLP)
    initial = trainer.kernel.params.clone()
    trainer.run(to_epoch=200)
    losses = trainer.history.losses()
    trainer.reset()
    assert trainer.epoch == 0 and torch.equal(trainer.kernel.params, initial)
    trainer.run(to_epoch=200)
    assert trainer.history.losses() == losses


def test_reseed_draws_new_initial_weights():
    trainer = Trainer(MLP)
    initial = trainer.kernel.params.clone()
    trainer.step(10)
    trainer.reseed(42)
    assert trainer.config.seed == 42 and trainer.epoch == 0
    assert not torch.equal(trainer.kernel.params, initial)
    assert torch.equal(trainer.kernel.params, Trainer(MLP.with_(seed=42)).kernel.params)


def test_run_until_a_condition():
    trainer = Trainer(lesson("and").config)
    reason = trainer.run(until=lambda t: t.history.accuracy(t.history.last_epoch) == 100.0, to_epoch=1000)
    assert reason == "condition"
    assert trainer.history.last_epoch == trainer.history.first_epoch_where(100.0)
    with pytest.raises(ValueError, match=r"^run\(\) needs to_epoch, until or stop, or it would never end$"):
        trainer.run()


def test_a_set_stop_event_stops_within_one_epoch():
    trainer = Trainer(MLP)
    stop = threading.Event()

    def stop_at_500(t):
        if t.epoch == 500:
            stop.set()
        return False

    assert trainer.run(to_epoch=10_000, until=stop_at_500, stop=stop) == "stopped"
    assert trainer.epoch == 500
    assert trainer.step(100, stop=stop) == 0


def test_a_long_run_in_a_thread_stops_when_asked():
    trainer = Trainer(MLP)
    stop = threading.Event()
    worker = threading.Thread(target=trainer.run, kwargs={"to_epoch": 10_000_000, "stop": stop})
    worker.start()
    time.sleep(0.3)
    stop.set()
    worker.join(timeout=2)
    assert not worker.is_alive()
    assert 0 < trainer.epoch < 10_000_000


def test_a_new_learning_rate_applies_from_the_next_epoch():
    trainer = Trainer(lesson("and").config)
    trainer.step(10)
    trainer.set_lr(0.25)
    assert trainer.history.lr_at(9) == 1.0 and trainer.history.lr_at(10) == 0.25
    before = trainer.kernel.params.clone()
    trainer.step(1)
    assert torch.equal(trainer.kernel.params, before - 0.25 * trainer.kernel.grads)
    for bad in (0, -1, float("nan"), float("inf")):
        with pytest.raises(ValueError, match="learning rate"):
            trainer.set_lr(bad)


@pytest.mark.parametrize(
    "changes,match",
    [
        ({"hidden": (0,)}, "1 to 1024"),
        ({"hidden": (2000,)}, "1 to 1024"),
        ({"activation": "gelu"}, "sigmoid, tanh, relu"),
        ({"optimizer": "rmsprop"}, "sgd, momentum, adam"),
        ({"loss": "hinge"}, "bce, mse"),
        ({"lr": 0}, "> 0"),
        ({"seed": -1}, "seed"),
    ],
)
def test_bad_settings_are_refused_with_what_is_allowed(changes, match):
    with pytest.raises(ValueError, match=match):
        TrainConfig(dataset="xor", **changes)


@pytest.mark.parametrize("name", ["xor-mlp", "and", "perceptron-rule"])
def test_a_look_while_stepping_is_what_the_history_replays(name):
    """The weights a step looks at (the app shows them while a run trains, and after n) are the
    epoch's own, before its update: exactly what the history replays for that epoch."""
    config = lesson(name).config
    trainer = Trainer(config, rule=lesson(name).rule)
    assert trainer.looked is None  # a new run has looked at nothing yet
    for n in (1, 3, 1, 7):
        trainer.step(n, look=True)
        looked = trainer.looked
        assert looked is not None and looked.epoch == trainer.history.last_epoch
        assert looked == trainer.history.weights_at(looked.epoch)
    trainer.step(2)
    assert trainer.looked is None  # no look asked: none kept from before
    trainer.step(1, look=True)
    trainer.run(to_epoch=trainer.epoch + 2)
    assert trainer.looked is None  # a run looks at nothing: the step's look is not kept past it


def test_a_step_is_one_epoch_and_going_back_past_the_history_says_what_there_is():
    trainer = Trainer(MLP)
    assert trainer.step() == 1 and trainer.epoch == 1  # `n` in the app: one epoch, as the notebook's loop body
    with pytest.raises(IndexError, match="cannot go back to epoch 5: the history has epochs 0 to 0"):
        trainer.rewind(5)


def test_a_new_rate_from_the_last_epoch_right_after_epoch_0_is_as_if_the_run_had_started_with_it():
    """Epoch 0 is on screen and the learner changes the rate 'from the last epoch': epoch 0's update
    is made with the new rate, so the run goes on exactly as a run started with that rate."""
    changed, started = Trainer(MLP), Trainer(MLP.with_(lr=0.5))
    changed.step(1)
    started.step(1)
    changed.set_lr(0.5, from_last=True)
    assert changed.history.last_epoch == 0 and changed.history.lr_at(0) == 0.5
    changed.run(to_epoch=20)
    started.run(to_epoch=20)
    assert changed.history.losses() == started.history.losses()


def test_going_back_to_epoch_0_starts_the_same_run_again_from_its_first_weights():
    trainer, fresh = Trainer(MLP), Trainer(MLP)
    trainer.run(to_epoch=30)
    trainer.rewind(0)  # the very start is a place to branch from too
    assert trainer.history.last_epoch == -1 and trainer.epoch == 0
    trainer.run(to_epoch=30)
    fresh.run(to_epoch=30)
    assert trainer.history.losses() == fresh.history.losses()
