"""The decision boundary in the app (Pilot): the map beside the plot at 120x40 and as a view of its
own (m) at 80x24, the epoch on view, browsing redrawn at once, the worker painting while training,
the hidden neurons' screen (h) and the x₃ slice (x). Screens are read back as text: every Korean
character whole."""

from __future__ import annotations

import re

from rich.cells import cell_len
from scenarios import build_app, region_text, screen_lines, wait_idle, wait_ready

from core.words import say
from tui.app import make_app
from tui.maps.boundary_map import BoundaryMap
from tui.maps.hidden_neurons import HiddenNeurons

HANGUL = re.compile(r"[\uac00-\ud7a3]")


def _marks(lines: list[str]) -> list[str]:
    return sorted(re.findall(r"[01][✓✗]", "\n".join(lines)))


def _map_text(app) -> list[str]:
    return region_text(app, app.query_one(BoundaryMap))


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _whole(app, phrases: list[str]) -> None:
    """Each phrase is on screen whole (a Korean character cut in two by an edge reads back as
    spaces, and the phrase is not found), and every row is as wide as the terminal."""
    lines = screen_lines(app)
    assert all(cell_len(line) == app.size.width for line in lines)
    screen = _squeeze("".join(lines))
    for phrase in phrases:
        assert _squeeze(phrase) in screen, phrase


async def test_the_map_is_beside_the_plot_at_120x40_and_follows_the_epoch_on_view():
    app = make_app("xor-2-2-1")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        widget = app.query_one(BoundaryMap)
        plot, weights = app.query_one("#plot"), app.query_one("#weights")
        assert widget.region.width >= 36 and widget.region.y == plot.region.y and widget.region.x > plot.region.x
        assert weights.region.y > widget.region.bottom - 1
        assert widget.border_title == "Decision boundary"
        await pilot.press(*["N"] * 20)
        await pilot.pause()
        assert widget._input.epoch == 2000 and _marks(_map_text(app)) == ["0✓", "0✓", "1✓", "1✓"]
        # Browsing back to the plateau redraws the map at once, with the lines before they formed.
        sent = widget.lines_sent
        await pilot.press(*["pageup"] * 10)
        await pilot.pause()
        assert app.view == 1000 and widget._input.epoch == 1000 and widget.lines_sent > sent
        assert _marks(_map_text(app)) == ["0✓", "0✗", "1✓", "1✗"]  # on the plateau: two rows wrong
        await pilot.press("end")
        await pilot.pause()
        assert widget._input.epoch == 2000


async def test_m_switches_to_the_map_at_80x24_and_back():
    app = make_app("xor", "ko")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        await pilot.press(*["N"] * 10)
        await pilot.pause()
        widget = app.query_one(BoundaryMap)
        assert widget.region.area == 0  # not squeezed in: hidden until asked for
        await pilot.press("m")
        await pilot.pause()
        assert widget.region.width >= 36 and widget.region.height >= 20
        assert app.query_one("#plot").region.area == 0 and app.query_one("#weights").region.area == 0
        lines = _map_text(app)
        assert widget._input.epoch == 1000 and len(_marks(lines)) == 4
        text = "\n".join(lines)
        assert "직선: " in text and "= 0" in text  # the single neuron's line, in Korean
        _whole(app, [say("map.title", "ko"), say("map.targets", "ko"), say("key.map", "ko")])
        await pilot.press("m")
        await pilot.pause()
        assert widget.region.area == 0 and app.query_one("#plot").region.area > 0


async def test_the_2_2_1_map_view_in_korean_is_whole_at_80x24():
    app = make_app("xor-2-2-1", "ko")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        await pilot.press(*["N"] * 20, "m")
        await pilot.pause()
        assert _marks(_map_text(app)) == ["0✓", "0✓", "1✓", "1✓"]
        _whole(app, [say("map.title", "ko"), say("map.targets", "ko"), say("map.hidden_lines", "ko")])


