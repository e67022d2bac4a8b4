"""The weights inspector: W, b and their gradients for every layer at the epoch on view, with what
changed since the epoch before marked. Wide layers scroll both ways."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.containers import ScrollableContainer
from textual.widgets import Static

from tui.i18n import tr
from tui.session import Frame
from tui.widgets.glyphs import FAINT, sign_style
from tui.widgets.network_diagram import neuron_names

BOLD = Style(bold=True)
UP, DOWN = "▲", "▼"


def _cell(text: Text, value: float, before: float | None, big: float) -> None:
    """`+0.1234▲`: the value in its sign's colour, an arrow for its change, bold if the change is big."""
    style = sign_style(value)
    delta = 0.0 if before is None else value - before
    if delta and abs(delta) >= big:
        style = style + BOLD
    text.append(f"{value:+.4f}", style)
    text.append(UP if delta > 0 else DOWN if delta < 0 else " ", style if delta else FAINT)
    text.append(" ")


def render_weights(frame: Frame, lang: str) -> Text:
    weights = frame.weights
    text = Text()
    if frame.previous is None:
        text.append(" " + tr("first_epoch", lang) + "\n", FAINT)
    else:
        text.append(" " + tr("changed", lang, prev=frame.previous.epoch) + "\n", FAINT)
    names = neuron_names(frame.sizes, frame.input_names)
    for k, layer in enumerate(weights.layers):
        before = frame.previous.layers[k] if frame.previous else None
        n_out, n_in = len(layer.weight), len(layer.weight[0])
        deltas = [0.0]
        if before:
            deltas += [abs(a - b) for row, prow in zip(layer.weight, before.weight) for a, b in zip(row, prow)]
            deltas += [abs(a - b) for a, b in zip(layer.bias, before.bias)]
        big = max(deltas) / 2 or 1.0
        name_w = max(len(n) for n in names[k + 1])
        w_cols = " ".join(f"{names[k][i]:^8}" for i in range(n_in))
        g_cols = " ".join(f"{names[k][i]:^9}" for i in range(n_in))
        text.append(f"\n {layer.name}.weight [{n_out}×{n_in}], {layer.name}.bias [{n_out}]\n", BOLD)
        text.append(f" {'':<{name_w}}  {w_cols} │ {'b':^8} ┃ {g_cols} │ {'∂b':^9}\n", FAINT)
        for j in range(n_out):
            text.append(f" {names[k + 1][j]:<{name_w}}  ")
            for i in range(n_in):
                _cell(text, layer.weight[j][i], before.weight[j][i] if before else None, big)
            text.append("│ ", FAINT)
            _cell(text, layer.bias[j], before.bias[j] if before else None, big)
            text.append("┃ ", FAINT)
            for i in range(n_in):
                text.append(f"{layer.weight_grad[j][i]:+.2e} ", sign_style(layer.weight_grad[j][i]))
            text.append("│ ", FAINT)
            text.append(f"{layer.bias_grad[j]:+.2e}", sign_style(layer.bias_grad[j]))
            text.append("\n")
    text.rstrip()
    return text


class WeightsInspector(ScrollableContainer, can_focus=True):
    """Scrollable table of every layer's parameters and gradients at the epoch on view."""

    BINDINGS = [
        Binding("shift+left", "scroll_left", "Scroll left", show=False),
        Binding("shift+right", "scroll_right", "Scroll right", show=False),
    ]
    DEFAULT_CSS = """
    WeightsInspector { overflow: auto auto; }
    WeightsInspector > Static { width: auto; height: auto; }
    """

    def compose(self):
        yield Static(id="weights-table")

    def show(self, frame: Frame, lang: str) -> None:
        table = self.query_one("#weights-table", Static)
        if frame.weights is None:
            table.update("")
            return
        table.update(render_weights(frame, lang))
