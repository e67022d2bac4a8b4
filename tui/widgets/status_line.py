"""The status line: lesson, state, learning rate, speed, and the notebook's log line for the epoch on view."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text

from core.format import log_line
from tui.i18n import tr
from tui.session import Frame
from tui.widgets.text_panel import TextPanel

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
        return f"{tr('max', lang)} ({tr('measured', lang, n=round(frame.rate))})"
    return tr("max", lang) if frame.speed is None else tr("per_second", lang, n=frame.speed)


def render_status(frame: Frame, lang: str) -> Text:
    text = Text(no_wrap=False)
    text.append(f" {frame.lesson.title_in(lang)} ", Style(bold=True))
    text.append(f" {tr(frame.state, lang)} ", STATE_STYLES[frame.state])
    text.append(
        f"   {tr('lr', lang)} {frame.lr:g}  {tr('speed', lang)} {speed_text(frame, lang)}  {tr('seed', lang)} {frame.seed}"
    )
    text.append("\n ")
    if frame.epoch is None:
        text.append(tr("hint_start", lang), "dim")
        return text
    text.append(log_line(frame.epoch, frame.goal, frame.loss, frame.accuracy), Style(bold=True))
    if frame.epoch < frame.last_epoch:
        text.append("  " + tr("viewing_past", lang, last=frame.last_epoch), Style(color="magenta"))
    elif frame.state == "finished":
        text.append("  " + tr("hint_finished", lang, n=frame.extend_by), "dim")
    elif frame.state == "ready":
        text.append("  " + tr("hint_start", lang), "dim")
    if frame.blowup is not None:
        text.append("\n ")
        text.append(frame.blowup.message(lang), Style(color="red", bold=True))
    return text


class StatusLine(TextPanel):
    """Two lines at the bottom (three after a blow-up): where the run is and what it says."""

    def show(self, frame: Frame, lang: str) -> None:
        self.set_text(render_status(frame, lang))
