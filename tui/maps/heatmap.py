"""A map of a neuron's values over the input square, painted as terminal lines (Strips).

Three ways, by what the terminal can show:
- "rgb" (256 colours or truecolor): half blocks, ▀ with a foreground and a background colour,
  two square pixels a cell; a diverging scale from class 0 (blue) through grey (p = 0.5) to
  class 1 (orange), the colours the weights are drawn in (glyphs.py).
- "ansi16" (TERM=xterm): the same, in five of the 16 ANSI colours (given as the RGB values rich
  maps back to exactly those colour numbers, so nothing is approximated away).
- "shade" (NO_COLOR, or no colour at all): one value a cell, as shade characters ░ ▓ █ with
  the contour as line glyphs: core.maps.boundary_text's plain-text map.
In every way the p = 0.5 contour is a line of its own (white pixels, or ─│╱╲), a hidden
neuron's line is dotted, and each dataset row is its target digit with ✓ or ✗ beside it.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from rich.color import Color
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from core.maps.boundary import OUTPUT_SCALE, Line, RowMark, Scale, contour, line_mask
from core.maps.boundary_text import cell_map
from tui.widgets.glyphs import NEGATIVE, POSITIVE

MODES = ("rgb", "ansi16", "shade")
STEPS = 4  # colour steps on each side of the switch in "rgb": 9 colours in all
_STANDARD = {  # rich's STANDARD_PALETTE: these triplets downgrade to exactly these ANSI numbers
    "black": (0, 0, 0),
    "blue": (0, 0, 170),
    "yellow": (170, 85, 0),  # dark yellow, drawn orange-brown by many terminals
    "bright_black": (85, 85, 85),
    "bright_red": (255, 85, 85),
    "bright_green": (85, 255, 85),
    "bright_yellow": (255, 255, 85),
    "bright_blue": (85, 85, 255),
    "bright_white": (255, 255, 255),
}
NEUTRAL = (90, 90, 90)
CONTOUR = (255, 255, 255)
HIDDEN_LINE = (0, 0, 0)
MARK_BACK = (0, 0, 0)
RIGHT_COLOUR, WRONG_COLOUR = (80, 220, 100), (255, 85, 85)


def _triplet(style: Style) -> tuple[int, int, int]:
    return tuple(style.color.triplet)


def _mix(a: tuple[int, int, int], b: tuple[int, int, int], t: float) -> tuple[int, int, int]:
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b))


def palette(mode: str) -> list[tuple[int, int, int]]:
    """The colours of levels -STEPS … STEPS (index 0 is fully off / class 0)."""
    if mode == "ansi16":
        s = _STANDARD
        weak = STEPS // 2  # |level| ≥ 3 of 4 (p < 0.125 or > 0.875) is strong
        return [
            s["bright_blue"]
            if -lv > weak
            else s["blue"]
            if lv < 0
            else s["bright_black"]
            if lv == 0
            else s["yellow"]
            if lv <= weak
            else s["bright_yellow"]
            for lv in range(-STEPS, STEPS + 1)
        ]
    low, high = _triplet(NEGATIVE), _triplet(POSITIVE)
    return [_mix(NEUTRAL, low if lv < 0 else high, abs(lv) / STEPS) for lv in range(-STEPS, STEPS + 1)]


def special(mode: str) -> dict[str, tuple[int, int, int]]:
    if mode == "ansi16":
        s = _STANDARD
        return {
            "contour": s["bright_white"],
            "line": s["black"],
            "back": s["black"],
            "right": s["bright_green"],
            "wrong": s["bright_red"],
            "digit": s["bright_white"],
        }
    return {
        "contour": CONTOUR,
        "line": HIDDEN_LINE,
        "back": MARK_BACK,
        "right": RIGHT_COLOUR,
        "wrong": WRONG_COLOUR,
        "digit": CONTOUR,
    }


@dataclass(frozen=True)
class Picture:
    """What to paint: values on a grid (x₂ growing upwards when drawn) and what goes over them.

    For "rgb"/"ansi16" the grid is pixels (rows twice as dense as cells); for "shade" it is one
    point a cell (rows at half the columns' density). `edge` replaces the contour of the values
    (a single neuron's exact line); `slope` is what "shade" reads a contour's direction from.
    """

    values: np.ndarray
    x1: np.ndarray
    x2: np.ndarray
    scale: Scale = OUTPUT_SCALE
    edge: np.ndarray | None = None
    slope: np.ndarray | None = None
    lines: Sequence[Line] = ()
    marks: Sequence[RowMark] = field(default_factory=tuple)


class Painter:
    """Turns Pictures into Strips for one mode, reusing its Style objects."""

    def __init__(self, mode: str, background: Color | None = None):
        if mode not in MODES:
            raise ValueError(f"unknown mode {mode!r}")
        self.mode = mode
        self._palette = palette(mode)
        self._special = special(mode)
        self._background = background
        self._styles: dict[tuple, Style] = {}

    def _style(self, fg, bg, bold: bool = False) -> Style:
        key = (fg, bg, bold)
        style = self._styles.get(key)
        if style is None:
            style = Style(
                color=None if fg is None else Color.from_rgb(*fg),
                bgcolor=(self._background if bg is None else Color.from_rgb(*bg)),
                bold=bold or None,
            )
            self._styles[key] = style
        return style

    # --- one pixel's or one cell's colour ----------------------------------------------------------

    def level_colours(self) -> list[tuple[int, int, int]]:
        """The colours of the levels, class 0 to class 1: for a legend."""
        return list(self._palette)

    def colour(self, name: str) -> tuple[int, int, int]:
        """The colour of "contour", "line" (a hidden neuron's), "right", "wrong", ...: for a legend."""
        return self._special[name]

    def paint(self, picture: Picture) -> list[Strip]:
        """One Strip a row of cells, top row (largest x₂) first."""
        if self.mode == "shade":
            return self._paint_shade(picture)
        return self._paint_blocks(picture)

    def _paint_blocks(self, picture: Picture) -> list[Strip]:
        values = picture.values
        ny, nx = values.shape
        levels = np.rint(picture.scale.signed(values) * STEPS).astype(np.int8) + STEPS
        edge = contour(values, picture.scale) if picture.edge is None else picture.edge
        overlay = np.zeros(values.shape, dtype=bool)
        for line in picture.lines:
            overlay |= line_mask(line, picture.x1, picture.x2)
        # A hidden neuron's line is dotted, so that the contour (solid) stays the one that reads as a line.
        jj, ii = np.meshgrid(np.arange(nx), np.arange(ny))
        overlay &= (ii + jj) % 2 == 0
        colours = self._palette
        spec = self._special
        # Pixel colours as indices: 0..2*STEPS levels, then contour, then hidden line, then none.
        code = levels.astype(np.int16)
        code[overlay] = len(colours) + 1
        code[edge] = len(colours)
        lookup = [*colours, spec["contour"], spec["line"]]
        code = code[::-1]  # top row first
        if ny % 2:  # the last row of cells has one pixel row: it fills the cell (a blank half looked like a seam)
            code = np.vstack([code, code[-1:]])
        # A cell is its (top, bottom) pair as one number; equal neighbours become one segment.
        cells = code[0::2] * len(lookup) + code[1::2]
        rows = cells.shape[0]
        marks: dict[int, dict[int, tuple[str, str]]] = {}
        for mark in picture.marks:
            r = (ny - 1 - mark.i) // 2
            marks.setdefault(r, {})[mark.j] = ("digit", str(mark.target))
            if mark.right is not None and mark.j + 1 < nx:
                marks[r][mark.j + 1] = ("right" if mark.right else "wrong", "✓" if mark.right else "✗")
        strips = []
        for r in range(rows):
            row = cells[r]
            starts = [0, *(np.flatnonzero(row[1:] != row[:-1]) + 1).tolist(), nx]
            row_marks = marks.get(r, {})
            if row_marks:  # a mark is a segment of its own
                starts = sorted(set(starts) | set(row_marks) | {j + 1 for j in row_marks})
            segments = []
            for a, b in itertools.pairwise(starts):
                if a in row_marks:
                    kind, glyph = row_marks[a]
                    segments.append(Segment(glyph, self._style(spec[kind], spec["back"], bold=True)))
                    continue
                top, bottom = divmod(int(row[a]), len(lookup))
                if top == bottom:
                    segments.append(Segment(" " * (b - a), self._style(None, lookup[top])))
                else:
                    segments.append(Segment("▀" * (b - a), self._style(lookup[top], lookup[bottom])))
            strips.append(Strip(segments, nx))
        return strips

    def _paint_shade(self, picture: Picture) -> list[Strip]:
        cells = cell_map(
            picture.values,
            picture.x1,
            picture.x2,
            picture.scale,
            picture.edge,
            picture.lines,
            picture.marks,
            picture.slope,
        )
        plain, bold = Style(), Style(bold=True)
        strips = []
        for glyphs, kinds in zip(cells.glyphs, cells.kinds):
            segments: list[Segment] = []
            run_style, run_text = None, []
            for glyph, kind in zip(glyphs, kinds):
                style = plain if kind in ("shade", "line") else bold
                if style is run_style:
                    run_text.append(glyph)
                else:
                    if run_text:
                        segments.append(Segment("".join(run_text), run_style))
                    run_style, run_text = style, [glyph]
            if run_text:
                segments.append(Segment("".join(run_text), run_style))
            strips.append(Strip(segments, len(glyphs)))
        return strips
