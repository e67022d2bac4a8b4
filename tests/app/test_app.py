"""Pilot tests: every key and state change of the app, driven as a learner would drive it."""

from __future__ import annotations

import asyncio
import gc
import threading
import time

import pytest
from scenarios import choose_in_palette, region_text, screen_lines, settle, until, wait_idle, wait_ready

from tui.app import make_app
from tui.messages import TrainingStopped
from tui.run.branch_question import BranchQuestion
from tui.run.engine import YOUNG_COLLECTION
from tui.run.live import LiveRun
from tui.screens.help import HelpScreen
from tui.screens.lesson_picker import LessonPicker
from tui.widgets.status_line import StatusLine
from tui.widgets.truth_table import TruthTable
from tui.widgets.weights_inspector import WeightsInspector

SIZE = (120, 40)


def status(app) -> str:
    return app.query_one(StatusLine).plain


async def run_at_max_speed(pilot) -> None:
    """Press s s space, with a goal far enough (at max speed 5000 epochs take a fraction of a second)."""
    pilot.app.live.goal = 10**6
    await pilot.press("s", "s", "space")


async def start_a_slow_run(pilot) -> None:
    """Once the engine has loaded, a run at 1 epoch/s: a worker that would pace it for 80 minutes."""
    await wait_ready(pilot)
    pilot.app.live.speed = 1
    await pilot.press("space")
    assert pilot.app.state == "running"
    await until(pilot, lambda: pilot.app.live.last_epoch >= 1)  # the worker is in its loop


def table(app) -> str:
    return app.query_one(TruthTable).plain


async def test_once_the_engine_has_loaded_the_collector_leaves_it_alone_and_runs_less_often():
    """What is loaded by then is frozen, and a young collection waits for 10,000 allocations (not
    700): a key's drawing made 2-3 young collections and every few keys a middle one."""
    app = make_app("xor-mlp")
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        await until(pilot, lambda: gc.get_threshold()[0] == YOUNG_COLLECTION)
        assert gc.get_freeze_count() > 0


async def test_first_frame_shows_loading_and_keys_wait_for_the_engine(monkeypatch):
    release = threading.Event()
    load = LiveRun.load

    def slow_load(self, *args):
        release.wait(10)
        load(self, *args)

    monkeypatch.setattr(LiveRun, "load", slow_load)
    app = make_app("and")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.state == "loading"
        assert "loading the engine" in status(app)
        assert "loading the engine" in "\n".join(screen_lines(app))  # on the screen, not only in the panel
        assert app.check_action("run_pause", ()) is None  # greyed in the footer
        await pilot.press("space", "n")
        assert app.state == "loading" and app.live.trainer is None
        release.set()
        await wait_ready(pilot)
        assert app.state == "ready"
        assert "Epoch: 0/1000 Loss :" in status(app)


async def test_space_runs_and_pauses():
    app = make_app("xor-mlp")
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        await run_at_max_speed(pilot)
        assert app.state == "running"
        for _ in range(200):
            if app.live.last_epoch > 50:
                break
            await pilot.pause(0.01)
        await pilot.press("space")
        assert app.state == "paused"
        stopped_at = app.live.last_epoch
        await pilot.pause(0.2)
        assert app.live.last_epoch == stopped_at
        assert f"Epoch: {stopped_at}/1000000" in status(app)


async def test_a_run_finishes_at_the_lessons_epoch_and_can_be_extended():
    app = make_app("and")
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        await pilot.press("s", "s", "space")
        await wait_idle(pilot)
        assert app.state == "finished" and app.live.last_epoch == 1000
        assert "Epoch: 1000/1000" in status(app) and "Accuracy:100.00%" in status(app)
        await pilot.press("space")
        await wait_idle(pilot)
        assert app.state == "finished" and app.live.last_epoch == 2000
        assert "Epoch: 2000/2000" in status(app)


async def test_n_right_and_N_step_at_the_latest_epoch():
    app = make_app("and")
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        await pilot.press("n")
        assert app.live.last_epoch == 1 and app.state == "paused"
        await pilot.press("right")
        assert app.live.last_epoch == 2
        await pilot.press("N")
        assert app.live.last_epoch == 102
        history = app.live.trainer.history
        assert f"Loss : {history.loss(102): .4f}" in status(app)


