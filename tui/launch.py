"""What runs with no COMMAND: the app. Its options are read here without importing Textual, so
the headless commands start fast; `run` loads the app."""

from __future__ import annotations

import os
import sys

from core.cli.options import add_lang, lesson_id
from core.config import MAX_EPOCHS
from core.words import say

NAME = None


def add_arguments(parser, lang: str) -> None:
    add_app_options(parser, lang, course=True)


def add_app_options(parser, lang: str, title: str = "cli.app.group", course: bool = False) -> list:
    """The app's options, in a group titled by the words' `title`: on the top-level command, and on
    `serve`, which hands them to every tab's app. Returns their argparse actions. With `course` (the
    app in a terminal, one learner's) no --lesson starts the course, and --progress chooses its file;
    a served tab opens the `and` lesson (its learners share the server's data directory)."""
    from core.cli.options import whole

    group = parser.add_argument_group(say(title, lang))
    o = "cli.app."
    actions = []
    if course:
        from core.files.progress_file import default_path

        actions.append(
            group.add_argument(
                "--progress", metavar="FILE", default=None, help=say(o + "progress", lang, path=default_path())
            )
        )
    return [
        *actions,
        group.add_argument(
            "--lesson",
            type=lesson_id(lang),
            default=None if course else "and",
            metavar="LESSON",
            help=say(o + "lesson", lang) if course else say("cli.serve.lesson", lang),
        ),
        group.add_argument(
            "--epochs",
            type=whole("epochs", 1, MAX_EPOCHS, lang),
            default=None,
            metavar="N",
            help=say(o + "epochs", lang),
        ),
        add_lang(group, lang),
        group.add_argument("--theme", default=None, metavar="NAME", help=say(o + "theme", lang)),
        group.add_argument("--no-mouse", action="store_true", help=say(o + "no_mouse", lang)),
        group.add_argument("--keymap", action="append", default=[], metavar="ID=KEY", help=say(o + "keymap", lang)),
        group.add_argument("--open", metavar="FILE", help=say("cli.save.app_open", lang)),
    ]


def run(args) -> int:
    from tui.app import make_app

    lang = args.lang
    keymap, saved = checked(args)
    course = course_options(args)  # a bad progress file is one line, before anything else
    # A full-screen app reads keys from a terminal; without one it could not even be quit. A
    # browser tab (textual-serve) talks to it through pipes and says so with TEXTUAL_DRIVER.
    if "TEXTUAL_DRIVER" not in os.environ and not (sys.stdin.isatty() and sys.stdout.isatty()):
        args.parser.error(say("cli.app.no_terminal", lang))
    session = view = None
    if saved is not None:  # replayed by the app's load worker, its progress in the status line
        from tui.run.live import LiveRun

        session, view = LiveRun.opened(args.open, saved), saved.view
    lesson = args.lesson or course["progress_lesson"]
    del course["progress_lesson"]
    app = make_app(lesson, lang, args.theme, keymap, epochs=args.epochs, run=session, view=view, course=course)
    app.run(mouse=not args.no_mouse)
    # The terminal is restored by now. Tearing down torch's modules at interpreter exit takes
    # ~0.6 s and there is nothing left to save, so leave at once.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(app.return_code or 0)


def checked(args) -> tuple[dict[str, str], object]:
    """The app's options checked as the app takes them: (--keymap as Textual's keymap, the saved run
    --open names or None). Anything wrong is one line and exit status 2."""
    from core.errors import InputError
    from tui.keys import check_keymap

    error, lang = args.parser.error, args.lang
    try:
        keymap = check_keymap(args.keymap)
    except InputError as bad:
        error(bad.message(lang))
    saved = opened_session(args)  # a bad file is one line, before the screen is taken over
    if args.theme is not None:
        from textual.theme import BUILTIN_THEMES

        if args.theme not in BUILTIN_THEMES:
            error(say("cli.app.theme_error", lang, value=args.theme, themes=", ".join(sorted(BUILTIN_THEMES))))
    return keymap, saved


def course_options(args) -> dict:
    """The course's progress and its file, for make_app: it starts at once unless --lesson or --open
    says what to open (and then `c` opens it). A bad progress file is one line and exit status 2 when
    the course would start; with --lesson it is left alone and nothing is saved (the course says so).
    Also `progress_lesson`: the lesson of the step the learner is on."""
    from core.course.steps import STEPS, step_index
    from core.files.progress_file import Progress, ProgressError, default_path, read_progress

    path = args.progress or default_path()
    starts = args.lesson is None and args.open is None
    try:
        progress, not_saved = read_progress(path, missing_ok=True), None
    except ProgressError as bad:
        if starts:
            args.parser.error(say("progress.refused", args.lang, problem=bad.message(args.lang)))
        progress, not_saved = Progress(), say("progress.refused", args.lang, problem=bad.message(args.lang))
    lesson = STEPS[step_index(progress.current)].lesson
    return {"progress": progress, "path": path, "not_saved": not_saved, "start": starts, "progress_lesson": lesson}


def opened_session(args):
    """The session file --open names, read and checked (not replayed yet), or None; a bad one is one
    line and exit status 2."""
    if args.open is None:
        return None
    from core.errors import InputError
    from core.files.session_file import read_session

    try:
        return read_session(args.open)
    except InputError as bad:
        args.parser.error(bad.message(args.lang))


def render_svg(lesson, trainer, goal: int, epoch: int, lang: str, size: tuple[int, int]) -> str:
    """The app's screen showing `trainer`'s run at `epoch`, as SVG (`perceptron-lab export --to svg`)."""
    from tui.screenshot import screenshot

    return screenshot(lesson, trainer, goal, epoch, lang, size)
