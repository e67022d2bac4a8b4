"""The main view's layout: the panels of a run (or the neuron lesson's), the lesson notes, the
message line, the status line and the footer; and the notice shown instead below 80×24."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Static

from core.words import say
from tui.course.panel import CoursePanel
from tui.maps.boundary_map import BoundaryMap
from tui.neuron.controls import NeuronControls
from tui.widgets.footer import SteadyFooter
from tui.widgets.lesson_notes import LessonNotes
from tui.widgets.loss_plot import LossPlot
from tui.widgets.message_line import MessageLine
from tui.widgets.network_diagram import NetworkDiagram
from tui.widgets.status_line import StatusLine
from tui.widgets.truth_table import TruthTable
from tui.widgets.weights_inspector import WeightsInspector

MIN_WIDTH, MIN_HEIGHT = 80, 24


class SizeNotice(Static):
    """Shown instead of the panels when the terminal is smaller than MIN_WIDTH × MIN_HEIGHT."""

    def render(self) -> str:
        width, height = self.app.size
        return say("app.too_small", self.app.lang, w=MIN_WIDTH, h=MIN_HEIGHT, cw=width, ch=height)


def main_view() -> ComposeResult:
    """The main view's widgets, in their containers (app.tcss lays them out)."""
    with Horizontal(id="main"):
        # The neuron lesson's own panel (tui/neuron/actions.py), shown instead of the four below.
        with VerticalScroll(id="hand", classes="panel"):
            yield NeuronControls(heading=False, id="neuron", classes="frames")
        with Vertical(id="left"):
            yield TruthTable(id="truth", classes="panel frames")
            with VerticalScroll(id="network", classes="panel"):
                yield NetworkDiagram(id="diagram", classes="frames")
        with Vertical(id="right"):
            # The map beside the plot at 120 columns; at 80 a view of its own (m; app.tcss).
            with Horizontal(id="top"):
                yield LossPlot(id="plot", classes="panel frames")
                yield BoundaryMap(id="map", classes="panel frames")
            yield WeightsInspector(id="weights", classes="panel frames")
        # Notes take a column of their own (app.tcss), never drawn over a panel: an overlay
        # crossing a panel's edge cut Korean characters in two.
        yield LessonNotes(id="notes", classes="panel")
    # The course's step (c): a strip under the panels, so the panel it points at stays in view.
    yield CoursePanel(id="course", classes="panel")
    yield SizeNotice(id="too-small")
    yield MessageLine(id="message")
    yield StatusLine(id="status", classes="frames")
    yield SteadyFooter(compact=True)


def title_panels(app) -> None:
    """The main view's panel titles, in the app's language."""
    lang = app.lang
    # Titles never change with the epoch: a new title repaints its whole panel (the weights
    # panel says its epoch on its first line instead).
    for panel, key in (
        ("#truth", "truth_table"),
        ("#network", "network"),
        ("#plot", "loss_plot"),
        ("#weights", "weights_none"),
        ("#notes", "notes"),
    ):
        app.query_one(panel).border_title = say(f"app.{key}", lang)
    plot = app.query_one("#plot")
    plot.border_subtitle = say("app.plateau", lang)
    if app.live.lesson.rule:  # the rule's plot counts mistakes: no loss, no ln 2
        plot.border_title, plot.border_subtitle = say("app.rule.plot", lang), say("app.rule.plot_note", lang)
