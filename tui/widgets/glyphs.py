"""How a weight looks: its sign as a glyph and a colour, its size as the glyph's weight.

Sign and size must read without colour (NO_COLOR, 16-colour terminals, colour-blind learners),
so the glyph carries both; colour only repeats them: orange positive, blue negative.
"""

from __future__ import annotations

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


def sign_style(value: float) -> Style:
    return POSITIVE if value > 0 else NEGATIVE if value < 0 else FAINT


def signed(value: float, digits: int = 2) -> str:
    """`+1.23` / `-0.05`: the sign always shown, so it reads without colour."""
    return f"{value:+.{digits}f}"
