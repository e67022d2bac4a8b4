"""`perceptron-lab export SOURCE --to script|csv|state-dict|svg --output PATH`: a run, to keep or hand on.

SOURCE is a lesson id (with train's options) or a session file (continued to --epochs, if given).
script: a notebook-style Python file that prints the same log as `train`; csv: every epoch's loss,
accuracy and predictions; state-dict: the weights at the epoch on view (or --epoch) for
torch.load(..., weights_only=True); svg: the app's screen at that epoch. The file is written
atomically, and an existing one only replaced with --force.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable

from core.cli import PROG
from core.cli.options import add_training, choice, typed, whole
from core.cli.runs import planned_run
from core.errors import InputError
from core.words import say

NAME = "export"
KINDS = ("script", "csv", "state-dict", "svg")
DEFAULT_SIZE = (120, 40)
MIN_SIZE, MAX_SIZE = (80, 24), (400, 200)

# Draws the app's screen as SVG: (lesson, trainer, goal, epoch, lang, size) -> text. The program
# (tui/__main__.py) sets it: core never imports the app, and csv/script/state-dict never load Textual.
render_svg: Callable | None = None


def parse_size(text: str) -> tuple[int, int]:
    """ "120x40" -> (120, 40), from 80x24 to 400x200."""
    match = re.fullmatch(r"\s*(\d{1,4})\s*[x×]\s*(\d{1,4})\s*", str(text))
    size = (int(match[1]), int(match[2])) if match else None
    if size is None or not all(lo <= n <= hi for n, lo, hi in zip(size, MIN_SIZE, MAX_SIZE)):
        raise InputError("size", value=text, low="x".join(map(str, MIN_SIZE)), high="x".join(map(str, MAX_SIZE)))
    return size


def add_arguments(parser, lang: str) -> None:
    add_training(parser, lang, source=True)
    e = "cli.export."
    parser.add_argument(
        "--to", required=True, type=choice("to", KINDS, lang), metavar="{" + ",".join(KINDS) + "}",
        help=say(e + "to", lang),
    )  # fmt: skip
    parser.add_argument("--output", required=True, metavar="PATH", help=say(e + "output", lang))
    parser.add_argument("--epoch", type=whole("epoch", 0, 10**9, lang), metavar="E", help=say(e + "epoch", lang))
    parser.add_argument("--force", action="store_true", help=say(e + "force", lang))
    parser.add_argument(
        "--log-every", type=whole("log-every", 1, 10**9, lang), metavar="K", help=say(e + "log_every", lang)
    )
    parser.add_argument(
        "--size", type=typed(parse_size, lang), default=DEFAULT_SIZE, metavar="WxH", help=say(e + "size", lang)
    )


def run(args) -> int:
    from core.files.files import atomic_write, check_writable

    lang, error, kind = args.lang, args.parser.error, args.to
    plan = planned_run(args)
    if kind == "script" and plan.lesson.rule:
        error(say("cli.rule.no_script", lang, lesson=plan.lesson.id))
    if args.epoch is not None and kind in ("script", "csv"):
        error(say("cli.export.epoch_for", lang))
    if args.epoch is not None and args.epoch > plan.epochs:
        error(say("cli.export.epoch_range", lang, epoch=args.epoch, last=plan.epochs))
    if kind == "svg" and render_svg is None:
        error(say("cli.export.no_app", lang))
    try:
        check_writable(args.output, overwrite=args.force)
    except InputError as bad:
        error(bad.message(lang))

    trainer = plan.trainer()
    warning = plan.mismatch(trainer.history, lang)
    if warning:
        print(f"{PROG}: {warning}", file=sys.stderr)
    trainer.run(to_epoch=plan.epochs)  # a session goes on to --epochs; stops early at a blow-up
    history, last = trainer.history, trainer.history.last_epoch
    epoch = args.epoch
    if epoch is None:  # the epoch on view: as the session was saved, else the latest
        view = plan.saved.view if plan.saved is not None and plan.saved.last_epoch == last else None
        epoch = last if view is None else view
    if epoch > last:
        error(say("cli.export.epoch_beyond", lang, epoch=epoch, last=last))

    if kind == "script":
        data = _script(plan, trainer, args.log_every or plan.lesson.log_every, lang).encode("utf-8")
    elif kind == "csv":
        from core.files.exports import csv_text

        data = csv_text(history).encode("utf-8")
    elif kind == "state-dict":
        from core.files.exports import state_dict_bytes

        data = state_dict_bytes(history, epoch)
    else:
        data = render_svg(plan.lesson, trainer, plan.epochs, epoch, lang, args.size).encode("utf-8")
    try:
        atomic_write(args.output, data)
    except InputError as bad:
        error(bad.message(lang))
    print(f"{PROG}: " + say("cli.export.wrote", lang, path=args.output, kind=kind, size=len(data)), file=sys.stderr)
    return 0


def _script(plan, trainer, log_every: int, lang: str) -> str:
    from core.files.exports import script

    changes = trainer.history.lr_changes()[1:]  # the first is the config's lr, at epoch 0
    blowup = trainer.blowup
    stopped = None if blowup is None else (blowup.epoch, blowup.message(lang))
    title = plan.lesson.title_in(lang)
    return script(plan.config, plan.epochs, changes, log_every, stopped, title, lang)
