"""The backpropagation explainer: one epoch's computation, a stage a key press, with the real numbers.

It takes an `Explanation` (plain floats, computed by `core.explain.explain.explain` in a worker) and shows
its five stages one at a time (forward, loss, the output's δ, backward, update), each formula with
the numbers put in (core.explain.explain_text). A wide network is followed along a path of one neuron a
layer, which the learner changes from the keyboard; that only re-reads the explanation (pure
Python), so it is instant and never touches torch.

Another epoch ([ and ]) needs torch: the screen asks for it with an `ExplainEpoch` message, greys
those keys while it waits, and the app calls `show()` with the answer. L changes the language here
and tells the app (`LanguageChosen`). It closes once, with the epoch it was showing.
"""

from __future__ import annotations

import contextlib

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingsMap
from textual.containers import VerticalScroll
from textual.css.query import NoMatches
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Static

from core.explain.explain import Explanation, is_small
from core.explain.explain_text import STAGES, stage, title
from core.lang import next_lang
from core.mathtext import neuron_names, wrap
from core.words import name_of, say
from tui.messages import ExplainEpoch, LanguageChosen
from tui.widgets.footer import SteadyFooter

STYLES = {
    "heading": Style(bold=True),
    "formula": Style(bold=True, color="cyan"),
    "note": Style(dim=True, italic=True),
    "row": Style(),
    "text": Style(),
    "": Style(),
}
CURRENT = Style(bold=True, reverse=True)
# (key, action, id, shown in the footer); the words are [explain.key.<id>].
KEYS = [
    ("right,space", "stage(1)", "next", True),
    ("left,backspace", "stage(-1)", "back", True),
    ("tab", "path_layer(1)", "layer", True),
    ("shift+tab", "path_layer(-1)", "layer_back", False),
    ("plus,equals_sign", "path_neuron(1)", "neuron_up", True),
    ("minus", "path_neuron(-1)", "neuron_down", True),
    ("left_square_bracket", "epoch(-1)", "epoch_back", True),
    ("right_square_bracket", "epoch(1)", "epoch_next", True),
    ("left_curly_bracket", "epoch(-100)", "epoch_back100", False),
    ("right_curly_bracket", "epoch(100)", "epoch_next100", False),
    ("escape,q,e", "close", "close", True),
    ("L", "language", "language", False),
    *((str(n), f"go({n - 1})", f"stage{n}", False) for n in range(1, 6)),
]
PATH_ACTIONS = {"path_layer", "path_neuron"}


KEY_DISPLAY = {
    "next": "→",
    "back": "←",
    "neuron_up": "+",
    "neuron_down": "-",
    "close": "esc",
    "epoch_back": "[",
    "epoch_next": "]",
}


def _description(binding_id: str, lang: str) -> str:
    if binding_id.startswith("stage"):
        return say("explain.key.go", lang)
    if binding_id == "language":
        return name_of(next_lang(lang))  # as the app's L: the language it switches to
    return say(f"explain.key.{binding_id}", lang)


def bindings(lang: str) -> list[Binding]:
    """The explainer's keys with their descriptions in `lang` (ids explain_<id>, for remapping)."""
    return [
        Binding(
            key,
            action,
            _description(binding_id, lang),
            show=shown,
            id=f"explain_{binding_id}",
            key_display=KEY_DISPLAY.get(binding_id),
        )
        for key, action, binding_id, shown in KEYS
    ]


