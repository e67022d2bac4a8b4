"""The keys that go through a run's epochs (tui/run/epochs.py) without a screen: n, N, space, the
arrows, Home and End, and the branch question asked from a past epoch, with a real run and its
owner under an app that records what it was asked to do."""

from __future__ import annotations

import pytest

from core.lessons import lesson
from core.words import say
from tui.run.branch_question import BranchQuestion
from tui.run.epochs import Epochs
from tui.run.live import LiveRun
from tui.run.owner import RunOwner


class _App:
    def __init__(self, lesson_id: str = "and", epochs: int = 20):
        self._run_state = "loading"
        self.lang = "en"
        self.calls: list = []
        self.owner = RunOwner(self, LiveRun(lesson(lesson_id), epochs))
        self.owner.live.load()
        self.owner.settle()
        self.engine = _Recorder(self.calls, "engine")
        self.drawing = _Recorder(self.calls, "drawing")
        self.question = None

    state = property(lambda self: self._run_state)
    live = property(lambda self: self.owner.live)
    view = property(lambda self: self.owner.view)

    def notify(self, text, severity="information"):
        self.calls.append(("notify", text, severity))

    def push_screen(self, screen, callback):
        self.question = (screen, callback)


class _Recorder:
    def __init__(self, calls: list, name: str):
        self.calls, self.name = calls, name

    def __getattr__(self, method):
        return lambda *args: self.calls.append((f"{self.name}.{method}", *args))


def test_a_step_at_the_latest_trains_and_settles():
    app = _App()
    epochs = Epochs(app)
    epochs.step(5)
    assert app.live.last_epoch == 5 and app.calls == [("engine.settle",)]
    epochs.move(1)  # → at the latest steps, as n does
    assert app.live.last_epoch == 6


def test_the_arrows_home_and_end_browse_and_never_train():
    app = _App()
    Epochs(app).step(6)
    epochs, app.calls[:] = Epochs(app), []
    epochs.move(-1)
    assert app.view == 5 and app.calls == [("drawing.redraw",)]
    epochs.move(1)  # in the past, → goes forward
    assert app.view is None and app.live.last_epoch == 6
    epochs.browse(-2)
    assert app.view == 4
    epochs.browse("first")
    assert app.view == 0
    epochs.browse("latest")
    assert app.view is None and app.live.last_epoch == 6


@pytest.mark.parametrize("state", ["loading", "running"])
def test_browsing_waits_while_loading_or_training(state):
    app = _App()
    Epochs(app).step(3)
    app.owner.set_state(state)
    app.calls[:] = []
    Epochs(app).browse(-1)
    assert app.view is None and app.calls == []


def test_training_on_from_a_past_epoch_asks_first_and_branch_trains_from_there():
    app = _App()
    epochs = Epochs(app)
    epochs.step(8)
    epochs.browse(-5)
    app.calls[:] = []
    epochs.step(2)
    screen, answer = app.question
    assert isinstance(screen, BranchQuestion) and (screen.epoch, screen.last) == (3, 8)
    assert app.live.last_epoch == 8 and app.calls == []  # nothing changed before the answer
    answer("branch")
    assert app.live.last_epoch == 5 and app.view is None  # epochs 4 to 8 forgotten; 3 again, then 2 more


def test_jump_goes_to_the_latest_first_and_space_then_runs():
    app = _App()
    epochs = Epochs(app)
    epochs.step(8)
    epochs.browse(-5)
    app.calls[:] = []
    epochs.run_or_pause()
    _, answer = app.question
    answer("jump")
    assert app.live.last_epoch == 8 and app.view is None and app.calls == [("engine.start",)]


def test_an_answer_for_another_run_or_while_busy_or_cancelled_changes_nothing():
    for spoil in ("cancel", "other run", "running", "loading"):
        app = _App()
        epochs = Epochs(app)
        epochs.step(8)
        epochs.browse(-5)
        app.calls[:] = []
        epochs.step(1)
        _, answer = app.question
        if spoil == "other run":
            app.owner.use(LiveRun(lesson("or")))
        elif spoil in ("running", "loading"):
            app.owner.set_state(spoil)
        answer(None if spoil == "cancel" else "branch")
        assert app.calls == [], spoil
        if spoil != "other run":
            assert app.live.last_epoch == 8 and app.view == 3, spoil


def test_a_blown_up_run_says_why_it_will_not_train_on():
    app = _App("xor-mlp")
    app.live.set_lr(10_000.0, training=False)
    app.owner.step(400)
    app.owner.settle()
    assert app.state == "blown_up"
    app.calls[:] = []
    last = app.live.last_epoch
    Epochs(app).step(1)
    Epochs(app).run_or_pause()
    warning = ("notify", "Lower the lr (-) and press r, or go back (←) and branch.", "warning")
    assert app.calls == [warning, warning] and app.live.last_epoch == last


def test_a_branch_just_before_a_blow_up_at_the_same_rate_blows_up_again():
    app = _App("xor-mlp")
    app.live.set_lr(10_000.0, training=False)
    app.owner.step(400)
    app.owner.settle()
    last = app.live.last_epoch
    epochs = Epochs(app)
    epochs.browse(-1)
    app.calls[:] = []
    epochs.step(1)
    _, answer = app.question
    answer("branch")
    assert app.calls == [("engine.settle",)] and app.live.last_epoch == last and app.live.blowup is not None


def test_space_on_a_finished_run_gives_it_another_lessons_worth_and_runs():
    app = _App(epochs=5)
    Epochs(app).step(5)
    app.owner.settle()
    assert app.state == "finished"
    app.calls[:] = []
    Epochs(app).run_or_pause()
    assert app.live.goal == 10 and app.calls == [("engine.start",)]


def test_the_branch_question_and_the_blow_up_warning_speak_the_learners_language():
    app = _App("xor-mlp")
    app.lang = "ko"
    epochs = Epochs(app)
    epochs.step(8)
    epochs.browse(-5)
    epochs.step(1)
    screen, _ = app.question
    assert screen.lang == "ko"
    app.question = None
    app.live.set_lr(10_000.0, training=False)
    app.owner.browse(None)
    app.owner.step(400)
    app.owner.settle()
    app.calls[:] = []
    epochs.step(1)
    assert app.calls == [("notify", say("app.blowup_keys", "ko"), "warning")]
