"""Plausible bugs that once passed every test (issue 23), each stated as what must hold in the
learner's terms, so that the bug makes a test fail."""

from __future__ import annotations

import math

from scenarios import settle, wait_ready

from core.history import History
from core.lessons import lesson
from core.trainer import diagnose
from tui.app import make_app


def test_an_output_of_exactly_one_half_is_class_1_as_in_the_notebook():
    # Zero weights give every row p = 0.5: class 1, so of AND's rows only (1,1) is right.
    history = History(lesson("and").config, lr=1.0)
    history.record(math.log(2), [0.5, 0.5, 0.5, 0.5])
    assert history.accuracy(0) == 25.0


def test_any_difference_in_any_epochs_predictions_changes_the_fingerprint():
    config = lesson("xor").config
    first, second = History(config, lr=1.0), History(config, lr=1.0)
    for epoch in range(3):
        predictions = [0.25, 0.5, 0.5, 0.75]
        first.record(0.69, predictions)
        if epoch == 1:
            predictions = [0.25, 0.5, 0.5 + 2**-24, 0.75]  # one bit of one output, as recorded (float32)
        second.record(0.69, predictions)
    assert first.fingerprint() != second.fingerprint()


class _Kernel:
    """A kernel whose gradients are not all finite while its loss is."""

    def all_finite(self) -> bool:
        return False

    def largest_gradient(self) -> float:
        return math.inf


def test_an_infinite_gradient_with_a_finite_loss_ends_the_run():
    blowup = diagnose(_Kernel(), 7, 0.5, [0.3, 0.6, 0.6, 0.3], math.inf, [0, 1, 1, 0], 10.0)
    assert blowup is not None and blowup.kind == "non-finite" and blowup.epoch == 7


async def test_browsing_before_epoch_0_stops_at_epoch_0(tmp_path):
    app = make_app("and", workdir=tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await pilot.press("N", "left", "pageup", "pageup", "left")
        await settle(pilot)
        assert app.view == 0 and "Epoch: 0/1000" in app.query_one("#status").plain
        app.owner.browse(-100)
        assert app.view == 0
