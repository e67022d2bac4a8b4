"""The status line: lesson, state, learning rate, speed, and the notebook's log line for the epoch on view."""

from __future__ import annotations

import os

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual.css.scalar import Unit

from core.format import log_line
from core.mathtext import wrap
from core.neuron import LABELS, reachable
from core.rule import verdict
from core.words import count, say
from tui.run.live import Frame
from tui.widgets.drawn import DrawsFrames
from tui.widgets.hint import fitting
from tui.widgets.line_panel import TextPanel

STATE_STYLES = {
    "loading": Style(color="yellow"),
    "ready": Style(color="cyan", bold=True),
    "running": Style(color="green", bold=True),
    "paused": Style(color="yellow", bold=True),
    "finished": Style(color="cyan", bold=True),
    "blown_up": Style(color="red", bold=True, reverse=True),
}


# The measured rate at max speed takes the longest form that fits the line's width with any rate
# up to this one, so the line's height never follows the rate: a status line that wrapped when the
# rate reached 10,000 epochs/s relaid the panels above it, ~10 KB to the terminal twice a second.
WIDEST_RATE = 999_999
RATE_FORMS = ("app.measured", "app.measured_short", None)


def speed_text(frame: Frame, lang: str, form: str | None = "app.measured", rate: float | None = None) -> str:
    if frame.rate is not None and frame.speed is None:
        if form is None:
            return say("app.max", lang)
        return f"{say('app.max', lang)} ({say(form, lang, n=round(frame.rate if rate is None else rate))})"
    return say("app.max", lang) if frame.speed is None else say("app.per_second", lang, n=frame.speed)


def head_line(frame: Frame, lang: str, state: str, width: int | None) -> str:
    """The first line after the lesson's title and state: learning rate, speed and seed, with the
    measured rate in the longest form that fits `width` (any width: the longest)."""
    lr, speed, seed = say("app.lr", lang), say("app.speed", lang), say("app.seed", lang)

    def line(form: str | None, rate: float | None = None) -> str:
        return f"   {lr} {frame.lr:g}  {speed} {speed_text(frame, lang, form, rate)}  {seed} {frame.seed}"

    if width is None:
        return line(RATE_FORMS[0])
    room = width - cell_len(f" {frame.lesson.title_in(lang)} ") - cell_len(f" {state} ")
    form = next((f for f in RATE_FORMS if cell_len(line(f, WIDEST_RATE)) <= room), None)
    return line(form)


def blowup_lines(blowup, lang: str, width: int | None, rows: int | None) -> list[str]:
    """Why the run blew up, wrapped to `width` cells with each line indented one: the whole
    explanation if it fits in `rows` lines, else its short form (at 80 columns the long one was
    cut before its advice, "Lower it and start again"). Never a sentence cut."""
    if width is None:
        return [" " + blowup.message(lang)]
    lines = []
    for short in (False, True):
        lines = wrap(" " + blowup.message(lang, short=short), max(2, width), indent=" ")
        if rows is None or len(lines) <= rows:
            break
    return lines


