"""The command palette: every action of the keys, findable by name (in the learner's language), and
a palette that holds when keys arrive together."""

from __future__ import annotations

from contextlib import suppress
from functools import partial

from textual import work
from textual.binding import Binding
from textual.command import CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.css.query import NoMatches

from core.lessons import LESSONS
from core.words import say
from tui.keys import bindings


class LabCommands(Provider):
    """Run, step, reset, open a lesson, change the lr or the speed, toggle panels, help."""

    def _commands(self) -> list[tuple[str, str, str]]:
        lang = self.app.lang
        commands = [(b.description, b.action, f"{b.id} · {b.key}") for b in bindings(lang) if b.id != "interrupt"]
        for lesson in LESSONS.values():  # the neuron lesson first
            name = f"{say('key.lesson', lang)}: {lesson.title_in(lang)} ({lesson.id})"
            commands.append((name, f"open_lesson('{lesson.id}')", lesson.id))
        return commands

    async def discover(self) -> Hits:
        for name, action, help_text in self._commands():
            yield DiscoveryHit(name, partial(self.app.run_action, action), help=help_text)

    async def search(self, query: str) -> Hits:
        # Matched on the name only: the help text lists keys such as "ctrl+q", and typing "+"
        # must find "lr+", not rank Quit first.
        matcher = self.matcher(query)
        for name, action, help_text in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), partial(self.app.run_action, action), help=help_text)


class LabCommandPalette(CommandPalette):
    """Textual's palette, made to hold under keys arriving together: it dismisses once (a second
    dismissal would pop the screen beneath), page keys on a list not yet drawn do nothing, and a
    search still running when the palette closes ends quietly."""

    # Page keys go through the palette's own guard below even when its list has the focus, where
    # Textual's OptionList raised KeyError on a list not yet laid out.
    BINDINGS = [
        Binding("pagedown", "command_list('page_down')", show=False, priority=True),
        Binding("pageup", "command_list('page_up')", show=False, priority=True),
    ]

    _dismissed = False

    def dismiss(self, result=None):
        if self._dismissed or self.app.screen is not self:
            return None
        self._dismissed = True
        return super().dismiss(result)

    def _action_command_list(self, action: str) -> None:
        with suppress(KeyError, IndexError):  # OptionList's page moves before its lines are laid out
            super()._action_command_list(action)

    @work(exclusive=True, group=CommandPalette._GATHER_COMMANDS_GROUP, exit_on_error=False)
    async def _gather_commands(self, search_value: str) -> None:
        with suppress(NoMatches):  # closed while it was still searching
            await CommandPalette._gather_commands.__wrapped__(self, search_value)
