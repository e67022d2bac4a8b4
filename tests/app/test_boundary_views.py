"""The map widget and the hidden-neurons screen in a tiny app (Pilot): what the terminal shows at
120x40 and 80x24, with 16 colours (TERM=xterm) and with NO_COLOR, read back from the screen."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from frames import frame_for, screen_ansi, screen_lines
from textual.app import App

from core.words import say
from tui.maps.boundary_map import BoundaryMap
from tui.maps.hidden_neurons import HiddenNeurons
from tui.maps.map_panel import colour_mode

SIZES = [(120, 40), (80, 24)]


@pytest.fixture(scope="module")
def solved():
    return frame_for("xor-2-2-1", 5000)


@pytest.fixture(scope="module")
def mlp():
    return frame_for("xor-mlp", 5000)


@pytest.fixture
def sixteen_colours(monkeypatch):
    monkeypatch.setenv("TERM", "xterm")
    monkeypatch.delenv("COLORTERM", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)


@pytest.fixture
def no_color(monkeypatch):
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.setenv("NO_COLOR", "1")


class MapApp(App):
    def __init__(self, frame, lang="en"):
        super().__init__()
        self.frame, self.lang = frame, lang

    def compose(self):
        yield BoundaryMap()

    def on_mount(self):
        self.query_one(BoundaryMap).show(self.frame, self.lang)


class HiddenApp(App):
    def __init__(self, frame, lang="en"):
        super().__init__()
        self.frame, self.lang = frame, lang

    def on_mount(self):
        self.push_screen(HiddenNeurons(self.frame, self.lang))


def _marks(lines: list[str]) -> list[str]:
    return re.findall(r"[01][✓✗]", "\n".join(lines))


def _cells_by_background(sgr: str) -> Counter[str]:
    """How many characters the terminal is sent on each background colour (its SGR code: 40-47, 100-107)."""
    cells: Counter[str] = Counter()
    for params, text in re.findall(r"\x1b\[([0-9;]*)m([^\x1b]*)", sgr.replace("\n", "")):
        backgrounds = [code for code in params.split(";") if code[:-1] in ("4", "10") and code[-1] in "01234567"]
        if backgrounds:
            cells[backgrounds[-1]] += len(text)
    return cells


@pytest.mark.parametrize("size", SIZES)
async def test_map_in_16_colours(sixteen_colours, solved, size):
    app = MapApp(solved)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        assert app.console.color_system == "standard" and colour_mode(app) == "ansi16"
        lines = screen_lines(app)
        assert sorted(_marks(lines)) == ["0✓", "0✓", "1✓", "1✓"]
        assert sum(line.count("▀") for line in lines) > 20  # two pixels a cell where they differ
        assert any("x₁" in line for line in lines) and "p = 0.5" in "\n".join(lines)
        sgr = set(re.findall(r"\x1b\[([0-9;]*)m", screen_ansi(app)))
        codes = {code for group in sgr for code in group.split(";")}
        assert not any(group.startswith(("38;2", "48;2", "38;5", "48;5")) for group in sgr)
        # class 0 (blue), class 1 (dark or bright yellow), the white contour: all on screen
        assert codes & {"44", "104", "34", "94"} and codes & {"43", "103", "33", "93"} and codes & {"97", "107"}


@pytest.mark.parametrize("size", SIZES)
async def test_map_with_no_color(no_color, solved, size):
    app = MapApp(solved)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        assert app.no_color and colour_mode(app) == "shade"
        lines = screen_lines(app)
        text = "\n".join(lines)
        assert sorted(_marks(lines)) == ["0✓", "0✓", "1✓", "1✓"]
        assert "█" in text and "╲" in text and "·" in text  # class 1, the contour, a hidden neuron's line
        assert "▀" not in text
        # the map is square on screen: as many rows as half its columns (a cell is twice as tall as wide)
        axis = next(i for i, line in enumerate(lines) if "x₁" in line)
        columns = lines[axis].index("x₁") - 3
        assert axis == (columns + 1) // 2 and columns >= 21


async def test_a_stuck_perceptron_is_grey_with_its_line(sixteen_colours):
    app = MapApp(frame_for("xor", 1000))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        lines = screen_lines(app)
        # every output is 0.5 to float32's precision, which reads as 1: both 1s right, both 0s wrong
        assert sorted(_marks(lines)) == ["0✗", "0✗", "1✓", "1✓"]
        assert any(line.strip().startswith("line: ") and line.rstrip().endswith("= 0") for line in lines)
        # p = 0.5 is grey, bright black in 16 colours (SGR 100 as a background): grey covers more of
        # the screen than every class colour put together (the rest is the black screen, SGR 40)
        cells = _cells_by_background(screen_ansi(app))
        class_colours = sum(cells[code] for code in ("44", "104", "43", "103", "107"))
        assert cells["100"] > 10 * class_colours > 0


async def test_korean_legend_is_never_cut(sixteen_colours, solved):
    app = MapApp(solved, lang="ko")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = "\n".join(screen_lines(app))
        for word in (say("map.targets", "ko"), say("map.hidden_lines", "ko")):
            assert word in text  # whole, on one line


async def test_the_map_redraws_only_when_its_weights_change(sixteen_colours):
    frames = [frame_for("xor-2-2-1", epoch) for epoch in (2000, 2001)]
    app = MapApp(frames[0])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        widget = app.query_one(BoundaryMap)
        sent = widget.lines_sent
        assert sent == 24  # the first drawing: every line
        widget.show(frame_for("xor-2-2-1", 2000), "en")  # same epoch, new objects: nothing to send
        await pilot.pause()
        assert widget.lines_sent == sent
        widget.show(frames[1], "en")  # one epoch on: only the lines that changed
        await pilot.pause()
        assert sent < widget.lines_sent < sent + 24
        assert sorted(_marks(screen_lines(app))) == ["0✓", "0✓", "1✓", "1✓"]


async def test_the_map_waits_for_the_engine(sixteen_colours):
    app = MapApp(frame_for("xor-2-2-1", 0).__class__(**{**frame_for("xor-2-2-1", 0).__dict__, "weights": None}))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert say("map.waiting", "en") in "\n".join(screen_lines(app))


# --- hidden neurons ---------------------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
async def test_hidden_neurons_of_2_2_1_read_as_or_and_nand(sixteen_colours, solved, size):
    app = HiddenApp(solved)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, HiddenNeurons) and (screen.chosen_layer, screen.chosen_neuron) == (0, 0)
        text = "\n".join(screen_lines(app))
        assert "layer 1 of 1: 2 neurons" in text and "like OR" in text and "7.52·x₁ + 7.52·x₂ − 3.44" in text
        footer = screen_lines(app)[-1]
        assert "Close" in footer and "Next neuron" in footer
        await pilot.press("tab")
        assert screen.chosen_neuron == 1 and "like NAND" in "\n".join(screen_lines(app))
        await pilot.press("tab")
        assert screen.chosen_neuron == 0
        await pilot.press("shift+tab")
        assert screen.chosen_neuron == 1
        await pilot.press("2", "x")  # one layer, two inputs: neither does anything
        assert (screen.chosen_layer, screen.chosen_neuron, screen.x3) == (0, 1, 0.0)
        await pilot.press("escape")
        assert not isinstance(app.screen, HiddenNeurons)


@pytest.mark.parametrize("lang", ["en", "ko"])
async def test_hidden_neurons_keep_a_line_equation_whole_at_80_columns(sixteen_colours, lang):
    """At epoch 100 of xor-2-2-1 the first neuron's line is "−0.0064·x₁ + 0.38·x₂ − 0.27 = 0": at
    80 columns rich's wrap left "= 0" cut in two rows; now the equation takes a row of its own."""
    app = HiddenApp(frame_for("xor-2-2-1", 100), lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for _ in range(2):  # both neurons
            rows = [row for row in screen_lines(app) if "·x₁" in row]
            assert len(rows) == 1 and re.search(r"·x₂ [−+] [0-9.]+ = 0[ │]", rows[0]), rows
            await pilot.press("tab")


@pytest.mark.parametrize("lang", ["en", "ko"])
async def test_hidden_neurons_keep_each_weight_beside_its_name_at_80_columns(sixteen_colours, mlp, lang):
    """The largest weights in and out ("h¹₃₀ +0.12 h¹₅₄ -0.12 …") wrap between pairs, never
    between a name and its value."""
    app = HiddenApp(mlp, lang)
    async with app.run_test(size=(80, 24)) as pilot:
        for key in ("1", "2", "3"):
            await pilot.press(key)
            left = [row.split("││")[0].strip("│ ") for row in screen_lines(app)[1:-2]]
            assert not [row for row in left if re.search(r"h[¹²³][₀-₉]+$", row)], left
            assert sum("+0." in row or "-0." in row for row in left) >= 3  # the lists are there


async def test_hidden_neurons_keys_choose_layer_and_neuron_with_pages(sixteen_colours, mlp):
    app = HiddenApp(mlp)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        text = "\n".join(screen_lines(app))
        assert "layer 1 of 3: 64 neurons" in text and re.search(r"page 1/\d", text)
        for i in range(1, 5):
            assert f"h¹{str(i).translate(str.maketrans('0123456789', '₀₁₂₃₄₅₆₇₈₉'))}" in text
        across = app.screen.query_one("NeuronGrid").across
        await pilot.press("down")
        assert screen.chosen_neuron == across
        await pilot.press("up", "up")
        assert screen.chosen_neuron == 0  # no row above the first
        for _ in range(20):
            await pilot.press("down")
        assert "page 1/" not in "\n".join(screen_lines(app))  # the page follows the chosen neuron
        await pilot.press("2")
        assert (screen.chosen_layer, screen.chosen_neuron) == (1, 0)
        assert "layer 2 of 3: 32 neurons" in "\n".join(screen_lines(app))
        assert "in (64) largest:" in "\n".join(screen_lines(app))  # 64 incoming weights: the largest only
        await pilot.press("3", "shift+tab")
        assert (screen.chosen_layer, screen.chosen_neuron) == (2, 15)
        await pilot.press("9")
        assert screen.chosen_layer == 2


async def test_hidden_neurons_slice_for_three_inputs_and_none_without_a_hidden_layer(sixteen_colours):
    app = HiddenApp(frame_for("xor-mlp", 200, dataset="parity3", hidden=(8,)), lang="ko")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert "x₃ = 0 단면" in "\n".join(screen_lines(app))
        await pilot.press("x")
        assert app.screen.x3 == 1.0 and "x₃ = 1 단면" in "\n".join(screen_lines(app))
    app = HiddenApp(frame_for("and", 10))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "no hidden layer" in "\n".join(screen_lines(app))
        await pilot.press("tab", "down", "h")
        assert not isinstance(app.screen, HiddenNeurons)


async def test_hidden_neurons_follow_the_epoch_on_view(sixteen_colours, solved):
    app = HiddenApp(frame_for("xor-2-2-1", 1000))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert "epoch 1000" in "\n".join(screen_lines(app))
        app.screen.show(solved, "en")
        await pilot.pause()
        text = "\n".join(screen_lines(app))
        assert "epoch 5000" in text and "like OR" in text


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_a_map_a_few_cells_wide_or_high_is_blank_or_a_note(solved, lang):
    """A panel caught mid-resize can be a cell wide or high (random keys while the terminal shrinks
    reach sizes like 1x9): the map then draws blank lines or its note, as many as it is high, and
    never raises."""
    from rich.console import Console
    from rich.style import Style

    from tui.maps.boundary_map import MapRequest, build, map_input
    from tui.maps.heatmap import Painter

    console, base = Console(), Style(color="white", bgcolor="black")
    for width in range(12):
        for height in range(12):
            for data in (None, map_input(solved)):
                request = MapRequest(data, lang, (width, height), "ansi16", base)
                strips = build(request, Painter("ansi16", base.bgcolor), console)
                assert len(strips) == height and all(strip.cell_length == width for strip in strips)


@pytest.mark.parametrize(
    "lang,weights,says",
    [
        ("en", [0.0, 10.0], "like x₂"),
        ("ko", [0.0, 10.0], "x₂ 함수와 같음"),
        ("en", [10.0, -10.0], "like x₁ AND NOT x₂"),
    ],
)
def test_a_hidden_neuron_is_likened_to_a_function_of_x1_and_x2(lang, weights, says):
    """It said 'like B' ('B 함수와 같음'): inputs no other screen calls a and b."""
    from core.datasets import dataset
    from core.maps.boundary import Params
    from tui.maps.neuron_detail import Chosen, describe

    params = Params.from_pairs([([weights], [-5.0]), ([[1.0]], [0.0])], "sigmoid")
    chosen = Chosen(params, dataset("xor").rows, (("x₁", "x₂"), ("h₁",), ("ŷ",)), 0, 0, 0.0, 0)
    text = "\n".join(line.plain for line in describe(chosen, lang))
    assert says in text and "B" not in text.replace("ŷ", "")
