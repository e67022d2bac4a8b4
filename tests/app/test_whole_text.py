"""Text that is whole and columns that stay put (issue 19, "Text that is cut, or columns that slip"):
each test reads the screen back as text in the state that makes a text long (a blow-up, 3 inputs,
weights of 10 and more, a run past its goal, a long equation) and finds it whole."""

from __future__ import annotations

import itertools
import re

import pytest
from scenarios import Scenario, broken_relations, build_app, cells, play, region_text, screen_lines


@pytest.mark.parametrize(("lang", "size"), [("en", (120, 40)), ("ko", (80, 24))])
async def test_the_loss_plot_marks_whole_epochs_past_the_goal(lang, size):
    """One epoch past AND's goal (1000) the x-axis ran to 1001 and plotext split it in quarters:
    `0.0  250.2  500.5  750.8`."""
    from tui.widgets.loss_plot import LossPlot

    scenario = Scenario("past-goal", "and", ("n",), size=size, lang=lang, run_to_end=True)
    app = build_app(scenario)
    async with app.run_test(size=size) as pilot:
        await play(pilot, scenario)
        rows = region_text(app, app.query_one(LossPlot))
        axis = next(i for i, row in enumerate(rows) if "└" in row)
        ticks = rows[axis + 1].split()
        assert ticks == ["0", "250", "500", "750", "1000"], rows[axis + 1]


@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_loss_plot_speaks_the_learners_language_in_line(lang, size):
    """The plot's axis label and legend were English in Korean ("epoch", "loss", "accuracy"):
    plotext counts characters, not cells, so a Korean label would push its frame out of line. Now
    they are the learner's words, whole, and every row of the plot is as wide as the panel."""
    from rich.cells import cell_len

    from core.words import say
    from tui.widgets.loss_plot import LossPlot

    scenario = Scenario("labels", "xor", ("N", "a"), size=size, lang=lang)
    app = build_app(scenario)
    async with app.run_test(size=size) as pilot:
        await play(pilot, scenario)
        plot = app.query_one(LossPlot)
        rows = region_text(app, plot)
        words = [say(f"app.plot_{name}", lang) for name in ("epoch", "loss", "accuracy")]
        for word in words:
            assert any(re.search(rf"(^|[ ▌▞▚▗▖▘▝▄▀]){word}( |$)", row) for row in rows), (word, rows)
        assert rows[-1].strip() == words[0]
        frame = [row for row in rows if "┌" in row or "└" in row]
        assert len(frame) == 2 and len({row.index(c) for row, c in zip(frame, "┌└")}) == 1
        assert all(cell_len(row) == plot.content_region.width for row in rows)
        assert not any(letter * 3 in row for row in rows for letter in "QZJ")  # no stand-in left


@pytest.mark.parametrize("right", [1, 2, 3, 7, 10, 99, 101, 1000, 1001, 2101, 5000, 5001, 10001, 123457])
def test_epoch_ticks_are_whole_and_few(right):
    from tui.widgets.loss_plot import epoch_ticks

    ticks = epoch_ticks(right)
    assert ticks[0] == 0 and ticks[-1] <= right and 2 <= len(ticks) <= 6
    assert all(isinstance(t, int) for t in ticks) and len({b - a for a, b in itertools.pairwise(ticks)}) == 1
    assert ticks[-1] > right * 0.75  # the last tick near the axis's end


def _columns(row: str) -> list[int]:
    return [i for i, char in enumerate(row) if char in "│┃"]


@pytest.mark.parametrize("lang", ["en", "ko"])
async def test_the_weights_columns_stay_aligned_with_weights_past_10(lang):
    """A weight of 10 or more took a cell more than the others and its row's rules slipped right:
    `│ ŷ  +11.5952▲ -12.1474▼ │ -5.4385▼ ┃` under `│    b     ┃`."""
    from tui.widgets.weights_inspector import WeightsInspector

    scenario = Scenario("big-weights", "xor-2-2-1", ("N",) * 3, lang=lang, config=(("lr", 10.0),))
    app = build_app(scenario)
    async with app.run_test(size=scenario.size) as pilot:
        await play(pilot, scenario)
        rows = region_text(app, app.query_one(WeightsInspector))
        assert any(re.search(r"[+-]\d\d\.\d", row) for row in rows), rows  # a weight past 10 is on show
        blocks, block = [], []
        for row in [*rows, ""]:
            if "┃" in row:
                block.append(row)
            elif block:
                blocks.append(block)
                block = []
        assert len(blocks) == 2, rows
        for block in blocks:
            assert len({tuple(_columns(row)) for row in block}) == 1, block


