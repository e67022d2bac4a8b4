"""The loss plot: every epoch's loss so far (downsampled for drawing), ln 2, and the epoch on view;
for the perceptron rule's lesson, every epoch's mistakes instead (its title says so)."""

from __future__ import annotations

import math
import re
from functools import lru_cache
from itertools import groupby

from plotext._utility import colors_to_ansi
from rich.ansi import AnsiDecoder
from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip
from textual_plotext import PlotextPlot

from core.words import say
from tui.run.live import Curve, Frame
from tui.widgets.drawn import DrawsFrames
from tui.widgets.line_panel import LinePanel

LN2 = math.log(2)
# plotext counts characters, not cells: a label with wide (Korean) characters would push its frame
# out of line. It draws an ASCII stand-in as wide as the label, and the label takes its place.
STAND_IN_LETTERS = "QZJ"


def stand_ins(labels: list[str]) -> dict[str, str]:
    """{what plotext draws: the label} for labels of wide characters; an ASCII label stands for
    itself."""
    return {
        (label if cell_len(label) == len(label) else letter * cell_len(label)): label
        for letter, label in zip(STAND_IN_LETTERS, labels)
    }


def put_back(line: list[Segment], labels: dict[str, str]) -> list[Segment]:
    """`line` with each stand-in replaced by its label, in the stand-in's style (same cells)."""
    for stand_in, label in labels.items():
        if stand_in == label:
            continue
        for i, (text, style, _) in enumerate(line):
            at = text.find(stand_in)
            if at < 0:
                continue
            if style:  # a run of its own, as rich cut it: the same segments, the same bytes
                cut = [(text[:at], style), (label, style), (text[at + len(stand_in) :], style)]
                line = [*line[:i], *(Segment(t, s) for t, s in cut if t), *line[i + 1 :]]
            else:
                line = [*line[:i], Segment(text[:at] + label + text[at + len(stand_in) :], style), *line[i + 1 :]]
            break
    return line


_SGR = re.compile(r"\x1b\[([0-9;]*)m")


@lru_cache(maxsize=256)
def _after(style: Style, sgr: str) -> Style:
    """The style after one SGR escape, as rich's decoder reads it."""
    decoder = AnsiDecoder()
    decoder.style = style
    decoder.decode_line(f"\x1b[{sgr}m")
    return decoder.style


def ansi_lines(ansi: str, height: int) -> list[list[Segment]]:
    """plotext's picture (text and SGR escapes only) as segments, line by line: the segments
    `Text.from_ansi(ansi)` renders to, made ~12x faster (0.4 ms against 5 for a plot of 70x20,
    most of a plot's drawing, and a training tab draws one a second)."""
    style, null = Style.null(), Style.null()
    lines = []
    for line in ansi.split("\n")[:height]:
        parts = _SGR.split(line)  # text, escape, text, escape, ..., text
        segments: list[Segment] = []
        styled = False
        for i, part in enumerate(parts):
            if i % 2:
                style = _after(style, part)
            elif part and style:
                styled = True
                segments.append(Segment(part, style))
            elif part and segments and not segments[-1].style:
                segments[-1] = Segment(segments[-1].text + part, null)  # no span between: one run
            elif part:
                segments.append(Segment(part, null))
        plain = "".join(parts[::2])
        lines.append(segments if styled else [Segment(plain)])
    return lines


_RUN_STYLES: dict[str, Style] = {}  # by a run's escapes: a plot has a handful of colours


def _run_style(sgr: str) -> Style:
    """The style of a run of plotext's picture that starts with the escapes `sgr`: every run ends
    with a reset, so the one before it does not count."""
    style = _RUN_STYLES.get(sgr)
    if style is None:
        style = Style.null()
        for codes in _SGR.findall(sgr):
            style = _after(style, codes)
        _RUN_STYLES[sgr] = style
    return style


def matrix_lines(matrix, height: int) -> list[list[Segment]]:
    """`ansi_lines(matrix.set_canvas(), height)` without the picture: the same segments, made from
    plotext's matrix of characters and colours by runs of one colour (plotext builds the picture a
    character at a time, then it is decoded again: 0.7 of a plot's 2.3 ms)."""
    null = Style.null()
    lines = []
    for row in matrix.Rows[::-1]:
        markers, fgs, sts, bgs = matrix.marker[row], matrix.fullground[row], matrix.style[row], matrix.background[row]
        segments: list[Segment] = []
        plain = []
        styled = False
        for colors, cols in groupby(matrix.Cols, key=lambda c: (fgs[c], sts[c], bgs[c])):
            text = "".join([markers[c] for c in cols])
            plain.append(text)
            style = _run_style(colors_to_ansi(*colors))
            if style:
                styled = True
                segments.append(Segment(text, style))
            elif segments and not segments[-1].style:
                segments[-1] = Segment(segments[-1].text + text, null)
            else:
                segments.append(Segment(text, null))
        lines.append(segments if styled else [Segment("".join(plain))])
    lines.append([Segment("")])  # the picture's last line break, as splitting it leaves
    return lines[:height]


