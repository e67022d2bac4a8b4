"""Session files: a run saved as readable JSON, and opened again exactly as it was.

A session file holds the recipe of a run, not its numbers: the configuration (with the seed and
the starting learning rate), every later learning-rate change as [epoch, lr] (from that epoch's
update on; a branch with a new lr is such a change in the history it left), how far it was
trained, its goal and the epoch on view. Opening it replays the run from its seed: the engine is
deterministic and its numerics are pinned (core.numerics), so the replay gives every epoch's loss,
predictions, weights and gradients bit for bit. Why replay rather than stored checkpoints: a
100,000-epoch xor-mlp run saves in about 1 KB instead of about 10 MB, opens in a few seconds
(the time it took to train), and cannot hold numbers that disagree with its own settings
(`make bench` measures both ways; docs/benchmarks.md has the figures). The file also keeps a SHA-256 of
every epoch's loss and predictions, so opening it on a machine that computes differently (another
torch version, an ARM CPU) is noticed and said, rather than silently showing other numbers.

```json
{
  "format": "perceptron-lab session",
  "version": 1,
  "saved_by": "perceptron-lab 0.1.0, torch 2.13.0+cpu",
  "lesson": null,
  "config": {
    "dataset": "xnor",
    "hidden": [3],
    "activation": "tanh",
    "optimizer": "sgd",
    "loss": "bce",
    "lr": 1.0,
    "seed": 5
  },
  "epochs": 800,
  "goal": 800,
  "last_epoch": 800,
  "view": null,
  "lr_changes": [
    [401, 0.1]
  ],
  "record": {"last_loss": 0.0123, "sha256": "..."}
}
```

Opening never runs anything from the file (JSON only), reads at most MAX_BYTES, and refuses
every malformed file with one FileError (words under [session]): what is wrong, where.
"""

from __future__ import annotations

import json
import math
import os
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from core.config import MAX_EPOCHS, TrainConfig, check_lr
from core.errors import InputError
from core.files import strict_json
from core.files.files import FileError, atomic_write, read_limited
from core.lessons import LESSONS, Experiment, Lesson
from core.version import PROG, torch_version, version
from core.words import Phrase, say

if TYPE_CHECKING:
    from core.history import History
    from core.trainer import Trainer

FORMAT = "perceptron-lab session"
VERSION = 1
MAX_BYTES = 8 * 2**20  # a session file is about 1 KB; 8 MB leaves room for 300,000 lr changes
REPLAY_CHUNK = 2000  # epochs between looks at the stop flag and reports of progress while opening
CONFIG_FIELDS = ("dataset", "hidden", "activation", "optimizer", "loss", "lr", "seed")
FIELDS = ("format", "version", "saved_by", "lesson", "config", "epochs", "goal", "last_epoch", "view", "lr_changes")
FIELDS += ("record",)
OPTIONAL = {"saved_by"}


@dataclass(frozen=True)
class Record:
    """What the saved run recorded, to check a replay against: its last loss and a hash of every epoch."""

    last_loss: float | None  # None when it was not finite (a run that blew up)
    sha256: str


