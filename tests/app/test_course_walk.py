"""The whole course walked with Pilot, as a learner who answers and runs every step would: each
answer is the run's own, each comparison agrees with it, and the walk's time (the keys plus the
training it waits for) is what the guide quotes. Slow: `make test-slow`."""

from __future__ import annotations

import time

import pytest
from scenarios import settle, until, wait_idle, wait_ready

from core.course.steps import STEPS
from core.files.progress_file import Progress, read_progress
from tui.app import make_app

NEURON_AND = ("plus",) * 10 + ("down",) + ("plus",) * 10 + ("down",) + ("plus",) * 10
# Each step's prediction (the keys that make it) and how it is run: some right, some wrong.
WALK = {
    "neuron-and": (("down", "enter"), NEURON_AND),
    "neuron-xor": (("enter",), ()),  # "yes": wrong
    "and-first-right": (("1", "5", "enter"), ("run",)),
    "and-loss": (("down", "down", "enter"), ("run",)),
    "or-bias": (("enter",), ("run",)),
    "xor-learn": (("down", "enter"), ("run",)),
    "xor-loss": (("0", "full_stop", "6", "9", "enter"), ("run",)),
    "xor-corner": (("down", "enter"), ("run",)),  # (0, 1): wrong
    "mlp-first-right": (("3", "0", "0", "0", "enter"), ("run",)),
    "mlp-loss": (("down", "down", "down", "enter"), ("run",)),
    "hidden-pair": (("enter",), ("run",)),
    "small-first-right": (("5", "0", "0", "enter"), ("run",)),  # far too soon: wrong
    "sweep-share": (("5", "0", "enter"), ("sweep",)),
    "delta": (("minus", "0", "full_stop", "1", "4", "enter"), ()),
    "one-update": (("down", "enter"), ("n",)),
}


async def _run_and_compare(pilot, step, run: tuple[str, ...]):
    """The step's run (its keys; "run": to the end, "sweep": the seed sweep and back), then enter:
    the comparison, whose answer is the run's own and whose match follows the prediction."""
    app = pilot.app
    for key in run:
        if key == "run":
            await pilot.press("space")
            await until(pilot, lambda: app.state == "finished", timeout=300)
        elif key == "sweep":
            await pilot.press("w")
            await until(pilot, lambda: not app.on_main_screen)
            await wait_idle(pilot, timeout=300)
            await pilot.press("escape")
            await until(pilot, lambda: app.on_main_screen)
        else:
            await pilot.press(key)
        await wait_idle(pilot, timeout=300)
    await pilot.press("enter")
    await until(pilot, lambda: app.course.phase == "compared")
    answer = app.course.progress.answers[step.id]
    assert answer.actual == step.answer(app.course.facts()), step.id
    assert answer.matched == step.matches(answer.prediction, answer.actual), step.id
    return answer


@pytest.mark.slow
async def test_the_whole_course_walked(tmp_path):
    assert list(WALK) == [step.id for step in STEPS]
    path = tmp_path / "progress.json"
    app = make_app("neuron", course={"progress": Progress(), "path": path, "start": True})
    started = time.perf_counter()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await until(pilot, lambda: app.course.shown)
        for index, step in enumerate(STEPS):
            await until(pilot, lambda step=step: app.course.step is step and app.state != "loading", timeout=60)
            await settle(pilot)
            predict, run = WALK[step.id]
            await pilot.press(*predict)
            await until(pilot, lambda: app.course.phase == "run")
            if step.id == "and-first-right":  # the first run: max speed, which carries over from run to run
                await pilot.press("s", "s")  # (after the prediction: before it, the run keys wait)
            await _run_and_compare(pilot, step, run)
            if index + 1 < len(STEPS):
                await pilot.press("enter")
    seconds = time.perf_counter() - started
    saved = read_progress(path)
    assert len(saved.answers) == len(STEPS) and all(a.compared for a in saved.answers.values())
    print(f"\nthe whole course, walked: {seconds:.0f} s")


def _keys_for(step, prediction) -> tuple[str, ...]:
    """The keys that predict `prediction` on `step`: ↓ to a choice (the first is highlighted), or a
    number typed and entered."""
    if step.kind in ("choice", "pick"):
        return ("down",) * step.choices.index(prediction) + ("enter",)
    text = str(prediction) if isinstance(prediction, int) else f"{prediction:.6f}"
    names = {".": "full_stop", "-": "minus"}
    return (*(names.get(char, char) for char in text), "enter")


def _other(step, actual, matched: bool):
    """A prediction that matches the run's `actual` if the walk's did not, and misses it if it did."""
    if step.kind in ("choice", "pick"):
        candidates = list(step.choices) if matched else [c for c in step.choices if step.matches(c, actual)]
        return next(c for c in candidates if step.matches(c, actual) != matched)
    if not matched:
        return actual
    return next(v for v in (step.high, step.low, (step.low + step.high) / 2) if not step.matches(v, actual))


@pytest.mark.slow
async def test_every_step_answered_right_and_wrong(tmp_path):
    """Each step twice: the walk's prediction, then (o: the step again, from its question) one that
    turns the comparison round: a wrong answer made right, a right one made wrong. Each time the
    answer is the run's own and the match follows the prediction."""
    path = tmp_path / "progress.json"
    app = make_app("neuron", course={"progress": Progress(), "path": path, "start": True})
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await until(pilot, lambda: app.course.shown)
        for index, step in enumerate(STEPS):
            predict, run = WALK[step.id]
            outcomes = []
            for attempt in (0, 1):
                await until(pilot, lambda step=step: app.course.step is step and app.course.phase == "question")
                await until(pilot, lambda: app.state != "loading", timeout=60)
                await settle(pilot)
                if attempt:
                    first = app.course.progress.answers[step.id]
                    predict = _keys_for(step, _other(step, first.actual, first.matched))
                await pilot.press(*predict)
                await until(pilot, lambda: app.course.phase == "run")
                if step.id == "and-first-right" and not attempt:
                    await pilot.press("s", "s")  # max speed, carried over from run to run
                outcomes.append((await _run_and_compare(pilot, step, run)).matched)
                if not attempt:
                    await pilot.press("o")
            assert outcomes[0] != outcomes[1], (step.id, outcomes)
            if index + 1 < len(STEPS):
                await pilot.press("enter")
    assert len(read_progress(path).answers) == len(STEPS)
