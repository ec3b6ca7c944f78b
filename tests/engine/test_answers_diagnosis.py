"""Every kind of catalogued mistake is recognised by name; feedback never gives the answer away."""

import pytest

from engine.answers import Mistake, check

# δ_k of a sigmoid output unit with E = ½Σ(t − a)²: ∂E/∂a_k = −(t_k − a_k), ∂a_k/∂net_k = a_k(1 − a_k)
OUTPUT_DELTA = dict(
    expected="-(t_k - a_k)*a_k*(1 - a_k)",
    variables=["t_k", "a_k", "net_k"],
    definitions={"a_k": "sigmoid(net_k)"},
    mistakes=[
        Mistake("sign", "(t_k - a_k)*a_k*(1 - a_k)", "Check the sign of ∂E/∂a_k."),
        Mistake("no-sigma-prime", "-(t_k - a_k)", "You stopped at ∂E/∂a_k: one more factor of the chain."),
        Mistake("sigma-not-prime", "-(t_k - a_k)*sigmoid(net_k)", "σ appears where its derivative belongs."),
        Mistake("net-for-a", "-(t_k - net_k)*a_k*(1 - a_k)", "The error compares the target with the output a_k."),
    ],
)


@pytest.mark.parametrize("answer, mistake", [
    ("(t_k - a_k)*a_k*(1 - a_k)", "sign"),
    ("(t_k - a_k)σ'(net_k)", "sign"),
    ("a_k - t_k", "no-sigma-prime"),
    ("(a_k - t_k)*a_k", "sigma-not-prime"),
    ("(a_k - t_k)*σ(net_k)", "sigma-not-prime"),
    ("(net_k - t_k)*a_k*(1-a_k)", "net-for-a"),
])
def test_output_delta_mistakes(answer, mistake):
    v = check(answer, **OUTPUT_DELTA)
    assert not v.correct
    assert v.mistake == mistake
    assert v.feedback == next(m.feedback for m in OUTPUT_DELTA["mistakes"] if m.id == mistake)


def test_right_answer_is_correct_even_with_a_catalogue():
    for answer in ["(a_k - t_k)*a_k*(1-a_k)", "(a_k - t_k)σ'(net_k)", "-(t_k-a_k)σ(net_k)(1-σ(net_k))"]:
        v = check(answer, **OUTPUT_DELTA)
        assert v.correct and v.mistake is None, answer


# a 2-2-2 network, units h1 h2 (hidden), o1 o2 (output); w_h1o2 is the weight from h1 to o2
HIDDEN = dict(
    variables=["a_h1", "a_h2", "net_h1", "delta_o1", "delta_o2", "w_h1o1", "w_h1o2", "w_h2o1", "w_h2o2"],
    definitions={"a_h1": "sigmoid(net_h1)"},
)


def test_weight_gradient_wrong_unit_index():
    # ∂E/∂w_h1o1 = δ_o1·a_h1, since ∂net_o1/∂w_h1o1 = a_h1
    mistakes = [Mistake("wrong-unit", "delta_o1*a_h2", "Which unit does this weight leave from?"),
                Mistake("constant-zero", "0", "a_h1 is fixed while you vary the weight, but it multiplies it.")]
    v = check("δ_o1 a_h2", "delta_o1*a_h1", HIDDEN["variables"], mistakes=mistakes)
    assert v.mistake == "wrong-unit"
    v = check("0", "delta_o1*a_h1", HIDDEN["variables"], mistakes=mistakes)
    assert v.mistake == "constant-zero"


def test_hidden_delta_missing_term_and_transposed_weights():
    expected = "sigmoid'(net_h1)*(w_h1o1*delta_o1 + w_h1o2*delta_o2)"
    mistakes = [
        Mistake("one-path", "sigmoid'(net_h1)*w_h1o1*delta_o1", "h1 reaches the error through more than one path."),
        Mistake("transposed", "sigmoid'(net_h1)*(w_h1o1*delta_o1 + w_h2o1*delta_o2)",
                "Follow the weights that leave h1."),
    ]
    kw = dict(mistakes=mistakes, **HIDDEN)
    assert check("a_h1(1-a_h1)(w_h1o1 δ_o1 + w_h1o2 δ_o2)", expected, **kw).correct
    assert check("a_h1*(1-a_h1)*w_h1o1*delta_o1", expected, **kw).mistake == "one-path"
    assert check("σ'(net_h1)(w_h1o1 δ_o1 + w_h2o1 δ_o2)", expected, **kw).mistake == "transposed"


