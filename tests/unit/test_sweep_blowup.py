"""The seed sweep applies the trainer's blow-up rules to each network of its batch: a gradient that
turns infinite while the loss is still finite ends that seed's run, and a sum of gradients that only
overflowed does not."""

from __future__ import annotations

import math

import torch

from core.sweep.sweep import _Network
from core.trainer import diagnose

XOR = [0, 1, 1, 0]


def _network(grads, params=(0.5, -0.5, 0.25)) -> _Network:
    return _Network(torch.tensor(params, dtype=torch.float32), torch.tensor(grads, dtype=torch.float32))


def test_an_infinite_gradient_or_parameter_ends_a_seeds_run_while_the_loss_is_finite():
    for network in (_network([1.0, math.inf, 0.0]), _network([1.0, 2.0, 0.0], params=(0.5, math.nan, 0.0))):
        blowup = diagnose(network, 7, 0.69, [0.5] * 4, math.inf, XOR, 1.0)
        assert blowup is not None and (blowup.kind, blowup.epoch) == ("non-finite", 7)


def test_finite_gradients_whose_sum_overflowed_go_on():
    big = _network([3e38, 3e38, -1.0])
    assert big.all_finite() and diagnose(big, 7, 0.69, [0.5] * 4, math.inf, XOR, 1.0) is None
    assert big.largest_gradient() == torch.tensor(3e38, dtype=torch.float32).item()
