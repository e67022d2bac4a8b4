"""Help: what each panel shows, and every key (as currently mapped) with its id for remapping."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from core.words import say
from tui.screens.modal import LabModal

PANELS = ("truth_table", "network", "loss_plot", "map", "weights", "status")


def help_text(app, lang: str) -> Text:
    text = Text()
    text.append(say("help.panels", lang) + "\n", Style(bold=True, underline=True))
    for key in PANELS:
        title = say({"weights": "app.weights_none", "map": "map.title"}.get(key, f"app.{key}"), lang)
        text.append(f"{title}: ", Style(bold=True))
        text.append(say(f"help.panel.{key}", lang) + "\n")
    text.append(say("course.title", lang) + ": ", Style(bold=True))
    text.append(say("help.course", lang) + "\n")
    text.append("\n" + say("help.keys", lang) + "\n", Style(bold=True, underline=True))
    for binding_id, keys, description in app.key_table():
        text.append(f"  {binding_id:<14}", Style(dim=True))
        text.append(f"{keys:<18}", Style(bold=True))
        text.append(description + "\n")
    text.append("\n" + say("help.remap", lang) + "\n", Style(dim=True))
    text.append(say("help.close", lang), Style(dim=True))
    return text


class HelpScreen(LabModal):
    BINDINGS = [
        Binding("escape", "close", "Close", id="close"),
        Binding("question_mark", "close", "Close", show=False, id="close"),
        Binding("q", "close", "Close", show=False, id="close"),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="dialog") as scroll:
            scroll.border_title = say("help.title", self.lang)
            yield Static(help_text(self.app, self.lang))

    def action_close(self) -> None:
        self.close()
