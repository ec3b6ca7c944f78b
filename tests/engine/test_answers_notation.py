"""Answers in another book's notation, answers that hand the work back, and an index outside its sum."""

from __future__ import annotations

import pytest

from engine.answers import Mistake, check, preview

HIDDEN = dict(indices={"k": 2}, definitions={"a_j": "sigmoid(net_j)"})
HIDDEN_VARS = ["net_j", "a_j", "w_jk", "delta_k"]
HIDDEN_REF = "sigmoid'(net_j)*sum_k(w_jk*delta_k)"


@pytest.mark.parametrize(("answer", "shown"), [("sigmoid'(-2.49)", "σ′"), ("σ′(0.3)", "σ′"),
                                               ("tanh'(0.5)*2", "tanh′"), ("1 - relu'(0.2)", "relu′")])
def test_a_number_answer_may_not_ask_the_tutor_for_a_derivative(answer, shown):
    v = check(answer, "0.0662", kind="number")
    assert not v.correct and v.error
    assert shown in v.feedback and "compute it from the numbers" in v.feedback
    assert v.feedback[0] == "H", "the message starts with a plain capital, never an upper-cased σ (Σ)"
    p = preview(answer, kind="number")
    assert p.ok and any(shown in w for w in p.warnings)


def test_its_value_does_not_matter_and_plain_functions_stay_allowed():
    # sigmoid'(0) is exactly 0.25: refused however right
    assert not check("sigmoid'(0)", "0.25", kind="number").correct
    assert check("sigmoid(0)*(1 - sigmoid(0))", "0.25", kind="number").correct
    assert check("1/(1 + exp(-0.3))", "0.574442516811659", kind="number").correct


def test_an_expression_answer_may_still_use_sigmoid_prime():
    assert check("w_jk*sigmoid'(net_j)", "w_jk*a_j*(1 - a_j)", ["w_jk", "net_j", "a_j"],
                 definitions={"a_j": "sigmoid(net_j)"}).correct


def test_bishop_h_prime_says_what_to_type():
    v = check("h'(net_j)*sum_k(w_jk*delta_k)", HIDDEN_REF, HIDDEN_VARS, **HIDDEN)
    assert not v.correct and v.error
    assert "Bishop" in v.feedback and "sigmoid'(…)" in v.feedback and "tanh'(…)" in v.feedback
    p = preview("h′(a_j)", HIDDEN_VARS, **HIDDEN)
    assert not p.ok and "general activation function" in p.error


def test_a_declared_h_keeps_the_plain_prime_message():
    v = check("h'", "exp(h)", ["h"])
    assert not v.correct and "Bishop" not in v.feedback and "only follows sigmoid" in v.feedback


ONE_ROAD = Mistake("one-path-only", "a_j*(1 - a_j)*w_j1*delta_1", "That follows only one of the roads.")


def test_an_index_outside_its_sum_is_one_road_named_by_the_catalogue():
    v = check("a_j*(1-a_j)*w_jk*delta_k", HIDDEN_REF, HIDDEN_VARS, mistakes=[ONE_ROAD], **HIDDEN)
    assert not v.correct and v.error is None
    assert v.mistake == "one-path-only" and v.feedback == ONE_ROAD.feedback
    assert any("outside any sum_k" in w for w in v.warnings)


def test_without_a_catalogue_entry_it_is_still_named_one_road():
    v = check("sigmoid'(net_j)*w_jk*delta_k", HIDDEN_REF, HIDDEN_VARS, **HIDDEN)
    assert not v.correct and v.error is None and v.mistake == "one-path-only"
    assert "roads add up" in v.feedback


def test_a_term_that_is_not_a_road_of_the_answer_is_wrong_but_readable():
    v = check("w_jk*delta_k", HIDDEN_REF, HIDDEN_VARS, **HIDDEN)  # σ′ left out as well
    assert not v.correct and v.error is None and v.mistake is None
    assert "single unit k" in v.feedback


def test_the_preview_reads_it_instead_of_refusing_it():
    p = preview("a_j*(1-a_j)*w_jk*delta_k", HIDDEN_VARS, **HIDDEN)
    assert p.ok and p.error is None and p.interpreted == "a_j·(1 − a_j)·w_jk·δ_k"
    assert any("one particular unit k" in w for w in p.warnings)
    assert not any("right" in w.lower() or "correct" in w.lower() for w in p.warnings)


def test_the_right_answer_and_an_index_used_both_ways_are_unchanged():
    assert check("a_j*(1-a_j)*sum_k(w_jk*delta_k)", HIDDEN_REF, HIDDEN_VARS, **HIDDEN).correct
    v = check("w_jk*sum_k(delta_k)", "sum_k(w_jk*delta_k)", ["w_jk", "delta_k"], indices={"k": 3})
    assert not v.correct and "k only has a meaning inside sum_k" in v.feedback
