"""The footer greys and ungreys its keys in place (tui/widgets/footer.py): pausing and running
change which keys act, not which keys there are, and a rebuilt footer (Textual's way) cost a
layout pass and ~35 ms of the UI thread on every pause. A change of keys or words still rebuilds."""

from __future__ import annotations

from scenarios import settle, wait_ready
from textual.widgets._footer import FooterKey

from tui.app import make_app
from tui.widgets.footer import SteadyFooter


def footer_keys(app) -> list[FooterKey]:
    return list(app.screen.query_one(SteadyFooter).query(FooterKey))


def greyed(app) -> dict[str, bool]:
    return {key.key: key.has_class("-disabled") for key in footer_keys(app)}


async def test_running_and_pausing_grey_the_same_keys_in_place():
    app = make_app("xor-mlp")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await settle(pilot, workers=False)
        before = footer_keys(app)
        assert greyed(app)["n"] is False
        await pilot.press("space")
        await settle(pilot, workers=False)
        assert app.state == "running"
        assert greyed(app)["n"] is True and greyed(app)["space"] is False  # stepping waits for a pause
        assert footer_keys(app) == before  # the same widgets: nothing mounted, nothing laid out
        await pilot.press("space")
        await settle(pilot)
        assert app.state == "paused"
        assert greyed(app)["n"] is False and footer_keys(app) == before
        assert all(not key._disabled for key in before if key.key in ("n", "N", "left", "right"))


async def test_other_keys_or_other_words_rebuild_it():
    app = make_app("xor-mlp", "en")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await settle(pilot, workers=False)
        before = footer_keys(app)
        await pilot.press("L")  # the other language: the same keys, other words
        await settle(pilot, workers=False)
        after = footer_keys(app)
        assert after != before
        assert "한 단계" in [key.description for key in after]
        await pilot.press("question_mark")  # a screen on top: its own footer, the main one keeps its keys
        await settle(pilot, workers=False)
        await pilot.press("escape")
        await settle(pilot, workers=False)
        assert [key.description for key in footer_keys(app)] == [key.description for key in after]
