"""The hand-written epoch against autograd and torch.optim: the same numbers, epoch after epoch."""

import pytest
import torch
from torch import nn

from core.config import ACTIVATIONS, LOSSES, OPTIMIZERS, TrainConfig
from core.kernel import Kernel
from core.network import build_model, linear_layers
from core.reference import reference_run
from core.trainer import Trainer

MLP = (64, 32, 16)


@pytest.mark.parametrize("loss", LOSSES)
@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_gradients_equal_autograd_over_a_whole_5000_epoch_run(activation, loss):
    config = TrainConfig(dataset="xor", hidden=MLP, activation=activation, loss=loss)
    kernel = Kernel(config)
    reference = build_model(config.sizes, activation)
    X, y = torch.tensor(config.data.X), torch.tensor(config.data.y)
    loss_fn = nn.BCELoss() if loss == "bce" else nn.MSELoss()
    worst_grad = worst_loss = 0.0
    for _epoch in range(5001):
        with torch.no_grad():
            for mine, theirs in zip(kernel.model.parameters(), reference.parameters()):
                theirs.copy_(mine)
        reference.zero_grad()
        autograd_loss = loss_fn(reference(X), y)
        autograd_loss.backward()
        my_loss, _, _ = kernel.forward_backward()
        for linear, (_, _, dW, db) in zip(linear_layers(reference), kernel.layer_tensors()):
            worst_grad = max(
                worst_grad, (linear.weight.grad - dW).abs().max().item(), (linear.bias.grad - db).abs().max().item()
            )
        worst_loss = max(worst_loss, abs(autograd_loss.item() - my_loss))
        kernel.update(1.0)
    assert worst_grad < 1e-6
    assert worst_loss < 1e-6
    assert worst_grad == worst_loss == 0.0  # in fact the same ATen calls give the same bits


@pytest.mark.parametrize("optimizer,lr", [("sgd", 1.0), ("momentum", 0.1), ("adam", 0.01)])
def test_training_reproduces_the_notebook_loop_bit_for_bit(optimizer, lr):
    config = TrainConfig(dataset="xor", hidden=MLP, optimizer=optimizer, lr=lr, seed=3)
    losses, model = reference_run(config, 1500)
    trainer = Trainer(config)
    trainer.run(to_epoch=1500)
    assert trainer.history.losses() == losses
    for mine, theirs in zip(trainer.model.parameters(), model.parameters()):
        assert torch.equal(mine, theirs)


@pytest.mark.parametrize("optimizer", OPTIMIZERS)
def test_save_and_load_restore_everything_the_next_epochs_depend_on(optimizer):
    config = TrainConfig(dataset="xor", hidden=(8,), optimizer=optimizer, lr=0.1)
    a, b = Kernel(config), Kernel(config)
    for _ in range(7):
        a.forward_backward()
        a.update(0.1)
    b.load(a.save())
    for _ in range(5):
        assert a.forward_backward() == b.forward_backward()
        a.update(0.1)
        b.update(0.1)
    assert torch.equal(a.params, b.params) and torch.equal(a.state, b.state)


def test_a_run_stops_as_blown_up_when_a_weight_or_gradient_is_infinite_not_when_the_gradients_are_only_large():
    """The loss can still read finite at the epoch a gradient or weight turns infinite or NaN: that epoch
    ends the run. Gradients that are all finite but whose sum overflows are a run still learning."""
    import math

    from core.trainer import diagnose

    kernel = Kernel(TrainConfig(dataset="xor", hidden=(2,)))
    kernel.forward_backward()
    assert kernel.all_finite()

    def verdict():
        return diagnose(kernel, 7, 0.5, [0.5] * 4, kernel.grads.sum().item(), [0, 1, 1, 0], 1.0)

    kernel.grads.fill_(3e38)  # each a float32, the sum is not
    assert kernel.all_finite() and verdict() is None
    kernel.grads[0] = math.inf
    assert not kernel.all_finite() and verdict().kind == "non-finite"
    kernel.grads.fill_(0.0)
    kernel.params[0] = math.nan
    assert not kernel.all_finite()
