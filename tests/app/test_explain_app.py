"""The backpropagation explainer in the app (Pilot): e opens it at the epoch on view, and a learner
follows one epoch of a 2-2-1 network from the inputs to the updated weights with keys only; the
neuron lesson's keys reach AND, OR, NAND and NOT x₁, and XOR says why it cannot be.

The 2-2-1 run is XOR with two hidden neurons from seed 0: the lesson xor-2-2-1 has exactly this
config."""

from __future__ import annotations

import re
import threading

import pytest
from scenarios import screen_lines, settle, until, wait_ready

import core.explain.explain
from core.explain.explain_text import STAGES, stage, title
from core.lessons import LESSONS
from core.mathtext import num
from core.neuron import ThresholdNeuron
from core.words import say
from tui.app import make_app
from tui.explain.screen import Explainer
from tui.neuron.controls import NeuronControls
from tui.neuron.run import NeuronRun
from tui.run.live import LiveRun
from tui.screens.lesson_picker import LessonPicker
from tui.widgets.status_line import StatusLine

SIZE = (120, 40)
HANGUL = re.compile(r"[\uac00-\ud7a3]")


def app_221(lang: str = "en"):
    """The app on XOR with a 2-2-1 network (the lesson xor-2-2-1's run)."""
    return make_app("xor-2-2-1", lang)


def text(app) -> str:
    return "\n".join(screen_lines(app))


def flat(shown: str) -> str:
    return " ".join(shown.split())


def status(app) -> str:
    return app.query_one(StatusLine).plain


async def wait_explained(pilot, timeout: float = 10.0) -> Explainer:
    """Until the explainer is on top and no epoch is being computed."""
    app = pilot.app
    for _ in range(int(timeout / 0.02)):
        if isinstance(app.screen, Explainer) and not app.explaining and app.screen.waiting is None:
            await pilot.pause()
            return app.screen
        await pilot.pause(0.02)
    raise TimeoutError("the explainer did not open")


def stage_text(screen: Explainer) -> str:
    """The whole stage on show (scrolled or not), as one line."""
    return flat(screen.body().plain)


async def test_a_learner_follows_one_epoch_of_2_2_1_from_inputs_to_updated_weights():
    app = app_221()
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        await pilot.press("N", "left")  # epoch 99 of 100 on view
        assert app.view == 99
        await pilot.press("e")
        screen = await wait_explained(pilot)
        history = app.live.trainer.history
        ex = screen.explanation
        assert ex.epoch == 99 and ex.sizes == (2, 2, 1)
        assert title(ex, "en", app.live.lesson.id) in text(app)
        # 1. forward: each row's inputs, each hidden neuron's z and a, the output p (the engine's)
        body = stage_text(screen)
        assert "Input x = (0,0), target y = 0" in body and "Input x = (1,1), target y = 0" in body
        before = history.weights_at(99)
        for r, p in enumerate(before.predictions):
            assert f"p = σ({num(ex.layers[-1].z[r][0])}) = {num(p)}" in body
        assert "h₁: z = " in body and "h₂: z = " in body
        # 2. the loss, 3. the output's δ, 4. back through each layer: a key a stage
        await pilot.press("right")
        assert screen.current == 1 and "2. Loss" in text(app) and f"= {num(ex.loss)}" in stage_text(screen)
        await pilot.press("right")
        assert "3. The output's error signal" in text(app) and "(p − y)/n" in stage_text(screen)
        await pilot.press("right")
        body = stage_text(screen)
        assert "4. Backward pass" in text(app)
        for layer, name in zip(ex.layers, ("w(x₁→h₁)", "w(h₁→ŷ)")):
            assert f"∂L/∂{name} = " in body and f"= {num(layer.weight_grad[0][0])}" in body
        # 5. the update: the new W is the history's next epoch, in every weight and bias
        await pilot.press("right")
        body = stage_text(screen)
        after = history.weights_at(100)
        for layer in after.layers:
            for value in [*(w for row in layer.weight for w in row), *layer.bias]:
                assert f"= {num(value)}" in body
        assert "These new values are epoch 100's weights" in body
        # the next epoch, from inside: ] recomputes in a worker and shows it at the same stage
        await pilot.press("right_square_bracket")
        screen = await wait_explained(pilot)
        assert screen.explanation.epoch == 100 and screen.current == 4
        assert "Epoch 100 of" in text(app)
        await pilot.press("right_square_bracket")  # the last epoch stays the last: nothing asked
        assert screen.waiting is None and screen.explanation.epoch == 100
        await pilot.press("left_square_bracket", "left_square_bracket")
        screen = await wait_explained(pilot)
        assert screen.explanation.epoch in (98, 99)  # the second press is greyed while the first computes
        # L inside: the explainer and the app speak Korean
        await pilot.press("L")
        assert app.lang == "ko" and "의 에포크" in text(app) and "5. 갱신" in text(app)
        epoch = screen.explanation.epoch
        await pilot.press("escape")
        await pilot.pause()
        assert app.on_main_screen and app.view == epoch  # back at the epoch it last showed
        assert f"Epoch: {epoch}/{LESSONS['xor-2-2-1'].epochs}" in status(app) and HANGUL.search(status(app))


