"""Tables of equivalent and non-equivalent answers, judged by check() and equivalent()."""

import pytest

from engine.answers import Tolerance, check, equivalent

SIGMOID_PRIME_FORMS = [
    "sigmoid(x)*(1-sigmoid(x))",
    "σ(x)(1−σ(x))",
    "sigmoid(x) - sigmoid(x)^2",
    "sigmoid(x) - sigmoid(x)**2",
    "σ(x) − σ(x)²",
    "exp(-x)/(1+exp(-x))^2",
    "e^(-x)/(1+e^(-x))^2",
    "e⁻ˣ/(1+e⁻ˣ)²",
    "1/(exp(x)+2+exp(-x))",
    "1/(e^x + 2 + e^-x)",
    "sigmoid'(x)",
    "σ'(x)",
    "σ′(x)",
    "sigmoid(x)*sigmoid(-x)",
    "exp(x)/(1+exp(x))^2",
    "1/(4*cosh_x)".replace("cosh_x", "((exp(x/2)+exp(-x/2))/2)^2"),
]


@pytest.mark.parametrize("answer", SIGMOID_PRIME_FORMS)
def test_forms_of_the_sigmoid_derivative_are_accepted(answer):
    verdict = check(answer, "sigmoid(x)*(1-sigmoid(x))", ["x"])
    assert verdict.correct, (answer, verdict)
    assert verdict.feedback


A_FORMS = ["a*(1-a)", "a - a^2", "a(1-a)", "a-a**2", "(1-a)*a", "a·(1−a)", "-(a^2 - a)", "a*1 - a*a",
           "(1 - a)(a)", "a/(1/(1-a))", "a - a²"]


@pytest.mark.parametrize("answer", A_FORMS)
def test_forms_of_a_one_minus_a_are_accepted(answer):
    assert check(answer, "a*(1-a)", ["a"]).correct, answer


CLOSE_BUT_WRONG = [
    ("a*(1+a)", "a*(1-a)", ["a"]),
    ("a*(1-a)^2", "a*(1-a)", ["a"]),
    ("(1-a)", "a*(1-a)", ["a"]),
    ("a^2*(1-a)", "a*(1-a)", ["a"]),
    ("sigmoid(x)", "sigmoid(x)*(1-sigmoid(x))", ["x"]),
    ("exp(-x)/(1+exp(-x))", "sigmoid(x)*(1-sigmoid(x))", ["x"]),
    ("-exp(-x)/(1+exp(-x))^2", "sigmoid(x)*(1-sigmoid(x))", ["x"]),
    ("sigmoid(x)*(1-sigmoid(x)) + 0.01", "sigmoid(x)*(1-sigmoid(x))", ["x"]),
    ("tanh(x)", "2*sigmoid(x)-1", ["x"]),
    ("1 - tanh(x)", "1 - tanh(x)^2", ["x"]),
    ("(t_k - a_k)", "-(t_k - a_k)", ["t_k", "a_k"]),
    ("a_j", "a_k", ["a_j", "a_k"]),
    ("x^3", "x^2", ["x"]),  # equal at the simple point 1 and at 0: random points must tell them apart
]


@pytest.mark.parametrize("answer, expected, variables", CLOSE_BUT_WRONG)
def test_close_but_wrong_answers_are_rejected(answer, expected, variables):
    verdict = check(answer, expected, variables)
    assert not verdict.correct, (answer, verdict)
    assert verdict.feedback


def test_tanh_equals_two_sigmoid_of_two_x_minus_one():
    # tanh x = (1 - e^-2x)/(1 + e^-2x) = 2/(1 + e^-2x) - 1 = 2σ(2x) - 1
    assert check("tanh(x)", "2σ(2x)−1", ["x"]).correct
    assert equivalent("2*sigmoid(2*x)-1", "tanh(x)", ["x"])
    assert equivalent("tanh'(x)", "1 - tanh(x)^2", ["x"])
    assert equivalent("relu'(x)*x", "relu(x)", ["x"])


def test_definitions_make_a_and_sigmoid_of_net_interchangeable():
    defs = {"a_j": "sigmoid(net_j)"}
    variables = ["a_j", "net_j"]
    for answer in ["sigmoid(net_j)*(1-sigmoid(net_j))", "a_j*(1-a_j)", "a_j - a_j^2", "σ'(net_j)",
                   "a_j*(1 - sigmoid(net_j))"]:
        assert check(answer, "a_j*(1-a_j)", variables, definitions=defs).correct, answer
    assert not check("a_j", "a_j*(1-a_j)", variables, definitions=defs).correct
    assert not check("sigmoid(a_j)*(1-sigmoid(a_j))", "a_j*(1-a_j)", variables, definitions=defs).correct


