"""The perceptron rule's part of the app: d picks its truth table (AND, OR, XOR), and the keys the
rule has no use for (explain, η up and down, the seed sweep) say why in one line.

Everything else of the lesson is the run's as for any lesson: the trainer drives core.rule's
kernel, and the panels read the Frame's `rule` (mistakes so far, Novikoff's bound, the cycle).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from core.words import say

if TYPE_CHECKING:
    from tui.app import PerceptronLab

TABLES = ("and", "or", "xor")  # two that a line separates, one that none does
ONLY_HERE = {"next_table"}  # the keys of this lesson alone
NO_USE = {
    "explain": "why_explain",
    "lr": "why_lr",
    "sweep": "why_sweep",
    "surface": "why_surface",
}  # keys the rule has no use for


class RuleLesson:
    """The app's hold on the perceptron rule's lesson: its keys."""

    def __init__(self, app: PerceptronLab):
        self.app = app

    @property
    def on(self) -> bool:
        """Whether the lesson on screen is the perceptron rule's."""
        return self.app.live.lesson.rule

    def check_action(self, action: str) -> bool:
        """False (hidden, and the key says why) for a key this lesson has no use for, or for d elsewhere."""
        if action in ONLY_HERE:
            return self.on
        return not (self.on and action in NO_USE)

    def why_not(self, action: str, key: str) -> str | None:
        """Why a key hidden by check_action does nothing here, in one line (None: not one of them)."""
        if action in ONLY_HERE and not self.on:
            return say("app.rule.why_table", self.app.lang, key=key)
        if self.on and action in NO_USE:
            return say(f"app.rule.{NO_USE[action]}", self.app.lang, key=key)
        return None

    async def next_table(self) -> None:
        """Start the lesson again on the next table: AND, OR, XOR, AND... (the seed kept)."""
        app = self.app
        if not self.on:
            return
        from tui.run.live import LiveRun

        lesson, seed = app.live.lesson, app.live.seed
        current = lesson.config.dataset
        table = TABLES[(TABLES.index(current) + 1) % len(TABLES)] if current in TABLES else TABLES[0]
        await app.use_run(LiveRun(replace(lesson, config=lesson.config.with_(dataset=table, seed=seed)), app.epochs))
