import torch
from conftest import NOTEBOOK_MLP
from torch import nn

from core.config import TrainConfig
from core.kernel import Kernel
from core.lessons import lesson
from core.network import build_model, init_parameters, parameter_count


def test_the_mlp_prints_as_the_notebooks():
    assert str(Kernel(lesson("xor-mlp").config).model) == NOTEBOOK_MLP


def test_the_perceptron_is_one_linear_layer_and_a_sigmoid():
    model = Kernel(lesson("and").config).model
    assert [type(m) for m in model] == [nn.Linear, nn.Sigmoid]
    assert (model[0].in_features, model[0].out_features) == (2, 1)


def test_seed_s_starts_where_torch_manual_seed_s_would():
    for seed in (0, 7):
        torch.manual_seed(seed)
        notebook = nn.Sequential(
            nn.Linear(2, 64),
            nn.Sigmoid(),
            nn.Linear(64, 32),
            nn.Sigmoid(),
            nn.Linear(32, 16),
            nn.Sigmoid(),
            nn.Linear(16, 1),
            nn.Sigmoid(),
        )
        ours = build_model((2, 64, 32, 16, 1))
        init_parameters(ours, seed)
        for a, b in zip(notebook.state_dict().values(), ours.state_dict().values()):
            assert torch.equal(a, b)


def test_parameters_are_views_of_one_flat_buffer():
    kernel = Kernel(TrainConfig(dataset="xor", hidden=(3,)))
    assert kernel.params.numel() == parameter_count((2, 3, 1)) == 13
    kernel.params.zero_()
    assert all(not p.any() for p in kernel.model.parameters())


def test_activations_and_the_sigmoid_output():
    model = Kernel(TrainConfig(dataset="xor", hidden=(4, 4), activation="relu")).model
    assert [type(m).__name__ for m in model] == ["Linear", "ReLU", "Linear", "ReLU", "Linear", "Sigmoid"]
    model = Kernel(TrainConfig(dataset="parity3", hidden=(4,), activation="tanh")).model
    assert [type(m).__name__ for m in model] == ["Linear", "Tanh", "Linear", "Sigmoid"]
    assert model[0].in_features == 3
