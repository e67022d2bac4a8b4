"""Options shared by the commands, read with the config's own rules (core.config.parse)."""

from __future__ import annotations

import argparse
from collections.abc import Callable

from core.config import (
    ACTIVATIONS,
    ADAM_DEFAULT_LR,
    LOSSES,
    MAX_EPOCHS,
    OPTIMIZERS,
    TrainConfig,
    check_choice,
    parse,
    parse_whole,
)
from core.errors import InputError
from core.lang import LANGS
from core.lessons import LESSONS, Lesson, lesson, trained
from core.words import say


def typed(read: Callable[[str], object], lang: str) -> Callable[[str], object]:
    """An argparse type from a reader that raises InputError: its message, in the learner's language."""

    def parse_text(text: str):
        try:
            return read(text)
        except InputError as error:
            raise argparse.ArgumentTypeError(error.message(lang)) from None

    return parse_text


def field(name: str, lang: str) -> Callable[[str], object]:
    """The argparse type of a training setting (dataset, hidden, activation, optimizer, loss, lr, seed, epochs)."""
    return typed(lambda text: parse(name, text), lang)


def whole(name: str, low: int, high: int, lang: str) -> Callable[[str], int]:
    return typed(lambda text: parse_whole(name, text, low, high), lang)


def choice(name: str, allowed: tuple[str, ...], lang: str) -> Callable[[str], str]:
    return typed(lambda text: check_choice(name, text.strip().lower(), allowed), lang)


def lesson_id(lang: str) -> Callable[[str], str]:
    return typed(lambda text: lesson(text).id, lang)


def add_lang(parser: argparse.ArgumentParser, lang: str, help_key: str = "cli.option.lang") -> argparse.Action:
    return parser.add_argument(
        "--lang", type=choice("language", LANGS, lang), default=None, metavar="{" + ",".join(LANGS) + "}",
        help=say(help_key, lang),
    )  # fmt: skip


def add_training(parser: argparse.ArgumentParser, lang: str, source: bool = False, show_open: bool = True) -> None:
    """LESSON (or --open FILE, a saved session) and what changes its run: the options of train, and
    of every command that trains. With `source`, one positional SOURCE instead: a lesson id or a
    session file (export); without `show_open`, --open is accepted but left out of the help.
    core.cli.runs.planned_run reads them."""
    o = "cli.option."
    lessons = ", ".join(spec.id for spec in trained())
    if source:
        parser.add_argument("source", metavar="SOURCE", help=say("cli.save.source", lang, lessons=lessons))
    else:
        parser.add_argument(
            "lesson", nargs="?", type=lesson_id(lang), metavar="LESSON", help=say(o + "lesson", lang, lessons=lessons)
        )
        shown = say("cli.save.open", lang) if show_open else argparse.SUPPRESS
        parser.add_argument("--open", metavar="FILE", help=shown)
    parser.add_argument("--dataset", type=field("dataset", lang), metavar="NAME", help=say(o + "dataset", lang))
    parser.add_argument(
        "--epochs", type=field("epochs", lang), metavar="N", help=say(o + "epochs", lang, most=f"{MAX_EPOCHS:,}")
    )
    parser.add_argument("--lr", type=field("lr", lang), metavar="X", help=say(o + "lr", lang, adam=ADAM_DEFAULT_LR))
    parser.add_argument("--seed", type=field("seed", lang), metavar="S", help=say(o + "seed", lang))
    parser.add_argument("--hidden", type=field("hidden", lang), metavar="W1,W2,...", help=say(o + "hidden", lang))
    for name, allowed in (("activation", ACTIVATIONS), ("optimizer", OPTIMIZERS), ("loss", LOSSES)):
        parser.add_argument(
            f"--{name}", type=field(name, lang), metavar="{" + ",".join(allowed) + "}", help=say(o + name, lang)
        )
    add_lang(parser, lang)


def training_config(args: argparse.Namespace) -> tuple[TrainConfig, Lesson, int]:
    """The run the options describe: the lesson's settings with the options' changes, and its last epoch."""
    chosen = LESSONS[args.lesson]
    base = chosen.config
    optimizer = args.optimizer or base.optimizer
    if args.lr is not None:
        lr = args.lr
    else:  # the lessons' lr 1 is far too high for Adam
        lr = ADAM_DEFAULT_LR if optimizer == "adam" and base.optimizer != "adam" else base.lr
    config = TrainConfig(
        dataset=args.dataset or base.dataset,
        hidden=args.hidden if args.hidden is not None else base.hidden,
        activation=args.activation or base.activation,
        optimizer=optimizer,
        loss=args.loss or base.loss,
        lr=lr,
        seed=args.seed if args.seed is not None else base.seed,
    )
    return config, chosen, args.epochs or chosen.epochs