async def test_e_while_running_pauses_first_and_explains_where_it_stopped():
    app = app_221()
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        app.live.goal = 10**6
        await pilot.press("s", "s", "space")
        assert app.state == "running"
        await pilot.pause(0.2)
        await pilot.press("e")
        assert app.state == "paused"
        screen = await wait_explained(pilot)
        assert "paused" in status(app)  # the status line beneath says so
        assert screen.explanation.epoch == app.live.last_epoch > 0
        await pilot.press("space", "n", "r")  # the app's keys do not act while the explainer is on top
        assert app.state == "paused" and app.screen is screen
        assert screen.explanation.epoch == app.live.last_epoch


async def test_e_does_nothing_while_the_engine_loads(monkeypatch):
    release = threading.Event()
    load = LiveRun.load

    def slow_load(self, *args):
        release.wait(10)
        load(self, *args)

    monkeypatch.setattr(LiveRun, "load", slow_load)
    app = make_app("and")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.check_action("explain", ()) is None  # greyed
        await pilot.press("e")
        await pilot.pause(0.1)
        assert app.on_main_screen and not app.explaining
        release.set()
        await wait_ready(pilot)
        assert app.check_action("explain", ()) is True


async def test_while_an_epoch_is_explained_e_and_the_run_keys_wait(monkeypatch):
    release = threading.Event()
    calls = []
    explain = core.explain.explain.explain

    def slow_explain(history, epoch):
        calls.append(epoch)
        release.wait(10)
        return explain(history, epoch)

    monkeypatch.setattr(core.explain.explain, "explain", slow_explain)
    app = app_221()
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        await pilot.press("n", "n", "e")
        assert app.explaining and app.on_main_screen
        assert app.check_action("explain", ()) is None and app.check_action("step", ()) is None
        await pilot.press("e", "n", "space", "r", "left")  # nothing changes the run meanwhile
        assert app.live.last_epoch == 2 and app.state == "paused" and app.view is None
        assert calls == [2]
        release.set()
        screen = await wait_explained(pilot)
        assert len(app.screen_stack) == 2 and screen.explanation.epoch == 2
        # inside, a second [ while the first is computed is greyed too
        release.clear()
        await pilot.press("left_square_bracket")
        assert screen.waiting == 1 and screen.check_action("epoch", (-1,)) is None
        assert "computing epoch 1" in text(app)
        await pilot.press("left_square_bracket", "left_square_bracket")
        assert calls == [2, 1]
        release.set()
        await wait_explained(pilot)
        assert screen.explanation.epoch == 1


async def test_closing_while_an_epoch_is_computed_drops_the_answer(monkeypatch):
    release = threading.Event()
    explain = core.explain.explain.explain
    monkeypatch.setattr(core.explain.explain, "explain", lambda h, e: release.wait(10) and explain(h, e))
    app = app_221()
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        await pilot.press("n")
        release.set()
        await pilot.press("e")
        screen = await wait_explained(pilot)
        release.clear()
        await pilot.press("left_square_bracket", "escape", "escape")  # escape twice: closed once
        await pilot.pause()
        assert app.on_main_screen and app.view is None  # it showed the latest epoch when it closed
        release.set()
        for _ in range(100):
            if not app.explaining:
                break
            await pilot.pause(0.02)
        await pilot.pause()
        assert not app.explaining and app.on_main_screen and not screen.is_attached


async def test_the_neuron_lesson_has_no_explainer_and_e_in_the_explainer_closes_it():
    app = make_app("neuron")
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        assert app.check_action("explain", ()) is False  # hidden: no run to explain
        await pilot.press("e")
        assert app.on_main_screen
    app = make_app("and")
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        await pilot.press("e")
        await wait_explained(pilot)
        await pilot.press("e")
        await pilot.pause()
        assert app.on_main_screen and app.view is None


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_korean_in_the_apps_explainer_is_whole(size):
    app = app_221("ko")
    async with app.run_test(size=size) as pilot:
        await wait_ready(pilot)
        await pilot.press("N", "e")
        screen = await wait_explained(pilot)
        descriptions = [b.description for found in screen._bindings.key_to_bindings.values() for b in found]
        for k, key in enumerate(STAGES):
            await pilot.press(str(k + 1))
            await pilot.pause()
            shown = stage(screen.explanation, key, "ko")
            source = " ".join(
                [title(screen.explanation, "ko", screen.lesson_id), shown.title, *(line.text for line in shown.lines)]
                + [say(f"explain.short.{s}", "ko") for s in STAGES]
                + descriptions
            )
            words = set(source.split())
            on_screen = text(app)
            cut = [w for w in on_screen.split() if HANGUL.search(w) and w not in words]
            assert not cut, (key, cut)
            assert "에포크−1" in on_screen  # the browse keys fit the footer


# --- the neuron lesson ---------------------------------------------------------------------------


def controls(app) -> NeuronControls:
    return app.query_one(NeuronControls)


