"""Perceptron Lab, the Textual app: a lesson's truth table, network, loss plot and weights, trained
from the keyboard one epoch, a hundred, or a run at a time, with every past epoch on view."""

from __future__ import annotations

import threading
import time
from dataclasses import replace

from textual import work
from textual.app import App, ComposeResult
from textual.binding import BindingsMap
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.reactive import reactive
from textual.widgets import Footer, Static
from textual.worker import Worker, WorkerFailed

from core.lessons import LESSONS, lesson as get_lesson
from tui.commands import LabCommands
from tui.i18n import tr
from tui.keys import TRAINING, bindings
from tui.messages import EngineFailed, EngineReady, TrainingStopped
from tui.screens.branch_question import BranchQuestion
from tui.screens.help import HelpScreen
from tui.screens.lesson_picker import LessonPicker
from tui.session import SPEEDS, Session, lower_thread_priority, lr_step
from tui.widgets.lesson_notes import LessonNotes
from tui.widgets.loss_plot import LossPlot
from tui.widgets.network_diagram import NetworkDiagram
from tui.widgets.status_line import StatusLine
from tui.widgets.truth_table import TruthTable
from tui.widgets.weights_inspector import WeightsInspector

MIN_WIDTH, MIN_HEIGHT = 80, 24
TICK = 1 / 4  # seconds between looks at a running engine: the status line's rate
# At 100 epochs/s and faster the panels change faster than anyone reads them, and every redraw
# resends a panel's whole area (an SSH link is slow): the heavy ones redraw less often.
# Measured at 120x40: plot ~5.5 KB a redraw, weights panels ~14 KB, truth table ~1.4 KB.
# Out of sight (the app has lost focus: a browser tab in the background, a terminal window behind
# another) the panels redraw at those rates at every speed; back in view, all at once.
FAST = 100
TABLE_EVERY = 1.0
PLOT_EVERY = 1.0
WEIGHTS_EVERY = 5.0
# Below FAST every new epoch is drawn in the status line and the truth table, but the plot and
# the weights panels at most this often: at 10 epochs/s the weights change faster than they can
# be read and the curve by less than a column, and they are most of the drawing's CPU and bytes
# (a served classroom has 15 such tabs on one machine). At 1/s: every epoch, everywhere.
SLOW_HEAVY_EVERY = 0.9

class SizeNotice(Static):
    """Shown instead of the panels when the terminal is smaller than MIN_WIDTH × MIN_HEIGHT."""

    def render(self) -> str:
        width, height = self.app.size
        return tr("too_small", self.app.lang, w=MIN_WIDTH, h=MIN_HEIGHT, cw=width, ch=height)