async def test_browsing_history_shows_that_epoch_in_every_panel():
    app = make_app("and")
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        await pilot.press("N")
        history = app.live.trainer.history
        await pilot.press("left", "left")
        assert app.view == 98
        assert "Epoch: 98/1000" in status(app) and "latest is 100" in status(app)
        assert f"{history.predictions(98)[3]:.4f}" in table(app)
        await settle(pilot)
        assert region_text(app, app.query_one(WeightsInspector))[0].startswith(" epoch 98:")
        await pilot.press("left_square_bracket", "right_square_bracket", "right")
        assert app.view == 99
        await pilot.press("home")
        assert app.view == 0 and "Epoch: 0/1000" in status(app)
        await pilot.press("pagedown")
        assert app.view == 100 or app.view is None
        await pilot.press("home", "end")
        assert app.view is None and "Epoch: 100/1000" in status(app)
        assert app.live.last_epoch == 100  # browsing never trains


async def test_running_from_the_past_asks_and_branch_discards_later_epochs():
    app = make_app("and")
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        await pilot.press("N", "home")
        for _ in range(50):
            await pilot.press("right")
        assert app.view == 50
        await pilot.press("n")
        assert isinstance(app.screen, BranchQuestion)
        await pilot.press("escape")
        assert not isinstance(app.screen, BranchQuestion) and app.live.last_epoch == 100
        await pilot.press("n")
        await pilot.press("b")
        await pilot.pause()
        assert app.live.last_epoch == 51 and app.view is None


async def test_running_from_the_past_can_jump_to_the_latest_instead():
    app = make_app("and")
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        await pilot.press("N", "left", "left")
        await pilot.press("n")
        assert isinstance(app.screen, BranchQuestion)
        await pilot.press("j")
        await pilot.pause()
        assert app.live.last_epoch == 101 and app.view is None


async def test_branching_reproduces_the_same_epochs():
    app = make_app("and")
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        await pilot.press("N")
        before = app.live.trainer.history.losses()
        await pilot.press("home", "n", "b")
        await pilot.pause()
        await pilot.press("N")
        assert app.live.trainer.history.losses()[:101] == before


async def test_reset_keeps_the_seed_and_R_draws_new_weights():
    app = make_app("and")
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        first = app.live.trainer.history.loss(0)
        await pilot.press("N", "r")
        assert app.live.last_epoch == 0 and app.state == "ready"
        assert app.live.trainer.history.loss(0) == first
        await pilot.press("R")
        assert app.live.seed == 1 and "seed 1" in status(app)
        assert app.live.trainer.history.loss(0) != first


async def test_lesson_picker_opens_another_lesson():
    app = make_app("and")
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        await pilot.press("l")
        assert isinstance(app.screen, LessonPicker)
        await pilot.press("down", "down", "down", "enter")
        await wait_ready(pilot)
        assert app.live.lesson.id == "xor-mlp"
        assert "Backpropagation solves XOR" in status(app) and "Epoch: 0/5000" in status(app)
        await pilot.press("l", "escape")
        assert app.live.lesson.id == "xor-mlp"


async def test_learning_rate_keys_take_effect_from_the_next_epoch():
    app = make_app("and")
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        await pilot.press("n", "plus")
        assert app.live.lr == 2 and "lr 2" in status(app)
        await pilot.press("n")
        history = app.live.trainer.history
        # + at epoch 1 makes epoch 2: epoch 1's update is the first with lr 2
        assert history.lr_at(0) == 1 and history.lr_at(1) == 2
        await pilot.press("minus", "minus")
        assert app.live.lr == 0.5


async def test_learning_rate_changed_while_running_is_recorded_exactly():
    app = make_app("xor-mlp")
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        await run_at_max_speed(pilot)
        await pilot.pause(0.1)
        await pilot.press("plus")
        await pilot.pause(0.1)
        await pilot.press("space")
        history = app.live.trainer.history
        changes = [e for e in range(1, len(history)) if history.lr_at(e) != history.lr_at(e - 1)]
        assert len(changes) == 1 and history.lr_at(history.last_epoch) == 2
        # replay with that schedule gives back the recorded losses
        epoch = changes[0] + 3
        if epoch <= history.last_epoch:
            assert history.weights_at(epoch).loss == history.loss(epoch)


async def test_speed_key_cycles():
    app = make_app("and")
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        seen = []
        for _ in range(4):
            await pilot.press("s")
            seen.append(app.live.speed)
        assert seen == [100, None, 1, 10]
        await pilot.press("S")
        assert app.live.speed == 1 and "speed 1/s" in status(app)


async def test_a_blow_up_says_why_and_history_stays_browsable():
    app = make_app("xor-mlp")
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        await pilot.press(*["plus"] * 9)
        assert app.live.lr == 1000
        await pilot.press("n", "n")
        assert app.state == "blown_up"
        assert "learning rate 1000 is far too high" in status(app)
        last = app.live.last_epoch
        await pilot.press("space")
        assert app.state == "blown_up" and app.live.last_epoch == last
        await pilot.press("left")
        assert app.view == last - 1 and f"Epoch: {last - 1}/5000" in status(app)
        await pilot.press(*["minus"] * 9, "home", "n", "b")  # branch from epoch 0 with lr 1 again
        assert app.live.trainer.history.lr_changes() == [(0, 1.0)]
        await pilot.pause()
        assert app.state == "paused" and app.live.blowup is None


