"""Asks for a file: where to save the run, or which session file to open.

Save: the path is checked as the command line checks it (core.files.files.check_writable); a file that
exists is replaced only after a second enter on the same name. Open: the file is read and checked
in full (core.files.session_file.read_session, pure Python, no replay yet), and a bad one gets its one
line beside the field, so the run on screen is never touched by a file that cannot be opened.
A name without a directory is in the app's directory (its working directory unless told
otherwise); names of session files there complete with →. Dismisses with the whole path.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.suggester import SuggestFromList
from textual.widgets import Button, Input, Label, Static

from core.errors import InputError
from core.files.files import check_writable
from core.files.session_file import SavedRun, read_session
from core.words import say
from tui.files.experiment_form import FormBody
from tui.screens.modal import LabModal
from tui.widgets.hint import Hint


@dataclass(frozen=True)
class OpenedFile:
    """A session file read and checked: what the open prompt dismisses with."""

    path: str
    run: SavedRun


def files_here(directory: Path, pattern: str = "*.json", most: int = 200) -> list[str]:
    """Names in `directory` to complete from (at most `most`, for a huge directory)."""
    try:
        return sorted(p.name for _, p in zip(range(most), directory.expanduser().glob(pattern)))
    except OSError:
        return []


def in_terms_of(bad: InputError, typed: str) -> InputError:
    """The same error, naming the file as the learner typed it rather than by its whole path."""
    if "path" not in bad.facts:
        return bad
    return type(bad)(bad.problem, **{**bad.facts, "path": typed})


class PathPrompt(LabModal):
    """mode "save" dismisses with the path to write (str); mode "open" with an OpenedFile; both None on esc."""

    CSS_PATH = "forms.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="cancel")]
    PATTERN = "*.json"  # the names in the directory that complete
    FIRST = "#path"  # the field focused first

    def __init__(self, lang: str, mode: str = "save", suggestion: str = "", directory: str | Path | None = None):
        super().__init__(lang)
        self.mode, self.suggestion = mode, suggestion
        # Where a name without a directory goes; shown as given ("~" stays "~").
        self.directory = Path.cwd() if directory is None else Path(directory)
        self._replace: str | None = None  # the path the learner was asked about replacing

    def w(self, key: str, **values) -> str:
        return say(f"files.{key}", self.lang, **values)

    def compose(self) -> ComposeResult:
        with FormBody(classes="form-dialog"):
            yield Label(self.w(f"{self.mode}_title"), classes="form-title")
            yield from self.fields()
            yield Label(self.w("in_dir", directory=str(self.directory)), classes="hint")
            with Horizontal(classes="field path-field"):
                yield Label(self.w("path"), classes="label")
                yield Input(
                    self.suggestion,
                    suggester=SuggestFromList(files_here(self.directory, self.PATTERN)),
                    compact=True,
                    id="path",
                )
            yield Static("", id="path-error", classes="error")
            with Horizontal(id="form-buttons"):
                yield Button(self.w(self.mode), id="confirm", variant="primary", compact=True)
                yield Button(self.w("cancel"), id="cancel", compact=True)
                yield Hint(self.w(f"keys_{self.mode}"), classes="hint")

    def fields(self) -> ComposeResult:
        """Fields above the path (the export menu's kind)."""
        yield from ()

    def on_mount(self) -> None:
        self.query_one(self.FIRST).focus()

    # --- answering ---------------------------------------------------------------------------------

    def say_beside(self, message: str, warning: bool = False) -> None:
        error = self.query_one("#path-error", Static)
        error.update(message)
        error.set_class(warning, "-warning")

    @on(Input.Changed, "#path")
    def _path_changed(self) -> None:
        self._replace = None
        self.say_beside("")

    @on(Input.Submitted)
    @on(Button.Pressed, "#confirm")
    def action_confirm(self) -> None:
        if self._dismissing or self.app.screen is not self:  # two enters at once: one dismissal
            return
        path = self.query_one("#path", Input).value.strip()
        answer = self.answer(path)
        if answer is not None:
            self.close(answer)

    def whole(self, typed: str) -> str:
        """The path a typed name stands for: in the prompt's directory unless it names one."""
        if not typed.strip() or "\0" in typed:
            return typed  # refused as it is, by the checks
        return str(self.directory.expanduser() / os.path.expanduser(typed))

    def answer(self, typed: str):
        """What to dismiss with, or None after saying beside the field why not."""
        if self.mode == "open":
            path = self.whole(typed)
            try:
                return OpenedFile(path, read_session(path))
            except InputError as bad:
                self.say_beside(in_terms_of(bad, typed).message(self.lang))
                return None
        return self.writable(typed)

    def writable(self, typed: str) -> str | None:
        """The whole path if it may be written; asks before replacing a file (a second enter says yes)."""
        path = self.whole(typed)
        try:
            check_writable(path, overwrite=self._replace == path)
        except InputError as bad:
            if getattr(bad, "problem", None) == "exists":
                self._replace = path
                self.say_beside(self.w("replace", path=typed), warning=True)
            else:
                self.say_beside(in_terms_of(bad, typed).message(self.lang))
            return None
        return path

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.close(None)
