"""Text the engine's numbers are shown in: the notebook's log line, and parameter tables."""

from __future__ import annotations

from typing import TYPE_CHECKING

from core.words import say

if TYPE_CHECKING:  # core.history loads torch; the log line is wanted before torch is
    from core.history import WeightsAt


def log_line(epoch: int, epochs: int, loss: float, accuracy: float) -> str:
    """The notebook's progress line, character for character: `Epoch: 100/1000 Loss :  0.1425 Accuracy:100.00%`."""
    return f"Epoch: {epoch}/{epochs} Loss : {loss: .4f} Accuracy:{accuracy:.2f}%"


def _row(values: list[float]) -> str:
    return " ".join(f"{v: .4f}" for v in values)


def format_weights(weights: WeightsAt, epochs: int, lang: str = "en", log: str | None = None) -> str:
    """Every layer's weight matrix (one row per output neuron) and bias, named as in state_dict;
    `log`: the epoch's line if not the notebook's (the perceptron rule's mistakes)."""
    log = log or log_line(weights.epoch, epochs, weights.loss, weights.accuracy)
    lines = [say("cli.train.parameters_at", lang, epoch=weights.epoch, log=log)]
    for layer in weights.layers:
        n_out, n_in = len(layer.weight), len(layer.weight[0])
        lines.append(f"{layer.name}.weight  shape ({n_out}, {n_in})")
        lines.extend("  " + _row(row) for row in layer.weight)
        lines.append(f"{layer.name}.bias  shape ({n_out},)")
        lines.append("  " + _row(layer.bias))
    return "\n".join(lines)
