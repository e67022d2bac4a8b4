"""The app's screen as SVG for a run trained elsewhere (`perceptron-lab export --to svg`): the app
is run headless at a size, given the run, and shows the epoch asked for."""

from __future__ import annotations

import asyncio

from tui.app import make_app


def screenshot(lesson, trainer, goal: int, epoch: int, lang: str, size: tuple[int, int]) -> str:
    """SVG of the app showing `trainer`'s run (settings and title from `lesson`) at `epoch`, of `size` cells."""
    return asyncio.run(_shoot(lesson, trainer, goal, epoch, lang, size))


async def _shoot(lesson, trainer, goal: int, epoch: int, lang: str, size: tuple[int, int]) -> str:
    # The app opens a lesson of its own; once its engine is ready, the run is handed over to its
    # session, as the app's own worker would hand over a loaded one.
    app = make_app("and", lang, epochs=goal)
    async with app.run_test(size=size) as pilot:
        while app.state == "loading":
            await pilot.pause(0.02)
        session = app.session
        session.lesson, session.trainer = lesson, trainer
        session.seed, session.epochs, session.goal = trainer.config.seed, goal, max(goal, trainer.history.last_epoch)
        app._titles()
        app.view = None if epoch >= trainer.history.last_epoch else epoch
        app._settle()
        await pilot.pause()
        return app.export_screenshot(title=f"Perceptron Lab: {lesson.title_in(lang)}")
