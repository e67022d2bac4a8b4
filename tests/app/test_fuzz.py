"""Random keys, keys arriving together, resizes and pauses: the app never raises, its state is
always one it knows, and at rest every visible panel shows the frame on view. Seeded, so a
failure replays: the assertion message carries the keys.

`make test` presses a few thousand keys; `make test-slow` (the slow marker) presses 12,000 more.
Saves and exports the keys make are written in the test's temporary directory, and nowhere else.
"""

from __future__ import annotations

import asyncio
import random
import unicodedata

import pytest
from scenarios import wait_ready
from textual import events
from textual.geometry import Size
from textual.keys import _character_to_key, _get_unicode_name_from_key
from textual.worker import WorkerState

from tui.app import make_app

STATES = {"loading", "ready", "running", "paused", "finished", "blown_up"}
# The app's own keys (quit excluded: it would end the run), the keys of its screens and of
# Textual's widgets, and some that nothing binds.
KEYS = [
    "space",
    "n",
    "N",
    "left",
    "right",
    "left_square_bracket",
    "right_square_bracket",
    "s",
    "S",
    "l",
    "r",
    "R",
    "plus",
    "minus",
    "t",
    "a",
    "L",
    "question_mark",
    "w",
    "pageup",
    "pagedown",
    "home",
    "end",
    "escape",
    "enter",
    "tab",
    "shift+tab",
    "up",
    "down",
    "b",
    "j",
    "x",
    "m",
    "h",
    "e",
    "g",
    "left_curly_bracket",
    "right_curly_bracket",
    "ctrl+p",
    "ctrl+n",
    "ctrl+s",
    "ctrl+o",
    "ctrl+e",
    "z",
    "1",
    "5",
    "backspace",
    # The course (c), its keys (enter, <, >, o) and what its number field takes.
    "c",
    "c",
    "less_than_sign",
    "greater_than_sign",
    "o",
    "full_stop",
]
SIZES = [(120, 40), (80, 24), (100, 30), (79, 23), (21, 7), (41, 8), (20, 6), (300, 100), (150, 50)]


def _key_event(key: str) -> events.Key:
    """A key event as the driver makes it (what Pilot.press does, without waiting after it)."""
    if len(key) == 1 and not key.isalnum():
        key = _character_to_key(key)
    try:
        char = unicodedata.lookup(_get_unicode_name_from_key(key))
    except KeyError:
        char = key if len(key) == 1 else None
    return events.Key(key, char)


async def _send(app, *keys: str) -> None:
    """Keys as a terminal delivers them, then on once the app has taken them from its queue.

    Pilot.press waits until the process is idle after every key, which never happens while a
    run trains at full speed (a second a key); a learner does not wait either.
    """
    for key in keys:
        app._driver.send_message(_key_event(key))
    for _ in range(500):
        await asyncio.sleep(0.001)
        if app._message_queue.empty():
            break


def _at_rest(app) -> bool:
    """No worker changing the run or computing what is on view, and no screen on top."""
    if app.state in ("loading", "running") or app.engine.halting or app.explaining or not app.on_main_screen:
        return False
    busy = {"train", "load", "explain", "boundary"}
    return not any(w.group in busy and w.state in (WorkerState.PENDING, WorkerState.RUNNING) for w in app.workers)


def _behind(app) -> dict:
    on_view = app.frame_on_view()
    return {name: drawn for name, drawn in app.visible_frames().items() if drawn != on_view}


async def _check_the_screen_is_true(app, seed: int, done: list[str]) -> None:
    """At rest, every visible panel shows the frame on view (given the redraw a key set off, on the
    next refresh, time to land)."""
    for _ in range(100):
        if not _at_rest(app) or not _behind(app):
            return
        await asyncio.sleep(0.02)
    assert not _behind(app), (seed, app.frame_on_view(), _behind(app), done[-30:])


async def _fuzz(seed: int, presses: int, directory) -> list[str]:
    rng = random.Random(seed)
    # Saves and exports (ctrl+s, ctrl+e, then enter) go to `directory`, a test's own temporary one.
    lesson = rng.choice(["and", "xor", "xor-mlp", "or", "neuron"])
    app = make_app(lesson, rng.choice(["en", "ko"]), workdir=directory)
    done: list[str] = []
    async with app.run_test(size=rng.choice(SIZES[:3])) as pilot:
        await wait_ready(pilot)
        while len(done) < presses:
            roll = rng.random()
            if roll < 0.72:
                key = rng.choice(KEYS)
                done.append(key)
                await _send(app, key)
            elif roll < 0.87:  # two to four keys in one read, as fast typing or a paste delivers them
                burst = [rng.choice(KEYS) for _ in range(rng.randint(2, 4))]
                done.append("+".join(burst))
                await _send(app, *burst)
            elif roll < 0.93:
                size = rng.choice(SIZES)
                done.append(f"resize {size[0]}x{size[1]}")
                app._driver._size = Size(*size)
                app.post_message(events.Resize(Size(*size), Size(*size)))
                await _send(app)
            else:
                pause = rng.choice([0.0, 0.02, 0.05, 0.1, 0.3])
                done.append(f"pause {pause}")
                await asyncio.sleep(pause)
            assert app.state in STATES, (seed, done[-30:])
            assert app.live.ready or app.state == "loading", (seed, done[-30:])
            # torch in one thread at a time: an epoch is explained only while nothing trains
            busy = {worker.group for worker in app.workers if worker.state == WorkerState.RUNNING}
            assert not {"explain", "train"} <= busy, (seed, done[-30:])
            await _check_the_screen_is_true(app, seed, done)
        await _send(app, "escape", "escape", "escape")
        await pilot.pause(0.1)
    return done


@pytest.fixture
def in_tmp(tmp_path, monkeypatch):
    """A temporary directory, the working one too: nothing the keys write lands anywhere else."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("seed", range(6))
async def test_random_keys_never_break_the_app(seed, in_tmp):
    await _fuzz(seed, 500, in_tmp)


@pytest.mark.slow
@pytest.mark.parametrize("seed", range(100, 112))
async def test_random_keys_never_break_the_app_long(seed, in_tmp):
    await _fuzz(seed, 1000, in_tmp)
