"""Runs of one's own in the app: a new experiment from the form, the run saved as a session file, a
saved run opened (replayed in the load worker), and exports (script, csv, state-dict, svg).

The app's rules (tui/app.py) hold here too:
- The run changes only on the UI thread, once no worker trains it: a new experiment or an opened
  file becomes the run through PerceptronLab.use_run, which halts the training worker first.
  The form and the open prompt leave the run as it is (training, even) until they are confirmed.
- Save and export pause a running run first, as space does, so that the file holds what is on
  screen. What they write is taken from the run at once, on the UI thread (a SavedRun, a copy of
  every epoch's records, one epoch's weights, the screen), and written by a worker, atomically
  (core.files.files); the run may go on meanwhile, and quitting cancels a long export.
- An answer applies to the run it was asked about: a save or export prompt carries its session.
- While a saved run replays, the state is "loading" and the status line says how far it has got;
  esc stops the replay and brings back the run that was on screen, untouched. A run that was
  saved on a machine that computes differently opens with one notification saying so.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from textual.worker import get_current_worker

from core.errors import InputError
from core.lessons import Experiment, Lesson
from core.words import say
from tui.files.experiment_form import ExperimentForm
from tui.files.path_prompt import OpenedFile, PathPrompt
from tui.messages import EngineFailed, EngineReady, FileNotWritten, FileWritten, Replaying
from tui.run.live import LiveRun

if TYPE_CHECKING:  # the export menu loads on ctrl+e (its formats import the command line: ~30 ms)
    from tui.app import PerceptronLab
    from tui.files.export_menu import ExportChoice

CSV_CHUNK = 5000  # rows of a CSV written between looks at whether the app is quitting
PROGRESS_EVERY = 0.25  # seconds between status redraws while a saved run replays (as TICK while training)


def run_name(lesson: Lesson) -> str:
    """A file name's stem for a run: its lesson's id, or an experiment's table and shape (xnor-2-3-1)."""
    if isinstance(lesson, Experiment):
        config = lesson.config
        return f"{config.data.name}-{'-'.join(map(str, config.sizes))}"
    return lesson.id


