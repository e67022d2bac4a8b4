"""How a weight looks: its sign as a glyph and a colour, its size as the glyph's weight.

Sign and size must read without colour (NO_COLOR, 16-colour terminals, colour-blind learners),
so the glyph carries both; colour only repeats them: orange positive, blue negative.
"""

from __future__ import annotations

import itertools

from rich.style import Style

POSITIVE = Style(color="#f28c28")
NEGATIVE = Style(color="#4a90e2")
FAINT = Style(dim=True)
GLYPHS = {(1, 2): "╋", (1, 1): "+", (-1, 2): "━", (-1, 1): "-"}


def level(value: float, scale: float) -> int:
    """0 near zero (under a quarter of `scale`), 1 weak, 2 strong (over half of it)."""
    size = abs(value) / scale if scale > 0 else 0.0
    return 0 if size < 0.25 else 1 if size < 0.5 else 2


def glyph(value: float, scale: float) -> tuple[str, Style]:
    lv = level(value, scale)
    if lv == 0:
        return "·", FAINT
    sign = 1 if value > 0 else -1
    return GLYPHS[sign, lv], POSITIVE if sign > 0 else NEGATIVE


# glyph's four non-zero looks by code (sign and level, as glyph_runs works them out), 0 the faint dot.
_LOOKS = (("·", FAINT), ("+", POSITIVE), ("╋", POSITIVE), ("-", NEGATIVE), ("━", NEGATIVE))


def glyph_runs(values, scale: float) -> list[list[tuple[str, Style]]]:
    """Each row of `values` (a 2-D numpy array) as runs of glyphs of one style, `(text, style)`:
    what `glyph` makes of each value, a whole picture at once (numpy's comparisons, as Python's)."""
    import numpy as np  # loaded with the engine: only a frame with weights gets here

    with np.errstate(invalid="ignore"):  # a blown-up run's inf / inf: nan, as Python's glyph reads it
        size = np.abs(values) / scale if scale > 0 else np.zeros_like(values)
        levels = np.where(size < 0.25, 0, np.where(size < 0.5, 1, 2))
        codes = np.where(levels == 0, 0, np.where(values > 0, levels, levels + 2)).tolist()
    rows = []
    for row in codes:
        runs = []
        for code, run in itertools.groupby(row):
            char, style = _LOOKS[code]
            if runs and runs[-1][1] is style:  # "+" and "╋" are one style: one run
                runs[-1] = (runs[-1][0] + char * len(list(run)), style)
            else:
                runs.append((char * len(list(run)), style))
        rows.append(runs)
    return rows


def sign_style(value: float) -> Style:
    return POSITIVE if value > 0 else NEGATIVE if value < 0 else FAINT


def signed(value: float, digits: int = 2) -> str:
    """`+1.23` / `-0.05`: the sign always shown, so it reads without colour."""
    return f"{value:+.{digits}f}"
