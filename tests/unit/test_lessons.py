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
    assert list(LESSONS) == ["neuron", "perceptron-rule", "and", "or", "xor", "xor-mlp", "xor-2-2-1"]
    assert [spec.id for spec in trained()] == ["perceptron-rule", "and", "or", "xor", "xor-mlp", "xor-2-2-1"]
    assert not LESSONS["neuron"].trains  # weights set by hand (core.neuron)
    rule = LESSONS["perceptron-rule"]  # Rosenblatt's rule (core.rule): η 1 from zero weights, 20 epochs
    assert rule.rule and (rule.config.lr, rule.config.seed, rule.epochs, rule.log_every) == (1.0, 0, 20, 1)
    assert [spec.id for spec in LESSONS.values() if spec.rule] == ["perceptron-rule"]
    for spec in trained()[1:]:
        c = spec.config
        assert (c.optimizer, c.lr, c.loss, c.activation, spec.log_every) == ("sgd", 1.0, "bce", "sigmoid", 100)
    assert [spec.epochs for spec in trained()[1:]] == [1000, 1000, 1000, 5000, 5000]
    assert LESSONS["xor-mlp"].config.sizes == (2, 64, 32, 16, 1)
    assert LESSONS["xor-2-2-1"].config.sizes == (2, 2, 1)
    assert LESSONS["and"].config.sizes == (2, 1)


def test_the_texts_tell_the_history_in_both_languages():
    for lang in ("ko", "en"):
        text = "".join(spec.text_in(lang) for spec in LESSONS.values())
        for year in ("1943", "1957", "1969", "1974", "1986"):
            assert year in text, (lang, year)
        assert "0.6931" in text
    assert "민스키" in LESSONS["xor"].text_in("ko") and "Minsky" in LESSONS["xor"].text_in("en")
    assert "힌턴" in LESSONS["xor-mlp"].text_in("ko") and "Werbos" in LESSONS["xor-mlp"].text_in("en")


def test_the_2_2_1_default_seed_draws_or_and_nand_and_combines_them():
    """What the lesson's text says of seed 0: the loss on ln 2 at epoch 1000, every row right
    from epoch 1982, 0.0061 at 5000; the hidden neurons OR and NAND, the output their AND."""
    from core.maps.boundary import Params, neuron_columns

    trainer = _train("xor-2-2-1", 0)
    history = trainer.history
    assert abs(history.loss(1000) - math.log(2)) < 1e-3
    assert history.first_epoch_where(100.0) == 1982
    assert round(history.loss(5000), 4) == 0.0061
    weights = history.weights_at(5000)
    params = Params.of(weights.layers, "sigmoid")
    assert sorted(neuron_columns(params, LESSONS["xor-2-2-1"].config.data.rows)[0]) == ["0111", "1110"]  # OR, NAND
    assert all(w > 5 for w in weights.layers[1].weight[0]) and weights.layers[1].bias[0] < -max(
        weights.layers[1].weight[0]
    )


def test_the_2_2_1_stuck_seeds_the_text_names():
    """Seed 5 (R five times from seed 0) stays at ln 2 / 2 with rows (1,0) and (1,1) at 0.5; seed
    137 waits near 0.477 at epoch 5000."""
    history = _train("xor-2-2-1", 5).history
    assert abs(history.loss(5000) - math.log(2) / 2) < 2e-3
    p = history.predictions(5000)
    assert abs(p[2] - 0.5) < 0.01 and abs(p[3] - 0.5) < 0.01 and p[0] < 0.01 and p[1] > 0.99
    history = _train("xor-2-2-1", 137).history
    assert abs(history.loss(5000) - (0.75 * math.log(3) - 0.5 * math.log(2))) < 0.01
    assert history.first_epoch_where(100.0) is None


def test_unknown_lesson_names_the_lessons():
    with pytest.raises(ValueError, match="neuron, perceptron-rule, and, or, xor, xor-mlp, xor-2-2-1"):
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


def test_the_optimizers_are_named_as_they_are_written_adam_not_adam_in_capitals():
    from core.config import TrainConfig
    from core.lessons import Experiment

    for lang in ("en", "ko"):
        run = Experiment(config=TrainConfig(dataset="xor", hidden=(2,), optimizer="adam", lr=0.01), epochs=10)
        assert "Adam" in run.text_in(lang) and "ADAM" not in run.text_in(lang)