class Files:
    """The keys of runs of one's own: ctrl+n, ctrl+s, ctrl+o, ctrl+e, and esc while a saved run opens."""

    def __init__(self, app: PerceptronLab):
        self.app = app
        # While a saved run replays: (that run, the one on screen before it, its epoch on view).
        self._opening: tuple[LiveRun, LiveRun, int | None] | None = None
        self._progress_drawn = 0.0

    # --- a new experiment --------------------------------------------------------------------------

    def new_experiment(self) -> None:
        session = self.app.live
        # The form starts from the run on screen, with its seed as it is now (R changes it).
        config = session.lesson.config.with_(seed=session.seed)
        # From the lesson with no run (the neuron): a perceptron on its dataset, for a lesson's length.
        epochs = session.epochs if session.lesson.trains else Lesson.epochs
        current = replace(session.lesson, config=config, epochs=epochs, trains=True)
        self.app.push_screen(ExperimentForm(self.app.lang, current), self._start_experiment)

    async def _start_experiment(self, experiment: Experiment | None) -> None:
        if experiment is None:
            return
        await self.app.use_run(LiveRun(experiment, experiment.epochs))

    # --- saving ------------------------------------------------------------------------------------

    async def save(self) -> None:
        if self.app.state == "running":
            await self.app.engine.halt()  # the file holds what is on screen: paused, as space pauses
        session = self.app.live
        if not session.ready or not self.app.on_main_screen:
            return
        run = session.saved_run(self.app.view)  # taken now, while nothing trains
        prompt = PathPrompt(self.app.lang, "save", self._suggested(session), self.app.workdir)
        self.app.push_screen(prompt, lambda path: self._save(session, run, path))

    def _suggested(self, session: LiveRun) -> str:
        """The file it came from or was last saved to (by name, if it is in the app's directory), or a new name."""
        if session.path is None:
            return f"{run_name(session.lesson)}.json"
        path = Path(session.path)
        return path.name if path.parent == self.app.workdir.expanduser() else str(path)

    def _save(self, session: LiveRun, run, path: str | None) -> None:
        if path is None or self.app.live is not session:
            return
        session.path = path  # the name the next save suggests
        lang = self.app.lang
        self._write(
            path,
            lambda cancelled: run.to_json().encode("utf-8"),
            say("files.saved", lang, path=path, last=run.last_epoch),
        )

    # --- exporting ---------------------------------------------------------------------------------

    async def export(self) -> None:
        if self.app.state == "running":
            await self.app.engine.halt()  # the export is of what is on screen
        session = self.app.live
        if not session.ready or not self.app.on_main_screen:
            return
        from core.cli.export import KINDS
        from tui.files.export_menu import ExportMenu

        kinds = tuple(k for k in KINDS if k != "script") if session.lesson.rule else KINDS
        viewed = self.app.owner.viewed
        menu = ExportMenu(self.app.lang, run_name(session.lesson), viewed, directory=self.app.workdir, kinds=kinds)
        self.app.push_screen(menu, lambda choice: self._export(session, choice))

    async def _export(self, session: LiveRun, choice: ExportChoice | None) -> None:
        if choice is None or self.app.live is not session or not session.ready:
            return
        if self.app.state == "running":  # never, as the menu held the keys; but torch is read below
            await self.app.engine.halt()
        lang, kind, history = self.app.lang, choice.kind, session.trainer.history
        if kind == "script":
            data = self._script(session).encode("utf-8")
            make = lambda cancelled: data  # noqa: E731
        elif kind == "csv":
            from core.files.exports import Records

            records = Records(history)  # a copy: the run may go on while the worker writes it
            make = lambda cancelled: _csv_bytes(records, cancelled)  # noqa: E731
        elif kind == "state-dict":
            from core.files.exports import state_dict_of

            weights = history.weights_at(min(choice.epoch, history.last_epoch))
            make = lambda cancelled: state_dict_of(weights)  # noqa: E731
        else:  # the screen as it is, at the epoch on view
            title = f"Perceptron Lab: {session.lesson.title_in(lang)}"
            data = self.app.export_screenshot(title=title).encode("utf-8")
            make = lambda cancelled: data  # noqa: E731
        self._write(choice.path, make, lambda size: say("files.exported", lang, path=choice.path, kind=kind, size=size))

    def save_screen(self) -> None:
        """The command palette's "Screenshot": the screen as an SVG in the app's directory, under a
        name of the run and the epoch on view, told by its full path (Textual's own saved nowhere
        a learner would look, and failed where it has no downloads folder)."""
        session, lang = self.app.live, self.app.lang
        stem = run_name(session.lesson)
        if session.ready:
            stem += f"-epoch-{self.app.owner.viewed}"
        directory = self.app.workdir.expanduser().resolve()
        path = directory / f"{stem}.svg"
        for n in range(2, 1000):
            if not path.exists():
                break
            path = directory / f"{stem}-{n}.svg"
        data = self.app.export_screenshot(title=f"Perceptron Lab: {session.lesson.title_in(lang)}").encode("utf-8")
        self._write(
            str(path), lambda cancelled: data, say("files.exported", lang, path=str(path), kind="svg", size=len(data))
        )

    def _script(self, session: LiveRun) -> str:
        """The notebook-style script of the run, as `perceptron-lab export FILE --to script` writes it
        for the run saved now: trained to the goal (the N of "Epoch: e/N"), with every lr change."""
        from core.files.exports import script

        run, lang = session.saved_run(None), self.app.lang
        blowup = session.trainer.blowup
        stopped = None if blowup is None else (blowup.epoch, blowup.message(lang))
        title = session.lesson.title_in(lang)
        return script(run.config, session.goal, run.lr_changes, session.lesson.log_every, stopped, title, lang)

    # --- writing files (a worker) ------------------------------------------------------------------

    def _write(self, path: str, make: Callable, told: str | Callable[[int], str]) -> None:
        """Write `make(cancelled)`'s bytes to `path` in a worker, atomically; then say `told` (or
        told(size)), or why it could not be written."""
        work = partial(self._write_file, path, make, told, self.app.lang)
        self.app.run_worker(work, thread=True, exit_on_error=False, group="files")

    def _write_file(self, path: str, make: Callable, told, lang: str) -> None:
        from core.files.files import atomic_write

        worker = get_current_worker()
        try:
            data = make(lambda: worker.is_cancelled)
            if data is None:  # the app is quitting
                return
            atomic_write(path, data)
        except InputError as bad:
            self.app.post_message(FileNotWritten(bad.message(lang)))
            return
        except Exception as error:  # a bug, or the machine (memory): one line, the run untouched
            self.app.post_message(FileNotWritten(f"{path}: {type(error).__name__}: {error}"))
            return
        self.app.post_message(FileWritten(told(len(data)) if callable(told) else told))

    # --- opening -----------------------------------------------------------------------------------

    def open(self) -> None:
        self.app.push_screen(PathPrompt(self.app.lang, "open", "", self.app.workdir), self._open_file)

    async def _open_file(self, opened: OpenedFile | None) -> None:
        # The file was read and checked in full by the prompt: a bad one never gets here.
        if opened is None or self.app.state == "loading":
            return
        session = LiveRun.opened(opened.path, opened.run)
        before, view = self.app.live, self.app.view
        await self.app.use_run(session, opened.run.view)  # halts the run on screen; kept to come back to
        self._opening = (session, before, view)

    def replaying(self, message: Replaying) -> None:
        now = time.monotonic()
        if message.serial == self.app.live.serial and now - self._progress_drawn >= PROGRESS_EVERY:
            self._progress_drawn = now
            self.app.drawing.status()

    def opened(self, message: EngineReady) -> None:
        # Called by the app after the engine has settled the state.
        opening = self._opening
        if opening is not None and self.app.live is not opening[0]:
            self._opening = None  # another run was chosen while it opened: the run before is let go
        if opening is None or self.app.live is not opening[0] or opening[0].serial != message.serial:
            return
        self._opening = None  # the run before is let go
        session = opening[0]
        lang = self.app.lang
        warning = session.saved.mismatch(session.trainer.history, session.path, lang) if session.mismatch else None
        if warning:
            self.app.notify(warning, severity="warning", timeout=20)
        else:
            self.app.notify(say("files.opened", lang, path=session.path, last=session.last_epoch), timeout=6)

    def open_failed(self, message: EngineFailed) -> None:
        opening = self._opening
        if opening is not None and opening[0].serial == message.serial and self.app.live is opening[0]:
            self._back_to_before("files.open_failed")

    def cancel_open(self) -> None:
        opening = self._opening
        if opening is None or self.app.live is not opening[0] or self.app.live.ready:
            return  # nothing opening (or it has just finished: it stays)
        self.app.engine.stop.set()  # the replay stops within a few thousand epochs; its session is dropped
        self._back_to_before("files.cancelled")

    def _back_to_before(self, words: str) -> None:
        opening, before, view = self._opening
        self._opening = None
        self.app.owner.use(before, view, keep_speed=False)
        self.app.owner.settle()  # loaded all along: as it was
        self.app.show_run()
        self.app.notify(say(words, self.app.lang, path=opening.path), severity="warning", timeout=6)


def _csv_bytes(records, cancelled: Callable[[], bool]) -> bytes | None:
    """The CSV of every epoch (core.files.exports.csv_lines), or None if the app quits meanwhile."""
    from core.files.exports import csv_lines

    chunks, lines = [], []
    for line in csv_lines(records):
        lines.append(line)
        if len(lines) >= CSV_CHUNK:
            if cancelled():
                return None
            chunks.append("\n".join(lines))
            lines = []
    chunks.append("\n".join(lines))
    return ("\n".join(chunk for chunk in chunks if chunk) + "\n").encode("utf-8")
