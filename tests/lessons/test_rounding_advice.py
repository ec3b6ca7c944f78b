"""A learner who follows the lessons' rounding advice is never marked wrong.

The advice (typing.md, and the first worked example of the output-weight and backward-pass lessons):
work from the numbers as shown (4 significant figures) and round every intermediate result you write
down to 4 significant figures. This test does exactly that for every number exercise, on many seeds,
with its own evaluator (not the engine's), and requires every such answer to be accepted.
"""

from __future__ import annotations

import math

import pytest

from engine.answers import format_number
from engine.answers.nodes import BinOp, Call, Const, Neg, Num, Sym
from engine.answers.parser import parse
from engine.exercises import displayed, realize
from lessons import curriculum

SEEDS = range(60)
CURRICULUM = curriculum()


def _round4(x: float) -> float:
    """x to 4 significant figures, as a learner writes it down."""
    return float(f"{x:.3e}") if math.isfinite(x) and x != 0 else x


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


FUNCTIONS = {
    ("exp", False): math.exp, ("log", False): math.log, ("sqrt", False): math.sqrt,
    ("sigmoid", False): _sigmoid, ("tanh", False): math.tanh,
}


def by_hand(node, shown: dict[str, float]) -> float:
    """The answer formula worked the way the advice says: every intermediate result (sum, difference,
    product, quotient, power, function value) rounded to 4 significant figures."""
    if isinstance(node, Num):
        return node.value
    if isinstance(node, Const):
        return {"e": math.e, "pi": math.pi}[node.name]
    if isinstance(node, Sym):
        return shown[node.name]
    if isinstance(node, Neg):
        return -by_hand(node.arg, shown)
    if isinstance(node, Call):
        return _round4(FUNCTIONS[(node.func, node.prime)](by_hand(node.arg, shown)))
    assert isinstance(node, BinOp)
    a, b = by_hand(node.left, shown), by_hand(node.right, shown)
    if node.op == "+":
        return _round4(a + b)
    if node.op == "-":
        return _round4(a - b)
    if node.op == "*":
        return _round4(a * b)
    if node.op == "/":
        return _round4(a / b)
    assert node.op == "^"
    return _round4(a**b)


NUMBER_ITEMS = [
    (lesson, item_id, spec, is_step)
    for lesson in CURRICULUM.lessons
    for item_id, spec, is_step in [(s.id, s.exercise, True) for s in lesson.exercise_steps]
    + [(q.id, q, False) for q in lesson.quiz]
    if spec.kind == "number"
]


def test_the_rounding_evaluator_rounds():
    """The evaluator really rounds: (1/3)·3 worked by hand is 0.9999, not 1."""
    assert by_hand(parse("(1/3)*3"), {}) == pytest.approx(0.9999, abs=1e-12)
    assert by_hand(parse("x*x + 1"), {"x": 0.12345}) == pytest.approx(1.015, abs=1e-12)


@pytest.mark.parametrize(("lesson", "item_id", "spec", "is_step"), NUMBER_ITEMS,
                         ids=[f"{lesson.id}/{item_id}" for lesson, item_id, _, _ in NUMBER_ITEMS])
def test_answers_rounded_as_the_lessons_advise_are_accepted(lesson, item_id, spec, is_step):
    rejected = []
    for seed in SEEDS:
        ex = lesson.exercise(item_id, seed) if is_step else realize(spec, seed)
        shown = displayed(ex.values)
        typed = format_number(by_hand(parse(spec.answer, set(ex.values)), shown))
        verdict = ex.grade(typed)
        if not verdict.correct:
            rejected.append(f"seed {seed}: {typed} (exact {format_number(ex.expected_value)}): {verdict.feedback}")
    assert not rejected, "\n".join(rejected)
