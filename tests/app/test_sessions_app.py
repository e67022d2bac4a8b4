"""Runs of one's own in the app (tui/files/actions.py), driven by keys as a learner drives it:
ctrl+n (a new experiment), ctrl+s (save), ctrl+o (open), ctrl+e (export), each refusal, and the
issue's story end to end: a teacher's run set up in the form, saved, opened elsewhere, continued,
exported as a script that prints the same log."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import torch
from scenarios import choose_in_palette, until, wait_idle, wait_ready
from textual.widgets import Input, Select, Static

from core.config import TrainConfig
from core.files.exports import csv_text
from core.files.session_file import SavedRun, read_session, save_session
from core.format import log_line
from core.lessons import Experiment, lesson
from core.network import build_model
from core.trainer import Trainer
from tui.__main__ import main
from tui.app import make_app
from tui.commands import LabCommands
from tui.files.actions import Files, _csv_bytes, run_name
from tui.files.experiment_form import ExperimentForm
from tui.files.export_menu import ExportMenu
from tui.files.path_prompt import PathPrompt
from tui.run.branch_question import BranchQuestion
from tui.run.live import LiveRun
from tui.screens.lesson_picker import LessonPicker
from tui.widgets.status_line import StatusLine, render_status

SIZE = (120, 40)
PLAIN_ENV = {k: v for k, v in os.environ.items() if k not in ("MKL_CBWR", "ATEN_CPU_CAPABILITY")}
XNOR = TrainConfig(dataset="xnor", hidden=(3,), activation="tanh", seed=5)


def status(app) -> str:
    return app.query_one(StatusLine).plain


def notes(app) -> list[str]:
    return [n.message for n in app._notifications]


async def at_max_speed(pilot) -> None:
    await pilot.press("s", "s", "space")
    await wait_idle(pilot)


async def answer(pilot, text: str, field: str = "#path") -> None:
    """Fill a prompt's field (as typing would) and press enter."""
    pilot.app.screen.query_one(field, Input).value = text
    pilot.app.screen.query_one(field, Input).focus()
    await pilot.press("enter")
    await pilot.pause()


def beside(app) -> str:
    return str(app.screen.query_one("#path-error", Static).render())


def saved(path: Path, config: TrainConfig = XNOR, epochs: int = 300, view: int | None = None, lr_at=None) -> SavedRun:
    trainer = Trainer(config)
    if lr_at:
        trainer.run(to_epoch=lr_at[0] - 1)
        trainer.set_lr(lr_at[1])
    trainer.run(to_epoch=epochs)
    run = SavedRun.of(trainer, None, epochs=epochs, view=view)
    save_session(path, run)
    return run


def long_run(path: Path) -> None:
    """A session of 400,000 xor-mlp epochs (written, not trained): far too long a replay to wait for."""
    config = lesson("xor-mlp").config
    save_session(path, SavedRun(config=config, last_epoch=400_000, epochs=400_000, goal=400_000))


# --- the keys wait while a run loads -------------------------------------------------------------


