"""The wide network's picture: each block of a weight matrix shows its largest weight by size (the
first in reading order among equals), and the layer's mean, sd and change are the plain sums of
its weights, added one after another, whatever numpy does inside."""

from __future__ import annotations

import itertools
import math
import random

import numpy as np
import pytest

from tui.widgets.glyphs import glyph, glyph_runs
from tui.widgets.network_diagram import PICTURE_ROWS, _picture, _sum


def _by_hand(weight: list[list[float]], width: int) -> tuple[list[list[float]], bool]:
    rows, cols = len(weight), len(weight[0])
    transposed = rows > cols
    matrix = [list(c) for c in zip(*weight)] if transposed else weight
    rows, cols = len(matrix), len(matrix[0])
    fr, fc = math.ceil(rows / PICTURE_ROWS), math.ceil(cols / max(1, width))
    picture = []
    for r0 in range(0, rows, fr):
        line = []
        for c0 in range(0, cols, fc):
            block = [v for row in matrix[r0 : r0 + fr] for v in row[c0 : c0 + fc]]
            line.append(max(block, key=abs))
        picture.append(line)
    return picture, transposed


@pytest.mark.parametrize("shape", [(64, 2), (32, 64), (16, 32), (1, 16), (3, 5), (7, 1), (2, 2)])
def test_each_block_shows_its_largest_weight(shape):
    rng = random.Random(sum(shape))
    for _ in range(150):
        ties = [0.5, -0.5, 0.0]  # equal sizes of both signs: the first one read wins
        values = [rng.choice(ties) if rng.random() < 0.3 else rng.gauss(0, 1) for _ in range(shape[0] * shape[1])]
        weight = [values[i * shape[1] : (i + 1) * shape[1]] for i in range(shape[0])]
        width = rng.randint(1, 80)
        picture, transposed = _picture(weight, width)
        assert (picture.tolist(), transposed) == _by_hand(weight, width)


def test_a_pictures_runs_are_what_glyph_makes_of_each_weight():
    rng = random.Random(5)
    specials = [0.0, -0.0, math.inf, -math.inf, math.nan, 0.25, -0.25, 0.5, -0.5, 1.0]
    for _ in range(300):
        rows, cols = rng.randint(1, 4), rng.randint(1, 40)
        values = [
            [rng.choice(specials) if rng.random() < 0.2 else rng.gauss(0, 1) for _ in range(cols)] for _ in range(rows)
        ]
        scale = rng.choice([1.0, 0.0, 2.0, abs(rng.gauss(0, 1)), math.nan, math.inf])
        runs = glyph_runs(np.array(values), scale)
        for row, line in zip(values, runs):
            looks = [glyph(w, scale) for w in row]
            assert "".join(text for text, _ in line) == "".join(char for char, _ in looks)
            assert [style for _, style in line] == [style for style, _ in itertools.groupby(s for _, s in looks)]


def test_the_statistics_are_the_plain_sums():
    rng = random.Random(1)
    for n in (1, 2, 17, 2048):
        values = [rng.gauss(0, 3) for _ in range(n)]
        total = 0.0
        for v in values:
            total += v
        assert _sum(np.asarray(values)) == total
    assert _sum(np.asarray([])) == 0.0
