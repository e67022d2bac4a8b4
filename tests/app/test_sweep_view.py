"""The app's seed sweep: `w` and the palette open it, it shows its progress, Esc cancels it, and a
chosen seed becomes the run, exactly the single engine's run of that seed."""

from __future__ import annotations

import asyncio
import time

from scenarios import choose_in_palette, screen_lines, until, wait_ready

from core.lessons import LESSONS
from core.trainer import Trainer
from tui.app import make_app
from tui.sweep.histogram import SweepHistogram
from tui.sweep.progress_line import ProgressLine
from tui.sweep.seed_table import SeedTable
from tui.sweep.view import SweepView

SIZE = (120, 40)


def sweep_worker(app):
    return next((w for w in app.workers if w.group == "sweep"), None)


def hold_after_first_report(monkeypatch) -> None:
    """The sweep waits at its first progress report until it is told to stop: on a fast machine
    100 seeds × 5001 epochs can finish (~4 s) before a test under load has pressed Esc."""
    import core.sweep.sweep

    real = core.sweep.sweep.run_sweep

    def held(config, seeds, epochs, progress=None, stop=None):
        def report(p):
            progress(p)
            deadline = time.monotonic() + 60
            while not stop.is_set() and time.monotonic() < deadline:
                time.sleep(0.005)

        return real(config, seeds, epochs, progress=report, stop=stop)

    monkeypatch.setattr(core.sweep.sweep, "run_sweep", held)


async def test_w_opens_the_sweep_which_shows_its_progress_and_esc_cancels_it(monkeypatch):
    hold_after_first_report(monkeypatch)
    app = make_app("xor-mlp")  # 100 seeds × 5001 epochs
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        await pilot.press("w")
        view = app.screen
        assert isinstance(view, SweepView) and view.busy
        await until(pilot, lambda: "% · epoch" in view.query_one(ProgressLine).plain)
        assert "/5000 · " in view.query_one(ProgressLine).plain and "at 100 %" in view.query_one(ProgressLine).plain
        assert "XOR, 2-64-32-16-1 sigmoid, SGD lr 1, BCE: seeds 0-99, epochs 0-5000" in "\n".join(screen_lines(app))
        assert view.query_one(SeedTable).row_count == 0  # rows come with the result
        assert app.check_action("run_pause", ()) is False  # the screen owns the keys
        worker = sweep_worker(app)
        assert worker is not None and not worker.is_finished
        await pilot.press("space")  # not the app's: nothing starts training under the sweep
        assert app.state in ("ready", "paused") and app.live.last_epoch == 0
        started = time.perf_counter()
        await pilot.press("escape")
        assert app.on_main_screen and not view.busy
        await until(pilot, lambda: worker.is_finished, timeout=2)
        assert time.perf_counter() - started < 1.0  # the worker looks at its stop flag every epoch
        assert app.sweeps.kept is None  # a cancelled sweep is not kept
        await pilot.press("n")  # the app's keys are back
        assert app.live.last_epoch == 1


async def test_a_chosen_seed_becomes_the_run_exactly_as_the_single_engine_trains_it():
    app = make_app("and")
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        await pilot.press("plus")  # lr 2 from the first update: the sweep takes the run's lr
        assert app.live.lr == 2.0
        await pilot.press("w")
        view = app.screen
        await until(pilot, lambda: not view.busy, timeout=60)
        table = view.query_one(SeedTable)
        assert table.row_count == 100 and table.cursor_row == 0  # on the run's own seed
        assert view.query_one(SweepHistogram)._values  # drawn from the first epochs at 100 %
        swept = view.result.seed(3)
        await pilot.press("down", "down", "down", "enter")
        assert app.on_main_screen
        await wait_ready(pilot)
        config = LESSONS["and"].config.with_(seed=3, lr=2.0)
        expected = Trainer(config)
        expected.run(to_epoch=1000)
        history, wanted = app.live.trainer.history, expected.history
        assert app.live.seed == 3 and app.live.trainer.config == config
        assert history.last_epoch == 1000 and app.state == "finished"
        assert history.losses(0, 1001, 1) == wanted.losses(0, 1001, 1)
        assert history.weights_at(1000) == wanted.weights_at(1000)
        assert history.predictions(1000) == wanted.predictions(1000)
        assert swept.first_full_accuracy == history.first_epoch_where(100.0)
        assert swept.final_loss == history.loss(1000)
        assert "seed 3" in "\n".join(screen_lines(app))
        # The same settings again: the finished sweep is shown at once, on the run's seed.
        await pilot.press("w")
        view = app.screen
        assert (isinstance(view, SweepView) and not view.busy and sweep_worker(app) is None) or sweep_worker(
            app
        ).is_finished
        await pilot.pause()
        assert view.query_one(SeedTable).cursor_row == 3
        await pilot.press("escape")
        assert app.on_main_screen


async def test_the_palette_finds_the_sweep_by_name():
    app = make_app("or")
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        await choose_in_palette(pilot, tuple("seed sweep"), "sweep")
        await until(pilot, lambda: isinstance(app.screen, SweepView), timeout=5)
        await until(pilot, lambda: not app.screen.busy)
        assert app.screen.query_one(SeedTable).row_count == 100


async def test_ctrl_c_quits_from_a_running_sweep_within_a_second(monkeypatch):
    hold_after_first_report(monkeypatch)  # still running when ctrl+c comes, on any machine
    app = make_app("xor-mlp")
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        await pilot.press("w")
        view = app.screen
        await until(pilot, lambda: view.progress is not None)
        worker = sweep_worker(app)
        started = time.perf_counter()
        await pilot.press("ctrl+c")
    for _ in range(100):
        if worker.is_finished:
            break
        await asyncio.sleep(0.01)
    assert worker.is_finished and time.perf_counter() - started < 1.0


async def test_korean_at_80x24_is_whole_on_screen():
    app = make_app("xor", "ko")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        await pilot.press("w")
        view = app.screen
        await until(pilot, lambda: not view.busy, timeout=60)
        await pilot.pause()
        screen = "\n".join(screen_lines(app))
        for text in (
            "시드 스윕 · xor",
            "처음 100 %가 된 에포크",
            "100 %에 도달한 시드가 없습니다",
            "시드 열기",
            "닫기",
        ):
            assert text in screen, text
        assert "100개 중 0개가 100 % 도달 (0 %)" in screen and "ln 2 = 0.6931: 100" in screen
        assert "시드" in screen.splitlines()[3] and "멈춘 곳" in screen.splitlines()[3]  # the table's header, whole


async def test_an_experiments_sweep_is_titled_in_the_learners_words():
    """It read '시드 스윕 · experiment': the id, in English, where the learner's language names it."""
    from textual.app import App

    from core.config import TrainConfig

    class Host(App):
        def on_mount(self) -> None:
            self.push_screen(SweepView("ko", "experiment", TrainConfig(dataset="and"), range(2), 10))

    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        view = app.screen
        await until(pilot, lambda: not view.busy, timeout=60)
        await pilot.pause()
        assert view.query_one("#sweep").border_title == "시드 스윕 · 나의 실험"
        assert "시드 스윕 · 나의 실험" in "\n".join(screen_lines(app))
