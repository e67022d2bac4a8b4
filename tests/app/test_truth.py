"""Every panel tells the truth: at rest, every visible panel shows the frame on view, however the
learner got there (panels hidden behind the notes or the map view, a lesson changed while they were
hidden, a screen on top), and the settings on screen are the ones the run uses.

Each test here is one way the screen once showed a learner something untrue.
"""

from __future__ import annotations

from scenarios import MAX_SPEED, choose_in_palette, region_text, screen_lines, settle, until, wait_idle, wait_ready

from tui.app import make_app


def _stale(app) -> dict:
    """The visible panels whose drawn frame is not the frame on view (empty: the screen is true)."""
    on_view = app.frame_on_view()
    return {name: stamp for name, stamp in app.visible_frames().items() if stamp != on_view}


async def _true(pilot) -> None:
    """Until every visible panel shows the frame on view; fails naming the ones that do not."""
    app = pilot.app
    await settle(pilot)
    try:
        await until(pilot, lambda: not _stale(app), timeout=3)
    except TimeoutError:
        raise AssertionError(f"panels behind the frame on view {app.frame_on_view()}: {_stale(app)}") from None


async def test_panels_hidden_by_the_notes_show_the_latest_epoch_when_they_come_back(tmp_path):
    app = make_app("and", workdir=tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await pilot.press("t", *MAX_SPEED, "space")
        await wait_idle(pilot)
        assert app.state == "finished"
        await pilot.press("t")
        await _true(pilot)
        text = "\n".join(screen_lines(app))
        assert "1✗" not in text  # the map's marks are the finished run's: every row right
        weights = "\n".join(region_text(app, app.query_one("#weights")))
        assert "epoch 1000" in weights and "initial weights" not in weights


async def test_a_lesson_changed_behind_the_notes_shows_its_own_map_and_targets(tmp_path):
    app = make_app("and", workdir=tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await pilot.press("t")
        await choose_in_palette(pilot, ("x", "o", "r", " ", "("), "(xor)")
        await wait_ready(pilot)
        await pilot.press("N")
        await wait_idle(pilot)
        await pilot.press("t")
        await _true(pilot)
        assert app.live.lesson.id == "xor"
        assert app.query_one("#map").drawn == app.frame_on_view()


async def test_the_map_view_and_a_screen_on_top_leave_no_panel_behind(tmp_path):
    app = make_app("xor-2-2-1", workdir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        await pilot.press("m", "N", "m")  # the plot and weights hidden while the run moves on
        await _true(pilot)
        await pilot.press("h", "right", "right", "escape")  # the hidden neurons browse the run
        await _true(pilot)
        await pilot.press("t", "N", "t")
        await _true(pilot)


async def test_a_learning_rate_set_before_the_first_step_is_used_by_it(tmp_path):
    from core.lessons import lesson
    from core.trainer import Trainer

    expected = Trainer(lesson("xor-mlp").config.with_(lr=1000.0))
    expected.step(2)
    app = make_app("xor-mlp", workdir=tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await pilot.press(*["plus"] * 9)
        assert app.live.lr == 1000.0
        await pilot.press("n")
        await settle(pilot)
        history = app.live.trainer.history
        assert history.loss(1) == expected.history.loss(1)  # 50.0, as `train xor-mlp --lr 1000` prints
        assert history.lr_changes() == [(0, 1000.0)]
        saved = app.live.saved_run(None)  # the session file: "lr": 1000.0, no change after it
        assert (saved.config.lr, saved.lr_changes) == (1000.0, ())


async def test_pagedown_on_the_palettes_empty_list_does_nothing(tmp_path):
    from textual.command import CommandList, CommandPalette

    app = make_app("and", workdir=tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await pilot.press("ctrl+p")
        await until(pilot, lambda: CommandPalette.is_open(app))
        app.screen.query_one(CommandList).focus()
        await pilot.press("pagedown", "pageup", "pagedown")
        await settle(pilot)
        assert CommandPalette.is_open(app)
        await pilot.press("escape")


async def test_the_palettes_screenshot_is_saved_where_the_learner_works_and_says_where(tmp_path):
    app = make_app("and", workdir=tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await choose_in_palette(pilot, ("s", "c", "r", "e", "e", "n"), "creen")
        await until(pilot, lambda: list(tmp_path.glob("*.svg")))
        (svg,) = tmp_path.glob("*.svg")
        assert svg.read_text(encoding="utf-8").startswith("<svg")
        await until(pilot, lambda: any(str(svg.name) in str(n.message) for n in app._notifications))
        assert not any(n.severity == "error" for n in app._notifications)


def test_only_the_runs_owner_assigns_the_run_the_epoch_on_view_and_the_state():
    import ast
    from pathlib import Path

    import tui

    owned = {"live", "view", "state", "_run_state", "_live", "_view"}
    found = []
    for path in sorted(Path(tui.__file__).parent.rglob("*.py")):
        if path.parts[-2:] == ("run", "owner.py"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
            for target in targets:
                for name in getattr(target, "elts", [target]):
                    if isinstance(name, ast.Attribute) and name.attr in owned:
                        found.append(f"{path.name}:{node.lineno} {ast.unparse(name)}")
    assert found == []


def test_the_app_reads_the_run_and_the_epoch_on_view_and_cannot_assign_them(tmp_path):
    import pytest

    app = make_app("and", workdir=tmp_path)
    for name in ("live", "view", "state"):
        with pytest.raises(AttributeError):
            setattr(app, name, None)
    assert app.view is None and app.state == "loading" and app.live is app.owner.live
