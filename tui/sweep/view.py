"""The seed sweep: the run's configuration trained from many seeds at once (core.sweep), shown as it
goes (a progress bar, a histogram of the first epochs at 100 %) and, once done, a table of seeds.

The sweep runs in a thread worker of this screen, which posts its progress as small messages that
collapse (SweepProgressed); the screen draws the newest at most four times a second, the histogram
at most once and only when it changed (over the whole run's epochs; zoomed on the spread when
done). Esc stops the sweep and closes; enter on a seed closes with that seed, which the app opens
as its run (tui.sweep.actions). Dismisses with a SweepChoice.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable
from textual.worker import Worker, get_current_worker

from core.config import TrainConfig
from core.lessons import shown_name
from core.words import say
from tui.messages import SweepFinished, SweepProgressed
from tui.screens.modal import LabModal
from tui.sweep.histogram import SweepHistogram
from tui.sweep.progress_line import ProgressLine
from tui.sweep.seed_table import SeedTable
from tui.widgets.footer import SteadyFooter
from tui.widgets.line_panel import TextPanel

DRAW_EVERY = 0.25  # seconds between looks at the newest progress
HISTOGRAM_EVERY = 1.0  # the histogram is the heavy part: at most this often, and only when it changed


@dataclass(frozen=True)
class SweepChoice:
    """What the sweep view closed with: its finished result (None if it was cancelled while
    running) and the seed to open as the run (None: just close)."""

    result: object | None  # core.sweep.SweepResult
    seed: int | None = None


class _StopOrCancel:
    """The sweep's stop flag: set by Esc, or by Textual cancelling the worker as the app quits
    (App.exit cancels every worker first thing, before the screens are closed)."""

    def __init__(self, stop: threading.Event, worker: Worker):
        self.stop, self.worker = stop, worker

    def is_set(self) -> bool:
        return self.stop.is_set() or self.worker.is_cancelled


class SweepView(LabModal):
    DEFAULT_CSS = """
    SweepView { align: center middle; }
    SweepView #sweep {
        width: 100%; height: 1fr; border: round $primary; background: $surface;
        border-title-style: bold; border-title-color: $text;
    }
    SweepView #sweep-about { padding: 0 1; color: $text-muted; }
    SweepView #sweep-progress { padding: 0 1; }
    SweepView #sweep-body { height: 1fr; }
    SweepView #sweep-left { width: 1fr; }
    SweepView #sweep-histogram {
        height: 1fr; min-height: 6; border-top: solid $primary 40%; border-title-align: left;
    }
    SweepView #sweep-summary { padding: 0 1; max-height: 7; }
    SweepView #sweep-table {
        width: auto; max-width: 50%; height: 1fr; border-left: solid $primary 40%; scrollbar-size-vertical: 1;
    }
    """
    BINDINGS = [Binding("escape", "close_view", "Close", id="close")]

    def __init__(
        self,
        lang: str,
        lesson_id: str,
        config: TrainConfig,
        seeds: range,
        epochs: int,
        current_seed: int | None = None,
        result=None,
    ):
        super().__init__(lang)
        self.lesson_id, self.config, self.seeds, self.epochs = lesson_id, config, seeds, epochs
        self.current_seed = current_seed
        self.result = result  # a finished sweep of the same settings: shown at once, not run again
        self.progress = None  # the newest SweepProgress
        self._stop = threading.Event()
        self._drawn_progress = None
        self._histogram_at = 0.0

    # --- layout --------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical(id="sweep"):
            yield TextPanel(id="sweep-about")
            yield ProgressLine(id="sweep-progress")
            with Horizontal(id="sweep-body"):
                with Vertical(id="sweep-left"):
                    yield SweepHistogram(id="sweep-histogram")
                    yield TextPanel(id="sweep-summary")
                yield SeedTable(self.lang, id="sweep-table")
        yield SteadyFooter(compact=True)

    def on_mount(self) -> None:
        lang = self.lang
        self.query_one("#sweep").border_title = f"{say('sweep_view.title', lang)} · {shown_name(self.lesson_id, lang)}"
        self.query_one("#sweep-histogram").border_title = say("sweep_view.histogram", lang)
        self.query_one("#sweep-about", TextPanel).set_text(Text(self._about(), no_wrap=False))
        table = self.query_one(DataTable)
        for key in ("seed", "first", "loss", "stuck"):
            table.add_column(say(f"sweep_view.column_{key}", lang), key=key)
        if self.result is not None:  # kept from before: the frame first, the table of seeds after it
            self.call_after_refresh(self._finish, self.result)
            return
        self.query_one(ProgressLine).show(None, say("sweep_view.starting", lang))
        self.query_one(SweepHistogram).show((), say("sweep_view.histogram_empty", lang))
        self.set_interval(DRAW_EVERY, self._tick)
        # After the first frame: the worker's share of the interpreter would slow drawing it.
        self.call_after_refresh(self._start)

    def _about(self) -> str:
        from core.sweep_report import describe_settings

        return describe_settings(self.config, self.seeds[0], self.seeds[-1], self.epochs, self.lang)

    @property
    def busy(self) -> bool:
        """Whether the sweep is still running (tests wait for it)."""
        return self.result is None and not self._stop.is_set()

    def on_unmount(self) -> None:
        self._stop.set()  # closed, or the app is quitting: the worker returns within an epoch

    # --- the worker ----------------------------------------------------------------------------

    def _start(self) -> None:
        if not self._stop.is_set() and self.is_attached:  # not closed before its first frame
            self._sweep(self._stop)

    @work(thread=True, exclusive=True, exit_on_error=False, group="sweep")
    def _sweep(self, stop: threading.Event) -> None:
        try:
            from core.sweep import run_sweep

            result = run_sweep(
                self.config,
                self.seeds,
                self.epochs,
                progress=lambda p: self.post_message(SweepProgressed(p)),
                stop=_StopOrCancel(stop, get_current_worker()),
            )
        except Exception as error:  # a bug, but one line and a usable app
            self.post_message(SweepFinished(None, f"{type(error).__name__}: {error}"))
            return
        self.post_message(SweepFinished(result))

    def on_sweep_progressed(self, message: SweepProgressed) -> None:
        message.stop()
        if self.result is None:
            self.progress = message.progress

    def on_sweep_finished(self, message: SweepFinished) -> None:
        message.stop()
        if message.error is not None:
            self.notify(say("sweep_view.failed", self.lang, error=message.error), severity="error")
            self.close(SweepChoice(None))
            return
        if not message.result.stopped:
            self._finish(message.result)

    # --- drawing -------------------------------------------------------------------------------

    def _tick(self) -> None:
        progress = self.progress
        if self.result is not None or progress is None or progress is self._drawn_progress:
            return
        self._drawn_progress = progress
        lang = self.lang
        words = say(
            "sweep_view.progress",
            lang,
            percent=100 * progress.fraction,
            epoch=progress.epoch,
            epochs=progress.epochs,
            learned=progress.learned,
            seeds=progress.seeds,
        )
        self.query_one(ProgressLine).show(progress.fraction, words)
        now = time.monotonic()
        if now - self._histogram_at >= HISTOGRAM_EVERY:
            self._histogram_at = now
            firsts = tuple(e for e in progress.first_full if e >= 0)
            empty = say("sweep_view.histogram_empty", lang)
            self.query_one(SweepHistogram).show(firsts, empty, span=(0, progress.epochs))

    def _finish(self, result) -> None:
        """The whole sweep: the last progress, histogram, summary and the table of seeds."""
        from core.sweep_report import summarize

        self.result = result
        lang = self.lang
        summary = summarize(result)
        done = say("sweep_view.done", lang, seeds=len(result.seeds), epochs=result.last_epoch)
        self.query_one(ProgressLine).show(1.0, done)
        firsts = tuple(s.first_full_accuracy for s in result.seeds if s.learned)
        self.query_one(SweepHistogram).show(firsts, say("sweep_view.none_learned", lang))
        self.query_one("#sweep-summary", TextPanel).set_text(self._summary_text(summary))
        table = self.query_one(DataTable)
        table.clear()
        never = say("sweep_view.never", lang)
        current = None
        for row, s in enumerate(result.seeds):
            first = str(s.first_full_accuracy) if s.learned else never
            table.add_row(
                Text(str(s.seed), justify="right"),
                Text(first, justify="right"),
                Text(f"{s.final_loss:.4f}", justify="right"),
                self._where(s, summary),
                key=str(s.seed),
            )
            if s.seed == self.current_seed:
                current = row
        if current is not None:
            table.move_cursor(row=current, animate=False)
        table.focus()
        self.refresh_bindings()

    def _where(self, s, summary) -> str:
        if s.blowup is not None:
            return say(f"sweep.kind_{s.blowup.kind}", self.lang)
        plateau = summary.plateau_of.get(s.seed)
        return plateau.label if plateau is not None else ""

    def _summary_text(self, summary) -> Text:
        lang = self.lang
        lines = [
            say(
                "sweep_view.learned",
                lang,
                learned=summary.learned,
                seeds=summary.seeds,
                percent=100 * summary.learned / summary.seeds,
            )
        ]
        spread = summary.first_full
        if spread is not None:
            median = int(spread.median) if spread.median == int(spread.median) else round(spread.median, 1)
            lines.append(say("sweep_view.spread", lang, min=spread.min, max=spread.max, median=median))
        stuck = sum(len(g.seeds) for g in summary.stuck)
        if stuck:
            lines.append(say("sweep_view.stuck", lang, count=stuck))
            for group in summary.stuck:
                if group.plateau is not None:
                    label = f"{group.plateau.label} = {group.plateau.value:.4f}"
                    lines.append("  " + say("sweep_view.stuck_at", lang, label=label, count=len(group.seeds)))
                else:
                    lines.append("  " + say("sweep_view.elsewhere", lang, count=len(group.seeds)))
        blown = sum(summary.blown_up.values())
        if blown:
            lines.append(say("sweep_view.blown", lang, count=blown))
        return Text("\n".join(lines))

    # --- keys ----------------------------------------------------------------------------------

    def action_close_view(self) -> None:
        self._stop.set()
        self.close(SweepChoice(self.result))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if self.result is not None:
            self.close(SweepChoice(self.result, int(event.row_key.value)))
