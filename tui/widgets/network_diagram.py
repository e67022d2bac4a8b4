"""The network diagram: every connection with its weight for small networks, a picture of each
weight matrix with its statistics for wide ones (64 neurons do not fit on a terminal line)."""

from __future__ import annotations

import itertools
import math
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text

from core.words import count, say
from tui.run.live import Frame
from tui.widgets.drawn import DrawsFrames
from tui.widgets.glyphs import FAINT, glyph_runs, level, sign_style, signed
from tui.widgets.line_panel import TextPanel, wrap_like
from tui.widgets.truth_table import SUBSCRIPTS

if TYPE_CHECKING:
    import numpy as np

WHOLE_MAX_CONNECTIONS = 16  # 2-1, 2-2-1, 2-3-1, 2-4-1 and 3-input ones like them are drawn whole
PICTURE_ROWS = 4
LINES = {0: "┄", 1: "─", 2: "━"}
BOLD = Style(bold=True)


def neuron_names(sizes: tuple[int, ...], input_names: tuple[str, ...]) -> list[list[str]]:
    """x₁ x₂ for inputs, h₁… for one hidden layer (h¹₁… for several), ŷ for the output."""
    names = [[n.translate(SUBSCRIPTS) for n in input_names]]
    hidden = sizes[1:-1]
    for k, width in enumerate(hidden, 1):
        mark = "h" if len(hidden) == 1 else "h" + str(k).translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"))
        names.append([mark + str(i).translate(SUBSCRIPTS) for i in range(1, width + 1)])
    names.append(["ŷ"])
    return names


def connections(sizes: tuple[int, ...]) -> int:
    return sum(a * b for a, b in itertools.pairwise(sizes))


def render_whole(frame: Frame, lang: str) -> Text:
    """One line per connection, grouped by the neuron it feeds: `x₁ ━━ +5.71 ━━┓ … ┻━▶ ŷ  b -8.62`."""
    names = neuron_names(frame.sizes, frame.input_names)
    text = Text()
    name_w = max(len(n) for layer in names for n in layer)
    for k, layer in enumerate(frame.weights.layers):
        # Against at least 1, so that XOR's near-zero weights look weak rather than all "strong".
        scale = max([1.0] + [abs(w) for row in layer.weight for w in row])
        for j, row in enumerate(layer.weight):
            for i, w in enumerate(row):
                line = LINES[level(w, scale)]
                style = sign_style(w)
                text.append(f" {names[k][i]:<{name_w}} ")
                text.append(f"{line * 2} ", style)
                text.append(f"{signed(w):>6}", style + BOLD if level(w, scale) == 2 else style)
                text.append(f" {line * 2}", style)
                last = i == len(row) - 1
                text.append("┓" if i == 0 else "┻" if last else "┫", "dim")
                if last:
                    text.append("━▶ ", "dim")
                    text.append(names[k + 1][j], "bold")
                    text.append("  b ")
                    text.append(signed(layer.bias[j]), sign_style(layer.bias[j]))
                text.append("\n")
        if k < len(frame.weights.layers) - 1:
            text.append("\n")
    if frame.rule is not None:  # Rosenblatt's unit: a step, not a sigmoid
        text.append(" " + say("app.rule.unit", lang) + "\n", FAINT)
    return text


