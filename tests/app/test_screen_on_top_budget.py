"""A screen on top of a training run (the hidden neurons `h`, the loss surface `u`) follows the run at
its own pace (TOP_EVERY) while the main view's panels beneath it wait: Textual composites the screens
under a modal one, so panels redrawn beneath it cost their bytes too (162 KB/s with `h` open at
120x40 before). Back on the main view every panel catches up at once."""

from __future__ import annotations

import pytest
from scenarios import settle, until, wait_ready

from tui.app import make_app
from tui.run.drawing import TOP_EVERY
from tui.widgets.truth_table import TruthTable


@pytest.mark.parametrize("key", ["h", "u"])
async def test_a_screen_on_top_follows_the_run_and_the_panels_beneath_wait(key):
    app = make_app("xor-mlp", "en")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_ready(pilot)
        await pilot.press("space", key)  # training at 10 epochs/s, the screen on top
        await until(pilot, lambda: not app.on_main_screen)
        top = app.screen
        start = app.live.last_epoch
        beneath = app.query_one(TruthTable).drawn
        seen = set()
        for _ in range(int((3 * TOP_EVERY + 4) / 0.1)):  # three of its turns, and time to paint
            await pilot.pause(0.1)
            seen.add(_epoch_shown(top))
            if len({e for e in seen if e is not None and e > start}) >= 2:
                break
        assert len({e for e in seen if e is not None and e > start}) >= 2, (start, seen)  # it followed
        assert app.query_one(TruthTable).drawn == beneath  # the main view waited
        await pilot.press("escape")  # back on the main view, still training: its panels catch up
        await until(pilot, lambda: app.on_main_screen)
        await until(pilot, lambda: app.query_one(TruthTable).drawn != beneath)
        await pilot.press("space")  # paused: every panel shows the epoch on view
        await settle(pilot)
        on_view = app.frame_on_view()
        assert all(drawn == on_view for drawn in app.visible_frames().values()), app.visible_frames()


def _epoch_shown(screen) -> int | None:
    """The epoch the screen on top shows: the hidden neurons' frame, or the surface's drawn stamp."""
    frame = getattr(screen, "_frame", None)
    if frame is not None:
        return frame.epoch
    drawn = getattr(screen, "drawn", None)
    return drawn[0].epoch if drawn else None
