"""The loss surface view (u) in the app, and `train --surface` on the command line: the view opens,
follows browsing (the epoch it drew is the epoch on view), turns planes, reads back whole in Korean,
sends nothing while paused; the JSON document's shape."""

from __future__ import annotations

import json
import math

import pytest
from scenarios import Scenario, build_app, play, screen_lines, settle

from core.words import say
from tui.__main__ import main


async def _open(pilot, app, keys=("u",)):
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


def _view(app):
    from tui.surface.view import SurfaceView

    assert isinstance(app.screen, SurfaceView)
    return app.screen


async def test_the_view_draws_the_epoch_on_view_and_follows_browsing():
    scenario = Scenario("xor", "xor", ("N",) * 3)
    app = build_app(scenario)
    async with app.run_test(size=scenario.size) as pilot:
        await play(pilot, scenario)
        await _open(pilot, app)
        view = _view(app)
        assert view.drawn == app.frame_on_view() and view.drawn[0].epoch == 300
        text = "\n".join(screen_lines(app))
        assert say("surface.head", "en", epoch=300) in text and "◆ epoch 300" in text
        for keys, epoch in ((("left",), 299), (("pageup",) * 2, 99), (("end",), 300), (("home",), 0)):
            await _open(pilot, app, keys)
            assert app.owner.viewed == epoch
            assert view.drawn == app.frame_on_view() and view.drawn[0].epoch == epoch
            assert say("surface.head", "en", epoch=epoch) in "\n".join(screen_lines(app))
        await _open(pilot, app, ("escape",))
        assert app.on_main_screen


async def test_a_neurons_planes_turn_with_p_and_a_networks_has_one():
    scenario = Scenario("and", "and", ("N",))
    app = build_app(scenario)
    async with app.run_test(size=scenario.size) as pilot:
        await play(pilot, scenario)
        await _open(pilot, app)
        view = _view(app)
        seen = []
        for _ in range(4):
            seen.append(view.plane)
            head = "\n".join(screen_lines(app)[:3])
            assert say("surface.plane", "en", a="w₁" if "w1" in view.plane else "w₂", b=view.plane[1].replace(
                "w2", "w₂")) in head, head  # fmt: skip
            await _open(pilot, app, ("p",))
        assert seen == [("w1", "w2"), ("w1", "b"), ("w2", "b"), ("w1", "w2")]
        assert view.drawn == app.frame_on_view()
        await _open(pilot, app, ("p", "escape", "u"))  # opened again: the plane last turned to
        assert _view(app).plane == ("w2", "b") and _view(app).drawn == app.frame_on_view()
    scenario = Scenario("mlp", "xor-2-2-1", ("N",))
    app = build_app(scenario)
    async with app.run_test(size=scenario.size) as pilot:
        await play(pilot, scenario)
        await _open(pilot, app, ("u", "p"))
        view = _view(app)
        assert view.plane == ("alpha", "beta") and not view.check_action("plane", ())
        assert say("surface.random", "en", seed=0) in " ".join(line.strip() for line in screen_lines(app))


async def test_paused_it_sends_nothing_and_redraws_only_for_another_epoch():
    from tui.surface.view import SurfacePicture

    scenario = Scenario("xor", "xor", ("N",))
    app = build_app(scenario)
    async with app.run_test(size=scenario.size) as pilot:
        await play(pilot, scenario)
        await _open(pilot, app)
        picture = app.screen.query_one(SurfacePicture)
        sent, workers = picture.lines_sent, len(app.workers)
        assert sent > 0
        await pilot.pause(0.5)
        app.drawing.draw(True, True, True)  # the same frame drawn again (a redraw after a key)
        await settle(pilot)
        assert picture.lines_sent == sent and len(app.workers) == workers  # no worker, no line
        await _open(pilot, app, ("left",))
        assert picture.lines_sent > sent


async def test_u_is_hidden_in_the_neuron_lesson_and_says_why():
    scenario = Scenario("neuron", "neuron")
    app = build_app(scenario)
    async with app.run_test(size=scenario.size) as pilot:
        await play(pilot, scenario)
        assert app.check_action("surface", ()) is False
        await _open(pilot, app)
        assert app.on_main_screen


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
@pytest.mark.parametrize(("lesson", "plane"), [("xor", ("w1", "w2")), ("xor-mlp", ("alpha", "beta"))])
async def test_its_korean_reads_back_whole(size, lesson, plane):
    scenario = Scenario("ko", lesson, ("N",) * 3, size=size, lang="ko")
    app = build_app(scenario)
    async with app.run_test(size=size) as pilot:
        await play(pilot, scenario)
        await _open(pilot, app)
        view = _view(app)
        assert view.drawn == app.frame_on_view()
        rows = screen_lines(app)
        text = "\n".join(row.rstrip() for row in rows)
        whole = [
            say("surface.title", "ko"),
            say("surface.head", "ko", epoch=300),
            say("surface.legend_low", "ko"),
            say("surface.legend_high", "ko"),
            say("surface.path", "ko", path="•", point="◆", first=0, epoch=300),
            say("key.close", "ko"),
        ]
        whole.append(say("surface.random", "ko", seed=0) if lesson == "xor-mlp" else "평면 (w₁, w₂)")
        for words in whole:
            assert words in text, (words, text)
        numbers = next(row for row in rows if "ln 2 = 0.6931" in row)
        assert numbers.strip().startswith("여기 ") and say("surface.numbers", "ko").split()[2] in numbers


def _surface_json(capsys, *argv):
    status = main(["train", *argv, "--surface", "--format", "json"])
    out, _ = capsys.readouterr()
    assert status == 0
    return json.loads(out)


def test_train_surface_json_has_the_documented_shape(capsys):
    document = _surface_json(capsys, "xor")
    surface = document["surface"]
    assert {"epoch", "axes", "a", "b", "loss", "path", "point"} <= set(surface)
    assert surface["epoch"] == 1000 and surface["axes"] == ["w1", "w2"]
    assert len(surface["a"]) == len(surface["b"]) == 41
    assert len(surface["loss"]) == 41 and all(len(row) == 41 for row in surface["loss"])
    assert all(len(point) == 2 for point in surface["path"]) and len(surface["point"]) == 2
    i, j = surface["b"].index(0.0), surface["a"].index(0.0)
    assert min(min(row) for row in surface["loss"]) == surface["loss"][i][j] == pytest.approx(math.log(2), abs=1e-5)
    at = _surface_json(capsys, "xor-mlp", "--epochs", "200", "--weights-at", "100")["surface"]
    assert at["epoch"] == 100 and at["axes"] == ["alpha", "beta"] and at["seed"] == 0 and at["point"] == [0, 0]
    assert at["path"][-1] == [0, 0]


def test_train_surface_text_and_its_refusals(capsys):
    status = main(["train", "and", "--surface", "--lang", "ko"])
    out, _ = capsys.readouterr()
    assert status == 0 and "에포크 1000의 손실 곡면" in out and "◆" in out
    with pytest.raises(SystemExit):
        main(["train", "and", "--surface", "--format", "csv"])
    assert "--surface" in capsys.readouterr().err
