"""The neuron lesson's controls: w₁, w₂ and θ set by hand in steps of 0.1, a target chosen by key,
and the truth table, the verdict and each row's condition updating as the numbers change.

Holds only a `core.neuron.ThresholdNeuron` (plain integers) and the target's name; every change
posts `NeuronChanged`, so the app's live run keeps it and the app can redraw what else shows the
neuron (the status line, its line on the map).
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.binding import Binding, BindingsMap

from core.neuron import LABELS, PARAMETERS, ThresholdNeuron, conditions, next_target, reachable
from core.words import count, say
from tui.messages import NeuronChanged
from tui.widgets.drawn import DrawsFrames
from tui.widgets.line_panel import TextPanel
from tui.widgets.whole_lines import wrapped

SYMBOLS = {"w1": "w₁", "w2": "w₂", "theta": "θ"}
RIGHT = Style(color="green", bold=True)
WRONG = Style(color="red", bold=True)
CHOSEN = Style(bold=True, reverse=True)
# (key, action, id, shown in the footer); the words are [neuron.key.<id>].
KEYS = [
    ("down", "choose(1)", "choose", True),
    ("up", "choose(-1)", "choose_back", False),
    ("plus,equals_sign,right", "nudge(1)", "raise", True),
    ("minus,left", "nudge(-1)", "lower", True),
    ("g", "target(1)", "target", True),  # g for goal: t is the app's notes key
]
KEY_DISPLAY = {"choose": "↑↓", "raise": "+", "lower": "-"}


def bindings(lang: str) -> list[Binding]:
    return [
        Binding(
            key,
            action,
            say(f"neuron.key.{binding_id}", lang),
            show=shown,
            id=f"neuron_{binding_id}",
            key_display=KEY_DISPLAY.get(binding_id),
        )
        for key, action, binding_id, shown in KEYS
    ]


def tenths(value: int) -> str:
    """A parameter in tenths as shown: 5 -> " 0.5", -12 -> "-1.2"."""
    return f"{value / 10:4.1f}"


def line_equation(w1: float, w2: float, theta: float) -> str:
    """The neuron's line with the numbers put in: "1·x₁ − 0.5·x₂ = −1.5" (a zero weight's term left out)."""
    terms = [(w, x) for w, x in ((w1, "x₁"), (w2, "x₂")) if w != 0]
    if not terms:
        left = "0"
    else:
        left = ""
        for k, (w, x) in enumerate(terms):
            sign = ("−" if w < 0 else "") if k == 0 else (" − " if w < 0 else " + ")
            left += f"{sign}{abs(w):g}·{x}"
    return f"{left} = {'−' if theta < 0 else ''}{abs(theta):g}"


def sum_symbols(x: tuple[int, int]) -> str:
    """The weighted sum on row x in symbols: "0", "w₁", "w₂" or "w₁ + w₂"."""
    return " + ".join(s for s, xi in zip(("w₁", "w₂"), x) if xi) or "0"


def render_neuron(
    neuron: ThresholdNeuron, target: str, selected: int, lang: str, heading: bool = True, width: int | None = None
) -> Text:
    """Everything the controls show, for one neuron and target (`heading`: start with the neuron's
    name, which a panel whose title says it leaves out), its sentences wrapped to `width` cells
    with each later line under the first (never between an equation's sides)."""
    label = LABELS[target]
    text = Text()

    def paragraph(*parts: tuple[str, Style | None]) -> None:
        text.append_text(wrapped(Text.assemble(*((part, style or "") for part, style in parts)), width))

    paragraph(
        *([(f" {say('neuron.title', lang)}: ", Style(bold=True))] if heading else []),
        (" " + say("neuron.rule", lang), None),
    )
    text.append("\n\n")
    text.append(f" {say('neuron.parameters', lang)}", Style(bold=True))
    text.append(f"    {say('neuron.target', lang, target=label)}\n", Style(bold=True))
    for k, name in enumerate(PARAMETERS):
        chosen = k == selected
        text.append(" ▶ " if chosen else "   ")
        text.append(f"{SYMBOLS[name]:<2} = {tenths(getattr(neuron, name))}", CHOSEN if chosen else None)
        text.append("\n")
    w1, w2, theta = (neuron.value(n) for n in PARAMETERS)
    paragraph((" " + say("neuron.line", lang, line=line_equation(w1, w2, theta)), Style(dim=True)))
    text.append("\n\n")

    heads = [say("neuron.sum", lang), say("neuron.output", lang), say("neuron.wanted", lang)]
    widths = [max(5, _cells(h)) for h in heads]
    text.append(" x₁ x₂ │ " + " │ ".join(_centre(h, w) for h, w in zip(heads, widths)) + " │\n", Style(bold=True))
    rows = neuron.table(target)
    for row in rows:
        cells = [f"{row.total:.1f}", str(row.output), str(row.target)]
        text.append(f"  {row.x[0]}  {row.x[1]} │ " + " │ ".join(_centre(c, w) for c, w in zip(cells, widths)) + " │ ")
        text.append("✓" if row.right else "✗", RIGHT if row.right else WRONG)
        text.append("\n")
    wrong = sum(not row.right for row in rows)
    text.append("\n")
    if wrong == 0:
        paragraph((" " + say("neuron.reached", lang, target=label), RIGHT))
    else:
        paragraph((" " + count("neuron.wrong", wrong, lang), WRONG if not reachable(target) else Style(bold=True)))
    if not reachable(target):  # right under the verdict: a small screen shows it without scrolling
        text.append("\n\n")
        paragraph((" " + say("neuron.xor_why", lang), Style(italic=True)))
    text.append("\n\n")
    paragraph((" " + say("neuron.needs", lang), Style(dim=True)))
    text.append("\n")
    for condition, row in zip(conditions(neuron, target), rows):
        sign = "≥" if condition.fire else "<"
        need = f"{sum_symbols(condition.x)} {sign} θ"
        now = f"{row.total:.1f} {sign} {theta:.1f}"
        text.append(f"  ({condition.x[0]},{condition.x[1]})  {need:<13} {now:<14} ")
        text.append("✓" if condition.holds else "✗", RIGHT if condition.holds else WRONG)
        text.append("\n")
    text.rstrip()
    return text


def _cells(text: str) -> int:
    return Text(text).cell_len


def _centre(value: str, width: int) -> str:
    room = max(0, width - _cells(value))
    return " " * (room // 2) + value + " " * (room - room // 2)


class NeuronControls(DrawsFrames, TextPanel, can_focus=True):
    """w₁, w₂ and θ with keys, the target, the truth table and whether the target is reached.

    A key's effect is drawn here at once (only the lines that changed go to the terminal) and told
    to the app with `NeuronChanged`; the app's live run keeps the neuron (`show` sets it back)."""

    DEFAULT_CSS = "NeuronControls { height: auto; padding: 0 1; }"

    def __init__(
        self,
        neuron: ThresholdNeuron | None = None,
        target: str = "and",
        lang: str = "en",
        heading: bool = True,
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        self.heading = heading  # False in a panel titled with the neuron's name
        self.neuron = neuron or ThresholdNeuron()
        self.target = target
        self.selected = 0  # index into PARAMETERS
        self.run_serial = 0  # the NeuronRun shown (its serial), told back in NeuronChanged
        self.lang = ""
        self.set_lang(lang)

    def set_lang(self, lang: str) -> None:
        """Speak `lang`: the text and the keys' descriptions."""
        if lang == self.lang:
            return
        self.lang = lang
        merged = BindingsMap(bindings(lang))
        for key, found in self._bindings.key_to_bindings.items():
            merged.key_to_bindings.setdefault(key, found)
        self._bindings = merged
        self._redraw()
        if self.is_mounted:
            self.refresh_bindings()

    def show(self, neuron: ThresholdNeuron, target: str, lang: str, run: int = 0, stamp=None) -> None:
        """Show this neuron and target (the run's, serial `run`, whose frame has `stamp`), in `lang`."""
        self.drawn = (stamp, lang)
        if run != self.run_serial:
            self.selected = 0  # another lesson opened: start from w₁
        self.neuron, self.target, self.run_serial = neuron, target, run
        self.set_lang(lang)
        self._redraw()

    def _redraw(self) -> None:
        width = self.size.width or None
        self.set_text(self.content_for(width), built_for=width)

    def content_for(self, width: int | None) -> Text:
        # Its sentences are wrapped here, to the width it has, each later line under the first.
        return render_neuron(self.neuron, self.target, self.selected, self.lang, self.heading, width)

    def _changed(self) -> None:
        self._redraw()
        self.post_message(NeuronChanged(self.neuron, self.target, self.run_serial))

    def action_choose(self, step: int) -> None:
        self.selected = (self.selected + step) % len(PARAMETERS)
        self._redraw()

    def action_nudge(self, steps: int) -> None:
        self.neuron = self.neuron.nudged(PARAMETERS[self.selected], steps)
        self._changed()

    def action_target(self, step: int) -> None:
        self.target = next_target(self.target, step)
        self._changed()