async def test_the_session_keys_are_greyed_and_do_nothing_while_the_engine_loads(monkeypatch, tmp_path):
    release = threading.Event()
    load = LiveRun.load
    monkeypatch.setattr(LiveRun, "load", lambda self, *a: (release.wait(10), load(self, *a)))
    app = make_app("and", workdir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.state == "loading"
        for action in ("new_experiment", "save_session", "open_session", "export"):
            assert app.check_action(action, ()) is None, action  # shown greyed
        await pilot.press("ctrl+n", "ctrl+s", "ctrl+o", "ctrl+e")
        assert len(app.screen_stack) == 1 and app.state == "loading"
        release.set()
        await wait_ready(pilot)
        assert app.check_action("save_session", ()) is True
    assert list(tmp_path.iterdir()) == []


async def test_a_screen_on_top_owns_the_session_keys():
    app = make_app("and")
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        await pilot.press("question_mark", "ctrl+n", "ctrl+o", "ctrl+e", "ctrl+s")
        assert [type(s).__name__ for s in app.screen_stack[1:]] == ["HelpScreen"]


async def test_the_command_palette_finds_the_session_commands_in_both_languages():
    app = make_app("and", "ko")
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        provider = LabCommands(app.screen)
        found = {action: name for name, action, _ in provider._commands()}
        assert found["new_experiment"] == "새 실험" and found["save_session"] == "학습 저장"
        assert found["open_session"] == "저장된 학습 열기" and found["export"] == "내보내기"
        await choose_in_palette(pilot, ("새", "space", "실", "험"), "새 실험")
        await until(pilot, lambda: isinstance(app.screen, ExperimentForm))


# --- a new experiment ----------------------------------------------------------------------------


async def test_a_run_from_the_form_behaves_like_a_lesson_everywhere():
    app = make_app("xor")
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        await pilot.press("ctrl+n")
        form = app.screen
        assert isinstance(form, ExperimentForm)
        form.query_one("#dataset", Select).value = "xnor"
        form.query_one("#hidden", Input).value = "3"
        form.query_one("#activation", Select).value = "tanh"
        form.query_one("#seed", Input).value = "5"
        await answer(pilot, "300", "#epochs")
        await wait_ready(pilot)
        session = app.live
        assert session.lesson == Experiment(config=XNOR, epochs=300) and session.goal == 300
        assert "Your experiment: xnor, 2-3-1 tanh" in status(app) and "Epoch: 0/300" in status(app)
        notes = " ".join(str(app.query_one("#notes-text", Static).render()).split())  # as wrapped lines
        assert "A run you set up: the truth table xnor" in notes
        await pilot.press("N", "left", "left")  # stepping and history
        assert session.last_epoch == 100 and app.view == 98 and "Epoch: 98/300" in status(app)
        reference = Trainer(XNOR)
        reference.run(to_epoch=100)
        assert session.trainer.history.fingerprint() == reference.history.fingerprint()
        await pilot.press("end", "plus")  # lr
        assert session.lr == 2.0
        await pilot.press("R")  # a new seed
        assert session.seed == 6 and session.last_epoch == 0 and "seed 6" in status(app)
        await at_max_speed(pilot)
        assert app.state == "finished" and session.last_epoch == 300
        await pilot.press("l")  # the lesson picker opens over an experiment, at the first lesson
        assert isinstance(app.screen, LessonPicker)
        await pilot.press("escape")
        await pilot.press("L")  # its title in the other language
        assert "나만의 실험" in status(app) or "실험" in status(app)


async def test_the_form_starts_from_the_run_on_screen_and_escape_leaves_it_training():
    app = make_app("xor-mlp")
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        await pilot.press("R")
        app.live.goal = 10**6
        await pilot.press("s", "s", "space")
        session = app.live
        await pilot.press("ctrl+n")
        form = app.screen
        assert form.query_one("#hidden", Input).value == "64,32,16" and form.query_one("#seed", Input).value == "1"
        at = session.last_epoch
        await pilot.pause(0.3)
        assert app.state == "running" and session.last_epoch > at  # the run goes on under the form
        await pilot.press("escape")
        assert app.live is session and app.state == "running" and len(app.screen_stack) == 1
        await pilot.press("space")


async def test_confirming_the_form_while_training_stops_the_run_and_starts_the_new_one():
    app = make_app("xor-mlp")
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        app.live.goal = 10**6
        await pilot.press("s", "s", "space")
        old = app.live
        await pilot.press("ctrl+n")
        await answer(pilot, "2", "#hidden")
        assert app.live is not old and app.engine.worker is None
        stopped_at = old.last_epoch
        await wait_ready(pilot)
        await pilot.pause(0.2)
        assert old.last_epoch == stopped_at and app.state == "ready"
        assert app.live.lesson.config.sizes == (2, 2, 1) and app.live.last_epoch == 0


async def test_a_bad_value_in_the_form_starts_nothing():
    app = make_app("and")
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        session = app.live
        await pilot.press("ctrl+n")
        await answer(pilot, "0", "#epochs")
        assert isinstance(app.screen, ExperimentForm) and "epochs" in str(
            app.screen.query_one("#epochs-error").render()
        )
        await pilot.press("escape")
        assert app.live is session and app.state == "ready"


# --- saving --------------------------------------------------------------------------------------


async def test_saving_while_training_pauses_first_and_keeps_what_is_on_screen(tmp_path):
    app = make_app("xor-mlp", workdir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        app.live.goal = 10**6
        await pilot.press("s", "s", "space")
        await until(pilot, lambda: app.live.last_epoch > 50)
        await pilot.press("ctrl+s")
        assert app.state == "paused" and isinstance(app.screen, PathPrompt)
        last = app.live.last_epoch
        assert app.screen.query_one("#path", Input).value == "xor-mlp.json"
        await pilot.press("enter")
        await until(pilot, lambda: any("Saved the run" in n for n in notes(app)))
        run = read_session(tmp_path / "xor-mlp.json")
        assert run.last_epoch == last and run.lesson_id == "xor-mlp" and run.goal == 10**6
        assert run.matches(app.live.trainer.history)
        await pilot.press("left", "left", "ctrl+s")  # the epoch on view is saved too; the name is the file's
        assert app.screen.query_one("#path", Input).value == "xor-mlp.json"
        await pilot.press("enter")
        assert "exists" in beside(app)  # asked before replacing
        await pilot.press("enter")
        await until(pilot, lambda: read_session(tmp_path / "xor-mlp.json").view == last - 2)


async def test_a_save_to_a_bad_place_is_refused_beside_the_name_and_nothing_is_written(tmp_path):
    (tmp_path / "a-dir").mkdir()
    app = make_app("and", workdir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        await pilot.press("N", "ctrl+s")
        for name, words in (
            ("no/such/run.json", "there is no directory"),
            ("a-dir", "it is a directory"),
            ("", "is not a file name"),
        ):
            await answer(pilot, name)
            assert isinstance(app.screen, PathPrompt) and words in beside(app), (name, beside(app))
        await pilot.press("escape")
        assert len(app.screen_stack) == 1 and app.live.last_epoch == 100
    assert [p.name for p in tmp_path.iterdir()] == ["a-dir"]


async def test_a_save_that_fails_while_writing_is_one_error_and_the_run_stays(tmp_path, monkeypatch):
    import core.files.files

    def full(written: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(core.files.files, "after_chunk", full)
    app = make_app("and", workdir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        await pilot.press("N", "ctrl+s", "enter")
        await until(pilot, lambda: any(n.severity == "error" for n in app._notifications))
        (error,) = [n.message for n in app._notifications if n.severity == "error"]
        assert "No space left on device" in error and "nothing was changed" in error and "\n" not in error
        assert app.state == "paused" and app.live.last_epoch == 100
    assert list(tmp_path.iterdir()) == []  # no file, and no temporary left behind


async def test_an_answer_applies_only_to_the_run_it_was_asked_about(tmp_path):
    app = make_app("and", workdir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        old = app.live
        run = old.saved_run(None)
        await pilot.press("l", "down", "enter")  # another lesson
        await wait_ready(pilot)
        app.files._save(old, run, str(tmp_path / "late.json"))
        await app.files._export(old, None)
        await pilot.pause(0.2)
    assert list(tmp_path.iterdir()) == []


# --- opening -------------------------------------------------------------------------------------


def _bad_files(tmp_path: Path) -> list[tuple[str, str]]:
    """(name, words beside the field) for every kind of bad file the issue lists."""
    good = json.loads(SavedRun(config=XNOR, last_epoch=10, epochs=100, goal=100).to_json())

    def doc(**changes) -> str:
        return json.dumps({**good, **changes}, ensure_ascii=False)

    files = {
        "empty.json": (b"", "it is empty"),
        "cut.json": (doc().encode()[:80], "cut short"),
        "text.json": (b"hello, world\n", "it is not JSON"),
        "latin1.json": (doc(saved_by="caf\xe9").encode("latin-1"), "it is not text"),
        "v2.json": (doc(version=2).encode(), "format version 2"),
        "types.json": (doc(last_epoch="ten").encode(), "last_epoch must be"),
        "nan.json": (doc().replace('"lr": 1.0', '"lr": NaN').encode(), "must be finite"),
        "negative.json": (doc(epochs=-5).encode(), "epochs must be"),
        "absurd.json": (doc(last_epoch=10**15).encode(), "last_epoch must be"),
        "wide.json": (doc(config={**good["config"], "hidden": [10**6]}).encode(), "config"),
    }
    for name, (data, _) in files.items():
        (tmp_path / name).write_bytes(data)
    with (tmp_path / "huge.json").open("wb") as file:
        file.truncate(100 * 2**20)  # sparse: 100 MB
    (tmp_path / "folder.json").mkdir()
    (tmp_path / "locked.json").write_text(doc())
    return [(name, words) for name, (_, words) in files.items()] + [
        ("huge.json", "far larger than a session file"),
        ("folder.json", "it is a directory"),
        ("missing.json", "there is no such file"),
        ("locked.json", "permission denied"),
    ]


async def test_every_bad_file_is_one_message_beside_the_name_and_the_run_stays(tmp_path, monkeypatch):
    bad = _bad_files(tmp_path)
    real_open, locked = os.open, str(tmp_path / "locked.json")

    def denied(file, flags, *args, **kwargs):  # as root, chmod 000 does not stop a reader
        if str(file) == locked:
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", denied)
    app = make_app("and", workdir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        await pilot.press("N", "left")
        session, fingerprint = app.live, app.live.trainer.history.fingerprint()
        await pilot.press("ctrl+o")
        for name, words in bad:
            await answer(pilot, name)
            message = beside(app)
            assert isinstance(app.screen, PathPrompt) and words in message and "\n" not in message, (name, message)
            assert repr(name) in message  # the file as the learner typed it
        await pilot.press("escape")
        assert app.live is session and app.view == 99 and app.state == "paused"
        assert session.trainer.history.fingerprint() == fingerprint and "Epoch: 99/1000" in status(app)


async def test_opening_replays_the_run_with_its_progress_and_comes_back_at_its_view(tmp_path, monkeypatch):
    import core.files.session_file

    monkeypatch.setattr(core.files.session_file, "REPLAY_CHUNK", 500)
    monkeypatch.setattr("tui.files.actions.PROGRESS_EVERY", 0.0)  # every report drawn, however fast
    shown = []
    show = StatusLine.show
    monkeypatch.setattr(StatusLine, "show", lambda self, frame, lang: (shown.append(frame), show(self, frame, lang)))
    path = tmp_path / "long.json"
    run = saved(path, lesson("xor-mlp").config, epochs=20_000, view=2500, lr_at=(3000, 0.5))
    app = make_app("and", workdir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        await pilot.press("ctrl+o")
        await answer(pilot, "long.json")
        await wait_ready(pilot)
        told = [f.opening for f in shown if f.opening is not None]
        assert len({epoch for _, epoch, _ in told}) >= 3  # it told how far it had got, as it went
        assert all(p == str(path) and last == 20_000 for p, _, last in told)
        assert any("opening 'long.json': epoch" in render_status(f, "en").plain for f in shown if f.opening)
        session = app.live
        assert session.last_epoch == 20_000 and app.view == 2500 and app.state == "finished"
        assert "Epoch: 2500/20000" in status(app) and "latest is 20000" in status(app)
        assert session.lr == 0.5 and session.lesson.id == "experiment"
        assert notes(app) == [f"Opened {str(path)!r}: epochs 0 to 20,000."]
        assert run.matches(session.trainer.history)


async def test_escape_while_a_run_opens_brings_back_the_run_on_screen_untouched(tmp_path):
    long_run(tmp_path / "long.json")
    app = make_app("or", workdir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        await pilot.press("N", "left")
        before, fingerprint = app.live, app.live.trainer.history.fingerprint()
        await pilot.press("ctrl+o")
        await answer(pilot, "long.json")
        assert app.state == "loading" and app.live is not before
        await until(pilot, lambda: "opening 'long.json'" in status(app) and "esc: back" in status(app))
        opening = app.live
        await pilot.press("escape")
        assert app.live is before and app.view == 99 and app.state == "paused"
        assert before.trainer.history.fingerprint() == fingerprint and "Epoch: 99/1000" in status(app)
        assert any("Stopped opening" in n for n in notes(app))
        await pilot.pause(1.0)
        assert opening.trainer is None and opening.progress[0] < 400_000  # the replay stopped
        await pilot.press("escape")  # nothing opening now: nothing happens
        assert app.live is before


async def test_quitting_while_a_run_opens_ends_the_replay(tmp_path):
    long_run(tmp_path / "long.json")
    app = make_app("and", workdir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        await pilot.press("ctrl+o")
        await answer(pilot, "long.json")
        await until(pilot, lambda: app.live.progress is not None)
        opening = app.live
        started = time.monotonic()
        await pilot.press("q")
    assert time.monotonic() - started < 5
    await asyncio.sleep(0.3)  # the chunk under way when q was pressed ends
    at = opening.progress
    await asyncio.sleep(0.5)
    assert opening.progress == at and at[0] < 400_000 and opening.trainer is None  # the replay has stopped


async def test_a_run_saved_on_a_machine_that_computes_differently_opens_with_one_warning(tmp_path):
    path = tmp_path / "elsewhere.json"
    saved(path, epochs=200)
    document = json.loads(path.read_text())
    document["record"]["sha256"] = "0" * 64
    path.write_text(json.dumps(document))
    app = make_app("and", workdir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        await pilot.press("ctrl+o")
        await answer(pilot, "elsewhere.json")
        await wait_ready(pilot)
        assert app.live.last_epoch == 200 and app.state == "finished"
        (warning,) = app._notifications
        assert warning.severity == "warning" and "does not give the numbers it was saved with" in warning.message


async def test_a_replay_that_raises_brings_back_the_run_on_screen(tmp_path, monkeypatch):
    saved(tmp_path / "run.json", epochs=50)
    app = make_app("and", workdir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        before = app.live

        def broken(self, *args, **kwargs):
            raise MemoryError("out of memory")

        monkeypatch.setattr(SavedRun, "replay", broken)
        await pilot.press("ctrl+o")
        await answer(pilot, "run.json")
        await until(pilot, lambda: app.state != "loading")
        assert app.live is before and app.state == "ready"
        assert any("Could not open" in n for n in notes(app))


def test_the_app_opens_on_a_file_from_the_command_line(tmp_path, monkeypatch, capsys):
    path = tmp_path / "run.json"
    saved(path, epochs=120, view=60)
    made = []
    monkeypatch.setenv("TEXTUAL_DRIVER", "headless")
    monkeypatch.setattr("tui.app.PerceptronLab.run", lambda self, **kwargs: made.append(self))
    monkeypatch.setattr("tui.launch.os._exit", lambda status: (_ for _ in ()).throw(SystemExit(status)))
    with pytest.raises(SystemExit) as exit_:
        main(["--open", str(path), "--lang", "ko"])
    (app,) = made
    assert exit_.value.code == 0 and app.view == 60 and app.live.saved == read_session(path)
    assert app.live.path == str(path) and app.lang == "ko"


# --- exporting -----------------------------------------------------------------------------------


async def _export(pilot, kind: str, name: str) -> Path:
    app = pilot.app
    await pilot.press("ctrl+e")
    assert isinstance(app.screen, ExportMenu)
    app.screen.query_one("#kind", Select).value = kind
    await pilot.pause()
    await answer(pilot, name)
    path = app.workdir / name
    await until(pilot, lambda: any(repr(str(path)) in n for n in notes(app)))
    return path


async def test_every_export_kind_writes_the_run_on_screen(tmp_path):
    app = make_app("xor-mlp", workdir=tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        app.live.goal = 10**6
        await pilot.press("s", "s", "space")
        await until(pilot, lambda: app.live.last_epoch > 300)
        await pilot.press("ctrl+e")  # exporting pauses first: the file is of what is on screen
        assert app.state == "paused"
        await pilot.press("escape", "home", "pagedown", "pagedown")
        history = app.live.trainer.history
        table = await _export(pilot, "csv", "run.csv")
        assert table.read_text() == csv_text(history)
        assert len(list(csv.reader(io.StringIO(table.read_text())))) == history.last_epoch + 2
        weights = await _export(pilot, "state-dict", "w200.pt")
        model = build_model(lesson("xor-mlp").config.sizes)
        model.load_state_dict(torch.load(weights, weights_only=True))
        at = history.weights_at(200)
        assert [p.tolist() for p in model[0].parameters()] == [at.layers[0].weight, at.layers[0].bias]
        picture = (await _export(pilot, "svg", "screen.svg")).read_text()
        assert picture.startswith("<svg") and "Epoch:&#160;200/1000000" in picture
        script = (await _export(pilot, "script", "run.py")).read_text()
        assert "epochs = 1000000" in script and "nn.Linear(2, 64)" in script
        assert app.live.last_epoch > 300 and app.view == 200


def test_a_csv_export_stops_when_the_app_quits():
    trainer = Trainer(lesson("and").config)
    trainer.run(to_epoch=20_000)
    from core.files.exports import Records

    records = Records(trainer.history)
    assert _csv_bytes(records, lambda: True) is None
    assert _csv_bytes(records, lambda: False).decode() == csv_text(trainer.history)


def test_file_names_say_what_the_run_is():
    assert run_name(lesson("xor-mlp")) == "xor-mlp"
    assert run_name(Experiment(config=XNOR)) == "xnor-2-3-1"
    assert isinstance(make_app().files, Files)


# --- done means ----------------------------------------------------------------------------------


async def test_a_teachers_run_from_the_form_is_opened_elsewhere_with_every_number_continued_and_exported(
    tmp_path, capsys
):
    """XNOR with 3 tanh hidden neurons, seed 5, set up in the form; trained to 800; branched at 400
    with a lower lr; saved. Opened in a fresh app and with `train --open`: the same numbers at every
    epoch; continued; exported as a script that prints the log."""
    teacher = make_app("xor-mlp", workdir=tmp_path)
    async with teacher.run_test(size=SIZE) as pilot:
        await wait_ready(pilot)
        await pilot.press("ctrl+n")
        await pilot.press("enter", "down", "down", "down", "enter", "tab", "tab")  # xnor; the targets; hidden
        await pilot.press("end", *["backspace"] * 8, "3", "tab", "enter", "down", "enter")  # 3; tanh
        await pilot.press("tab", "tab", "tab", "tab", "backspace", "5")  # optimizer, loss, lr, seed 5
        await pilot.press("tab", "end", *["backspace"] * 4, "8", "0", "0", "enter")  # 800 epochs
        await wait_ready(pilot)
        assert teacher.live.lesson == Experiment(config=XNOR, epochs=800)
        await at_max_speed(pilot)
        assert teacher.state == "finished" and teacher.live.last_epoch == 800
        await pilot.press("home", *["pagedown"] * 4, "minus")  # epoch 400, lr 1 -> 0.5
        assert teacher.view == 400 and teacher.live.lr == 0.5
        await pilot.press("space")
        assert isinstance(teacher.screen, BranchQuestion)
        await pilot.press("b")
        await wait_idle(pilot)
        assert teacher.state == "finished" and teacher.live.last_epoch == 800
        history = teacher.live.trainer.history
        assert history.lr_changes() == [(0, 1.0), (400, 0.5)]  # epoch 400's update is the first at 0.5
        await pilot.press("ctrl+s")
        assert teacher.screen.query_one("#path", Input).value == "xnor-2-3-1.json"
        await answer(pilot, "teacher.json")
        await until(pilot, lambda: (tmp_path / "teacher.json").exists())
        epochs = [0, 1, 250, 399, 400, 401, 402, 650, 799, 800]
        taught = {e: history.weights_at(e) for e in epochs}
        fingerprint = history.fingerprint()
        log = [log_line(e, 800, history.loss(e), history.accuracy(e)) for e in [*range(0, 800, 100), 800]]

    path = tmp_path / "teacher.json"
    student = make_app("and", "ko", workdir=tmp_path)  # another app, another language
    async with student.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        await pilot.press("ctrl+o")
        await answer(pilot, "teacher.json")
        await wait_ready(pilot)
        mine = student.live.trainer.history
        assert mine.fingerprint() == fingerprint and len(student._notifications) == 1
        for e in epochs:
            assert mine.weights_at(e) == taught[e], e
        await pilot.press("home", *["pagedown"] * 4)
        assert "Epoch: 400/800" in status(student)
        await pilot.press("end", "space")  # finished: another 800 epochs, at 10 a second...
        await pilot.press("s", "s")  # ...then max
        await wait_idle(pilot)
        assert student.live.last_epoch == 1600 and student.state == "finished"
        continued = [log_line(e, 1600, mine.loss(e), mine.accuracy(e)) for e in [*range(0, 1600, 100), 1600]]
        script = await _export(pilot, "script", "student.py")

    status_, out, _ = _run(capsys, "train", "--open", path)
    assert status_ == 0 and out.splitlines()[-len(log) :] == log
    status_, out, _ = _run(capsys, "train", "--open", path, "--epochs", "1600")
    assert out.splitlines()[-len(continued) :] == continued  # continuing gives the app's numbers
    result = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, env=PLAIN_ENV, cwd=tmp_path, timeout=300
    )
    assert result.returncode == 0 and result.stdout == out  # the exported script reproduces the log


def _run(capsys, *argv):
    status_ = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return status_, out, err
