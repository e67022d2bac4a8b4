"""The app's keys: one table, so the footer, help, command palette and --keymap agree."""

from __future__ import annotations

from dataclasses import replace

from textual.binding import Binding, BindingsMap
from textual.keys import Keys, _character_to_key

from core.errors import InputError
from core.lang import next_lang
from core.words import name_of, say

# (key, action, id, shown in the footer), in the order the footer shows them: the ones a learner
# needs first, so that help and quit are still there at 80 columns. Descriptions: the words' [key].
KEYS = [
    ("question_mark", "help", "help", True),
    ("space", "run_pause", "run", True),
    ("n", "step(1)", "step", True),
    ("N", "step(100)", "step100", True),
    ("m", "map_view", "map", True),
    ("d", "next_table", "table", True),
    ("e", "explain", "explain", True),
    ("left,left_square_bracket", "move(-1)", "back", True),
    ("right,right_square_bracket", "move(1)", "forward", True),
    ("s", "speed(1)", "faster", True),
    ("l", "pick_lesson", "lesson", True),
    ("q,ctrl+q", "quit", "quit", True),
    ("r", "reset", "reset", False),
    ("plus,equals_sign", "lr(1)", "lr_up", False),
    ("minus", "lr(-1)", "lr_down", False),
    ("t", "toggle_notes", "notes", True),
    ("S", "speed(-1)", "slower", False),
    ("pageup", "move(-100)", "back100", False),
    ("pagedown", "move(100)", "forward100", False),
    ("home", "first", "first", False),
    ("end", "latest", "latest", False),
    ("R", "reseed", "reseed", False),
    ("a", "toggle_accuracy", "accuracy", False),
    ("L", "toggle_language", "language", False),
    ("h", "hidden_neurons", "hidden", False),
    ("x", "slice", "slice", False),
    ("u", "surface", "surface", False),
    ("ctrl+n", "new_experiment", "experiment", False),
    ("ctrl+s", "save_session", "save", False),
    ("ctrl+o", "open_session", "open", False),
    ("ctrl+e", "export", "export", False),
    ("escape", "cancel_open", "cancel_open", False),
    ("w", "sweep", "sweep", False),
    ("ctrl+c", "interrupt", "interrupt", False),
    # The course (tui/course): c shows or hides it from anywhere; enter predicts, compares, goes on.
    ("c", "course", "course", False),
    ("enter", "course_go", "course_go", True),
    ("greater_than_sign", "course_next", "course_next", False),
    ("less_than_sign", "course_back", "course_back", False),
    ("o", "course_again", "course_again", False),
]
KEY_DISPLAY = {
    "back": "←",
    "forward": "→",
    "quit": "q",
    "lr_up": "+",
    "lr_down": "-",
    "course_next": ">",
    "course_back": "<",
}
PRIORITY = {"back", "forward", "back100", "forward100", "first", "latest", "interrupt"}
# The actions that change or read the run: greyed while a lesson loads (or a saved run replays, or
# an epoch is being explained), hidden for the lesson with no run but for BY_HAND.
TRAINING = {"run_pause", "step", "move", "first", "latest", "reset", "reseed", "lr", "speed", "explain"}
TRAINING |= {"new_experiment", "save_session", "open_session", "export", "sweep", "next_table"}
BY_HAND = {"new_experiment", "open_session"}  # what the lesson with no run can do: start one
# The views of a run (its hidden neurons, accuracy on the plot, the loss surface): hidden for the
# lesson with no run (whose map, m, shows the neuron's line).
RUN_VIEWS = {"hidden_neurons", "slice", "toggle_accuracy", "surface"}
# What acts even while a screen is on top: ctrl+c (stop training, then quit).
ALWAYS = {"interrupt"}
# The app's own actions: the rules above are for these. Textual's (tab's focus_next, ...) serve
# the screen on top as they would anywhere: a form's fields need them.
ACTIONS = {action.partition("(")[0] for _, action, _, _ in KEYS}
COURSE = {"course", "course_go", "course_next", "course_back", "course_again"}


def localize(current: BindingsMap, ours: list[Binding]) -> BindingsMap:
    """`current` (with any remapped keys) with our descriptions in another language, matched by id."""
    by_id = {binding.id: binding for binding in ours}
    merged = BindingsMap()
    for key, found in current.key_to_bindings.items():
        merged.key_to_bindings[key] = [
            replace(b, description=by_id[b.id].description) if b.id in by_id else b for b in found
        ]
    return merged


def bindings(lang: str, described: dict[str, str] | None = None) -> list[Binding]:
    """The key table as Textual's bindings, in `lang`; `described` gives some ids a description of
    the moment (the course's enter: predict, compare, next step)."""
    described = described or {}
    return [
        Binding(
            key,
            action,
            described.get(binding_id)
            or (name_of(next_lang(lang)) if binding_id == "language" else say(f"key.{binding_id}", lang)),
            show=shown,
            id=binding_id,
            key_display=KEY_DISPLAY.get(binding_id),
            # Epoch keys win over the panels' own scrolling keys; those panels scroll with ↑/↓,
            # shift+←/→ and the mouse.
            priority=binding_id in PRIORITY,
        )
        for key, action, binding_id, shown in KEYS
    ]


MODIFIERS = ("ctrl", "shift", "alt", "meta", "super")
KEY_NAMES = {key.value for key in Keys} | {_character_to_key(chr(c)) for c in range(33, 127)} | {"space"}


def key_name(text: str) -> str | None:
    """Textual's name for a key as typed on the command line ("," -> "comma", "ctrl+j"), or None."""
    if len(text) == 1 and text.isprintable() and not text.isspace():
        return _character_to_key(text)
    *mods, base = text.strip().split("+")
    if not base or any(m.lower() not in MODIFIERS for m in mods):
        return None
    base = _character_to_key(base) if len(base) == 1 else base.lower()
    if base not in KEY_NAMES:
        return None
    return "+".join([*(m.lower() for m in mods), base])


def check_keymap(items: list[str]) -> dict[str, str]:
    """--keymap ID=KEY[,KEY] items as Textual's keymap {id: "key,key"}; InputError for an unknown id,
    a name that is not a key, or a key another action keeps."""
    ids = [binding_id for _, _, binding_id, _ in KEYS]
    keymap: dict[str, str] = {}
    for item in items:
        binding_id, _, keys = item.partition("=")
        if binding_id not in ids or not keys.strip():
            raise InputError("keymap", ids=", ".join(ids), value=item)
        names = []
        for typed in keys.split(",") if keys != "," else [","]:
            name = key_name(typed.strip()) if typed.strip() else None
            if name is None:
                raise InputError("keymap_bad_key", value=item, key=typed)
            names.append(name)
        keymap[binding_id] = ",".join(names)
    owners: dict[str, str] = {}
    for key, _, binding_id, _ in KEYS:
        for name in keymap.get(binding_id, key).split(","):
            if name in owners and owners[name] != binding_id:
                taken = next(i for i in (binding_id, owners[name]) if i in keymap)
                owner = owners[name] if taken == binding_id else binding_id
                raise InputError("keymap_taken", value=f"{taken}={keymap[taken]}", key=name, owner=owner)
            owners[name] = binding_id
    return keymap
