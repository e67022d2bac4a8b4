"""A learning rate far too high: the run stops at the epoch it breaks, says why, and keeps its past."""

import math

import pytest

from core.config import ACTIVATIONS, LOSSES
from core.lessons import lesson, trained
from core.trainer import PINNED, VANISHED, BlowUp, Trainer, diagnose

MLP = lesson("xor-mlp").config


@pytest.mark.parametrize("lr", [1000.0, 100000.0])
@pytest.mark.parametrize("loss", LOSSES)
@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_saturation_is_caught_within_a_few_epochs(activation, loss, lr):
    for seed in range(3):
        trainer = Trainer(MLP.with_(activation=activation, loss=loss, lr=lr, seed=seed))
        assert trainer.run(to_epoch=1000) == "blowup"
        blowup = trainer.blowup
        assert blowup.kind == "saturated" and blowup.epoch <= 5
        assert blowup.loss == trainer.history.loss(blowup.epoch)
        # The loss sits where clamped BCE or MSE puts a confidently wrong answer, not below.
        assert blowup.loss > (1.0 if loss == "bce" else 0.2)
        assert "learning rate" in blowup.message("en") and "학습률" in blowup.message("ko")


def test_the_first_saturated_epoch_is_the_one_reported():
    trainer = Trainer(MLP.with_(activation="tanh", lr=1000.0, seed=2))
    trainer.run(to_epoch=100)
    b = trainer.blowup.epoch
    assert b > 1  # at epoch 1 its outputs are already pinned, but BCE's gradient has not vanished yet

    def stuck(epoch):
        pinned = all(p < PINNED or p > 1 - PINNED for p in trainer.history.predictions(epoch))
        weights = trainer.history.weights_at(epoch)
        largest = max(
            max(abs(g) for row in layer.weight_grad for g in row + layer.bias_grad) for layer in weights.layers
        )
        return pinned and largest < VANISHED

    assert stuck(b) and not any(stuck(epoch) for epoch in range(b))


def test_non_finite_values_are_caught_at_the_epoch_they_appear():
    trainer = Trainer(MLP.with_(activation="relu", lr=1e30))
    assert trainer.run(to_epoch=100) == "blowup"
    assert trainer.blowup.kind == "non-finite" and trainer.blowup.epoch == 1
    assert math.isnan(trainer.history.loss(1))
    assert "NaN" in trainer.blowup.message("en")


def test_history_before_a_blowup_stays_intact_and_browsable():
    good = Trainer(MLP)
    good.step(1)
    trainer = Trainer(MLP.with_(lr=1000.0))
    trainer.run(to_epoch=100)
    b = trainer.blowup.epoch
    assert len(trainer.history) == b + 1
    assert trainer.history.loss(0) == good.history.loss(0)  # same start, only the lr differs
    assert trainer.history.weights_at(0).layers == good.history.weights_at(0).layers
    assert trainer.history.weights_at(b).epoch == b
    # Nothing more happens until the learner changes course.
    assert trainer.step(10) == 0 and len(trainer.history) == b + 1
    trainer.rewind(0)
    trainer.set_lr(1.0)
    assert trainer.blowup is None
    trainer.step(5)
    good.step(4)
    assert trainer.history.losses() == good.history.losses()


@pytest.mark.parametrize("lesson_id", [spec.id for spec in trained()])
def test_the_lessons_never_raise_a_false_alarm(lesson_id):
    spec = lesson(lesson_id)
    for seed in range(10):
        for lr in (1.0, 10.0):
            trainer = Trainer(spec.config.with_(seed=seed, lr=lr))
            assert trainer.run(to_epoch=spec.epochs) == "epoch", (seed, lr, trainer.blowup)


class _Stuck:
    """A kernel whose gradients are all finite and all but vanished (what saturation leaves)."""

    def __init__(self, largest: float):
        self.largest = largest

    def all_finite(self) -> bool:
        return True

    def largest_gradient(self) -> float:
        return self.largest


def test_outputs_pinned_at_the_wrong_answer_with_vanished_gradients_end_the_run_at_its_loss():
    pinned = [1 - PINNED / 2, PINNED / 2, PINNED / 2, 1 - PINNED / 2]  # XOR's rows, every one wrong
    blowup = diagnose(_Stuck(VANISHED / 2), 12, 4.25, pinned, 0.0, [0, 1, 1, 0], 50.0)
    assert (blowup.epoch, blowup.kind, blowup.loss, blowup.lr) == (12, "saturated", 4.25, 50.0)
    assert "the loss is stuck at 4.2500" in blowup.message()  # English unless asked otherwise
    assert blowup.message(short=True).startswith("At epoch 12 every output is pinned at 0 or 1")
    assert blowup.message("ko") != blowup.message("en")
    # Gradients still as large as VANISHED, an output not quite pinned, or every pinned output right: learning goes on.
    assert diagnose(_Stuck(VANISHED), 12, 4.25, pinned, 0.0, [0, 1, 1, 0], 50.0) is None
    assert diagnose(_Stuck(0.0), 12, 4.25, [*pinned[:3], 1 - PINNED], 0.0, [0, 1, 1, 0], 50.0) is None
    assert diagnose(_Stuck(0.0), 12, 4.25, [pinned[0], PINNED, *pinned[2:]], 0.0, [0, 1, 1, 0], 50.0) is None
    assert diagnose(_Stuck(0.0), 12, 0.0, pinned, 0.0, [1, 0, 0, 1], 50.0) is None


def test_a_nan_loss_ends_the_run_even_with_finite_gradients():
    blowup = diagnose(_Stuck(0.0), 3, math.nan, [0.5] * 4, 0.0, [0, 1, 1, 0], 1.0)
    assert blowup.kind == "non-finite" and blowup.epoch == 3 and math.isnan(blowup.loss) and blowup.lr == 1.0
    assert blowup.message().startswith("At epoch 3 the numbers became infinite or NaN")
    # A gradient sum that overflowed while every gradient is finite is not a blow-up.
    assert diagnose(_Stuck(1.0), 3, 0.5, [0.5] * 4, math.inf, [0, 1, 1, 0], 1.0) is None


def test_the_short_message_is_fewer_words_with_the_same_advice():
    """The status line's message (80 columns) is the full one cut down, for both kinds, in both languages."""
    for blowup in (BlowUp(3, "non-finite", math.nan, 1e30), BlowUp(12, "saturated", 4.25, 50.0)):
        for lang in ("en", "ko"):
            short, full = blowup.message(lang, short=True), blowup.message(lang)
            assert len(short) < len(full), (blowup.kind, lang)
        assert blowup.message(short=True).endswith("Lower it and start again.")
