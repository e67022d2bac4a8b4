"""core.portable_exp: exp, the sigmoid and tanh of additions, multiplications and a table, close to
numpy's own (which differ by CPU in their last bits; test_boundary checks the bits agree)."""

from __future__ import annotations

import numpy as np
import pytest

import core  # noqa: F401  (the engine's numerics first)
from core.portable_exp import BLOCK, activate_inplace, exp, exp_inplace, sigmoid_inplace


def test_exp_is_within_two_ulps_of_numpys_over_the_whole_finite_range():
    x = np.linspace(-700, 700, 200_001)
    relative = np.abs(exp(x) - np.exp(x)) / np.exp(x)
    assert relative.max() < 5e-16


def test_exp_stays_finite_and_normal_past_float64s_range():
    big, small = exp(np.array([1000.0, -1000.0]))
    assert big == exp(np.array([709.0]))[0] and np.isfinite(big)
    assert small == exp(np.array([-708.0]))[0] and small > np.finfo(np.float64).tiny


def test_exp_leaves_its_input_alone_and_works_on_any_shape():
    x = np.arange(12.0).reshape(3, 4) / 4
    kept = x.copy()
    assert np.allclose(exp(x), np.exp(kept), rtol=1e-15, atol=0) and np.array_equal(x, kept)


@pytest.mark.parametrize("shape", [(BLOCK * 2 + 1000,), (1089, 64), (3, BLOCK // 3 + 7), (BLOCK,)])
def test_a_large_array_is_worked_through_in_blocks_to_the_same_bits_as_one_element_at_a_time(shape):
    x = np.random.default_rng(3).normal(0, 30, size=shape)
    alone = np.array([exp(np.array([v]))[0] for v in x.ravel()[:: max(1, x.size // 4000)]])
    whole = exp(x)  # through exp_inplace, block by block
    assert whole.shape == shape
    assert np.array_equal(whole.ravel()[:: max(1, x.size // 4000)].view(np.int64), alone.view(np.int64))
    assert np.array_equal(
        whole.ravel()[-1:].view(np.int64), exp(x.ravel()[-1:]).view(np.int64)
    )  # the last block's tail
    strided = np.asfortranarray(x)  # not C-contiguous: in one piece, in place all the same
    assert np.array_equal(exp_inplace(strided).view(np.int64), whole.view(np.int64))


@pytest.mark.parametrize(
    ("activation", "reference"),
    [("sigmoid", lambda z: 1 / (1 + np.exp(-z))), ("tanh", np.tanh), ("relu", lambda z: np.maximum(z, 0))],
)
def test_the_activations_in_place(activation, reference):
    z = np.linspace(-30, 30, 6001)
    out = activate_inplace(z.copy(), activation)
    assert np.abs(out - reference(z)).max() < 1e-15


def test_the_sigmoid_writes_into_its_argument_and_an_unknown_activation_is_refused():
    z = np.array([0.0, 2.0])
    assert sigmoid_inplace(z) is z and z[0] == 0.5
    with pytest.raises(ValueError, match="unknown activation 'gelu'"):
        activate_inplace(np.zeros(2), "gelu")


def test_softplus_is_within_two_ulps_of_numpys_log1p_and_ln2_at_zero():
    from core.portable_exp import softplus_inplace

    z = np.linspace(-700, 700, 200_001)
    reference = np.maximum(z, 0) + np.log1p(np.exp(-np.abs(z)))
    got = softplus_inplace(z.copy())
    assert np.abs(got - reference).max() <= 4 * np.spacing(np.abs(reference)).max()
    assert np.abs(got - reference).max() < 1e-13
    assert abs(softplus_inplace(np.zeros(1))[0] - np.log(2)) <= np.spacing(np.log(2))
