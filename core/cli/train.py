"""`perceptron-lab train LESSON`: train headless with the app's engine and print the notebook's log.

`--save FILE` keeps the run as a session file; `train --open FILE [--epochs N]` replays one and goes
on to epoch N, printing the whole run's log as one run straight to N would.
"""

from __future__ import annotations

import json
import math
import sys
import time

from core.cli import PROG
from core.cli.options import add_training, choice, whole
from core.cli.runs import planned_run
from core.errors import InputError
from core.lessons import LESSONS
from core.words import count, say

NAME = "train"
FORMATS = ("text", "json", "csv")


def add_arguments(parser, lang: str) -> None:
    add_training(parser, lang)
    o = "cli.option."
    parser.add_argument(
        "--log-every", type=whole("log-every", 1, 10**9, lang), metavar="K", help=say(o + "log_every", lang)
    )
    parser.add_argument(
        "--format", type=choice("format", FORMATS, lang), default="text", metavar="{" + ",".join(FORMATS) + "}",
        help=say(o + "format", lang),
    )  # fmt: skip
    parser.add_argument(
        "--weights-at", type=whole("weights-at", 0, 10**9, lang), metavar="EPOCH", help=say(o + "weights_at", lang)
    )
    parser.add_argument("--save", metavar="FILE", help=say("cli.save.save", lang))
    parser.add_argument("--map", action="store_true", help=say(o + "map", lang))
    parser.add_argument("--slice", type=whole("slice", 0, 1, lang), metavar="X3", help=say(o + "slice", lang))
    parser.add_argument("--surface", action="store_true", help=say(o + "surface", lang))


def logged_epochs(epochs: int, every: int) -> list[int]:
    """The epochs the log shows: 0, every, 2·every, ... up to `epochs`, and `epochs` itself as the last line.

    As the notebook's loop trains every epoch of range(epochs + 1) and prints the multiples.
    """
    shown = list(range(0, epochs + 1, every))
    if shown[-1] != epochs:
        shown.append(epochs)
    return shown


