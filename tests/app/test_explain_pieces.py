"""The explainer screen and the neuron controls, each in a small host app (Pilot): a key a stage, the
path keys, the neuron's keys and messages, and Korean read back from the screen whole at 80×24 and
120×40 (every Korean word on screen is a word of the text it came from: none cut at an edge)."""

from __future__ import annotations

import re

import pytest
from textual.app import App
from textual.containers import VerticalScroll
from textual.widgets import Footer

from core.config import TrainConfig
from core.explain.explain import explain
from core.explain.explain_text import STAGES, stage
from core.lessons import lesson
from core.mathtext import num
from core.neuron import ThresholdNeuron
from core.trainer import Trainer
from tui.explain.screen import Explainer
from tui.messages import NeuronChanged
from tui.neuron.controls import NeuronControls, render_neuron

SIZES = [(80, 24), (120, 40)]
HANGUL = re.compile(r"[\uac00-\ud7a3]")
_CACHE: dict = {}


def explained(config: TrainConfig, epoch: int):
    if (config, epoch) not in _CACHE:
        trainer = Trainer(config)
        trainer.run(to_epoch=epoch)
        _CACHE[config, epoch] = explain(trainer.history, epoch)
    return _CACHE[config, epoch]


SMALL = TrainConfig(dataset="xor", hidden=(2,))
WIDE = lesson("xor-mlp").config


class ExplainerHost(App):
    def __init__(self, screen: Explainer):
        super().__init__()
        self.explainer = screen
        self.closed = 0

    def on_mount(self) -> None:
        self.push_screen(self.explainer, lambda _: setattr(self, "closed", self.closed + 1))


class NeuronHost(App):
    def __init__(self, controls: NeuronControls):
        super().__init__()
        self.controls = controls
        self.changes: list[NeuronChanged] = []

    def compose(self):
        with VerticalScroll():
            yield self.controls
        yield Footer()

    def on_mount(self) -> None:
        self.controls.focus()

    def on_neuron_changed(self, message: NeuronChanged) -> None:
        self.changes.append(message)


def screen_text(app) -> str:
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def flat(text: str) -> str:
    """The text with every run of spaces and line breaks as one space: what a wrapped line said."""
    return " ".join(text.split())


def assert_korean_whole(shown: str, source: str) -> None:
    """Every word on screen with Korean in it is a word of the source text (wrapping breaks at spaces
    only; a character cut at an edge would leave a word that is not)."""
    words = set(source.split())
    cut = [w for w in shown.split() if HANGUL.search(w) and w not in words]
    assert not cut, cut


def explainer_source(screen: Explainer) -> str:
    from core.explain.explain_text import title
    from core.words import say

    shown = stage(screen.explanation, STAGES[screen.current], screen.lang, screen.path, screen.stopped)
    parts = [
        title(screen.explanation, screen.lang, screen.lesson_id),
        shown.title,
        *(line.text for line in shown.lines),
    ]
    parts += [say(f"explain.short.{key}", screen.lang) for key in STAGES]
    parts += [say("explain.path", screen.lang), say("explain.path_keys", screen.lang)]
    parts += [b.description for b in screen._bindings.key_to_bindings.get("right", [])]
    parts += [
        say(f"explain.key.{k}", screen.lang) for k in ("next", "back", "layer", "neuron_up", "neuron_down", "close")
    ]
    return "\n".join(parts)


async def test_a_key_a_stage_forward_and_back():
    ex = explained(SMALL, 5)
    app = ExplainerHost(Explainer(ex, "en", "xor"))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.explainer
        assert screen.current == 0 and "1. Forward pass" in screen_text(app)
        await pilot.press("right")
        assert screen.current == 1
        text = screen_text(app)
        assert "2. Loss" in text and f"/4 = {num(ex.loss)}" in flat(text)
        await pilot.press("left", "left")
        assert screen.current == 0
        await pilot.press("space", "space", "space")
        text = screen_text(app)
        assert "4. Backward pass" in text and f"= {num(ex.layers[-1].weight_grad[0][0])}" in flat(text)
        await pilot.press("5", "right")  # the last stage stays the last
        screen.query_one("#explain-body").scroll_end(animate=False)
        await pilot.pause()
        text = screen_text(app)
        assert screen.current == 4 and f"= {num(ex.layers[-1].bias_next[0])}" in flat(text)
        assert "These new values are epoch 6's weights" in text
        assert "→ Next" in text and "← Back" in text and "esc Close" in text
        assert "tab Layer" not in text and "Neuron+" not in text  # a network shown whole has no path keys


