"""A key that cannot apply says why, in one line, in the learner's language (it never does nothing
silently): x on a table of two inputs, h on a network with no hidden layer, the training keys in
the neuron lesson."""

from __future__ import annotations

import pytest
from scenarios import settle, wait_ready

from core.words import say
from tui.app import make_app


def _said(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


@pytest.mark.parametrize("lang", ["en", "ko"])
async def test_h_on_a_network_with_no_hidden_layer_says_so_and_opens_nothing(lang, tmp_path):
    app = make_app("and", lang, workdir=tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await pilot.press("h")
        await settle(pilot)
        assert app.on_main_screen
        assert _said(app) == [say("app.why_no_hidden", lang, key="h", sizes="2-1")]


@pytest.mark.parametrize("lang", ["en", "ko"])
async def test_x_on_a_table_of_two_inputs_says_why(lang, tmp_path):
    app = make_app("xor-mlp", lang, workdir=tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await pilot.press("x")
        await settle(pilot)
        assert _said(app) == [say("app.why_no_slice", lang, key="x", n=2)]


@pytest.mark.parametrize("key", ["e", "w", "n", "space", "h"])
async def test_the_training_keys_in_the_neuron_lesson_say_why(key, tmp_path):
    app = make_app("neuron", "ko", workdir=tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await settle(pilot)  # the neuron's controls have the focus (they take +, -, ←, →)
        await pilot.press(key)
        await settle(pilot)
        assert app.on_main_screen
        shown = {"space": "space"}.get(key, key)
        assert len(_said(app)) == 1 and _said(app)[0].startswith(shown)
        assert "ctrl+n" in _said(app)[0]


async def test_the_neurons_own_keys_say_nothing(tmp_path):
    app = make_app("neuron", workdir=tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await pilot.press("plus", "down", "minus", "g", "m", "t", "m")
        await settle(pilot)
        assert _said(app) == []


async def test_a_message_is_whole_in_korean_at_80x24_in_a_line_of_its_own(tmp_path):
    from rich.cells import cell_len
    from scenarios import region_text, screen_lines

    app = make_app("neuron", "ko", workdir=tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        line = app.query_one("#message")
        rows = [row.strip() for row in region_text(app, line)]
        assert " ".join(rows).replace("  ", " ") == say("app.why_by_hand", "ko", key="e")
        assert all(cell_len(row) <= 78 for row in rows)
        # No toast is drawn over the panels (its rows crossed their edges, which cut Korean characters).
        assert not any("▌" in row for row in screen_lines(app))
