"""`perceptron-lab sweep LESSON --seeds N`: train N initialisations of one configuration at once and
report how many learn, when, and where the rest got stuck.

Every seed's numbers are the single engine's (core.sweep.sweep). A progress bar goes to stderr when it is
a terminal; Ctrl-C stops the sweep and reports the epochs done (exit status 130).
"""

from __future__ import annotations

import contextlib
import signal
import sys
import threading
import time

from core.cli import PROG
from core.cli.options import add_training, choice, training_config, whole
from core.config import MAX_SEED
from core.lessons import LESSONS, trained
from core.words import say

NAME = "sweep"
FORMATS = ("text", "json", "csv")
DEFAULT_SEEDS = 100
MAX_SEEDS = 10_000  # 10,000 seeds of xor-mlp peak at ~0.75 GB RSS; more is a typo more often than not


def add_arguments(parser, lang: str) -> None:
    add_training(parser, lang, show_open=False)  # a sweep takes a lesson, not a session file
    o = "cli.sweep."
    parser.add_argument(
        "--seeds", type=whole("seeds", 1, MAX_SEEDS, lang), default=DEFAULT_SEEDS, metavar="N",
        help=say(o + "seeds", lang, default=DEFAULT_SEEDS, most=f"{MAX_SEEDS:,}"),
    )  # fmt: skip
    parser.add_argument(
        "--seed-start", type=whole("seed-start", 0, MAX_SEED, lang), default=None, metavar="S",
        help=say(o + "seed_start", lang),
    )  # fmt: skip
    parser.add_argument(
        "--format", type=choice("format", FORMATS, lang), default="text", metavar="{" + ",".join(FORMATS) + "}",
        help=say(o + "format", lang),
    )  # fmt: skip
    parser.add_argument("--curves", action="store_true", help=say(o + "curves", lang))


def seed_range(args) -> range:
    """The seeds asked for: --seeds N from --seed-start S (or --seed S, the same thing); exit 2 if bad."""
    lang, error = args.lang, args.parser.error
    start = args.seed_start
    if args.seed is not None:
        if start is not None and start != args.seed:
            error(say("cli.sweep.two_starts", lang, seed=args.seed, start=start))
        start = args.seed
    start = start or 0
    if start + args.seeds - 1 > MAX_SEED:
        error(say("cli.sweep.past_max_seed", lang, start=start, n=args.seeds, most=MAX_SEED))
    return range(start, start + args.seeds)


def run(args) -> int:
    lang, error = args.lang, args.parser.error
    if args.open is not None:
        error(say("cli.sweep.no_open", lang))
    if args.lesson is None:
        error(say("cli.sweep.no_lesson", lang, lessons=", ".join(spec.id for spec in trained() if not spec.rule)))
    if not LESSONS[args.lesson].trains:
        error(say("cli.by_hand.no_training", lang, lesson=args.lesson, prog=PROG))
    if LESSONS[args.lesson].rule:
        error(say("cli.rule.no_sweep", lang, lesson=args.lesson, prog=PROG))
    if args.curves and args.format != "json":
        error(say("cli.sweep.curves_json", lang))
    seeds = seed_range(args)
    config, lesson, epochs = training_config(args)
    config = config.with_(seed=seeds[0])

    from core.sweep.sweep import run_sweep
    from core.sweep.sweep_report import to_csv, to_json, to_text

    bar = ProgressBar(sys.stderr, lang) if sys.stderr.isatty() else None
    stop = threading.Event()
    started = time.perf_counter()
    try:
        with stop_on_interrupt(stop):
            result = run_sweep(config, seeds, epochs, progress=bar, stop=stop)
    finally:
        if bar is not None:
            bar.clear()
    seconds = time.perf_counter() - started
    out = sys.stdout
    if args.format == "json":
        print(to_json(result, curves=args.curves, lesson_id=lesson.id), file=out)
    elif args.format == "csv":
        out.write(to_csv(result))
    else:
        print(to_text(result, lang, lesson.id), file=out)
    out.flush()
    model_epochs = len(result.seeds) * (result.last_epoch + 1)
    print(
        f"{PROG}: "
        + say(
            "cli.sweep.summary",
            lang,
            seeds=len(result.seeds),
            epochs=result.last_epoch + 1,
            seconds=seconds,
            us=seconds / max(1, model_epochs) * 1e6,
        ),
        file=sys.stderr,
    )
    if result.stopped:
        print(f"{PROG}: " + say("cli.sweep.interrupted", lang, last=result.last_epoch), file=sys.stderr)
        return 130
    return 0


@contextlib.contextmanager
def stop_on_interrupt(stop: threading.Event):
    """While inside: the first Ctrl-C sets `stop` (the sweep ends at its next epoch and reports
    what it did); a second one interrupts at once. Only the main thread can take signals."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def first(signum, frame):
        stop.set()
        signal.signal(signal.SIGINT, signal.default_int_handler)

    previous = signal.signal(signal.SIGINT, first)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


class ProgressBar:
    """One line on a terminal, redrawn in place: a bar, the epoch and how many seeds have learned.
    Called by run_sweep at most every 0.1 s (core.sweep.sweep.PROGRESS_SECONDS)."""

    def __init__(self, stream, lang: str):
        self.stream, self.lang = stream, lang
        self.drawn = False

    def __call__(self, progress) -> None:
        from shutil import get_terminal_size

        from core.mathtext import cells

        width = get_terminal_size((80, 24)).columns - 1  # the last column would wrap on some terminals
        label = say(
            "cli.sweep.progress",
            self.lang,
            percent=100 * progress.fraction,
            epoch=progress.epoch,
            epochs=progress.epochs,
            learned=progress.learned,
            seeds=progress.seeds,
        )
        room = width - cells(label) - 3
        if room < 10:  # too narrow for a bar beside the words: the words alone, cut to fit
            line = label if cells(label) <= width else _cut(label, width)
        else:
            bar = min(40, room)
            full = round(bar * progress.fraction)
            line = "[" + "█" * full + "░" * (bar - full) + "] " + label
        self.stream.write("\r" + line + "\x1b[K")
        self.stream.flush()
        self.drawn = True

    def clear(self) -> None:
        if self.drawn:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.drawn = False


def _cut(text: str, width: int) -> str:
    """`text` cut to `width` terminal cells, never through a wide character."""
    from core.mathtext import cells

    out = ""
    for char in text:
        if cells(out + char) > width:
            break
        out += char
    return out
