"""Answers built to slip past the checker: internal markers typed in, functions an exercise does not need,
formulas that differ from the reference only between fixed sample points, and a constant reference."""

from __future__ import annotations

import math
import time
import unicodedata

import pytest

from engine.answers import check, evaluate, preview
from engine.answers.probes import salt_seed
from engine.answers.tokens import SUP_CLOSE, SUP_OPEN
from lessons.loader import load_curriculum

HANG_GUARD = 5.0  # seconds: only a guard against a hang; speed is measured in benchmarks/
SIGMA_PRIME = "sigmoid(x)*(1-sigmoid(x))"


def _sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x))


def _dsigmoid(x: float) -> float:  # σ′ = σ(1 − σ), written out independently of the checker
    return _sigmoid(x) * (1 - _sigmoid(x))


def _timed_check(*args, **kwargs):
    start = time.perf_counter()
    verdict = check(*args, **kwargs)
    assert time.perf_counter() - start < HANG_GUARD
    return verdict


# -- 11. control characters and the tokenizer's markers ------------------------------------------------


def test_the_superscript_markers_typed_in_are_refused_not_read_as_a_square():
    # a_j − a_j\x012\x02 used to read as a_j − a_j², which is right for a_j(1 − a_j)
    v = check("a_j-a_j\x012\x02", "a_j*(1-a_j)", ["a_j"])
    assert not v.correct and v.error and "U+0001" in v.feedback
    assert check("a_j-a_j²", "a_j*(1-a_j)", ["a_j"]).correct  # the real superscript still works


@pytest.mark.parametrize("code", [*range(0, 32), 127, *range(0x80, 0xA0), 0x200B, 0x200D, 0x202E, 0x2066, 0xFEFF])
def test_every_control_and_invisible_character_is_refused_before_reading(code):
    text = f"a_j{chr(code)}*(1-a_j)"
    assert unicodedata.category(chr(code)) in ("Cc", "Cf")
    v = check(text, "a_j*(1-a_j)", ["a_j"])
    assert not v.correct and v.error and f"U+{code:04X}" in v.feedback
    p = preview(text, ["a_j"])
    assert not p.ok and f"U+{code:04X}" in p.error


def test_the_markers_cannot_be_typed_as_text_either():
    assert len(SUP_OPEN) > 1 and len(SUP_CLOSE) > 1  # no single character equals one
    v = check(f"a_j-a_j{SUP_OPEN}2{SUP_CLOSE}", "a_j*(1-a_j)", ["a_j"])
    assert not v.correct and v.error


@pytest.mark.parametrize("text", ["а_j*(1-a_j)", "a_j*(1-ο)", "a_j*(1−a_j)\u2063", "a\u200c_j"])
def test_lookalike_letters_and_invisible_joiners_are_refused(text):
    v = check(text, "a_j*(1-a_j)", ["a_j"])
    assert not v.correct and v.error


# -- 12. formulas that differ from the reference between the sample points ---------------------------------


def _sigma_form_exercise():
    from engine.exercises import realize

    cur = load_curriculum(skip_broken=True)
    step = next((s for lesson in cur.lessons for s in lesson.exercise_steps if s.id == "sigma-form"), None)
    if step is None:
        pytest.fail("the sigma-form exercise is missing from the lessons")
    return realize(step.exercise, 1)


