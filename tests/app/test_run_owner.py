"""The run's one owner (tui/run/owner.py) without a screen: what the state is for each moment of a
run, the epoch on view never past either end, and a change to the run refused while a worker
trains it. The Pilot tests drive the same rules by keys; these say them one by one, in a second."""

from __future__ import annotations

import pytest

from core.lessons import lesson
from tui.run.live import LiveRun
from tui.run.owner import RunOwner, RunWhileTraining


class _App:
    """The part of the app the owner writes and reads: its state."""

    _run_state = "loading"

    @property
    def state(self) -> str:
        return self._run_state


def _owner(lesson_id: str = "and", epochs: int | None = None) -> tuple[RunOwner, _App]:
    app = _App()
    live = LiveRun(lesson(lesson_id), epochs)
    owner = RunOwner(app, live)
    live.load()
    owner.settle()
    return owner, app


def test_the_state_says_where_the_run_is():
    app = _App()
    unloaded = RunOwner(app, LiveRun(lesson("and")))
    unloaded.settle()
    assert app.state == "loading"
    owner, app = _owner(epochs=5)
    assert app.state == "ready" and owner.live.last_epoch == 0  # epoch 0 only: nothing trained yet
    owner.step(2)
    owner.settle()
    assert app.state == "paused" and owner.live.last_epoch == 2
    owner.step(3)
    owner.settle()
    assert app.state == "finished"
    owner.extend()
    owner.settle()
    assert app.state == "paused" and owner.live.goal == 10
    owner.reset()
    owner.settle()
    assert app.state == "ready" and owner.live.last_epoch == 0 and owner.live.goal == 5
    with pytest.raises(ValueError, match="unknown state 'asleep'"):
        owner.set_state("asleep")


def test_a_blown_up_run_is_blown_up():
    owner, app = _owner("xor-mlp")
    owner.live.set_lr(10_000.0, training=False)
    owner.step(400)
    owner.settle()
    assert owner.live.blowup is not None and app.state == "blown_up"


def test_the_epoch_on_view_stays_between_0_and_the_latest():
    owner, _ = _owner()
    owner.step(10)
    assert owner.view is None and owner.viewed == 10 and not owner.in_past
    owner.browse(4)
    assert owner.view == 4 and owner.viewed == 4 and owner.in_past
    owner.browse(-100)
    assert owner.view == 0 and owner.viewed == 0 and owner.in_past
    owner.browse(0)
    assert owner.view == 0
    owner.browse(10)  # the latest: follow it
    assert owner.view is None and not owner.in_past
    owner.browse(25)
    assert owner.view is None and owner.viewed == 10
    owner.browse(9)
    owner.browse(None)
    assert owner.view is None
    owner.browse(3)
    assert owner.frame_on_view("ko") == (owner.live.stamp(3), "ko")
    owner.step(1)  # training on follows the latest again
    assert owner.view is None and owner.viewed == 11


def test_nothing_changes_the_run_while_a_worker_trains_it():
    owner, app = _owner()
    owner.step(5)
    owner.browse(2)
    owner.start_training()
    assert app.state == "running" and owner.view is None  # the latest is on view while training
    for change in (lambda: owner.step(1), owner.reset, lambda: owner.branch(1), owner.extend, owner.start_training):
        with pytest.raises(RunWhileTraining):
            change()
    with pytest.raises(RunWhileTraining):
        owner.use(LiveRun(lesson("or")))
    assert owner.live.last_epoch == 5
    owner.trained()
    owner.step(1)
    assert owner.live.last_epoch == 6


def test_a_rate_set_while_training_waits_for_the_worker_and_one_set_at_rest_makes_the_next_epoch():
    owner, _ = _owner()
    owner.step(3)
    lr = owner.live.lr
    owner.start_training()
    owner.set_lr(up=True)
    # The rate on screen is the new one; the run takes it up once the worker has stopped.
    assert owner.live.lr == 2 * lr and owner.live.trainer.history.lr_changes() == [(0, lr)]
    owner.trained()
    owner.settle()
    assert owner.live.lr == 2 * lr and owner.live.trainer.history.lr_at(3) == 2 * lr
    owner.set_lr(up=False)
    assert owner.live.lr == lr and owner.live.trainer.history.lr_at(3) == lr


def test_branching_keeps_the_epoch_and_follows_the_new_latest():
    owner, _ = _owner()
    owner.step(8)
    owner.browse(3)
    owner.branch(3)
    assert owner.view is None and owner.live.last_epoch == 3  # epochs 4 to 8 forgotten, 3 made again
    assert owner.live.trainer.history.lr_changes() == [(0, owner.live.lr)]
    owner.branch(3)  # already the latest: nothing to forget
    assert owner.live.last_epoch == 3


def test_a_new_run_keeps_the_learners_speed_and_loads_at_the_epoch_asked():
    owner, app = _owner()
    owner.live.speed = 100
    other = LiveRun(lesson("or"))
    owner.use(other, view=7)
    assert owner.live is other and owner.view == 7 and other.speed == 100 and app.state == "loading"
    third = LiveRun(lesson("xor"))
    owner.use(third, keep_speed=False)
    assert third.speed != 100 and owner.view is None


def test_a_reset_with_a_new_seed_starts_from_new_weights_and_without_one_from_the_same():
    owner, _ = _owner()
    first = owner.live.trainer.history.predictions(0)
    owner.step(4)
    owner.reset()
    assert owner.live.seed == 0 and owner.live.trainer.history.predictions(0) == first
    owner.reset(new_seed=True)
    assert owner.live.seed == 1 and owner.live.trainer.history.predictions(0) != first
    assert owner.live.last_epoch == 0 and owner.view is None


def test_an_app_opened_on_a_past_epoch_shows_that_epoch():
    live = LiveRun(lesson("and"), 20)
    live.load()
    live.step(10)
    owner = RunOwner(_App(), live, view=4)  # as make_app(..., run=live, view=4) opens it
    assert owner.view == 4 and owner.viewed == 4 and owner.in_past