SUM_FORMS = ["sum_k(w_jk*delta_k)", "Σ_k w_jk δ_k", "Σ_k(w_jk·δ_k)", "sum_k(delta_k*w_jk)",
             "Σ_k w_jk*δ_k", "sum_k(w_jk*delta_k) + 0*a_j", "2*sum_k(w_jk*delta_k/2)",
             "sum_{k}(w_{jk} delta_k)"]


@pytest.mark.parametrize("answer", SUM_FORMS)
def test_sums_over_an_index(answer):
    v = check(answer, "sum_k(w_jk*delta_k)", ["w_jk", "delta_k", "a_j"], indices={"k": 3})
    assert v.correct, (answer, v)


def test_hidden_delta_with_sum_and_sigmoid_prime():
    variables = ["w_jk", "delta_k", "a_j", "net_j"]
    kw = dict(indices={"k": 2}, definitions={"a_j": "sigmoid(net_j)"})
    ref = "sigmoid'(net_j)*sum_k(w_jk*delta_k)"
    for answer in ["a_j*(1-a_j)*Σ_k w_jk δ_k", "Σ_k w_jk δ_k σ'(net_j)", "σ′(net_j) Σ_k(w_jk δ_k)",
                   "sum_k(w_jk*delta_k*a_j*(1-a_j))"]:
        assert check(answer, ref, variables, **kw).correct, answer
    # one term of the sum only, and σ instead of σ′
    assert not check("a_j*(1-a_j)*w_jk*delta_k".replace("w_jk*delta_k", "sum_k(w_jk)*sum_k(delta_k)"),
                     ref, variables, **kw).correct
    assert not check("sigmoid(net_j)*sum_k(w_jk*delta_k)", ref, variables, **kw).correct


def test_family_symbol_outside_its_sum_is_refused_with_a_message():
    v = check("w_jk*sum_k(delta_k)", "sum_k(w_jk*delta_k)", ["w_jk", "delta_k"], indices={"k": 3})
    assert not v.correct
    assert "k only has a meaning inside sum_k" in v.feedback
    assert not equivalent_safe("sum_k(w_jk)*sum_k(delta_k)", "sum_k(w_jk*delta_k)", indices={"k": 3})


def equivalent_safe(a, b, **kw):
    return equivalent(a, b, ["w_jk", "delta_k"], **kw)


def test_sum_of_independent_values_per_index():
    # with one value per k the sum of products differs from the product of sums
    assert not equivalent_safe("sum_k(w_jk)*sum_k(delta_k)", "sum_k(w_jk*delta_k)", indices={"k": 2})
    # with a single unit the two agree: a check that the family values really are per index
    assert equivalent_safe("sum_k(w_jk)*sum_k(delta_k)", "sum_k(w_jk*delta_k)", indices={"k": 1})


def test_points_where_the_reference_is_undefined_are_skipped():
    # log(x) is undefined for x <= 0, half of the default domain; its equal forms still agree
    assert check("2*log(sqrt(x))", "log(x)", ["x"]).correct
    assert check("ln(x)", "log(x)", ["x"]).correct


def test_answer_undefined_where_reference_is_defined_is_wrong():
    # log(x^2) = 2 log|x| is defined for negative x; 2 log(x) is not
    v = check("2*log(x)", "log(x^2)", ["x"])
    assert not v.correct
    assert "undefined" in v.feedback


def test_tolerance_scales_with_the_size_of_terms():
    # t - a where the terms are near 1 and the difference tiny: tolerance follows the terms
    tol = Tolerance(rel=1e-3)
    assert check("0.9990 - 0.9985", "0.99897 - 0.99853", tolerance=tol).correct
    # but a constant far from the reference is not saved by the learner's own large terms
    assert not check("0.3 + 1000 - 1000", "0.0005", tolerance=tol).correct


def test_domain_can_be_narrowed_by_the_exercise():
    # sqrt(x^2) equals x only for x > 0
    assert check("sqrt(x^2)", "x", ["x"], domain={"x": (0.1, 3)}).correct
    assert not check("sqrt(x^2)", "x", ["x"]).correct


def test_expression_answer_with_a_constant_is_told_it_should_depend_on_symbols():
    v = check("0.25", "a*(1-a)", ["a"])
    assert not v.correct and "constant" in v.feedback


def test_declared_names_may_be_written_in_unicode_and_sizes_as_numpy_ints():
    import numpy as np

    assert check("δ_k*a_j", "delta_k*a_j", ["δ_k", "a_j"]).correct
    assert check("delta_k*a_j", "δ_k a_j", ["δ_k", "a_j"], domain={"δ_k": (1, 2)}).correct
    v = check("sum_k(w_jk*delta_k)", "Σ_k w_jk δ_k", ["w_jk", "δ_k"], indices={"k": np.int64(3)})
    assert v.correct
    assert check("a*(1-a)", "a - a^2", ["a"], tolerance=1e-3).correct
