"""The neuron lesson in the app: McCulloch and Pitts' threshold neuron, its weights and threshold set
by hand (tui/neuron/controls.py), the target it aims at, and the lesson's notes.

Its session (tui/neuron/run.py) has no trainer, so the training keys are hidden for it and
the trainer's panels give way to the neuron's own (the screen's class `by-hand`, app.tcss).
"""

from __future__ import annotations

from core.words import say
from tui.messages import NeuronChanged
from tui.neuron.controls import NeuronControls
from tui.neuron.run import NeuronRun


class NeuronActions:
    """The neuron lesson's part of PerceptronLab: its view, and the neuron kept by its run."""

    @property
    def by_hand(self) -> bool:
        """The lesson on show has no run: its weights are set by hand."""
        return not self.live.lesson.trains

    def _show_lesson_view(self) -> None:
        """The trainer's panels, or the neuron's (a hook in on_mount and _open_lesson)."""
        by_hand = self.by_hand
        self.screen_stack[0].set_class(by_hand, "by-hand")
        controls = self.query_one(NeuronControls)
        if by_hand:
            self._draw_by_hand()
            controls.focus()
        elif controls.has_focus:
            self.screen_stack[0].set_focus(None)  # hidden, it must not take +, -, ←, → any more

    def _draw_by_hand(self) -> None:
        """The neuron lesson's panels, from its session (a hook in _draw)."""
        session = self.live
        self.query_one("#hand").border_title = say("neuron.title", self.lang)
        self.query_one(NeuronControls).show(session.neuron, session.target, self.lang, session.serial, session.stamp())
        self._draw_boundary(session.frame("ready"), at_once=True)  # its line on the map, if shown (m)

    def on_neuron_changed(self, message: NeuronChanged) -> None:
        session = self.live
        if not isinstance(session, NeuronRun) or message.run != session.serial:
            return  # from a neuron lesson opened before this one
        session.set(message.neuron, message.target)
        self._draw_by_hand()  # the controls and the map; the controls drew it already: nothing is resent
        self._draw_status()
