"""Perceptron Lab, the Textual app: a lesson's truth table, network, loss plot and weights, trained
from the keyboard one epoch, a hundred, or a run at a time, with every past epoch on view.

The rules that keep it whole under pressure (random keys, keys arriving together, a slow link):
- A screen on top (help, lesson picker, branch question, command palette) owns the keys: none of
  the app's own keys act while it is open, except ctrl+c. It dismisses itself once.
- The run's owner (self.owner, tui/run/owner.py) is the one writer of the live run, the epoch on
  view and the state. Only this (the UI) thread changes them, and the run only while no worker
  trains it; a loading lesson is published whole, so nothing ever reads half a run. While a
  lesson loads, the keys that change or read the run are greyed and do nothing.
- Every panel records the frame it drew (Frame.stamp); at rest, every visible panel shows the
  frame on view, and a panel that comes back into view draws it first (catch_up).
- An answer applies to the run it was asked about: a branch question carries its run and epoch,
  and is ignored if the run changed meanwhile.
- A key's effect is drawn first and small (the status line), the heavier panels on the next
  frame; every panel resends only the lines that changed.
"""

from __future__ import annotations

import asyncio
import signal
import threading
from dataclasses import replace
from pathlib import Path

from textual import events
from textual.app import App, ComposeResult
from textual.command import CommandPalette
from textual.message import Message
from textual.reactive import reactive
from textual.worker import Worker

from core.lang import next_lang
from core.lessons import LESSONS
from core.lessons import lesson as get_lesson
from core.words import say
from tui.commands import LabCommandPalette, LabCommands
from tui.course.course import Course
from tui.explain.actions import Explaining
from tui.files.actions import Files
from tui.key_rule import KeyRule
from tui.keys import bindings, localize
from tui.main_view import MIN_HEIGHT, MIN_WIDTH, main_view, title_panels
from tui.maps.actions import Maps
from tui.messages import (
    EngineFailed,
    EngineReady,
    ExplainEpoch,
    ExplanationFailed,
    ExplanationReady,
    FileNotWritten,
    FileWritten,
    LabMessage,
    LanguageChosen,
    MapPainted,
    NeuronChanged,
    PanelShown,
    Replaying,
    SurfacePainted,
    TrainingStopped,
)
from tui.neuron.actions import NeuronLesson
from tui.neuron.run import NeuronRun, run_for
from tui.rule.actions import RuleLesson
from tui.run.drawing import TICK, Drawing
from tui.run.engine import Engine
from tui.run.epochs import Epochs
from tui.run.live import SPEEDS, LiveRun
from tui.run.owner import RunOwner
from tui.screens.help import HelpScreen
from tui.screens.lesson_picker import LessonPicker
from tui.surface.actions import Surfaces
from tui.sweep.actions import Sweeps
from tui.widgets.lesson_notes import LessonNotes
from tui.widgets.message_line import MessageLine


