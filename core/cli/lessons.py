"""`perceptron-lab lessons [LESSON]`: the lessons, or one lesson's explanation."""

from __future__ import annotations

from core.cli import PROG
from core.cli.options import add_lang, lesson_id
from core.lessons import LESSONS, Lesson
from core.words import say

NAME = "lessons"


def add_arguments(parser, lang: str) -> None:
    parser.add_argument(
        "lesson", nargs="?", type=lesson_id(lang), metavar="LESSON", help=say("cli.lessons.lesson", lang)
    )
    add_lang(parser, lang)


def settings(lesson: Lesson, lang: str) -> str:
    """`XOR, 2-64-32-16-1 sigmoid, SGD lr 1, BCE, 5000 epochs` (what a lesson with no training is, for one without)."""
    if not lesson.trains:
        return say("cli.by_hand.settings", lang)
    c = lesson.config
    if lesson.rule:
        return say("cli.rule.settings", lang, dataset=c.dataset.upper(), lr=c.lr, epochs=lesson.epochs)
    return say(
        "cli.lessons.settings", lang, dataset=c.dataset.upper(), shape="-".join(map(str, c.sizes)),
        activation=c.activation, optimizer=say(f"optimizer.{c.optimizer}", lang), lr=c.lr, loss=c.loss.upper(),
        epochs=lesson.epochs,
    )  # fmt: skip


def by_hand_examples(lang: str) -> list[str]:
    """For the neuron lesson: weights that reach each target, or why there are none."""
    from core.neuron import LABELS, TARGETS, example

    lines = [say("cli.by_hand.examples", lang)]
    for target in TARGETS:
        found = example(target)
        if found is None:
            shown = say("cli.by_hand.unreachable", lang)
        else:
            shown = "   ".join(
                f"{sym} = {found.value(name):>2g}" for sym, name in (("w₁", "w1"), ("w₂", "w2"), ("θ", "theta"))
            )
        lines.append(f"  {LABELS[target]:<8} {shown}")
    return lines


def run(args) -> int:
    lang = args.lang
    if args.lesson:
        lesson = LESSONS[args.lesson]
        print(f"{lesson.id}: {lesson.title_in(lang)}")
        print(f"({settings(lesson, lang)})\n")
        print(lesson.text_in(lang).rstrip())
        if not lesson.trains:
            print("\n" + "\n".join(by_hand_examples(lang)))
        return 0
    id_width = max(len(i) for i in LESSONS)
    settings_width = max(len(settings(lesson, lang)) for lesson in LESSONS.values())
    for lesson in LESSONS.values():
        print(f"{lesson.id:<{id_width}}  {settings(lesson, lang):<{settings_width}}  {lesson.title_in(lang)}")
    print("\n" + say("cli.lessons.footer", lang, prog=PROG))
    return 0
