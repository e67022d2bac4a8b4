"""The loss surface as terminal lines: `build` turns a core.surface Surface into Strips and touches
no widget, so the worker that computed the surface paints it too.

Drawn like the decision-boundary map: half blocks (two square pixels a cell) in "rgb" and "ansi16",
one value a cell as characters where there is no colour ("shade", NO_COLOR). The scale is
sequential, from the lowest loss (dark) to the highest (bright), with absolute levels
(core.surface.surface_text.EDGES), so a plateau looks flat and ln 2 has a band of its own. The path
is a row of • over it, the epoch on view a ◆.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
from rich.color import Color
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.strip import Strip

from core.surface.surface import Surface
from core.surface.surface_text import EDGES, PATH, POINT, RAMP, axis_name, levels, marks, number
from core.words import say

MARGIN = 6  # cells left of the picture, for the b axis's labels
# Sequential, dark to bright (viridis's hues at 8 steps).
RGB = (
    (68, 1, 84),
    (72, 40, 120),
    (62, 74, 137),
    (49, 104, 142),
    (38, 130, 142),
    (31, 158, 137),
    (109, 205, 89),
    (253, 231, 37),
)
# rich's standard palette triplets: they downgrade to exactly these 16-colour numbers.
ANSI16 = (
    (0, 0, 170),  # blue
    (85, 85, 255),  # bright blue
    (0, 170, 170),  # cyan
    (85, 255, 255),  # bright cyan
    (0, 170, 0),  # green
    (85, 255, 85),  # bright green
    (170, 85, 0),  # yellow
    (255, 255, 85),  # bright yellow
)
MARK_COLOURS = {"rgb": ((255, 255, 255), (255, 85, 85)), "ansi16": ((255, 255, 255), (255, 85, 85))}


@dataclass(frozen=True, eq=False)
class SurfaceRequest:
    """What the view asks a worker for: the surface of `plane` at the frame's epoch, at a size."""

    key: tuple  # (run, epoch, plane, size, mode, lang): a request equal to the one drawn draws nothing
    stamp: tuple  # (Frame.stamp, lang) of the frame it draws
    layers: tuple  # ((weight rows, bias), ...) of the epoch's network, plain floats
    epoch: int
    goal: int
    rows: tuple
    activation: str
    loss: str
    plane: tuple[str, str]
    size: tuple[int, int]  # the picture's cells (width, height)
    mode: str
    lang: str
    seed: int


def grid_size(mode: str, width: int, height: int) -> tuple[int, int] | None:
    """(points across, points up) for a picture of width × height cells; None if too small. Pixels
    are square in the block modes (two a cell, one above the other), so the plane is square."""
    room, rows = width - MARGIN, height - 1  # a line for the a axis's labels
    if mode == "shade":
        up = rows
        across = min(room, 2 * up - 1)
    else:
        up = 2 * rows
        across = min(room, up)
    across, up = across - (1 - across % 2), up - (1 - up % 2)  # odd: the middle point is the epoch's own
    if up < 9 or across < 9:
        return None
    return across, up