async def test_escape_closes_it_once_even_when_pressed_twice():
    app = ExplainerHost(Explainer(explained(SMALL, 5), "en", "xor"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert app.closed == 1 and not isinstance(app.screen, Explainer)


async def test_the_path_of_a_wide_network_is_chosen_with_keys():
    ex = explained(WIDE, 3)
    app = ExplainerHost(Explainer(ex, "en", "xor-mlp", start=3))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.explainer
        assert "Path: x₁ → h¹₁ → h²₁ → h³₁ → ŷ" in screen_text(app)
        await pilot.press("tab", "plus", "plus", "tab", "minus")  # h¹: 1 → 3; h²: 1 → 32 (round the layer)
        assert screen.path == (0, 2, 31, 0, 0) and screen.chosen_layer == 2
        text = screen_text(app)
        assert "Path: x₁ → h¹₃ → h²₃₂ → h³₁ → ŷ" in text
        body = flat(screen.body().plain)  # the whole stage, scrolled or not
        assert "∂L/∂w(h¹₃→h²₃₂) = Σ δ(h²₃₂)·h¹₃ = " in body
        assert f"= {num(ex.layers[1].weight_grad[31][2])}" in body  # the engine's
        assert "tab Layer" in text and "+ Neuron+" in text
        await pilot.press("shift+tab", "shift+tab", "shift+tab")
        assert screen.chosen_layer == 3  # round the path: inputs, h¹, h², h³


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("config", [SMALL, WIDE], ids=["2-2-1", "xor-mlp"])
async def test_korean_is_whole_in_every_stage(config, size):
    ex = explained(config, 3)
    app = ExplainerHost(Explainer(ex, "ko", "xor"))
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        for key in range(len(STAGES)):
            await pilot.press(str(key + 1))
            await pilot.pause()
            text = screen_text(app)
            assert f"{key + 1}. " in text and HANGUL.search(text)
            assert_korean_whole(text, explainer_source(app.explainer))
            assert all(len(line) <= size[0] for line in text.splitlines())


async def test_the_neuron_reaches_and_by_keys_and_says_so():
    app = NeuronHost(NeuronControls(lang="en"))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        controls = app.controls
        assert "AND reached" not in screen_text(app) and "rows of 4 are wrong" not in screen_text(app)
        await pilot.press(*["plus"] * 10, "down", *["plus"] * 10, "down", *["plus"] * 15)
        await pilot.pause()
        assert controls.neuron == ThresholdNeuron(10, 10, 20)
        text = screen_text(app)
        assert "✓ AND reached: every row is right." in text and "0.5" not in text.split("Target")[0]
        assert "The line where w·x = θ: 1·x₁ + 1·x₂ = 2" in text
        assert len(app.changes) == 35 and app.changes[-1].neuron == controls.neuron
        await pilot.press("g")  # OR: the same weights fire on one row too few
        await pilot.pause()
        assert controls.target == "or" and "2 rows of 4 are wrong." in screen_text(app)
        assert app.changes[-1].target == "or"


async def test_parameters_move_in_tenths_within_three():
    app = NeuronHost(NeuronControls(lang="en"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press(*["minus"] * 40, "up", "left")  # w₁ to the limit; θ (up wraps) down by 0.1
        assert app.controls.neuron == ThresholdNeuron(-30, 0, 4)
        assert "▶ θ  =  0.4" in screen_text(app)


async def test_xor_says_why_it_cannot_be_reached():
    app = NeuronHost(NeuronControls(target="nand", lang="en"))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("g", "g")  # NAND → NOT x₁ → XOR
        text = screen_text(app)
        assert "Target: XOR" in text and "XOR cannot be reached, whatever the numbers." in text
        assert "(1,1)  w₁ + w₂ < θ" in text


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("target", ["and", "xor"])
async def test_the_neuron_in_korean_is_whole(size, target):
    controls = NeuronControls(ThresholdNeuron(-5, 12, -3), target=target, lang="ko")
    app = NeuronHost(controls)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        source = str(render_neuron(controls.neuron, controls.target, controls.selected, "ko"))
        source += "\n" + " ".join(b.description for found in controls._bindings.key_to_bindings.values() for b in found)
        for _ in range(3):  # the top, then scrolled to the end (80×24 does not hold it all)
            text = screen_text(app)
            assert "목표" in text
            assert_korean_whole(text, source)
            app.query_one(VerticalScroll).scroll_end(animate=False)
            await pilot.pause()
        if target == "xor":
            assert "은닉층이" in screen_text(app)


async def test_the_neuron_changes_language():
    app = NeuronHost(NeuronControls(lang="en"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "Raise 0.1" in screen_text(app)
        app.controls.set_lang("ko")
        await pilot.pause()
        text = screen_text(app)
        assert "0.1 올리기" in text and "문턱값 뉴런" in text and "Raise" not in text


async def test_the_explainer_changes_language_and_epoch_in_place():
    first, later = explained(SMALL, 5), explained(SMALL, 7)
    app = ExplainerHost(Explainer(first, "en", "xor", start=1))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.explainer
        screen.set_lang("ko")
        await pilot.pause()
        text = screen_text(app)
        assert "xor의 에포크 5" in text and "2. 손실" in text and "다음" in text and "Next" not in text
        screen.show(later)
        await pilot.pause()
        assert "xor의 에포크 7" in screen_text(app) and f"/4 = {num(later.loss)}" in flat(screen_text(app))
        assert screen.current == 1
        with pytest.raises(ValueError):
            screen.show(explained(WIDE, 1))
