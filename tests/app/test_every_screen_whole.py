"""Every screen, in the states that make its text long, read back whole (issue 19, "the kind"):
a blow-up, 3 inputs, weights past 10, a run past its goal; at 80x24 and 120x40, in both languages;
the main view, the map view, the hidden neurons, the explainer and help. On each screen:
- no formula broken between the sides of a relation ("… =" / "0");
- every bordered panel keeps its left and right edges: nothing drawn over them;
- every row is as wide as the terminal (a wide character counted as one cell would not be);
- every run of Korean on screen is a piece of the catalog or a lesson's text (half a word cut at an
  edge, or a label mangled by a plotting library, is not).
The single items of the issue each have their own test in test_whole_text.py; this one sweeps."""

from __future__ import annotations

import re

import pytest
from rich.cells import cell_len
from scenarios import Scenario, broken_relations, build_app, play, screen_lines, settle

from core.lessons import LESSONS
from core.words import catalog

STATES = {
    "blowup": Scenario("blowup", "xor-mlp", ("plus",) * 9 + ("n",)),
    "three-inputs": Scenario("p3", "xor-mlp", ("N",), config=(("dataset", "parity3"), ("hidden", (4,)))),
    "weights-past-10": Scenario("big", "xor-2-2-1", ("N",) * 3, config=(("lr", 10.0),)),
    "past-goal": Scenario("past", "and", ("n", "a"), run_to_end=True),
}
SCREENS = {  # keys to each screen from the main view, and back
    "main": ((), ()),
    "map": (("m",), ("m",)),
    "hidden": (("h",), ("escape",)),
    "explain": (("e", "right", "right", "right", "right"), ("escape",)),
    "help": (("question_mark",), ("escape",)),
}
HANGUL = re.compile(r"[가-힣]+")


def _korean_corpus() -> str:
    texts = list(catalog("ko").values()) + [lesson.text_in("ko") for lesson in LESSONS.values()]
    return re.sub(r"\s+", "", "".join(texts))


def _in_corpus(word: str, corpus: str) -> bool:
    """The word is in the texts, or is two pieces of them: a filled-in name and the ending after it
    ("나의 실험" + "의" from "{lesson}의")."""
    return word in corpus or any(word[:i] in corpus and word[i:] in corpus for i in range(1, len(word)))


def _edges_drawn_over(app, rows: list[str]) -> list[str]:
    """Bordered widgets whose left or right edge, between the top and bottom rows, holds no border."""
    from scenarios import cells

    bad = []
    for widget in app.screen.query("*"):
        region = widget.region
        if not widget.display or region.width < 3 or region.height < 3 or not widget.styles.border_left[0]:
            continue
        if not widget.styles.border_right[0] or region.right > app.size.width or region.bottom > app.size.height:
            continue
        visible = app.screen.find_widget(widget).region if widget.is_mounted else region
        if visible != region:
            continue  # scrolled partly out of view: its edges are not all on screen
        for y in range(region.y + 1, region.bottom - 1):
            left, right = cells(rows[y], region.x, region.x + 1), cells(rows[y], region.right - 1, region.right)
            if not (left.strip() and right.strip()):
                bad.append(f"{widget!r} row {y}: {rows[y]!r}")
                break
    return bad


@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
@pytest.mark.parametrize("state", list(STATES))
async def test_every_screen_is_whole_in_the_states_that_make_text_long(state, size, lang):
    base = STATES[state]
    scenario = Scenario(base.name, base.lesson, base.keys, size, lang, base.run_to_end, config=base.config)
    corpus = _korean_corpus() if lang == "ko" else ""
    app = build_app(scenario)
    async with app.run_test(size=size) as pilot:
        await play(pilot, scenario)
        for screen, (there, back) in SCREENS.items():
            await pilot.press(*there)
            await settle(pilot)
            rows = screen_lines(app)
            where = (state, size, lang, screen)
            assert not broken_relations(rows), (where, broken_relations(rows))
            assert all(cell_len(row) == size[0] for row in rows), where
            assert not _edges_drawn_over(app, rows), (where, _edges_drawn_over(app, rows))
            for row in rows:
                for word in HANGUL.findall(row):
                    assert _in_corpus(word, corpus), (where, word, row)
            await pilot.press(*back)
            await settle(pilot)
