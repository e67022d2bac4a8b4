"""The threshold neuron of 1943: exact in tenths, reaching AND, OR, NAND and NOT x₁ by hand, never XOR."""

from __future__ import annotations

import itertools

import pytest

from core.datasets import dataset
from core.neuron import (
    LABELS,
    LIMIT,
    TARGETS,
    ThresholdNeuron,
    conditions,
    example,
    next_target,
    reachable,
    target_table,
)


def test_it_fires_when_the_weighted_sum_reaches_the_threshold():
    neuron = ThresholdNeuron(w1=5, w2=5, theta=10)  # 0.5, 0.5, 1.0
    assert [neuron.fires(x) for x in ((0, 0), (0, 1), (1, 0), (1, 1))] == [0, 0, 0, 1]  # 1.0 ≥ 1.0 fires
    assert neuron.reaches("and") and not neuron.reaches("or")
    assert [row.total for row in neuron.table("and")] == [0.0, 0.5, 0.5, 1.0]


def test_steps_of_a_tenth_are_exact_where_floats_are_not():
    # In floating point 0.7 + 0.1 < 0.8; in tenths 7 + 1 = 8 reaches the threshold.
    assert 0.7 + 0.1 < 0.8
    neuron = ThresholdNeuron(w1=0, w2=0, theta=0).nudged("w1", 7).nudged("w2", 1).nudged("theta", 8)
    assert (neuron.value("w1"), neuron.value("w2"), neuron.value("theta")) == (0.7, 0.1, 0.8)
    assert neuron.fires((1, 1)) == 1


def test_parameters_stay_within_the_limit():
    neuron = ThresholdNeuron()
    assert neuron.nudged("theta", 1000).theta == LIMIT and neuron.nudged("w1", -1000).w1 == -LIMIT
    with pytest.raises(KeyError):
        neuron.nudged("bias", 1)


@pytest.mark.parametrize("target", ["and", "or", "nand", "not-x1"])
def test_every_target_but_xor_has_weights_that_reach_it(target):
    found = example(target)
    assert reachable(target) and found is not None and found.reaches(target)
    assert all(getattr(found, name) % 10 == 0 for name in ("w1", "w2", "theta"))  # whole numbers suffice
    assert all(c.holds for c in conditions(found, target))


def test_no_weights_on_the_grid_reach_xor_and_the_reason_is_its_four_conditions():
    assert not reachable("xor") and example("xor") is None
    assert [t for _, t in target_table("xor").rows] == [0, 1, 1, 0]  # rows (0,0) (0,1) (1,0) (1,1)
    grid = range(-LIMIT, LIMIT + 1)
    for w1, w2, theta in itertools.product(grid, repeat=3):  # every setting the keys can make
        assert not (theta > 0 and w2 >= theta and w1 >= theta and w1 + w2 < theta)
    # Whatever the neuron, at least one of XOR's conditions fails.
    for neuron in (ThresholdNeuron(10, 10, 10), ThresholdNeuron(10, 10, 20), ThresholdNeuron(-5, 3, -1)):
        held = conditions(neuron, "xor")
        assert [c.fire for c in held] == [False, True, True, False] and not all(c.holds for c in held)


def test_targets_are_the_lessons_truth_tables_in_order():
    assert [LABELS[t] for t in TARGETS] == ["AND", "OR", "NAND", "NOT x₁", "XOR"]
    assert [target_table(t).column for t in TARGETS] == ["0001", "0111", "1110", "1100", "0110"]
    assert target_table("not-x1") == dataset("not-x1") == dataset("not-a")
    assert next_target("xor") == "and" and next_target("and", -1) == "xor"
    with pytest.raises(KeyError):
        target_table("parity3")
