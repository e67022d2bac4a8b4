"""Which run the options describe: a lesson's (with train's options), or a saved session's.

`train LESSON [options]` and `train --open FILE [--epochs N]`, and `export SOURCE ...` where
SOURCE is a lesson id or a session file, all come here, so they agree on what a session file
allows: its settings are its own (the options that would change them are refused with it), and
--epochs continues it to epoch N.
"""

from __future__ import annotations

import argparse
import threading
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from core.cli.options import training_config
from core.config import TrainConfig
from core.errors import InputError
from core.files.session_file import SavedRun, read_session
from core.lessons import LESSONS, Lesson, lesson
from core.words import say

if TYPE_CHECKING:
    from core.trainer import Trainer

# The options that set a run's settings: a session file has its own.
SETTINGS_OPTIONS = ("dataset", "lr", "seed", "hidden", "activation", "optimizer", "loss")
RULE_FIXED = ("hidden", "activation", "optimizer", "loss")  # what the perceptron rule's lesson has no choice of


@dataclass(frozen=True)
class Run:
    """A run to make or to go on with: shown as `lesson` (its settings inside), trained to `epochs`."""

    lesson: Lesson
    epochs: int
    saved: SavedRun | None = None
    path: str | None = None  # the session file it came from

    @property
    def config(self) -> TrainConfig:
        return self.lesson.config

    @property
    def lesson_id(self) -> str | None:
        """The lesson it was made from, or None for an experiment of one's own (as a session file says)."""
        return self.saved.lesson_id if self.saved is not None else self.lesson.id

    def mismatch(self, history, lang: str) -> str | None:
        """The warning to give when replaying the saved run here did not record what it saved, else None."""
        return None if self.saved is None else self.saved.mismatch(history, self.path, lang)

    def trainer(self, stop: threading.Event | None = None) -> Trainer:
        """A trainer at the start of a new run, or with a saved run's epochs replayed exactly."""
        if self.saved is not None:
            return self.saved.replay(stop=stop)
        from core.trainer import Trainer

        return Trainer(self.config, rule=self.lesson.rule)


def planned_run(args: argparse.Namespace) -> Run:
    """The run that `args` (from core.cli.options.add_training) describe; a bad combination is one
    line and exit status 2 (args.parser.error)."""
    error, lang = args.parser.error, args.lang
    path = _session_path(args)
    if path is None:
        if LESSONS[args.lesson].rule:  # one threshold unit: no layers, activation, optimizer or loss to choose
            given = [f"--{name}" for name in RULE_FIXED if getattr(args, name, None) is not None]
            if given:
                error(say("cli.rule.no_option", lang, lesson=args.lesson, option=given[0]))
        config, chosen, epochs = training_config(args)
        return Run(replace(chosen, config=config, epochs=epochs), epochs)
    given = [f"--{name}" for name in SETTINGS_OPTIONS if getattr(args, name, None) is not None]
    if given:
        error(say("cli.save.settings_from_file", lang, option=given[0]))
    try:
        saved = read_session(path)
    except InputError as bad:
        error(bad.message(lang))
    epochs = args.epochs or saved.goal
    if epochs < saved.last_epoch:
        error(say("cli.save.epochs_before", lang, epochs=epochs, last=saved.last_epoch))
    return Run(replace(saved.lesson, epochs=saved.epochs), epochs, saved, path)


def _session_path(args: argparse.Namespace) -> str | None:
    error, lang = args.parser.error, args.lang
    if hasattr(args, "source"):  # export SOURCE: a lesson id first, else a file
        try:
            args.lesson = lesson(args.source).id
            return None
        except InputError:
            if not Path(args.source).exists():
                error(say("cli.save.source_unknown", lang, value=args.source, lessons=", ".join(LESSONS)))
            return args.source
    if (args.lesson is None) == (args.open is None):
        error(say("cli.save.lesson_or_open", lang))
    return args.open
