"""The notebook's training loop, with autograd and torch.optim: the yardstick for the fast kernel.

`tests/` compare the trainer against it, and `make bench` times the trainer against it.
"""

from __future__ import annotations

import torch
from torch import nn, optim

from core.config import MOMENTUM, TrainConfig
from core.network import build_model, init_parameters


def make_optimizer(config: TrainConfig, params, lr: float) -> optim.Optimizer:
    if config.optimizer == "adam":
        return optim.Adam(params, lr=lr)
    return optim.SGD(params, lr=lr, momentum=MOMENTUM if config.optimizer == "momentum" else 0.0)


def reference_run(config: TrainConfig, epochs: int) -> tuple[list[float], nn.Sequential]:
    """Train for epochs 0..`epochs` exactly as the notebook does; return each epoch's loss and the model.

    The model starts from the same weights as `Trainer(config)` (see `init_parameters`).
    """
    model = build_model(config.sizes, config.activation)
    init_parameters(model, config.seed)
    data = config.data
    X, y = torch.tensor(data.X), torch.tensor(data.y)
    optimizer = make_optimizer(config, model.parameters(), config.lr)
    loss_fn = nn.BCELoss() if config.loss == "bce" else nn.MSELoss()
    losses = []
    for _epoch in range(epochs + 1):
        y_pred = model(X)
        loss = loss_fn(y_pred, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses, model
