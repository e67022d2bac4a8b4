"""The neuron lesson in the app: McCulloch and Pitts' threshold neuron, its weights and threshold set
by hand (tui/neuron/controls.py), the target it aims at, and the lesson's notes.

Its run (tui/neuron/run.py) has no trainer, so the training keys are hidden for it and the
trainer's panels give way to the neuron's own (the screen's class `by-hand`, app.tcss).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.words import say
from tui.messages import NeuronChanged
from tui.neuron.controls import NeuronControls
from tui.neuron.run import NeuronRun

if TYPE_CHECKING:
    from tui.app import PerceptronLab


class NeuronLesson:
    """The neuron lesson's part of the app: its view, and the neuron kept by its run."""

    def __init__(self, app: PerceptronLab):
        self.app = app

    @property
    def by_hand(self) -> bool:
        """The lesson on show has no run: its weights are set by hand."""
        return not self.app.live.lesson.trains

    def show_lesson_view(self) -> None:
        """The trainer's panels, or the neuron's (when a run is put on screen)."""
        app = self.app
        by_hand = self.by_hand
        app.screen_stack[0].set_class(by_hand, "by-hand")
        controls = app.query_one(NeuronControls)
        if by_hand:
            self.draw()
            controls.focus()
        elif controls.has_focus:
            app.screen_stack[0].set_focus(None)  # hidden, it must not take +, -, ←, → any more

    def draw(self) -> None:
        """The neuron lesson's panels, from its run."""
        app = self.app
        live = app.live
        app.query_one("#hand").border_title = say("neuron.title", app.lang)
        app.query_one(NeuronControls).show(live.neuron, live.target, app.lang, live.serial, live.stamp())
        app.maps.draw(live.frame("ready"), at_once=True)  # its line on the map, if shown (m)

    def changed(self, message: NeuronChanged) -> None:
        app = self.app
        live = app.live
        if not isinstance(live, NeuronRun) or message.run != live.serial:
            return  # from a neuron lesson opened before this one
        app.owner.set_neuron(message.neuron, message.target)
        self.draw()  # the controls and the map; the controls drew it already: nothing is resent
        app.drawing.status()
