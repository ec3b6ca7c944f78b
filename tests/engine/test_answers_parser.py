"""The answer grammar: what reads as what, Unicode forms, readable errors and refusals."""

import math

import pytest

from engine.answers import AnswerSyntaxError, evaluate, preview
from engine.answers.nodes import BinOp, Call, Const, Neg, Num, Sum, Sym
from engine.answers.parser import parse
from engine.answers.render import render


def test_numbers_decimal_and_scientific():
    assert parse("0.5") == Num(0.5, "0.5")
    assert parse(".5").value == 0.5
    assert parse("2.").value == 2.0
    assert parse("1e-3").value == 1e-3
    assert parse("2.5E+2").value == 250.0


def test_e_after_a_number_is_euler_unless_digits_follow():
    # 2e is 2·e, 2e^x is 2·e^x, but 2e3 is 2000
    assert parse("2e") == BinOp("*", Num(2.0, "2"), Const("e"))
    assert parse("2e^x") == BinOp("*", Num(2.0, "2"), BinOp("^", Const("e"), Sym("x")))
    assert parse("2e3").value == 2000.0


def test_symbols_with_subscripts_and_case():
    assert parse("w_h1o1") == Sym("w_h1o1")
    assert parse("net_k") == Sym("net_k")
    assert parse("E") == Sym("E")
    assert parse("e") == Const("e")
    assert parse("e", symbols={"e"}) == Sym("e")
    assert parse("pi") == Const("pi") == parse("π")
    assert parse("a_{jk}") == Sym("a_jk")
    assert parse("a₁") == Sym("a_1")


def test_greek_letters():
    assert parse("δ_k") == Sym("delta_k")
    assert parse("η") == Sym("eta")
    assert parse("σ(x)") == Call("sigmoid", Sym("x"))


def test_operator_precedence_and_associativity():
    x = Sym("x")
    assert parse("-x^2") == Neg(BinOp("^", x, Num(2.0, "2")))
    assert parse("2^3^2") == BinOp("^", Num(2.0, "2"), BinOp("^", Num(3.0, "3"), Num(2.0, "2")))
    assert parse("2**3**2") == parse("2^3^2")
    assert evaluate("2^3^2") == 512.0
    assert evaluate("-2^2") == -4.0
    assert evaluate("8/4/2") == 1.0
    assert evaluate("1 - 2 - 3") == -4.0
    assert evaluate("2^-1") == 0.5


@pytest.mark.parametrize("text, value", [
    ("2x", 6.0), ("2 x", 6.0), ("x(1-x)", -6.0), ("(x+1)(x-1)", 8.0), ("2(x+1)", 8.0),
    ("3x^2", 27.0), ("x·x", 9.0), ("x×x", 9.0), ("x÷3", 1.0), ("x−1", 2.0), ("x²", 9.0), ("x³", 27.0),
    ("2⁴", 16.0), ("x⁻¹", 1 / 3), ("x^(1/2)", math.sqrt(3)), ("½x", 1.5), ("x**2", 9.0),
])
def test_implicit_multiplication_and_unicode(text, value):
    assert evaluate(text, {"x": 3.0}) == pytest.approx(value)


def test_functions_and_derivatives():
    s = 1 / (1 + math.exp(-0.3))
    assert evaluate("sigmoid(0.3)") == pytest.approx(s)
    assert evaluate("σ'(0.3)") == pytest.approx(s * (1 - s))
    assert evaluate("sigmoid′(0.3)") == pytest.approx(s * (1 - s))
    assert evaluate("tanh'(0.3)") == pytest.approx(1 - math.tanh(0.3) ** 2)
    assert evaluate("relu(-2) + relu(3)") == 3.0
    assert evaluate("relu'(-2) + relu'(3)") == 1.0
    assert evaluate("ln(e) + log(e^2) + sqrt(16) + exp(0)") == pytest.approx(1 + 2 + 4 + 1)


def test_math_domain_errors_give_nan_and_overflow_never_raises():
    for text in ["log(0)", "log(-1)", "sqrt(-1)", "1/0", "0^-1", "(-8)^(1/3)", "exp(1000)*0",
                 "x/(x-x)"]:
        assert math.isnan(evaluate(text, {"x": 1.0})), text
    assert evaluate("exp(1000)") == math.inf
    assert evaluate("sigmoid(-1000)") == 0.0
    assert evaluate("sigmoid(1000)") == 1.0