def finite(value):
    """The document with NaN and infinities as null: JSON has no other way to write them."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [finite(v) for v in value]
    return value


def run(args) -> int:
    lang = args.lang
    error = args.parser.error
    if args.lesson is not None and not LESSONS[args.lesson].trains:
        error(say("cli.by_hand.no_training", lang, lesson=args.lesson, prog=PROG))
    plan = planned_run(args)
    config, lesson, epochs = plan.config, plan.lesson, plan.epochs
    log_every = args.log_every or lesson.log_every
    if args.weights_at is not None:
        if args.format == "csv":
            error(say("cli.train.weights_at_csv", lang))
        if args.weights_at > epochs:
            error(say("cli.train.weights_at_range", lang, epoch=args.weights_at, last=epochs))
    if args.map and args.format == "csv":
        error(say("cli.train.map_csv", lang))
    if args.surface and args.format == "csv":
        error(say("cli.train.surface_csv", lang))
    if args.map and lesson.rule:
        error(say("cli.rule.no_map", lang, lesson=lesson.id))
    if args.surface and lesson.rule:
        error(say("cli.rule.no_surface", lang, lesson=lesson.id))
    if args.slice is not None and (not args.map or config.sizes[0] != 3):
        error(say("cli.train.slice_needs", lang, inputs=config.sizes[0]))
    if args.save is not None:
        from core.files.files import check_writable

        try:  # before training: a typo in the name must not cost the run
            check_writable(args.save, overwrite=True)
        except InputError as bad:
            error(bad.message(lang))

    import core.trainer  # noqa: F401  torch loads here, before the clock starts: the summary's time is training's
    from core.files.exports import csv_header, csv_row
    from core.files.session_file import SavedRun, save_session
    from core.format import format_weights, log_line

    out = sys.stdout
    started = time.perf_counter()
    trainer = plan.trainer()  # a saved run's epochs are replayed: exactly the run it saved
    history = trainer.history
    warning = plan.mismatch(history, lang)
    if warning:
        print(f"{PROG}: {warning}", file=sys.stderr)
    log: list[dict] = []

    def emit(epoch: int) -> None:
        if lesson.rule:
            emit_rule(epoch)
            return
        row = {
            "epoch": epoch,
            "loss": history.loss(epoch),
            "accuracy": history.accuracy(epoch),
            "predictions": history.predictions(epoch),
        }
        log.append(row)
        if args.format == "text":
            print(log_line(epoch, epochs, row["loss"], row["accuracy"]), file=out, flush=True)
        elif args.format == "csv":
            print(csv_row(history, epoch), file=out, flush=True)

    def emit_rule(epoch: int) -> None:
        # The perceptron rule's "loss" is the epoch's mistakes (core.rule): logged as what it is.
        mistakes = history.losses(0, epoch + 1)
        row = {
            "epoch": epoch,
            "mistakes": int(mistakes[epoch]),
            "mistakes_so_far": int(sum(mistakes)),
            "accuracy": history.accuracy(epoch),
            "predictions": history.predictions(epoch),
        }
        log.append(row)
        if args.format == "text":
            line = say("cli.rule.log", lang, epochs=epochs, so_far=row["mistakes_so_far"], **row)
            print(line, file=out, flush=True)
        elif args.format == "csv":
            print(csv_row(history, epoch), file=out, flush=True)

    if args.format == "text" and config.hidden:
        print(trainer.model, file=out)
        print(file=out)
    if args.format == "csv":
        print(csv_header(config, history.measure), file=out)

    interrupted = False
    try:
        for target in logged_epochs(epochs, log_every):
            if target > history.last_epoch and trainer.run(to_epoch=target) == "blowup":
                break
            emit(target)
    except KeyboardInterrupt:  # keep what was trained: report it below
        interrupted = True
    seconds = time.perf_counter() - started
    last = history.last_epoch
    if trainer.blowup is not None and (not log or log[-1]["epoch"] != trainer.blowup.epoch):
        emit(trainer.blowup.epoch)

    if args.weights_at is not None and args.weights_at > last:
        error(say("cli.train.weights_at_beyond", lang, epoch=args.weights_at, last=last))
    weights = history.weights_at(args.weights_at) if args.weights_at is not None else None
    mapped = (weights or history.weights_at(last)) if args.map and last >= 0 else None
    x3 = float(args.slice or 0)
    at_surface = None
    if args.surface and last >= 0:
        at_surface = _surface(history, config, args.weights_at if args.weights_at is not None else last, epochs)
    if args.format == "json":
        document = _document(lesson, config, epochs, log_every, log, trainer, seconds, lang, weights)
        if lesson.rule:
            document["rule"] = rule_document(trainer, lang)
        if mapped is not None:
            from core.maps.boundary import boundary_map

            document["map"] = boundary_map(mapped, config.activation, x3=x3).to_json()
        if at_surface is not None:
            document["surface"] = at_surface.to_json()
        json.dump(finite(document), out, allow_nan=False)
        print(file=out)
    elif args.format == "text":
        if lesson.rule and last >= 0:
            print(file=out)
            print(rule_words(trainer, last, lang), file=out)
        if weights is not None:
            print(file=out)
            print(format_weights(weights, epochs, lang, rule_log(history, weights.epoch, epochs, lang)), file=out)
        if mapped is not None:
            from core.maps.boundary_text import render_text

            print(file=out)
            print(render_text(mapped, config.activation, config.data.rows, x3=x3, lang=lang), file=out)
        if at_surface is not None:
            from core.surface.surface_text import render_text as surface_text

            print(file=out)
            print(surface_text(at_surface, config.loss, lang), file=out)

    for line in summary(trainer, seconds, interrupted, lang):
        print(f"{PROG}: {line}", file=sys.stderr)
    if args.save is not None:
        saved = plan.saved
        view = saved.view if saved is not None and last == saved.last_epoch else None
        run_length = saved.epochs if saved is not None else epochs
        try:
            save_session(args.save, SavedRun.of(trainer, plan.lesson_id, run_length, goal=epochs, view=view))
        except InputError as bad:
            error(bad.message(lang))
        print(f"{PROG}: " + say("cli.save.saved", lang, path=args.save, last=last), file=sys.stderr)
    return 130 if interrupted else 0


def _surface(history, config, epoch: int, goal: int):
    """The loss surface at `epoch` (its first plane), with the path from epoch 0, as the app's view draws it."""
    from core.surface.surface import path_epochs, path_nets, surface

    epochs = path_epochs(epoch, goal, history.interval)
    nets = path_nets(history, epochs)
    return surface(
        nets[-1], config.data.rows, path=nets, path_epochs=epochs, epoch=epoch,
        activation=config.activation, loss=config.loss,
    )  # fmt: skip


