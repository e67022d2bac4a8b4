"""The explainer's numbers are the engine's: gradients as weights_at(E) has them, new weights as
weights_at(E + 1) has them, optimizer buffers as the replay holds them, bit for bit; the numbers it
recomputes in between (sums of terms, slopes, (p − y)/n, Adam's m̂ and v̂) agree within float32 rounding."""

from __future__ import annotations

import math

import pytest
import torch
from torch import nn

from core.config import ACTIVATIONS, LOSSES, MOMENTUM, OPTIMIZERS, TrainConfig
from core.errors import InputError
from core.explain.explain import check_path, explain, is_small, path_steps, slope
from core.explain.explain_text import STAGES, stages
from core.lessons import lesson
from core.mathtext import num, paren
from core.network import build_model, linear_layers
from core.trainer import Trainer

LR = {"sgd": 1.0, "momentum": 0.1, "adam": 0.01}
EPOCHS = (0, 1, 2, 17, 40)  # 0 and 1: the optimizers' first steps (momentum's buffer, Adam's t = 1)


def close(a: float, b: float, scale: float = 1.0) -> bool:
    """Equal within float32 rounding of sums of a few terms of about `scale`."""
    return abs(a - b) <= 2e-6 * max(scale, abs(a), abs(b), 1e-30) + 1e-12


def _trained(config: TrainConfig, to_epoch: int = 41) -> Trainer:
    trainer = Trainer(config)
    trainer.run(to_epoch=to_epoch)
    return trainer


def _assert_engine_numbers(trainer: Trainer, epoch: int):
    history = trainer.history
    ex = explain(history, epoch)
    now, after = history.weights_at(epoch), history.weights_at(epoch + 1)
    assert ex.loss == history.loss(epoch) and ex.predictions == history.predictions(epoch)
    assert ex.update.lr == history.lr_at(epoch)
    for layer, w, w1 in zip(ex.layers, now.layers, after.layers):
        assert layer.name == w.name
        assert (layer.weight, layer.bias) == (w.weight, w.bias)
        assert (layer.weight_grad, layer.bias_grad) == (w.weight_grad, w.bias_grad)
        assert (layer.weight_next, layer.bias_next) == (w1.weight, w1.bias)
    # The optimizer's buffers before and after are the replay's, exactly.
    _, state, steps = history.state_at(epoch)
    _, state_next, _ = history.state_at(epoch + 1)
    assert ex.update.step == steps + 1
    flat = _flat_state(ex, "state")
    assert flat == state.tolist() and _flat_state(ex, "state_next") == state_next.tolist()
    return ex


def _flat_state(ex, which: str) -> list[float]:
    """The explanation's optimizer buffers in the kernel's layout (each buffer: weights, then biases)."""
    names = list(getattr(ex.layers[0], which))
    out = []
    for name in names:
        buffers = [getattr(layer, which)[name] for layer in ex.layers]
        out += [v for b in buffers for row in b.weight for v in row] + [v for b in buffers for v in b.bias]
    return out


@pytest.mark.parametrize("optimizer", OPTIMIZERS)
@pytest.mark.parametrize("loss", LOSSES)
@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_a_2_2_1_epoch_is_the_engines_bit_for_bit(activation, loss, optimizer):
    config = TrainConfig(dataset="xor", hidden=(2,), activation=activation, loss=loss, optimizer=optimizer,
                         lr=LR[optimizer], seed=3)  # fmt: skip
    trainer = _trained(config)
    for epoch in EPOCHS:
        ex = _assert_engine_numbers(trainer, epoch)
        _assert_recomputed_numbers_agree(ex)


@pytest.mark.parametrize("optimizer", OPTIMIZERS)
@pytest.mark.parametrize("loss", LOSSES)
def test_a_single_neuron_epoch_is_the_engines_bit_for_bit(loss, optimizer):
    trainer = _trained(lesson("and").config.with_(loss=loss, optimizer=optimizer, lr=LR[optimizer]))
    for epoch in EPOCHS:
        ex = _assert_engine_numbers(trainer, epoch)
        _assert_recomputed_numbers_agree(ex)
        assert len(ex.layers) == 1 and ex.layers[0].inputs == ex.inputs