def test_bare_sigma_runs_to_the_end_of_the_product_term():
    assert parse("Σ_k w_jk δ_k + 1") == BinOp(
        "+", Sum("k", BinOp("*", Sym("w_jk"), Sym("delta_k"))), Num(1.0, "1"))
    # sum_k(...) with parentheses is a function call: the power applies to the sum
    assert isinstance(parse("sum_k(t_k - a_k)^2"), BinOp)
    assert isinstance(parse("Σ_k (t_k - a_k)^2"), Sum)


def test_sum_values_use_one_value_per_index():
    values = {"w_jk": [0.5, -1.0, 2.0], "delta_k": [0.1, 0.2, 0.3]}
    expected = 0.5 * 0.1 - 1.0 * 0.2 + 2.0 * 0.3
    assert evaluate("sum_k(w_jk*delta_k)", values) == pytest.approx(expected)
    assert evaluate("Σ_k w_jk δ_k", values, indices={"k": 3}) == pytest.approx(expected)
    # E = ½ Σ_k (t_k − a_k)² by hand: ½((1-0.75)² + (0-0.25)²) = 0.0625
    assert evaluate("½ Σ_k (t_k − a_k)²", {"t_k": [1, 0], "a_k": [0.75, 0.25]}) == pytest.approx(0.0625)


@pytest.mark.parametrize("text, shown", [
    ("sigmoid(net_j)*(1-sigmoid(net_j))", "σ(net_j)·(1 − σ(net_j))"),
    ("a_k^2", "a_k²"),
    ("sum_k(w_jk*delta_k)", "Σ_k w_jk·δ_k"),
    ("e^(-x)", "e^(−x)"),
    ("sigmoid'(x)", "σ′(x)"),
    ("exp(-x)/(1+exp(-x))^2", "exp(−x)/(1 + exp(−x))²"),
    ("1/2x", "(1/2)·x"),
    ("a - (b - c)", "a − (b − c)"),
    ("-(a+b)", "−(a + b)"),
    ("(-a)^2", "(−a)²"),
    ("eta*delta_k*a_j", "η·δ_k·a_j"),
    ("log(x)", "ln(x)"),
    ("sigmoid'(net_j)*sum_k(w_jk*delta_k)", "σ′(net_j)·(Σ_k w_jk·δ_k)"),
])
def test_rendering(text, shown):
    assert render(parse(text, {"a", "b", "c"})) == shown


@pytest.mark.parametrize("text, fragment", [
    ("a+)", "unexpected ')' at position 3"),
    ("(a+1", "missing ')'"),
    ("a+", "ends too early"),
    ("", "empty"),
    ("2 3", "write * to multiply"),
    ("x2", "write x_2"),
    ("sigmoid", "sigmoid is a function"),
    ("sigmoid*2", "sigmoid is a function"),
    ("exp'(x)", "only for sigmoid', tanh' and relu'"),
    ("a'(x)", "only follows"),
    ("factorial(3)", "unknown function 'factorial'"),
    ("sum(x)", "name the index"),
    ("0,5", "decimal"),
    ("x.real", "'.' is not allowed"),
    ("[1]", "'[' is not allowed"),
    ("exp_k(x)", "takes no subscript"),
])
def test_typos_give_positioned_messages(text, fragment):
    with pytest.raises(AnswerSyntaxError) as info:
        parse(text, {"a", "x"})
    assert fragment in info.value.message


def test_unknown_function_message_lists_the_allowed_functions():
    p = preview("factorial(10**7)")
    assert not p.ok
    for name in ("exp", "log", "sqrt", "sigmoid", "tanh", "relu", "sum_k"):
        assert name in p.error


@pytest.mark.parametrize("text", [
    "9**9**9**9", "1e999999", "1e-999", "2e308", "(a+x+z+t_k)^100", "x^(2^7)",
    "1" * 40, "(" * 40 + "x" + ")" * 40, "-" * 60 + "x", "x+" * 150 + "x", "x" * 400,
])
def test_caps_refuse_with_a_message(text):
    p = preview(text, ["a", "x", "z", "t_k"])
    assert not p.ok and p.error


