"""The course's steps (core/course): every answer is taken from the run, and follows it when the
seed or the learning rate changes; every step has its words in every language; the progress file
goes round trip, and every kind of bad file is one ProgressError."""

from __future__ import annotations

import json
import math

import pytest

from core.course import answers as a
from core.course.steps import STEPS, explanation_facts
from core.files.progress_file import (
    ComparedRun,
    Progress,
    ProgressError,
    default_path,
    read_progress,
    write_progress,
)
from core.lessons import lesson
from core.neuron import ThresholdNeuron
from core.words import catalog, languages


def _run(lesson_id: str, seed: int = 0, lr: float | None = None, epochs: int | None = None) -> a.RunFacts:
    from core.trainer import Trainer

    spec = lesson(lesson_id)
    config = spec.config.with_(seed=seed, **({"lr": lr} if lr is not None else {}))
    trainer = Trainer(config)
    goal = spec.epochs if epochs is None else epochs
    trainer.run(to_epoch=goal)
    return a.RunFacts(lesson_id, seed, config.lr, trainer.history, finished=goal == spec.epochs)


def test_there_are_twelve_to_twenty_steps_following_the_chapter():
    assert 12 <= len(STEPS) <= 20
    assert len({step.id for step in STEPS}) == len(STEPS)
    order = [step.lesson for step in STEPS]
    assert order[0] == "neuron" and order.index("and") < order.index("xor") < order.index("xor-mlp")
    assert {step.kind for step in STEPS} == {"choice", "number", "pick"}


@pytest.mark.parametrize("lang", languages())
def test_every_step_has_its_words(lang):
    words = catalog(lang)
    for step in STEPS:
        for part in ("title", "question", "explain", "need"):
            assert f"course.step.{step.id}.{part}" in words, (step.id, part)
        if step.kind == "choice":
            for choice in step.choices:
                assert f"course.step.{step.id}.choice.{choice}" in words, (step.id, choice)
        assert f"course.panel.{step.panel}" in words
    for name in a.FUNCTIONS.values():
        assert f"course.function.{name}" in words


@pytest.mark.parametrize("lesson_id", ["and", "or", "xor-2-2-1"])
def test_the_first_epoch_every_row_is_right_follows_the_seed_and_the_lr(lesson_id):
    runs = [_run(lesson_id, seed) for seed in (0, 1, 2)] + [_run(lesson_id, 0, lr=0.5)]
    answers = [a.first_all_right(run) for run in runs]
    for run, answer in zip(runs, answers):
        assert answer == run.history.first_epoch_where(100.0)
        assert run.history.accuracy(answer) == 100.0 and run.history.accuracy(answer - 1) < 100.0
    assert len(set(answers)) > 1  # a number written in a text could not follow them


def test_one_prediction_matches_one_run_and_not_another():
    """The comparison is with the run on screen: the same prediction, seed 0's answer, matches seed
    0's run and not OR's seed 1 run (first right at another epoch)."""
    step = next(s for s in STEPS if s.id == "and-first-right")
    seed0, seed1 = a.first_all_right(_run("or", 0)), a.first_all_right(_run("or", 1))
    assert step.matches(seed0, seed0) and not step.matches(seed0, seed1)


def test_a_run_not_yet_there_is_pending_and_one_that_never_gets_there_says_never():
    early = _run("and", epochs=3)
    assert a.first_all_right(early) is a.PENDING and a.final_loss(early) is a.PENDING
    xor = _run("xor")
    assert a.first_all_right(xor) == a.NEVER
    assert a.all_right_at_end(xor) == "no" and a.all_right_at_end(_run("and")) == "yes"


def test_xor_settles_at_ln2_and_its_wrong_corners_are_the_runs_own():
    for seed in (0, 2):
        run = _run("xor", seed)
        loss = run.history.loss(run.last_epoch)
        assert a.final_loss(run) == round(loss, 4) and abs(loss - math.log(2)) < 0.01
        assert a.loss_band(run) == "ln2"
        predictions = run.history.predictions(run.last_epoch)
        expected = [c for c, p, t in zip(a.CORNERS, predictions, run.history.targets) if (p >= 0.5) != (t == 1)]
        assert a.wrong_corners(run) == expected and expected
    assert a.loss_band(_run("and")) in ("mid", "low")