@pytest.mark.parametrize("value", [0.1234, -6.78449, 9.99996, 10.17, -99.99996, 123.456, 12345.6, 1.5e9, float("nan")])
def test_a_weight_takes_seven_cells_and_a_gradient_nine(value):
    from tui.widgets.weights_inspector import gradient_text, value_text

    shown = value_text(value)
    assert len(shown) == 7 and len(gradient_text(value)) == 9
    if value == value and abs(value) < 1e5:  # as many decimals as fit, rounded
        decimals = len(shown.split(".")[1]) if "." in shown else 0
        assert abs(float(shown) - value) <= 0.5 * 10**-decimals + 1e-12, shown


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_a_3_input_truth_table_keeps_each_row_on_one_line(lang, size):
    """parity3 at 80 columns wrapped every English row (its ✓ on a line of its own): 8 rows took 16
    lines and pushed the Network panel off the screen."""
    from core.words import say
    from tui.widgets.truth_table import TruthTable

    scenario = Scenario(
        "p3", "xor-mlp", ("N",), size=size, lang=lang, config=(("dataset", "parity3"), ("hidden", (4,)))
    )
    app = build_app(scenario)
    async with app.run_test(size=size) as pilot:
        await play(pilot, scenario)
        rows = region_text(app, app.query_one(TruthTable))
        assert len(rows) == 2 + 8, rows
        for row in rows[2:]:
            assert re.fullmatch(r" ( [01] ){3}│.*[✓✗].*", row), row
        assert say("app.network", lang) in "\n".join(screen_lines(app))


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_blow_up_explanation_is_whole_with_its_advice(lang, size):
    """At 80x24 the status line's explanation of a blow-up was cut before its advice ("…threw the
    weights", "학습률을 낮추고 처음부터"): now it is whole, in its long form where that fits."""
    from tui.widgets.status_line import StatusLine

    scenario = Scenario("blowup", "xor-mlp", ("plus",) * 9 + ("n",), size=size, lang=lang)
    app = build_app(scenario)
    async with app.run_test(size=size) as pilot:
        await play(pilot, scenario)
        blowup = app.live.blowup
        assert blowup is not None and blowup.epoch == 1
        rows = region_text(app, app.query_one(StatusLine))
        said = " ".join(row.strip() for row in rows[2:])
        forms = [blowup.message(lang), blowup.message(lang, short=True)]
        assert said in forms, (said, rows)
        assert said.endswith(("Lower it and start again.", "처음부터 다시 해 보세요."))
        assert all(row.startswith(" ") and not row.startswith("  ") for row in rows[2:]), rows  # one indent
        if size == (120, 40):
            assert said == forms[0]


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_the_explainers_update_keeps_lr_with_its_value(lang, size):
    """Stage 5 broke its sentence between `lr =` and `1.` at 120 columns."""
    scenario = Scenario("update", "xor-mlp", ("N", "e", "right", "right", "right", "right"), size=size, lang=lang)
    app = build_app(scenario)
    async with app.run_test(size=size) as pilot:
        await play(pilot, scenario)
        rows = screen_lines(app)
        assert any("lr = 1" in row for row in rows), rows
        assert not broken_relations(rows), broken_relations(rows)


