"""The app's screen as SVG for a run trained elsewhere (`perceptron-lab export --to svg`): the app is
run headless at a size, on that run, showing the epoch asked for."""

from __future__ import annotations

import asyncio

from tui.app import make_app
from tui.run.live import LiveRun


def screenshot(lesson, trainer, goal: int, epoch: int, lang: str, size: tuple[int, int]) -> str:
    """SVG of the app showing `trainer`'s run (settings and title from `lesson`) at `epoch`, of `size` cells."""
    return asyncio.run(_shoot(lesson, trainer, goal, epoch, lang, size))


async def _shoot(lesson, trainer, goal: int, epoch: int, lang: str, size: tuple[int, int]) -> str:
    # The app is made on the run, as it is made on a session file: it has nothing to load.
    view = None if epoch >= trainer.history.last_epoch else epoch
    app = make_app(lang=lang, run=LiveRun.of(lesson, trainer, goal), view=view)
    async with app.run_test(size=size) as pilot:
        while app.state == "loading":
            await pilot.pause(0.02)
        await pilot.pause()
        return app.export_screenshot(title=f"Perceptron Lab: {lesson.title_in(lang)}")