class Explainer(Screen[int]):
    """One epoch of training, stage by stage. Dismisses (once) with the epoch it was showing."""

    DEFAULT_CSS = """
    Explainer { layout: vertical; }
    Explainer #explain-title { height: auto; padding: 0 1; text-style: bold; background: $panel; }
    Explainer #explain-stages { height: auto; padding: 0 1; }
    Explainer #explain-path { height: auto; padding: 0 1; }
    Explainer #explain-body {
        height: 1fr; padding: 0 1; border-top: solid $primary 40%;
        scrollbar-size-vertical: 1; scrollbar-gutter: stable;
    }
    Explainer #explain-text { width: 1fr; }
    """

    current = reactive(0)  # which stage, 0..4

    def __init__(
        self,
        explanation: Explanation,
        lang: str,
        lesson_id: str,
        stopped: bool = False,
        path: tuple[int, ...] | None = None,
        start: int = 0,
        last: int | None = None,
    ):
        super().__init__()
        self.explanation, self.lang, self.lesson_id, self.stopped = explanation, lang, lesson_id, stopped
        self.last = last  # the run's last epoch, for [ and ]; None: this epoch only
        self.waiting: int | None = None  # the epoch asked for and not yet shown
        self._dismissing = False
        sizes = explanation.sizes
        self.wide = not is_small(sizes)
        self.path = path if path is not None else ((0,) * len(sizes) if self.wide else None)
        self.chosen_layer = 0  # which layer of the path the +/- keys change (0: the inputs)
        self._localize()
        self.set_reactive(Explainer.current, max(0, min(len(STAGES) - 1, start)))

    def _localize(self) -> None:
        # Our keys in the learner's language, in place of the Screen's own for the same keys (tab).
        merged = BindingsMap(bindings(self.lang))
        for key, found in self._bindings.key_to_bindings.items():
            if key not in merged.key_to_bindings and not any(b.id and b.id.startswith("explain_") for b in found):
                merged.key_to_bindings[key] = found
        self._bindings = merged

    def set_lang(self, lang: str) -> None:
        """Speak `lang`: the stages, the bars and the footer's keys."""
        self.lang = lang
        self._localize()
        if self.is_mounted:
            self.refresh_bindings()
            self._show()

    def show(self, explanation: Explanation, stopped: bool = False) -> None:
        """Another epoch of the same run (same shape): the stage and the path stay where they are."""
        if explanation.sizes != self.explanation.sizes:
            raise ValueError("the explainer shows one network; open a new one for another shape")
        self.explanation, self.stopped, self.waiting = explanation, stopped, None
        if self.is_mounted:
            self.refresh_bindings()
            self._show()

    def stop_waiting(self) -> None:
        """The epoch asked for will not come (the app could not compute it): the keys act again."""
        self.waiting = None
        if self.is_mounted:
            self.refresh_bindings()
            self._show()

    def title_text(self) -> Text:
        text = Text(title(self.explanation, self.lang, self.lesson_id))
        if self.waiting is not None:
            text.append("   " + say("explain.computing", self.lang, epoch=self.waiting), Style(bold=False, dim=True))
        return text

    def compose(self) -> ComposeResult:
        yield Static(self.title_text(), id="explain-title")
        yield Static(id="explain-stages")
        if self.wide:
            yield Static(id="explain-path")
        with VerticalScroll(id="explain-body"):
            yield Static(id="explain-text")
        yield SteadyFooter(compact=True)

    def on_mount(self) -> None:
        self.query_one("#explain-body").focus()
        self._show()

    def on_resize(self) -> None:
        self.call_after_refresh(self._reflow)  # the lines are wrapped to the body's width

    def _reflow(self) -> None:
        with contextlib.suppress(NoMatches):  # the app ended between the resize and now: its widgets are gone
            self._show()

    def watch_current(self) -> None:
        if self.is_mounted:
            self.query_one("#explain-body", VerticalScroll).scroll_home(animate=False)
            self._show()

    # --- drawing -------------------------------------------------------------------------------

    def _show(self) -> None:
        self.query_one("#explain-title", Static).update(self.title_text())
        self.query_one("#explain-stages", Static).update(self.stage_bar())
        if self.wide:
            self.query_one("#explain-path", Static).update(self.path_bar())
        self.query_one("#explain-text", Static).update(self.body())

    def stage_bar(self) -> Text:
        text = Text()
        for k, key in enumerate(STAGES):
            if k:
                text.append(" › ", Style(dim=True))
            text.append(f" {k + 1} {say(f'explain.short.{key}', self.lang)} ", CURRENT if k == self.current else None)
        return text

    def path_bar(self) -> Text:
        names = neuron_names(self.explanation.sizes, self.explanation.config.data.inputs)
        text = Text()  # a Text's own style would reach every part appended to it
        text.append(say("explain.path", self.lang) + " ", Style(bold=True))
        for k, j in enumerate(self.path):
            if k:
                text.append(" → ")
            text.append(names[k][j], CURRENT if k == self.chosen_layer else Style(bold=True))
        text.append("   " + say("explain.path_keys", self.lang), Style(dim=True))
        return text

    def body(self) -> Text:
        """The stage's lines, wrapped here (a formula's continuation indented under it, a sentence at
        word breaks) so that no line is cut and Korean wraps between words."""
        shown = stage(self.explanation, STAGES[self.current], self.lang, self.path, self.stopped)
        width = self.text_width()
        text = Text(no_wrap=True)  # a Text's own style would underline every line appended to it
        text.append(shown.title + "\n", Style(bold=True, underline=True))
        for line in shown.lines:
            indent = " " * (len(line.text) - len(line.text.lstrip(" ")) + 4) if line.kind == "row" else ""
            for part in wrap(line.text, width, indent):
                text.append(part + "\n", STYLES.get(line.kind))
        text.rstrip()
        return text

    def text_width(self) -> int:
        """Cells a body line may take: the body less its padding and its (always reserved) scrollbar."""
        body = self.query_one("#explain-body", VerticalScroll)
        width = body.size.width - 2 - 1
        return width if width >= 20 else max(20, self.app.size.width - 3)

    # --- keys ------------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action in PATH_ACTIONS:
            return self.wide  # hidden from the footer for a network shown whole
        if action == "epoch":
            if self.last is None:
                return False  # one epoch only (shown on its own)
            return None if self.waiting is not None else True  # greyed while the app computes
        return True

    def action_stage(self, step: int) -> None:
        self.current = max(0, min(len(STAGES) - 1, self.current + step))

    def action_go(self, index: int) -> None:
        self.current = index

    def action_path_layer(self, step: int) -> None:
        # The inputs and each hidden layer: the output is always the one output neuron.
        self.chosen_layer = (self.chosen_layer + step) % (len(self.path) - 1)
        self._show()

    def action_path_neuron(self, step: int) -> None:
        width = self.explanation.sizes[self.chosen_layer]
        path = list(self.path)
        path[self.chosen_layer] = (path[self.chosen_layer] + step) % width
        self.path = tuple(path)
        self._show()

    def action_epoch(self, step: int) -> None:
        if self.last is None or self.waiting is not None:
            return
        epoch = max(0, min(self.last, self.explanation.epoch + step))
        if epoch == self.explanation.epoch:
            return
        self.waiting = epoch
        self.refresh_bindings()
        self.query_one("#explain-title", Static).update(self.title_text())  # the key's effect, first
        self.post_message(ExplainEpoch(epoch))

    def action_language(self) -> None:
        self.set_lang(next_lang(self.lang))
        self.post_message(LanguageChosen(self.lang))

    def action_close(self) -> None:
        self.close()

    def close(self) -> None:
        """Dismiss with the epoch on show, once: a second key (escape and e together) finds it closing."""
        if self._dismissing or not self.is_current:
            return
        self._dismissing = True
        self.dismiss(self.explanation.epoch)
