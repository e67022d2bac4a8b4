"""The loss surface in plain characters: for `perceptron-lab train --surface`, and the levels the
app colours (its view in tui/surface/).

The levels are absolute, not stretched between the grid's lowest and highest loss: a flat plateau
must look flat, and ln 2 (where a network that says 0.5 to every row sits) has a level of its own
edge. A character cell is about twice as tall as it is wide, so the text shows every other line
of the grid.
"""

from __future__ import annotations

import math

import numpy as np

from core.surface.surface import RANDOM, Surface
from core.words import say

# The loss at the edges between levels 0-7, by loss: for cross-entropy ln 2 = 0.6931 falls in
# level 3 (0.6 to 0.72), a plateau's band; squared error's 0.25 (every output 0.5) likewise.
EDGES = {
    "bce": (0.1, 0.3, 0.6, 0.72, 1.0, 1.5, 3.0),
    "mse": (0.02, 0.08, 0.2, 0.26, 0.35, 0.5, 0.75),
}
RAMP = (" ", ".", ":", "-", "░", "▒", "▓", "█")  # level 0 (lowest loss) to 7
PATH, POINT, LOWEST = "•", "◆", "○"
AXIS_NAMES = {"w1": "w₁", "w2": "w₂", "b": "b", "alpha": "α", "beta": "β"}


def levels(loss: np.ndarray, kind: str = "bce") -> np.ndarray:
    """Each value's level, 0 (lowest loss) to 7, by the absolute edges of its loss `kind`."""
    return np.searchsorted(np.asarray(EDGES.get(kind, EDGES["bce"])), loss, side="right").astype(np.int8)


def nearest(values: np.ndarray, value: float) -> int:
    return int(np.abs(values - value).argmin())


def marks(surface: Surface) -> dict[tuple[int, int], str]:
    """Grid points (i, j) of the path's epochs (PATH) and the epoch's own point (POINT), where they
    fall inside the grid's range."""
    found: dict[tuple[int, int], str] = {}

    def inside(a: float, b: float) -> bool:
        sa, sb = surface.a, surface.b
        return sa[0] - 1e-9 <= a <= sa[-1] + 1e-9 and sb[0] - 1e-9 <= b <= sb[-1] + 1e-9

    for a, b in surface.path.tolist():
        if inside(a, b):
            found[(nearest(surface.b, b), nearest(surface.a, a))] = PATH
    a, b = surface.point
    if inside(a, b):
        found[(nearest(surface.b, b), nearest(surface.a, a))] = POINT
    return found


def axis_name(name: str) -> str:
    return AXIS_NAMES.get(name, name)


def number(value: float) -> str:
    return f"{value:.3g}".replace("-", "−") if value != 0 else "0"


def render_text(surface: Surface, kind: str = "bce", lang: str = "en") -> str:
    """The surface as lines of text: every other line of the grid (top: the largest b), with the
    path and the point marked, its axes, and a legend of its levels."""
    level = levels(surface.loss, kind)
    found = marks(surface)
    nb = len(surface.b)
    shown = list(range(nb - 1, -1, -2))
    # Marks on a line not shown go to the nearest line shown.
    placed: dict[tuple[int, int], str] = {}
    for (i, j), glyph in found.items():
        row = min(shown, key=lambda r: abs(r - i))
        if placed.get((row, j)) != POINT:
            placed[(row, j)] = glyph
    a_name, b_name = axis_name(surface.axes[0]), axis_name(surface.axes[1])
    labels = {shown[0]: number(surface.b[shown[0]]), shown[-1]: number(surface.b[shown[-1]])}
    middle = shown[len(shown) // 2]
    labels[middle] = number(surface.b[middle])
    width = max(len(text) for text in labels.values()) + 1
    lines = [say("surface.text_title", lang, epoch=surface.epoch, a=a_name, b=b_name)]
    if surface.axes == RANDOM:
        lines.append(say("surface.text_random", lang, seed=surface.seed))
    elif surface.fixed is not None:
        lines.append(say("surface.text_fixed", lang, name=axis_name(surface.fixed[0]), value=number(surface.fixed[1])))
    for r in shown:
        cells = [placed.get((r, j), RAMP[level[r, j]]) for j in range(len(surface.a))]
        label = labels.get(r, "")
        lines.append(f"{label:>{width}} {'┤' if label else '│'}" + "".join(cells))
    n = len(surface.a)
    ticks = [0, n // 2, n - 1]
    lines.append(" " * width + " └" + "".join("┬" if j in ticks else "─" for j in range(n)))
    under = [" "] * (n + 2 * width + 4)
    for j in ticks:
        text = number(surface.a[j])
        start = max(0, min(len(under) - len(text), width + 2 + j - len(text) // 2))
        under[start : start + len(text)] = list(text)
    lines.append("".join(under).rstrip() + f"   {a_name} →")
    edges = EDGES.get(kind, EDGES["bce"])
    parts = [f"{RAMP[0]!r} < {edges[0]:g}"]
    parts += [f"{RAMP[k]} {edges[k - 1]:g}–{edges[k]:g}" for k in range(1, len(edges))]
    parts.append(f"{RAMP[-1]} ≥ {edges[-1]:g}")
    lines.append(say("surface.text_levels", lang, levels="  ".join(parts)))
    low_a, low_b, low = surface.lowest
    lines.append(
        say(
            "surface.text_marks", lang, path=PATH, point=POINT, first=surface.path_epochs[0] if surface.path_epochs
            else surface.epoch, epoch=surface.epoch,
        )
    )  # fmt: skip
    lines.append(
        say(
            "surface.text_numbers", lang, point_name=POINT, pa=number(surface.point[0]), pb=number(surface.point[1]),
            loss=f"{surface.point_loss:.4f}", la=number(low_a), lb=number(low_b), low=f"{low:.4f}",
            ln2=f"{math.log(2):.4f}",
        )
    )  # fmt: skip
    return "\n".join(lines)
