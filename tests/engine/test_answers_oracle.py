"""The evaluator against sympy on trusted text: an independent oracle for values and equivalences."""

import math
import random

import pytest
import sympy as sp

from engine.answers import evaluate
from engine.answers.parser import parse
from engine.answers.render import render

x = sp.Symbol("x")
a = sp.Symbol("a")
SIG = 1 / (1 + sp.exp(-x))

# (our syntax, the same formula built in sympy by hand)
PAIRS = [
    ("sigmoid(x)", SIG),
    ("sigmoid'(x)", sp.diff(SIG, x)),
    ("tanh'(x)", sp.diff(sp.tanh(x), x)),
    ("exp(-x)/(1+exp(-x))^2", sp.exp(-x) / (1 + sp.exp(-x)) ** 2),
    ("2σ(2x)−1", 2 * SIG.subs(x, 2 * x) - 1),
    ("x^3 - 2x + 1/x", x**3 - 2 * x + 1 / x),
    ("-x^2", -(x**2)),
    ("2^-x", 2 ** (-x)),
    ("ln(x^2 + 1) + sqrt(x^2)", sp.log(x**2 + 1) + sp.sqrt(x**2)),
    ("e^x·x", sp.exp(x) * x),
    ("x/2x", x / 2 * x),
    ("1 - tanh²(x)", 1 - sp.tanh(x) ** 2),
]


@pytest.mark.parametrize("text, expr", PAIRS)
def test_values_agree_with_sympy(text, expr):
    rng = random.Random(7)
    for _ in range(10):
        v = rng.uniform(-2, 2)
        ours = evaluate(text, {"x": v})
        theirs = float(expr.subs(x, v).evalf())
        assert math.isclose(ours, theirs, rel_tol=1e-9, abs_tol=1e-12), (text, v)


@pytest.mark.parametrize("text, expr", PAIRS)
def test_rendered_form_reads_back_to_the_same_values(text, expr):
    shown = render(parse(text))
    for v in (-1.3, 0.4, 1.7):
        assert math.isclose(evaluate(shown, {"x": v}), float(expr.subs(x, v).evalf()), rel_tol=1e-9)


def test_the_forms_in_the_equivalence_tables_are_equal_according_to_sympy():
    # the accepted forms of σ'(x) in the tables, checked to be equal by sympy, not by us
    forms = [sp.exp(-x) / (1 + sp.exp(-x)) ** 2, 1 / (sp.exp(x) + 2 + sp.exp(-x)), SIG * (1 - SIG),
             SIG - SIG**2, SIG * SIG.subs(x, -x), sp.exp(x) / (1 + sp.exp(x)) ** 2]
    for f in forms:
        assert sp.simplify((f - sp.diff(SIG, x)).rewrite(sp.exp)) == 0
    assert sp.simplify((2 * SIG.subs(x, 2 * x) - 1 - sp.tanh(x)).rewrite(sp.exp)) == 0
    assert sp.expand(a * (1 - a) - (a - a**2)) == 0
