"""The experiment form, the save/open prompt and the export menu, each in a small app of its own,
driven from the keyboard and read back from the screen as the learner sees it."""

from __future__ import annotations

import io
import json

import pytest
from rich.console import Console
from textual.app import App
from textual.widgets import Input, Select, Static

from core.config import TrainConfig, parse
from core.errors import InputError
from core.files.session_file import SavedRun, save_session
from core.lessons import Experiment, lesson
from tui.files.experiment_form import ExperimentForm
from tui.files.export_menu import ExportChoice, ExportMenu
from tui.files.path_prompt import OpenedFile, PathPrompt
from tui.files.targets_editor import TargetsEditor, widen
from tui.widgets.hint import Hint

SMALL = (80, 24)


class Host(App):
    """An app that opens one screen and keeps what it dismisses with (and how many times)."""

    def __init__(self, screen):
        super().__init__()
        self.opened, self.results = screen, []

    def on_mount(self) -> None:
        self.push_screen(self.opened, self.results.append)


def screen_text(app: App) -> str:
    """The screen as plain text, as a terminal shows it (overlays and wide letters included)."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), color_system=None, record=True, safe_box=False)
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return console.export_text()


async def clear_and_type(pilot, field_id: str, text: str) -> None:
    """Focus a field, empty it and type, as a learner would (end, backspaces, keys)."""
    field = pilot.app.screen.query_one(f"#{field_id}", Input)
    field.focus()
    await pilot.press("end", *["backspace"] * (len(field.value) + 1), *(text or ()))


def message_beside(app: App, name: str) -> str:
    return str(app.screen.query_one(f"#{name}-error", Static).render())


# --- the experiment form -------------------------------------------------------------------------


async def test_the_form_starts_from_the_current_run_and_enter_confirms_it():
    app = Host(ExperimentForm("en", lesson("xor-mlp")))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "xor (0110)" in text and "64,32,16" in text and "5000" in text
        app.screen.query_one("#epochs", Input).focus()
        await pilot.press("enter")
        await pilot.pause()
    assert app.results == [Experiment(config=lesson("xor-mlp").config, epochs=5000)]


async def test_a_teacher_sets_up_xnor_with_3_tanh_neurons_and_seed_5_from_the_keyboard():
    app = Host(ExperimentForm("en", lesson("xor-mlp")))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        assert app.focused.id == "dataset"
        await pilot.press("enter", "down", "down", "down", "enter")  # xor -> or -> nor -> xnor
        await pilot.press("tab")
        assert app.focused.id == "table" and app.screen.query_one(TargetsEditor).column == "1001"
        await pilot.press("tab")  # the name is for a table of one's own: skipped
        assert app.focused.id == "hidden"
        await pilot.press("end", *["backspace"] * 8, "3", "tab")
        await pilot.press("enter", "down", "enter")  # sigmoid -> tanh
        await pilot.press("tab", "tab", "tab", "tab")  # optimizer, loss, lr, seed
        assert app.focused.id == "seed"
        await pilot.press("backspace", "5", "tab", "end", *["backspace"] * 4, *"800", "enter")
        await pilot.pause()
    config = TrainConfig(dataset="xnor", hidden=(3,), activation="tanh", seed=5)
    assert app.results == [Experiment(config=config, epochs=800)]


async def test_a_table_of_ones_own_with_three_inputs_and_a_korean_name():
    app = Host(ExperimentForm("ko", lesson("and")))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await pilot.press("tab", "3")  # the editor: three inputs
        editor = app.screen.query_one(TargetsEditor)
        assert editor.column == "00000011"  # AND, ignoring the third input
        await pilot.press(*"01101000")
        await pilot.pause()
        assert editor.column == "01101000"
        assert app.screen.query_one("#dataset", Select).value == "=own"
        assert "직접 만든 표" in screen_text(app)
        name = app.screen.query_one("#name", Input)
        assert not name.disabled and name.value == "내표"
        await clear_and_type(pilot, "name", "홀짝")
        await pilot.press("enter")
        await pilot.pause()
    (run,) = app.results
    assert run.config.dataset == "홀짝=01101000" and run.config.sizes == (3, 1)


@pytest.mark.parametrize("lang", ["en", "ko"])
async def test_a_bad_value_gets_the_configs_message_beside_its_field_and_nothing_starts(lang):
    app = Host(ExperimentForm(lang, lesson("xor")))
    bad = {"hidden": "0,x", "lr": "-1", "seed": "abc", "epochs": "0"}
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        for name, value in bad.items():
            await clear_and_type(pilot, name, value)
        await pilot.press("enter")
        await pilot.pause()
        assert app.results == [] and app.focused.id == "hidden"  # the first bad field
        text = " ".join(screen_text(app).split())
        for name, value in bad.items():
            with pytest.raises(InputError) as expected:
                parse(name, value)
            assert message_beside(app, name) == expected.value.message(lang)  # the command line's words
            assert expected.value.message(lang)[:10] in text  # the start of it: lines wrap
            assert app.screen.query_one(f"#{name}-field").has_class("-invalid")
        await clear_and_type(pilot, "hidden", "4")
        assert message_beside(app, "hidden") == "" and not app.screen.query_one("#hidden-field").has_class("-invalid")


async def test_a_table_of_ones_own_needs_a_name_that_is_not_a_built_in():
    app = Host(ExperimentForm("en", lesson("xor")))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await pilot.press("tab", "3", "space")  # three inputs, the first target toggled: a table of one's own
        await clear_and_type(pilot, "name", "xor")
        await pilot.press("enter")
        await pilot.pause()
        assert app.results == [] and "not a built-in table's name" in message_beside(app, "name")
        await clear_and_type(pilot, "name", "almost-xor")
        await pilot.press("enter")
        await pilot.pause()
    assert app.results[0].config.dataset == "almost-xor=10111100"


@pytest.mark.parametrize("lang,own", [("en", "a table of your own"), ("ko", "직접 만든 표")])
async def test_targets_typed_in_that_are_a_built_in_table_are_that_table(lang, own):
    """0 0 0 1 typed in is AND: it read 'a table of your own', and the run was titled '나의 실험: 내표'."""
    app = Host(ExperimentForm(lang, lesson("xor-mlp")))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await pilot.press("tab", *"0001")
        await pilot.pause()
        assert app.screen.query_one("#dataset", Select).value == "and"
        assert app.screen.query_one("#name", Input).disabled
        text = screen_text(app)
        assert "and (0001)" in text and own not in text
        await pilot.press("3")  # three inputs, AND's targets kept: no built-in has these
        await pilot.pause()
        assert app.screen.query_one("#dataset", Select).value == "=own" and own in screen_text(app)
        await pilot.press(*["right"] * 5, *"01101001")  # from the first row: parity3's
        await pilot.pause()
        assert app.screen.query_one("#dataset", Select).value == "parity3"
        await pilot.press("2", "right", *"0001", "enter")  # back to two inputs, from the first row: and
        await pilot.pause()
    (run,) = app.results
    assert run.config.dataset == "and" and run.title_in(lang).endswith(": and, 2-64-32-16-1 sigmoid")


async def test_adam_brings_its_learning_rate_unless_one_was_typed():
    app = Host(ExperimentForm("en", lesson("xor-mlp")))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        optimizer, lr = app.screen.query_one("#optimizer", Select), app.screen.query_one("#lr", Input)
        optimizer.value = "adam"
        await pilot.pause()
        assert lr.value == "0.01"
        optimizer.value = "sgd"
        await pilot.pause()
        assert lr.value == "1"
        await clear_and_type(pilot, "lr", "0.3")
        optimizer.value = "adam"
        await pilot.pause()
        assert lr.value == "0.3"


async def test_escape_cancels_and_two_enters_dismiss_once():
    app = Host(ExperimentForm("en"))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
    assert app.results == [None]
    app = Host(ExperimentForm("en"))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        app.screen.query_one("#seed", Input).focus()
        await pilot.press("enter", "enter")
        await pilot.pause()
    assert len(app.results) == 1 and isinstance(app.results[0], Experiment)


@pytest.mark.parametrize("lang", ["en", "ko"])
async def test_the_form_fits_80x24_with_every_label_whole(lang):
    from core.words import say

    app = Host(ExperimentForm(lang, lesson("xor-mlp")))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        screen = app.screen
        body = screen.query_one(".form-dialog")
        assert body.max_scroll_y == 0  # everything shows without scrolling
        for widget in screen.query("Input, Select, TargetsEditor, Button, Label"):
            region = widget.region
            assert region.right <= 80 and region.bottom <= 24 and region.width > 0, widget
        text = screen_text(app)
        for key in ("dataset", "table", "name", "hidden", "activation", "optimizer", "loss", "lr", "seed", "epochs"):
            assert say(f"form.{key}", lang) in text, key
        assert say("form.keys", lang) in text


async def test_a_list_opened_over_the_form_keeps_its_korean_whole():
    app = Host(ExperimentForm("ko", lesson("xor")))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await pilot.press("enter", "end")  # the dataset list, at its last entry
        await pilot.pause()
        assert "직접 만든 표" in screen_text(app)


def test_widening_a_table_keeps_its_targets():
    assert widen("0110", 3) == "00111100" and widen("00111100", 2) == "0110" and widen("0110", 2) == "0110"


# --- saving and opening ------------------------------------------------------------------------------


def _session(path) -> None:
    from core.trainer import Trainer

    trainer = Trainer(lesson("and").config)
    trainer.step(20)
    save_session(path, SavedRun.of(trainer, "and", epochs=1000))


@pytest.mark.parametrize(("lang", "size"), [("en", (120, 40)), ("en", SMALL), ("ko", SMALL)])
async def test_a_key_hint_short_of_room_drops_whole_parts_never_cuts_one(tmp_path, lang, size):
    app = Host(PathPrompt(lang, "save", "run.json", tmp_path))
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        hint = app.screen.query_one("#form-buttons .hint", Hint)
        row = next(line for line in screen_text(app).splitlines() if "enter:" in line)
        shown = row.split("│")[1].rstrip()
        parts = hint.text.split(" · ")
        kept = [p for p in parts if p in shown]
        assert kept == parts[: len(kept)] and kept, (shown, parts)  # whole parts, from the first
        assert shown.endswith(kept[-1])  # nothing after the last whole one ("· →:" was left hanging)
        if lang == "en":
            assert hint.content_size.width < len(hint.text) and len(kept) < len(parts)  # the case in point


async def test_saving_over_a_file_asks_first(tmp_path):
    (tmp_path / "run.json").write_text("old")
    app = Host(PathPrompt("en", "save", "run.json", tmp_path))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert app.results == [] and "'run.json' exists: enter again replaces it" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
    assert app.results == [str(tmp_path / "run.json")]  # a name is in the prompt's directory


async def test_saving_where_there_is_no_directory_says_so_beside_the_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    app = Host(PathPrompt("ko", "save", "no/such/run.json"))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert app.results == [] and "디렉터리가 없습니다" in message_beside(app, "path")
        await clear_and_type(pilot, "path", "run.json")
        assert message_beside(app, "path") == ""
        await pilot.press("enter")
        await pilot.pause()
    assert app.results == [str(tmp_path / "run.json")]  # the working directory, unless told another


async def test_opening_checks_the_file_and_refuses_a_bad_one_beside_the_name(tmp_path):
    (tmp_path / "empty.json").write_bytes(b"")
    (tmp_path / "old.json").write_text(json.dumps({"format": "perceptron-lab session", "version": 0}))
    _session(tmp_path / "good.json")
    app = Host(PathPrompt("en", "open", directory=tmp_path))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        for name, words in (("empty.json", "it is empty"), ("old.json", "format version 0"), ("nope", "no such file")):
            await clear_and_type(pilot, "path", name)
            await pilot.press("enter")
            await pilot.pause()
            assert app.results == [] and words in message_beside(app, "path")
            assert f"{name!r}" in message_beside(app, "path")  # named as typed, not by its whole path
        await clear_and_type(pilot, "path", "go")
        await pilot.press("right", "enter")  # → completes a session file's name in this directory
        await pilot.pause()
    (opened,) = app.results
    assert isinstance(opened, OpenedFile) and opened.path == str(tmp_path / "good.json")
    assert opened.run.last_epoch == 19


# --- the export menu ---------------------------------------------------------------------------------


async def test_the_export_menu_offers_the_four_kinds_and_a_name_that_follows_the_kind(tmp_path):
    app = Host(ExportMenu("en", "xor-mlp", 2000, directory=tmp_path))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        assert app.focused.id == "kind" and app.screen.query_one("#path", Input).value == "xor-mlp.py"
        await pilot.press("enter", "down", "down", "enter")  # script -> csv -> state-dict
        await pilot.pause()
        assert app.screen.query_one("#path", Input).value == "xor-mlp-epoch-2000.pt"
        await pilot.press("tab", "enter")
        await pilot.pause()
    assert app.results == [ExportChoice("state-dict", str(tmp_path / "xor-mlp-epoch-2000.pt"), 2000)]


async def test_a_typed_name_stays_and_an_existing_file_is_replaced_only_when_asked_twice(tmp_path):
    (tmp_path / "handout.svg").write_text("old")
    app = Host(ExportMenu("ko", "xor", 100, directory=tmp_path))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await clear_and_type(pilot, "path", "handout.svg")
        app.screen.query_one("#kind", Select).value = "svg"
        await pilot.pause()
        assert app.screen.query_one("#path", Input).value == "handout.svg"
        app.screen.query_one("#path", Input).focus()
        await pilot.press("enter")
        await pilot.pause()
        assert app.results == [] and "한 번 더 누르면 바꿔 씁니다" in screen_text(app)
        await pilot.press("enter")
        await pilot.pause()
    assert app.results == [ExportChoice("svg", str(tmp_path / "handout.svg"), 100)]


async def test_the_kind_list_keeps_its_korean_whole_over_the_dialog():
    app = Host(ExportMenu("ko", "xor-mlp", 2000))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        text = screen_text(app)
        for line in (
            "script: 같은 학습을 다시 하는 파이썬 파일",
            "state-dict: 에포크 2000의 가중치",
            "svg: 에포크 2000의 이 화면",
        ):
            assert line in text


# --- the branch question -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "lang,epoch,last,says",
    [
        ("en", 99, 100, "Branch from epoch 99 (forget epoch 100)"),
        ("ko", 99, 100, "에포크 99에서 갈라지기 (에포크 100 버림)"),
        ("en", 40, 100, "Branch from epoch 40 (forget 41–100)"),
        ("ko", 40, 100, "에포크 40에서 갈라지기 (41–100 버림)"),
    ],
)
async def test_the_branch_question_names_the_epochs_it_would_forget(lang, epoch, last, says):
    """One epoch to forget read 'forget 100–100'."""
    from tui.run.branch_question import BranchQuestion

    app = Host(BranchQuestion(epoch, last, lang))
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert says in text and f"{last}–{last}" not in text
