import pytest

from core.datasets import DATASETS, dataset


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


@pytest.mark.parametrize("bad", ["xyz", "01", "0120", ""])
def test_unknown_dataset_names_what_is_allowed(bad):
    with pytest.raises(ValueError, match="0110"):
        dataset(bad)
