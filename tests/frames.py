"""Frames of real runs for widget tests: a lesson (or a changed config) trained to an epoch."""

from __future__ import annotations

from dataclasses import replace

from core.lessons import lesson
from tui.run.live import Frame, LiveRun


def frame_for(lesson_id: str, epoch: int, **config) -> Frame:
    """The paused app's Frame of this lesson at `epoch` (config changes, e.g. dataset="parity3")."""
    spec = lesson(lesson_id)
    if config:
        spec = replace(spec, config=spec.config.with_(**config))
    session = LiveRun(spec)
    session.load()
    if epoch:
        session.step(epoch)
    return session.frame("paused", None)


def screen_lines(app) -> list[str]:
    """The terminal's text, line by line, as the app draws it now."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def screen_ansi(app) -> str:
    """What the terminal is sent for the whole screen, escape codes and all, in the app's colour system."""
    return "\n".join(strip.render(app.console) for strip in app.screen._compositor.render_strips())