async def test_notes_accuracy_and_language_toggles():
    app = make_app("and", lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        notes = app.query_one("#notes")
        assert not notes.display
        await pilot.press("t")
        assert notes.display and "AND" in str(notes.query_one("#notes-text").render())
        await pilot.press("t", "a")
        assert app.show_accuracy
        await pilot.press("L")
        assert app.lang == "ko"
        assert app.query_one("#truth").border_title == "진리표" and "준비" in status(app)
        assert any(active.binding.description == "도움말" for active in app.screen.active_bindings.values())


async def test_help_lists_every_key_with_its_id():
    app = make_app("and", keymap={"step": "j"})
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.query_one("Static").render())
        for binding_id in ("run", "step", "back", "reset", "reseed", "lesson", "lr_up", "notes", "quit"):
            assert binding_id in text
        assert "step" in text and " j " in text.replace("\n", " ")
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_remapped_key_steps():
    app = make_app("and", keymap={"step": "j"})
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        await pilot.press("j")
        assert app.live.last_epoch == 1
        await pilot.press("n")
        assert app.live.last_epoch == 1  # n was moved to j


async def test_command_palette_actions_by_name():
    app = make_app("and")
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        await app.run_action("open_lesson('xor')")
        await wait_ready(pilot)
        assert app.live.lesson.id == "xor"
        await choose_in_palette(pilot, tuple("step 100"), "100")
        await settle(pilot)
        assert app.live.last_epoch == 100


async def test_resize_below_the_minimum_shows_a_notice_and_back():
    app = make_app("and")
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        await pilot.resize_terminal(70, 20)
        await pilot.pause()
        assert app.screen.has_class("-too-narrow", "-too-short")
        notice = str(app.query_one("#too-small").render())
        assert "80×24" in notice and "70×20" in notice
        assert not app.query_one("#main").display
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert not app.screen.has_class("-too-narrow") and not app.screen.has_class("-too-short")
        assert app.query_one("#main").display


async def test_quit_while_running_returns_within_a_second():
    app = make_app("xor-mlp")
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        await run_at_max_speed(pilot)
        await pilot.pause(0.2)
        assert app.state == "running"
        worker = app.engine.worker
        started = time.perf_counter()
        await pilot.press("q")
    for _ in range(100):
        if worker.is_finished:
            break
        await asyncio.sleep(0.01)
    assert worker.is_finished and app.live.rate is None  # the engine loop has returned
    assert time.perf_counter() - started < 1.0


async def test_an_app_ended_without_q_stops_its_slow_run(monkeypatch):
    # A pilot leaving (or an error) ends the app without q: a worker pacing 1 epoch/s kept the
    # process alive until the run's last epoch, some 80 minutes later.
    returned = threading.Event()
    train = LiveRun.train

    def watched(self, *args, **kwargs):
        try:
            return train(self, *args, **kwargs)
        finally:
            returned.set()

    monkeypatch.setattr(LiveRun, "train", watched)
    app = make_app("xor-mlp")
    async with app.run_test(size=SIZE) as pilot:
        await start_a_slow_run(pilot)
    assert await asyncio.to_thread(returned.wait, 3.0)


async def test_nothing_draws_while_the_app_shuts_down(monkeypatch):
    # As a pilot left a slow run, the 1/4 s tick drew the status line after the screens had
    # closed, and raised NoMatches. Textual runs a timer's callback in a task of its
    # own, and run_test's shutdown closes the screens while the app still handles messages, so a
    # worker's message (a map painted, a run stopped) can come in then too. Both are made sure
    # here: the shutdown is held for three ticks, and a run's end is posted in it.
    app = make_app("xor-mlp")
    close_all = type(app)._close_all

    async def slow_close_all(self):
        await close_all(self)
        self.post_message(TrainingStopped("stopped", self.engine.run_id))
        await asyncio.sleep(0.8)

    monkeypatch.setattr(type(app), "_close_all", slow_close_all)
    async with app.run_test(size=SIZE) as pilot:
        await start_a_slow_run(pilot)
    # (leaving run_test re-raises what the app raised while shutting down)


async def test_ctrl_c_stops_training_first_then_quits():
    app = make_app("xor-mlp")
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        await run_at_max_speed(pilot)
        await pilot.pause(0.1)
        await pilot.press("ctrl+c")
        assert app.state == "paused"
        assert app.is_running
        await pilot.press("ctrl+c")
        await pilot.pause()
    assert app.return_code == 0


