"""The decision-boundary map in plain characters: for `perceptron-lab train --map`, and for the
app's map where there is no colour (NO_COLOR).

A character cell is about twice as tall as it is wide, so the rows are sampled at half the
density of the columns (x₂ steps of 0.1 against x₁ steps of 0.05 at the CLI's size): the square
stays square. Shade says the value (░ ▓ █), a line glyph (─ │ ╱ ╲) the p = 0.5 contour, `·` a
hidden neuron's line, and each dataset row is its target digit with ✓ or ✗ beside it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from core.maps.boundary import (
    CLI_STEPS,
    HIGH,
    LOW,
    OUTPUT_SCALE,
    BoundaryMap,
    Line,
    Params,
    Scale,
    boundary_map,
    contour,
    directions,
    line_mask,
    neuron_lines,
    row_marks,
    single_neuron_line,
)
from core.words import say

# Shade by how far from the switch: off side light, on side dark; the jump at 0.5 is ░ to ▓.
SHADES = (" ", "░", "▓", "█")
SHADE_EDGES = (-0.8, 0.0, 0.8)  # on the scale's -1 … 1
LINE_GLYPHS = ("─", "╱", "│", "╲")
HIDDEN_LINE = "·"
RIGHT, WRONG = "✓", "✗"
MAX_OVERLAID = 4  # hidden neurons whose lines are drawn over the map (a 2-2-1 net's two, not 64)


@dataclass(frozen=True)
class CellMap:
    """A map laid out as character cells, top row first: each cell's glyph and what it is.

    `kind[r][c]` is "shade", "contour", "line" (a hidden neuron's), "target" or "mark" (✓/✗);
    `level[r][c]` is the shade index 0-3. The app colours these; the CLI prints the glyphs.
    """

    glyphs: list[list[str]]
    kinds: list[list[str]]
    levels: list[list[int]]


def shade_levels(values: np.ndarray, scale: Scale = OUTPUT_SCALE) -> np.ndarray:
    return np.searchsorted(np.asarray(SHADE_EDGES), scale.signed(values.copy()), side="right")


def cell_map(
    values: np.ndarray,
    x1: np.ndarray,
    x2: np.ndarray,
    scale: Scale = OUTPUT_SCALE,
    edge: np.ndarray | None = None,
    lines: Sequence[Line] = (),
    marks=(),
    slope: np.ndarray | None = None,
) -> CellMap:
    """Glyphs for a grid sampled at character cells (`values[i, j]` at x2[i], x1[j]; drawn with
    x₂ growing upwards). `edge` replaces the contour of `values` (a single neuron's exact line);
    `slope` is what the contour's direction is read from (the pre-activation: near p = 0.5 on a
    plateau, p is within rounding of 0.5 everywhere and shows no direction)."""
    levels = shade_levels(values, scale)
    edge = contour(values, scale) if edge is None else edge
    direction = directions(values if slope is None else slope, x1, x2)
    overlay = np.zeros(values.shape, dtype=bool)
    for line in lines:
        overlay |= line_mask(line, x1, x2)
    ny, nx = values.shape
    glyphs = [[""] * nx for _ in range(ny)]
    kinds = [[""] * nx for _ in range(ny)]
    out_levels = [[0] * nx for _ in range(ny)]
    for r in range(ny):
        i = ny - 1 - r  # the top row is the largest x2
        for j in range(nx):
            out_levels[r][j] = int(levels[i, j])
            if edge[i, j]:
                glyphs[r][j], kinds[r][j] = LINE_GLYPHS[direction[i, j]], "contour"
            elif overlay[i, j]:
                glyphs[r][j], kinds[r][j] = HIDDEN_LINE, "line"
            else:
                glyphs[r][j], kinds[r][j] = SHADES[levels[i, j]], "shade"
    for mark in marks:
        r = ny - 1 - mark.i
        glyphs[r][mark.j], kinds[r][mark.j] = str(mark.target), "target"
        if mark.right is not None and mark.j + 1 < nx:
            glyphs[r][mark.j + 1], kinds[r][mark.j + 1] = (RIGHT if mark.right else WRONG), "mark"
    return CellMap(glyphs, kinds, out_levels)


def overlaid_lines(params: Params, x3: float) -> list[Line]:
    """The hidden neurons' lines worth drawing over the output's map: those of a single small
    hidden layer (a 2-2-1 net's two), none for wide or deep networks."""
    if len(params.weights) != 2 or params.weights[0].shape[0] > MAX_OVERLAID:
        return []
    return neuron_lines(params, x3)


def text_size(columns: int) -> tuple[int, int]:
    """(nx, ny) for a text map at most `columns` wide: nx ≡ 1 (mod 8), so that with ny = (nx + 1) / 2
    rows both 0 and 1 fall on grid points along each axis."""
    nx = max(9, columns - (columns - 1) % 8)
    return nx, (nx + 1) // 2


def render_text(
    weights,
    activation: str,
    rows,
    x3: float = 0.0,
    columns: int = CLI_STEPS,
    lang: str = "en",
) -> str:
    """The map at one epoch as plain text: title, the map framed by its axes, and a legend.

    `weights` is a WeightsAt (its predictions mark the rows right or wrong); `rows` the dataset's.
    """
    params = Params.of(weights.layers, activation)
    nx, ny = text_size(columns)
    bmap = boundary_map(params, nx=nx, ny=ny, x3=x3, hidden=False, epoch=weights.epoch)
    line = single_neuron_line(params, x3)
    edge = line_mask(line, bmap.x1, bmap.x2) if line is not None else None
    marks = row_marks(rows, bmap.x1, bmap.x2, bmap.x3, getattr(weights, "predictions", ()))
    cells = cell_map(bmap.p, bmap.x1, bmap.x2, edge=edge, lines=overlaid_lines(params, x3), marks=marks, slope=bmap.z)
    return "\n".join(_framed(bmap, cells, line, lang))


def _framed(bmap: BoundaryMap, cells: CellMap, line: Line | None, lang: str) -> list[str]:
    ny, nx = len(cells.glyphs), len(cells.glyphs[0])
    title = say("map.text_title", lang, epoch=bmap.epoch)
    if bmap.x3 is not None:
        title += ", " + say("map.text_slice", lang, x3=bmap.x3)
    out = [title]
    labels = {_nearest(bmap.x2, v): f"{v:g}" for v in (LOW, 0.0, 0.5, 1.0, HIGH)}
    for r in range(ny):
        i = ny - 1 - r
        label = labels.get(i, "")
        out.append(f"{label:>5} {'┤' if label else '│'}" + "".join(cells.glyphs[r]).rstrip())
    ticks = {_nearest(bmap.x1, v): f"{v:g}" for v in (LOW, 0.0, 0.5, 1.0, HIGH)}
    out.append(" " * 6 + "└" + "".join("┬" if j in ticks else "─" for j in range(nx)))
    axis_line = [" "] * (nx + 8)
    for j, text in ticks.items():
        start = max(0, min(len(axis_line) - len(text), 7 + j - len(text) // 2))
        axis_line[start : start + len(text)] = list(text)
    out.append("".join(axis_line).rstrip())
    if line is not None:
        out.append(
            say("map.text_line", lang, equation=line.equation())
            if (line.w1 or line.w2)
            else say("map.text_no_line", lang)
        )
    out.append(say("map.text_shades", lang))
    out.append(say("map.text_marks", lang))
    if any(kind == "line" for row in cells.kinds for kind in row):
        out.append(say("map.text_hidden", lang))
    return out


def _nearest(axis_values: np.ndarray, value: float) -> int:
    return int(np.abs(axis_values - value).argmin())