@dataclass(frozen=True)
class SavedRun:
    """A run as a session file holds it. `lr_changes`: (first epoch, lr) after epoch 0, whose lr is
    `config.lr`. `epochs` is the run's length (what the app adds to a finished run), `goal` the
    epoch it was training towards, `last_epoch` how far it got, `view` the epoch on view (None: the
    latest). `lesson_id` names the lesson it was made from, or None for an experiment of one's own."""

    config: TrainConfig
    last_epoch: int
    epochs: int
    goal: int
    lr_changes: tuple[tuple[int, float], ...] = ()
    lesson_id: str | None = None
    view: int | None = None
    record: Record | None = field(default=None, compare=False)

    @classmethod
    def of(
        cls,
        trainer: Trainer,
        lesson_id: str | None,
        epochs: int,
        goal: int | None = None,
        view: int | None = None,
    ) -> SavedRun:
        """The session of a trainer's run as it is now (any thread that is not training it)."""
        history = trainer.history
        (_, first_lr), *later = history.lr_changes()
        run = cls(
            config=trainer.config.with_(lr=first_lr),
            last_epoch=history.last_epoch,
            epochs=epochs,
            goal=max(goal or epochs, history.last_epoch),
            lr_changes=tuple(later),
            lesson_id=lesson_id,
            view=view,
            record=record_of(history),
        )
        return loads(run.to_json(), "<session>")  # never write what would be refused on opening

    @property
    def lesson(self) -> Lesson:
        """What the app shows it as: the lesson it came from (with this run's settings), or an Experiment."""
        if self.lesson_id is None:
            return Experiment(config=self.config, epochs=self.epochs)
        return replace(LESSONS[self.lesson_id], config=self.config, epochs=self.epochs)

    def lr_at(self, epoch: int) -> float:
        """The learning rate of this epoch's update."""
        lr = self.config.lr
        for first, changed in self.lr_changes:
            if first > epoch:
                break
            lr = changed
        return lr

    # --- writing ---------------------------------------------------------------------------------

    def document(self) -> dict:
        return {
            "format": FORMAT,
            "version": VERSION,
            "saved_by": f"{PROG} {version()}, torch {torch_version()}",
            "lesson": self.lesson_id,
            "config": {**{k: getattr(self.config, k) for k in CONFIG_FIELDS}, "hidden": list(self.config.hidden)},
            "epochs": self.epochs,
            "goal": self.goal,
            "last_epoch": self.last_epoch,
            "view": self.view,
            "lr_changes": [list(change) for change in self.lr_changes],
            "record": None if self.record is None else self.record.__dict__,
        }

    def to_json(self) -> str:
        """The file's text: one field a line, the config's too, one lr change a line; floats as repr
        (they read back exactly), any alphabet as itself."""

        def compact(value) -> str:
            return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(", ", ": "))

        def block(items: list[str], indent: str, open_: str, close: str) -> str:
            if not items:
                return open_ + close
            return open_ + "\n" + ",\n".join(indent + "  " + item for item in items) + "\n" + indent + close

        doc = self.document()
        lines = []
        for key, value in doc.items():
            if key == "config":
                text = block([f"{compact(k)}: {compact(v)}" for k, v in value.items()], "  ", "{", "}")
            elif key == "lr_changes":
                text = block([compact(pair) for pair in value], "  ", "[", "]")
            else:
                text = compact(value)
            lines.append(f"{compact(key)}: {text}")
        return block(lines, "", "{", "}") + "\n"

    # --- bringing it back ------------------------------------------------------------------------

    def replay(
        self,
        stop: threading.Event | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> Trainer | None:
        """A Trainer that has run this session's epochs again, with its learning rates: exactly the
        saved run. None if `stop` was set first. `progress(epoch, last_epoch)` is called as it goes.
        Imports torch."""
        from core.trainer import Trainer

        trainer = Trainer(self.config, rule=self.lesson.rule)
        changes = list(self.lr_changes)
        target = self.last_epoch
        while trainer.epoch <= target and trainer.blowup is None:
            if stop is not None and stop.is_set():
                return None
            while changes and changes[0][0] <= trainer.epoch:
                trainer.set_lr(changes.pop(0)[1])
            until = min(target, trainer.epoch + REPLAY_CHUNK - 1, (changes[0][0] - 1) if changes else target)
            trainer.run(to_epoch=until)
            if progress is not None:
                progress(trainer.history.last_epoch, target)
        if trainer.blowup is None:
            for first, lr in changes:  # a change after the last epoch: the lr the run goes on with
                if first == trainer.epoch:
                    trainer.set_lr(lr)
        return trainer

    def matches(self, history: History) -> bool:
        """Whether a replay recorded exactly what the saved run did (True when the file has no record)."""
        if self.record is None:
            return True
        return history.last_epoch == self.last_epoch and history.fingerprint() == self.record.sha256

    def mismatch(self, history: History, path: str, lang: str) -> str | None:
        """The warning to give when replaying this run (from the file at `path`) did not record what
        it saved, in words; None when it did."""
        if self.matches(history):
            return None
        saved = "null" if self.record.last_loss is None else f"{self.record.last_loss:.6g}"
        here = f"{history.loss(history.last_epoch):.6g}"
        return say("session.mismatch", lang, path=path, loss=here, saved=saved)


def record_of(history: History) -> Record:
    last = history.loss(history.last_epoch)
    return Record(last_loss=last if math.isfinite(last) else None, sha256=history.fingerprint())


# --- saving and opening ------------------------------------------------------------------------------


def save_session(path: str | os.PathLike, run: SavedRun) -> None:
    """Write the session to `path` atomically (core.files.files): the old file stays whole until the new one is."""
    atomic_write(path, run.to_json().encode("utf-8"))


def read_session(path: str | os.PathLike) -> SavedRun:
    """The session in the file at `path`, checked in full; FileError (one line in words) if it is not one.

    Pure Python: torch is not loaded, nothing from the file is run. Replay it with `.replay()`.
    """
    data = read_limited(path, MAX_BYTES)
    return loads(data, str(path))


def loads(data: bytes | str, path: str) -> SavedRun:
    """A session from the file's bytes (or text); `path` is only for the messages."""
    return _from_document(strict_json.parse(data, path), path)


# --- checking every field ------------------------------------------------------------------------------


def _shown(value) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:39] + "…"