def test_missing_term_of_an_indexed_sum():
    # with an index: a learner who drops the sum and writes one term
    kw = dict(variables=["w_jk", "delta_k", "w_j1", "delta_1"], indices={"k": 3},
              mistakes=[Mistake("one-term", "w_j1*delta_1", "Every unit k that j feeds contributes.")])
    v = check("w_j1*delta_1", "sum_k(w_jk*delta_k)", **kw)
    assert v.mistake == "one-term"


def test_exponential_power_rule_and_inner_derivative():
    # d/dx e^(−x) = −e^(−x)
    mistakes = [Mistake("power-rule", "-x*e^(-x-1)", "e^u is not a power of x."),
                Mistake("inner-derivative", "e^(-x)", "The exponent −x has a derivative too.")]
    assert check("-exp(-x)", "-e^(-x)", ["x"], mistakes=mistakes).correct
    assert check("(-x)e^(-x-1)", "-e^(-x)", ["x"], mistakes=mistakes).mistake == "power-rule"
    assert check("exp(-x)", "-e^(-x)", ["x"], mistakes=mistakes).mistake == "inner-derivative"


def test_softmax_diagonal_only():
    # softmax outputs with squared error: ∂E/∂net_1 = Σ_i (a_i − t_i) ∂a_i/∂net_1,
    # ∂a_1/∂net_1 = a_1(1 − a_1), ∂a_2/∂net_1 = −a_2 a_1
    expected = "(a_1 - t_1)*a_1*(1 - a_1) - (a_2 - t_2)*a_2*a_1"
    mistakes = [Mistake("diagonal", "(a_1 - t_1)*a_1*(1 - a_1)", "Each softmax output depends on every net.")]
    v = check("(a_1-t_1)a_1(1-a_1)", expected, ["a_1", "a_2", "t_1", "t_2"], mistakes=mistakes)
    assert v.mistake == "diagonal"


def test_number_mistakes_pick_the_nearest_and_numbers_tolerate_rounding():
    # ∂E/∂w = δ·a with δ = 0.138498562, a_h1 = 0.593269992, a_h2 = 0.596884378 (Mazur's example)
    right = 0.138498562 * 0.593269992
    wrong_unit = 0.138498562 * 0.596884378  # only 0.6% away: a tight tolerance is needed
    mistakes = [Mistake("wrong-unit", repr(wrong_unit), "Which unit does this weight leave from?"),
                Mistake("sign", repr(-right), "Check the sign.")]
    kw = dict(tolerance=None, mistakes=mistakes)
    assert check("0.1385*0.5933", repr(right), **kw).correct
    assert check("0.1385*0.5969", repr(right), **kw).mistake == "wrong-unit"
    assert check("-0.08217", repr(right), **kw).mistake == "sign"


def test_unmatched_wrong_answers_get_generic_helpful_feedback():
    v = check("-a*(1-a)", "a*(1-a)", ["a"])
    assert not v.correct and "sign" in v.feedback
    v = check("2*a*(1-a)", "a*(1-a)", ["a"])
    assert "factor of 2" in v.feedback
    v = check("a^3 + 1", "a*(1-a)", ["a"])
    assert "hint" in v.feedback.lower()
    assert v.mistake is None


@pytest.mark.parametrize("answer", ["a*(1+a)", "-a*(1-a)", "2a(1-a)", "0.25", "a_i", "(a", "b(1-b)"])
def test_feedback_never_contains_the_reference(answer):
    v = check(answer, "a*(1-a)", ["a"])
    assert not v.correct and v.feedback
    for form in ("a*(1-a)", "a·(1 − a)", "a(1-a)", "a*(1 - a)"):
        assert form not in v.feedback
