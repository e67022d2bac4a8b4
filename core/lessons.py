"""The built-in lessons: the notebook's runs, with their settings. Their titles and texts, in every
language, are in the words catalog (core/words/*.toml, under [lesson.<id>]).

Pure Python. Each lesson that trains carries the notebook's hyperparameters (plain SGD with lr 1,
binary cross-entropy, a full batch per epoch, a log line every 100 epochs). The first, `neuron`,
has no training: a threshold neuron whose weights the learner sets by hand (core.neuron). The
second, `perceptron-rule`, trains that threshold unit with Rosenblatt's rule (core.rule), not by
gradient descent: its config says only the table, the seed and η.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from core.config import TrainConfig
from core.errors import InputError
from core.words import say


@dataclass(frozen=True)
class Lesson:
    """A lesson: which run to make, how long, and what it teaches (words under [lesson.<id>]).

    A lesson with `trains` False has no run: its config only says what its inputs are.
    """

    id: str
    config: TrainConfig = field(default_factory=TrainConfig)
    epochs: int = 1000
    log_every: int = 100
    trains: bool = True
    rule: bool = False  # trained by Rosenblatt's perceptron rule on a threshold unit (core.rule)

    def title_in(self, lang: str) -> str:
        return say(f"lesson.{self.id}.title", lang)

    def text_in(self, lang: str) -> str:
        return say(f"lesson.{self.id}.text", lang)


LESSONS: dict[str, Lesson] = {
    lesson.id: lesson
    for lesson in (
        Lesson("neuron", TrainConfig(dataset="and"), epochs=0, trains=False),
        Lesson("perceptron-rule", TrainConfig(dataset="and"), epochs=20, log_every=1, rule=True),
        Lesson("and", TrainConfig(dataset="and")),
        Lesson("or", TrainConfig(dataset="or")),
        Lesson("xor", TrainConfig(dataset="xor")),
        Lesson("xor-mlp", TrainConfig(dataset="xor", hidden=(64, 32, 16)), epochs=5000),
        Lesson("xor-2-2-1", TrainConfig(dataset="xor", hidden=(2,)), epochs=5000),
    )
}


def trained() -> list[Lesson]:
    """The lessons that train a network, in order."""
    return [lesson for lesson in LESSONS.values() if lesson.trains]


@dataclass(frozen=True)
class Experiment(Lesson):
    """A run the learner set up (the app's experiment form, a session file of one's own): it behaves
    as a lesson everywhere, with a title and notes made from its settings (words: [lesson.experiment])."""

    id: str = "experiment"

    def _facts(self) -> dict:
        c = self.config
        return {
            "dataset": c.data.name,
            "shape": "-".join(map(str, c.sizes)),
            "activation": c.activation,
        }

    def title_in(self, lang: str) -> str:
        return say("lesson.experiment.title", lang, **self._facts())

    def text_in(self, lang: str) -> str:
        c = self.config
        separable = "separable" if c.data.linearly_separable else "not_separable"
        return say(
            "lesson.experiment.text", lang, **self._facts(), column=c.data.column,
            optimizer=say(f"optimizer.{c.optimizer}", lang), lr=c.lr, loss=c.loss.upper(), seed=c.seed,
            epochs=self.epochs,
            separable=say(f"lesson.experiment.{separable}", lang),
        )  # fmt: skip


def shown_name(lesson_id: str, lang: str) -> str:
    """How a title names a run's lesson: a built-in by its id (the name the command line takes), the
    learner's own run in words ("your experiment"), not by the id "experiment"."""
    return say("lesson.experiment.name", lang) if lesson_id == Experiment.id else lesson_id


def lesson(lesson_id: str) -> Lesson:
    """The built-in lesson with this id; InputError naming the lessons there are otherwise."""
    try:
        return LESSONS[str(lesson_id).strip().lower()]
    except KeyError:
        raise InputError("lesson", value=lesson_id, allowed=", ".join(LESSONS)) from None