def _assert_recomputed_numbers_agree(ex) -> None:
    n = ex.n_rows
    for k, layer in enumerate(ex.layers):
        for r in range(n):
            for j in range(layer.n_out):
                terms = [w * a for w, a in zip(layer.weight[j], layer.inputs[r])]
                assert close(math.fsum(terms) + layer.bias[j], layer.z[r][j], sum(map(abs, terms)) + 1)
                s = slope(layer.activation, layer.z[r][j], layer.a[r][j])
                assert close(layer.grad_a[r][j] * s, layer.delta[r][j])
                if k + 1 < len(ex.layers):
                    above = ex.layers[k + 1]
                    back = [above.weight[m][j] * above.delta[r][m] for m in range(above.n_out)]
                    assert close(math.fsum(back), layer.grad_a[r][j], sum(map(abs, back)))
        for j in range(layer.n_out):
            assert close(math.fsum(d[j] for d in layer.delta), layer.bias_grad[j], sum(abs(d[j]) for d in layer.delta))
            for i in range(layer.n_in):
                terms = [d[j] * x[i] for d, x in zip(layer.delta, layer.inputs)]
                assert close(math.fsum(terms), layer.weight_grad[j][i], sum(map(abs, terms)))
                _assert_update_agrees(ex, layer, j, i)
    # The output's δ: (p − y)/n for BCE (the sigmoid's slope cancels), 2(p − y)p(1 − p)/n for MSE.
    out = ex.layers[-1]
    for r, y in enumerate(ex.targets):
        p, d = out.a[r][0], out.delta[r][0]
        expected = (p - y) / n if ex.config.loss == "bce" else 2 * (p - y) * p * (1 - p) / n
        assert close(d, expected, abs(expected) + 1e-6)


def _assert_update_agrees(ex, layer, j: int, i: int) -> None:
    u = ex.update
    w, g, w1 = layer.weight[j][i], layer.weight_grad[j][i], layer.weight_next[j][i]
    if u.optimizer == "sgd":
        assert close(w - u.lr * g, w1, abs(w))
    elif u.optimizer == "momentum":
        v, v1 = layer.state["momentum"].weight[j][i], layer.state_next["momentum"].weight[j][i]
        assert close((g if u.step == 1 else MOMENTUM * v + g), v1, abs(v) + abs(g))
        assert close(w - u.lr * v1, w1, abs(w))
    else:
        (b1, b2), t = u.betas, u.step
        assert u.bias_correction1 == 1 - b1**t and u.bias_correction2 == 1 - b2**t
        m, m1 = layer.state["m"].weight[j][i], layer.state_next["m"].weight[j][i]
        v, v1 = layer.state["v"].weight[j][i], layer.state_next["v"].weight[j][i]
        assert close(b1 * m + (1 - b1) * g, m1, abs(m) + abs(g))
        assert close(b2 * v + (1 - b2) * g * g, v1, v + g * g)
        step = u.lr * (m1 / u.bias_correction1) / (math.sqrt(v1 / u.bias_correction2) + u.eps)
        assert close(w - step, w1, abs(w) + abs(step))


def test_the_forward_and_backward_values_are_autograds():
    """z, a and δ = ∂L/∂z of every layer, from the notebook's nn.Sequential with autograd."""
    config = TrainConfig(dataset="xor", hidden=(2,), activation="tanh", loss="mse", seed=5)
    trainer = _trained(config, 30)
    ex = explain(trainer.history, 23)
    model = build_model(config.sizes, config.activation)
    with torch.no_grad():
        for linear, layer in zip(linear_layers(model), ex.layers):
            linear.weight.copy_(torch.tensor(layer.weight))
            linear.bias.copy_(torch.tensor(layer.bias))
    zs = []
    model[0].register_forward_hook(lambda _m, _i, out: zs.append(out))
    model[2].register_forward_hook(lambda _m, _i, out: zs.append(out))
    p = model(torch.tensor(config.data.X))
    for z in zs:
        z.retain_grad()
    nn.MSELoss()(p, torch.tensor(config.data.y)).backward()
    for z, layer in zip(zs, ex.layers):
        assert z.tolist() == layer.z and z.grad.tolist() == layer.delta
    assert p.tolist() == ex.layers[-1].a


