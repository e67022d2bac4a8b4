"""Rosenblatt's perceptron rule (core/rule.py): its updates checked by hand, AND and OR learnt within
Novikoff's bound, XOR cycling with the period found, and the run as the trainer and history keep it
(any epoch brought back exactly, branches, session files)."""

from __future__ import annotations

import math
import random
from fractions import Fraction

import pytest

from core.config import TrainConfig
from core.datasets import dataset
from core.lessons import LESSONS
from core.rule import best_separator, initial_weights, novikoff, outcome, output, rule_pass, status_at
from core.trainer import Trainer
from core.words import say

F = Fraction


def rows(name: str):
    return tuple(dataset(name).rows)


def trained(name: str, epochs: int, seed: int = 0, lr: float = 1.0) -> Trainer:
    trainer = Trainer(TrainConfig(dataset=name, seed=seed, lr=lr), rule=True)
    trainer.run(to_epoch=epochs)
    return trainer


def weights(trainer: Trainer, epoch: int) -> tuple[float, ...]:
    layer = trainer.history.weights_at(epoch).layers[0]
    return (*layer.weight[0], *layer.bias)


# --- the rule, by hand --------------------------------------------------------------------------


def test_the_threshold_unit_fires_at_zero_and_above():
    assert output((F(0), F(0), F(0)), (0, 0)) == 1  # w·x + b = 0: ≥ 0, so 1
    assert output((F(1), F(1), F(-2)), (1, 0)) == 0
    assert output((F(1), F(1), F(-2)), (1, 1)) == 1


def test_and_from_zero_by_hand():
    # Epoch 0, w = (0, 0), b = 0. (0,0)→0: z = 0, ŷ = 1, wrong: b ← 0 − 1 = −1.
    # (0,1)→0: z = −1, ŷ = 0, right. (1,0)→0: z = −1, right. (1,1)→1: z = −1, ŷ = 0, wrong:
    # w ← (0,0) + (1,1) = (1,1), b ← −1 + 1 = 0. Two mistakes; the pass ends at (1, 1, 0).
    first = rule_pass((F(0),) * 3, rows("and"), F(1))
    assert (first.after, first.mistakes) == ((1, 1, 0), 2)
    # Epoch 1 from (1,1,0): (0,0): z = 0, wrong: b = −1. (0,1): z = 1 − 1 = 0, ŷ = 1, wrong: w₂ = 0,
    # b = −2. (1,0): z = 1 − 2 = −1, right. (1,1): z = 1 + 0 − 2 = −1, wrong: w = (2,1), b = −1.
    second = rule_pass(first.after, rows("and"), F(1))
    assert (second.after, second.mistakes) == ((2, 1, -1), 3)
    # The trainer's epochs are the same: epoch e shows the weights after e passes, and its change.
    trainer = trained("and", 3)
    assert weights(trainer, 1) == (1.0, 1.0, 0.0) and weights(trainer, 2) == (2.0, 1.0, -1.0)
    assert [trainer.history.loss(e) for e in (0, 1)] == [2.0, 3.0]
    change = trainer.history.weights_at(1).layers[0]
    assert (*change.weight_grad[0], *change.bias_grad) == (1.0, 0.0, -1.0)  # (2,1,−1) − (1,1,0)
    assert trainer.history.predictions(0) == [1.0, 1.0, 1.0, 1.0]  # zero weights: every z is 0


def test_a_row_it_gets_right_changes_nothing_and_eta_scales_the_change():
    start = (F(1, 2), F(-1, 4), F(1, 10))
    right = rule_pass(start, (((1, 0), 1),), F(3, 10))  # z = 0.6 ≥ 0: ŷ = 1 = y
    assert right.after == start and right.mistakes == 0
    wrong = rule_pass(start, (((1, 1), 0),), F(3, 10))  # z = 0.35: ŷ = 1, y = 0: subtract η·x
    assert wrong.after == (F(1, 5), F(-11, 20), F(-1, 5)) and wrong.mistakes == 1


def test_a_seed_starts_from_small_random_weights_the_same_everywhere():
    assert initial_weights(2, 0) == (0, 0, 0)
    w = initial_weights(2, 7)
    rng = random.Random(7)
    assert w == tuple(F(rng.randint(-50, 50), 100) for _ in range(3))
    assert all(abs(v) <= F(1, 2) for v in w) and any(w)
    trainer = trained("and", 0, seed=7)
    assert weights(trainer, 0) == tuple(float(v) for v in w)


