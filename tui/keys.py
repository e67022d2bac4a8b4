"""The app's keys: one table, so the footer, help, command palette and --keymap agree."""

from __future__ import annotations

from textual.binding import Binding

from tui.i18n import tr

# (key, action, id, description key, shown in the footer): in the order the footer shows them,
# the ones a learner needs first, so that help and quit are still there at 80 columns.
KEYS = [
    ("question_mark", "help", "help", "b_help", True),
    ("space", "run_pause", "run", "b_run", True),
    ("n", "step(1)", "step", "b_step", True),
    ("N", "step(100)", "step100", "b_step100", True),
    ("left,left_square_bracket", "move(-1)", "back", "b_back", True),
    ("right,right_square_bracket", "move(1)", "forward", "b_forward", True),
    ("s", "speed(1)", "faster", "b_faster", True),
    ("l", "pick_lesson", "lesson", "b_lesson", True),
    ("q,ctrl+q", "quit", "quit", "b_quit", True),
    ("r", "reset", "reset", "b_reset", True),
    ("plus,equals_sign", "lr(1)", "lr_up", "b_lr_up", True),
    ("minus", "lr(-1)", "lr_down", "b_lr_down", True),
    ("t", "toggle_notes", "notes", "b_notes", True),
    ("S", "speed(-1)", "slower", "b_slower", False),
    ("pageup", "move(-100)", "back100", "b_back100", False),
    ("pagedown", "move(100)", "forward100", "b_forward100", False),
    ("home", "first", "first", "b_first", False),
    ("end", "latest", "latest", "b_latest", False),
    ("R", "reseed", "reseed", "b_reseed", False),
    ("a", "toggle_accuracy", "accuracy", "b_accuracy", False),
    ("L", "toggle_language", "language", "b_language", False),
    ("ctrl+c", "interrupt", "interrupt", "b_interrupt", False),
]
KEY_DISPLAY = {"back": "←", "forward": "→", "quit": "q", "lr_up": "+", "lr_down": "-"}
PRIORITY = {"back", "forward", "back100", "forward100", "first", "latest", "interrupt"}
TRAINING = {"run_pause", "step", "move", "first", "latest", "reset", "reseed", "lr", "speed"}


def bindings(lang: str) -> list[Binding]:
    return [
        Binding(
            key,
            action,
            tr(desc, lang),
            show=shown,
            id=binding_id,
            key_display=KEY_DISPLAY.get(binding_id),
            # Epoch keys win over the panels' own scrolling keys; those panels scroll with ↑/↓,
            # shift+←/→ and the mouse.
            priority=binding_id in PRIORITY,
        )
        for key, action, binding_id, desc, shown in KEYS
    ]