def test_a_learning_rate_changed_mid_run_is_the_one_explained():
    trainer = Trainer(lesson("and").config)
    trainer.step(5)
    trainer.set_lr(0.3)
    trainer.step(5)
    ex = _assert_engine_numbers(trainer, 7)
    assert ex.update.lr == 0.3 and explain(trainer.history, 3).update.lr == 1.0


@pytest.mark.parametrize("optimizer", OPTIMIZERS)
def test_a_path_through_xor_mlp_has_the_engines_numbers_and_the_sums_that_feed_it(optimizer):
    config = lesson("xor-mlp").config.with_(optimizer=optimizer, lr=LR[optimizer])
    trainer = _trained(config, 301)
    history = trainer.history
    path = (1, 40, 7, 12, 0)  # x₂ → h¹₄₁ → h²₈ → h³₁₃ → ŷ
    ex = explain(history, 300)
    now, after = history.weights_at(300), history.weights_at(301)
    steps = path_steps(ex, path)
    assert [(s.source, s.neuron) for s in steps] == [(1, 40), (40, 7), (7, 12), (12, 0)]
    for k, s in enumerate(steps):
        assert s.weight == now.layers[k].weight[s.neuron][s.source]
        assert s.weight_grad == now.layers[k].weight_grad[s.neuron][s.source]
        assert s.bias_grad == now.layers[k].bias_grad[s.neuron]
        assert s.weight_next == after.layers[k].weight[s.neuron][s.source]
        assert s.bias_next == after.layers[k].bias[s.neuron]
        layer = ex.layers[k]
        for r in range(ex.n_rows):
            # the path's term and the rest of the layer-wide sum (63 terms for h²) make z
            scale = sum(abs(w * a) for w, a in zip(layer.weight[s.neuron], layer.inputs[r])) + abs(s.bias)
            assert close(s.term[r] + s.rest[r] + s.bias, s.z[r], scale)
            if k < len(steps) - 1:  # every layer but the output's: the gradient that comes back along the path
                assert close(s.back_term[r] + s.back_rest[r], s.grad_a[r], abs(s.back_term[r]) + abs(s.back_rest[r]))
            assert close(s.grad_a[r] * s.slope[r], s.delta[r])
        assert close(math.fsum(s.grad_terms), s.weight_grad, sum(map(abs, s.grad_terms)))
        if optimizer != "sgd":
            name = "momentum" if optimizer == "momentum" else "m"
            assert s.state_next[name][0] == layer.state_next[name].weight[s.neuron][s.source]
    assert steps[-1].back_term is None and len(steps[1].rest) == 4


def test_paths_are_checked():
    sizes = (2, 64, 32, 16, 1)
    assert check_path(sizes, (0, 63, 31, 15)) == (0, 63, 31, 15, 0)  # the output may be left out
    for bad in [(0, 64, 0, 0), (2, 0, 0, 0), (0, 0, 0), (0, 0, 0, 0, 1), (-1, 0, 0, 0), ("a",)]:
        with pytest.raises(InputError) as error:
            check_path(sizes, bad)
        assert "1-2, 1-64, 1-32, 1-16" in str(error.value) and "e.g. 1,1,1,1" in str(error.value)
    assert "1-2, 1-64, 1-32, 1-16" in error.value.message("ko")