def test_the_hidden_neurons_functions_are_their_own_outputs():
    import torch

    from core.trainer import Trainer

    for seed in (0, 1):
        spec = lesson("xor-2-2-1")
        trainer = Trainer(spec.config.with_(seed=seed))
        trainer.run(to_epoch=spec.epochs)
        run = a.RunFacts("xor-2-2-1", seed, 1.0, trainer.history, finished=True)
        x = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
        with torch.no_grad():
            hidden = trainer.model[1](trainer.model[0](x))  # the first layer and its sigmoid
        columns = ["".join(str(int(v >= 0.5)) for v in hidden[:, j].tolist()) for j in range(2)]
        assert a.hidden_functions(run) == sorted(a.FUNCTIONS[c] for c in columns)
    assert a.hidden_pair(_run("xor-2-2-1", 0)) == "or-nand"  # the lesson's own seed: OR and NAND


def test_the_delta_is_the_explainers():
    from core.explain.explain import explain
    from core.trainer import Trainer

    for seed, lr in ((0, 1.0), (4, 0.2)):
        trainer = Trainer(lesson("and").config.with_(seed=seed, lr=lr))
        trainer.run(to_epoch=1)
        run = a.RunFacts("and", seed, lr, trainer.history, finished=False)
        explained = explain(trainer.history, 0)
        assert a.output_delta(run) == round(explained.layers[-1].delta[-1][0], 4)
        after = trainer.history.predictions(1)[-1] - trainer.history.predictions(0)[-1]
        assert a.moves_after_one_update(run) == ("up" if after > 0 else "down")


def test_the_neuron_steps_read_the_neuron_as_set():
    unset = a.RunFacts("neuron", neuron=ThresholdNeuron(), target="and")
    assert a.theta_for_and(unset) is a.PENDING
    for theta, expected in ((15, "1to2"), (20, "1to2")):
        run = a.RunFacts("neuron", neuron=ThresholdNeuron(10, 10, theta), target="and")
        assert a.theta_for_and(run) == expected
    assert a.theta_for_and(a.RunFacts("neuron", neuron=ThresholdNeuron(10, 10, 25), target="and")) is a.PENDING
    assert a.xor_reachable(unset) == "no"


def test_the_sweep_share_is_the_sweeps():
    run = a.RunFacts("xor-2-2-1", 0, 1.0, None, sweep_learned=(37, 100))
    assert a.learned_share(run) == 37 and a.learned_share(a.RunFacts("xor-2-2-1")) is a.PENDING


def test_numbers_match_within_their_tolerance_and_picks_within_the_answer():
    by_id = {step.id: step for step in STEPS}
    assert by_id["xor-loss"].matches(0.69, 0.6931) and not by_id["xor-loss"].matches(0.5, 0.6931)
    assert by_id["and-first-right"].matches(15, 13) and not by_id["and-first-right"].matches(100, 13)
    assert not by_id["and-first-right"].matches(15, a.NEVER)
    assert by_id["xor-corner"].matches("00", ["00", "11"]) and not by_id["xor-corner"].matches("01", ["00", "11"])
    assert by_id["xor-learn"].matches("no", "no") and not by_id["xor-learn"].matches("yes", "no")


def test_a_step_takes_only_its_own_choices_and_numbers_in_its_range():
    by_id = {step.id: step for step in STEPS}
    assert by_id["neuron-xor"].accepts("no") and not by_id["neuron-xor"].accepts("below1")  # neuron-and's
    assert by_id["xor-corner"].accepts("11") and not by_id["xor-corner"].accepts("yes")
    assert by_id["xor-loss"].accepts(0.69) and not by_id["xor-loss"].accepts(11) and not by_id["xor-loss"].accepts("no")
    assert not by_id["xor-loss"].accepts(math.nan)


