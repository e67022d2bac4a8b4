"""Help: what each panel shows, and every key (as currently mapped) with its id for remapping."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.i18n import PANEL_HELP, panel_help, tr


def help_text(app, lang: str) -> Text:
    text = Text()
    text.append(tr("help_panels", lang) + "\n", Style(bold=True, underline=True))
    for key in PANEL_HELP:
        title = tr("weights_none" if key == "weights" else key, lang)
        text.append(f"{title}: ", Style(bold=True))
        text.append(panel_help(key, lang) + "\n")
    text.append("\n" + tr("help_keys", lang) + "\n", Style(bold=True, underline=True))
    for binding_id, keys, description in app.key_table():
        text.append(f"  {binding_id:<14}", Style(dim=True))
        text.append(f"{keys:<18}", Style(bold=True))
        text.append(description + "\n")
    text.append("\n" + tr("help_remap", lang) + "\n", Style(dim=True))
    text.append(tr("help_close", lang), Style(dim=True))
    return text


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Close"),
        Binding("question_mark", "app.pop_screen", "Close", show=False),
        Binding("q", "app.pop_screen", "Close", show=False),
    ]

    def __init__(self, lang: str):
        super().__init__()
        self.lang = lang

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="dialog") as scroll:
            scroll.border_title = tr("help_title", self.lang)
            yield Static(help_text(self.app, self.lang))