def test_an_epoch_outside_the_history_is_refused():
    trainer = _trained(lesson("and").config, 3)
    with pytest.raises(IndexError):
        explain(trainer.history, 4)
    with pytest.raises(IndexError):
        explain(trainer.history, -1)
    explain(trainer.history, 3)  # the last epoch recorded: its update is computed, not read back


def test_an_epoch_with_numbers_gone_to_nan_is_explained_as_nan():
    trainer = Trainer(lesson("xor-mlp").config.with_(activation="relu", lr=1e30))
    trainer.run(to_epoch=50)
    assert trainer.blowup is not None and trainer.blowup.kind == "non-finite"
    ex = explain(trainer.history, trainer.blowup.epoch)
    assert math.isnan(ex.loss) and math.isnan(ex.layers[0].weight_grad[0][0])
    assert stages(ex, "en", stopped=True)[-1].lines[-1].text.startswith("The run stopped at this epoch")


def test_the_stages_put_the_numbers_into_the_formulas_in_both_languages():
    trainer = _trained(TrainConfig(dataset="xor", hidden=(2,)), 6)
    ex = explain(trainer.history, 5)
    for lang, forward, next_weights in (
        ("en", "Forward pass", "epoch 6's weights"),
        ("ko", "순전파", "에포크 6의 가중치"),
    ):
        shown = stages(ex, lang)
        assert [s.key for s in shown] == list(STAGES)
        assert shown[0].title == f"1. {forward}"
        text = "\n".join(line.text for s in shown for line in s.lines)
        h1 = ex.layers[0]
        z_sum = f"{num(h1.weight[0][0])}·0 + {num(h1.weight[0][1])}·0 − {num(-h1.bias[0])} = {num(h1.z[0][0])}"
        assert f"  h₁: z = {z_sum}\n      a = σ({num(h1.z[0][0])}) = {num(h1.a[0][0])}" in text
        assert f"= {num(ex.loss)}" in text
        assert f"({num(ex.predictions[0])} − 0)/4 = {num(ex.layers[-1].delta[0][0])}" in text
        assert f"= {num(h1.weight_grad[1][0])}" in text  # ∂L/∂w(x₁→h₂)
        w, g, w1 = h1.weight[1][0], h1.weight_grad[1][0], h1.weight_next[1][0]
        assert f"w(x₁→h₂): {num(w)} − 1·{paren(g)} = {num(w1)}" in text
        # every one of the 9 parameters is updated in the last stage
        assert sum(1 for line in shown[-1].lines if line.kind == "row") == 9
        assert next_weights in shown[-1].lines[-1].text


def test_a_wide_network_is_explained_along_a_path():
    config = lesson("xor-mlp").config
    assert not is_small(config.sizes) and is_small(TrainConfig(hidden=(4,)).sizes)
    ex = explain(_trained(config, 2).history, 1)
    update = stages(ex, "en", path=(1, 2, 3, 4, 0))[-1]
    rows = [line.text for line in update.lines if line.kind == "row"]
    assert [r.split(":")[0].strip() for r in rows] == [
        "w(x₂→h¹₃)", "b(h¹₃)", "w(h¹₃→h²₄)", "b(h²₄)", "w(h²₄→h³₅)", "b(h³₅)", "w(h³₅→ŷ)", "b(ŷ)",
    ]  # fmt: skip
    forward = "\n".join(line.text for line in stages(ex, "en")[0].lines)
    assert "x₁ → h¹₁ → h²₁ → h³₁ → ŷ" in forward and "[63 more: " in forward


