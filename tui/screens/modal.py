"""What every screen on top of the lab has in common: it owns the keys while open (the app's keys
wait, see PerceptronLab.check_action), its keys are named in the learner's language, and it
dismisses itself once, however many keys arrive together."""

from __future__ import annotations

from dataclasses import replace

from textual.screen import ModalScreen

from core.words import say
from tui.keys import localize


class LabModal(ModalScreen):
    def __init__(self, lang: str):
        super().__init__()
        self.lang = lang
        self._dismissing = False
        # Descriptions from the words' [key] table, by binding id (e.g. "cancel" -> key.cancel).
        named = [b for found in self._bindings.key_to_bindings.values() for b in found if b.id]
        self._bindings = localize(self._bindings, [replace(b, description=say(f"key.{b.id}", lang)) for b in named])

    def on_screen_resume(self) -> None:
        self._dismissing = False  # a screen kept installed (help) is shown again

    def close(self, result=None) -> None:
        """Dismiss with `result`, once: a second key (enter and escape together) finds it closing."""
        if self._dismissing or self.app.screen is not self:
            return
        self._dismissing = True
        self.dismiss(result)
