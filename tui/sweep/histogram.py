"""The sweep's histogram: how many seeds first reached 100 % accuracy in each range of epochs.

Drawn with plotext into lines that are resent only when they change (a LinePanel), and only when
the numbers changed: while a sweep runs the screen hands it the first epochs known so far a few
times a second at most.
"""

from __future__ import annotations

from rich.text import Text
from textual.strip import Strip
from textual_plotext import PlotextPlot

from core.sweep.sweep_report import Distribution
from tui.widgets.line_panel import LinePanel


def bins(values: tuple[int, ...], width: int, span: tuple[int, int] | None = None) -> list[tuple[int, int, int]]:
    """(first epoch, last epoch, seeds) of round-width ranges covering `span` (default: the values'
    own range): about one range for every 3 columns of plot, at most 20."""
    ordered = sorted(values)
    low, high = span if span is not None else (ordered[0], ordered[-1])
    most = max(3, min(20, (width - 6) // 3))
    return Distribution(tuple(ordered), low, 0.0, 0.0, 0.0, high, 0.0).histogram(most)


def nice_ceiling(n: int) -> int:
    """The least of 1, 2, 5, 10, 20, 50, ... that is at least `n`: an axis that rescales rarely."""
    power = 1
    while True:
        for m in (1, 2, 5):
            if m * power >= n:
                return m * power
        power *= 10


class SweepHistogram(LinePanel, PlotextPlot):
    """Seeds by their first epoch at 100 %. `show(values, empty, span)`: the epochs; the words to
    show when there are none (in the learner's language; the plot itself speaks English, as plotext
    counts characters, not cells); and the epochs the axis spans, or None for the values' own range.

    While a sweep runs the axis spans the whole run and its height grows in round steps, so a
    redraw changes only the lines where bars grew (a full redraw of 120x40's plot is ~11 KB)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._values: tuple[int, ...] = ()
        self._empty = ""
        self._span: tuple[int, int] | None = None
        self._drawn: tuple | None = None

    def show(self, values: tuple[int, ...], empty: str, span: tuple[int, int] | None = None) -> None:
        values = tuple(sorted(values))
        if (values, empty, span) == (self._values, self._empty, self._span) and self._drawn is not None:
            return  # the same picture: nothing goes to the terminal
        self._values, self._empty, self._span = values, empty, span
        self._draw()

    def on_resize(self) -> None:
        self._draw()

    def render_line(self, y: int):
        return LinePanel.render_line(self, y)

    def _draw(self) -> None:
        width, height = self.size
        if width <= 0 or height <= 0:
            return
        self._drawn = (self._values, self._empty, self._span, width, height)
        if not self._values:
            console = self.app.console
            words = Text(self._empty, style="dim", justify="center")
            lines = console.render_lines(words, console.options.update_width(width), pad=False, new_lines=False)
            blank = [Strip([])] * max(0, (height - len(lines)) // 2)
            self.show_strips(blank + [Strip(line) for line in lines])
            return
        plot = self._plot
        plot.clear_figure()  # first: it forgets the size too
        plot.plotsize(width, height)
        plot._set_size(width, height)
        plot.theme(self._get_plotext_theme_name(self.app.theme))
        self._build(width, height)
        text = Text.from_ansi(plot.build())
        lines = text.split("\n", allow_blank=True)[:height]
        self.show_strips([Strip(line.render(self.app.console), line.cell_len) for line in lines])

    def _build(self, width: int, height: int) -> None:
        plt = self.plt
        ranges = bins(self._values, width, self._span)
        counts = [c for _, _, c in ranges]
        plt.bar([(a + b + 1) / 2 for a, b, _ in ranges], counts, width=0.7, color="green")
        top = nice_ceiling(max(counts)) if self._span is not None else max(counts)
        plt.ylim(0, top)
        step = nice_ceiling(max(1, -(-top // max(1, (height - 3) // 2))))
        plt.yticks(list(range(0, top + 1, step)))
        edges = [a for a, _, _ in ranges] + [ranges[-1][1] + 1]
        label = max(len(str(e)) for e in edges) + 2
        every = max(1, -(-len(edges) * label // max(1, width - 6)))
        shown = edges[::every]
        plt.xticks(shown, [str(e) for e in shown])
        plt.xlim(edges[0], edges[-1])