def test_wrap_keeps_formulas_whole_and_breaks_a_long_parenthesis_as_prose():
    """The explainer's and the lesson notes' wrap (core.mathtext.wrap): a formula that fits stays on
    one line, a parenthesis that fits stays whole, and one longer than a line breaks like prose
    (it was one word and overflowed the notes' panel, its last line cut)."""
    from core.mathtext import cells, wrap

    text = "it outputs 1 if w₁·x₁ + w₂·x₂ ≥ θ, else 0, and p(1 − p) is small"
    for width in range(24, 70):
        lines = wrap(text, width)
        assert " ".join(lines) == text and all(cells(line) <= width for line in lines)
        assert any("w₁·x₁ + w₂·x₂ ≥ θ," in line for line in lines), (width, lines)
        assert any("p(1 − p)" in line for line in lines), (width, lines)
    prose = "sums. (Their version had whole-number weights and inputs that could veto; the sum is today's.) Next"
    for width in range(20, 60):
        lines = wrap(prose, width)
        assert " ".join(lines) == prose and all(cells(line) <= width for line in lines), (width, lines)


# --- what the explainer must show, stated in the learner's terms (issue 23: mutation testing) -----


def test_a_refused_path_says_what_a_path_is_and_repeats_what_was_typed():
    """The message a learner reads for --path: the network's shape, how many numbers, each one's
    range, an example, and what they typed, counted from 1 as they typed it."""
    from core.cli.explain import read_path

    sizes = (2, 64, 32, 16, 1)
    rule = (
        "a path through 2-64-32-16-1 is 4 neuron numbers separated by commas, one for the inputs and one for"
        " each hidden layer (1-2, 1-64, 1-32, 1-16), e.g. 1,1,1,1; not "
    )
    with pytest.raises(InputError) as error:
        read_path("1,65,1,1", sizes)  # h¹ has 64 neurons
    assert str(error.value) == rule + "'1,65,1,1'"
    with pytest.raises(InputError) as error:
        read_path("first", sizes)
    assert str(error.value) == rule + "'first'"
    with pytest.raises(InputError) as error:
        check_path((2, 1), (5,))  # a single neuron: one number for the inputs, e.g. 1
    assert str(error.value).startswith("a path through 2-1 is 1 neuron number") and "e.g. 1; not '6'" in str(
        error.value
    )


def test_a_neuron_number_on_a_path_is_a_whole_number_not_a_truth_value_or_a_fraction():
    sizes = (2, 4, 1)
    assert check_path(sizes, (1, 3)) == (1, 3, 0)
    for bad in [(True, 0), (0, True), (1.0, 0), (0, 2.0), ("1", 0)]:
        with pytest.raises(InputError):
            check_path(sizes, bad)


def test_an_epoch_outside_the_history_is_refused_saying_which_epochs_it_has():
    trainer = _trained(lesson("and").config, 3)
    with pytest.raises(IndexError, match=r"^epoch 4 is not in the history \(it has epochs 0 to 3\)$"):
        explain(trainer.history, 4)


def test_up_to_16_weights_are_explained_whole_and_more_along_a_path():
    """2-1, 2-2-1, 2-4-1 and 3-4-1 (16 weights) are shown whole; 2-6-1 (18) and 2-8-1 (24) along a path."""
    for sizes in [(2, 1), (2, 2, 1), (2, 4, 1), (3, 4, 1)]:
        assert is_small(sizes), sizes
    for sizes in [(2, 6, 1), (2, 8, 1), (2, 64, 32, 16, 1)]:
        assert not is_small(sizes), sizes


def test_sgd_and_momentum_have_no_bias_correction_only_adam_does():
    for optimizer in ("sgd", "momentum"):
        trainer = _trained(TrainConfig(dataset="xor", hidden=(2,), optimizer=optimizer, lr=LR[optimizer]), 4)
        u = explain(trainer.history, 3).update
        assert (u.bias_correction1, u.bias_correction2) == (1.0, 1.0), optimizer
    trainer = _trained(TrainConfig(dataset="xor", hidden=(2,), optimizer="adam", lr=0.01), 4)
    u = explain(trainer.history, 3).update  # t = 4
    assert u.step == 4 and u.betas == (0.9, 0.999) and u.eps == 1e-8
    assert close(u.bias_correction1, 1 - 0.9**4) and close(u.bias_correction2, 1 - 0.999**4)


