"""Plateaus: where networks that lump rows together get stuck, named from the dataset and the loss."""

import math

import pytest

from core.config import TrainConfig
from core.sweep.plateaus import nearest_plateau, plateaus

XOR_221 = TrainConfig(dataset="xor", hidden=(2,))
LN2 = math.log(2)


def test_xor_plateaus_are_ln2_three_quarters_h_one_third_and_ln2_over_2():
    found = {p.label: p.value for p in plateaus(XOR_221)}
    three_rows = -(math.log(1 / 3) / 3 + 2 * math.log(2 / 3) / 3) * 3 / 4
    assert found == pytest.approx({"ln 2 / 2": LN2 / 2, "3/4 H(1/3)": three_rows, "ln 2": LN2})
    assert {p.label: p.value for p in plateaus(XOR_221.with_(loss="mse"))} == pytest.approx(
        {"1/8": 1 / 8, "1/6": 1 / 6, "1/4": 1 / 4}
    )
    ln2 = plateaus(XOR_221)[-1]
    assert ln2.description("en") == "every output 0.5" and ln2.description("ko") == "모든 출력 0.5"
    assert plateaus(XOR_221)[0].description("en") == "2 rows at 0.5, the rest right"


def test_a_loss_is_named_only_when_it_sits_near_a_plateau():
    known = plateaus(XOR_221)
    assert nearest_plateau(0.3471, known).label == "ln 2 / 2"
    assert nearest_plateau(0.6935, known).label == "ln 2"
    assert nearest_plateau(0.55, known) is None
    assert nearest_plateau(0.0004, known) is None
    assert nearest_plateau(math.nan, known) is None


def test_three_input_datasets_have_their_own_plateaus():
    found = {p.label: p.value for p in plateaus(TrainConfig(dataset="parity3", hidden=(4,)))}
    assert found["ln 2"] == pytest.approx(LN2) and found["ln 2 / 4"] == pytest.approx(LN2 / 4)
    assert all(0 < v <= LN2 + 1e-12 for v in found.values())


PARITY3 = TrainConfig(dataset="parity3", hidden=(4,))


def test_a_loss_is_named_within_a_third_of_the_gap_to_the_next_plateau_and_never_farther_than_0_03():
    known = plateaus(PARITY3)
    seven = next(p for p in known if p.label == "7/8 H(3/7)")  # 0.5975, 0.0036 above "ln 2 / 4 + 5/8 H(2/5)"
    gap = seven.value - next(p for p in known if p.label == "ln 2 / 4 + 5/8 H(2/5)").value
    assert nearest_plateau(seven.value + 0.9 * gap / 3, known) is seven
    assert nearest_plateau(seven.value + 1.1 * gap / 3, known) is None
    # XOR's ln 2 is 0.216 from the next plateau down: 0.03 is the most a loss may be from it.
    xor = plateaus(XOR_221)
    assert nearest_plateau(LN2 + 0.027, xor).label == "ln 2" and nearest_plateau(LN2 + 0.033, xor) is None
    alone = [xor[-1]]
    assert nearest_plateau(LN2 + 0.027, alone) is alone[0] and nearest_plateau(LN2 + 0.033, alone) is None
    assert nearest_plateau(0.5, []) is None


def test_a_plateau_says_which_rows_it_lumps_in_english_unless_asked_otherwise():
    known = {p.label: p for p in plateaus(PARITY3)}
    assert known["ln 2 / 4"].description() == "2 rows at 0.5, the rest right"
    assert known["ln 2 / 4"].description("ko") == "2개 행이 0.5, 나머지는 정답"
    # Every row lumped, in two groups: no row is left to be right.
    assert known["H(1/4)"].description() == "4 rows at 3/4, 4 rows at 1/4"
    assert known["H(1/4)"].description("ko") == "4개 행이 3/4, 4개 행이 1/4"
    assert known["ln 2"].description() == "every output 0.5"


def test_of_equal_plateaus_the_first_found_is_named_so_a_report_reads_the_same_every_time():
    known = {p.label: p for p in plateaus(PARITY3)}
    # Three rows holding two ones, or three holding one: the same loss; the sweep report says the first.
    assert known["3/8 H(1/3)"].description() == "3 rows at 2/3, the rest right"
    assert known["7/8 H(3/7)"].description() == "7 rows at 3/7, the rest right"
    assert known["ln 2 / 2"].description() == "4 rows at 0.5, the rest right"


def test_with_squared_error_xors_plateaus_are_one_eighth_one_sixth_one_quarter():
    # Two rows at 0.5: 2 · 0.25 / 4; three rows at 1/3: (2 · 1/9 + 4/9) / 4; all four at 0.5: 1/4.
    found = [(p.label, p.value) for p in plateaus(XOR_221.with_(loss="mse"))]
    assert found == [("1/8", pytest.approx(1 / 8)), ("1/6", pytest.approx(1 / 6)), ("1/4", pytest.approx(1 / 4))]


def test_half_the_rows_lumped_at_one_quarter_reads_one_half_h_one_quarter():
    # Four of parity3's eight rows holding one 1 (at 1/4) or three (at 3/4, the same loss, the one
    # named): half the rows, so 1/2 H(1/4).
    h = -(0.25 * math.log(0.25) + 0.75 * math.log(0.75))
    found = {p.label: p for p in plateaus(PARITY3)}
    assert found["1/2 H(1/4)"].value == pytest.approx(h / 2)
    assert found["1/2 H(1/4)"].description() == "4 rows at 3/4, the rest right"
