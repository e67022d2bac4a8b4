import json
from itertools import product

import pytest

from core.datasets import DATASETS, dataset
from core.errors import InputError


def test_the_notebook_truth_tables():
    assert dataset("and").X == [[0, 0], [0, 1], [1, 0], [1, 1]]
    assert [t for _, t in dataset("and").rows] == [0, 0, 0, 1]
    assert dataset("or").column == "0111"
    assert dataset("xor").y == [[0.0], [1.0], [1.0], [0.0]]
    assert dataset("nand").column == "1110" and dataset("nor").column == "1000" and dataset("xnor").column == "1001"


def test_all_sixteen_two_input_functions_by_name_and_by_column():
    columns = {format(i, "04b") for i in range(16)}
    two_input = [d for d in DATASETS.values() if len(d.inputs) == 2]
    assert {d.column for d in two_input} == columns
    for d in two_input:
        assert dataset(d.column) is d
        assert dataset(d.name.upper()) is d
        assert d.inputs == ("x1", "x2")


def test_three_input_parity_and_majority():
    parity, majority = dataset("parity3"), dataset("majority3")
    assert len(parity.rows) == 8 and parity.inputs == ("x1", "x2", "x3")
    assert parity.column == "01101001"
    assert majority.column == "00010111"


def test_only_xor_xnor_and_parity_need_a_hidden_layer():
    assert {d.name for d in DATASETS.values() if not d.linearly_separable} == {"xor", "xnor", "parity3"}


def test_one_neuron_can_learn_14_of_the_16_two_input_tables_and_104_of_the_256_three_input_ones():
    # The threshold functions of 2 and 3 inputs (Muroga): a single neuron draws one line or plane.
    two = [dataset("".join(bits)) for bits in product("01", repeat=4)]
    three = [dataset("".join(bits)) for bits in product("01", repeat=8)]
    assert sum(d.linearly_separable for d in two) == 14
    assert sum(d.linearly_separable for d in three) == 104


@pytest.mark.parametrize("bad", ["xyz", "01", "0120", ""])
def test_unknown_dataset_names_what_is_allowed(bad):
    with pytest.raises(ValueError, match="0110"):
        dataset(bad)


# --- tables of one's own ---------------------------------------------------------------------------


def test_an_8_bit_column_is_a_three_input_table_and_the_named_ones_keep_their_names():
    assert dataset("01101001") is dataset("parity3") and dataset("00010111") is dataset("majority3")
    own = dataset("00000001")  # three-input AND: no built-in has it
    assert own.inputs == ("x1", "x2", "x3") and own.column == "00000001" and own.key == "00000001"
    assert [x for x, _ in own.rows][1] == (0, 0, 1) and own.rows[-1] == ((1, 1, 1), 1)
    assert own.linearly_separable and not own.builtin


def test_a_named_table_of_ones_own_round_trips_through_its_key():
    mine = dataset("Mine=0110")
    assert mine.name == "mine" and mine.key == "mine=0110" and mine.column == "0110"
    assert mine.X == dataset("xor").X and mine.y == dataset("xor").y and not mine.builtin
    assert dataset(mine.key) == mine
    korean = dataset("분류=00010110")
    assert korean.key == "분류=00010110" and len(korean.rows) == 8 and dataset(korean.key) == korean
    assert dataset("xor").key == "xor" and dataset("0110").key == "xor"


def test_a_config_holds_the_key_stays_hashable_and_checks_it():
    from core.config import TrainConfig, parse

    config = TrainConfig(dataset="mine=00010110", hidden=(3,))
    assert config.dataset == "mine=00010110" and config.sizes == (3, 3, 1)
    assert hash(config) == hash(TrainConfig(dataset="MINE=00010110", hidden=(3,)))
    assert parse("dataset", " mine=0111 ") == "mine=0111" and parse("dataset", "0111") == "or"
    with pytest.raises(ValueError, match="8 bits"):
        TrainConfig(dataset="mine=011")