async def test_the_worker_paints_the_map_while_training_at_the_weights_pace():
    app = make_app("xor-2-2-1")
    painted = []
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        widget = app.query_one(BoundaryMap)
        apply = widget.apply
        widget.apply = lambda request, strips: (painted.append(request.input.epoch), apply(request, strips))[1]
        app.live.goal = 10**6
        await pilot.press("s", "s", "space")  # max speed
        await pilot.pause(2.5)
        assert app.state == "running"
        await pilot.press("space")
        await wait_idle(pilot)
        # At max speed the weights (and the map) redraw every 2 s: one or two maps, not one an epoch.
        while_running = [e for e in painted if e is not None]
        assert 1 <= len(while_running) <= 4, painted
        assert widget._input.epoch == app.live.last_epoch  # paused: the latest epoch, drawn at once


async def test_h_opens_the_hidden_neurons_which_own_the_keys_and_browse_epochs():
    app = make_app("xor-2-2-1")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await pilot.press(*["N"] * 30)
        await pilot.press("h")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, HiddenNeurons)
        text = "\n".join(screen_lines(app))
        assert "layer 1 of 1: 2 neurons" in text and "epoch 3000" in text and "like OR" in text
        await pilot.press("space", "n", "r")  # the lab's keys do nothing here
        assert app.state == "paused" and app.live.last_epoch == 3000
        await pilot.press("left")
        await pilot.pause()
        assert app.view == 2999 and "epoch 2999" in "\n".join(screen_lines(app))
        await pilot.press("home")
        await pilot.pause()
        assert app.view == 0 and "epoch 0" in "\n".join(screen_lines(app))
        await pilot.press("right", "end")
        await pilot.pause()
        assert app.view is None and "epoch 3000" in "\n".join(screen_lines(app))
        await pilot.press("tab")
        assert screen.chosen_neuron == 1 and "like NAND" in "\n".join(screen_lines(app))
        await pilot.press("escape", "escape")  # closes once; the second escape is the lab's (nothing)
        await pilot.pause()
        assert not isinstance(app.screen, HiddenNeurons) and app.on_main_screen


async def test_hidden_neurons_in_korean_at_80x24_are_never_cut():
    app = make_app("xor-mlp", "ko")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        await pilot.press("N", "h")
        await pilot.pause()
        _whole(
            app, ["은닉 뉴런", "층 1/3: 뉴런 64개, sigmoid, 에포크 100", "들어옴 (2):", say("key.hidden_next", "ko")]
        )
        await pilot.press("2")
        assert "층 2/3: 뉴런 32개" in "\n".join(screen_lines(app))


async def test_x_slices_a_3_input_cube_and_does_nothing_for_two_inputs():
    from scenarios import Scenario

    scenario = Scenario("slice", "xor-mlp", config=(("dataset", "parity3"), ("hidden", (4,))))
    app = build_app(scenario)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await pilot.press(*["N"] * 20)
        await pilot.pause()
        assert "slice x₃ = 0" in "\n".join(_map_text(app))
        assert len(_marks(_map_text(app))) == 4  # the four rows with x₃ = 0
        await pilot.press("x")
        await pilot.pause()
        assert app.maps.x3 == 1.0 and "slice x₃ = 1" in "\n".join(_map_text(app))
        await pilot.press("h", "x", "escape")  # the hidden neurons' slice comes back to the map
        await pilot.pause()
        assert app.maps.x3 == 0.0 and "slice x₃ = 0" in "\n".join(_map_text(app))
    app = make_app("xor")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        assert app.check_action("slice", ()) is False
        await pilot.press("x")
        assert app.maps.x3 == 0.0


async def test_the_map_waits_for_the_engine_and_hidden_neurons_too(monkeypatch):
    import threading

    from tui.run.live import LiveRun

    release, load = threading.Event(), LiveRun.load
    monkeypatch.setattr(LiveRun, "load", lambda self, *args: (release.wait(10), load(self, *args))[1])
    app = make_app("xor-2-2-1")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert say("map.waiting", "en") in " ".join(line.strip() for line in _map_text(app))  # wrapped, whole
        assert app.check_action("hidden_neurons", ()) is None  # greyed
        release.set()
        await wait_ready(pilot)
        await pilot.pause()
        assert len(_marks(_map_text(app))) == 4