def test_relus_slope_is_1_where_it_is_on_and_0_where_it_is_off():
    assert slope("relu", 0.5, 0.5) == 1.0 and slope("relu", 3.0, 3.0) == 1.0
    assert slope("relu", -0.5, 0.0) == 0.0 and slope("relu", 0.0, 0.0) == 0.0
    assert slope("sigmoid", 0.0, 0.5) == 0.25 and slope("tanh", 0.0, 0.0) == 1.0


def test_each_rows_share_of_the_loss_is_the_one_the_loss_stage_shows():
    """MSE: (p − y)²; BCE: −[y·ln p + (1 − y)·ln(1 − p)] with each logarithm clamped at −100 as torch
    clamps it, so an output of exactly 1 for a target 0 costs 100, not infinity."""
    from core.explain.explain import row_loss

    assert row_loss("mse", 0.75, 1.0) == 0.0625 and row_loss("mse", 0.75, 0.0) == 0.5625
    assert row_loss("bce", 0.5, 1.0) == math.log(2) and row_loss("bce", 0.75, 0.0) == -math.log(0.25)
    assert row_loss("bce", 1.0, 0.0) == 100.0 and row_loss("bce", 0.0, 1.0) == 100.0
    assert row_loss("bce", 1e-50, 1.0) == 100.0  # ln(1e-50) ≈ −115, clamped
    for p, y in [(1.0, 0.0), (0.0, 1.0), (1e-50, 1.0), (0.3, 1.0), (0.3, 0.0)]:
        torch_loss = nn.functional.binary_cross_entropy(
            torch.tensor([p], dtype=torch.float64), torch.tensor([y], dtype=torch.float64)
        )
        assert close(row_loss("bce", p, y), torch_loss.item()), (p, y)


def test_along_a_path_the_gradient_comes_back_through_the_weight_to_the_next_neuron():
    """The chain rule along x₂ → h¹₃ → h²₂ → ŷ: a neuron's ∂L/∂a gets the path's term, the next
    weight times the next neuron's δ, and the other neurons of the next layer add the rest; forward,
    the path's term is the weight times the output of the neuron before. The optimizer's memory of
    the path's weight and bias follows momentum's rule v ← 0.9·v + g."""
    from core.cli.explain import document

    config = TrainConfig(dataset="xor", hidden=(3, 2), activation="tanh", optimizer="momentum", lr=0.1, seed=2)
    ex = explain(_trained(config, 4).history, 3)
    steps = path_steps(ex, (1, 2, 1))
    assert [(s.layer, s.source, s.neuron) for s in steps] == [(0, 1, 2), (1, 2, 1), (2, 1, 0)]
    for k, s in enumerate(steps):
        before = [x[s.source] for x in ex.inputs] if k == 0 else steps[k - 1].a
        assert s.term == [s.weight * a for a in before]
        assert s.grad_terms == [d * a for d, a in zip(s.delta, before)]
        if k + 1 < len(steps):
            nxt, above = steps[k + 1], ex.layers[k + 1]
            assert s.back_term == [nxt.weight * d for d in nxt.delta]
            for r in range(ex.n_rows):
                others = [above.weight[m][s.neuron] * above.delta[r][m] for m in range(above.n_out) if m != nxt.neuron]
                assert close(s.back_rest[r], math.fsum(others), sum(map(abs, others)))
        (v, vb), (v1, vb1) = s.state["momentum"], s.state_next["momentum"]
        assert close(v1, MOMENTUM * v + s.weight_grad, abs(v) + abs(s.weight_grad))
        assert close(vb1, MOMENTUM * vb + s.bias_grad, abs(vb) + abs(s.bias_grad))
        assert v != 0.0  # the buffer before is the one three updates built, not an empty one
    # the JSON file names each step's layer as train --weights-at does
    shown = document(ex, "xor-mlp", path=(1, 2, 1))["path"]
    assert [(step["layer"], step["name"]) for step in shown] == [(0, "0"), (1, "2"), (2, "4")]