@pytest.mark.parametrize(
    "bad,problem",
    [
        ("mine=012", "dataset_column"),
        ("mine=011", "dataset_column"),
        ("mine=0110011", "dataset_column"),
        ("mine=", "dataset_column"),
        ("xor=0110", "dataset_name"),  # a built-in's name would name two tables
        ("123=0110", "dataset_name"),  # digits only would read as a column
        ("two words=0110", "dataset_name"),
        ("=0110", "dataset_name"),
        ("a" * 17 + "=0110", "dataset_name"),
        ("0110110", "dataset"),
    ],
)
def test_a_bad_table_of_ones_own_says_which_rule_in_both_languages(bad, problem):
    from core.errors import InputError

    with pytest.raises(InputError) as error:
        dataset(bad)
    assert error.value.problem == problem
    assert error.value.message("ko") != error.value.message("en")


def test_the_inputs_are_x1_and_x2_in_every_name_and_the_old_a_b_names_still_open():
    """Every screen names the inputs x₁ and x₂; the tables once named after inputs a and b
    ('a-and-not-b', 'b-implies-a') are named in x terms, and their old names (in session files
    saved before) open the same tables."""
    import re

    from core.datasets import OLD_NAMES, label
    from core.files.session_file import loads

    for name in DATASETS:
        assert not {"a", "b"} & set(re.split(r"[-_]", name)), name
    assert dataset("0010").name == "x1-and-not-x2" and dataset("1011").name == "x2-implies-x1"
    assert label("x1-and-not-x2") == "x₁ AND NOT x₂" and label("x2") == "x₂" and label("xor") == "XOR"
    for old, new in OLD_NAMES.items():
        assert dataset(old) is dataset(new) and dataset(old.upper()) is dataset(new)
    document = json.dumps({
        "format": "perceptron-lab session", "version": 1, "saved_by": "perceptron-lab 0.1.0", "lesson": None,
        "config": {"dataset": "a-and-not-b", "hidden": [], "activation": "sigmoid", "optimizer": "sgd",
                   "loss": "bce", "lr": 1.0, "seed": 0},
        "epochs": 10, "goal": 10, "last_epoch": 0, "view": None, "lr_changes": [], "record": None,
    })  # fmt: skip
    assert loads(document, "old.json").lesson.config.dataset == "x1-and-not-x2"
    with pytest.raises(InputError):
        dataset("b=0110")  # an old name is not free for a table of one's own: it names a built-in


def test_the_datasets_command_names_the_inputs_x1_and_x2(capsys):
    from tui.__main__ import main

    main(["datasets"])
    names = [line.split()[0] for line in capsys.readouterr().out.splitlines()[:18]]
    assert "x1-and-not-x2" in names and "not-x1" in names and "a" not in names and "b-implies-a" not in names


def test_a_refused_table_repeats_what_was_typed_and_says_the_longest_name():
    """The refusal quotes the learner's own column or name, and says the name may have up to 16 characters."""
    from core.errors import InputError

    with pytest.raises(InputError) as column:
        dataset("mine=012")
    assert str(column.value).endswith("not '012'")
    with pytest.raises(InputError) as name:
        dataset("Two Words=0110")
    assert "a name of 1 to 16 letters" in str(name.value) and str(name.value).endswith("not 'two words'")


def test_a_table_of_ones_own_may_be_named_with_one_character_or_with_sixteen():
    assert dataset("q=0110").key == "q=0110"
    assert dataset("7z=0110").name == "7z"  # a digit is fine as long as a letter is there too
    assert dataset("g" * 16 + "=0111").name == "g" * 16


def test_an_unknown_table_is_refused_quoting_what_was_typed_and_naming_every_table():
    from core.errors import InputError

    with pytest.raises(InputError) as unknown:
        dataset(" Xyzzy ")
    assert str(unknown.value).startswith("unknown dataset ' Xyzzy ': use a name (false, and, x1-and-not-x2, ")
    assert ", parity3, majority3)" in str(unknown.value)
    # Two '=': the name is what comes before the first one, so the rest is refused as a column.
    with pytest.raises(InputError) as two:
        dataset("mine=0=110")
    assert two.value.problem == "dataset_column" and str(two.value).endswith("not '0=110'")
