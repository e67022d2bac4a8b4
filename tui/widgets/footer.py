"""A Footer that greys and ungreys its keys in place.

Textual's Footer rebuilds itself (a widget per key, mounted, styled, laid out) whenever a screen's
bindings are refreshed, and the app refreshes them on every change of state: pausing at max speed
greys nothing new, yet cost ~35 ms of the UI thread and a layout pass, after the panels the pause
must send. When the keys and their words are the ones on show, only their enabled state changes:
this footer sets that on the keys it has, and rebuilds only when the keys themselves change (a
language, a lesson with other keys, a screen's own).
"""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey


class SteadyFooter(Footer):
    _shown: tuple | None = None  # the keys (without their enabled state) of the last rebuild

    def _keys(self, screen: Screen) -> tuple[tuple, dict[tuple[str, str], bool]]:
        """What the footer shows, less the enabled state; and each shown key's enabled state."""
        active = screen.active_bindings
        shown = [(binding, enabled) for (_, binding, enabled, _) in active.values() if binding.show]
        palette = active.get(self.app.COMMAND_PALETTE_BINDING)
        if self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE and palette is not None:
            shown.append((palette[1], palette[2]))
        layout = tuple((b.key, b.action, b.description, self.app.get_key_display(b), id(b.group)) for b, _ in shown)
        return layout, {(b.key, b.action): enabled for b, enabled in shown}

    def compose(self):
        if self._bindings_ready:
            self._shown = self._keys(self.screen)[0]
        yield from super().compose()

    def bindings_changed(self, screen: Screen) -> None:
        if self._shown is None or not self.is_attached or screen is not self.screen or not screen.app.app_focus:
            super().bindings_changed(screen)
            return
        layout, enabled = self._keys(screen)
        keys = list(self.query(FooterKey))
        if layout != self._shown or any((key.key, key.action) not in enabled for key in keys):
            super().bindings_changed(screen)
            return
        for key in keys:
            on = enabled[(key.key, key.action)]
            if key._disabled == on:  # a private flag of FooterKey: a click on a greyed key rings the bell
                key._disabled = not on
                key.set_class(not on, "-disabled")
