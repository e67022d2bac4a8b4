"""The course in the app (tui/course): a step's question comes before its run (the run keys wait),
the prediction is committed, the learner runs, and the comparison is taken from the run on screen,
whatever its seed; progress is written as it goes and resumed; a bad file is never written over."""

from __future__ import annotations

import json

import pytest
from scenarios import region_text, settle, until, wait_idle, wait_ready

from core.course.steps import STEPS
from core.files.progress_file import Progress, read_progress
from tui.app import make_app
from tui.course.panel import CoursePanel
from tui.course.resume import ResumeQuestion
from tui.widgets.option_list import OptionList

NEURON_AND = ("plus",) * 10 + ("down",) + ("plus",) * 10 + ("down",) + ("plus",) * 10  # w₁ = w₂ = 1, θ = 1.5


def _course_app(tmp_path, progress: Progress | None = None, lang: str = "en", **options):
    path = tmp_path / "progress.json"
    course = {"progress": progress or Progress(), "path": path, "start": True, **options}
    return make_app(STEPS[0].lesson if progress is None else _lesson(progress), lang, course=course), path


def _lesson(progress: Progress) -> str:
    from core.course.steps import step_index

    return STEPS[step_index(progress.current)].lesson


async def _to(pilot, step_id: str) -> None:
    """Until the course is at `step_id`'s question with its lesson loaded."""
    app = pilot.app
    await until(pilot, lambda: app.course.step.id == step_id and app.state != "loading")
    await settle(pilot)


async def test_three_steps_predicted_run_and_compared(tmp_path):
    app, path = _course_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await until(pilot, lambda: app.course.shown)
        course = app.course
        assert course.step.id == "neuron-and" and course.phase == "question"
        # 1. The neuron by hand: predict θ above 1 and at most 2, set it, compare.
        await pilot.press("down", "enter")
        await settle(pilot)
        assert course.phase == "run" and course.progress.answers["neuron-and"].prediction == "1to2"
        await pilot.press("enter")  # the neuron is not set yet: the run cannot say
        assert course.phase == "run"
        await pilot.press(*NEURON_AND)
        await pilot.press("enter")
        await settle(pilot)
        answer = course.progress.answers["neuron-and"]
        assert course.phase == "compared" and answer.actual == "1to2" and answer.matched
        assert app.query_one("#hand").has_class("course-why")  # the panel that shows why
        # 2. XOR by hand: predict "yes" (wrong), compare at once: the engine's search says no.
        await pilot.press("enter")
        await _to(pilot, "neuron-xor")
        await pilot.press("enter", "enter")
        await settle(pilot)
        assert course.progress.answers["neuron-xor"].matched is False
        assert "✗" in "".join(region_text(app, app.query_one(CoursePanel)))
        # 3. AND: the run keys wait for the prediction.
        await pilot.press("enter")
        await _to(pilot, "and-first-right")
        assert app.live.lesson.id == "and"
        await pilot.press("space", "n", "N")  # the number's field leaves them to the app, which says why not
        await settle(pilot)
        assert app.live.last_epoch == 0 and app.state == "ready"
        assert "Predict first" in "".join(region_text(app, app.query_one("#message")))
        app.screen.set_focus(None)  # as a click elsewhere leaves it
        await pilot.press("enter")  # back to the answer's field
        await pilot.press(*"15", "enter")
        await settle(pilot)
        assert course.phase == "run"
        # A new seed after the prediction: the comparison follows the run on screen.
        await pilot.press("R")
        await wait_ready(pilot)
        await pilot.press("s", "s", "space")
        await wait_idle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        answer = course.progress.answers["and-first-right"]
        history = app.live.trainer.history
        assert answer.actual == history.first_epoch_where(100.0) and answer.run.seed == app.live.seed != 0
        assert answer.matched == STEPS[2].matches(15, answer.actual)
        assert app.query_one("#truth").has_class("course-why")
    saved = read_progress(path)
    assert set(saved.answers) == {"neuron-and", "neuron-xor", "and-first-right"}
    assert saved.current == "and-first-right"


async def test_a_choice_that_arrives_after_the_step_moved_on_is_not_taken(tmp_path):
    # Found by the long key fuzz: enter on neuron-and's list, then a key to the next step before
    # the choice reached the app; the choice "below1" then arrived at neuron-xor, which has no
    # such choice, and the app stopped with a KeyError.
    app, _ = _course_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await until(pilot, lambda: app.course.shown)
        options = app.query_one("#course-choices", OptionList)
        stale = options.get_option_at_index(0)
        assert stale.id == "below1"
        await app.course.move(1)
        await _to(pilot, "neuron-xor")
        options.post_message(OptionList.OptionSelected(options, stale, 0))
        await settle(pilot)
        assert app.course.phase == "question" and "neuron-xor" not in app.course.progress.answers
        assert app.return_code is None and app.is_running
        await pilot.press("enter")  # the step's own list still takes its answer
        await settle(pilot)
        assert app.course.progress.answers["neuron-xor"].prediction == "yes"


