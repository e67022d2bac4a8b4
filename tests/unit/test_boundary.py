"""The decision-boundary map's numbers: the network's own forward pass, on a grid that holds the
truth table's corners; the lines, contours and labels read from it."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
import torch

from core.config import TrainConfig
from core.history import LayerWeights, WeightsAt
from core.maps.boundary import (
    OUTPUT_SCALE,
    Line,
    Params,
    axis,
    boundary_map,
    contour,
    directions,
    grid_inputs,
    line_mask,
    neuron_columns,
    neuron_lines,
    row_marks,
    scale_for,
    single_neuron_line,
    square_size,
)
from core.maps.boundary_text import render_text
from core.network import build_model, linear_layers
from core.trainer import Trainer

# torch's float32 rounding: the map computes in float64, torch's forward pass in float32, a few
# ulps of p apart; measured at most 5.8e-7 (p near 0.5, ulp 6e-8) over the configurations below.
# 4e-6 is 32 ulps of 1.0: any real difference (a missing bias, the wrong activation, a transposed
# weight) is orders of magnitude larger.
TOLERANCE = 4e-6

CONFIGS = [
    (TrainConfig(dataset="xor", hidden=(64, 32, 16)), 5000),
    (TrainConfig(dataset="xor", hidden=(2,)), 3000),
    (TrainConfig(dataset="and"), 300),
    (TrainConfig(dataset="xor", hidden=(8, 4), activation="tanh", seed=3), 1500),
    (TrainConfig(dataset="parity3", hidden=(16, 8), activation="relu", lr=0.1), 1500),
    (TrainConfig(dataset="majority3", hidden=(3,)), 800),
]


def _trained(config: TrainConfig, epochs: int) -> WeightsAt:
    trainer = Trainer(config)
    trainer.run(to_epoch=epochs)
    return trainer.history.weights_at(epochs)


def _torch_model(config: TrainConfig, weights: WeightsAt) -> torch.nn.Sequential:
    model = build_model(config.sizes, config.activation)
    with torch.no_grad():
        for linear, layer in zip(linear_layers(model), weights.layers):
            linear.weight.copy_(torch.tensor(layer.weight))
            linear.bias.copy_(torch.tensor(layer.bias))
    return model


@pytest.mark.parametrize(
    "config,epochs", CONFIGS, ids=lambda c: getattr(c, "dataset", None) and f"{c.dataset}-{c.sizes}-{c.activation}"
)
@pytest.mark.parametrize("x3", [0.0, 1.0])
def test_the_map_is_the_networks_own_forward_pass(config, epochs, x3):
    weights = _trained(config, epochs)
    bmap = boundary_map(weights, config.activation, nx=33, ny=29, x3=x3)
    X = torch.from_numpy(grid_inputs(bmap.x1, bmap.x2, config.sizes[0], x3)).float()  # float32 values exactly
    model = _torch_model(config, weights)
    with torch.no_grad():
        p = model(X).numpy().reshape(29, 33)
        assert np.abs(p - bmap.p).max() <= TOLERANCE
        # the same class wherever the output is not within rounding of 0.5
        clear = np.abs(p - 0.5) > TOLERANCE
        assert ((p >= 0.5) == (bmap.p >= 0.5))[clear].all()
        assert np.allclose(1 / (1 + np.exp(-bmap.z)), bmap.p, atol=TOLERANCE)
        hidden = X
        for k, grids in enumerate(bmap.hidden):
            hidden = model[2 * k + 1](model[2 * k](hidden))  # Linear, then the activation
            assert np.abs(hidden.numpy().T.reshape(grids.shape) - grids).max() <= TOLERANCE
    assert len(bmap.hidden) == len(config.hidden)
    assert (bmap.x3 is None) == (config.sizes[0] == 2)


def test_the_truth_tables_corners_are_grid_points_and_match_the_predictions():
    config = TrainConfig(dataset="xor", hidden=(2,))
    weights = _trained(config, 2500)
    for n in (9, 33, 41, 65):
        x = axis(n)
        assert x[0] == -0.5 and x[-1] == 1.5 and x[n // 4] == 0.0 and x[3 * (n // 4)] == 1.0
    bmap = boundary_map(weights, nx=41)
    for k, ((a, b), _) in enumerate(config.data.rows):
        assert abs(bmap.p[10 + 20 * b, 10 + 20 * a] - weights.predictions[k]) <= TOLERANCE


def test_p_i_j_is_at_x2_i_x1_j():
    # A neuron that only looks at x1: its output grows along j and is the same down each column.
    weights = WeightsAt(0, 0.0, [], 0.0, 1.0, [LayerWeights("0", [[4.0, 0.0]], [-2.0], [], [])])
    document = boundary_map(weights, nx=9, ny=5).to_json()
    p = np.array(document["p"])
    assert p.shape == (5, 9) and len(document["x1"]) == 9 and len(document["x2"]) == 5
    assert (np.diff(p, axis=1) > 0).all() and (np.diff(p, axis=0) == 0).all()
    assert document["p"][0][4] == 0.5 and "hidden" not in document
    json.dumps(document)  # plain numbers only


def test_hidden_layers_are_in_the_json_in_the_same_form():
    weights = _trained(TrainConfig(dataset="xor", hidden=(4, 3), activation="tanh"), 10)
    document = boundary_map(weights, "tanh", nx=9).to_json()
    assert [len(layer["neurons"]) for layer in document["hidden"]] == [4, 3]
    assert document["hidden"][0]["layer"] == "0" and document["hidden"][1]["activation"] == "tanh"
    assert np.array(document["hidden"][1]["neurons"]).shape == (3, 9, 9)


def test_a_single_neurons_line_is_where_its_output_is_one_half():
    weights = _trained(TrainConfig(dataset="and"), 1000)
    line = single_neuron_line(Params.of(weights.layers, "sigmoid"))
    (a1, a2), (b1, b2) = line.ends()
    W, b = weights.layers[0].weight[0], weights.layers[0].bias[0]
    for x1, x2 in ((a1, a2), (b1, b2)):
        assert abs(W[0] * x1 + W[1] * x2 + b) < 1e-9
        assert -0.5 <= x1 <= 1.5 and -0.5 <= x2 <= 1.5
    assert line.equation().endswith("= 0") and "−" in line.equation()  # AND's bias is negative
    # The drawn line and the p = 0.5 contour are the same grid points, but for float rounding.
    bmap = boundary_map(weights, nx=33)
    assert (line_mask(line, bmap.x1, bmap.x2) != contour(bmap.p)).sum() <= 2
    assert single_neuron_line(Params.of(_trained(TrainConfig(dataset="xor", hidden=(2,)), 1).layers, "sigmoid")) is None


def test_line_ends_and_equation():
    assert Line(1.0, 0.0, -0.5).ends() == ((0.5, -0.5), (0.5, 1.5))  # x1 = 0.5, upright
    assert Line(1.0, 1.0, -1.0).ends() == ((-0.5, 1.5), (1.5, -0.5))
    assert Line(1.0, 1.0, -10.0).ends() is None  # misses the square
    assert Line(0.0, 0.0, 1.0).ends() is None  # no line at all
    assert Line(5.714, -5.7, -8.62).equation() == "5.71·x₁ − 5.70·x₂ − 8.62 = 0"
    assert Line(1.2e-07, 1.2e-07, -1.6e-07).equation() == "1.2e-07·x₁ + 1.2e-07·x₂ − 1.6e-07 = 0"
    assert Line(0.0, 2.0, 0.0).equation() == "2.00·x₂ = 0"


def test_the_contour_is_one_point_thick_on_the_class_1_side():
    bmap = boundary_map(_trained(TrainConfig(dataset="xor", hidden=(64, 32, 16)), 5000), nx=33)
    edge = contour(bmap.p)
    assert edge.any() and (bmap.p[edge] >= 0.5).all()
    # every contour point has a class-0 neighbour, and no class-1 point without one is on it
    on = bmap.p >= 0.5
    padded = np.pad(~on, 1, constant_values=False)
    neighbour_off = padded[:-2, 1:-1] | padded[2:, 1:-1] | padded[1:-1, :-2] | padded[1:-1, 2:]
    assert (edge == (on & neighbour_off)).all()


def test_hidden_neurons_read_as_logic_functions():
    # By hand: h1 = OR (cuts (0,0) off), h2 = NAND (cuts (1,1) off), output = h1 AND h2 = XOR.
    layers = [
        LayerWeights("0", [[10.0, 10.0], [-10.0, -10.0]], [-5.0, 15.0], [], []),
        LayerWeights("2", [[10.0, 10.0]], [-15.0], [], []),
    ]
    params = Params.of(layers, "sigmoid")
    rows = TrainConfig(dataset="xor").data.rows
    assert neuron_columns(params, rows) == [["0111", "1110"]]
    lines = neuron_lines(params)
    assert lines[0] == Line(10.0, 10.0, -5.0) and lines[1] == Line(-10.0, -10.0, 15.0)
    weights = WeightsAt(0, 0.0, [0.0, 1.0, 1.0, 0.0], 100.0, 1.0, layers)
    bmap = boundary_map(weights, nx=41)
    marks = row_marks(rows, bmap.x1, bmap.x2, bmap.x3, weights.predictions)
    assert [(m.i, m.j, m.target, m.right) for m in marks] == [
        (10, 10, 0, True),
        (30, 10, 1, True),
        (10, 30, 1, True),
        (30, 30, 0, True),
    ]
    assert all(bmap.p[m.i, m.j] >= 0.5 for m in marks if m.target) and all(
        bmap.p[m.i, m.j] < 0.5 for m in marks if not m.target
    )


def test_text_map_of_a_stuck_perceptron_and_a_solved_mlp():
    config = TrainConfig(dataset="xor")
    text = render_text(_trained(config, 1000), "sigmoid", config.data.rows)
    lines = text.splitlines()
    body = "\n".join(line[7:] for line in lines[1:22])  # the map, without its x₂ axis
    assert lines[0].startswith("Decision boundary at epoch 1000")
    assert body.count("✗") == 2 and body.count("✓") == 2  # a line gets two of the four right
    assert any(line.startswith("the neuron's line:") for line in lines)
    assert "▓" in body and "░" in body and "█" not in body and " " not in body.replace("\n", "")  # never confident
    config = TrainConfig(dataset="xor", hidden=(64, 32, 16))
    text = render_text(_trained(config, 5000), "sigmoid", config.data.rows, lang="ko")
    lines = text.splitlines()
    body = "\n".join(line[7:] for line in lines[1:22])
    assert body.count("✓") == 4 and "✗" not in body and "█" in body
    assert lines[0].startswith("에포크 5000의 결정 경계")
    assert set(body) & set("─│╱╲")  # the contour's glyphs


def test_a_vertical_boundary_is_drawn_with_upright_glyphs():
    weights = WeightsAt(0, 0.0, [], 0.0, 1.0, [LayerWeights("0", [[6.0, 0.0]], [-3.0], [], [])])
    rows = TrainConfig(dataset="x1").data.rows  # the target is x1
    body = [line[7:] for line in render_text(weights, "sigmoid", rows).splitlines()[1:22]]
    assert all(line.count("│") == 1 and not set(line) & set("─╱╲") for line in body)
    assert all(line.index("│") == 20 for line in body)  # x1 = 0.5 is the 21st of 41 columns


@pytest.mark.parametrize("n", [9, 13, 17])
def test_row_marks_on_a_slice(n):
    rows = TrainConfig(dataset="parity3").data.rows
    x = axis(n)
    marks = row_marks(rows, x, x, 1.0, [0.9] * 8)
    assert [m.row for m in marks] == [1, 3, 5, 7] and [m.target for m in marks] == [1, 0, 0, 1]
    assert [m.right for m in marks] == [True, False, False, True]
    assert math.isclose(x[marks[3].i], 1.0) and math.isclose(x[marks[0].j], 0.0)


# --- the same bits on every machine ----------------------------------------------------------------

# A 2-64-32-16-1 network of whole thousandths (no random draws: their tails go through libm), its
# map with every hidden layer, hashed.
_MAP_PROBE = """
import hashlib
import core
import numpy as np
from core.maps.boundary import Params, boundary_map
sizes, pairs = (2, 64, 32, 16, 1), []
for k, (n_in, n_out) in enumerate(zip(sizes, sizes[1:])):
    i = np.arange(n_out * n_in + n_out, dtype=np.int64) * 7919 + 104729 * (k + 1)
    values = ((i % 6001) - 3000) / 1000.0
    pairs.append((values[: n_out * n_in].reshape(n_out, n_in), values[n_out * n_in :]))
