"""What every screen on top of the lab has in common: it owns the keys while open (the app's keys
wait, see PerceptronLab.check_action), its keys are named in the learner's language, and it
dismisses itself once, however many keys arrive together."""

from __future__ import annotations

from dataclasses import replace

from textual.binding import Binding
from textual.screen import ModalScreen

from core.words import say
from tui.keys import localize

# The keys that move the epoch on view, on the screens that show the run (LabModal.action_browse).
BROWSE_BINDINGS = [
    Binding("left,left_square_bracket", "browse(-1)", "Back", id="back", key_display="←"),
    Binding("right,right_square_bracket", "browse(1)", "Fwd", id="forward", key_display="→"),
    Binding("pageup", "browse(-100)", "Back 100", id="back100", show=False),
    Binding("pagedown", "browse(100)", "Forward 100", id="forward100", show=False),
    Binding("home", "browse('first')", "First epoch", id="first", show=False),
    Binding("end", "browse('latest')", "Latest epoch", id="latest", show=False),
]


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

    def action_browse(self, move: int | str) -> None:
        """The epoch on view moved, for the screens that show the run and bind ←/→ to it (the hidden
        neurons, the loss surface)."""
        browse = getattr(self.app, "browse", None)  # the lab's; a test's bare app has none
        if browse is not None and self.app.screen is self:
            browse(move)