class PerceptronLab(App):
    CSS_PATH = "app.tcss"
    TITLE = "Perceptron Lab"
    COMMANDS = App.COMMANDS | {LabCommands}
    BINDINGS = bindings("en")
    # Below 80×24 a notice replaces the panels (app.tcss); between 80 and 110 columns they narrow.
    HORIZONTAL_BREAKPOINTS = [(0, "-too-narrow"), (MIN_WIDTH, "-narrow"), (110, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-too-short"), (MIN_HEIGHT, "-tall")]

    state = reactive("loading", bindings=True)
    view = reactive[int | None](None)  # the epoch on view; None follows the latest

    def __init__(
        self,
        lesson_id: str = "and",
        lang: str = "en",
        theme: str | None = None,
        keymap: dict[str, str] | None = None,
        epochs: int | None = None,
    ):
        super().__init__()
        self.lang = lang
        self.epochs = epochs  # the run's length if not the lesson's (--epochs)
        self.session = Session(get_lesson(lesson_id), epochs)
        self.show_accuracy = False
        self._stop = threading.Event()
        self._worker: Worker | None = None
        self._run_id = 0
        self._drawn = {"table": 0.0, "plot": 0.0, "weights": 0.0}  # when each was last redrawn
        self._localize()
        if theme:
            self.theme = theme
        if keymap:
            self.set_keymap(keymap)

    # --- layout ------------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="main"):
            with Vertical(id="left"):
                yield TruthTable(id="truth", classes="panel")
                with VerticalScroll(id="network", classes="panel"):
                    yield NetworkDiagram()
            with Vertical(id="right"):
                yield LossPlot(id="plot", classes="panel")
                yield WeightsInspector(id="weights", classes="panel")
            yield LessonNotes(id="notes", classes="panel")
        yield SizeNotice(id="too-small")
        yield StatusLine(id="status")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self._titles()
        self.query_one(LessonNotes).show(self.session.lesson, self.lang)
        self.redraw(weights=True)
        self._load()
        self.set_interval(TICK, self._tick)

    def _titles(self) -> None:
        lang = self.lang
        for panel, key in (("#truth", "truth_table"), ("#network", "network"), ("#plot", "loss_plot"), ("#notes", "notes")):
            self.query_one(panel).border_title = tr(key, lang)
        self.query_one("#plot").border_subtitle = tr("plateau", lang)

    def _localize(self) -> None:
        """Footer and help in the current language (ids, and so remapped keys, stay)."""
        ours = {binding.id: binding for binding in bindings(self.lang)}
        merged = BindingsMap()
        for key, found in self._bindings.key_to_bindings.items():
            merged.key_to_bindings[key] = [ours.get(b.id, b) if b.id else b for b in found]
        self._bindings = merged
        self.refresh_bindings()

    # --- the engine --------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="load")
    def _load(self) -> None:
        try:
            self.session.load()  # imports torch: seconds, so the first frame is drawn before
        except Exception as error:  # noqa: BLE001 - shown to the learner in one line, not as a traceback
            self.post_message(EngineFailed(f"{type(error).__name__}: {error}"))
            return
        self.post_message(EngineReady(self.session.lesson.id))

    def on_engine_ready(self, message: EngineReady) -> None:
        if message.lesson_id == self.session.lesson.id:
            self._settle()

    def on_engine_failed(self, message: EngineFailed) -> None:
        self.notify(message.error, severity="error", timeout=30)

    def _start(self) -> None:
        self._stop = threading.Event()
        self._run_id += 1
        self.view = None
        self.state = "running"
        self._worker = self._train(self._stop, self._run_id)

    @work(thread=True, exclusive=True, exit_on_error=False, group="train")
    def _train(self, stop: threading.Event, run_id: int) -> None:
        lower_thread_priority()  # keys and redraws, of this app and of every other tab served, first
        reason = self.session.train(stop)
        self.post_message(TrainingStopped(reason, run_id))

    def on_training_stopped(self, message: TrainingStopped) -> None:
        if message.run == self._run_id:
            self._settle()

    async def _halt(self, settle: bool = True) -> None:
        """Stop the training worker and wait for it: the run may be changed only after this."""
        self._stop.set()
        if self._worker is not None:
            try:
                await self._worker.wait()
            except WorkerFailed:
                pass
            self._worker = None
        self._run_id += 1  # whatever that worker posted is now stale
        if settle:
            self._settle()

    def _settle(self) -> None:
        """The state once no worker trains, from what the run is."""
        session = self.session
        if not session.ready:
            self.state = "loading"
        elif session.blowup is not None:
            self.state = "blown_up"  # the status line says why, in red
        elif session.finished:
            self.state = "finished"
        else:
            self.state = "ready" if session.last_epoch == 0 else "paused"
        self.redraw(weights=True)

    # --- drawing -----------------------------------------------------------------------------------

    def _tick(self) -> None:
        if self.state != "running":
            return
        speed = self.session.speed
        if speed is not None and speed < FAST and self.app_focus:
            # Slow enough to watch every epoch: the panels when there is a new one (the plot and
            # the weights at most every SLOW_HEAVY_EVERY).
            now = time.monotonic()
            whole = speed * SLOW_HEAVY_EVERY <= 1  # 1 epoch/s: every epoch drawn whole
            if whole or now - self._drawn["weights"] >= SLOW_HEAVY_EVERY - TICK:
                self.session.want_weights()  # taken at the next epoch, drawn at the next tick
            if self.session.last_epoch != self._drawn.get("epoch"):
                self._drawn["epoch"] = self.session.last_epoch
                self.redraw(
                    weights=whole or now - self._drawn["weights"] >= SLOW_HEAVY_EVERY,
                    plot=whole or now - self._drawn["plot"] >= SLOW_HEAVY_EVERY,
                )
            return
        now = time.monotonic()
        if now - self._drawn["weights"] >= WEIGHTS_EVERY - TICK:
            self.session.want_weights()
        self.redraw(
            weights=now - self._drawn["weights"] >= WEIGHTS_EVERY,
            plot=now - self._drawn["plot"] >= PLOT_EVERY,
            table=now - self._drawn["table"] >= TABLE_EVERY,
        )

    def on_app_focus(self) -> None:
        if self.state == "running":
            self.redraw()  # in view again: the latest epoch at once, not at the next slow redraw

    def redraw(self, weights: bool = True, plot: bool = True, table: bool = True) -> None:
        """Show the epoch on view in every panel, from one Frame so they all agree."""
        frame = self.session.frame(self.state, self.view, with_weights=weights)
        lang, now = self.lang, time.monotonic()
        self.query_one(StatusLine).show(frame, lang)
        if table:
            self.query_one(TruthTable).show(frame, lang)
            self._drawn["table"] = now
        if plot:
            self.query_one(LossPlot).show(frame, lang, self.show_accuracy)
            self._drawn["plot"] = now
        if weights and frame.weights is not None:
            self.query_one(NetworkDiagram).show(frame, lang)
            self.query_one(WeightsInspector).show(frame, lang)
            self.query_one("#weights").border_title = tr("weights", lang, epoch=frame.weights.epoch)
            self._drawn["weights"] = now
        elif frame.weights is None and not self.session.ready:
            self.query_one(NetworkDiagram).show(frame, lang)
            self.query_one("#weights").border_title = tr("weights_none", lang)

    # --- which keys do something now ---------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action not in TRAINING:
            return True
        if self.state == "loading":
            return None  # shown, greyed: keys are taken once the engine is ready
        if self.state == "running" and action in {"step", "move", "first", "latest"}:
            return None
        return True

    # --- actions -----------------------------------------------------------------------------------

    @property
    def _viewed(self) -> int:
        return self.session.last_epoch if self.view is None else self.view

    @property
    def _in_past(self) -> bool:
        return self.view is not None and self.view < self.session.last_epoch

    async def action_run_pause(self) -> None:
        if self.state == "running":
            await self._halt()
            return
        if self._in_past:
            self._ask_branch(then=None)
            return
        if self.state == "blown_up":
            self.notify(tr("blowup_keys", self.lang), severity="warning")
            return
        if self.state == "finished":
            self.session.extend()
        self._start()

    def action_step(self, n: int) -> None:
        if self._in_past:
            self._ask_branch(then=n)
            return
        if self.state == "blown_up":
            self.notify(tr("blowup_keys", self.lang), severity="warning")
            return
        self._step(n)

    def _step(self, n: int) -> None:
        self.session.step(n)
        self.view = None
        self._settle()

    def _ask_branch(self, then: int | None) -> None:
        def answer(choice: str | None) -> None:
            if choice is None:
                return
            if choice == "branch":
                self.session.branch(self.view)
            self.view = None
            if self.session.blowup is not None:
                self._settle()
            elif then is None:
                self._start()
            else:
                self._step(then)

        self.push_screen(BranchQuestion(self.view, self.session.last_epoch, self.lang), answer)

    def action_move(self, delta: int) -> None:
        last = self.session.last_epoch
        if delta == 1 and not self._in_past:
            self.action_step(1)  # → at the latest epoch steps, as n does
            return
        target = max(0, min(last, self._viewed + delta))
        self.view = None if target == last else target
        self.redraw()

    def action_first(self) -> None:
        self.view = 0 if self.session.last_epoch > 0 else None
        self.redraw()

    def action_latest(self) -> None:
        self.view = None
        self.redraw()

    async def action_reset(self) -> None:
        await self._halt(settle=False)
        self.session.reset()
        self.view = None
        self._settle()

    async def action_reseed(self) -> None:
        await self._halt(settle=False)
        self.session.reset(new_seed=True)
        self.view = None
        self._settle()

    def action_pick_lesson(self) -> None:
        self.push_screen(LessonPicker(self.session.lesson.id, self.lang), self._open_lesson)

    async def action_open_lesson(self, lesson_id: str) -> None:
        await self._open_lesson(lesson_id)

    async def _open_lesson(self, lesson_id: str | None) -> None:
        if lesson_id is None or lesson_id not in LESSONS:
            return
        await self._halt(settle=False)
        session = Session(get_lesson(lesson_id), self.epochs)
        session.speed = self.session.speed
        self.session, self.view = session, None
        self._titles()
        self.query_one(LessonNotes).show(session.lesson, self.lang)
        self.state = "loading"
        self._load()

    def action_lr(self, direction: int) -> None:
        session = self.session
        lr = lr_step(session.lr, up=direction > 0)
        session.set_lr(lr, training=self.state == "running")  # the status line shows it
        self.redraw(weights=False, plot=False)

    def action_speed(self, direction: int) -> None:
        i = SPEEDS.index(self.session.speed)
        self.session.speed = SPEEDS[(i + direction) % len(SPEEDS)]
        self.redraw(weights=False, plot=False)

    def action_toggle_notes(self) -> None:
        self.screen.toggle_class("notes-open")

    def action_toggle_accuracy(self) -> None:
        self.show_accuracy = not self.show_accuracy
        self.redraw(weights=False)

    def action_toggle_language(self) -> None:
        self.lang = "en" if self.lang == "ko" else "ko"
        self._localize()
        self._titles()
        self.query_one(LessonNotes).show(self.session.lesson, self.lang)
        self.redraw()

    def action_help(self) -> None:
        # Composed once per language and kept: opening it again is instant.
        name = f"help-{self.lang}"
        if not self.is_screen_installed(name):
            self.install_screen(HelpScreen(self.lang), name)
        self.push_screen(name)

    async def action_quit(self) -> None:
        self._stop.set()  # the worker sees it within one slice (20 ms) and returns
        self.exit()

    def on_exit_app(self) -> None:
        # However the app is told to exit (q, a closed browser tab, SIGTERM), the engine stops:
        # Python waits for the worker's thread before the process can end.
        self._stop.set()

    async def action_interrupt(self) -> None:
        if self.state == "running":
            await self._halt()
            self.notify(tr("ctrl_c_again", self.lang), timeout=4)
        else:
            await self.action_quit()

    def key_table(self) -> list[tuple[str, str, str]]:
        """(id, keys as now mapped, description) of every binding, for the help screen."""
        rows = []
        for binding in bindings(self.lang):
            keys = self._keymap.get(binding.id, binding.key)
            shown = ", ".join(self.get_key_display(replace(binding, key=k.strip(), key_display=None)) for k in keys.split(","))
            rows.append((binding.id, shown, binding.description))
        return rows


def make_app(
    lesson_id: str = "and",
    lang: str = "en",
    theme: str | None = None,
    keymap: dict[str, str] | None = None,
    epochs: int | None = None,
) -> PerceptronLab:
    """The app as the command line and the tests build it."""
    return PerceptronLab(lesson_id, lang, theme, keymap, epochs)