class PerceptronLab(App):
    """The app: its layout, its keys, and the features it holds (each an object of its room, given
    the app): the run's owner, engine, drawing and epochs (tui/run), the neuron lesson
    (tui/neuron), the maps (tui/maps), the explainer (tui/explain), files (tui/files), the seed
    sweep (tui/sweep) and the loss surface (tui/surface). Keys and messages come here and are
    handed to the feature they belong to."""

    CSS_PATH = "app.tcss"
    TITLE = "Perceptron Lab"
    COMMANDS = App.COMMANDS | {LabCommands}
    BINDINGS = bindings("en")
    # Below 80×24 a notice replaces the panels (app.tcss); between 80 and 110 columns they narrow.
    HORIZONTAL_BREAKPOINTS = [(0, "-too-narrow"), (MIN_WIDTH, "-narrow"), (110, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-too-short"), (MIN_HEIGHT, "-tall")]

    # repaint=False: an App's reactive repaints the whole screen by default (~30 KB at 120x40),
    # which over a slow link delayed the key's own effect; the panels redraw what they show.
    # The state's one writer is the run's owner (self.owner); the footer's keys follow it.
    _run_state = reactive("loading", bindings=True, repaint=False)

    def __init__(
        self,
        lesson_id: str = "and",
        lang: str = "en",
        theme: str | None = None,
        keymap: dict[str, str] | None = None,
        epochs: int | None = None,
        run: LiveRun | None = None,
        view: int | None = None,
        workdir: str | Path | None = None,
        course: dict | None = None,
    ):
        super().__init__()
        self.lang = lang
        self.epochs = epochs  # the run's length if not the lesson's (--epochs)
        self.owner = RunOwner(self, run or run_for(get_lesson(lesson_id), epochs), view)
        self.workdir = Path.cwd() if workdir is None else Path(workdir)  # where files are saved and opened
        self.show_accuracy = False
        self.engine = Engine(self)
        self.drawing = Drawing(self)
        self.epoch_keys = Epochs(self)
        self.neuron = NeuronLesson(self)
        self.maps = Maps(self)
        self.explanations = Explaining(self)
        self.files = Files(self)
        self.sweeps = Sweeps(self)
        self.surfaces = Surfaces(self)
        self.rule = RuleLesson(self)
        self.key_rule = KeyRule(self)
        self.course = Course(self, **(course or {}))
        self._localize()
        if theme:
            self.theme = theme
        if keymap:
            self.set_keymap(keymap)

    # --- layout ------------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield from main_view()

    def on_mount(self) -> None:
        self.screen_stack[0].add_class("lab-main")  # its messages go in a line, not in toasts (app.tcss)
        title_panels(self)
        self.neuron.show_lesson_view()
        self.query_one(LessonNotes).show(self.live.lesson, self.lang)
        self.drawing.draw(True, True, True)  # every panel in the first frame: nothing is on screen to go first
        # The engine loads once the first frame is out: importing torch on the worker thread holds
        # the interpreter for most of a second and, started at once, kept the status line and the
        # panels' contents ~0.4 s behind their borders (over SSH, the first frame came later).
        self.call_after_refresh(self.call_after_refresh, self.engine.load, self.live)
        if self.course.start_on_mount:
            self.call_after_refresh(self.course.begin)
        self.set_interval(TICK, self.drawing.tick)
        self.screen_change_signal.subscribe(self, self._screen_changed)
        if threading.current_thread() is threading.main_thread():
            # SIGTERM quits as q does, so the terminal is restored (alternate screen, mouse). The
            # loop drops the handler when it closes.
            asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, self._terminate)

    async def _check_bindings(self, key: str, priority: bool = False) -> bool:
        # A key still queued as the app shuts down reaches Textual's handler after the screens have
        # closed, where it raised ScreenStackError: it is dropped.
        if not self.screen_stack:
            return True
        return await super()._check_bindings(key, priority)

    async def _on_message(self, message: Message) -> None:
        # A test's pilot leaving ends the app with Textual's _shutdown while the app still handles
        # its messages: a worker's message coming in then (a map painted, a run stopped) drew in
        # panels the closing screens had taken away, and raised NoMatches.
        if not self.is_running and isinstance(message, (LabMessage, Worker.StateChanged)):
            return
        await super()._on_message(message)

    def on_unmount(self) -> None:
        # However the app ends (q, SIGTERM, an error, a test's pilot), the worker stops: a thread
        # left pacing a slow run would keep the process from exiting.
        self.engine.stop.set()

    def on_exit_app(self) -> None:
        # However the app is told to exit (q, a closed browser tab, SIGTERM, the server stopping):
        # a browser tab's app ends with ExitApp, not the quit action, and a training thread left
        # running (a thread of the loop's executor, which the loop waits for) would keep it alive.
        self.engine.stop.set()

    def on_app_focus(self) -> None:
        # Out of view (a browser tab behind another, a terminal that reports losing focus) the app
        # redraws at the fastest speed's rates; back in view, the latest epoch at once.
        if self.state == "running":
            self.drawing.redraw()

    def notify(self, message: str, *, title: str = "", severity="information", timeout=None, markup=True) -> None:
        """A message for the learner: in the main view's message line (no toast drawn over the
        panels, which cut Korean characters at their edges); toasts on the screens on top."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)
        if self.screen_stack:
            line = self.screen_stack[0].query_one(MessageLine)
            line.say(str(message), severity, self.NOTIFICATION_TIMEOUT if timeout is None else timeout)

    def _terminate(self) -> None:
        self.engine.stop.set()
        self.exit(return_code=143)

    def _localize(self) -> None:
        """Footer and help in the current language (ids, and so remapped keys, stay)."""
        self._bindings = localize(self._bindings, bindings(self.lang, self.course.descriptions()))
        self.refresh_bindings()

    def localize_keys(self) -> None:
        """The footer's words again: a key's description changed with what it does now (the course's enter)."""
        self._localize()

    @property
    def on_main_screen(self) -> bool:
        return len(self.screen_stack) == 1

    # What is on screen, read from its one owner (tui/run/owner.py): nothing here assigns them.
    @property
    def live(self) -> LiveRun | NeuronRun:
        """The run on screen."""
        return self.owner.live

    @property
    def view(self) -> int | None:
        """The epoch on view; None follows the latest."""
        return self.owner.view

    @property
    def state(self) -> str:
        """loading, ready, running, paused, finished or blown_up."""
        return self._run_state

    # --- the truth of the screen ----------------------------------------------------------------

    def frame_on_view(self) -> tuple:
        """(Stamp, language) of the frame on view: what every visible panel shows at rest."""
        return self.owner.frame_on_view(self.lang)

    def visible_frames(self) -> dict[str, tuple | None]:
        """The frame each panel of the main view on screen last drew, by its id (Drawing.visible_frames)."""
        return self.drawing.visible_frames()

    def on_panel_shown(self, message: PanelShown) -> None:
        self.drawing.catch_up()

    def _screen_changed(self, screen) -> None:
        if self.screen_stack and screen is self.screen_stack[0]:
            self.drawing.catch_up()  # back on the main view: what changed under the screen on top, drawn first

    # --- which keys do something now (tui/key_rule.py) ---------------------------------------------

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        return self.key_rule.check(action)

    def on_key(self, event: events.Key) -> None:
        # A key of ours that does nothing here says why in one line, rather than nothing at all.
        why = self.key_rule.why_not(event.key)
        if why:
            event.stop()
            self.notify(why, timeout=6)

    @property
    def explaining(self) -> bool:
        """An epoch is being explained: the run must not change meanwhile."""
        return self.explanations.busy

    # --- actions: each hands the key to the feature it belongs to -------------------------------

    async def action_run_pause(self) -> None:
        if self.state == "running":
            await self.engine.halt()
        else:
            self.epoch_keys.run_or_pause()

    def action_step(self, n: int) -> None:
        self.epoch_keys.step(n)

    def action_move(self, delta: int) -> None:
        self.epoch_keys.move(delta)

    def action_first(self) -> None:
        self.epoch_keys.browse("first")

    def action_latest(self) -> None:
        self.epoch_keys.browse("latest")

    def browse(self, move: int | str) -> None:
        """Move the epoch on view: for screens on top that show the run (the hidden neurons)."""
        self.epoch_keys.browse(move)

    async def action_reset(self) -> None:
        await self.engine.halt(settle=False)
        self.owner.reset()
        self.engine.settle()

    async def action_reseed(self) -> None:
        await self.engine.halt(settle=False)
        self.owner.reset(new_seed=True)
        self.engine.settle()

    def action_pick_lesson(self) -> None:
        self.push_screen(LessonPicker(self.live.lesson.id, self.lang), self._open_lesson)

    async def action_open_lesson(self, lesson_id: str) -> None:
        await self._open_lesson(lesson_id)

    async def _open_lesson(self, lesson_id: str | None) -> None:
        if lesson_id is None or lesson_id not in LESSONS or not self.on_main_screen:
            return
        await self.use_run(run_for(get_lesson(lesson_id), self.epochs))

    async def use_run(self, live: LiveRun, view: int | None = None) -> None:
        """Make `live` the run on screen (stopping the one that trains) and load it in a worker."""
        await self.engine.halt(settle=False)
        self.owner.use(live, view)
        self.show_run()
        self.engine.load(live)  # quitting or another run stops a replay under way

    def show_run(self) -> None:
        """The panels of a run just put on screen: its titles, its lesson's panels and notes, its frame."""
        title_panels(self)
        self.neuron.show_lesson_view()
        self.query_one(LessonNotes).show(self.live.lesson, self.lang)
        self.drawing.redraw()

    def action_lr(self, direction: int) -> None:
        self.owner.set_lr(up=direction > 0)
        self.drawing.status()

    def action_speed(self, direction: int) -> None:
        live = self.live
        live.speed = SPEEDS[(SPEEDS.index(live.speed) + direction) % len(SPEEDS)]
        self.drawing.status()

    async def action_next_table(self) -> None:
        await self.rule.next_table()

    def action_map_view(self) -> None:
        self.maps.toggle_view()

    def action_slice(self) -> None:
        self.maps.toggle_slice()

    def action_hidden_neurons(self) -> None:
        self.maps.open_hidden_neurons()

    def action_surface(self) -> None:
        self.surfaces.open()

    async def action_explain(self) -> None:
        await self.explanations.explain()

    def action_new_experiment(self) -> None:
        self.files.new_experiment()

    async def action_save_session(self) -> None:
        await self.files.save()

    def action_open_session(self) -> None:
        self.files.open()

    async def action_export(self) -> None:
        await self.files.export()

    def action_cancel_open(self) -> None:
        self.files.cancel_open()

    async def action_sweep(self) -> None:
        await self.sweeps.open()

    async def action_course(self) -> None:
        await self.course.toggle()

    async def action_course_go(self) -> None:
        await self.course.go()

    async def action_course_next(self) -> None:
        await self.course.move(1)

    async def action_course_back(self) -> None:
        await self.course.move(-1)

    async def action_course_again(self) -> None:
        await self.course.again()

    async def on_option_list_option_selected(self, event) -> None:
        # The course's choices (a screen on top handles its own lists before they reach the app).
        if event.option_list.id == "course-choices":
            event.stop()
            await self.course.commit(event.option.id)

    async def on_input_submitted(self, event) -> None:
        if event.input.id == "course-number":
            event.stop()
            await self.course.commit_number(event.value)

    def action_toggle_notes(self) -> None:
        self.screen.toggle_class("notes-open")

    def action_toggle_accuracy(self) -> None:
        self.show_accuracy = not self.show_accuracy
        self.call_after_refresh(self.drawing.draw, False, True, False)

    def action_toggle_language(self) -> None:
        self.set_lang(next_lang(self.lang))

    def set_lang(self, lang: str) -> None:
        """Speak `lang` everywhere: footer, titles, notes and panels."""
        self.lang = lang
        self._localize()
        title_panels(self)
        self.query_one(LessonNotes).show(self.live.lesson, self.lang)
        self.course.draw()
        self.drawing.redraw()

    def action_help(self) -> None:
        # Composed once per language and kept: opening it again is instant.
        name = f"help-{self.lang}"
        if not self.is_screen_installed(name):
            self.install_screen(HelpScreen(self.lang), name)
        self.push_screen(name)

    def get_system_commands(self, screen):
        # Textual's "Screenshot" saves to a downloads folder (failing where there is none, as on a
        # server): ours writes to the app's directory and says where.
        for command in super().get_system_commands(screen):
            if command.title == "Screenshot":
                command = command._replace(callback=lambda: self.set_timer(0.1, self.files.save_screen))
            yield command

    def action_command_palette(self) -> None:
        # Ours guards against keys arriving together (it dismisses once) and a closed list. No id:
        # a palette just closed is still the app's child until Textual has removed it, and a new
        # one with the same id raised DuplicateIds (ctrl+p, esc, ctrl+p in one read).
        if self.use_command_palette and self.on_main_screen and not CommandPalette.is_open(self):
            self.push_screen(LabCommandPalette())

    async def action_quit(self) -> None:
        self.engine.stop.set()  # the worker sees it within one slice (20 ms) and returns
        self.exit()

    async def action_interrupt(self) -> None:
        if self.state == "running":
            await self.engine.halt()
            self.notify(say("app.ctrl_c_again", self.lang), timeout=4)
        else:
            await self.action_quit()

    # --- messages: each handed to the feature it belongs to --------------------------------------

    def on_engine_ready(self, message: EngineReady) -> None:
        self.engine.ready(message)  # the state settles first,
        self.files.opened(message)  # then an opened file says whether it matched

    def on_engine_failed(self, message: EngineFailed) -> None:
        self.engine.failed(message)
        self.files.open_failed(message)

    def on_training_stopped(self, message: TrainingStopped) -> None:
        self.engine.stopped(message)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        self.engine.worker_changed(event)

    def on_replaying(self, message: Replaying) -> None:
        self.files.replaying(message)

    def on_file_written(self, message: FileWritten) -> None:
        self.notify(message.words, timeout=6)

    def on_file_not_written(self, message: FileNotWritten) -> None:
        self.notify(message.words, severity="error", timeout=15)

    def on_map_painted(self, message: MapPainted) -> None:
        self.maps.painted(message)

    def on_surface_painted(self, message: SurfacePainted) -> None:
        self.surfaces.painted(message)

    def on_neuron_changed(self, message: NeuronChanged) -> None:
        self.neuron.changed(message)

    def on_explanation_ready(self, message: ExplanationReady) -> None:
        self.explanations.ready(message)

    def on_explanation_failed(self, message: ExplanationFailed) -> None:
        self.explanations.failed(message)

    def on_explain_epoch(self, message: ExplainEpoch) -> None:
        self.explanations.another_epoch(message)

    def on_language_chosen(self, message: LanguageChosen) -> None:
        if message.lang != self.lang:
            self.set_lang(message.lang)

    def key_table(self) -> list[tuple[str, str, str]]:
        """(id, keys as now mapped, description) of every binding, for the help screen."""
        rows = []
        for binding in bindings(self.lang):
            keys = self._keymap.get(binding.id, binding.key)
            shown = ", ".join(
                self.get_key_display(replace(binding, key=k.strip(), key_display=None)) for k in keys.split(",")
            )
            rows.append((binding.id, shown, binding.description))
        return rows


def make_app(
    lesson_id: str = "and",
    lang: str = "en",
    theme: str | None = None,
    keymap: dict[str, str] | None = None,
    epochs: int | None = None,
    run: LiveRun | None = None,
    view: int | None = None,
    workdir: str | Path | None = None,
    course: dict | None = None,
) -> PerceptronLab:
    """The app as the command line and the tests build it: on a lesson, or on a `run` (a saved
    run to replay, LiveRun.opened; or one trained elsewhere, LiveRun.of) at epoch `view`. Files are
    saved to and opened from `workdir` (default: the working directory). `course`: the course's
    progress, its file and whether it starts at once (tui/course/course.py's Course); without it the
    course (c) keeps its answers in memory."""
    return PerceptronLab(lesson_id, lang, theme, keymap, epochs, run, view, workdir, course)
