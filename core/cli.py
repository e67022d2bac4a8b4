"""The command line: `perceptron-lab lessons`, `perceptron-lab train LESSON`, `perceptron-lab datasets`.

Headless and UI-free: it trains with the same engine the app drives. Bad input gets one line on
stderr and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time
from importlib import metadata
from typing import Callable, Sequence

from core.config import (
    ACTIVATIONS,
    ADAM_DEFAULT_LR,
    LOSSES,
    MAX_EPOCHS,
    MAX_WIDTH,
    OPTIMIZERS,
    TrainConfig,
    check_choice,
)
from core.datasets import DATASETS, dataset
from core.lang import LANGS, default_lang
from core.lessons import LESSONS, Lesson

PROG = "perceptron-lab"


class _Parser(argparse.ArgumentParser):
    """argparse, but an error is one line (what is wrong and what is allowed), exit status 2."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: error: {message}\n")


def _whole(low: int, high: int | None = None) -> Callable[[str], int]:
    allowed = f"from {low:,} to {high:,}" if high is not None else f"≥ {low}"

    def parse(text: str) -> int:
        try:
            value = int(text.replace("_", ""))
        except ValueError:
            value = None
        if value is None or value < low or (high is not None and value > high):
            raise argparse.ArgumentTypeError(f"must be a whole number {allowed}, not {text!r}")
        return value

    return parse


def _learning_rate(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"must be a number > 0, not {text!r}")
    return value


def _widths(text: str) -> tuple[int, ...]:
    parts = [p.strip() for p in text.split(",")] if text.strip() else []
    if all(p.isdigit() and 1 <= int(p) <= MAX_WIDTH for p in parts):
        return tuple(int(p) for p in parts)
    raise argparse.ArgumentTypeError(
        f"must be widths from 1 to {MAX_WIDTH} separated by commas (e.g. 64,32,16; '' for none), not {text!r}"
    )


def _lesson_id(text: str) -> str:
    if text.strip().lower() not in LESSONS:
        raise argparse.ArgumentTypeError(f"unknown lesson {text!r}: choose from {', '.join(LESSONS)}")
    return text.strip().lower()


def _dataset_name(text: str) -> str:
    try:
        return dataset(text).name
    except KeyError as error:
        raise argparse.ArgumentTypeError(error.args[0]) from None


def _choice(what: str, allowed: tuple[str, ...]) -> Callable[[str], str]:
    def parse(text: str) -> str:
        try:
            check_choice(what, text.lower(), allowed)
        except ValueError as error:
            raise argparse.ArgumentTypeError(str(error)) from None
        return text.lower()

    return parse


def _version() -> str:
    try:
        return metadata.version("perceptron-lab")
    except metadata.PackageNotFoundError:  # run from a checkout that was never installed
        return "unknown"


