"""The command palette's entries: every action of the keys, findable by name (in both languages)."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from core.lessons import trained
from core.words import say
from tui.keys import bindings


class LabCommands(Provider):
    """Run, step, reset, open a lesson, change the lr or the speed, toggle panels, help."""

    def _commands(self) -> list[tuple[str, str, str]]:
        lang = self.app.lang
        commands = [(b.description, b.action, f"{b.id} · {b.key}") for b in bindings(lang) if b.id != "interrupt"]
        for lesson in trained():  # the neuron lesson joins when the app has its view (issue 10)
            commands.append(
                (
                    f"{say('key.lesson', lang)}: {lesson.title_in(lang)} ({lesson.id})",
                    f"open_lesson('{lesson.id}')",
                    lesson.id,
                )
            )
        return commands

    async def discover(self) -> Hits:
        for name, action, help_text in self._commands():
            yield DiscoveryHit(name, partial(self.app.run_action, action), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, action, help_text in self._commands():
            score = max(matcher.match(name), matcher.match(help_text))
            if score > 0:
                yield Hit(score, matcher.highlight(name), partial(self.app.run_action, action), help=help_text)