async def test_the_neuron_lesson_is_first_in_the_picker_and_hides_the_training_keys():
    app = make_app("and")
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        await pilot.press("l")
        assert isinstance(app.screen, LessonPicker)
        assert "1. One neuron, set by hand  (neuron)" in text(app)
        await pilot.press("up", "up", "enter")  # from and, past perceptron-rule
        await wait_ready(pilot)
        assert isinstance(app.live, NeuronRun) and app.state == "ready"
        assert app.screen.has_class("by-hand") and controls(app).has_focus
        assert not app.query_one("#right").display and not app.query_one("#left").display  # no plot, no weights
        for action in ("run_pause", "step", "move", "lr", "reset", "speed", "explain"):
            assert app.check_action(action, ()) is False, action  # hidden, not greyed
        shown = text(app)
        assert "Run/pause" not in shown and "Raise 0.1" in shown and "1943" in shown  # its keys; its notes
        await pilot.press("space", "n", "N")
        assert app.state == "ready" and app.live.trainer is None
        # back to a lesson that trains by gradients (past perceptron-rule): + is the learning rate
        # again, not the hidden neuron's
        await pilot.press("l", "down", "down", "enter")
        await wait_ready(pilot)
        assert not app.screen.has_class("by-hand") and not controls(app).has_focus
        await pilot.press("plus")
        assert app.live.lr == 2.0


async def test_the_neuron_lessons_keys_reach_and_or_nand_not_x1_but_never_xor():
    app = make_app("neuron")
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        session = app.live
        assert session.neuron == ThresholdNeuron(0, 0, 5) and session.target == "and"
        # AND: w₁ = w₂ = 1, θ = 2 (↓ chooses the next parameter; + and → raise by 0.1)
        await pilot.press(*["plus"] * 10, "down", *["right"] * 10, "down", *["plus"] * 15)
        assert session.neuron == ThresholdNeuron(10, 10, 20)
        assert "✓ AND reached" in text(app) and "✓ reached" in status(app)
        # OR: the same weights, θ = 1
        await pilot.press("g")
        assert session.target == "or" and "2 rows of 4 are wrong" in status(app)
        await pilot.press(*["minus"] * 10)
        assert session.neuron == ThresholdNeuron(10, 10, 10) and "✓ OR reached" in text(app)
        # NAND: w₁ = w₂ = −1, θ = −1.5
        await pilot.press("g", "up", "up", *["minus"] * 20, "down", *["left"] * 20, "down", *["minus"] * 25)
        assert session.target == "nand" and session.neuron == ThresholdNeuron(-10, -10, -15)
        assert "✓ NAND reached" in text(app)
        # NOT x₁: w₂ = 0, θ = −0.5
        await pilot.press("g", "up", *["plus"] * 10, "down", *["plus"] * 10)
        assert session.target == "not-x1" and session.neuron == ThresholdNeuron(-10, 0, -5)
        assert "✓ NOT x₁ reached" in text(app) and "✓ reached" in status(app)
        # XOR: never, whatever the keys; and it says why
        await pilot.press("g")
        assert session.target == "xor" and "XOR cannot be reached, whatever the numbers." in text(app)
        for keys in (["plus"] * 7, ["up"] + ["minus"] * 13, ["up", "up"] + ["plus"] * 30, ["down"] + ["left"] * 9):
            await pilot.press(*keys)
            assert not session.reached and "✓ reached" not in status(app)
        assert "rows of 4 are wrong" in status(app) or "row of 4 is wrong" in status(app)
        await pilot.press("g")  # round the list, back to AND
        assert session.target == "and"


async def test_the_neuron_lesson_speaks_korean_and_keeps_its_neuron_across_l():
    app = make_app("neuron", "ko")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        await pilot.press("plus", "L")
        assert app.lang == "en" and app.live.neuron == ThresholdNeuron(1, 0, 5)
        assert "Raise 0.1" in text(app) and "Threshold neuron" in text(app)
        await pilot.press("L")
        shown = text(app)
        assert "0.1 올리기" in shown and "문턱값 뉴런" in shown and "w₁ =  0.1" in shown


async def test_m_shows_the_neurons_line_on_the_map_and_it_follows_the_keys():
    app = make_app("neuron")
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        assert app.check_action("map_view", ()) is True and app.check_action("hidden_neurons", ()) is False
        await pilot.press("m")
        await settle(pilot)
        assert "line: 0.00·x₁ + 0.00·x₂ − 0.50 = 0" not in text(app)  # weights 0: no line to draw
        await pilot.press(*("plus",) * 10, "down", *("plus",) * 10)
        await until(pilot, lambda: "line: 1.00·x₁ + 1.00·x₂ − 0.50 = 0" in text(app), timeout=10)
        await pilot.press("down", *("plus",) * 10)  # θ 1.5: AND
        await until(pilot, lambda: "line: 1.00·x₁ + 1.00·x₂ − 1.50 = 0" in text(app), timeout=10)
        await settle(pilot)
        shown = text(app)
        assert len(re.findall("[01]✓", shown)) == 4 and not re.search("[01]✗", shown)  # every row right
        await pilot.press("m")
        await until(pilot, lambda: "line:" not in text(app), timeout=10)  # the notes are back in its place
