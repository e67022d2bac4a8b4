"""The key rule (tui/key_rule.py) without a screen: which keys act, which are shown greyed and which
are hidden, for every state of the run. The Pilot tests press the keys; this states the rule whole."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tui.key_rule import KeyRule
from tui.keys import TRAINING

ACTS, GREYED, HIDDEN = True, None, False


def _rule(state="paused", on_main_screen=True, by_hand=False, explaining=False, can_explain=True, maps=True):
    app = SimpleNamespace(
        state=state,
        on_main_screen=on_main_screen,
        explaining=explaining,
        neuron=SimpleNamespace(by_hand=by_hand),
        explanations=SimpleNamespace(can_explain=lambda: can_explain),
        maps=SimpleNamespace(check_action=lambda action: maps),
        # the features merged beside this rule's first tests, each letting every key through: no
        # course question waiting, a lesson with a use for every key (the perceptron rule's own
        # rule is tested in test_rule_app.py), the surface at hand
        course=SimpleNamespace(locks_run=False, check_action=lambda action: False),
        rule=SimpleNamespace(check_action=lambda action: True),
        surfaces=SimpleNamespace(check_action=lambda: True),
    )
    return KeyRule(app)


def test_at_rest_every_training_key_acts():
    rule = _rule("paused")
    assert {action: rule.check(action) for action in TRAINING} == dict.fromkeys(TRAINING, ACTS)
    assert _rule("ready").check("step") is ACTS and _rule("finished").check("first") is ACTS


def test_while_training_the_keys_that_move_the_epoch_are_greyed_and_the_others_act():
    rule = _rule("running")
    for action in ("step", "move", "first", "latest"):
        assert rule.check(action) is GREYED, action
    for action in ("run_pause", "speed", "lr", "reset", "save_session"):
        assert rule.check(action) is ACTS, action


def test_while_loading_or_explaining_the_training_keys_are_greyed():
    for rule in (_rule("loading"), _rule("paused", explaining=True)):
        for action in TRAINING - {"explain"}:
            assert rule.check(action) is GREYED, action


def test_explain_acts_when_the_epoch_can_be_explained():
    assert _rule(can_explain=True).check("explain") is ACTS
    assert _rule(can_explain=False).check("explain") is False
    assert _rule("loading", can_explain=True).check("explain") is ACTS


def test_a_screen_on_top_owns_the_keys_but_ctrl_c_always_acts():
    rule = _rule(on_main_screen=False)
    for action in (*TRAINING, "hidden_neurons", "help"):
        assert rule.check(action) is HIDDEN, action
    assert rule.check("interrupt") is ACTS
    assert rule.check("focus_next") is ACTS  # Textual's own: the form on top needs it


@pytest.mark.parametrize("state", ["ready", "running", "loading"])
def test_the_lesson_with_no_run_keeps_only_the_keys_that_start_one(state):
    rule = _rule(state, by_hand=True)
    for action in TRAINING:
        assert rule.check(action) is (action in {"new_experiment", "open_session"}), action
    for action in ("hidden_neurons", "slice", "toggle_accuracy"):
        assert rule.check(action) is HIDDEN, action


def test_the_maps_keys_follow_the_maps_rules():
    assert _rule(maps=False).check("hidden_neurons") is False
    assert _rule(maps=True).check("hidden_neurons") is True
    assert _rule(maps=None).check("slice") is None
