"""The panels' fast paths draw exactly what rich would: a Text's lines wrapped only where a line
does not fit (tui.widgets.line_panel.text_lines), and plotext's picture decoded without building a
Text (tui.widgets.loss_plot.ansi_lines). Any difference would show as a changed screen, or as
lines resent that did not change."""

from __future__ import annotations

import random

import plotext
import pytest
from rich.console import Console
from rich.segment import Segment
from rich.text import Text
from textual.strip import Strip

from tui.widgets.line_panel import text_lines
from tui.widgets.loss_plot import ansi_lines, matrix_lines, put_back, stand_ins

CONSOLE = Console(width=200, color_system="truecolor")
WORDS = ["w", "ab", "가나", "x₁", "  ", "━▶", "+0.123", "-1.5", "█▓", "longerword", "아주긴한국어낱말", "ŷ"]
STYLES = ["bold", "dim", "red", None, "on blue", "bold #f28c28"]


def _rich_lines(content: Text, width: int) -> list[Strip]:
    options = CONSOLE.options.update_width(width)
    return [
        Strip(Segment.simplify(line)) for line in CONSOLE.render_lines(content, options, pad=False, new_lines=False)
    ]


def _random_text(rng: random.Random) -> Text:
    text = Text(" " if rng.random() < 0.5 else "", overflow=rng.choice([None, "fold", "ellipsis"]))
    for _ in range(rng.randint(0, 30)):
        if rng.random() < 0.1:
            text.append("\n")
        else:
            text.append(rng.choice(WORDS) + rng.choice(["", " ", "  "]), rng.choice(STYLES))
    return text


def test_a_texts_lines_are_what_rich_makes_of_them():
    rng = random.Random(7)
    fast = 0
    for _ in range(1500):
        text, width = _random_text(rng), rng.randint(3, 60)
        lines = text_lines(text, width, CONSOLE)
        if lines is not None:
            fast += 1
            assert lines == _rich_lines(text, width), (text.plain, width)
    assert fast > 1000  # most of them took the fast path


@pytest.mark.parametrize(
    "text", [Text("no wrap here", no_wrap=True), Text("centred", justify="center"), Text("", "bold")]
)
def test_what_the_fast_path_does_not_know_it_leaves_to_rich(text):
    assert text_lines(text, 5, CONSOLE) is None


@pytest.mark.parametrize("seed", range(6))
def test_the_plots_picture_decodes_to_what_rich_renders(seed):
    rng = random.Random(seed)
    plotext.clear_figure()
    plotext.plotsize(rng.randint(30, 110), rng.randint(8, 30))
    plotext.theme(rng.choice(["dark", "clear", "pro", "matrix"]))
    xs = list(range(rng.randint(2, 300)))
    plotext.plot(xs, [rng.random() for _ in xs], marker="braille", color="orange", label="QQQ")
    plotext.plot(xs, [rng.random() for _ in xs], marker="braille", color=(20, 200, 220), yside="right")
    plotext.hline(0.69, "red")
    plotext.vline(xs[-1] // 2, "green")
    plotext.xlabel("ZZZZZZ")
    picture = plotext.build()
    height = picture.count("\n") + 1
    expected = [list(line.render(CONSOLE)) for line in Text.from_ansi(picture).split("\n", allow_blank=True)]
    assert ansi_lines(picture, height) == expected


@pytest.mark.parametrize("seed", range(12))
def test_the_plots_matrix_makes_the_lines_its_picture_decodes_to(seed):
    rng = random.Random(100 + seed)
    plotext.clear_figure()
    plotext.plotsize(rng.randint(20, 110), rng.randint(5, 30))
    plotext.theme(rng.choice(["dark", "clear", "pro", "matrix", "default", "retro"]))
    xs = list(range(rng.randint(1, 300)))
    plotext.plot(xs, [rng.random() for _ in xs], marker=rng.choice(["braille", "hd", "dot"]), color="orange")
    if rng.random() < 0.6:
        plotext.plot(xs, [rng.random() for _ in xs], color=(20, 200, 220), yside="right", label="QQ")
    plotext.hline(0.69, rng.choice(["red", 9, (250, 0, 0)]))
    plotext.xlabel("ZZZZZZ")
    figure = plotext._core._figure
    figure._set_sizes()
    figure._build_matrix()
    matrix = figure.monitor.matrix
    picture = matrix.set_canvas()
    for height in (picture.count("\n"), picture.count("\n") + 1, picture.count("\n") + 3, 3):
        assert matrix_lines(matrix, height) == ansi_lines(picture, height)


def test_a_korean_label_takes_its_stand_ins_cells_in_its_style():
    labels = stand_ins(["에포크", "손실"])
    assert labels == {"QQQQQQ": "에포크", "ZZZZ": "손실"}
    style = CONSOLE.get_style("bold red")
    line = [Segment("0.69┤ "), Segment("ZZZZ ⠑", style), Segment(" QQQQQQ  ")]
    assert put_back(line, labels) == [
        Segment("0.69┤ "),
        Segment("손실", style),
        Segment(" ⠑", style),
        Segment(" 에포크  "),
    ]
    assert sum(s.cell_length for s in put_back(line, labels)) == sum(s.cell_length for s in line)
