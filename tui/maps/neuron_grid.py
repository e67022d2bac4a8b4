"""One hidden layer's neurons as thumbnails: each a small map of its activation over the input
square, with its contour (where it switches on). A wide layer (64 neurons) is a grid shown a
page at a time; the page is the one holding the chosen neuron."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from rich.style import Style
from rich.text import Text
from textual.strip import Strip

from core.maps.boundary import Line, Scale, line_mask
from tui.maps.heatmap import Picture
from tui.maps.map_panel import MapPanel

THUMB = 9  # grid points across the smallest thumbnail: 9 cells wide, 5 rows tall (0 and 1 on grid points)
SIZES = (25, 17, 13, 9)  # larger thumbnails when the whole layer fits (a 2-2-1 net's two neurons)
GAP = 1  # blank cells between thumbnails
CHOSEN = Style(reverse=True, bold=True)
LABEL = Style(dim=True)


@dataclass(frozen=True)
class Thumbnails:
    """A layer's neurons sampled for thumbnails: values[n] on the grid x1 × x2, each neuron's
    scale and (first layer only) its exact line."""

    values: np.ndarray  # (width, len(x2), len(x1))
    x1: np.ndarray
    x2: np.ndarray
    scales: tuple[Scale, ...]
    lines: tuple[Line | None, ...]
    names: tuple[str, ...]


def thumb_rows(side: int) -> int:
    """Lines a thumbnail's map takes (its name takes one more)."""
    return (side + 1) // 2


def layout(width: int, height: int, side: int = THUMB) -> tuple[int, int]:
    """(thumbnails a row, rows a page) that fit in width × height cells."""
    across = max(1, (width + GAP) // (side + GAP))
    down = max(1, height // (thumb_rows(side) + 1))
    return across, down


def thumb_side(width: int, height: int, count: int, mode: str) -> int:
    """The largest thumbnail that shows all `count` neurons at once, else the smallest (with pages).
    Text cells ("shade") sample rows at half density, so their sides are ≡ 1 (mod 8)."""
    for side in SIZES:
        if mode == "shade" and side % 8 != 1:
            continue
        across, down = layout(width, height, side)
        if across * down >= count:
            return side
    return THUMB


class NeuronGrid(MapPanel):
    """Thumbnails of one layer's neurons, the chosen one's name highlighted."""

    DEFAULT_CSS = "NeuronGrid { height: 1fr; width: 1fr; }"

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._thumbs: Thumbnails | None = None
        self._chosen = 0
        self._mode = "rgb"
        self._drawn_for: tuple | None = None
        self._thumb_cache: dict[int, list[Strip]] = {}

    def show(self, thumbs: Thumbnails, chosen: int, mode: str) -> None:
        if thumbs is not self._thumbs or mode != self._mode:
            self._thumb_cache = {}
        self._thumbs, self._chosen, self._mode = thumbs, chosen, mode
        self._update()

    def on_resize(self) -> None:
        self._update()

    @property
    def side(self) -> int:
        return self._thumbs.values.shape[-1] if self._thumbs is not None else THUMB

    @property
    def across(self) -> int:
        return layout(*self.size, self.side)[0]

    @property
    def per_page(self) -> int:
        across, down = layout(*self.size, self.side)
        return across * down

    def page_of(self, neuron: int) -> tuple[int, int]:
        """(page, pages) for this neuron at the current size."""
        per_page = max(1, self.per_page)
        total = len(self._thumbs.names) if self._thumbs else 0
        return neuron // per_page, max(1, -(-total // per_page))

    def _update(self) -> None:
        width, height = self.size
        if width <= 0 or height <= 0 or self._thumbs is None:
            return
        key = (id(self._thumbs), self._chosen, self._mode, width, height)
        if key == self._drawn_for:
            return
        self._drawn_for = key
        self.show_strips(self._build(width, height))

    def _thumb(self, n: int) -> list[Strip]:
        strips = self._thumb_cache.get(n)
        if strips is None:
            t = self._thumbs
            line = t.lines[n]
            edge = line_mask(line, t.x1, t.x2) if line is not None else None
            strips = self.painter(self._mode, self.rich_style.bgcolor).paint(
                Picture(t.values[n], t.x1, t.x2, t.scales[n], edge, None)
            )
            self._thumb_cache[n] = strips
        return strips

    def _build(self, width: int, height: int) -> list[Strip]:
        t = self._thumbs
        side = self.side
        across, down = layout(width, height, side)
        per_page = across * down
        first = (self._chosen // per_page) * per_page
        neurons = list(range(first, min(first + per_page, len(t.names))))
        rows_a_thumb = thumb_rows(side)
        gap = Strip.blank(GAP, self.rich_style)
        strips: list[Strip] = []
        for k in range(0, len(neurons), across):
            group = neurons[k : k + across]
            label = Text()
            for n in group:
                name = t.names[n]
                room = side - Text(name).cell_len
                label.append(" " * (room // 2))
                label.append(name, CHOSEN if n == self._chosen else LABEL)
                label.append(" " * (room - room // 2 + GAP))
            strips.append(self.text_strip(label, width))
            pictures = [self._thumb(n) for n in group]
            for r in range(rows_a_thumb):
                parts: list[Strip] = []
                for picture in pictures:
                    parts += [picture[r] if r < len(picture) else Strip.blank(side, self.rich_style), gap]
                strips.append(Strip.join(parts).adjust_cell_length(width, self.rich_style))
        strips.extend([Strip.blank(width, self.rich_style)] * (height - len(strips)))
        return strips[:height]