def test_nested_sums_are_capped_and_need_declared_indices():
    kw = dict(indices={"j": 2, "k": 2})
    assert preview("sum_j(sum_k(w_jk))", ["w_jk"], **kw).ok
    assert not preview("sum_k(sum_k(w_jk))", ["w_jk"], **kw).ok
    assert "no index i" in preview("sum_i(a_i)", ["a_i"], **kw).error
    assert "only has a meaning inside sum_" in preview("w_jk", ["w_jk"], **kw).error
    deep = preview("sum_i(sum_j(sum_k(w_ijk)))", ["w_ijk"], indices={"i": 2, "j": 2, "k": 2})
    assert "nested too deeply" in deep.error


def test_preview_warns_about_undeclared_symbols_without_judging():
    p = preview("a_i*(1-a_i)", ["a_j", "a_k"])
    assert p.ok
    assert p.warnings == ("you wrote a_i; this exercise uses a_j and a_k",)
    assert preview("A_j", ["a_j"]).warnings[0].endswith("did you mean a_j?")
    assert "a*x" in preview("ax", ["a", "x"]).warnings[0]
    assert preview("a_j*(1-a_j)", ["a_j"]).warnings == ()
    # the preview says the same about a right and a wrong answer
    right, wrong = preview("a_j*(1-a_j)", ["a_j"]), preview("a_j*(1+a_j)", ["a_j"])
    assert (right.ok, right.warnings, right.error) == (wrong.ok, wrong.warnings, wrong.error)


def test_preview_of_a_number_exercise_warns_about_symbols():
    p = preview("a_j*0.5", ["a_j"], kind="number")
    assert any("this answer is a number" in w for w in p.warnings)


def test_powers_of_functions_and_aliases():
    t = math.tanh(0.4)
    assert evaluate("1 - tanh²(x)", {"x": 0.4}) == pytest.approx(1 - t * t)
    assert evaluate("1 - tanh^2(x)", {"x": 0.4}) == pytest.approx(1 - t * t)
    assert evaluate("sigma(0)") == 0.5
    assert evaluate("√(9)") == 3.0
    # σ^-1 could be read as an inverse: refused rather than guessed
    assert "write (σ(x))^n" in preview("σ^-1(x)", ["x"]).error


def test_a_number_reference_that_is_not_a_number_is_reported_not_graded():
    v = check_number("1", "nan")
    assert not v.correct and "reference answer" in v.feedback


def check_number(answer, expected):
    from engine.answers import check

    return check(answer, expected, kind="number")


def test_prime_after_the_argument_is_explained():
    assert "right after the function name" in preview("sigmoid(x)'", ["x"]).error


def test_division_then_implicit_product_is_flagged():
    p = preview("1/2x", ["x"])
    assert p.ok and p.interpreted == "(1/2)·x"
    assert any("parentheses" in w for w in p.warnings)
    assert preview("1/(2x)", ["x"]).warnings == ()


@pytest.mark.parametrize("text, fragment", [
    ("delta_k = a_k - t_k", "'=' is not needed"),
    ("∂E/∂w", "type what the derivative equals"),
    ("d/dx(x^2)", "type what the derivative equals"),
    ("dE/dw_jk", "type what the derivative equals"),
])
def test_equations_and_derivative_signs_are_explained(text, fragment):
    assert fragment in preview(text, ["delta_k", "a_k", "t_k"]).error


def test_euler_e_beside_a_declared_error_e_is_flagged():
    p = preview("e*2", ["E", "w"])
    assert any("case-sensitive" in w for w in p.warnings)
    assert preview("E*2", ["E", "w"]).warnings == ()


def test_a_power_of_a_whole_sum_is_flagged():
    kw = dict(indices={"k": 2})
    p = preview("1/2*sum_k(t_k - a_k)^2", ["t_k", "a_k"], **kw)
    assert any("whole sum" in w for w in p.warnings)
    assert not any("whole sum" in w for w in preview("½ Σ_k (t_k − a_k)²", ["t_k", "a_k"], **kw).warnings)