# Each crafted answer, and a point of the sigma-form domain [−4, 4] where it differs from σ′ by the amount
# worked out by hand on the right (so the test fails if a "crafted" answer were in fact equal).
CRAFTED = [
    # 50·relu(x − 3.964021): at x = 3.99, 50 · 0.025979 = 1.299
    ("sigmoid(x)*(1-sigmoid(x)) + 50*relu(x-3.964021)", 3.99, 50 * (3.99 - 3.964021)),
    # a step from relu′: 1 for x > 3.97
    ("sigmoid(x)*(1-sigmoid(x)) + relu'(x-3.97)", 3.98, 1.0),
    # a step of height 1 between the 2% and 98% points: relu′(x − 1.3) · relu′(1.31 − x)
    ("sigmoid(x)*(1-sigmoid(x)) + relu'(x-1.3)*relu'(1.31-x)", 1.305, 1.0),
    # |u| + u = 2·relu(u) built from sqrt: 2 · (3.99 − 3.96) = 0.06
    ("sigmoid(x)*(1-sigmoid(x)) + sqrt((x-3.96)^2) + (x-3.96)", 3.99, 2 * (3.99 - 3.96)),
    # a bump of height 1 at x = 1.2345, width 1e-6
    ("sigmoid(x)*(1-sigmoid(x)) + 1/(1+10^12*(x-1.2345)^2)", 1.2345, 1.0),
    ("sigmoid(x)*(1-sigmoid(x)) + exp(-10^8*(x-0.77)^2)", 0.77, 1.0),
    # a smooth step so steep that it is a step: σ(10^9 (x − 3.99)) is 1/2 at 3.99
    ("sigmoid(x)*(1-sigmoid(x)) + sigmoid(10^9*(x-3.99))", 3.99, 0.5),
    ("sigmoid(x)*(1-sigmoid(x)) + (tanh(10^7*(x+2.5))+1)/2", -2.5, 0.5),
    # the bump written with its square expanded: 1/(1 + 10^6((x − 1.2345)² + 10^−12)) is ~1 at 1.2345
    ("sigmoid(x)*(1-sigmoid(x)) + 1/(1+10^6*(x^2-2.469*x+1.52399025+10^-12))", 1.2345, 1 / (1 + 1e6 * 1e-12)),
    # a spike at a pole: 10^−9/(x − 0.3) is 10^−3 at x = 0.300001
    ("sigmoid(x)*(1-sigmoid(x)) + 10^-9/(x-0.3)", 0.300001, 1e-9 / 1e-6),
    # a narrow tooth from powers only: (1 − (x − 2)²)^4096 is 1 at x = 2
    ("sigmoid(x)*(1-sigmoid(x)) + ((1-(x-2)^2)^64)^64", 2.0, 1.0),
    # a small step near the low end of the domain, below the 2% point
    ("sigmoid(x)*(1-sigmoid(x)) + 0.001*relu'(-3.9-x)", -3.95, 0.001),
]


@pytest.mark.parametrize("answer,x,difference", CRAFTED, ids=[c[0][27:] for c in CRAFTED])
def test_crafted_answers_are_not_accepted_on_the_sigma_form_exercise(answer, x, difference):
    got = evaluate(answer, {"x": x})
    assert got - _dsigmoid(x) == pytest.approx(difference, rel=1e-3, abs=1e-12)  # it really is different
    ex = _sigma_form_exercise()
    start = time.perf_counter()
    v = ex.grade(answer)
    assert time.perf_counter() - start < HANG_GUARD
    assert not v.correct, answer
    if "relu" in answer:
        assert v.error and "relu" in v.feedback  # refused by name: the exercise does not need relu


@pytest.mark.parametrize("answer,x,difference", CRAFTED, ids=[c[0][27:] for c in CRAFTED])
def test_crafted_answers_are_caught_between_the_points_even_where_relu_is_allowed(answer, x, difference):
    # the same formulas against a reference that itself uses relu, so no function is refused
    reference = SIGMA_PRIME + " + 0*relu(x) + 0*relu'(x)"
    v = _timed_check(answer, reference, ["x"], domain={"x": (-4.0, 4.0)})
    assert not v.correct and not v.error, (answer, v.feedback)


def test_functions_the_exercise_does_not_need_are_named_and_others_listed():
    v = check("relu(x) + sigmoid(x)*(1-sigmoid(x)) - relu(x)", SIGMA_PRIME, ["x"])
    assert not v.correct and v.error and "relu" in v.feedback and "σ" in v.feedback
    assert check("relu(x)", "relu(x)", ["x"]).correct  # where the reference uses it, it is allowed
    assert check("relu(x)/x", "relu'(x)", ["x"]).correct  # relu comes with relu′
    assert not check("relu'(x)", "relu(x)/x", ["x"]).correct  # but relu′, a step, not with relu
    assert check("relu(x)", SIGMA_PRIME, ["x"], accept=["relu(x)"]).error is None  # an accepted form's


