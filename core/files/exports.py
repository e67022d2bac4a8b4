"""What a run is exported as: a notebook-style script that trains it again, every epoch as CSV, and
one epoch's weights as a state dict for `torch.load(..., weights_only=True)`.

The script is plain PyTorch as the notebook writes it (nn.Sequential, nn.BCELoss, optim.SGD, the
truth table as tensors, torch.manual_seed), and prints the notebook's log line; run in the same
environment it prints what `perceptron-lab train` prints for the run, character for character
(tests/app/test_export.py runs it). Its comments are in the learner's language.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from core.config import MOMENTUM, TrainConfig
from core.numerics import SETTINGS
from core.words import say

if TYPE_CHECKING:
    from core.history import History, WeightsAt

_ACTIVATION_CLASSES = {"sigmoid": "nn.Sigmoid()", "tanh": "nn.Tanh()", "relu": "nn.ReLU()"}


def script(
    config: TrainConfig,
    epochs: int,
    lr_changes: Sequence[tuple[int, float]] = (),
    log_every: int = 100,
    stopped_at: tuple[int, str] | None = None,
    title: str = "",
    lang: str = "en",
) -> str:
    """A runnable Python file that trains `config` for epochs 0..`epochs` as the notebook does, with
    the learning rate changed at each (epoch, lr) of `lr_changes` from that epoch's update on.
    `stopped_at`: (epoch, why) where perceptron-lab stopped the run (a blow-up), to stop there too."""
    data = config.data

    def w(key: str, **values) -> str:
        return say(f"export.script.{key}", lang, **values)

    lines = [
        f"# {w('header', title=title)}",
        f"# {w('run_it')}",
        "import os",
        "",
        *(f"# {line}" for line in w("numerics").splitlines()),
        *(f'os.environ["{name}"] = "{value}"' for name, value in SETTINGS.items()),
        "",
        "import torch",
        "import torch.nn as nn",
        "import torch.optim as optim",
        "",
        f"torch.set_num_threads(1)  # {w('threads')}",
        "",
        f"# {w('data', name=data.name, column=data.column)}",
        f"X = torch.FloatTensor({[list(x) for x, _ in data.rows]})",
        f"y = torch.FloatTensor({[[t] for _, t in data.rows]})",
        "",
        f"# {w('seed', seed=config.seed)}",
        f"torch.manual_seed({config.seed})",
        "model = nn.Sequential(",
    ]
    sizes = config.sizes
    for i in range(len(sizes) - 1):
        activation = "nn.Sigmoid()" if i == len(sizes) - 2 else _ACTIVATION_CLASSES[config.activation]
        last = i == len(sizes) - 2
        lines += [f"    nn.Linear({sizes[i]}, {sizes[i + 1]}),", f"    {activation}" + ("" if last else ",")]
    lines += [")", ""]
    if config.hidden:  # as `perceptron-lab train` (and the notebook) print a network with hidden layers
        lines += ["print(model)", "print()", ""]
    if config.optimizer == "adam":
        lines.append(f"optimizer = optim.Adam(model.parameters(), lr={config.lr!r})")
    elif config.optimizer == "momentum":
        lines.append(f"optimizer = optim.SGD(model.parameters(), lr={config.lr!r}, momentum={MOMENTUM!r})")
    else:
        lines.append(f"optimizer = optim.SGD(model.parameters(), lr={config.lr!r})")
    lines.append("loss_fn = nn.BCELoss()" if config.loss == "bce" else "loss_fn = nn.MSELoss()")
    if lr_changes:
        changes = ", ".join(f"{epoch}: {lr!r}" for epoch, lr in lr_changes)
        lines.append(f"lr_changes = {{{changes}}}  # {w('lr_changes')}")
    lines += ["", f"epochs = {epochs}", "", "for epoch in range(epochs + 1):"]
    if lr_changes:
        lines += [
            "    if epoch in lr_changes:",
            "        for group in optimizer.param_groups:",
            '            group["lr"] = lr_changes[epoch]',
            "",
        ]
    log_when = f"epoch % {log_every} == 0 or epoch == epochs"
    if stopped_at is not None:
        log_when += f" or epoch == {stopped_at[0]}"
    lines += [
        "    y_pred = model(X)",
        "    loss = loss_fn(y_pred, y)",
        "",
        "    optimizer.zero_grad()",
        "    loss.backward()",
        "    optimizer.step()",
        "",
        f"    if {log_when}:",
        "        y_bool = (y_pred >= 0.5).float()",
        "        accuracy = (y == y_bool).float().sum() / len(y) * 100",
        "",
        "        print(f'Epoch: {epoch}/{epochs} Loss : {loss : .4f} Accuracy:{accuracy:.2f}%')",
    ]
    if stopped_at is not None:
        epoch, why = stopped_at
        lines += ["", f"    if epoch == {epoch}:", f"        # {w('stopped')}", f"        # {why}", "        break"]
    return "\n".join(lines) + "\n"


def csv_header(config: TrainConfig, measure: str = "loss") -> str:
    """`epoch,loss,accuracy,p_00,p_01,...`: a column for each row's prediction, named by its inputs
    (`measure` "mistakes": the perceptron rule's, whose second column is each epoch's mistakes)."""
    names = ["p_" + "".join(str(b) for b in x) for x, _ in config.data.rows]
    return ",".join(["epoch", measure, "accuracy", *names])


class Records:
    """Every epoch's loss and predictions, copied out of a History at one moment (History.records):
    the app writes a CSV from it in a worker while the run goes on, or is reset or branched."""

    def __init__(self, history: History):
        self.config = history.config
        self.targets = list(history.targets)
        self.measure = history.measure
        self._n_rows = len(self.targets)
        self._loss, self._preds = history.records()

    def __len__(self) -> int:
        return len(self._loss)

    def loss(self, epoch: int) -> float:
        return self._loss[epoch]

    def predictions(self, epoch: int) -> list[float]:
        i = epoch * self._n_rows
        return self._preds[i : i + self._n_rows].tolist()

    def accuracy(self, epoch: int) -> float:
        # As History.accuracy computes it (the notebook's way), so both write the same CSV.
        correct = sum((p >= 0.5) == bool(t) for p, t in zip(self.predictions(epoch), self.targets))
        return 100.0 * correct / self._n_rows


def csv_row(history: History | Records, epoch: int) -> str:
    """One epoch's loss and predictions as repr (they read back exactly), accuracy as a percentage."""
    predictions = ",".join(repr(p) for p in history.predictions(epoch))
    return f"{epoch},{history.loss(epoch)!r},{history.accuracy(epoch):g},{predictions}"


def csv_lines(history: History | Records) -> Iterator[str]:
    """The header, then every epoch of the run, one row each (no line ends)."""
    yield csv_header(history.config, history.measure)
    for epoch in range(len(history)):
        yield csv_row(history, epoch)


def csv_text(history: History | Records) -> str:
    """Every epoch of the run, one row each."""
    return "\n".join(csv_lines(history)) + "\n"


def state_dict_bytes(history: History, epoch: int) -> bytes:
    """The weights at `epoch` as `torch.save` writes an nn.Sequential's state_dict ("0.weight", "0.bias",
    "2.weight", ...): `model.load_state_dict(torch.load(path, weights_only=True))` takes it."""
    return state_dict_of(history.weights_at(epoch))


def state_dict_of(weights: WeightsAt) -> bytes:
    """One epoch's weights (plain floats, from History.weights_at) as state_dict_bytes writes them."""
    import torch

    state = {}
    for layer in weights.layers:
        state[f"{layer.name}.weight"] = torch.tensor(layer.weight, dtype=torch.float32)
        state[f"{layer.name}.bias"] = torch.tensor(layer.bias, dtype=torch.float32)
    buffer = io.BytesIO()
    torch.save(state, buffer)
    return buffer.getvalue()
