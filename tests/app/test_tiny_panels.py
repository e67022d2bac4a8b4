"""Every panel of the main view at every tiny size: mid-resize, Textual lays a panel out a cell or
two wide (the long key fuzz once met the map at 1×9, and Rich's wrap raised). A panel then draws
what fits, or nothing, and never raises."""

from __future__ import annotations

import pytest
from frames import frame_for
from textual.app import App

from tui.maps.boundary_map import BoundaryMap
from tui.widgets.loss_plot import LossPlot
from tui.widgets.network_diagram import NetworkDiagram
from tui.widgets.status_line import StatusLine
from tui.widgets.truth_table import TruthTable
from tui.widgets.weights_inspector import WeightsInspector

SIDES = (0, 1, 2, 3, 5, 9)
PANELS = (TruthTable, NetworkDiagram, StatusLine, WeightsInspector, BoundaryMap, LossPlot)


class Panels(App):
    CSS = "Screen { layout: horizontal; } Screen > * { width: 3; height: 3; }"

    def __init__(self, lang: str):
        super().__init__()
        self.lang = lang  # as PerceptronLab: the map reads its title's language when mounted

    def compose(self):
        for panel in PANELS:
            yield panel()

    def show(self, frame, lang: str) -> None:
        for panel in self.query("Screen > *"):
            if isinstance(panel, LossPlot):
                panel.show(frame, lang, accuracy=True)
            else:
                panel.show(frame, lang)


@pytest.mark.parametrize("lesson_id", ["xor-2-2-1", "xor-mlp"])
@pytest.mark.parametrize("lang", ["en", "ko"])
async def test_every_panel_at_every_tiny_size(lesson_id, lang):
    frame = frame_for(lesson_id, 100)
    app = Panels(lang)
    async with app.run_test(size=(80, 24)) as pilot:
        for width in SIDES:
            for height in SIDES:
                for panel in app.query("Screen > *"):
                    panel.styles.width, panel.styles.height = width, height
                await pilot.pause()
                app.show(frame, lang)
                await pilot.pause()
                assert all(panel.size == (width, height) for panel in app.query("Screen > *") if width * 6 <= 80)