@pytest.mark.parametrize("lang", languages())
def test_every_explanation_is_filled_in_from_the_run(lang):
    run = _run("xor-2-2-1")
    for step in STEPS:
        actual = {"choice": step.choices[0] if step.choices else "", "number": 1.5, "pick": ["00"]}[step.kind]
        text = step.explanation(lang, **explanation_facts(step, run, actual, lang))
        assert "{" not in text and text.strip()
    facts = explanation_facts(next(s for s in STEPS if s.id == "delta"), run, -0.1, lang)
    assert facts["loss"] == f"{run.history.loss(run.last_epoch):.4f}" and facts["seed"] == "0"


# --- the progress file ---------------------------------------------------------------------------


def _progress() -> Progress:
    progress = Progress(current="xor-loss")
    progress.predicted("and-first-right", 15)
    progress.compared("and-first-right", 13, True, ComparedRun("and", 0, 1.0, 1000))
    progress.predicted("xor-corner", "01")
    progress.compared("xor-corner", ["00", "11"], False, ComparedRun("xor", 3, 0.5, 1000))
    progress.predicted("xor-loss", 0.7)
    return progress


def test_progress_goes_round_trip(tmp_path):
    path = tmp_path / "deep" / "progress.json"
    progress = _progress()
    write_progress(path, progress)
    back = read_progress(path)
    assert back == progress
    assert back.answers["xor-loss"].compared is False and back.answers["xor-corner"].run.seed == 3
    assert not list(path.parent.glob(".*.tmp"))  # written atomically: nothing left beside it


def test_a_missing_file_is_no_progress_only_when_allowed(tmp_path):
    assert read_progress(tmp_path / "none.json", missing_ok=True) == Progress()
    with pytest.raises(ProgressError) as error:
        read_progress(tmp_path / "none.json")
    assert "no such file" in error.value.message("en")


def test_the_default_file_is_in_the_users_data_directory():
    assert default_path({"XDG_DATA_HOME": "/x/data", "HOME": "/h"}).as_posix() == "/x/data/perceptron-lab/progress.json"
    assert default_path({"HOME": "/h"}).as_posix() == "/h/.local/share/perceptron-lab/progress.json"
    assert default_path({"XDG_DATA_HOME": "relative", "HOME": "/h"}).as_posix().startswith("/h/.local/share")


def _good() -> dict:
    return _progress().to_json()


BAD = {
    "empty": b"",
    "not json": b"{nope",
    "cut short": json.dumps(_good()).encode()[:-30],
    "not utf8": b'{"format": "\xff"}',
    "a list": b"[]",
    "another format": json.dumps({**_good(), "format": "perceptron-lab session"}).encode(),
    "a later version": json.dumps({**_good(), "version": 2}).encode(),
    "an unknown field": json.dumps({**_good(), "extra": 1}).encode(),
    "a bad current": json.dumps({**_good(), "current": 5}).encode(),
    "answers as a list": json.dumps({**_good(), "answers": []}).encode(),
    "a prediction of true": json.dumps(
        {**_good(), "answers": {"x": {"prediction": True, "predicted_at": "2026-01-01T00:00:00Z"}}}
    ).encode(),
    "no time": json.dumps({**_good(), "answers": {"x": {"prediction": 1, "predicted_at": "yesterday"}}}).encode(),
    "a bad run": json.dumps(
        {**_good(), "answers": {"x": {"prediction": 1, "predicted_at": "2026-01-01T00:00:00Z", "run": {"seed": -1}}}}
    ).encode(),
    "a duplicate key": b'{"format": "perceptron-lab progress", "format": "x"}',
    "NaN": b'{"format": "perceptron-lab progress", "version": NaN}',
}


@pytest.mark.parametrize("name", list(BAD))
@pytest.mark.parametrize("lang", languages())
def test_a_bad_progress_file_is_one_line(name, lang, tmp_path):
    path = tmp_path / "progress.json"
    path.write_bytes(BAD[name])
    with pytest.raises(ProgressError) as error:
        read_progress(path)
    message = error.value.message(lang)
    assert "\n" not in message and str(path) in message


def test_a_directory_is_not_a_progress_file(tmp_path):
    with pytest.raises(ProgressError):
        read_progress(tmp_path)
    with pytest.raises(ProgressError):
        write_progress(tmp_path, Progress())
