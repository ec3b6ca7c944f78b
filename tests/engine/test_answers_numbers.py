"""Number answers: arithmetic, tolerance, 4-significant-figure display, format_number."""

import math

import pytest

from engine.answers import Tolerance, check, format_number

# Mazur's worked example (2-2-2 network): out_h1, δ_o1 = ∂E/∂net_o1, ∂E/∂w5 = δ_o1·out_h1
A_H1 = 0.593269992
DELTA_O1 = 0.138498562
DE_DW5 = 0.082167041


def test_full_precision_and_displayed_numbers_are_both_accepted():
    expected = repr(DELTA_O1 * A_H1)
    assert math.isclose(DELTA_O1 * A_H1, DE_DW5, rel_tol=1e-8)
    for answer in ["0.082167041", "0.08217", "0.1385*0.5933", "0.1385 × 0.5933", "0.1385·0.5933",
                   "8.217e-2", "0.138498562*0.593269992"]:
        assert check(answer, expected).correct, answer


def test_arithmetic_answers():
    assert check("1/4", "0.25").correct
    assert check("(1 - 0.5)^2/2", "0.125").correct
    assert check("2*3 - 4/2", "4").correct
    assert check("σ(0)", "0.5").correct
    assert check("exp(0)+e^0", "2").correct


def test_outside_tolerance_is_wrong_and_close_ones_are_told_so():
    v = check("0.0820", repr(DE_DW5))  # 0.2% off: rounded too early
    assert not v.correct and "Close" in v.feedback
    assert not check("0.0900", repr(DE_DW5)).correct
    assert check("0.0820", repr(DE_DW5), tolerance=Tolerance(rel=5e-3)).correct


def test_absolute_tolerance_for_answers_near_zero():
    assert check("0", "1e-12").correct
    assert not check("0", "1e-3").correct
    assert check("0", "1e-3", tolerance=Tolerance(rel=1e-3, abs=1e-2)).correct


def test_a_symbol_in_a_number_answer_is_a_friendly_error():
    v = check("a_j*0.5", "0.25", ["a_j"], kind="number")
    assert not v.correct
    assert v.error and "number" in v.feedback and "a_j" in v.feedback


def test_kind_is_inferred_from_the_reference():
    assert check("1/2", "0.5").correct  # a number
    assert not check("0.5", "x", ["x"]).correct  # an expression: a constant is not x
    assert check("0.5", "x", ["x"], kind="expression").interpreted == "0.5"


def test_sign_and_factor_hints_for_numbers():
    assert "sign" in check("-0.08217", repr(DE_DW5)).feedback
    assert "factor of 2" in check("0.1643", repr(DE_DW5)).feedback
    assert "decimal point" in check("0.8217", repr(DE_DW5)).feedback


@pytest.mark.parametrize("x, text", [
    (0.138498562, "0.1385"), (-2e-05, "-2.000e-05"), (2.0, "2.000"), (1234.0, "1234"),
    (0.5932699, "0.5933"), (12345.6, "1.235e+04"), (0.0, "0"), (-0.25, "-0.2500"),
])
def test_format_number(x, text):
    assert format_number(x) == text


def test_format_number_round_trips_within_half_a_unit_in_the_last_place():
    for x in (0.0123456, 1.98765, -345.678, 7.0e-7):
        assert abs(float(format_number(x)) - x) <= 0.5e-3 * abs(x)


def test_a_float_reference_and_a_broken_catalogue_entry_do_not_stop_grading():
    from engine.answers import Mistake

    mistakes = [Mistake("broken", "((", "never matched"), {"id": "not-a-mistake"},
                Mistake("sign", "-0.25", "Check the sign.")]
    assert check("1/4", 0.25, mistakes=mistakes).correct
    assert check("-1/4", 0.25, mistakes=mistakes).mistake == "sign"