def _measure(history, epoch: int):
    """The epoch's loss, or the rule's mistakes as the whole number they are."""
    value = history.loss(epoch)
    return int(value) if history.measure == "mistakes" else value


def _document(lesson, config, epochs, log_every, log, trainer, seconds, lang, weights) -> dict:
    """Everything `--format json` writes: the settings, the logged epochs, the result, the weights."""
    history, blowup, last = trainer.history, trainer.blowup, trainer.history.last_epoch
    settings = {**config.__dict__, "hidden": list(config.hidden), "sizes": list(config.sizes)}
    if lesson.rule:  # one threshold unit and its rule: no activation, optimizer or loss
        settings = {"dataset": config.dataset, "lr": config.lr, "seed": config.seed, "sizes": list(config.sizes)}
    document = {
        "lesson": lesson.id,
        "config": settings,
        "epochs": epochs,
        "log_every": log_every,
        "log": log,
        "result": {
            "last_epoch": last,
            history.measure: _measure(history, last) if last >= 0 else None,
            "accuracy": history.accuracy(last) if last >= 0 else None,
            "first_epoch_at_100": history.first_epoch_where(100.0),
            "seconds": round(seconds, 3),
            "blowup": None if blowup is None else {**blowup.__dict__, "message": blowup.message(lang)},
        },
    }
    if weights is not None:
        document["weights_at"] = {
            "epoch": weights.epoch,
            "loss": weights.loss,
            "accuracy": weights.accuracy,
            "lr": weights.lr,
            "layers": [layer.__dict__ for layer in weights.layers],
        }
    return document


def rule_status(trainer, epoch: int):
    """The perceptron rule's run at `epoch` (core.rule.RuleStatus)."""
    from core.rule import status_at

    history = trainer.history
    return status_at(trainer.config, epoch, history.losses(0, epoch + 1), history.lr_changes())


def rule_log(history, epoch: int, epochs: int, lang: str) -> str | None:
    """The rule's log line for `epoch`, or None for a lesson trained by gradients."""
    if history.measure != "mistakes":
        return None
    mistakes = history.losses(0, epoch + 1)
    return say(
        "cli.rule.log", lang, epoch=epoch, epochs=epochs, mistakes=int(mistakes[epoch]), so_far=int(sum(mistakes)),
        accuracy=history.accuracy(epoch),
    )  # fmt: skip


def rule_words(trainer, epoch: int, lang: str) -> str:
    """What the rule's run has come to at `epoch`: within Novikoff's bound, or cycling (core.rule)."""
    from core.rule import verdict

    return verdict(rule_status(trainer, epoch), trainer.config.data.name.upper(), lang)


def rule_document(trainer, lang: str) -> dict:
    """`--format json`'s "rule": Novikoff's bound (exact fractions as text, and floats) and where
    the run goes: a line found (converged) or a cycle."""
    last = trainer.history.last_epoch
    status = rule_status(trainer, last)
    bound, outcome = status.bound, status.outcome
    return {
        "mistakes_so_far": status.so_far,
        "novikoff": None
        if bound is None
        else {
            "R_squared": str(bound.r_squared),
            "gamma_squared": str(bound.gamma_squared),
            "R": bound.r,
            "gamma": bound.gamma,
            "ratio_squared": str(bound.ratio_squared),
            "bound": bound.bound,
        },
        "outcome": None
        if outcome is None
        else {
            "converged": outcome.converged,
            "first_epoch": outcome.first,
            "period": outcome.period,
            "mistakes_per_cycle": sum(outcome.mistakes[outcome.first :]),
            "mistakes_before": sum(outcome.mistakes[: outcome.first]),
        },
        "words": rule_words(trainer, last, lang),
    }


def summary(trainer, seconds: float, interrupted: bool, lang: str) -> list[str]:
    """The lines for stderr after a run: how long, when it first got every row right, why it stopped."""
    n, first = len(trainer.history), trainer.history.first_epoch_where(100.0)
    reached = say("cli.train.never_100", lang) if first is None else say("cli.train.first_100", lang, epoch=first)
    lines = [count("cli.train.summary", n, lang, seconds=seconds, reached=reached)]
    if interrupted:
        lines.append(say("cli.train.interrupted", lang, last=n - 1))
    if trainer.blowup is not None:
        lines.append(say("cli.train.stopped", lang, why=trainer.blowup.message(lang)))
    return lines
