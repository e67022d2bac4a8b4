"""A value a learner typed (or a file held) that the engine does not take: the facts of what is wrong.

The engine raises `InputError(problem, **facts)`; the words catalog turns the facts into a sentence
in the learner's language (`error.message("ko")`). `str(error)` is the English one, for Python
users and logs. The command line, the experiment form and the session loader all show these.
"""

from __future__ import annotations

from core.words import Phrase, say


class InputError(ValueError):
    """`problem` names the rule broken (a key under the words' `TABLE`, `[error]`); `facts` fill it in.

    A fact that is itself an InputError (a session file's field that breaks a config rule) or a
    Phrase is told in the same language as the sentence around it.
    """

    TABLE = "error"

    def __init__(self, problem: str, **facts):
        self.problem = problem
        self.facts = facts
        super().__init__(self.message("en"))

    def message(self, lang: str) -> str:
        facts = {k: v.message(lang) if isinstance(v, (InputError, Phrase)) else v for k, v in self.facts.items()}
        return say(f"{self.TABLE}.{self.problem}", lang, **facts)
