"""A value a learner typed (or a file held) that the engine does not take: the facts of what is wrong.

The engine raises `InputError(problem, **facts)`; the words catalog turns the facts into a sentence
in the learner's language (`error.message("ko")`). `str(error)` is the English one, for Python
users and logs. The command line, the experiment form and the session loader all show these.
"""

from __future__ import annotations

from core.words import say


class InputError(ValueError):
    """`problem` names the rule broken (a key under `[error]` in the words files); `facts` fill it in."""

    def __init__(self, problem: str, **facts):
        self.problem = problem
        self.facts = facts
        super().__init__(self.message("en"))

    def message(self, lang: str) -> str:
        return say(f"error.{self.problem}", lang, **self.facts)
