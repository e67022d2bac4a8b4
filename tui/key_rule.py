"""Which of the app's keys act now, and why one does not: the key rule of tui/app.py's docstring.

A screen on top owns the keys; while a lesson loads (or an epoch is being explained) the keys that
change or read the run are greyed; the lesson with no run hides the training keys; a key that
cannot act here says why in one line rather than nothing at all.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from core.words import say
from tui.keys import ACTIONS, ALWAYS, BY_HAND, COURSE, RUN_VIEWS, TRAINING

if TYPE_CHECKING:
    from tui.app import PerceptronLab


class KeyRule:
    """The app's check_action, and the line a hidden key answers with."""

    def __init__(self, app: PerceptronLab):
        self.app = app

    def check(self, action: str) -> bool | None:
        """check_action's answer: True acts, None is shown greyed, False is hidden."""
        app = self.app
        if action in ALWAYS or action not in ACTIONS:
            return True
        if not app.on_main_screen:
            return False  # a screen on top owns the keys (and the footer shows its own)
        if action in COURSE:
            return app.course.check_action(action)  # the course's own keys: while it is shown
        if action in TRAINING and app.course.locks_run:
            return False  # the step's question comes first: the run waits for the prediction (the key says why)
        by_hand = app.neuron.by_hand
        if action not in TRAINING:
            if by_hand and action in RUN_VIEWS:
                return False  # no run: nothing to map
            if action == "surface":  # none under the rule's step (the key says why)
                return app.rule.check_action(action) and app.surfaces.check_action()
            return app.maps.check_action(action)  # the maps' own rules (their keys: x, h)
        if by_hand:
            return action in BY_HAND  # no run: the other keys are the neuron's (its ←, →, +, -)
        if not app.rule.check_action(action):
            return False  # d outside the rule's lesson; e, +, -, w in it (the key says why)
        if action == "explain":
            return app.explanations.can_explain()
        if app.state == "loading" or app.explaining:
            return None  # shown, greyed: keys are taken once the engine is ready (or has explained)
        if app.state == "running" and action in {"step", "move", "first", "latest"}:
            return None
        return True

    def why_not(self, key: str) -> str | None:
        """Why a key of ours does nothing here (check hides it), in one line: x on a table of two
        inputs, h on a network with no hidden layer, the training keys in the neuron lesson.
        None for a key that acts here (the neuron's +, -, ←, →), is shown greyed, or is not ours."""
        app = self.app
        if not app.on_main_screen or key in app.screen.active_bindings:
            return None
        for binding in app._bindings.key_to_bindings.get(key, ()):
            action = binding.action.partition("(")[0]
            if action not in ACTIONS or self.check(action) is not False:
                continue
            shown = app.get_key_display(replace(binding, key=key, key_display=None))
            if action in COURSE:
                return None  # the course's keys, while it is hidden: nothing to say
            if action in TRAINING and app.course.locks_run:
                return say("course.why_locked", app.lang, key=shown)
            if app.neuron.by_hand and action not in BY_HAND:
                return say("app.why_by_hand", app.lang, key=shown)
            return app.rule.why_not(action, shown) or app.maps.why_not(action, shown)
        return None
