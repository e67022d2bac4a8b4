"""What the lessons teach must happen: AND and OR learnt, XOR stuck at ln 2, the MLP solving XOR."""

import math

import pytest

from core.lessons import LESSONS, lesson, trained
from core.trainer import Trainer

SEEDS = range(10)


def _train(lesson_id: str, seed: int) -> Trainer:
    spec = lesson(lesson_id)
    trainer = Trainer(spec.config.with_(seed=seed))
    trainer.run(to_epoch=spec.epochs)
    return trainer


@pytest.mark.parametrize("lesson_id", ["and", "or"])
@pytest.mark.parametrize("seed", SEEDS)
def test_a_perceptron_learns_and_and_or(lesson_id, seed):
    history = _train(lesson_id, seed).history
    assert history.accuracy(1000) == 100.0
    assert history.loss(1000) < 0.05


@pytest.mark.parametrize("seed", SEEDS)
def test_a_perceptron_stays_at_ln2_on_xor(seed):
    history = _train("xor", seed).history
    assert abs(history.loss(1000) - math.log(2)) < 1e-3
    assert history.first_epoch_where(100.0) is None


@pytest.mark.parametrize("seed", SEEDS)
def test_the_mlp_learns_xor_after_a_plateau(seed):
    history = _train("xor-mlp", seed).history
    first = history.first_epoch_where(100.0)
    assert first is not None and first <= 5000
    assert history.accuracy(5000) == 100.0
    assert abs(history.loss(1000) - math.log(2)) < 1e-2  # still on the plateau at epoch 1000


def test_the_lessons_carry_the_notebooks_settings():
    assert list(LESSONS) == ["neuron", "and", "or", "xor", "xor-mlp"]
    assert [spec.id for spec in trained()] == ["and", "or", "xor", "xor-mlp"]
    assert not LESSONS["neuron"].trains  # weights set by hand (core.neuron)
    for spec in trained():
        c = spec.config
        assert (c.optimizer, c.lr, c.loss, c.activation, spec.log_every) == ("sgd", 1.0, "bce", "sigmoid", 100)
    assert [spec.epochs for spec in trained()] == [1000, 1000, 1000, 5000]
    assert LESSONS["xor-mlp"].config.sizes == (2, 64, 32, 16, 1)
    assert LESSONS["and"].config.sizes == (2, 1)


def test_the_texts_tell_the_history_in_both_languages():
    for lang in ("ko", "en"):
        text = "".join(spec.text_in(lang) for spec in LESSONS.values())
        for year in ("1943", "1957", "1969", "1974", "1986"):
            assert year in text, (lang, year)
        assert "0.6931" in text
    assert "민스키" in LESSONS["xor"].text_in("ko") and "Minsky" in LESSONS["xor"].text_in("en")
    assert "힌턴" in LESSONS["xor-mlp"].text_in("ko") and "Werbos" in LESSONS["xor-mlp"].text_in("en")


def test_unknown_lesson_names_the_lessons():
    with pytest.raises(ValueError, match="neuron, and, or, xor, xor-mlp"):
        lesson("xnor")


def test_an_experiment_is_a_lesson_titled_and_explained_by_its_settings():
    from core.config import TrainConfig
    from core.lessons import Experiment

    run = Experiment(config=TrainConfig(dataset="xnor", hidden=(3,), activation="tanh", seed=5), epochs=800)
    assert run.id == "experiment" and run.log_every == 100 and hash(run)
    assert run.title_in("en") == "Your experiment: xnor, 2-3-1 tanh"
    assert "seed 5" in run.text_in("en") and "needs a hidden layer" in run.text_in("en")
    assert "나의 실험" in run.title_in("ko") and "은닉층이 필요합니다" in run.text_in("ko")
    alone = Experiment(config=TrainConfig(dataset="mine=00000001"), epochs=10)
    assert "a single neuron can learn it" in alone.text_in("en")