def _picture(weight, width: int) -> tuple[np.ndarray, bool]:
    """The matrix (transposed so its longer side runs across), shrunk to PICTURE_ROWS × width by
    keeping the largest-magnitude weight of each block (the first, in reading order, of equals).
    Returns it and whether it was transposed."""
    import numpy as np  # loaded with the engine: a matrix is drawn only once there are weights

    matrix = np.asarray(weight, dtype=float)
    transposed = matrix.shape[0] > matrix.shape[1]
    if transposed:
        matrix = matrix.T
    rows, cols = matrix.shape
    fr, fc = math.ceil(rows / PICTURE_ROWS), math.ceil(cols / max(1, width))
    out_r, out_c = -(-rows // fr), -(-cols // fc)
    # Blocks padded with NaN (never the largest) to whole ones, each read row by row.
    padded = np.full((out_r * fr, out_c * fc), np.nan)
    padded[:rows, :cols] = matrix
    blocks = padded.reshape(out_r, fr, out_c, fc).transpose(0, 2, 1, 3).reshape(out_r, out_c, fr * fc)
    sizes = np.where(np.isnan(blocks), -1.0, np.abs(blocks))
    picked = np.take_along_axis(blocks, sizes.argmax(axis=2)[..., None], axis=2)[..., 0]
    return picked, transposed


def _sum(values) -> float:
    """The sum of `values` added one after another, as Python 3.11's sum() adds floats."""
    return float(values.cumsum()[-1]) if values.size else 0.0


# The widest values the layer statistics are laid out for (see wrap_like): a weight past ±10
# adds a line once; the epoch is at most the run's goal (a line wraps where this run's epochs
# would make it wrap, and not before).
WIDEST = {"mean": -9.999, "sd": 9.999, "top": 9.999, "delta": 9.9e-99}


def render_layers(frame: Frame, lang: str, width: int) -> Text:
    import numpy as np  # loaded with the engine: only a frame with weights gets here

    sizes = frame.sizes
    text = Text()
    text.append(
        " "
        + " → ".join(
            [
                f"{say('app.inputs', lang)} {sizes[0]}",
                *map(str, sizes[1:-1]),
                f"{say('app.output_neuron', lang)} {sizes[-1]}",
            ]
        )
        + "\n",
        "bold",
    )
    activation = frame.lesson.config.activation
    previous = frame.previous.layers if frame.previous else None
    stats_keys = ("app.layer_stats", "app.layer_change")
    widest = {key: say(key, lang, **WIDEST, prev=max(frame.goal, frame.last_epoch)) for key in stats_keys}
    for k, layer in enumerate(frame.weights.layers):
        n_out, n_in = len(layer.weight), len(layer.weight[0])
        act = "sigmoid" if k == len(sizes) - 2 else activation
        text.append("\n " + say("app.layer", lang, name=layer.name, n_in=n_in, n_out=n_out, act=act) + "\n", "bold")
        matrix = np.asarray(layer.weight, dtype=float)
        flat = matrix.ravel()
        scale = float(np.abs(flat).max())
        picture, transposed = _picture(matrix, width - 2)
        # A run of one style as one span: a span is work for every later step of the drawing.
        for runs in glyph_runs(picture, scale):
            text.append_tokens([(" ", None), *runs])
            text.append("\n")
        key = "rows_inputs" if transposed else "rows_neurons"
        inputs, neurons = count("app.n_inputs", n_in, lang), count("app.n_neurons", n_out, lang)
        text.append(" " + say(f"app.{key}", lang, inputs=inputs, neurons=neurons) + "\n", FAINT)
        mean = _sum(flat) / flat.size
        sd = math.sqrt(_sum(np.square(flat - mean)) / flat.size)  # x·x, correctly rounded (libm's pow is not, always)
        stats = [("app.layer_stats", {"mean": mean, "sd": sd, "top": scale})]
        if previous:
            before = np.asarray(previous[k].weight, dtype=float).ravel()
            delta = _sum(np.abs(flat - before)) / flat.size
            stats.append(("app.layer_change", {"delta": delta, "prev": frame.previous.epoch}))
        for key, values in stats:
            line = wrap_like(say(key, lang, **values), widest[key], width - 1)
            text.append(" " + line.replace("\n", "\n ") + "\n")
        if not previous:  # epoch 0: the change's lines left blank, so the first step keeps the height
            change = widest["app.layer_change"]
            text.append("\n" * (wrap_like(change, change, width - 1).count("\n") + 1))
    return text


class NetworkDiagram(DrawsFrames, TextPanel):
    """Inputs, hidden layers and output with their weights, for the epoch on view."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._frame: Frame | None = None
        self._lang = "en"

    def show(self, frame: Frame, lang: str) -> None:
        self._frame, self._lang = frame, lang
        self.drawn = (frame.stamp, lang)
        width = self.size.width if self.size.width > 0 else 60
        self.set_text(self.content_for(width), built_for=width)

    def content_for(self, width: int) -> Text:
        frame, lang = self._frame, self._lang
        if frame is None or frame.weights is None:
            return Text(" " + " → ".join(map(str, frame.sizes)) if frame else "")
        whole = connections(frame.sizes) <= WHOLE_MAX_CONNECTIONS
        body = render_whole(frame, lang) if whole else render_layers(frame, lang, max(8, width - 1))
        legend = say("app.legend_whole" if whole else "app.legend", lang)
        if cell_len(legend) >= width:  # 80 columns: its two halves on two lines, not cut anywhere
            legend = "\n ".join(part.strip() for part in legend.split(";"))
        body.append("\n " + legend, FAINT)
        return body