def _wrong(path: str, name: str, value, expected: str, **values) -> FileError:
    expected_words = Phrase(f"session.expect.{expected}", **values)
    return FileError("field", path=path, field=name, value=_shown(value), expected=expected_words)


def _whole(doc: dict, name: str, path: str, low: int, high: int) -> int:
    value = doc[name]
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise _wrong(path, name, value, "whole", low=f"{low:,}", high=f"{high:,}")
    return value


def _from_document(doc, path: str) -> SavedRun:
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise FileError("not_session", path=path)
    version = doc.get("version")
    if version != VERSION:
        raise FileError("version", path=path, version=_shown(version), supported=VERSION)
    for name in doc:
        if name not in FIELDS:
            raise FileError("unknown_field", path=path, field=name)
    for name in FIELDS:
        if name not in doc and name not in OPTIONAL:
            raise FileError("missing_field", path=path, field=name)
    if "saved_by" in doc and not isinstance(doc["saved_by"], str):
        raise _wrong(path, "saved_by", doc["saved_by"], "text")

    lesson_id = doc["lesson"]
    if lesson_id is not None and lesson_id not in LESSONS:
        raise _wrong(path, "lesson", lesson_id, "lesson", lessons=", ".join(LESSONS))
    config = _config(doc["config"], path)
    last = _whole(doc, "last_epoch", path, 0, MAX_EPOCHS)
    epochs = _whole(doc, "epochs", path, 1, MAX_EPOCHS)
    goal = _whole(doc, "goal", path, max(1, last), MAX_EPOCHS)
    view = None if doc["view"] is None else _whole(doc, "view", path, 0, last)
    return SavedRun(
        config=config,
        last_epoch=last,
        epochs=epochs,
        goal=goal,
        lr_changes=_lr_changes(doc["lr_changes"], last, path),
        lesson_id=lesson_id,
        view=view,
        record=_record(doc["record"], path),
    )


def _config(value, path: str) -> TrainConfig:
    if not isinstance(value, dict):
        raise _wrong(path, "config", value, "object")
    for name in value:
        if name not in CONFIG_FIELDS:
            raise FileError("unknown_field", path=path, field=f"config.{name}")
    for name in CONFIG_FIELDS:
        if name not in value:
            raise FileError("missing_field", path=path, field=f"config.{name}")
    if not isinstance(value["dataset"], str):
        raise _wrong(path, "config.dataset", value["dataset"], "text")
    if not isinstance(value["hidden"], list):
        raise _wrong(path, "config.hidden", value["hidden"], "widths")
    try:
        return TrainConfig(**{**value, "hidden": tuple(value["hidden"])})
    except InputError as error:
        raise FileError("invalid", path=path, field="config", reason=error) from None


def _lr_changes(value, last: int, path: str) -> tuple[tuple[int, float], ...]:
    if not isinstance(value, list):
        raise _wrong(path, "lr_changes", value, "lr_changes", last=last + 1)
    changes, previous = [], 0
    for pair in value:
        ok = isinstance(pair, list) and len(pair) == 2
        epoch, lr = pair if ok else (None, None)
        ok = ok and not isinstance(epoch, bool) and isinstance(epoch, int) and previous < epoch <= last + 1
        if not ok:
            raise _wrong(path, "lr_changes", pair, "lr_changes", last=last + 1)
        try:
            changes.append((epoch, check_lr(lr)))
        except InputError as error:
            raise FileError("invalid", path=path, field="lr_changes", reason=error) from None
        previous = epoch
    return tuple(changes)


def _record(value, path: str) -> Record | None:
    if value is None:
        return None
    if not isinstance(value, dict) or set(value) != {"last_loss", "sha256"}:
        raise _wrong(path, "record", value, "record")
    loss, digest = value["last_loss"], value["sha256"]
    loss_ok = loss is None or (not isinstance(loss, bool) and isinstance(loss, (int, float)))
    if not loss_ok or not isinstance(digest, str) or not re.fullmatch(r"[0-9a-f]{64}", digest):
        raise _wrong(path, "record", value, "record")
    return Record(None if loss is None else float(loss), digest)
