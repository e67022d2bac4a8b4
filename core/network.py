"""The networks: an `nn.Sequential` of `nn.Linear` layers and activations, as the notebook builds them.

The parameters live in one flat float32 buffer that the layers' weights and biases are views of,
so the training kernel can update, checkpoint and restore them all in one operation, while
`print(model)` and `model(X)` still work as in the notebook. The buffer holds every layer's
weight matrix first, then every layer's bias: the biases side by side let the kernel compute all
their gradients with one reduction.
"""

from __future__ import annotations

import itertools
import math

import torch
from torch import nn

_ACTIVATION_MODULES = {"sigmoid": nn.Sigmoid, "tanh": nn.Tanh, "relu": nn.ReLU}


def parameter_count(sizes: tuple[int, ...]) -> int:
    """How many weights and biases a network with these layer sizes has."""
    return sum(n_in * n_out + n_out for n_in, n_out in itertools.pairwise(sizes))


def build_model(sizes: tuple[int, ...], activation: str = "sigmoid", flat: torch.Tensor | None = None) -> nn.Sequential:
    """An MLP: `nn.Linear` layers of these sizes, `activation` between them, a sigmoid at the end.

    If `flat` is given (float32, `parameter_count(sizes)` long), every weight and bias is a view
    into it: all weight matrices in layer order, then all biases; otherwise a new zeroed buffer is
    made. Call `init_parameters` to give the weights their starting values.
    """
    if flat is None:
        flat = torch.zeros(parameter_count(sizes))
    layers: list[nn.Module] = []
    w_offset, b_offset = 0, sum(n_in * n_out for n_in, n_out in itertools.pairwise(sizes))
    for i, (n_in, n_out) in enumerate(itertools.pairwise(sizes)):
        # Built on the meta device, so no memory or random numbers are spent on values we replace.
        linear = nn.Linear(n_in, n_out, device="meta")
        linear.weight = nn.Parameter(flat[w_offset : w_offset + n_in * n_out].view(n_out, n_in))
        linear.bias = nn.Parameter(flat[b_offset : b_offset + n_out])
        w_offset += n_in * n_out
        b_offset += n_out
        layers.append(linear)
        last = i == len(sizes) - 2
        layers.append(nn.Sigmoid() if last else _ACTIVATION_MODULES[activation]())
    return nn.Sequential(*layers)


def linear_layers(model: nn.Sequential) -> list[nn.Linear]:
    return [m for m in model if isinstance(m, nn.Linear)]


def init_parameters(model: nn.Sequential, seed: int) -> None:
    """Give every layer nn.Linear's default starting values, drawn from a generator seeded with `seed`.

    The draws are the ones `torch.manual_seed(seed)` followed by building the same
    `nn.Sequential` would make, so seed s here starts exactly where the notebook would with s.
    """
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for linear in linear_layers(model):
            nn.init.kaiming_uniform_(linear.weight, a=math.sqrt(5), generator=generator)
            bound = 1 / math.sqrt(linear.in_features)
            nn.init.uniform_(linear.bias, -bound, bound, generator=generator)