# --- AND and OR: within Novikoff's bound -------------------------------------------------------


def test_novikoffs_bound_is_exact_for_and_and_or_and_there_is_none_for_xor():
    and_bound = novikoff(rows("and"), (F(0),) * 3, F(1))
    assert (and_bound.r_squared, and_bound.gamma_squared, and_bound.bound) == (3, F(1, 17), 51)
    or_bound = novikoff(rows("or"), (F(0),) * 3, F(1))
    assert (or_bound.r_squared, or_bound.gamma_squared, or_bound.bound) == (3, F(1, 9), 27)
    assert novikoff(rows("xor"), (F(0),) * 3, F(1)) is None


@pytest.mark.parametrize("name", ["and", "or", "nand", "x1-and-not-x2", "x1"])
def test_the_margin_is_the_best_a_line_has(name):
    # γ = max over unit u of min over rows of s·u·x̃. The separator found reaches γ = 1/|v| exactly
    # (its nearest rows are at s·v·x̃ = 1), and no direction of a fine search over the sphere beats it.
    import numpy as np

    v = best_separator(rows(name))
    signed = np.array([[(1 if t else -1) * c for c in (*x, 1)] for x, t in rows(name)], dtype=np.float64)
    assert min(sum(a * b for a, b in zip(v, s)) for s in signed.astype(int).tolist()) == 1
    gamma = 1 / math.sqrt(sum(x * x for x in v))
    theta, phi = np.meshgrid(np.radians(np.arange(0, 180, 0.25)), np.radians(np.arange(0, 360, 0.25)))
    u = np.stack([np.sin(theta) * np.cos(phi), np.sin(theta) * np.sin(phi), np.cos(theta)], axis=-1)
    found = (u @ signed.T).min(axis=-1).max()
    assert found <= gamma + 1e-12
    assert gamma - found < 1e-2


@pytest.mark.parametrize("name", ["and", "or"])
@pytest.mark.parametrize("seed", [0, 1, 2, 3])
@pytest.mark.parametrize("lr", [1.0, 0.5, 0.1])
def test_and_and_or_stop_making_mistakes_within_novikoffs_bound(name, seed, lr):
    trainer = trained(name, 60, seed, lr)
    history = trainer.history
    mistakes = [int(m) for m in history.losses()]
    bound = novikoff(rows(name), initial_weights(2, seed), Fraction(lr)).bound
    assert sum(mistakes) <= bound
    last_mistake = max(e for e, m in enumerate(mistakes) if m) if any(mistakes) else -1
    assert last_mistake < 15  # "within a few epochs"
    assert all(m == 0 for m in mistakes[last_mistake + 1 :])
    assert history.accuracy(last_mistake + 1) == 100.0
    found = outcome(rows(name), initial_weights(2, seed), Fraction(lr))
    assert found.converged and found.first == last_mistake + 1 and found.total_mistakes == sum(mistakes)


# --- XOR: a cycle --------------------------------------------------------------------------------


def test_xor_from_zero_cycles_with_period_one_from_epoch_two():
    found = outcome(rows("xor"), (F(0),) * 3, F(1))
    assert (found.converged, found.first, found.period) == (False, 2, 1)
    assert found.mistakes == (3, 3, 4)
    trainer = trained("xor", 40)
    assert weights(trainer, 2) == (-1.0, 0.0, 0.0)
    assert all(weights(trainer, e) == weights(trainer, 2) for e in (3, 17, 40))
    assert weights(trainer, 1) != weights(trainer, 2)
    assert [trainer.history.loss(e) for e in range(2, 41)] == [4.0] * 39
    # Within the pass the weights go round four states and come back: each row is a mistake.
    state, seen = (F(-1), F(0), F(0)), []
    for row in rows("xor"):
        state = rule_pass(state, (row,), F(1)).after
        seen.append(state)
    assert seen[-1] == (-1, 0, 0) and len(set(seen)) == 4


