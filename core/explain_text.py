"""One epoch's computation as text, stage by stage: each formula, then the numbers put into it.

Pure Python over a `core.explain.Explanation`; the command line prints these lines and the app's
explainer shows them a stage at a time. The sentences come from the words catalog ([explain]);
the formulas are mathematics, the same in every language. Each result shown is the engine's own
number; the operands are shown rounded, so redoing a sum by hand may differ in its last digit.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.explain import Explanation, PathStep, is_small, path_steps, row_loss, slope
from core.lessons import shown_name
from core.mathtext import MINUS, neuron_names, num, paren, product_terms, row_label, signed_terms
from core.words import say

STAGES = ("forward", "loss", "output", "backward", "update")
ACT = {"sigmoid": "σ", "tanh": "tanh", "relu": "relu"}


@dataclass(frozen=True)
class Line:
    """One line of a stage: `kind` says how to show it ("text", "formula", "heading", "row", "note", "")."""

    kind: str
    text: str


@dataclass(frozen=True)
class Stage:
    key: str  # one of STAGES
    title: str  # "1. Forward pass"
    lines: list[Line]


def path_text(ex: Explanation, path: tuple[int, ...]) -> str:
    """`x₁ → h¹₁ → h²₁ → h³₁ → ŷ`."""
    names = neuron_names(ex.sizes, ex.config.data.inputs)
    return " → ".join(names[k][j] for k, j in enumerate(path))


class _Writer:
    def __init__(self, lang: str):
        self.lang = lang
        self.lines: list[Line] = []

    def add(self, kind: str, text: str) -> None:
        self.lines.append(Line(kind, text))


# --- the stages ---------------------------------------------------------------------------------


def title(ex: Explanation, lang: str, lesson: str) -> str:
    c = ex.config
    return say(
        "explain.title", lang, epoch=ex.epoch, lesson=shown_name(lesson, lang), shape="-".join(map(str, c.sizes)),
        activation=c.activation, loss=c.loss.upper(), optimizer=say(f"optimizer.{c.optimizer}", lang), lr=ex.update.lr,
    )  # fmt: skip


def stages(ex: Explanation, lang: str, path: tuple[int, ...] | None = None, stopped: bool = False) -> list[Stage]:
    """All five stages. `path` (0-based, one neuron a layer) restricts them to a path; without one,
    a small network is shown whole and a wide one along its first neurons."""
    return [stage(ex, key, lang, path, stopped) for key in STAGES]


def stage(ex: Explanation, key: str, lang: str, path: tuple[int, ...] | None = None, stopped: bool = False) -> Stage:
    """One stage's lines. `stopped`: the run stopped at this epoch, so its update was never applied."""
    if path is None and not is_small(ex.sizes):
        path = (0,) * len(ex.sizes)
    steps = path_steps(ex, path) if path is not None else None
    out = _Writer(lang)
    names = neuron_names(ex.sizes, ex.config.data.inputs)
    if key == "forward":
        _forward(ex, out, names, steps, path)
    elif key == "loss":
        _loss(ex, out)
    elif key == "output":
        _output(ex, out)
    elif key == "backward":
        _backward(ex, out, names, steps)
    elif key == "update":
        _update(ex, out, names, steps, stopped)
    else:
        raise KeyError(key)
    number = STAGES.index(key) + 1
    return Stage(key, f"{number}. {say(f'explain.stage.{key}', lang)}", out.lines)


