"""The perceptron rule's lesson in the app: stepping and browsing its epochs, the status line's
mistakes so far with Novikoff's bound or the cycle, d for the table, the keys the rule has no use
for saying why, and its screens read back whole in Korean at 80×24 and 120×40."""

from __future__ import annotations

import re

import pytest
from scenarios import region_text, screen_lines, settle, until, wait_ready

from core.words import count, say
from tui.app import make_app
from tui.widgets.status_line import StatusLine
from tui.widgets.weights_inspector import WeightsInspector


def _said(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


def _status(app) -> str:
    return " ".join(row.strip() for row in region_text(app, app.query_one(StatusLine)))


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


async def test_stepping_and_browsing_show_the_mistakes_of_the_epoch_on_view(tmp_path):
    app = make_app("perceptron-rule", "en", workdir=tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await pilot.press(*"nnnnnn")
        await settle(pilot)
        assert app.live.last_epoch == 6 and app.view is None
        status = _status(app)
        assert "AND Epoch: 6/20 mistakes 0, 11 so far Accuracy:100.00%" in re.sub(r"\s+", " ", status)
        converged = say("app.rule.converged", "en", first=5, total=11, bound=51, r2="3", g2="1/17")
        assert _squeeze(converged) in _squeeze(status)
        await pilot.press("left", "left", "left")
        await settle(pilot)
        assert app.view == 3
        status = re.sub(r"\s+", " ", _status(app))
        assert "Epoch: 3/20 mistakes 2, 10 so far Accuracy:75.00%" in status
        assert _squeeze(say("app.rule.bound", "en", bound=51, r2="3", g2="1/17")) in _squeeze(status)
        weights = " ".join(region_text(app, app.query_one(WeightsInspector)))
        assert "Δb" in weights and "+1.0000" in weights
        frame = app.live.frame("paused", 3)
        assert (frame.rule.mistakes, frame.rule.so_far) == (2, 10)
        # Epoch 3 starts at (2, 1, −2); its pass errs on (1,0) and (1,1) and ends at (2, 2, −2).
        layer = frame.weights.layers[0]
        assert (*layer.weight[0], *layer.bias) == (2.0, 1.0, -2.0)
        assert (*layer.weight_grad[0], *layer.bias_grad) == (0.0, 1.0, 0.0)
        assert [row[1] for row in frame.rows] == [0, 0, 0, 1]
        await pilot.press("home")
        await settle(pilot)
        assert app.view == 0 and "Epoch: 0/20 mistakes 2, 2 so far" in re.sub(r"\s+", " ", _status(app))
        await pilot.press("end")
        await settle(pilot)
        assert app.view is None or app.view == 6


async def test_d_goes_through_and_or_xor_and_xor_shows_its_cycle(tmp_path):
    app = make_app("perceptron-rule", "en", workdir=tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await pilot.press("d")
        await wait_ready(pilot)
        assert app.live.lesson.config.dataset == "or" and app.live.lesson.id == "perceptron-rule"
        await pilot.press("d")
        await wait_ready(pilot)
        assert app.live.lesson.config.dataset == "xor"
        await pilot.press(*"nnnn")
        await settle(pilot)
        cycle = count("app.rule.cycle", 1, "en", dataset="XOR", seen=2, per_cycle=4)
        assert _squeeze(cycle) in _squeeze(_status(app))
        await pilot.press("left")
        await settle(pilot)
        assert app.view == 3 and _squeeze(cycle) in _squeeze(_status(app))  # epoch 3's weights: epoch 2's
        await pilot.press("home")
        await settle(pilot)
        no_line = say("app.rule.no_line", "en", dataset="XOR")
        assert _squeeze(no_line) in _squeeze(_status(app))
        await pilot.press("d")
        await wait_ready(pilot)
        assert app.live.lesson.config.dataset == "and"


async def test_space_runs_the_lesson_to_its_goal(tmp_path):
    app = make_app("perceptron-rule", "en", workdir=tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        app.live.speed = None
        await pilot.press("space")
        await until(pilot, lambda: app.state == "finished")
        await settle(pilot)
        assert app.live.last_epoch == 20 and "11 so far" in _status(app)


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize(
    ("key", "words"),
    [("e", "why_explain"), ("plus", "why_lr"), ("minus", "why_lr"), ("w", "why_sweep"), ("u", "why_surface")],
)
async def test_the_keys_the_rule_has_no_use_for_say_why(lang, key, words, tmp_path):
    app = make_app("perceptron-rule", lang, workdir=tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await pilot.press(key)
        await settle(pilot)
        assert app.on_main_screen and app.live.lr == 1.0
        shown = {"plus": "+", "minus": "-"}.get(key, key)
        assert _said(app) == [say(f"app.rule.{words}", lang, key=shown)]


@pytest.mark.parametrize("lang", ["en", "ko"])
async def test_d_elsewhere_says_where_it_acts(lang, tmp_path):
    app = make_app("and", lang, workdir=tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await pilot.press("d")
        await settle(pilot)
        assert app.live.lesson.id == "and" and _said(app) == [say("app.rule.why_table", lang, key="d")]


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
@pytest.mark.parametrize("table_presses", [0, 2])
async def test_the_korean_screen_is_whole(size, table_presses, tmp_path):
    """Every line the lesson adds (the status's log and verdict, the weights' Δ note, the network's
    unit, the map's line, the plot's title) is on screen whole in Korean, never a character cut."""
    app = make_app("perceptron-rule", "ko", workdir=tmp_path)
    async with app.run_test(size=size) as pilot:
        await wait_ready(pilot)
        for _ in range(table_presses):
            await pilot.press("d")
            await wait_ready(pilot)
        await pilot.press(*"nnnnnn")
        await settle(pilot)
        screen = "\n".join(screen_lines(app))
        dataset = app.live.lesson.config.dataset.upper()
        status = app.query_one(StatusLine)
        rows = [row.rstrip() for row in region_text(app, status)]
        assert rows[1].startswith(f" {dataset}  에포크: 6/20  실수 ")
        verdict = _squeeze("".join(rows[2:]))
        if dataset == "XOR":
            long, short = ("app.rule.cycle", "app.rule.cycle_short")
            sentences = [_squeeze(count(k, 1, "ko", dataset="XOR", seen=2, per_cycle=4)) for k in (long, short)]
        else:
            facts = {"first": 5, "total": 11, "bound": 51, "r2": "3", "g2": "1/17"}
            sentences = [_squeeze(say(k, "ko", **facts)) for k in ("app.rule.converged", "app.rule.converged_short")]
        assert verdict in sentences, verdict
        assert say("app.rule.plot", "ko") in screen
        assert say("app.rule.unit", "ko") in screen
        weights = region_text(app, app.query_one(WeightsInspector))
        assert any(row.strip() in (say("app.rule.change", "ko"), say("app.rule.change_short", "ko")) for row in weights)
        await pilot.press("m")  # the map as a view of its own: its legend names the rule's line
        await settle(pilot)
        assert _squeeze(say("map.bias_line", "ko")) in _squeeze("".join(screen_lines(app)))


async def test_the_export_menu_offers_no_gradient_script_for_the_rule(tmp_path):
    from tui.files.export_menu import ExportMenu

    app = make_app("perceptron-rule", "en", workdir=tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await pilot.press("n", "ctrl+e")
        await settle(pilot)
        menu = app.screen
        assert isinstance(menu, ExportMenu)
        assert menu.kinds == ("csv", "state-dict", "svg") and menu.kind == "csv"
