"""The key rule (tui/key_rule.py) without a screen: which keys act, which are shown greyed and which
are hidden, for every state of the run. The Pilot tests press the keys; this states the rule whole."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from textual.binding import Binding

from core.words import say
from tui.key_rule import KeyRule
from tui.keys import KEY_DISPLAY, KEYS, TRAINING

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


def test_the_perceptron_rules_lesson_hides_the_keys_it_has_no_use_for_and_keeps_the_others():
    rule = _rule()
    rule.app.rule = SimpleNamespace(check_action=lambda action: action not in {"explain", "lr", "sweep"})
    for action in ("explain", "lr", "sweep"):  # e, +, -, w: the rule has no gradient, no learning rate
        assert rule.check(action) is HIDDEN, action
    for action in ("step", "run_pause", "move", "reset"):
        assert rule.check(action) is ACTS, action


# --- why a key does nothing: the one line it answers with (on_key shows it) ------------------------


def _keys(state="paused", on_main_screen=True, by_hand=False, locks_run=False, maps=True, screen_keys=()):
    """The rule of _rule() under an app with the real key table (tui/keys.py) and the learner's
    language, whose maps say why their hidden keys do nothing."""
    rule = _rule(state, on_main_screen=on_main_screen, by_hand=by_hand, maps=maps)
    app = rule.app
    app.lang = "en"
    app.course.locks_run = locks_run
    app.screen = SimpleNamespace(active_bindings=dict.fromkeys(screen_keys))  # the focused widget's own keys
    bindings: dict[str, list[Binding]] = {}
    for keys, action, binding_id, _ in KEYS:
        for key in keys.split(","):  # the footer's display of a key (← for left and [) rides on its binding
            bindings.setdefault(key, []).append(Binding(key, action, key_display=KEY_DISPLAY.get(binding_id)))
    app._bindings = SimpleNamespace(key_to_bindings=bindings)  # noqa: SLF001  (where Textual keeps them)
    app.get_key_display = lambda binding: binding.key_display or binding.key
    app.rule.why_not = lambda action, key: None  # the perceptron rule has nothing to say here
    app.maps.why_not = lambda action, key: f"{key}: the maps' reason"
    return rule


def test_a_hidden_map_key_says_the_maps_reason():
    assert _keys(maps=False).why_not("h") == "h: the maps' reason"


def test_the_training_keys_in_the_neuron_lesson_say_why_even_with_a_number_in_their_action():
    # n is step(1), N step(100), ← move(-1): the action's name is what the rule looks at
    for key in ("n", "N", "left", "left_square_bracket", "space", "r"):  # the key pressed, not the footer's ←
        assert _keys(by_hand=True).why_not(key) == say("app.why_by_hand", "en", key=key), key


def test_the_training_keys_wait_for_the_courses_prediction_and_say_so():
    for key in ("n", "space", "ctrl+n"):
        assert _keys(locks_run=True).why_not(key) == say("course.why_locked", "en", key=key), key


def test_a_key_that_acts_or_is_greyed_or_is_not_ours_says_nothing():
    assert _keys("paused").why_not("n") is None  # acts
    assert _keys("running").why_not("n") is None  # shown greyed: it will act once the run stops
    assert _keys("loading").why_not("space") is None
    assert _keys("paused").why_not("z") is None  # no key of ours: nothing to say, nothing broken
    assert _keys(by_hand=True).why_not("ctrl+n") is None  # the neuron lesson's key that starts a run
    assert _keys(maps=False).why_not("c") is None  # the course's keys, while it is hidden


def test_a_screen_on_top_or_a_focused_widget_owns_its_keys_and_the_rule_says_nothing():
    assert _keys(by_hand=True, on_main_screen=False).why_not("n") is None
    assert _keys(by_hand=True, screen_keys=["minus"]).why_not("minus") is None  # the neuron's own -
    assert _keys(by_hand=True, screen_keys=["minus"]).why_not("n") == say("app.why_by_hand", "en", key="n")


def test_the_lines_are_in_the_learners_language_and_name_the_action_to_the_perceptron_rule():
    rule = _keys(locks_run=True)
    rule.app.lang = "ko"
    assert rule.why_not("n") == say("course.why_locked", "ko", key="n")
    rule = _keys()
    rule.app.rule = SimpleNamespace(
        check_action=lambda action: action != "explain", why_not=lambda a, k: f"{k}: no {a}"
    )
    assert rule.why_not("e") == "e: no explain"  # the rule's lesson says why e does nothing there


def test_the_course_key_always_acts_and_its_other_keys_only_while_the_course_is_shown():
    from tui.course.course import Course

    for shown in (False, True):
        rule = _rule()
        rule.app.course = SimpleNamespace(
            locks_run=False,
            check_action=lambda action, shown=shown: Course.check_action(SimpleNamespace(shown=shown), action),
        )
        assert rule.check("course") is ACTS
        for action in ("course_go", "course_next", "course_back", "course_again"):
            assert rule.check(action) is shown, (action, shown)


def test_the_loss_surface_key_is_hidden_under_the_rules_lesson_greyed_until_the_engine_loads_and_not_a_maps_key():
    rule = _rule(maps=False)  # the maps' rule hides their keys; u is not one of them
    assert rule.check("surface") is ACTS
    rule.app.surfaces = SimpleNamespace(check_action=lambda: None)  # the engine still loading
    assert rule.check("surface") is GREYED
    rule.app.rule = SimpleNamespace(check_action=lambda action: action != "surface")  # the perceptron rule's lesson
    rule.app.surfaces = SimpleNamespace(check_action=lambda: True)
    assert rule.check("surface") is HIDDEN