def build(surface: Surface, request: SurfaceRequest, base: Style) -> list[Strip]:
    """The picture's lines (top: the largest b), `MARGIN` cells of b labels first. Pure."""
    width, height = request.size
    mode = request.mode
    level = levels(surface.loss, request.loss)
    found = marks(surface)
    nb, na = level.shape
    faint = base + Style(dim=True)
    label_rows = {0: surface.b[-1], (nb - 1) // (1 if mode == "shade" else 2): surface.b[0]}
    cells: list[list[tuple[str, Style]]] = []
    if mode == "shade":
        for r in range(nb):
            i = nb - 1 - r
            row = []
            for j in range(na):
                glyph = found.get((i, j))
                row.append((glyph, base + Style(bold=True)) if glyph else (RAMP[level[i, j]], base))
            cells.append(row)
    else:
        colours = RGB if mode == "rgb" else ANSI16
        path_fg, point_fg = MARK_COLOURS[mode]
        styles: dict[tuple, Style] = {}

        def style(fg, bg, bold=False) -> Style:
            key = (fg, bg, bold)
            if key not in styles:
                styles[key] = Style(
                    color=None if fg is None else Color.from_rgb(*fg), bgcolor=Color.from_rgb(*bg), bold=bold or None
                )
            return styles[key]

        top_down = level[::-1]
        if nb % 2:
            top_down = np.vstack([top_down, top_down[-1:]])
        cell_marks: dict[tuple[int, int], str] = {}
        for (i, j), glyph in found.items():
            r = (nb - 1 - i) // 2
            if cell_marks.get((r, j)) != POINT:
                cell_marks[(r, j)] = glyph
        for r in range(top_down.shape[0] // 2):
            row = []
            for j in range(na):
                upper, lower = colours[top_down[2 * r, j]], colours[top_down[2 * r + 1, j]]
                glyph = cell_marks.get((r, j))
                if glyph:
                    row.append((glyph, style(point_fg if glyph == POINT else path_fg, upper, glyph == POINT)))
                elif upper == lower:
                    row.append((" ", style(None, upper)))
                else:
                    row.append(("▀", style(upper, lower)))
            cells.append(row)
    strips = []
    for r, row in enumerate(cells):
        label = number(label_rows[r]) if r in label_rows else ""
        segments = [Segment(f"{label:>{MARGIN - 1}} "[:MARGIN], faint)]
        for (_glyph, group_style), group in itertools.groupby(row, key=lambda cell: (cell[0], cell[1])):
            run = list(group)
            segments.append(Segment("".join(glyph for glyph, _ in run), group_style))
        strips.append(Strip(segments, MARGIN + na).adjust_cell_length(width, base))
    a_labels = " " * MARGIN + number(surface.a[0])
    right = number(surface.a[-1])
    gap = MARGIN + na - len(a_labels) - len(right)
    middle = f"{axis_name(surface.axes[0])} →"
    a_line = (
        a_labels + " " * max(1, gap - len(middle) - 1) + middle + " " + right if gap > len(middle) + 2 else a_labels
    )
    strips.append(Strip([Segment(a_line, faint)], len(a_line)).adjust_cell_length(width, base))
    while len(strips) < height:
        strips.append(Strip.blank(width, base))
    return strips[:height]


def legend(request: SurfaceRequest, base: Style) -> Text:
    """The scale's levels as swatches with their edges, and what • and ◆ mean."""
    lang, mode = request.lang, request.mode
    edges = EDGES.get(request.loss, EDGES["bce"])
    text = Text(" " + say("surface.legend_low", lang) + " ", style="dim")
    for k in range(len(RAMP)):
        if mode == "shade":
            text.append(RAMP[k] * 2, "reverse" if k == 0 else "")
        else:
            colour = (RGB if mode == "rgb" else ANSI16)[k]
            text.append("  ", Style(bgcolor=Color.from_rgb(*colour)))
        if k < len(edges):
            text.append(f"{edges[k]:g} ", "dim")
    text.append(" " + say("surface.legend_high", lang), "dim")
    return text


def caption(surface: Surface, request: SurfaceRequest) -> Text:
    """What • and ◆ are, and the numbers: the loss here, the lowest on the plane, ln 2."""
    import math

    lang = request.lang
    first = surface.path_epochs[0] if surface.path_epochs else surface.epoch
    text = Text(" " + say("surface.path", lang, path=PATH, point=POINT, first=first, epoch=surface.epoch))
    low_a, low_b, low = surface.lowest
    text.append("\n ")
    text.append(
        say(
            "surface.numbers", lang, loss=f"{surface.point_loss:.4f}", low=f"{low:.4f}", la=number(low_a),
            lb=number(low_b), ln2=f"{math.log(2):.4f}",
        ),
        "dim",
    )  # fmt: skip
    return text


def heading(request: SurfaceRequest, surface: Surface | None) -> Text:
    """The view's first lines: the epoch, the plane and how it was made."""
    lang = request.lang
    text = Text(" ")
    text.append(say("surface.title", lang), "bold")
    text.append("  " + say("surface.head", lang, epoch=request.epoch))
    a, b = request.plane
    text.append("\n " + say("surface.plane", lang, a=axis_name(a), b=axis_name(b)))
    if surface is not None and surface.fixed is not None:
        name, value = surface.fixed
        text.append("  " + say("surface.plane_fixed", lang, b=f"{axis_name(name)} = {number(value)}"), "dim")
    if surface is not None and surface.seed is not None:
        text.append("\n " + say("surface.random", lang, seed=surface.seed), "dim")
    return text