def _rows_used(text: Text, width: int | None) -> int:
    return sum(max(1, -(-cell_len(line) // width)) for line in text.plain.split("\n")) if width else 0


def rule_lines(frame: Frame, lang: str, width: int | None, rows: int | None) -> list[str]:
    """The perceptron rule's verdict (its bound, or its cycle) wrapped to `width`, each line indented
    one: the whole sentence if it fits in `rows` lines, else its short form. Never a sentence cut."""
    dataset = frame.lesson.config.data.name.upper()
    lines: list[str] = []
    for short in (False, True):
        words = verdict(frame.rule, dataset, lang, short=short)
        if not words:
            return []
        lines = [" " + words] if width is None else wrap(" " + words, max(2, width), indent=" ")
        if rows is None or len(lines) <= rows:
            break
    return lines


def render_status(frame: Frame, lang: str, width: int | None = None, rows: int | None = None) -> Text:
    """The status for a line `width` cells wide (None: any width, the hints whole) and at most
    `rows` lines high (None: as many as it needs)."""
    if frame.neuron is not None:
        return render_neuron_status(frame, lang)

    def hint(key: str, **values) -> str:
        used = cell_len(text.plain.rsplit("\n", 1)[-1]) + 2
        return fitting(say(key, lang, **values), None if width is None else width - used)

    text = Text(no_wrap=False)
    text.append(f" {frame.lesson.title_in(lang)} ", Style(bold=True))
    state = say(f"app.{frame.state}", lang)
    if frame.opening is not None:  # a saved run replaying: how far it has got
        path, epoch, last = frame.opening
        state = say("files.opening", lang, path=os.path.basename(path), epoch=max(epoch, 0), last=last)
    text.append(f" {state} ", STATE_STYLES[frame.state])
    text.append(head_line(frame, lang, state, width))
    text.append("\n ")
    if frame.epoch is None:
        text.append(hint("files.opening_hint" if frame.opening else "app.hint_start"), "dim")
        return text
    if frame.rule is not None:  # the perceptron rule: mistakes, not a loss
        rule = frame.rule
        line = say(
            "app.rule.log",
            lang,
            dataset=frame.lesson.config.data.name.upper(),
            epoch=frame.epoch,
            goal=frame.goal,
            mistakes=rule.mistakes,
            so_far=rule.so_far,
            accuracy=frame.accuracy,
        )
        text.append(line, Style(bold=True))
    else:
        text.append(log_line(frame.epoch, frame.goal, frame.loss, frame.accuracy), Style(bold=True))
    if frame.epoch < frame.last_epoch:
        text.append("  " + say("app.viewing_past", lang, last=frame.last_epoch), Style(color="magenta"))
    elif frame.state == "finished":
        text.append("  " + hint("app.hint_finished", n=frame.extend_by), "dim")
    elif frame.state == "ready":
        text.append("  " + hint("app.rule.hint_start" if frame.lesson.rule else "app.hint_start"), "dim")
    if frame.rule is not None:
        words = rule_lines(frame, lang, width, None if rows is None else rows - _rows_used(text, width))
        if words:
            style = (
                Style(color="green") if frame.rule.converged else Style(color="yellow") if frame.rule.cycling else ""
            )
            text.append("\n" + "\n".join(words), style)
    if frame.blowup is not None:
        used = sum(max(1, -(-cell_len(line) // width)) for line in text.plain.split("\n")) if width else 0
        lines = blowup_lines(frame.blowup, lang, width, None if rows is None else rows - used)
        text.append("\n" + "\n".join(lines), Style(color="red", bold=True))
    return text


def render_neuron_status(frame: Frame, lang: str) -> Text:
    """The lesson set by hand: its neuron, whether it reaches the target, and its keys."""
    neuron, target = frame.neuron, frame.target
    text = Text(no_wrap=False)
    text.append(f" {frame.lesson.title_in(lang)} ", Style(bold=True))
    text.append(f"   {say('neuron.target', lang, target=LABELS[target])}  ")
    wrong = sum(not row.right for row in neuron.table(target))
    if wrong == 0:
        text.append(say("neuron.reached_short", lang), Style(color="green", bold=True))
    else:
        text.append(count("neuron.wrong", wrong, lang), Style(color="red" if not reachable(target) else "yellow"))
    text.append("\n ")
    text.append(say("app.hint_neuron", lang), "dim")
    return text


class StatusLine(DrawsFrames, TextPanel):
    """Two lines at the bottom (three after a blow-up): where the run is and what it says."""

    _shown: tuple[Frame, str] | None = None

    def show(self, frame: Frame, lang: str) -> None:
        self._shown = (frame, lang)
        self.drawn = (frame.stamp, lang)
        width = self.size.width or None
        self.set_text(render_status(frame, lang, width, self.most_rows()), built_for=width)

    def most_rows(self) -> int | None:
        """The lines the app's CSS lets the status line have (its max-height), if it caps them."""
        cap = self.styles.max_height
        return int(cap.value) if cap is not None and cap.unit == Unit.CELLS else None

    def content_for(self, width: int) -> Text:
        # Its hints fit the width it has (a narrower terminal keeps fewer of them).
        return self._content if self._shown is None else render_status(*self._shown, width, self.most_rows())