def _forward(ex, out, names, steps: list[PathStep] | None, path) -> None:
    act = ex.config.activation
    out.add("text", say("explain.forward.intro", out.lang, act=ACT[act]))
    if act == "relu":
        out.add("formula", "relu(z) = max(0, z)")
    if steps is not None:
        out.add("note", say("explain.forward.path", out.lang, path=path_text(ex, path)))
    out.add("note", say("explain.rounding", out.lang))
    for r, x in enumerate(ex.inputs):
        out.add("", "")
        out.add("heading", say("explain.row", out.lang, x=row_label(x), y=num(ex.targets[r])))
        for k, layer in enumerate(ex.layers):
            f = ACT[layer.activation]
            value = "p" if k == len(ex.layers) - 1 else "a"
            if steps is None:
                for j in range(layer.n_out):
                    pairs = list(zip(layer.weight[j], layer.inputs[r]))
                    z, a = layer.z[r][j], layer.a[r][j]
                    sums = signed_terms([(1, product_terms(pairs)), (layer.bias[j], num(layer.bias[j]))])
                    name = names[k + 1][j]
                    out.add("row", f"  {name}: z = {sums} = {num(z)}")
                    out.add("row", f"  {' ' * len(name)}  {value} = {f}({num(z)}) = {num(a)}")
            else:
                s = steps[k]
                others = _others(out.lang, layer.n_in - 1, s.rest[r])
                sums = signed_terms(
                    [(1, product_terms([(s.weight, layer.inputs[r][s.source])]))]
                    + ([(s.rest[r], others)] if others else [])
                    + [(s.bias, num(s.bias))]
                )
                z, a = s.z[r], s.a[r]
                name = names[k + 1][s.neuron]
                out.add("row", f"  {name}: z = {sums} = {num(z)}")
                out.add("row", f"  {' ' * len(name)}  {value} = {f}({num(z)}) = {num(a)}")


def _others(lang: str, n: int, total: float) -> str:
    """`[63 more: 1.2345]`: the rest of a layer-wide sum, added up (empty if there is no rest)."""
    if n <= 0:
        return ""
    return "[" + say("explain.others", lang, n=n) + f": {num(total)}]"


def _loss(ex, out) -> None:
    n = ex.n_rows
    p, y = ex.predictions, ex.targets
    if ex.config.loss == "bce":
        out.add("text", say("explain.loss.bce", out.lang, n=n))
        out.add("formula", "L = −(1/n)·Σ [y·ln p + (1 − y)·ln(1 − p)]")
        for r in range(n):
            shown = f"−ln({num(p[r])})" if y[r] == 1 else f"−ln(1 − {num(p[r])})"
            out.add(
                "row", f"  {row_label(ex.inputs[r])}, y = {num(y[r])}: {shown} = {num(row_loss('bce', p[r], y[r]))}"
            )
    else:
        out.add("text", say("explain.loss.mse", out.lang, n=n))
        out.add("formula", "L = (1/n)·Σ (p − y)²")
        for r in range(n):
            out.add(
                "row", f"  {row_label(ex.inputs[r])}: ({num(p[r])} − {num(y[r])})² = {num(row_loss('mse', p[r], y[r]))}"
            )
    terms = " + ".join(num(row_loss(ex.config.loss, p[r], y[r])) for r in range(n))
    out.add("formula", f"L = ({terms})/{n} = {num(ex.loss)}")


def _output(ex, out) -> None:
    n = ex.n_rows
    last = ex.layers[-1]
    out.add("text", say("explain.output.intro", out.lang))
    if ex.config.loss == "bce":
        out.add("text", say("explain.output.bce", out.lang))
        out.add("formula", "δ = (p − y)/n")
    else:
        out.add("text", say("explain.output.mse", out.lang))
        out.add("formula", "δ = 2(p − y)/n · p(1 − p)")
    for r in range(n):
        p, y, d = last.a[r][0], ex.targets[r], last.delta[r][0]
        grad_p, s = last.grad_a[r][0], slope("sigmoid", last.z[r][0], p)
        label = row_label(ex.inputs[r])
        if ex.config.loss == "bce":
            engine = f"[∂L/∂p = {num(grad_p)}, p(1 − p) = {num(s)}]"  # two values: "·" read as one equation
            out.add("row", f"  {label}: ({num(p)} − {num(y)})/{n} = {num(d)}    {engine}")
        else:
            out.add(
                "row",
                f"  {label}: 2·({num(p)} − {num(y)})/{n} · {num(p)}·(1 − {num(p)})"
                f" = {num(grad_p)} · {num(s)} = {num(d)}",
            )
    out.add("note", say("explain.output.engine", out.lang))


