"""The app's messages on the main view, in a line of their own above the status line.

Textual shows a notification as a toast drawn over the panels, and its compositor cuts every row
at each panel's edge, the panels under the toast included: a Korean character of the toast that
crossed such an edge was lost, two spaces in its place. This line is part of the layout, as
wide as the screen, so nothing is drawn over anything: it holds the newest message until its time
is up (Textual's own notification list, which tests read, is kept as it is).
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text

from tui.widgets.line_panel import TextPanel

STYLES = {"information": Style(color="cyan"), "warning": Style(color="yellow"), "error": Style(color="red", bold=True)}


class MessageLine(TextPanel):
    """The newest message, until `timeout` seconds have passed; hidden when there is none."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._timer = None
        self.words = ""  # what it says now ("" when hidden)

    def say(self, words: str, severity: str, timeout: float) -> None:
        self.words = words
        self.set_text(Text(words, STYLES.get(severity, STYLES["information"])))
        self.add_class("-shown")
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(timeout, self.clear)

    def clear(self) -> None:
        self.words = ""
        self.remove_class("-shown")
