"""The export menu: what to export the run as (script, csv, state-dict, svg), and where.

The kinds are the command line's (`perceptron-lab export --to`); the path is checked the same way
and a file that exists is replaced only after a second enter. Dismisses with an ExportChoice, which
the app carries out (core.files.exports; the screen itself for svg), or None.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.widgets import Input

from core.cli.export import KINDS
from tui.files.experiment_form import field_row
from tui.files.path_prompt import PathPrompt
from tui.widgets.option_list import Select

SUFFIXES = {"script": ".py", "csv": ".csv", "state-dict": ".pt", "svg": ".svg"}


@dataclass(frozen=True)
class ExportChoice:
    kind: str  # one of KINDS
    path: str
    epoch: int  # the epoch on view: what state-dict and svg show


def suggested_name(base: str, kind: str, epoch: int) -> str:
    """xor-mlp.py, xor-mlp.csv, xor-mlp-epoch-2000.pt, xor-mlp-epoch-2000.svg."""
    at = f"-epoch-{epoch}" if kind in ("state-dict", "svg") else ""
    return f"{base}{at}{SUFFIXES[kind]}"


class ExportMenu(PathPrompt):
    PATTERN = "*.*"
    FIRST = "#kind"

    def __init__(
        self,
        lang: str,
        base: str,
        epoch: int,
        kind: str = "script",
        directory: str | Path | None = None,
        kinds: tuple[str, ...] = KINDS,
    ):
        # The perceptron rule's run has no notebook script (the script trains by gradient descent).
        self.base, self.epoch, self.kinds = base, epoch, kinds
        self.kind = kind if kind in kinds else kinds[0]
        super().__init__(lang, "export", suggested_name(base, self.kind, epoch), directory)

    def fields(self) -> ComposeResult:
        options = [(self.w(f"kind_{k.replace('-', '_')}", epoch=self.epoch), k) for k in self.kinds]
        kinds = Select(options, value=self.kind, allow_blank=False, compact=True, id="kind")
        yield field_row("kind", self.w("kind"), kinds)

    @on(Select.Changed, "#kind")
    def _kind_chosen(self, event: Select.Changed) -> None:
        field = self.query_one("#path", Input)
        if field.value == suggested_name(self.base, self.kind, self.epoch):  # not typed over: follow the kind
            field.value = suggested_name(self.base, str(event.value), self.epoch)
        self.kind = str(event.value)

    def answer(self, typed: str) -> ExportChoice | None:
        path = self.writable(typed)
        return None if path is None else ExportChoice(self.kind, path, self.epoch)