def _slope_formula(activation: str) -> str:
    return {
        "sigmoid": "σ′(z),  σ′(z) = a(1 − a)",
        "tanh": "tanh′(z),  tanh′(z) = 1 − a²",
        "relu": "relu′(z),  relu′(z) = 1 if z > 0, else 0",
    }[activation]


def _slope_shown(activation: str, a: float) -> str:
    if activation == "sigmoid":
        return f"{num(a)}·(1 − {num(a)})"
    if activation == "tanh":
        return f"(1 − {paren(a)}²)"
    return "1" if a > 0 else "0"


def _backward(ex, out, names, steps: list[PathStep] | None) -> None:
    out.add("text", say("explain.backward.intro", out.lang))
    out.add("formula", "∂L/∂W = δᵀ·a    ∂L/∂b = Σ δ    δ = (Wᵀ·δ) ⊙ act′(z)")
    if steps is not None:
        out.add("note", say("explain.backward.path", out.lang))
    for k in range(len(ex.layers) - 1, -1, -1):
        layer = ex.layers[k]
        out.add("", "")
        out.add("heading", say("explain.backward.layer", out.lang, name=layer.name, n_in=layer.n_in, n_out=layer.n_out))
        neurons = range(layer.n_out) if steps is None else [steps[k].neuron]
        for j in neurons:
            sources = range(layer.n_in) if steps is None else [steps[k].source]
            to = names[k + 1][j]
            for i in sources:
                pairs = [(d[j], x[i]) for d, x in zip(layer.delta, layer.inputs)]
                out.add(
                    "row",
                    f"  ∂L/∂w({names[k][i]}→{to}) = Σ δ({to})·{names[k][i]} = {product_terms(pairs)}"
                    f" = {num(layer.weight_grad[j][i])}",
                )
            deltas = signed_terms([(d[j], num(d[j])) for d in layer.delta])
            out.add("row", f"  ∂L/∂b({to}) = Σ δ({to}) = {deltas} = {num(layer.bias_grad[j])}")
        if k == 0:
            continue
        below = ex.layers[k - 1]
        out.add("", "")
        out.add("heading", say("explain.backward.back", out.lang, name=below.name))
        out.add("formula", f"δ = (Wᵀ·δ) ⊙ {_slope_formula(below.activation)}")
        for r, x in enumerate(ex.inputs):
            targets = range(below.n_out) if steps is None else [steps[k - 1].neuron]
            for j in targets:
                if steps is None:
                    back = product_terms([(layer.weight[m][j], layer.delta[r][m]) for m in range(layer.n_out)])
                else:
                    s, m = steps[k - 1], steps[k].neuron
                    back = signed_terms(
                        [(1, product_terms([(layer.weight[m][j], layer.delta[r][m])]))]
                        + (
                            [(s.back_rest[r], _others(out.lang, layer.n_out - 1, s.back_rest[r]))]
                            if layer.n_out > 1
                            else []
                        )
                    )
                a = below.a[r][j]
                out.add(
                    "row",
                    f"  {row_label(x)} {names[k][j]}: ({back}) · {_slope_shown(below.activation, a)}"
                    f" = {num(below.grad_a[r][j])} · {num(slope(below.activation, below.z[r][j], a))}"
                    f" = {num(below.delta[r][j])}",
                )