bmap = boundary_map(Params.from_pairs(pairs, "{activation}"), nx=33)
print(hashlib.sha256(b"".join(a.tobytes() for a in (bmap.p, bmap.z, *bmap.hidden))).hexdigest())
"""
_NUMPY_SIMD = ("X86_V4", "AVX512_ICL", "AVX512_SPR", "AVX512F", "AVX512_SKX")  # numpy 2.4's names, and older ones
SIMULATED = {
    "OpenBLAS Haswell kernels": {"OPENBLAS_CORETYPE": "Haswell"},
    "OpenBLAS SkylakeX kernels": {"OPENBLAS_CORETYPE": "SkylakeX"},
    "OpenBLAS Sandybridge kernels, 2 threads": {"OPENBLAS_CORETYPE": "Sandybridge", "OPENBLAS_NUM_THREADS": "2"},
    "numpy without AVX-512": {"NPY_DISABLE_CPU_FEATURES": " ".join(_NUMPY_SIMD)},
    "numpy without AVX2 or AVX-512": {"NPY_DISABLE_CPU_FEATURES": " ".join(("X86_V3", "AVX2", "FMA3", *_NUMPY_SIMD))},
}


def _map_digest(activation: str = "sigmoid", **env) -> str:
    import os
    import subprocess
    import sys
    from pathlib import Path

    clean = {k: v for k, v in os.environ.items() if not k.startswith(("OPENBLAS_", "NPY_", "PERCEPTRON_LAB_"))}
    result = subprocess.run(
        [sys.executable, "-W", "ignore", "-c", _MAP_PROBE.replace("{activation}", activation)],
        capture_output=True, text=True, check=True, env=clean | env, cwd=Path(__file__).resolve().parents[2],
    )  # fmt: skip
    return result.stdout.strip()


@pytest.mark.parametrize("activation", ["sigmoid", "tanh"])
def test_the_map_has_the_same_bits_under_simulated_cpus(activation):
    """OpenBLAS picks its kernels by CPU and numpy its exp and tanh: neither may change a bit of a map."""
    plain = _map_digest(activation)
    for name, env in SIMULATED.items():
        assert _map_digest(activation, **env) == plain, name


def test_the_simulation_is_real_without_the_pinning():
    # numpy's own exp, on AVX-512 and without: the polynomial is what makes them agree.
    x = "import numpy as np, hashlib; print(hashlib.sha256(np.exp(np.linspace(-50, 50, 100001))).hexdigest())"
    import os
    import subprocess
    import sys

    def run(**env):
        return subprocess.run(
            [sys.executable, "-W", "ignore", "-c", x], capture_output=True, text=True, env=os.environ | env
        ).stdout

    probe = "from numpy._core._multiarray_umath import __cpu_features__ as f; print(f.get('AVX512F'))"
    features = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True).stdout.strip()
    native = _map_digest(PERCEPTRON_LAB_NUMERICS="native", OPENBLAS_CORETYPE="Haswell")
    if features != "True":
        pytest.skip("this CPU has no AVX-512: its kernels are already among the simulated ones")
    assert run() != run(NPY_DISABLE_CPU_FEATURES=" ".join(_NUMPY_SIMD))
    assert native != _map_digest(PERCEPTRON_LAB_NUMERICS="native", OPENBLAS_CORETYPE="SkylakeX")


def test_a_stuck_neurons_small_weights_show_two_significant_digits_not_0_00():
    assert Line(0.0123, -0.004, 0.5).equation() == "0.012·x₁ − 0.004·x₂ + 0.50 = 0"
    assert Line(0.2, 0.0, -0.0001).equation() == "0.20·x₁ − 0.0001 = 0"
    assert Line(0.095, -0.0949, 0.0).equation() == "0.10·x₁ − 0.095·x₂ = 0"


def test_the_map_square_runs_from_minus_half_to_one_and_a_half_and_needs_two_points():
    assert axis(2).tolist() == [-0.5, 1.5] and axis(5).tolist() == [-0.5, 0.0, 0.5, 1.0, 1.5]
    with pytest.raises(ValueError, match="at least 2 points, not 1"):
        axis(1)


def test_a_three_input_map_is_the_slice_at_x3_0_unless_told():
    X = grid_inputs(axis(2), axis(2), 3)
    assert X.tolist() == [[-0.5, -0.5, 0.0], [1.5, -0.5, 0.0], [-0.5, 1.5, 0.0], [1.5, 1.5, 0.0]]
    assert grid_inputs(axis(2), axis(2), 3, x3=1.0)[:, 2].tolist() == [1.0] * 4


def test_an_output_reads_minus_1_fully_off_to_1_fully_on_and_no_further():
    values = np.array([-1.0, 0.0, 0.25, 0.5, 1.0, 2.0])
    assert OUTPUT_SCALE.signed(values).tolist() == [-1.0, -1.0, -0.5, 0.0, 1.0, 1.0]


def test_a_lines_value_is_w1_x1_plus_w2_x2_plus_c_zero_on_the_line():
    and_line = Line(1.0, 1.0, -1.5)  # x₁ + x₂ − 1.5 = 0: AND's (1, 1) alone on the positive side
    assert [and_line.value(*x) for x in ((0, 0), (0, 1), (1, 0), (1, 1))] == [-1.5, -0.5, -0.5, 0.5]
    assert Line(2.0, -3.0, 0.5).value(2.0, 0.5) == 3.0 and and_line.value(0.75, 0.75) == 0.0


# --- what the exported map holds, where a line meets the square, which glyph a contour gets -------


def test_the_json_says_its_epoch_and_for_three_inputs_the_slice_it_shows():
    layers = [LayerWeights("0", [[4.0, -2.0, 3.0]], [-1.0], [], [])]
    document = boundary_map(WeightsAt(7, 0.0, [], 0.0, 1.0, layers), nx=5, x3=1.0).to_json()
    assert document["epoch"] == 7 and document["x3"] == 1.0
    flat = boundary_map(WeightsAt(7, 0.0, [], 0.0, 1.0, [LayerWeights("0", [[4.0, -2.0]], [-1.0], [], [])]), nx=5)
    assert "x3" not in flat.to_json()  # a 2-input network's map is the whole square, not a slice


def test_the_json_names_hidden_layers_as_the_networks_weights_are_named():
    # nn.Sequential's indices: Linear, activation, Linear, ...: the hidden layers are "0" and "2",
    # as the session file and the weights table name them.
    weights = _trained(TrainConfig(dataset="xor", hidden=(4, 3), activation="tanh"), 10)
    document = boundary_map(weights, "tanh", nx=9).to_json()
    assert [layer["layer"] for layer in document["hidden"]] == ["0", "2"]


def test_the_json_gives_outputs_to_six_decimals():
    weights = WeightsAt(0, 0.0, [], 0.0, 1.0, [LayerWeights("0", [[1.3, 0.7]], [-0.9], [], [])])
    p = boundary_map(weights, nx=9).to_json()["p"]
    values = [v for row in p for v in row]
    assert all(v == round(v, 6) for v in values)
    assert 1 / (1 + math.exp(0.9)) != values[2 * 9 + 2] == round(1 / (1 + math.exp(0.9)), 6)  # at (0, 0)


@pytest.mark.parametrize(
    "line,ends",
    [
        (Line(0.0, 1.0, 0.5), ((-0.5, -0.5), (1.5, -0.5))),  # x2 = -0.5: the bottom edge
        (Line(0.0, 1.0, -1.5), ((-0.5, 1.5), (1.5, 1.5))),  # x2 = 1.5: the top edge
        (Line(1.0, 0.0, 0.5), ((-0.5, -0.5), (-0.5, 1.5))),  # x1 = -0.5: the left edge
        (Line(1.0, 0.0, -1.5), ((1.5, -0.5), (1.5, 1.5))),  # x1 = 1.5: the right edge
    ],
)
def test_a_line_along_an_edge_of_the_square_is_drawn_along_that_edge(line, ends):
    assert line.ends() == ends


def test_a_line_that_cuts_a_small_corner_off_the_square_is_still_drawn():
    # x1 + x2 = -0.5 cuts off the corner (-0.5, -0.5): its ends are 0.71 apart.
    assert Line(1.0, 1.0, 0.5).ends() == ((-0.5, 0.0), (0.0, -0.5))


def test_a_lines_left_end_comes_first():
    # x1 + 0.5·x2 = 0.5 enters at the top at x1 = -0.25 and leaves at the bottom at x1 = 0.75.
    assert Line(1.0, 0.5, -0.5).ends() == ((-0.25, 1.5), (0.75, -0.5))


def test_a_contour_gets_the_glyph_nearest_its_slope():
    # The line through the square at each whole degree from the x1 axis (either way along it):
    # drawn as ─ (0°), ╱ (45°), │ (90°) or ╲ (135°), whichever is nearest, 180° being 0° again.
    x = axis(9)
    for degrees in range(360):
        theta = math.radians(degrees)
        values = math.sin(theta) * x[None, :] - math.cos(theta) * x[:, None]
        folded = degrees % 180
        nearest = min(range(4), key=lambda k: min(abs(folded - 45 * k), 180 - abs(folded - 45 * k)))
        assert (directions(values, x, x) == nearest).all(), degrees


def test_a_tanh_neuron_reads_minus_1_off_0_at_its_switch_1_on_and_is_on_from_0():
    scale = scale_for("tanh")
    values = np.array([-2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0])
    assert scale.signed(values).tolist() == [-1.0, -1.0, -0.5, 0.0, 0.5, 1.0, 1.0]
    assert scale.on(np.array([-0.01, 0.0, 0.01])).tolist() == [False, True, True]


def test_a_relu_neuron_is_on_only_above_0_and_reads_fully_on_at_its_largest_value():
    values = np.array([0.0, 0.25, 0.5])
    scale = scale_for("relu", values)
    assert scale.signed(values).tolist() == [0.0, 0.5, 1.0]
    assert scale.on(values).tolist() == [False, True, True]  # 0 is off: a ReLU that does not fire
    big = np.array([0.0, 1.0, 4.0])
    assert scale_for("relu", big).signed(big).tolist() == [0.0, 0.25, 1.0]
    # A dead neuron, 0 everywhere: off everywhere, and no division by its largest value 0.
    dead = np.zeros(3)
    assert scale_for("relu", dead).signed(dead).tolist() == [0.0, 0.0, 0.0]
    assert not scale_for("relu", dead).on(dead).any()
    # Values not known: a scale of 1.
    assert scale_for("relu").signed(np.array([0.5, 2.0])).tolist() == [0.5, 1.0]


def test_every_hidden_layers_neurons_read_as_logic_functions():
    # Two hidden ReLU layers (on only above 0). Layer 1: OR and NAND. Layer 2 fires where OR's
    # value 2·x1 + 2·x2 - 1 passes 1.5, at (1, 1) alone: AND.
    layers = [
        LayerWeights("0", [[2.0, 2.0], [-2.0, -2.0]], [-1.0, 3.0], [], []),
        LayerWeights("2", [[1.0, 0.0]], [-1.5], [], []),
        LayerWeights("4", [[10.0]], [-5.0], [], []),
    ]
    rows = TrainConfig(dataset="xor").data.rows
    assert neuron_columns(Params.of(layers, "relu"), rows) == [["0111", "1110"], ["0001"]]


def test_a_three_input_neurons_line_on_the_slice_x3_s_has_constant_b_plus_w3_s():
    weights = WeightsAt(0, 0.0, [], 0.0, 1.0, [LayerWeights("0", [[1.0, 2.0, 4.0]], [-3.0], [], [])])
    assert neuron_lines(weights) == [Line(1.0, 2.0, -3.0)]  # the slice x3 = 0 unless told
    assert neuron_lines(weights, x3=2.0) == [Line(1.0, 2.0, 5.0)]  # -3 + 4·2


def test_an_equation_starting_negative_starts_with_a_minus_and_an_all_zero_one_reads_0_00():
    assert Line(-2.0, 1.0, 0.5).equation() == "−2.00·x₁ + 1.00·x₂ + 0.50 = 0"
    assert Line(0.0, 0.0, 0.0).equation() == "0.00 = 0"


def test_a_prediction_of_exactly_one_half_marks_its_row_as_class_1_as_in_the_notebook():
    rows = TrainConfig(dataset="xor").data.rows  # targets 0, 1, 1, 0
    x = axis(9)
    assert [m.right for m in row_marks(rows, x, x, None, [0.5] * 4)] == [False, True, True, False]


def test_a_three_input_single_neurons_line_is_on_the_slice_asked_for():
    weights = WeightsAt(0, 0.0, [], 0.0, 1.0, [LayerWeights("0", [[1.0, 2.0, 4.0]], [-3.0], [], [])])
    assert single_neuron_line(weights) == Line(1.0, 2.0, -3.0)  # x3 = 0 unless told
    assert single_neuron_line(weights, x3=2.0) == Line(1.0, 2.0, 5.0)


def test_a_square_map_has_the_most_points_that_keep_0_and_1_on_the_grid():
    # n ≡ 1 (mod 4): 41 fits in 41 to 44 columns, 45 in 45; never fewer than 5 points.
    assert [square_size(n) for n in (41, 42, 43, 44, 45)] == [41, 41, 41, 41, 45]
    assert square_size(3) == 5 and square_size(20, 8) == 17
