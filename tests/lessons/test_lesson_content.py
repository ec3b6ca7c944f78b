"""Every lesson, checked as data and as mathematics, over many seeds."""

from __future__ import annotations

import math
import subprocess
import sys

import pytest
import sympy

from engine import answers
from engine.exercises import Exercise, ExerciseSpec, realize
from lessons import curriculum
from lessons.model import Lesson

SEEDS = range(8)
CURRICULUM = curriculum()
LESSONS = CURRICULUM.lessons


def _items(lesson: Lesson) -> list[tuple[str, ExerciseSpec]]:
    return [(s.id, s.exercise) for s in lesson.exercise_steps] + [(q.id, q) for q in lesson.quiz]


ITEMS = [(lesson, item_id, spec) for lesson in LESSONS for item_id, spec in _items(lesson)]
IDS = [f"{lesson.id}/{item_id}" for lesson, item_id, _ in ITEMS]


def _realize(lesson: Lesson, item_id: str, spec: ExerciseSpec, seed: int) -> Exercise:
    if any(s.id == item_id for s in lesson.steps):
        return lesson.exercise(item_id, seed)
    return realize(spec, seed)


def test_the_curriculum_has_the_lessons_in_order():
    assert len(LESSONS) >= 10
    assert len(set(CURRICULUM.ids)) == len(CURRICULUM.ids)
    assert "legend" in CURRICULUM.pages and "typing" in CURRICULUM.pages


@pytest.mark.parametrize("lesson", LESSONS, ids=[lesson.id for lesson in LESSONS])
def test_each_lesson_has_enough_exercises_and_quiz_items(lesson: Lesson):
    assert len(lesson.exercise_steps) >= 4
    assert len(lesson.quiz) >= 3
    assert lesson.steps[0].type == "explanation", "a lesson opens with an explanation"
    for step in lesson.steps:
        assert step.title.strip()
        if step.type == "explanation":
            assert len(step.text.strip()) > 80, f"{step.id}: an explanation needs real prose"


@pytest.mark.parametrize(("lesson", "item_id", "spec"), ITEMS, ids=IDS)
def test_each_exercise_is_complete(lesson: Lesson, item_id: str, spec: ExerciseSpec):
    assert len(spec.hints) >= 2, "a hint ladder has two rungs at least"
    assert all(h.strip() for h in spec.hints)
    assert spec.solution.strip()
    assert spec.mistakes, "every exercise catalogues the mistakes learners make at it"
    assert all(m.feedback.strip() for m in spec.mistakes)
    if spec.kind == "number":
        assert spec.scenario and spec.engine_value, "a number exercise is confirmed by an engine value"
    if spec.kind == "expression":
        assert spec.derivative or spec.engine_value or spec.indices, "an expression answer needs an independent check"
    if spec.kind == "choice":
        assert any(c.mistake for c in spec.choices), "a wrong choice names the mistake it embodies"


@pytest.mark.parametrize(("lesson", "item_id", "spec"), ITEMS, ids=IDS)
def test_model_answers_are_accepted_and_mistakes_are_named(lesson: Lesson, item_id: str, spec: ExerciseSpec):
    for seed in SEEDS:
        ex = _realize(lesson, item_id, spec, seed)
        # Every template fills with this learner's numbers.
        assert ex.prompt.strip() and all(ex.hints) and ex.solution.strip()
        if spec.kind == "number":
            value = ex.expected_value
            assert math.isfinite(value)
            for typed in (answers.format_number(value), repr(value)):
                verdict = ex.grade(typed)
                assert verdict.correct, f"seed {seed}: {typed} rejected: {verdict.feedback}"
            for m in spec.mistakes:
                for form in (m.answer, *m.forms):
                    wrong = answers.format_number(answers.evaluate(form, ex.values))
                    verdict = ex.grade(wrong)
                    assert not verdict.correct, f"seed {seed}: mistake {m.id} ({wrong}) accepted"
                    assert verdict.mistake == m.id, f"seed {seed}: {wrong} diagnosed as {verdict.mistake}, not {m.id}"
        elif spec.kind == "expression":
            for typed in (spec.answer, *spec.accept):
                verdict = ex.grade(typed)
                assert verdict.correct, f"{typed!r} rejected: {verdict.feedback}"
            for m in spec.mistakes:
                for form in (m.answer, *m.forms):
                    verdict = ex.grade(form)
                    assert not verdict.correct, f"mistake {m.id} ({form!r}) accepted"
                    assert verdict.mistake == m.id, f"{form!r} diagnosed as {verdict.mistake}, not {m.id}"
        else:
            assert ex.grade(ex.expected).correct
            for c in ex.choices:
                verdict = ex.grade(c.key)
                assert verdict.correct == c.correct
                if c.mistake:
                    assert verdict.mistake == c.mistake
        if spec.kind != "number":
            break  # only number exercises change with the seed


