"""Lesson number steps whose reference is an engine quantity are diagnosed by the engine's
misconceptions too, on top of their hand-written mistakes, for every seed."""

from __future__ import annotations

import pytest

from engine import answers
from engine.exercises import SEPARATION, displayed
from lessons import curriculum
from lessons.misconceptions import misconception_words

SEEDS = range(8)
CURRICULUM = curriculum()
STEPS = [(lesson, step) for lesson in CURRICULUM.lessons for step in lesson.exercise_steps
         if step.exercise.kind == "number" and step.exercise.engine_value]

# Hand formulas (over the step's own values, in answer syntax) for some generated misconceptions:
# an oracle for the mapping from a step's engine value to the engine's cell, independent of it.
HAND = {
    ("backward-pass", "delta-h1"): {
        "sigma-prime-dropped": "w_h1o1*delta_o1 + w_h1o2*delta_o2",
        "one-path-only": "a_h1*(1 - a_h1)*w_h1o2*delta_o2",
        "wrong-unit-slope": "w_h1o1*delta_o1*a_o1*(1 - a_o1) + w_h1o2*delta_o2*a_o2*(1 - a_o2)",
        "errors-for-deltas": "a_h1*(1 - a_h1)*(w_h1o1*(a_o1 - t_o1) + w_h1o2*(a_o2 - t_o2))",
        "updated-weights": "a_h1*(1 - a_h1)*((w_h1o1 - eta*delta_o1*a_h1)*delta_o1 + (w_h1o2 - eta*delta_o2*a_h1)*delta_o2)",
    },
    ("backward-pass", "update-h1o1"): {"plus-eta": "w_h1o1 + eta*gw_h1o1", "eta-forgotten": "w_h1o1 - gw_h1o1"},
    ("backward-pass", "grad-h2o1"): {"wrong-activation": "delta_o1*a_o1"},
    ("output-weight", "update"): {"change-only": "-eta*gw_h2o1"},
    ("output-weight", "delta"): {"half-dropped": "2*(a_o1 - t_o1)*a_o1*(1 - a_o1)"},
    ("softmax", "delta-o2"): {"softmax-diagonal-only": "-t_o2*(1 - a_o2)", "sigma-prime-dropped": "-t_o2/a_o2"},
}
# Hand-written mistakes these steps no longer carry, because a generated one says the same.
REPLACED = {("backward-pass", "forward-h1"): {"exponent-sign"},
            ("backward-pass", "delta-o1"): {"sigma-for-sigma-prime", "net-for-a"}}


def _close(x, y, rel):
    return abs(x - y) <= SEPARATION * rel * max(abs(x), abs(y)) + 1e-12


def test_the_steps_with_a_network_are_diagnosed():
    with_generated = {(lesson.id, step.id) for lesson, step in STEPS if lesson.exercise(step.id, 0).generated}
    assert set(HAND) | set(REPLACED) <= with_generated
    assert len(with_generated) >= 20


@pytest.mark.parametrize(("lesson", "step"), STEPS, ids=[f"{l.id}/{s.id}" for l, s in STEPS])
def test_generated_misconceptions_are_named_with_their_words(lesson, step):
    spec = step.exercise
    words = misconception_words()
    for seed in SEEDS:
        ex = lesson.exercise(step.id, seed)
        rel = spec.rel_tolerance
        written = [answers.evaluate(form, vals) for m in spec.mistakes for form in (m.answer, *m.forms)
                   for vals in (ex.values, displayed(ex.values))]
        for mid, formula in HAND.get((lesson.id, step.id), {}).items():
            x = answers.evaluate(formula, ex.values)
            assert any(m == mid and abs(v - x) <= 1e-9 * max(1, abs(x)) for m, _, v in ex.generated), (seed, mid)
        for mid, quantity, x in ex.generated:
            assert not _close(x, ex.expected_value, rel), f"seed {seed}: {mid} lands on the answer"
            if any(_close(x, w, rel) for w in written) or any(
                    o != mid and _close(x, y, rel) for o, _, y in ex.generated):
                continue  # left to the hand-written mistake, or to neither
            verdict = ex.grade(answers.format_number(x))
            assert not verdict.correct and verdict.mistake == mid, f"seed {seed}: {mid} read as {verdict.mistake}"
            own = next((m for m in spec.mistakes if m.id == mid), None)
            if own is None:
                assert verdict.feedback == words.feedback(mid, quantity)
        for mid in REPLACED.get((lesson.id, step.id), ()):
            assert mid not in {m.id for m in spec.mistakes}
            assert mid in {m for m, _, _ in ex.generated}, f"seed {seed}: nothing diagnoses {mid} any more"