def thin(curve: Curve, points: int) -> Curve:
    """At most `points` of the curve, evenly strided, always keeping the last."""
    n = len(curve.epochs)
    if n <= points:
        return curve
    stride = -(-n // points)
    keep = list(range(0, n, stride))
    if keep[-1] != n - 1:
        keep.append(n - 1)
    return Curve(
        tuple(curve.epochs[i] for i in keep),
        tuple(curve.losses[i] for i in keep),
        tuple(curve.accuracies[i] for i in keep),
    )


def epoch_ticks(right: int, most: int = 6) -> list[int]:
    """Whole epochs to mark on an axis from 0 to `right`: quarters where they are whole (the goal's
    0 1250 2500 3750 5000), else the round step nearest below a quarter (0 250 500 750 1000 on
    [0, 1001]), at most `most` ticks."""
    if right % 4 == 0:
        return [right * k // 4 for k in range(5)]
    steps = sorted(m * 10**e for e in range(len(str(right)) + 1) for m in (1, 2, 5, 25))
    fitting = [s for s in steps if right // s + 1 <= most]
    below = [s for s in fitting if s <= right / 4]
    step = below[-1] if below else fitting[0]
    return list(range(0, right + 1, step))


class LossPlot(DrawsFrames, LinePanel, PlotextPlot):
    """Loss against epoch; `a` adds accuracy on the right axis. Drawn as lines that are resent only
    when they change: at 10 epochs/s the curve of a 5000-epoch run moves a column every few seconds."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._frame: Frame | None = None
        self._lang = "en"
        self._accuracy = False
        self._drawn: tuple | None = None

    def show(self, frame: Frame, lang: str, accuracy: bool) -> None:
        key = (frame.curve, frame.epoch, frame.goal, accuracy, lang)
        self.drawn = (frame.stamp, lang)
        if key == self._drawn:
            return  # nothing new to draw: no bytes to the terminal
        self._drawn = key
        self._frame, self._lang, self._accuracy = frame, lang, accuracy
        self._draw()

    def on_resize(self) -> None:
        self._draw()

    def render_line(self, y: int):
        return LinePanel.render_line(self, y)

    def _draw(self) -> None:
        """Build the plot at the panel's size and resend the lines that changed."""
        width, height = self.size
        if width <= 0 or height <= 0:
            return
        self._build()  # clears the figure, size and theme included: set them after
        self._plot.plotsize(width, height)
        self._plot._set_size(width, height)
        self._plot.theme(self._get_plotext_theme_name(self.app.theme))
        figure = self._plot
        if figure.monitor.fast_plot:  # plotext keeps its last picture then: build() says which
            picture = ansi_lines(figure.build(), height)
        else:  # build() less its picture (plotext's own steps)
            figure._set_sizes()
            figure._build_matrix()
            picture = matrix_lines(figure.monitor.matrix, height)
        lines = [put_back(line, self._labels) for line in picture]
        self.show_strips([Strip(line) for line in lines])

    def _build(self) -> None:
        plt, frame = self.plt, self._frame
        plt.clear_figure()
        rule = frame is not None and frame.lesson.rule
        names = ("epoch", "mistakes" if rule else "loss", "accuracy")
        self._labels = stand_ins([say(f"app.plot_{name}", self._lang) for name in names])
        epoch, loss, accuracy = self._labels
        plt.xlabel(epoch)
        if frame is not None and frame.curve.epochs and rule:
            self._build_mistakes(frame, loss, accuracy)
        elif frame is not None and frame.curve.epochs:
            curve = thin(frame.curve, max(20, 2 * self.size.width))
            finite = [(e, v) for e, v in zip(curve.epochs, curve.losses) if math.isfinite(v)]
            top = max([LN2 * 1.1] + [v for _, v in finite if v < 1e3])
            right = max(frame.goal, frame.last_epoch, 1)
            plt.xlim(0, right)
            plt.xticks(epoch_ticks(right))  # plotext's own split [0, 1001] at 250.2, 500.5, ...
            plt.ylim(0, top * 1.05)
            # Ticks at least two rows apart: two on one row would leave plotext to pick a label.
            gap = 2 * top * 1.05 / max(1, self.size.height - 4)
            ticks = []
            for t in (0.0, LN2, 0.2, 0.4, 1.0, 1.5, 2.0, 3.0, 5.0, 10.0, 20.0, 50.0):
                if t <= top * 1.05 and all(abs(t - u) >= gap for u in ticks):
                    ticks.append(t)
            ticks.sort()
            plt.yticks(ticks, ["ln2" if t == LN2 else f"{t:g}" for t in ticks])
            plt.hline(LN2, "red")
            if finite:
                plt.plot(
                    [e for e, _ in finite],
                    [min(v, top) for _, v in finite],
                    marker="braille",
                    color="orange",
                    label=loss if self._accuracy else None,
                )
            self._accuracy_and_mark(curve, frame, accuracy)

    def _build_mistakes(self, frame: Frame, mistakes: str, accuracy: str) -> None:
        """The perceptron rule's plot: each epoch's mistakes (whole numbers, 0 once the line is found)."""
        plt = self.plt
        curve = thin(frame.curve, max(20, 2 * self.size.width))
        right = max(frame.goal, frame.last_epoch, 1)
        top = max(len(frame.rows), *curve.losses)
        plt.xlim(0, right)
        plt.xticks(epoch_ticks(right))
        plt.ylim(0, top * 1.05)
        step = max(1, math.ceil(2 * top / max(1, self.size.height - 4)))  # ticks at least two rows apart
        plt.yticks(list(range(0, int(top) + 1, step)))
        plt.plot(
            list(curve.epochs),
            list(curve.losses),
            marker="braille",
            color="orange",
            label=mistakes if self._accuracy else None,
        )
        self._accuracy_and_mark(curve, frame, accuracy)

    def _accuracy_and_mark(self, curve: Curve, frame: Frame, accuracy: str) -> None:
        """What both plots end with: the accuracy curve on the right axis (a), and the epoch on view."""
        plt = self.plt
        if self._accuracy:
            plt.plot(
                list(curve.epochs),
                [a / 100 for a in curve.accuracies],
                marker="braille",
                color="cyan",
                yside="right",
                label=accuracy,
            )
            plt.ylim(0, 1.05, yside="right")
        if frame.epoch is not None:
            plt.vline(frame.epoch, "green")