def _update(ex, out, names, steps: list[PathStep] | None, stopped: bool) -> None:
    u = ex.update
    if u.optimizer == "sgd":
        out.add("text", say("explain.update.sgd", out.lang, lr=u.lr))
        out.add("formula", "W ← W − lr·∂L/∂W")
    elif u.optimizer == "momentum":
        out.add("text", say("explain.update.momentum", out.lang, momentum=u.momentum, lr=u.lr))
        out.add("formula", f"v ← {u.momentum:g}·v + ∂L/∂W    W ← W − lr·v")
        if u.step == 1:
            out.add("note", say("explain.update.momentum_first", out.lang))
    else:
        b1, b2 = u.betas
        out.add("text", say("explain.update.adam", out.lang, b1=b1, b2=b2, eps=u.eps, lr=u.lr))
        out.add("formula", "m ← β₁m + (1 − β₁)g    v ← β₂v + (1 − β₂)g²    m̂ = m/(1 − β₁ᵗ)    v̂ = v/(1 − β₂ᵗ)")
        out.add("formula", "W ← W − lr·m̂/(√v̂ + ε)")
        out.add(
            "formula",
            f"t = {u.step}:  1 − β₁ᵗ = {num(u.bias_correction1)}    1 − β₂ᵗ = {num(u.bias_correction2)}",
        )
    for k, layer in enumerate(ex.layers):
        out.add("", "")
        out.add("heading", say("explain.backward.layer", out.lang, name=layer.name, n_in=layer.n_in, n_out=layer.n_out))
        neurons = range(layer.n_out) if steps is None else [steps[k].neuron]
        for j in neurons:
            sources = range(layer.n_in) if steps is None else [steps[k].source]
            to = names[k + 1][j]
            for i in sources:
                state = {
                    name: (buf.weight[j][i], layer.state_next[name].weight[j][i]) for name, buf in layer.state.items()
                }
                _parameter(out, u, f"w({names[k][i]}→{to})", layer.weight[j][i], layer.weight_grad[j][i],
                           layer.weight_next[j][i], state)  # fmt: skip
            state = {name: (buf.bias[j], layer.state_next[name].bias[j]) for name, buf in layer.state.items()}
            _parameter(out, u, f"b({to})", layer.bias[j], layer.bias_grad[j], layer.bias_next[j], state)
    out.add("", "")
    if stopped:
        out.add("note", say("explain.update.stopped", out.lang))
    else:
        out.add("note", say("explain.update.next", out.lang, next=ex.epoch + 1))


def _parameter(out, u, name: str, w: float, g: float, w_next: float, state: dict[str, tuple[float, float]]) -> None:
    """One parameter's update, as its optimizer makes it."""
    if u.optimizer == "sgd":
        out.add("row", f"  {name}: {num(w)} {MINUS} {u.lr:g}·{paren(g)} = {num(w_next)}")
        return
    if u.optimizer == "momentum":
        v, v_next = state["momentum"]
        rule = (
            f"∂L/∂w = {num(v_next)}"
            if u.step == 1
            else f"{signed_terms([(1, f'{u.momentum:g}·{paren(v)}'), (g, num(g))])} = {num(v_next)}"
        )
        out.add("row", f"  {name}: v = {rule};  {num(w)} {MINUS} {u.lr:g}·{paren(v_next)} = {num(w_next)}")
        return
    (m, m_next), (v, v_next) = state["m"], state["v"]
    b1, b2 = u.betas
    m_hat, v_hat = m_next / u.bias_correction1, v_next / u.bias_correction2
    out.add(
        "row",
        f"  {name}: m = {signed_terms([(1, f'{b1:g}·{paren(m)}'), (g, f'{1 - b1:.1f}·{paren(g)}')])} = {num(m_next)};"
        f"  v = {b2:g}·{num(v)} + {1 - b2:.3f}·{paren(g)}² = {num(v_next)}",
    )
    pad = " " * (len(name) + 4)
    out.add(
        "row",
        f"{pad}m̂ = {num(m_hat)}  v̂ = {num(v_hat)};  {num(w)} {MINUS} {u.lr:g}·{paren(m_hat)}/(√{num(v_hat)} + ε)"
        f" = {num(w_next)}",
    )