def test_right_answers_in_other_forms_are_still_accepted():
    for answer in ("σ(x)(1−σ(x))", "sigmoid(x)-sigmoid(x)^2", "exp(-x)/(1+exp(-x))^2", "(1-sigmoid(x))*sigmoid(x)",
                   "1/(2+exp(x)+exp(-x))", "(1 - tanh(x/2)^2)/4", "sigmoid'(x)", "sqrt(sigmoid(x)^2)*(1-sigmoid(x))"):
        assert _timed_check(answer, SIGMA_PRIME, ["x"], domain={"x": (-4.0, 4.0)}).correct, answer


def test_the_extra_points_depend_on_the_answer_and_repeat_for_the_same_answer():
    assert salt_seed("a_j*(1-a_j)") != salt_seed("a_j*(1 - a_j)")
    assert salt_seed("a_j*(1-a_j)") == salt_seed("a_j*(1-a_j)")
    answer = "sigmoid(x)*(1-sigmoid(x)) + 10^-3*relu'(x-3.99)*relu'(3.999-x)"
    verdicts = {check(answer, SIGMA_PRIME + " + 0*relu'(x)", ["x"], domain={"x": (-4, 4)}).feedback for _ in range(3)}
    assert len(verdicts) == 1


def test_a_relu_kink_inside_the_domain_of_a_relu_exercise_is_found():
    # relu(x) + relu(x − 1.7)·10^−4 differs from relu(x) only for x > 1.7, where no simple point lies
    v = check("relu(x) + 10^-4*relu(x-1.7)", "relu(x)", ["x"], domain={"x": (-2.0, 2.0)})
    assert not v.correct
    assert evaluate("relu(x) + 10^-4*relu(x-1.7)", {"x": 1.9}) - 1.9 == pytest.approx(2e-5)


def test_a_feature_in_two_variables_at_once_is_found():
    # a bump around (a, t) = (0.3, 0.6): agrees with a − t wherever either is away from its spot
    answer = "a - t + exp(-10^6*((a-0.3)^2 + (t-0.6)^2))"
    assert evaluate(answer, {"a": 0.3, "t": 0.6}) - (0.3 - 0.6) == pytest.approx(1.0)
    assert not check(answer, "a - t", ["a", "t"]).correct


def test_a_feature_inside_a_sum_is_found():
    answer = "sum_k(w_jk*delta_k) + sum_k(relu'(w_jk-1.93))"
    v = check(answer, "sum_k(w_jk*delta_k + 0*relu'(w_jk))", ["w_jk", "delta_k"], indices={"k": 3})
    assert not v.correct
    at = {"w_jk": [1.95, 0.1, 0.2], "delta_k": [0.1, 0.1, 0.1]}  # w_j1 past 1.93: the step adds 1
    assert evaluate(answer, at) - evaluate("sum_k(w_jk*delta_k)", at) == pytest.approx(1.0)


# -- 13. a constant reference with declared variables ---------------------------------------------------------


def test_a_constant_reference_with_declared_variables_is_a_formula_exercise():
    v = check("x", "exp(1)", ["x"])
    assert not v.correct and v.error is None and "number" not in v.feedback  # wrong, not "refused as a number"
    assert check("e", "exp(1)", ["x"]).correct and check("exp(1)", "exp(1)", ["x"]).correct
    assert check("x/x*e", "exp(1)", ["x"]).correct  # a formula in x that is the constant e
    assert check("2.71828", "exp(1)").correct  # nothing declared: a number, with a number's tolerance
    assert check("x*0 + 0.5", "0.5", ["x"], kind="number").error  # the kind can still be given


# -- the rest of the red team's list ------------------------------------------------------------------------


@pytest.mark.parametrize("answer", [
    "x^(10^400)", "x^1e400", "1e400*x", "x^(2^2^2^2^2)", "exp(exp(exp(exp(exp(x)))))", "10^-400*x",
    "sum_k(" * 3 + "w_jk" + ")" * 3, "ｘ" * 150, "x" + "\u0301" * 200,
])
def test_enormous_numbers_nesting_and_combining_marks_get_a_verdict(answer):
    v = _timed_check(answer, "x", ["x", "w_jk"], indices={"k": 10})
    assert not v.correct and v.feedback


def test_a_sum_over_a_huge_index_is_a_bad_exercise_not_a_hang():
    v = _timed_check("sum_k(w_jk)", "sum_k(w_jk)", ["w_jk"], indices={"k": 10**9})
    assert not v.correct and v.error