@pytest.mark.parametrize("argv", [["--theme", "nope"], ["--keymap", "nope=j"], ["--lesson", "nope"], ["--lang", "fr"]])
def test_bad_app_options_are_one_line_errors(argv, capsys):
    from tui.__main__ import main

    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "error:" in err


async def test_typing_plus_in_the_palette_finds_the_learning_rate_not_quit():
    app = make_app("and")
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        await choose_in_palette(pilot, ("plus",), "+")
        await settle(pilot)
        assert app.is_running and app.live.lr == 2


async def test_keys_under_a_question_do_not_reach_the_run():
    """The branch question owns the keys: epoch keys and the palette wait, and the answer
    branches from the epoch it asked about (the issue's `N left n end b` and `... home b`)."""
    app = make_app("and")
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        await pilot.press("N", "left", "left", "n")
        assert isinstance(app.screen, BranchQuestion) and app.view == 98
        await pilot.press("end", "home", "left", "pageup", "ctrl+p", "space")
        assert isinstance(app.screen, BranchQuestion) and app.view == 98
        await pilot.press("b")
        await pilot.pause()
        assert app.live.last_epoch == 99 and app.view is None  # branched from 98, stepped once


def test_sigterm_restores_the_terminal():
    import os
    import signal
    import time

    from terminal_bench import APP, Terminal

    term = Terminal([*APP, "--lesson", "and"], size=(100, 30))
    try:
        term.wait_for("Epoch: 0/1000")
        sent = time.perf_counter()
        os.kill(term.process.pid, signal.SIGTERM)
        term.process.wait(timeout=10)
        after = term.output(since=sent)
        assert b"\x1b[?1049l" in after  # left the alternate screen
        assert b"\x1b[?1000l" in after or b"\x1b[?1003l" in after  # mouse reporting off
    finally:
        term.close()


async def test_a_key_left_in_the_queue_as_the_app_shuts_down_is_dropped():
    # Textual handles a key queued before shutdown after the screens have closed: its own handler
    # raised ScreenStackError there (found by the long key fuzz).
    app = make_app("and")
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
    assert not app.screen_stack
    assert await app._check_bindings("n") is True


async def test_the_weights_table_wider_than_its_panel_has_a_scrollbar_at_once():
    """At 80 columns the weights table is wider than its panel: its horizontal scrollbar shows with
    the first table and after a step, with no resize needed to bring it."""
    app = make_app("and", "en")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_idle(pilot)
        weights = app.query_one(WeightsInspector)
        assert weights.virtual_size.width > weights.size.width
        assert weights.show_horizontal_scrollbar
        await pilot.press("N")
        await wait_idle(pilot)
        assert weights.show_horizontal_scrollbar


async def test_a_redraw_builds_the_network_picture_once(monkeypatch):
    """The xor-mlp diagram is the costliest text panel (~8 ms): one step builds it once, not again
    for its height and its lines."""
    from tui.widgets.network_diagram import NetworkDiagram

    built = []
    content_for = NetworkDiagram.content_for
    monkeypatch.setattr(
        NetworkDiagram, "content_for", lambda self, width: built.append(width) or content_for(self, width)
    )
    app = make_app("xor-mlp", "en")
    async with app.run_test(size=SIZE) as pilot:
        await wait_idle(pilot)
        built.clear()
        await pilot.press("n")
        await wait_idle(pilot)
        assert len(built) == 1


def test_a_paused_frame_reuses_the_workers_weights_only_for_their_epoch():
    """A pause draws the epoch the worker last looked at without rebuilding it from a checkpoint
    (7-28 ms of the UI thread's time at 80x24); any other epoch is rebuilt, and a step forgets it."""
    from core.lessons import lesson

    session = LiveRun(lesson("xor-mlp"))
    session.load()
    session.step(5)
    session._take_weights()  # what the training worker does after each epoch at 1 and 10/s
    history = session.trainer.history
    shown = session.frame("paused", None)
    assert shown.weights is session._weights[0] and shown.previous is session._weights[1]
    assert shown.weights.layers == history.weights_at(5).layers
    assert shown.previous.layers == history.weights_at(4).layers
    past = session.frame("paused", 3)
    assert past.weights.epoch == 3 and past.weights.layers == history.weights_at(3).layers
    session.step(1)
    after = session.frame("paused", None)
    assert after.weights.epoch == 6 and after.weights.layers == history.weights_at(6).layers
    session.reset()
    fresh = session.frame("paused", None).weights
    assert fresh.layers == session.trainer.history.weights_at(session.last_epoch).layers != shown.weights.layers