def build_parser(app_options: Callable[..., None] | None = None) -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description="Perceptron Lab: learn the perceptron, XOR and backpropagation by running them.",
        epilog=(
            "start here:\n"
            f"  {PROG} lessons              the four lessons of the notebook\n"
            f"  {PROG} lessons xor          why one neuron cannot learn XOR\n"
            f"  {PROG} train xor-mlp        watch backpropagation solve it\n"
            f"  {PROG} train --help         every training option\n"
            f"  {PROG} serve                the app in web browsers (http://localhost:8000)"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {_version()}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    lessons = commands.add_parser("lessons", help="list the lessons, or show one lesson's explanation")
    lessons.add_argument("lesson", nargs="?", type=_lesson_id, metavar="LESSON", help="show this lesson in full")
    lessons.add_argument("--lang", type=_choice("language", LANGS), default=None, help="ko or en (default: from the locale)")

    commands.add_parser("datasets", help="list the truth tables a network can learn (for train --dataset)")

    train = commands.add_parser(
        "train",
        help="train a lesson's network headless and print the notebook's log",
        description=(
            "Train a lesson's network with the app's engine and print the notebook's log line\n"
            "every --log-every epochs:  Epoch: 100/1000 Loss :  0.1425 Accuracy:100.00%\n"
            "Epochs run from 0 to --epochs, as in the notebook: epoch e is the network after e\n"
            "updates. A learning rate far too high stops the run at the epoch it breaks, saying why."
        ),
        epilog=(
            "examples:\n"
            f"  {PROG} train xor-mlp\n"
            f"  {PROG} train xor --hidden 2 --epochs 3000\n"
            f"  {PROG} train xor-mlp --lr 1000          (watch it blow up)\n"
            f"  {PROG} train and --format json --weights-at 100"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    train.set_defaults(command_parser=train)  # for errors found after parsing, in the same one-line form
    train.add_argument("lesson", type=_lesson_id, metavar="LESSON", help=f"one of: {', '.join(LESSONS)}")
    train.add_argument("--dataset", type=_dataset_name, metavar="NAME", help="train on another truth table (see 'datasets')")
    train.add_argument("--epochs", type=_whole(1, MAX_EPOCHS), metavar="N", help="last epoch (default: the lesson's)")
    train.add_argument(
        "--lr",
        type=_learning_rate,
        metavar="X",
        help=f"learning rate (default: the lesson's, 1; {ADAM_DEFAULT_LR} with --optimizer adam)",
    )
    train.add_argument("--seed", type=_whole(0, 2**63 - 1), default=0, metavar="S", help="seed of the initial weights (default 0)")
    train.add_argument("--hidden", type=_widths, metavar="W1,W2,...", help="hidden layer widths, e.g. 64,32,16; '' for none")
    train.add_argument("--activation", type=_choice("activation", ACTIVATIONS), metavar="{" + ",".join(ACTIVATIONS) + "}", help="hidden layers' activation (default: sigmoid)")
    train.add_argument("--optimizer", type=_choice("optimizer", OPTIMIZERS), metavar="{" + ",".join(OPTIMIZERS) + "}", help="plain SGD (default), SGD with momentum 0.9, or Adam")
    train.add_argument("--loss", type=_choice("loss", LOSSES), metavar="{" + ",".join(LOSSES) + "}", help="binary cross-entropy (default) or mean squared error")
    train.add_argument("--log-every", type=_whole(1), metavar="K", help="log every K epochs (default: 100)")
    train.add_argument("--format", type=_choice("format", ("text", "json", "csv")), default="text", metavar="{text,json,csv}", help="the notebook's log (default), one JSON document, or CSV rows")
    train.add_argument("--weights-at", type=_whole(0), metavar="EPOCH", help="after training, print the parameters as they were at EPOCH")
    train.add_argument("--lang", type=_choice("language", LANGS), default=None, help="language of the summary and of a blow-up's explanation: ko or en (default: from the locale)")

    serve = commands.add_parser(
        "serve",
        help="serve the app to web browsers: each tab runs its own app",
        description=(
            "Serve the app to web browsers (textual-serve). Every browser tab runs its own app\n"
            "process with the options below; closing the tab ends it. Nothing on the page comes\n"
            "from the internet. Only this machine can connect unless --host says otherwise."
        ),
        epilog=(
            "examples:\n"
            f"  {PROG} serve                              then open http://localhost:8000\n"
            f"  {PROG} serve --lesson xor-mlp --lang ko\n"
            f"  {PROG} serve --host 0.0.0.0 --port 8080   a classroom's network (no login!)"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    serve.set_defaults(command_parser=serve)
    serve.add_argument("--host", default="127.0.0.1", metavar="ADDRESS", help="address to listen on (default 127.0.0.1: this machine only)")
    serve.add_argument("--port", type=_whole(1, 65535), default=8000, metavar="PORT", help="port to listen on (default 8000)")
    if app_options is not None:
        app_options(parser)
        app_options(serve, title="the app in each browser tab")
    return parser


def main(
    argv: Sequence[str] | None = None,
    launch_app: Callable[[argparse.Namespace], int] | None = None,
    app_options: Callable[..., None] | None = None,
    serve_app: Callable[[argparse.Namespace], int] | None = None,
) -> int:
    """Run the command line; `launch_app` is called when no command is given (the app, if installed),
    `serve_app` for `serve`, and `app_options(parser, title=...)` adds the app's own options to the
    top-level command and to `serve`."""
    parser = build_parser(app_options)
    parser.set_defaults(top_parser=parser)
    args = parser.parse_args(argv)
    try:
        if args.command == "lessons":
            return _lessons(args)
        if args.command == "datasets":
            return _datasets()
        if args.command == "train":
            return _train(args)
        if args.command == "serve":
            if serve_app is None:
                args.command_parser.error("serving needs the app: install perceptron-lab with its dependencies")
            return serve_app(args)
        if launch_app is not None:
            return launch_app(args)
        parser.print_help()
        return 0
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # piped into `head`: stop quietly, as the Python docs advise
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


# --- lessons and datasets ------------------------------------------------------------------------


def _shape(config: TrainConfig) -> str:
    return "-".join(str(n) for n in config.sizes)


def _settings(lesson: Lesson) -> str:
    c = lesson.config
    return f"{c.dataset.upper()}, {_shape(c)} {c.activation}, {c.optimizer.upper()} lr {c.lr:g}, {c.loss.upper()}, {lesson.epochs} epochs"


def _lessons(args) -> int:
    lang = args.lang or default_lang()
    if args.lesson:
        lesson = LESSONS[args.lesson]
        print(f"{lesson.id}: {lesson.title_in(lang)}")
        print(f"({_settings(lesson)})\n")
        print(lesson.text_in(lang).rstrip())
        return 0
    id_width = max(len(i) for i in LESSONS)
    settings_width = max(len(_settings(lesson)) for lesson in LESSONS.values())
    for lesson in LESSONS.values():
        print(f"{lesson.id:<{id_width}}  {_settings(lesson):<{settings_width}}  {lesson.title_in(lang)}")
    print(f"\n'{PROG} lessons LESSON' shows a lesson's explanation; '{PROG} train LESSON' runs it.")
    return 0


def _datasets() -> int:
    for data in DATASETS.values():
        single = "one layer can learn it" if data.linearly_separable else "needs a hidden layer"
        print(f"{data.name:<12} {len(data.inputs)} inputs  outputs {data.column:<8}  {single}")
    print("\nTwo-input functions can also be named by their output column over (0,0) (0,1) (1,0) (1,1), e.g. 0110.")
    return 0


# --- train ---------------------------------------------------------------------------------------


def _config(args) -> tuple[TrainConfig, Lesson]:
    lesson = LESSONS[args.lesson]
    base = lesson.config
    optimizer = args.optimizer or base.optimizer
    lr = args.lr if args.lr is not None else (ADAM_DEFAULT_LR if optimizer == "adam" and base.optimizer != "adam" else base.lr)
    config = TrainConfig(
        dataset=args.dataset or base.dataset,
        hidden=args.hidden if args.hidden is not None else base.hidden,
        activation=args.activation or base.activation,
        optimizer=optimizer,
        loss=args.loss or base.loss,
        lr=lr,
        seed=args.seed,
    )
    return config, lesson


def _finite(value):
    """The document with NaN and infinities as null: JSON has no other way to write them."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    return value


def _train(args) -> int:
    config, lesson = _config(args)
    epochs = args.epochs or lesson.epochs
    log_every = args.log_every or lesson.log_every
    lang = args.lang or default_lang()
    if args.weights_at is not None:
        if args.format == "csv":
            args.command_parser.error("--weights-at works with --format text or json, not csv")
        if args.weights_at > epochs:
            args.command_parser.error(f"--weights-at must be an epoch from 0 to {epochs} (the run's last epoch), not {args.weights_at}")

    from core.format import format_weights, log_line
    from core.trainer import Trainer

    out = sys.stdout
    trainer = Trainer(config)
    history = trainer.history
    log: list[dict] = []

    def emit(epoch: int) -> None:
        row = {"epoch": epoch, "loss": history.loss(epoch), "accuracy": history.accuracy(epoch), "predictions": history.predictions(epoch)}
        log.append(row)
        if args.format == "text":
            print(log_line(epoch, epochs, row["loss"], row["accuracy"]), file=out, flush=True)
        elif args.format == "csv":
            print(f"{epoch},{row['loss']!r},{row['accuracy']:g}," + ",".join(repr(p) for p in row["predictions"]), file=out, flush=True)

    if args.format == "text" and config.hidden:
        print(trainer.model, file=out)
        print(file=out)
    if args.format == "csv":
        names = ["p_" + "".join(str(b) for b in x) for x, _ in config.data.rows]
        print(",".join(["epoch", "loss", "accuracy", *names]), file=out)

    started = time.perf_counter()
    interrupted = False
    try:
        for target in range(0, epochs + 1, log_every):
            if trainer.run(to_epoch=target) == "blowup":
                break
            emit(target)
    except KeyboardInterrupt:  # keep what was trained: report it below
        interrupted = True
    seconds = time.perf_counter() - started
    last = history.last_epoch
    if trainer.blowup is not None and (not log or log[-1]["epoch"] != trainer.blowup.epoch):
        emit(trainer.blowup.epoch)

    if args.weights_at is not None and args.weights_at > last:
        args.command_parser.error(f"--weights-at {args.weights_at} is beyond the run: it stopped at epoch {last} (see above); choose 0 to {last}")
    weights = history.weights_at(args.weights_at) if args.weights_at is not None else None
    if args.format == "json":
        document = _document(lesson, config, epochs, log_every, log, trainer, seconds, lang, weights)
        json.dump(_finite(document), out, allow_nan=False)
        print(file=out)
    elif args.format == "text" and weights is not None:
        print(file=out)
        print(format_weights(weights, epochs), file=out)

    for line in _summary(trainer, seconds, interrupted, lang):
        print(f"{PROG}: {line}", file=sys.stderr)
    return 130 if interrupted else 0


def _document(lesson, config, epochs, log_every, log, trainer, seconds, lang, weights) -> dict:
    """Everything `--format json` writes: the settings, the logged epochs, the result, the weights."""
    history, blowup, last = trainer.history, trainer.blowup, trainer.history.last_epoch
    document = {
        "lesson": lesson.id,
        "config": {**config.__dict__, "hidden": list(config.hidden), "sizes": list(config.sizes)},
        "epochs": epochs,
        "log_every": log_every,
        "log": log,
        "result": {
            "last_epoch": last,
            "loss": history.loss(last) if last >= 0 else None,
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


def _summary(trainer, seconds: float, interrupted: bool, lang: str) -> list[str]:
    """The lines for stderr after a run: how long, when it first got every row right, why it stopped."""
    n, first = len(trainer.history), trainer.history.first_epoch_where(100.0)
    if lang == "ko":
        reached = f"정확도 100%를 처음 달성한 에포크: {first}" if first is not None else "정확도 100%에 이르지 못함"
        lines = [f"{n} 에포크, {seconds:.2f}초; {reached}"]
        if interrupted:
            lines.append(f"중단됨: 에포크 {n - 1}까지 학습했습니다")
    else:
        reached = f"100% accuracy first at epoch {first}" if first is not None else "never reached 100% accuracy"
        lines = [f"{n} epochs in {seconds:.2f} s; {reached}"]
        if interrupted:
            lines.append(f"interrupted: trained up to epoch {n - 1}")
    if trainer.blowup is not None:
        lines.append(("멈춤: " if lang == "ko" else "stopped: ") + trainer.blowup.message(lang))
    return lines