@pytest.mark.parametrize("lang", ["en", "ko"])
async def test_the_maps_equation_is_not_broken_between_its_sides(lang):
    """At 120x40 NAND's line at lr 3, `−7.20·x₁ − 7.20·x₂ + 10.98 = 0`, is too long for the map's
    caption: it broke as `… + 10.98 =` / `0`. Now the equation moves to a line of its own, whole."""
    from tui.maps.boundary_map import BoundaryMap

    scenario = Scenario("nand", "and", ("N",) * 3, lang=lang, config=(("dataset", "nand"), ("lr", 3.0)))
    app = build_app(scenario)
    async with app.run_test(size=scenario.size) as pilot:
        await play(pilot, scenario)
        rows = [row.strip() for row in region_text(app, app.query_one(BoundaryMap))]
        assert not broken_relations(rows), rows
        assert any(re.fullmatch(r"(line: |직선: )?−\d\.\d\d·x₁ − \d\.\d\d·x₂ \+ \d+\.\d\d = 0", row) for row in rows), (
            rows[-4:]
        )


NEURON_AND = ("plus",) * 10 + ("down",) + ("plus",) * 10 + ("down",) + ("plus",) * 10  # w₁ = 1, w₂ = 1, θ = 1.5


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_neuron_panels_lines_start_under_each_other(lang, size):
    """The neuron panel's wrapped lines started a column left of their first ("What each row needs,
    and whether it holds" / "now:"), and at 80 columns its line broke "1·x₁ + 1·x₂ =" / "1.5"."""
    from tui.neuron.controls import NeuronControls

    scenario = Scenario("neuron", "neuron", NEURON_AND, size=size, lang=lang)
    app = build_app(scenario)
    async with app.run_test(size=size) as pilot:
        await play(pilot, scenario)
        controls = app.query_one(NeuronControls)
        seen = controls.content_region.intersection(app.query_one("#hand").scrollable_content_region)
        rows = [cells(row, seen.x, seen.right).rstrip() for row in screen_lines(app)[seen.y : seen.bottom]]
        assert all(row.startswith(" ") for row in rows if row), "\n".join(rows)
        assert not broken_relations(rows), rows
        assert any(row.endswith("1·x₁ + 1·x₂ = 1.5") for row in rows), rows


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize("colours", ["truecolor", "16", "none"])
async def test_the_neurons_map_shows_two_classes_split_by_its_line(colours, lang, monkeypatch):
    """McCulloch and Pitts' neuron outputs only 0 or 1, but its map was a sigmoid's smooth gradient
    with the legend `━ p = 0.5`: now two colours (░ and █ without colour) split by its line, and a
    legend that says so."""
    from core.words import say
    from tui.maps.boundary_map import BoundaryMap

    scenario = Scenario("neuron-map", "neuron", (*NEURON_AND, "m"), size=(80, 24), lang=lang, colours=colours)
    app = build_app(scenario, monkeypatch)
    async with app.run_test(size=scenario.size) as pilot:
        await play(pilot, scenario)
        widget = app.query_one(BoundaryMap)
        rows = region_text(app, widget)
        text = "\n".join(rows)
        for key in ("map.output_0", "map.output_1", "map.threshold_line"):
            assert say(key, lang) in text, (key, text)
        assert "p = 0.5" not in text and "1.00·x₁ + 1.00·x₂ − 1.50 = 0" in text
        axis = next(i for i, row in enumerate(rows) if row.rstrip().endswith("x₁"))
        area = "".join(row[3:] for row in rows[:axis])  # the map, its x₂ labels left out
        if colours == "none":
            assert {"░", "█"} <= set(area) and "▓" not in area, text
            return
        painter = widget.painter("ansi16" if colours == "16" else "rgb", None)
        classes = {painter.level_colours()[0], painter.level_colours()[-1]}
        region = widget.content_region
        seen = set()
        for strip in app.screen._compositor.render_strips()[region.y : region.y + axis]:
            x = 0
            for segment in strip:
                if region.x + 3 <= x < region.right and segment.text.strip(" ▀") == "" and segment.style:
                    for colour in (segment.style.bgcolor, segment.style.color if "▀" in segment.text else None):
                        if colour is not None and colour.triplet is not None:
                            seen.add(tuple(colour.triplet))
                x += segment.cell_length
        assert classes <= seen and len(seen - {painter.colour("contour")} - classes) <= 1, (seen, classes)
