"""The status line: lesson, state, learning rate, speed, and the notebook's log line for the epoch on view."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text

from core.format import log_line
from core.words import say
from tui.session import Frame
from tui.widgets.line_panel import TextPanel

STATE_STYLES = {
    "loading": Style(color="yellow"),
    "ready": Style(color="cyan", bold=True),
    "running": Style(color="green", bold=True),
    "paused": Style(color="yellow", bold=True),
    "finished": Style(color="cyan", bold=True),
    "blown_up": Style(color="red", bold=True, reverse=True),
}


def speed_text(frame: Frame, lang: str) -> str:
    if frame.rate is not None and frame.speed is None:
        return f"{say('app.max', lang)} ({say('app.measured', lang, n=round(frame.rate))})"
    return say("app.max", lang) if frame.speed is None else say("app.per_second", lang, n=frame.speed)


def render_status(frame: Frame, lang: str) -> Text:
    text = Text(no_wrap=False)
    text.append(f" {frame.lesson.title_in(lang)} ", Style(bold=True))
    text.append(f" {say(f'app.{frame.state}', lang)} ", STATE_STYLES[frame.state])
    lr, speed, seed = say("app.lr", lang), say("app.speed", lang), say("app.seed", lang)
    text.append(f"   {lr} {frame.lr:g}  {speed} {speed_text(frame, lang)}  {seed} {frame.seed}")
    text.append("\n ")
    if frame.epoch is None:
        text.append(say("app.hint_start", lang), "dim")
        return text
    text.append(log_line(frame.epoch, frame.goal, frame.loss, frame.accuracy), Style(bold=True))
    if frame.epoch < frame.last_epoch:
        text.append("  " + say("app.viewing_past", lang, last=frame.last_epoch), Style(color="magenta"))
    elif frame.state == "finished":
        text.append("  " + say("app.hint_finished", lang, n=frame.extend_by), "dim")
    elif frame.state == "ready":
        text.append("  " + say("app.hint_start", lang), "dim")
    if frame.blowup is not None:
        text.append("\n ")
        text.append(frame.blowup.message(lang), Style(color="red", bold=True))
    return text


class StatusLine(TextPanel):
    """Two lines at the bottom (three after a blow-up): where the run is and what it says."""

    def show(self, frame: Frame, lang: str) -> None:
        self.set_text(render_status(frame, lang))
