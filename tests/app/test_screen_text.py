"""Every character on screen, whole: read the screen back as text and find the texts we drew.

A wide (Korean) character cut in two by an edge shows as spaces: these tests fail then.
"""

from __future__ import annotations

import re

import pytest
from scenarios import region_text, wait_ready

from core.lessons import LESSONS
from tui.app import make_app
from tui.widgets.lesson_notes import LessonNotes


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
@pytest.mark.parametrize("lesson_id", list(LESSONS))
async def test_the_lesson_notes_are_whole_on_screen(lesson_id, size, lang):
    app = make_app(lesson_id, lang)
    async with app.run_test(size=size) as pilot:
        await wait_ready(pilot)
        await pilot.press("t")
        notes = app.query_one(LessonNotes)
        whole = _squeeze(LESSONS[lesson_id].text_in(lang))
        seen = ""
        for _ in range(40):  # scroll down through the notes, a page at a time
            await pilot.pause()
            rows = [row.strip() for row in region_text(app, notes)]
            for row in rows:
                assert _squeeze(row) in whole, (row, lang, size)
                # a formula that fits on a line is not broken: "w₁·x₁ + w₂·x₂ ≥" / "θ" was
                assert not re.search(r"\s[=≥≤<>+−]$|^[=≥≤<>+−]\s", row), (row, lang, size)
            seen += "".join(rows)
            if notes.scroll_y >= notes.max_scroll_y:
                break
            notes.scroll_page_down(animate=False)
        assert whole[-20:] in _squeeze(seen)  # got to the end


@pytest.mark.parametrize("lang", ["ko", "en"])
async def test_the_status_hint_keeps_whole_parts_and_two_rows(lang):
    """At 80 columns the hint keeps the parts that fit on the log line's row (the footer has every
    key): no part is cut onto a third row; at 120 the whole hint is there."""
    from scenarios import screen_lines, settle

    from core.words import say
    from tui.widgets.status_line import StatusLine

    hint = say("app.hint_start", lang)
    app = make_app("xor-mlp", lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        await settle(pilot)
        status = app.query_one(StatusLine)
        assert status.size.height == 2
        row = screen_lines(app)[status.region.y + 1].rstrip()
        shown = row.split("  ")[-1]
        assert row.startswith(" Epoch: 0/5000") and hint.startswith(shown) and shown != hint
        assert shown in [" · ".join(hint.split(" · ")[:n]) for n in range(1, 5)]
        await pilot.resize_terminal(120, 40)
        await settle(pilot)
        assert screen_lines(app)[status.region.y + 1].rstrip().endswith(hint)


@pytest.mark.parametrize("lang", ["ko", "en"])
async def test_the_weights_panel_says_what_changed_in_words_that_fit(lang):
    """The weights panel's first line, "epoch 1: ▲ went up, ▼ went down since epoch 0", was cut
    mid-word at 80 columns ("…since epoch 0" ran past the edge): there it takes its short form,
    whole; at 120 the long one; a resize lays it out again."""
    from rich.cells import cell_len
    from scenarios import settle

    from core.words import say
    from tui.widgets.weights_inspector import WeightsInspector

    app = make_app("xor-mlp", lang)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_ready(pilot)
        await pilot.press("n")
        await settle(pilot)
        weights = app.query_one(WeightsInspector)
        for size, key in (((80, 24), "app.changed_short"), ((120, 40), "app.changed"), ((80, 24), "app.changed_short")):
            await pilot.resize_terminal(*size)
            await settle(pilot)
            first = region_text(app, weights)[0].rstrip()
            assert first == " " + say(key, lang, epoch=1, prev=0), (size, first)
            assert cell_len(first) <= weights.size.width
