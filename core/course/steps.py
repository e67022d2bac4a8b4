"""The course's steps, as data: the chapter in order, each step one question asked before its run.

A step names the lesson it runs, the kind of question (`choice`: one of its choices; `number`: a
number, matched within a tolerance; `pick`: a place on the screen, here a corner of the input
square, matched if the run's answer includes it), the answer function that takes the answer from
the run (core/course/answers.py), the panel that shows why (its id in the app), and its words:
`course.step.<id>.title`, `.question`, `.explain`, `.need`, and `.choice.<choice>` for each
choice, in every language (core/words/*.toml).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from core.course import answers as a
from core.words import say

KINDS = ("choice", "number", "pick")


@dataclass(frozen=True)
class Step:
    id: str
    lesson: str
    kind: str
    answer: Callable[[a.RunFacts], object]
    panel: str  # the main view's panel that shows why: "truth", "network", "plot", "map", "weights", "hand"
    choices: tuple[str, ...] = ()
    tolerance: tuple[float, float] = (0.0, 0.0)  # a number's: (absolute, relative to the answer)
    low: float = 0  # a number's range, checked as it is typed
    high: float = 100_000

    def title(self, lang: str) -> str:
        return say(f"course.step.{self.id}.title", lang)

    def question(self, lang: str) -> str:
        return say(f"course.step.{self.id}.question", lang)

    def explanation(self, lang: str, **facts) -> str:
        return say(f"course.step.{self.id}.explain", lang, ln2=f"{math.log(2):.4f}", **facts)

    def need(self, lang: str) -> str:
        """What the run still needs before it can answer (run to the end, set the neuron, ...)."""
        return say(f"course.step.{self.id}.need", lang)

    def choice_text(self, choice: str, lang: str) -> str:
        if self.kind == "pick":
            return say("course.corner", lang, x1=choice[0], x2=choice[1])
        return say(f"course.step.{self.id}.choice.{choice}", lang, ln2=f"{math.log(2):.4f}")

    def accepts(self, prediction) -> bool:
        """Whether a prediction is one this step's question can take: one of its choices, or a number
        in its range. A choice made on an earlier step's list (a key that arrives after the step
        moved on) is not."""
        if self.kind == "number":
            return isinstance(prediction, (int, float)) and self.low <= prediction <= self.high
        return prediction in self.choices

    def matches(self, prediction, actual) -> bool:
        """Whether a prediction matches the run's answer."""
        if actual is a.PENDING:
            return False
        if self.kind == "pick":
            return prediction in actual
        if self.kind == "number":
            if actual == a.NEVER or prediction == a.NEVER:
                return actual == prediction
            absolute, relative = self.tolerance
            return abs(float(prediction) - float(actual)) <= absolute + relative * abs(float(actual)) + 1e-12
        return prediction == actual

    def shown(self, value, lang: str) -> str:
        """A prediction or an answer, in words."""
        if value is a.PENDING:
            return say("course.pending", lang)
        if value == a.NEVER:
            return say("course.never", lang)
        if self.kind == "pick" and isinstance(value, list):
            return ", ".join(self.choice_text(v, lang) for v in value) if value else say("course.none_wrong", lang)
        if self.kind == "number":
            number = float(value)
            return f"{number:g}" if abs(number) >= 1e-4 or number == 0 else f"{number:.2e}"
        return self.choice_text(str(value), lang)


YES_NO = ("yes", "no")
LOSS_BANDS = ("ln2", "above", "mid", "low")
PAIRS = ("or-nand", "and-nor", "one-sided", "other")
EPOCHS = (5.0, 0.3)  # an epoch is close enough within 5 epochs and 30 %

STEPS: tuple[Step, ...] = (
    # The threshold neuron set by hand (1943).
    Step("neuron-and", "neuron", "choice", a.theta_for_and, "hand", choices=("below1", "1to2", "above2")),
    Step("neuron-xor", "neuron", "choice", a.xor_reachable, "hand", choices=YES_NO),
    # The 1957 perceptron rule (lesson `perceptron-rule`) has no step yet: one would go here.
    # The sigmoid perceptron on AND and OR.
    Step("and-first-right", "and", "number", a.first_all_right, "truth", tolerance=EPOCHS, high=1000),
    Step("and-loss", "and", "choice", a.loss_band, "plot", choices=LOSS_BANDS),
    Step("or-bias", "or", "choice", a.output_bias_sign, "weights", choices=("negative", "positive")),
    # Its failure on XOR.
    Step("xor-learn", "xor", "choice", a.all_right_at_end, "truth", choices=YES_NO),
    Step("xor-loss", "xor", "number", a.final_loss, "plot", tolerance=(0.02, 0.0), high=10),
    Step("xor-corner", "xor", "pick", a.wrong_corners, "map", choices=a.CORNERS),
    # The MLP: its plateau and its drop.
    Step("mlp-first-right", "xor-mlp", "number", a.first_all_right, "plot", tolerance=EPOCHS, high=5000),
    Step("mlp-loss", "xor-mlp", "choice", a.loss_band, "plot", choices=LOSS_BANDS),
    # Two hidden neurons, and what they learn.
    Step("hidden-pair", "xor-2-2-1", "choice", a.hidden_pair, "map", choices=PAIRS),
    Step("small-first-right", "xor-2-2-1", "number", a.first_all_right, "truth", tolerance=EPOCHS, high=5000),
    # The seed sweep: what share of starts learn.
    Step("sweep-share", "xor-2-2-1", "number", a.learned_share, "status", tolerance=(15.0, 0.0), high=100),
    # One epoch of backpropagation.
    Step("delta", "and", "number", a.output_delta, "truth", tolerance=(0.005, 0.0), low=-1, high=1),
    Step("one-update", "and", "choice", a.moves_after_one_update, "truth", choices=("up", "down")),
)  # fmt: skip

BY_ID = {step.id: step for step in STEPS}


def step_index(step_id: str | None) -> int:
    """The index of a step by its id; 0 for None or an id this version does not have."""
    return next((i for i, step in enumerate(STEPS) if step.id == step_id), 0)


def explanation_facts(step: Step, run: a.RunFacts | None, actual, lang: str) -> dict[str, str]:
    """What a step's explanation is filled in with, all from the run: the answer in words, the
    run's seed and lr, its final loss, the functions its hidden neurons compute."""
    facts = {"answer": step.shown(actual, lang), "seed": "?", "lr": "?", "loss": "?", "functions": "?"}
    if run is None:
        return facts
    if run.seed is not None:
        facts["seed"] = str(run.seed)
    if run.lr is not None:
        facts["lr"] = f"{run.lr:g}"
    if run.history is not None:
        facts["loss"] = f"{run.history.loss(run.last_epoch):.4f}"
        if run.finished and len(run.history.config.sizes) > 2:
            names = a.hidden_functions(run)
            facts["functions"] = ", ".join(say(f"course.function.{name}", lang) for name in names)
    return facts