@pytest.mark.parametrize("seed", range(1, 9))
@pytest.mark.parametrize("lr", [1.0, 0.5, 0.3])
def test_xor_never_stops_and_its_cycle_is_found(seed, lr):
    found = outcome(rows("xor"), initial_weights(2, seed), Fraction(lr))
    assert found is not None and not found.converged and found.period >= 1
    assert sum(found.mistakes[found.first :]) >= found.period  # every cycle makes mistakes
    trainer = trained("xor", found.first + 2 * found.period, seed, lr)
    first = weights(trainer, found.first)
    assert weights(trainer, found.first + found.period) == first
    assert weights(trainer, found.first + 2 * found.period) == first
    assert all(weights(trainer, found.first + k) != first for k in range(1, found.period))
    assert all(weights(trainer, e) != first for e in range(found.first))
    assert trainer.history.first_epoch_where(100.0) is None


def test_on_xor_the_cycle_is_one_pass_long_from_every_start_tried():
    # Measured: from zero or random weights, with any of these η, a pass of XOR's four rows ends
    # where it began once the cycle is reached (the weights go round inside the pass).
    periods = {
        outcome(rows("xor"), initial_weights(2, seed), Fraction(lr)).period
        for seed in range(1, 30)
        for lr in (1.0, 0.5, 0.3, 0.1)
    }
    assert periods == {1}


# --- the run as any lesson's: browsing, branches, files -----------------------------------------


def test_any_epoch_comes_back_exactly_in_any_order():
    trainer = trained("and", 30, seed=3, lr=0.1)
    history = trainer.history
    forward = [history.weights_at(e) for e in range(31)]
    order = list(range(31))
    random.Random(0).shuffle(order)
    assert all(history.weights_at(e) == forward[e] for e in order)


def test_a_branch_goes_on_as_the_run_would():
    whole = trained("xor", 12, seed=2, lr=0.5)
    branched = trained("xor", 12, seed=2, lr=0.5)
    branched.rewind(5)
    branched.run(to_epoch=12)
    assert branched.history.fingerprint() == whole.history.fingerprint()


def test_a_session_file_replays_the_rule(tmp_path):
    from core.files.session_file import SavedRun, read_session, save_session

    trainer = trained("or", 9, seed=4, lr=0.5)
    path = tmp_path / "rule.json"
    save_session(path, SavedRun.of(trainer, "perceptron-rule", 20, goal=20, view=None))
    saved = read_session(path)
    assert saved.lesson.rule
    again = saved.replay()
    assert again.history.fingerprint() == trainer.history.fingerprint()
    assert weights(again, 7) == weights(trainer, 7)


def test_the_rule_never_blows_up_even_when_its_change_is_zero_with_mistakes():
    # XOR's pass from epoch 2 changes nothing overall yet errs on every row: not a "saturated" run.
    trainer = trained("xor", 500, lr=1000.0)
    assert trainer.blowup is None and trainer.history.last_epoch == 500


def test_the_status_counts_the_mistakes_so_far_and_knows_the_end():
    trainer = trained("and", 10)
    history = trainer.history
    status = status_at(trainer.config, 3, history.losses(0, 4), history.lr_changes())
    assert (status.mistakes, status.so_far, status.converged) == (2, 10, False)
    later = status_at(trainer.config, 6, history.losses(0, 7), history.lr_changes())
    assert (later.so_far, later.converged, later.bound.bound) == (11, True, 51)
    xor = trained("xor", 6)
    cycling = status_at(xor.config, 5, xor.history.losses(0, 6), xor.history.lr_changes())
    assert cycling.cycling and cycling.outcome.first_seen(5) == 2 and cycling.bound is None


# --- the lesson's words, against the engine ------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_lessons_numbers_are_the_engines(lang):
    text = say("lesson.perceptron-rule.text", lang)
    and_run = outcome(rows("and"), (F(0),) * 3, F(1))
    or_run = outcome(rows("or"), (F(0),) * 3, F(1))
    xor_run = outcome(rows("xor"), (F(0),) * 3, F(1))
    assert (and_run.total_mistakes, and_run.first) == (11, 5)
    assert (or_run.total_mistakes, or_run.first) == (5, 3)
    assert (xor_run.first, xor_run.period, xor_run.mistakes[-1]) == (2, 1, 4)
    for figure in ("11", "5", "51", "27", "1/17", "1/9", "R² = 3", "2", "4"):
        assert figure in text, figure
    assert list(LESSONS).index("perceptron-rule") == list(LESSONS).index("neuron") + 1
    assert list(LESSONS).index("and") == list(LESSONS).index("perceptron-rule") + 1
