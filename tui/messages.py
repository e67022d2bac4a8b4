"""Messages to the app from its workers (small, plain, never holding tensors) and from its screens
and widgets."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


class LabMessage(Message):
    """A message of this app's own (from a worker, a screen or a widget): the app drops it once it
    is shutting down, when the panels it would draw in may be gone."""


@dataclass
class EngineReady(LabMessage):
    """torch has loaded and the live run's trainer has computed epoch 0."""

    serial: int  # which LiveRun: a lesson opened twice is two runs


@dataclass
class EngineFailed(LabMessage):
    """Loading the engine raised; `error` is one line for the status."""

    error: str
    serial: int = 0  # which LiveRun failed to load (0: not said)


@dataclass
class Replaying(LabMessage):
    """A saved run's replay has gone further (LiveRun.progress says how far)."""

    serial: int

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, Replaying) and message.serial == self.serial


@dataclass
class FileWritten(LabMessage):
    """A save or an export worker has written its file (`words`: what to tell the learner)."""

    words: str


@dataclass
class FileNotWritten(LabMessage):
    """A save or an export worker could not write its file; `words`: why, one line."""

    words: str


@dataclass
class TrainingStopped(LabMessage):
    """The training worker has returned: "finished", "stopped" or "blowup"."""

    reason: str
    run: int  # which run (lesson, reset, seed) it belonged to; stale ones are ignored


@dataclass
class NeuronChanged(LabMessage):
    """The learner changed the neuron lesson's weights, threshold or target (plain integers and a name)."""

    neuron: object  # core.neuron.ThresholdNeuron: frozen, so it is a snapshot
    target: str
    run: int = 0  # which NeuronRun (its serial) the controls were showing (0: none, a widget on its own)


@dataclass
class MapPainted(LabMessage):
    """A worker has painted the decision-boundary map's lines for `request` (rich Strips: text and colours)."""

    request: object  # tui.maps.boundary_map.MapRequest
    strips: list

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, MapPainted)  # only the newest map is worth drawing


@dataclass
class SurfacePainted(LabMessage):
    """A worker has computed and painted the loss surface for `request` (plain numbers and rich Strips)."""

    request: object  # tui.surface.picture.SurfaceRequest
    surface: object  # core.surface.surface.Surface: frozen, numpy arrays of plain floats
    strips: list

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, SurfacePainted)  # only the newest surface is worth drawing


@dataclass
class ExplanationReady(LabMessage):
    """The explain worker has computed one epoch's numbers (core.explain.explain.Explanation: plain floats)."""

    serial: int  # which LiveRun it was asked about
    request: int  # which request: an answer to an earlier one is dropped
    explanation: object
    stopped: bool  # the run blew up at this epoch: its update was never applied


@dataclass
class ExplanationFailed(LabMessage):
    """The explain worker raised; `error` is one line."""

    request: int
    error: str


@dataclass
class ExplainEpoch(LabMessage):
    """The explainer asks for another epoch of the same run."""

    epoch: int


@dataclass
class LanguageChosen(LabMessage):
    """A screen on top changed the language (L): the app follows."""

    lang: str


@dataclass
class SweepProgressed(LabMessage):
    """A seed sweep's progress (core.sweep.sweep.SweepProgress: frozen, plain numbers). Sent up to ten
    times a second; a backlog collapses to the newest."""

    progress: object

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, SweepProgressed)


@dataclass
class SweepFinished(LabMessage):
    """The sweep's worker has returned: its result (core.sweep.sweep.SweepResult, plain numbers; stopped
    early if cancelled), or None and one line saying what went wrong."""

    result: object | None
    error: str | None = None


class PanelShown(LabMessage):
    """A panel of the main view has come into view: the app draws the frame on view in it if it
    shows another. A backlog (several panels shown at once) collapses to one."""

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, PanelShown)