@pytest.mark.parametrize(("lesson", "item_id", "spec"), ITEMS, ids=IDS)
def test_reference_answers_agree_with_the_engine(lesson: Lesson, item_id: str, spec: ExerciseSpec):
    if spec.engine_value:
        for seed in SEEDS:
            ex = _realize(lesson, item_id, spec, seed)
            engine = ex.values[spec.engine_value]
            formula = answers.evaluate(spec.answer, ex.values)
            assert formula == pytest.approx(engine, rel=1e-7, abs=1e-12), f"seed {seed}"
    if spec.derivative:
        of, wrt = spec.derivative
        names = {v: sympy.Symbol(v) for v in set(spec.variables) | {wrt}}
        names["sigmoid"] = sympy.Lambda(sympy.Symbol("u"), 1 / (1 + sympy.exp(-sympy.Symbol("u"))))
        names["e"] = sympy.E
        reference = sympy.diff(sympy.sympify(of, locals=names), names[wrt])  # trusted text from our own files
        assert answers.equivalent(
            spec.answer,
            str(reference),
            spec.variables,
            definitions=dict(spec.definitions),
            domain=dict(spec.domain),
            indices=dict(spec.indices),
        ), f"{spec.answer} is not d/d{wrt} of {of} = {reference}"


@pytest.mark.parametrize(("lesson", "item_id", "spec"), ITEMS, ids=IDS)
def test_the_same_seed_gives_the_same_numbers(lesson: Lesson, item_id: str, spec: ExerciseSpec):
    if spec.scenario:
        a, b = _realize(lesson, item_id, spec, 7), _realize(lesson, item_id, spec, 7)
        assert a.values == b.values and a.prompt == b.prompt
        others = {tuple(sorted(_realize(lesson, item_id, spec, s).values.items())) for s in range(5)}
        assert len(others) > 1, "different seeds give fresh numbers"


def test_steps_of_a_group_share_their_numbers():
    for lesson in LESSONS:
        groups: dict[str, list[str]] = {}
        for step in lesson.exercise_steps:
            if step.group:
                groups.setdefault(step.group, []).append(step.id)
        for members in groups.values():
            draws = [lesson.exercise(m, 3).values for m in members]
            assert all(d == draws[0] for d in draws)


def test_loading_lessons_imports_neither_textual_nor_sympy():
    code = (
        "import sys, lessons; c = lessons.curriculum(); "
        "[l.exercise(s.id, 1) for l in c.lessons for s in l.exercise_steps]; "
        "bad = [m for m in ('textual', 'rich', 'sympy') if m in sys.modules]; "
        "print(bad); raise SystemExit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


NUMBER_ITEMS = [(lesson, item_id, spec) for lesson, item_id, spec in ITEMS if spec.kind == "number"]


@pytest.mark.parametrize(("lesson", "item_id", "spec"), NUMBER_ITEMS,
                         ids=[f"{lesson.id}/{item_id}" for lesson, item_id, _ in NUMBER_ITEMS])
def test_a_number_answer_cannot_hand_the_derivative_to_the_tutor(lesson, item_id, spec):
    ex = _realize(lesson, item_id, spec, 0)
    for typed in ("sigmoid'(0.3)", "σ′(-1.2)*2", "tanh'(0.5)", "relu'(1)"):
        verdict = ex.grade(typed)
        assert not verdict.correct and verdict.error, f"{typed} not refused: {verdict.feedback}"


def test_the_sigma_prime_quiz_refuses_sigmoid_prime_of_its_own_point():
    lesson = CURRICULUM.lesson("sigmoid-derivative")
    spec = next(q for q in lesson.quiz if q.id == "q-sigma-prime")
    for seed in SEEDS:
        ex = realize(spec, seed)
        verdict = ex.grade(f"sigmoid'({ex.values['x']})")
        assert not verdict.correct and "σ′" in verdict.feedback


COUNT_ITEMS = [(lesson, item_id, spec) for lesson, item_id, spec in NUMBER_ITEMS if spec.integer]


def test_the_matrix_lesson_counts_are_marked_as_counts():
    ids = {item_id for lesson, item_id, _ in COUNT_ITEMS if lesson.id == "matrix-form"}
    assert {"rows-W2", "len-delta2", "quiz-cols-gW3", "quiz-length"} <= ids


@pytest.mark.parametrize(("lesson", "item_id", "spec"), COUNT_ITEMS,
                         ids=[f"{lesson.id}/{item_id}" for lesson, item_id, _ in COUNT_ITEMS])
def test_a_count_is_a_whole_number(lesson, item_id, spec):
    for seed in SEEDS:
        ex = _realize(lesson, item_id, spec, seed)
        n = ex.expected_value
        assert n == round(n) and n >= 1
        assert ex.grade(f"{int(n)}").correct and ex.grade(f"{int(n)}.0").correct
        for near in (n + 0.005, n - 0.004):
            verdict = ex.grade(f"{near:.3f}")
            assert not verdict.correct, f"seed {seed}: {near:.3f} accepted as a count"
            assert "whole number" in verdict.feedback
