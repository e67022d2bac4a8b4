"""The settings a learner may choose, at their limits: what is taken, what is refused, and the
sentence that says why (the command line, the experiment form and session files show it)."""

import math

import pytest

from core.config import (
    ADAM_DEFAULT_LR,
    MAX_EPOCHS,
    MAX_LAYERS,
    MAX_SEED,
    MAX_WIDTH,
    TrainConfig,
    check_choice,
    check_hidden,
    check_lr,
    check_whole,
    parse,
)
from core.errors import InputError

HIDDEN_RULE = (
    "hidden layer widths must be whole numbers from 1 to 1024 separated by commas, at most 8 layers"
    " (e.g. 64,32,16; '' for none), not {!r}"
)


def refusal(call) -> str:
    with pytest.raises(InputError) as caught:
        call()
    return str(caught.value)


def test_the_defaults_are_the_notebooks_first_run():
    config = TrainConfig()
    assert (config.dataset, config.hidden, config.activation, config.optimizer, config.loss) == (
        "and",
        (),
        "sigmoid",
        "sgd",
        "bce",
    )
    assert config.lr == 1.0 and config.seed == 0 and config.sizes == (2, 1)
    assert TrainConfig(dataset="parity3", hidden=(4, 3)).sizes == (3, 4, 3, 1)
    assert ADAM_DEFAULT_LR == 0.01


@pytest.mark.parametrize("hidden", [(1,), (MAX_WIDTH,), (2,) * MAX_LAYERS, ()])
def test_hidden_widths_from_1_to_1024_and_up_to_8_layers_are_taken(hidden):
    assert TrainConfig(hidden=hidden).hidden == hidden
    assert check_hidden(list(hidden)) == hidden
    # Widths given as a list (a session file's JSON, a form) make the same network, one that can be a dict key.
    assert TrainConfig(hidden=list(hidden)) == TrainConfig(hidden=hidden)
    assert hash(TrainConfig(hidden=list(hidden))) == hash(TrainConfig(hidden=hidden))


@pytest.mark.parametrize("hidden", [(0,), (MAX_WIDTH + 1,), (2,) * (MAX_LAYERS + 1), (True,), (2.0,), (-3,)])
def test_other_hidden_widths_are_refused_saying_the_rule(hidden):
    typed = ",".join(map(str, hidden))
    assert refusal(lambda: TrainConfig(hidden=hidden)) == HIDDEN_RULE.format(typed)


def test_a_seed_is_a_whole_number_from_0_to_2_to_the_63_minus_1():
    assert TrainConfig(seed=0).seed == 0 and TrainConfig(seed=MAX_SEED).seed == MAX_SEED
    rule = "seed must be a whole number from 0 to 9,223,372,036,854,775,807, not {}"
    assert refusal(lambda: TrainConfig(seed=-1)) == rule.format(-1)
    assert refusal(lambda: TrainConfig(seed=MAX_SEED + 1)) == rule.format(MAX_SEED + 1)
    assert refusal(lambda: TrainConfig(seed=True)) == rule.format(True)
    assert refusal(lambda: TrainConfig(seed=1.0)) == rule.format(1.0)
    assert check_whole("epochs", 1, 1, 3) == 1 and check_whole("epochs", 3, 1, 3) == 3


def test_a_learning_rate_is_a_finite_number_above_0():
    assert check_lr(1) == 1.0 and isinstance(check_lr(1), float) and check_lr(1e-300) == 1e-300
    for bad in (0, -0.5, math.inf, math.nan, True, "1"):
        assert refusal(lambda bad=bad: check_lr(bad)) == f"the learning rate must be a number > 0, not {bad!r}"
    assert refusal(lambda: TrainConfig(lr=0.0)) == "the learning rate must be a number > 0, not 0.0"


@pytest.mark.parametrize(
    ("field", "allowed"),
    [("activation", "sigmoid, tanh, relu"), ("optimizer", "sgd, momentum, adam"), ("loss", "bce, mse")],
)
def test_a_choice_outside_the_list_names_the_list(field, allowed):
    assert refusal(lambda: TrainConfig(**{field: "x"})) == f"unknown {field} 'x': choose from {allowed}"
    first = allowed.split(", ")[0]
    assert check_choice(field, first, tuple(allowed.split(", "))) == first


def test_with_changes_only_what_it_is_given_and_checks_it_again():
    config = TrainConfig(dataset="xor", hidden=(2,), seed=5)
    changed = config.with_(lr=0.5)
    assert changed == TrainConfig(dataset="xor", hidden=(2,), seed=5, lr=0.5)
    assert refusal(lambda: config.with_(lr=-1)) == "the learning rate must be a number > 0, not -1"


def test_what_a_learner_types_is_read_generously():
    assert parse("hidden", " 64, 32 ,16 ") == (64, 32, 16)
    assert parse("hidden", "") == parse("hidden", "None") == parse("hidden", " - ") == ()
    assert parse("activation", " TANH ") == "tanh"
    assert parse("optimizer", "Adam") == "adam"
    assert parse("loss", "mse") == "mse"
    assert parse("lr", " 0.25 ") == 0.25
    assert parse("seed", "1_000") == 1000 and parse("seed", "2,000") == 2000 and parse("seed", " 7 ") == 7
    # Underscores and commas are dropped wherever they are, even where Python's own int() refuses them.
    assert parse("seed", "1__000") == 1000 and parse("epochs", "500_") == 500 and parse("seed", "_3") == 3
    assert parse("epochs", "1") == 1 and parse("epochs", "10,000,000") == MAX_EPOCHS
    assert parse("dataset", "XOR") == "xor" and parse("dataset", "0110") == "xor"


def test_what_a_learner_typed_is_what_the_refusal_repeats():
    assert refusal(lambda: parse("epochs", "0")) == "epochs must be a whole number from 1 to 10,000,000, not '0'"
    assert refusal(lambda: parse("epochs", "10000001")) == (
        "epochs must be a whole number from 1 to 10,000,000, not '10000001'"
    )
    assert refusal(lambda: parse("seed", "1.5")) == (
        "seed must be a whole number from 0 to 9,223,372,036,854,775,807, not '1.5'"
    )
    assert refusal(lambda: parse("seed", "-1")) == (
        "seed must be a whole number from 0 to 9,223,372,036,854,775,807, not '-1'"
    )
    assert refusal(lambda: parse("hidden", "4,a")) == HIDDEN_RULE.format("4,a")
    assert refusal(lambda: parse("hidden", "4,-2")) == HIDDEN_RULE.format("4,-2")
    assert refusal(lambda: parse("hidden", "0")) == HIDDEN_RULE.format("0")
    assert refusal(lambda: parse("lr", "fast")) == "the learning rate must be a number > 0, not 'fast'"
    assert refusal(lambda: parse("lr", "-1")) == "the learning rate must be a number > 0, not '-1'"
    assert refusal(lambda: parse("loss", "l1")) == "unknown loss 'l1': choose from bce, mse"
    with pytest.raises(KeyError, match="no such setting: 'speed'"):
        parse("speed", "1")


def test_a_refusal_is_said_in_korean_too():
    with pytest.raises(InputError) as caught:
        parse("epochs", "0")
    assert caught.value.message("ko") == "epochs은(는) 1부터 10,000,000까지의 정수여야 합니다. '0'은(는) 안 됩니다"
