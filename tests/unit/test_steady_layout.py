"""A panel's height follows its width, never its numbers, and the heavy panels take turns.

A new height relays the screen and resends whole panels: at 80x24 the status line wrapped
whenever the measured rate reached 10,000 epochs/s (~10 KB to the terminal, twice, each time), and
a layer's statistics wrapped when an epoch gained a digit. At max speed the network, the weights
table and the map were redrawn in the same tick (up to 35 KB at once at 120x40), which a pause
then waited behind on a slow link.
"""

from __future__ import annotations

import random
from dataclasses import replace

import pytest
from frames import frame_for
from rich.cells import cell_len
from rich.console import Console

from core.lessons import trained
from tui.run.drawing import REDRAW_EVERY, TICK, due
from tui.widgets.line_panel import wrap_like
from tui.widgets.network_diagram import render_layers
from tui.widgets.status_line import render_status


def wrapped(text, width: int) -> list[str]:
    return [line.plain for line in text.wrap(Console(width=width), width)]


@pytest.fixture(scope="module")
def mlp_frames():
    return {epoch: frame_for("xor-mlp", epoch) for epoch in (0, 1, 40, 400)}


@pytest.mark.parametrize("lang", ["en", "ko"])
@pytest.mark.parametrize("width", [60, 80, 120])
def test_the_status_line_keeps_its_height_whatever_the_measured_rate(mlp_frames, lang, width):
    base = mlp_frames[1]
    for lesson in trained():
        heights = set()
        for rate in (3, 999, 9_999, 10_000, 123_456, 999_999):
            frame = replace(base, lesson=lesson, state="running", speed=None, rate=rate)
            lines = wrapped(render_status(frame, lang, width), width)
            heights.add(len(lines))
            assert all(cell_len(line) <= width for line in lines)
        assert len(heights) == 1, (lesson.id, heights)
    if width == 120:  # room for the whole rate
        frame = replace(base, state="running", speed=None, rate=12_345)
        assert ("12,345 epochs/s" if lang == "en" else "초당 12,345 에포크") in render_status(frame, lang, width).plain


def test_wrap_like_breaks_where_the_widest_values_would():
    rng = random.Random(0)
    template = "W mean {:+.3f}  sd {:.3f}  |max| {:.3f}  since epoch {}"
    widest = template.format(-9.999, 9.999, 9.999, 9_999_999)
    for width in range(12, 70):
        counts = set()
        for _ in range(30):
            text = template.format(rng.uniform(-9, 9), rng.uniform(0, 9), rng.uniform(0, 9), rng.randrange(10**7))
            lines = wrap_like(text, widest, width).split("\n")
            counts.add(len(lines))
            assert all(cell_len(line) <= width for line in lines), (width, lines)
            assert "".join(lines).replace(" ", "") == text.replace(" ", "")  # nothing lost, nothing added
        assert len(counts) == 1, width
    # fields set apart by two spaces stay whole where they fit
    assert wrap_like("W mean -0.108  sd 1.243  |max| 4.721", "W mean -9.999  sd 9.999  |max| 9.999", 24) == (
        "W mean -0.108  sd 1.243\n|max| 4.721"
    )


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_a_layers_statistics_take_the_same_lines_at_every_epoch(mlp_frames, lang):
    for width in range(24, 64, 3):
        heights = {len(wrapped(render_layers(frame, lang, width), width + 1)) for frame in mlp_frames.values()}
        assert len(heights) == 1, (width, heights)


@pytest.mark.parametrize("speed", list(REDRAW_EVERY))
def test_the_heavy_panels_take_turns_and_keep_their_pace(speed):
    every = REDRAW_EVERY[speed]
    jitter = random.Random(speed or 0)
    drawn = dict.fromkeys(("table", "plot", "weights", "map"), 0.0)  # all drawn at 0 (a key, a start)
    times: dict[str, list[float]] = {name: [0.0] for name in drawn}
    now = 0.0
    while now < 60:
        now += TICK * jitter.uniform(0.9, 1.3)
        chosen = due({name: now - at for name, at in drawn.items()}, every)
        for name, key in (("table", "table"), ("plot", "plot"), ("weights", "weights"), ("map", "boundary")):
            if chosen[key]:
                drawn[name] = now
                times[name].append(now)
        if every[2] > 0:
            assert not (chosen["weights"] and chosen["boundary"]), now
            light = (chosen["table"] and every[0] > 0) or (chosen["plot"] and every[1] > 0)  # a paced light panel
            assert not ((chosen["weights"] or chosen["boundary"]) and light), now
    for name, pace in (("table", every[0]), ("plot", every[1]), ("weights", every[2]), ("map", every[2])):
        gaps = [b - a for a, b in zip(times[name], times[name][1:])]
        # never more often than its pace (but the weights' first turn, half a period early, to set
        # the turns apart); late by at most a few ticks (a turn given to another panel)
        if name == "weights" and pace > 0:
            assert gaps[0] >= pace / 2
            gaps = gaps[1:]
        assert min(gaps) >= pace
        assert max(gaps) <= max(pace, TICK * 1.3) + 3 * TICK * 1.3, (name, max(gaps))
