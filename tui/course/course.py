"""The course's part of the app: which step is on, its phase, and the learner's progress.

A step goes question → run → compared. In the question phase the step's lesson is on screen at
epoch 0 and the keys that change the run are hidden (the key rule asks `locks_run`): the
prediction comes first. Once it is committed the learner runs with the usual keys; enter then
takes the answer from the run on screen (core/course/answers.py), whatever its seed or lr, shows
it beside the prediction, and highlights the panel that shows why. Every change is written to the
progress file at once (atomically); a course made without a file keeps its progress in memory.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from core.course.answers import PENDING, RunFacts
from core.course.steps import STEPS, Step, explanation_facts, step_index
from core.errors import InputError
from core.files.progress_file import ComparedRun, Progress, write_progress
from core.lessons import lesson as get_lesson
from core.words import say
from tui.course.panel import CoursePanel

if TYPE_CHECKING:
    from tui.app import PerceptronLab

PHASES = ("question", "run", "compared")
PANELS = ("truth", "network", "plot", "map", "weights", "hand", "status")
HIGHLIGHT = "course-why"  # the class of the panel a comparison points at (app.tcss)


class Course:
    """The course: `app.course`. `path` None keeps progress in memory (the tests, --lesson with a
    progress file that could not be read: `not_saved` says why)."""

    def __init__(
        self,
        app: PerceptronLab,
        progress: Progress | None = None,
        path: str | Path | None = None,
        not_saved: str | None = None,
        start: bool = False,
        offer: bool = True,
    ):
        self.app = app
        self.progress = progress or Progress()
        self.path = None if path is None else Path(path)
        self.not_saved = not_saved  # why answers are not written (a bad file is never written over)
        self.start_on_mount = start
        self.offer = offer  # at the start, offer to resume (a learner with answers) or go straight to the step
        self.index = step_index(self.progress.current)
        self.phase = self._phase_of(self.index)
        self.shown = False
        self.explained: RunFacts | None = None  # the run the shown comparison was taken from

    # --- reading -----------------------------------------------------------------------------------

    @property
    def step(self) -> Step:
        return STEPS[self.index]

    @property
    def locks_run(self) -> bool:
        """The question is on screen and not answered: the run waits for the prediction."""
        return self.shown and self.phase == "question"

    @property
    def resumable(self) -> bool:
        """The learner has answered something before: offer to resume rather than start at step 1."""
        return bool(self.progress.answers) or self.progress.current is not None

    def check_action(self, action: str) -> bool | None:
        if action == "course":
            return True
        return self.shown

    def descriptions(self) -> dict[str, str]:
        """The footer's words for enter, as the phase is."""
        go = {"question": "go_predict", "run": "go_compare", "compared": "go_next"}[self.phase]
        return {"course_go": say(f"course.{go}", self.app.lang)}

    def facts(self) -> RunFacts:
        """The run on screen, as the step's answer function reads it."""
        app = self.app
        live = app.live
        if not live.lesson.trains:
            return RunFacts(live.lesson.id, neuron=live.neuron, target=live.target)
        trainer = live.trainer
        learned = None
        kept = getattr(app.sweeps, "kept", None)  # the last finished seed sweep (tui/sweep)
        if kept is not None and trainer is not None:
            (config, _, epochs), result = kept
            if config == trainer.config.with_(seed=0, lr=live.lr) and epochs == live.goal and not result.stopped:
                learned = (sum(seed.learned for seed in result.seeds), len(result.seeds))
        return RunFacts(
            live.lesson.id,
            seed=live.seed,
            lr=live.lr,
            history=trainer.history,
            finished=live.finished or live.blowup is not None,
            sweep_learned=learned,
        )

    # --- the keys ----------------------------------------------------------------------------------

    async def toggle(self) -> None:
        """c: show the course (at its step) or hide it, leaving the run to explore."""
        if self.shown:
            self.hide()
        else:
            await self.show()

    async def show(self) -> None:
        app = self.app
        if not app.on_main_screen:
            return
        self.shown = True
        app.screen_stack[0].add_class("course-open")
        if self.phase == "question":
            await self._put_lesson()
        self.draw()
        if self.not_saved:
            app.notify(say("course.not_saved", app.lang, reason=self.not_saved), severity="warning", timeout=8)

    def hide(self) -> None:
        self.shown = False
        self.app.screen_stack[0].remove_class("course-open")
        self._highlight(None)
        self._refresh_keys()
        if self.app.neuron.by_hand:
            self.app.neuron.show_lesson_view()  # its controls take the keys again
        else:
            self.app.screen_stack[0].set_focus(None)

    async def go(self) -> None:
        """enter: predict (the highlighted choice), compare, or go on to the next step."""
        if not self.shown or not self.app.on_main_screen:
            return
        if self.phase == "question":
            widget = self.app.query_one(CoursePanel).answer_widget()
            if widget is None:
                return
            if not widget.has_focus:
                widget.focus()  # the answer's field takes the keys again (a click had moved them)
                return
            if hasattr(widget, "highlighted"):
                if widget.highlighted is not None:
                    await self.commit(widget.get_option_at_index(widget.highlighted).id)
            else:
                await self.commit_number(widget.value)
        elif self.phase == "run":
            await self.compare()
        else:
            await self.move(1)

    async def commit_number(self, text: str) -> None:
        step = self.step
        try:
            value = float(text.strip().replace(",", ""))
            if not step.low <= value <= step.high or value != value:
                raise ValueError
        except ValueError:
            example = {"xor-loss": "0.5", "delta": "-0.1", "sweep-share": "50"}.get(step.id, "100")
            self.app.notify(
                say("course.number_bad", self.app.lang, low=f"{step.low:g}", high=f"{step.high:g}", example=example)
            )
            return
        await self.commit(int(value) if value.is_integer() and abs(value) >= 1 else value)

    async def commit(self, prediction) -> None:
        """The prediction is in: the run keys act from now on."""
        if self.phase != "question" or not self.shown or not self.step.accepts(prediction):
            return  # a choice from the list of a step the course has left is not this step's answer
        self.progress.predicted(self.step.id, prediction)
        self.phase = "run"
        self._save()
        self.draw()
        if self.app.neuron.by_hand:
            self.app.neuron.show_lesson_view()  # the neuron's keys are the run's
        else:
            self.app.screen_stack[0].set_focus(None)

    async def compare(self) -> None:
        """Take the step's answer from the run on screen and put it beside the prediction."""
        app, step = self.app, self.step
        if app.live.lesson.id != step.lesson:
            app.notify(say("course.not_this_lesson", app.lang, lesson=step.lesson), timeout=6)
            await self._put_lesson(fresh=True)
            return
        if app.state == "running":
            await app.engine.halt()
        if app.state == "loading" or not app.live.ready:
            return
        facts = self.facts()
        actual = step.answer(facts)
        if actual is PENDING:
            app.notify(say("course.wait", app.lang, need=step.need(app.lang)), timeout=8)
            return
        answer = self.progress.answers.get(step.id)
        if answer is None:
            return
        run = ComparedRun(facts.lesson, facts.seed, facts.lr, facts.last_epoch)
        self.progress.compared(step.id, actual, step.matches(answer.prediction, actual), run)
        self.explained = facts  # the explanation is filled in from this run, even if another comes on screen
        self.phase = "compared"
        self._save()
        self.draw()

    async def move(self, by: int) -> None:
        """> and < (and enter after a comparison): the next or the previous step, at its question."""
        index = max(0, min(len(STEPS) - 1, self.index + by))
        if index == self.index and by != 0:
            if by > 0 and self.phase == "compared":
                self.app.notify(say("course.last_step", self.app.lang), timeout=8)
            return
        await self._enter(index)

    async def again(self) -> None:
        """o: this step once more, from its question (the earlier answer stays until a new one)."""
        await self._enter(self.index)

    # --- inside ------------------------------------------------------------------------------------

    def _phase_of(self, index: int) -> str:
        answer = self.progress.answers.get(STEPS[index].id)
        return "run" if answer is not None and not answer.compared else "question"

    async def _enter(self, index: int) -> None:
        self.index, self.phase = index, "question"
        self.progress.current = self.step.id
        self._save()
        if not self.shown:
            await self.show()
            return
        await self._put_lesson(fresh=True)
        self.draw()

    async def _put_lesson(self, fresh: bool = False) -> None:
        """The step's lesson on screen, untouched (epoch 0, a neuron not set yet), unless it is already."""
        app = self.app
        live = app.live
        same = live.lesson.id == self.step.lesson and live.lesson == get_lesson(self.step.lesson)
        untouched = same and ((not live.lesson.trains and not fresh) or (live.lesson.trains and live.last_epoch <= 0))
        if untouched and app.state != "running":
            return
        await app.action_open_lesson(self.step.lesson)

    def draw(self) -> None:
        """The panel, the footer's words and the highlighted panel, as the step and phase are."""
        app, step, lang = self.app, self.step, self.app.lang
        if not self.shown:
            return
        panel = app.query_one(CoursePanel)
        title = say("course.panel_title", lang, n=self.index + 1, total=len(STEPS)) + " · " + step.title(lang)
        answer = self.progress.answers.get(step.id)
        if self.phase == "question":
            choices = [(c, step.choice_text(c, lang)) for c in step.choices] if step.kind != "number" else None
            hint = say("course.hint_number" if step.kind == "number" else "course.hint_choice", lang)
            number = say("course.number_placeholder", lang) if step.kind == "number" else None
            panel.show(title, step.question(lang), hint, choices, number)
            self._highlight(None)
            widget = panel.answer_widget()
            if widget is not None:
                widget.focus()
        elif self.phase == "run":
            locked = say("course.locked", lang, prediction=step.shown(answer.prediction, lang))
            run_now = say("course.run_now_by_hand" if step.lesson == "neuron" else "course.run_now", lang)
            panel.show(title, f"{step.question(lang)}\n\n{locked}", run_now, None, None)
            self._highlight(None)
        else:
            facts = self.explained
            shown_actual = step.shown(answer.actual, lang)
            lines = [
                say("course.compare_line", lang, prediction=step.shown(answer.prediction, lang), actual=shown_actual),
                say("course.matched" if answer.matched else "course.missed", lang),
                "",
                step.explanation(lang, **explanation_facts(step, facts, answer.actual, lang)),
                "",
                say("course.look_at", lang, panel=say(f"course.panel.{step.panel}", lang)),
            ]
            panel.show(title, "\n".join(lines), say("course.next_hint", lang), None, None)
            self._highlight(step.panel)
        self._refresh_keys()

    def _highlight(self, panel: str | None) -> None:
        screen = self.app.screen_stack[0]
        for name in PANELS:
            for widget in screen.query(f"#{name}"):
                widget.set_class(name == panel, HIGHLIGHT)

    def _refresh_keys(self) -> None:
        self.app.localize_keys()

    def _save(self) -> None:
        self.progress.current = self.step.id
        if self.path is None or self.not_saved:
            return
        try:
            write_progress(self.path, self.progress)
        except InputError as error:
            self.not_saved = error.message(self.app.lang)
            self.app.notify(say("course.not_saved", self.app.lang, reason=self.not_saved), severity="error", timeout=10)

    # --- the start ---------------------------------------------------------------------------------

    async def begin(self) -> None:
        """At the app's start in course mode: the first step, or the offer to resume."""
        if not (self.offer and self.resumable):
            await self.show()
            return
        from tui.course.resume import ResumeQuestion

        step = self.step
        self.app.push_screen(
            ResumeQuestion(self.app.lang, self.index + 1, len(STEPS), step.title(self.app.lang)), self._resumed
        )

    async def _resumed(self, choice: str | None) -> None:
        if choice == "resume":
            await self.show()
        elif choice == "restart":
            await self._enter(0)
