"""The experiment form: set up a run of one's own (truth table, network, optimizer, loss, lr, seed,
epochs) and start it; the run on screen is untouched until the form is confirmed.

Every field is read with core.config.parse, the rules the command line uses, and a bad value
gets the config's own message beside its field, in the learner's language. Keyboard first: tab
moves between fields, enter starts (enter on a list opens it), esc cancels. Fits 80×24 in Korean.
Dismisses with an `Experiment` (a Lesson made of the settings and the epochs), or None.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Static

from core.config import ACTIVATIONS, ADAM_DEFAULT_LR, LOSSES, OPTIMIZERS, TrainConfig, parse
from core.datasets import DATASETS, dataset
from core.errors import InputError
from core.lessons import Experiment, Lesson, lesson
from core.words import say
from tui.files.targets_editor import TargetsEditor
from tui.screens.modal import LabModal
from tui.widgets.hint import Hint
from tui.widgets.option_list import Select

OWN = "=own"  # the dataset list's entry for a table of one's own (no table's key starts with "=")
TYPED = ("hidden", "lr", "seed", "epochs")  # the fields typed in an Input


class FormBody(VerticalScroll, can_focus=False):
    """The dialog: scrolls if messages make it taller than the screen; tab goes to its fields, not to it."""


def field_row(name: str, label: str, widget: Widget, hint: str = "") -> Horizontal:
    """A field: its label, its widget, and beside them its error message (or a hint, for a field
    that cannot be wrong)."""
    beside = Static(hint, classes="hint") if hint else Static("", id=f"{name}-error", classes="error")
    return Horizontal(Label(label, classes="label"), widget, beside, classes="field", id=f"{name}-field")


class ExperimentForm(LabModal):
    CSS_PATH = "forms.tcss"
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="cancel"),
        Binding("enter", "start", "Start", show=False, id="start"),
    ]

    def __init__(self, lang: str, current: Lesson | None = None):
        super().__init__(lang)
        self.current = current or lesson("xor-mlp")
        self._lr_shown = f"{self.current.config.lr:g}"  # what the lr field says unless the learner typed
        self._optimizer = self.current.config.optimizer

    # --- layout --------------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        lang, config = self.lang, self.current.config

        def w(key: str) -> str:
            return say(f"form.{key}", lang)

        data = config.data
        datasets = [(f"{d.name} ({d.column})", d.key) for d in DATASETS.values()]
        datasets.append((w("own"), OWN))
        choice = data.key if data.builtin else OWN

        def select(name: str, options, value) -> Select:
            return Select(options, value=value, allow_blank=False, compact=True, id=name)

        with FormBody(classes="form-dialog"):
            yield Label(w("title"), classes="form-title")
            yield field_row("dataset", w("dataset"), select("dataset", datasets, choice))
            yield field_row("table", w("table"), TargetsEditor(data.column, id="table"), w("table_hint"))
            name = Input(data.name if not data.builtin else w("default_name"), compact=True, id="name")
            name.disabled = data.builtin
            yield field_row("name", w("name"), name)
            hidden = ",".join(map(str, config.hidden))
            yield field_row("hidden", w("hidden"), Input(hidden, placeholder=w("none"), compact=True, id="hidden"))
            yield field_row("activation", w("activation"), select("activation", _named(ACTIVATIONS), config.activation))
            optimizers = [(w(f"optimizer_{o}"), o) for o in OPTIMIZERS]
            yield field_row("optimizer", w("optimizer"), select("optimizer", optimizers, config.optimizer))
            yield field_row("loss", w("loss"), select("loss", [(w(f"loss_{x}"), x) for x in LOSSES], config.loss))
            for name_, value in (("lr", self._lr_shown), ("seed", str(config.seed))):
                yield field_row(name_, w(name_), Input(value, compact=True, id=name_))
            yield field_row("epochs", w("epochs"), Input(str(self.current.epochs), compact=True, id="epochs"))
            with Horizontal(id="form-buttons"):
                yield Button(w("start"), id="start", variant="primary", compact=True)
                yield Button(w("cancel"), id="cancel", compact=True)
                yield Hint(w("keys"), classes="hint")

    # --- keeping the fields in step --------------------------------------------------------------

    @on(Select.Changed, "#dataset")
    def _dataset_chosen(self, event: Select.Changed) -> None:
        own = event.value == OWN
        self.query_one("#name", Input).disabled = not own
        if not own:
            self.query_one("#table", TargetsEditor).column = dataset(str(event.value)).column
        self._check("dataset")

    @on(TargetsEditor.Changed)
    def _targets_changed(self, event: TargetsEditor.Changed) -> None:
        # Targets typed in are a built-in table's when they are its column (0 0 0 1 is and), else one's own.
        builtin = next((d for d in DATASETS.values() if d.column == event.column), None)
        select = self.query_one("#dataset", Select)
        with select.prevent(Select.Changed):  # the table is already what it names: nothing to copy back
            select.value = OWN if builtin is None else builtin.key
        self.query_one("#name", Input).disabled = builtin is not None
        self._check("dataset")

    @on(Select.Changed, "#optimizer")
    def _optimizer_chosen(self, event: Select.Changed) -> None:
        if event.value == self._optimizer:
            return
        self._optimizer = str(event.value)
        field = self.query_one("#lr", Input)
        if field.value == self._lr_shown:  # not typed over: as the command line does, lr 1 is far too high for Adam
            self._lr_shown = f"{ADAM_DEFAULT_LR if event.value == 'adam' else 1.0:g}"
            with field.prevent(Input.Changed):
                field.value = self._lr_shown
            self._check("lr")

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        self._check("dataset" if event.input.id == "name" else event.input.id)

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_start()

    @on(Button.Pressed, "#start")
    def _start_pressed(self) -> None:
        self.action_start()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    # --- reading and checking ------------------------------------------------------------------------

    def _text(self, name: str) -> str:
        if name == "dataset":
            choice = self.query_one("#dataset", Select).value
            if choice != OWN:
                return str(choice)
            column = self.query_one("#table", TargetsEditor).column
            return f"{self.query_one('#name', Input).value}={column}"
        widget = self.query_one(f"#{name}")
        return str(widget.value)

    def _check(self, name: str):
        """The field's value by the config's rules; its message beside it if bad (then None)."""
        error_name = "name" if name == "dataset" else name
        message = self.query_one(f"#{error_name}-error", Static)
        try:
            value = parse(name, self._text(name))
        except InputError as bad:
            message.update(bad.message(self.lang))
            message.set_classes("error -shown")
            self.query_one(f"#{error_name}-field").add_class("-invalid")
            return None
        message.update("")
        message.set_classes("error")
        self.query_one(f"#{error_name}-field").remove_class("-invalid")
        return value

    def values(self) -> dict | None:
        """Every setting, checked; None (and messages beside the bad ones) if any is bad."""
        names = ("dataset", "hidden", "activation", "optimizer", "loss", "lr", "seed", "epochs")
        values = {name: self._check(name) for name in names}
        bad = [name for name, value in values.items() if value is None]
        if bad:
            first = "name" if bad[0] == "dataset" else bad[0]
            self.query_one(f"#{first}").focus()
            return None
        return values

    # --- finishing -----------------------------------------------------------------------------------

    def action_start(self) -> None:
        if self._dismissing or self.app.screen is not self:  # two enters at once: one dismissal
            return
        values = self.values()
        if values is None:
            return
        epochs = values.pop("epochs")
        self.close(Experiment(config=TrainConfig(**values), epochs=epochs))

    def action_cancel(self) -> None:
        self.close(None)


def _named(values: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(value, value) for value in values]
