"""Messages from the engine's worker threads to the app: small, plain, and never holding tensors."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message


@dataclass
class EngineReady(Message):
    """torch has loaded and the session's trainer has computed epoch 0."""

    serial: int  # which Session: a lesson opened twice is two sessions


@dataclass
class EngineFailed(Message):
    """Loading the engine raised; `error` is one line for the status."""

    error: str


@dataclass
class TrainingStopped(Message):
    """The training worker has returned: "finished", "stopped" or "blowup"."""

    reason: str
    run: int  # which run (lesson, reset, seed) it belonged to; stale ones are ignored


@dataclass
class NeuronChanged(Message):
    """The learner changed the neuron lesson's weights, threshold or target (plain integers and a name)."""

    neuron: object  # core.neuron.ThresholdNeuron: frozen, so it is a snapshot
    target: str
