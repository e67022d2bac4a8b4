"""A learner's progress through the course: each answer (the prediction, when, what the run said,
and the run it was compared with), and the step they are on. One JSON file, in the user's data
directory by default (XDG_DATA_HOME, else ~/.local/share: perceptron-lab/progress.json).

Written atomically (core/files/files.py); read strictly (core/files/strict_json.py, and every field
checked here): a bad file is one ProgressError, a sentence under [progress] in the words, never a
traceback. Answers to steps this version does not have are kept and written back unchanged.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from core.files import strict_json
from core.files.files import FileError, atomic_write, read_limited

FORMAT = "perceptron-lab progress"
VERSION = 1
LIMIT = 1 << 20  # bytes: a progress file is a few KB
ANSWER_FIELDS = {"prediction", "actual", "matched", "predicted_at", "compared_at", "run"}
RUN_FIELDS = {"lesson", "seed", "lr", "epoch"}


class ProgressError(FileError):
    """A progress file that cannot be read or written: the facts, told by the words under [progress]."""

    TABLE = "progress"


def default_path(environ: os._Environ | dict | None = None) -> Path:
    """Where progress is kept unless --progress says otherwise (the XDG base directory spec)."""
    environ = os.environ if environ is None else environ
    base = environ.get("XDG_DATA_HOME") or ""
    root = Path(base) if Path(base).is_absolute() else Path(environ.get("HOME") or Path.home()) / ".local" / "share"
    return root / "perceptron-lab" / "progress.json"


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class ComparedRun:
    """The run an answer was compared with: enough to make it again."""

    lesson: str
    seed: int | None
    lr: float | None
    epoch: int


@dataclass(frozen=True)
class Answer:
    """One step's answer: the prediction (committed before the run), and once compared, what the
    run said (`actual`), whether they matched, and the run."""

    prediction: str | float | None
    predicted_at: str
    actual: str | float | list | None = None
    matched: bool | None = None
    compared_at: str | None = None
    run: ComparedRun | None = None

    @property
    def compared(self) -> bool:
        return self.compared_at is not None


@dataclass
class Progress:
    """Every answer by step id, and the step the learner is on (None: not started)."""

    answers: dict[str, Answer] = field(default_factory=dict)
    current: str | None = None

    def predicted(self, step_id: str, prediction) -> None:
        self.answers[step_id] = Answer(prediction, now())

    def compared(self, step_id: str, actual, matched: bool, run: ComparedRun) -> None:
        answer = self.answers[step_id]
        self.answers[step_id] = replace(answer, actual=actual, matched=matched, compared_at=now(), run=run)

    def forget(self, step_id: str) -> None:
        self.answers.pop(step_id, None)

    def to_json(self) -> dict:
        answers = {}
        for step_id, answer in self.answers.items():
            entry = {
                "prediction": answer.prediction,
                "predicted_at": answer.predicted_at,
                "actual": answer.actual,
                "matched": answer.matched,
                "compared_at": answer.compared_at,
                "run": None if answer.run is None else vars(answer.run).copy(),
            }
            answers[step_id] = entry
        return {"format": FORMAT, "version": VERSION, "current": self.current, "answers": answers}


def write_progress(path: str | os.PathLike, progress: Progress) -> None:
    """Write `progress` to `path` at once (its directory made if missing); ProgressError if it cannot."""
    target = Path(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        data = (json.dumps(progress.to_json(), ensure_ascii=False, indent=1) + "\n").encode()
        atomic_write(target, data)
    except FileError as error:
        raise ProgressError(error.problem, **error.facts) from None
    except OSError as error:
        raise ProgressError("write_failed", path=str(path), reason=error.strerror or str(error)) from None


def read_progress(path: str | os.PathLike, missing_ok: bool = False) -> Progress:
    """The progress in `path`, checked field by field; an empty Progress for a missing file if
    `missing_ok`; ProgressError for anything else that is wrong."""
    shown = str(path)
    try:
        document = strict_json.parse(read_limited(path, LIMIT), shown)
    except FileError as error:
        if error.problem == "missing" and missing_ok:
            return Progress()
        raise ProgressError(error.problem, **error.facts) from None
    return _progress(document, shown)


def _progress(document, path: str) -> Progress:
    def bad(field_name: str, expected: str, value) -> ProgressError:
        return ProgressError("field", path=path, field=field_name, expected=expected, value=_short(value))

    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ProgressError("not_progress", path=path)
    if document.get("version") != VERSION:
        raise ProgressError("version", path=path, version=_short(document.get("version")), supported=VERSION)
    unknown = set(document) - {"format", "version", "current", "answers"}
    if unknown:
        raise ProgressError("unknown_field", path=path, field=sorted(unknown)[0])
    current = document.get("current")
    if current is not None and not _is_id(current):
        raise bad("current", "null or a step's id", current)
    answers_in = document.get("answers", {})
    if not isinstance(answers_in, dict):
        raise bad("answers", "an object of answers by step id", answers_in)
    answers = {}
    for step_id, entry in answers_in.items():
        where = f"answers.{step_id}"
        if not _is_id(step_id):
            raise bad("answers", "step ids (letters, digits and -)", step_id)
        if not isinstance(entry, dict):
            raise bad(where, "an object", entry)
        unknown = set(entry) - ANSWER_FIELDS
        if unknown:
            raise ProgressError("unknown_field", path=path, field=f"{where}.{sorted(unknown)[0]}")
        if "prediction" not in entry or "predicted_at" not in entry:
            raise ProgressError("missing_field", path=path, field=f"{where}.prediction")
        prediction = entry["prediction"]
        if not _is_value(prediction):
            raise bad(f"{where}.prediction", "a string or a number", prediction)
        actual = entry.get("actual")
        if actual is not None and not (_is_value(actual) or _is_list_of_text(actual)):
            raise bad(f"{where}.actual", "null, a string, a number or a list of strings", actual)
        matched = entry.get("matched")
        if matched is not None and not isinstance(matched, bool):
            raise bad(f"{where}.matched", "null, true or false", matched)
        for stamp in ("predicted_at", "compared_at"):
            value = entry.get(stamp)
            if (value is not None or stamp == "predicted_at") and not _is_time(value):
                raise bad(f"{where}.{stamp}", "a time such as 2026-01-31T09:30:00Z", value)
        answers[step_id] = Answer(
            prediction,
            entry["predicted_at"],
            actual,
            matched,
            entry.get("compared_at"),
            _run(entry.get("run"), where, bad),
        )
    return Progress(answers, current)


def _run(value, where: str, bad) -> ComparedRun | None:
    if value is None:
        return None
    expected = "null or {lesson, seed, lr, epoch}"
    if not isinstance(value, dict) or set(value) != RUN_FIELDS:
        raise bad(f"{where}.run", expected, value)
    lesson, seed, lr, epoch = (value[k] for k in ("lesson", "seed", "lr", "epoch"))
    if not isinstance(lesson, str) or not _is_id(lesson):
        raise bad(f"{where}.run.lesson", "a lesson's id", lesson)
    if seed is not None and (type(seed) is not int or seed < 0):
        raise bad(f"{where}.run.seed", "null or a whole number ≥ 0", seed)
    if lr is not None and (isinstance(lr, bool) or not isinstance(lr, int | float) or lr <= 0):
        raise bad(f"{where}.run.lr", "null or a number > 0", lr)
    if type(epoch) is not int or epoch < 0:
        raise bad(f"{where}.run.epoch", "a whole number ≥ 0", epoch)
    return ComparedRun(lesson, seed, lr, epoch)


def _is_id(value) -> bool:
    return isinstance(value, str) and 0 < len(value) <= 64 and all(c.isalnum() or c in "-_" for c in value)


def _is_value(value) -> bool:
    if isinstance(value, bool):
        return False
    return (isinstance(value, str) and len(value) <= 64) or isinstance(value, int | float)


def _is_list_of_text(value) -> bool:
    return isinstance(value, list) and len(value) <= 16 and all(isinstance(v, str) and len(v) <= 64 for v in value)


def _is_time(value) -> bool:
    if not isinstance(value, str):
        return False
    try:
        datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ")
    except ValueError:
        return False
    return True


def _short(value) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:39] + "…"