async def test_resume_offers_to_go_on_where_the_learner_left_off(tmp_path):
    progress = Progress(current="xor-loss")
    progress.predicted("xor-loss", 0.7)  # predicted, not yet compared
    app, _ = _course_app(tmp_path, progress)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ResumeQuestion))
        await pilot.press("enter")  # resume
        await until(pilot, lambda: app.course.shown)
        await wait_ready(pilot)
        assert app.course.step.id == "xor-loss" and app.course.phase == "run" and app.live.lesson.id == "xor"
        await pilot.press("enter")  # not run yet: nothing to compare
        assert app.course.phase == "run"
        await pilot.press("s", "s", "space")
        await wait_idle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        answer = app.course.progress.answers["xor-loss"]
        assert answer.matched and answer.actual == round(app.live.trainer.history.loss(1000), 4)


async def test_start_again_and_explore_freely(tmp_path):
    progress = Progress(current="mlp-loss")
    app, _ = _course_app(tmp_path, progress)
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ResumeQuestion))
        await pilot.press("down", "down", "enter")  # explore freely
        await settle(pilot)
        assert not app.course.shown and app.live.lesson.id == "xor-mlp"
        await pilot.press("c")  # the course, one key away
        await until(pilot, lambda: app.course.shown)
        assert app.course.step.id == "mlp-loss"
        await pilot.press("less_than_sign")
        await _to(pilot, "mlp-first-right")
        await pilot.press("greater_than_sign", "greater_than_sign")
        await _to(pilot, "hidden-pair")
        assert app.live.lesson.id == "xor-2-2-1" and app.course.phase == "question"
        await pilot.press("c")
        await settle(pilot)
        assert not app.course.shown
        await pilot.press("n")  # exploring: the run keys act
        await settle(pilot)
        assert app.live.last_epoch == 1


async def test_a_progress_file_that_cannot_be_written_is_said_and_the_course_goes_on(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("not a directory")
    app = make_app("neuron", course={"progress": Progress(), "path": blocked / "progress.json", "start": True})
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: app.course.shown)
        await pilot.press("down", "enter")
        await settle(pilot)
        assert app.course.phase == "run" and app.course.not_saved
    assert blocked.read_text() == "not a directory"


def test_a_bad_progress_file_is_one_line_and_never_written_over(tmp_path, capsys):
    from tui.__main__ import main

    path = tmp_path / "progress.json"
    path.write_text('{"format": "perceptron-lab progress", "version": 1, "answers": [1]}')
    before = path.read_bytes()
    with pytest.raises(SystemExit) as exit_info:
        main(["--progress", str(path), "--lang", "en"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Nothing was written over it" in err and str(path) in err
    assert path.read_bytes() == before


def test_with_a_lesson_a_bad_progress_file_is_kept_and_not_saved_to(tmp_path):
    from core.cli import build_parser
    from tui import launch
    from tui.__main__ import COMMANDS

    path = tmp_path / "progress.json"
    path.write_text("[]")
    args = build_parser(COMMANDS, "en").parse_args(["--lesson", "xor", "--progress", str(path)])
    args.lang = "en"
    options = launch.course_options(args)
    assert options["start"] is False and "not a Perceptron Lab progress file" in options["not_saved"]
    fresh = build_parser(COMMANDS, "en").parse_args(["--progress", str(tmp_path / "new.json")])
    fresh.lang = "en"
    options = launch.course_options(fresh)
    assert options["start"] is True and options["progress_lesson"] == "neuron"
    assert json.loads(path.read_text()) == []


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_every_question_is_read_back_whole_in_korean(size, tmp_path):
    """Each step's question, in Korean, is on the screen whole (the panel scrolls if it must)."""
    from core.words import say

    app, _ = _course_app(tmp_path, lang="ko")
    async with app.run_test(size=size) as pilot:
        await until(pilot, lambda: app.course.shown)
        for index, step in enumerate(STEPS):
            await _to(pilot, step.id)
            panel = app.query_one(CoursePanel)
            text = "".join(region_text(app, panel)).replace(" ", "")
            question = say(f"course.step.{step.id}.question", "ko").replace(" ", "")
            assert question in text, (step.id, region_text(app, panel))
            if index + 1 < len(STEPS):
                await pilot.press("greater_than_sign")
