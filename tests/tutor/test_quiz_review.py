"""Quizzes that teach: chosen in the app, scored per lesson, retried on new numbers after the review, and
the Leitner schedule made visible (due counts on home and in `progress`, due questions first, missed
lesson exercises scheduled too)."""

from __future__ import annotations

import json

import pytest
from pilot_helpers import a_wrong_answer, answer_quiz_item, ready

from tutor import catalog, review
from tutor.app import make_app
from tutor.cli import main
from tutor.progress import Progress
from tutor.progress_schedule import BOX_INTERVALS
from tutor.screens.home import HomeScreen
from tutor.screens.lesson import LessonScreen
from tutor.screens.quiz import QuizScreen
from tutor.screens.quiz_choice import QuizChoice

SIZE = (100, 32)
CURRICULUM, _ = catalog.load()


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: float = 2_000_000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now


def _quizzed(n: int, at_least: int = 1) -> list:
    found = [lesson for lesson in CURRICULUM.lessons if len(lesson.quiz) >= at_least]
    if len(found) < n:
        pytest.fail(f"this test needs {n} lessons with {at_least}+ quiz items; the curriculum has {len(found)}")
    return found[:n]


def _begin(data_dir, *lessons) -> None:
    with Progress.open(data_dir) as p:
        p.mark_welcomed()
        for lesson in lessons:
            p.set_position(lesson.id, lesson.steps[0].id)


# -- choosing what to quiz, in the app -----------------------------------------------------------------


async def _chooser(pilot) -> QuizChoice:
    await ready(pilot)
    await pilot.press("a")  # a: choose a quiz (q quits)
    chooser = pilot.app.screen
    assert isinstance(chooser, QuizChoice)
    return chooser


async def test_the_chooser_ticks_the_lessons_begun_and_a_quiz_covers_only_those(tmp_path):
    first, second, third = _quizzed(3)
    _begin(tmp_path, second)
    app = make_app(data_dir=tmp_path, seed=3)
    async with app.run_test(size=SIZE) as pilot:
        chooser = await _chooser(pilot)
        assert chooser._ticked() == (second.id,)
        await pilot.press("enter")
        quiz = app.screen
        assert isinstance(quiz, QuizScreen)
        assert quiz.items and {item.lesson_id for item in quiz.items} == {second.id}


async def test_lessons_picked_by_hand_are_the_ones_quizzed(tmp_path):
    first, second, third = _quizzed(3)
    _begin(tmp_path, second)
    app = make_app(data_dir=tmp_path, seed=3)
    async with app.run_test(size=SIZE) as pilot:
        chooser = await _chooser(pilot)
        listed = chooser.listed
        # untick the lesson begun, tick the first and the third instead, with Space as a learner would
        for lesson in (second, first, third):
            chooser.query_one("#quiz-lessons").highlighted = listed.index(lesson.id)
            await pilot.press("space")
        assert set(chooser._ticked()) == {first.id, third.id}
        await pilot.press("enter")
        quiz = app.screen
        assert isinstance(quiz, QuizScreen)
        assert {item.lesson_id for item in quiz.items} == {first.id, third.id}


async def test_escape_leaves_the_chooser_without_a_quiz(tmp_path):
    _begin(tmp_path)
    app = make_app(data_dir=tmp_path, seed=3)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("a", "escape")
        assert isinstance(app.screen, HomeScreen)


# -- scores per lesson -------------------------------------------------------------------------------


async def test_a_mixed_quiz_scores_each_lesson_on_its_own_items(tmp_path):
    good, bad = _quizzed(2)
    _begin(tmp_path, good, bad)
    app = make_app(data_dir=tmp_path, seed=4, start=("quiz", good.id, bad.id))
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen = app.screen
        assert isinstance(screen, QuizScreen)
        asked = {good.id: 0, bad.id: 0}
        while not screen.finished:
            lesson_id = screen.item.lesson_id
            asked[lesson_id] += 1
            await answer_quiz_item(pilot, right=lesson_id == good.id)
            await pilot.press("enter")
        assert asked[good.id] and asked[bad.id]
        # every item of `good` right, every item of `bad` wrong: not the mixed total on both
        assert app.progress.best_quiz(good.id) == (asked[good.id], asked[good.id])
        assert app.progress.best_quiz(bad.id) == (0, asked[bad.id])


# -- retrying a miss -------------------------------------------------------------------------------


async def test_a_missed_item_is_retried_on_new_numbers_after_its_review(tmp_path):
    lesson = next((l for l in CURRICULUM.lessons if len(l.quiz) >= 2 and l.quiz[0].scenario), None)
    lesson = lesson or _quizzed(1, at_least=2)[0]
    _begin(tmp_path, lesson)
    app = make_app(data_dir=tmp_path, seed=6, start=("quiz", lesson.id))
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen = app.screen
        missed_key = screen.item.key
        missed = screen.item.exercise
        await answer_quiz_item(pilot, right=False)
        await pilot.press("enter")
        while not screen.finished:
            await answer_quiz_item(pilot, right=True)
            await pilot.press("enter")
        total = len(screen.items)
        review_md = screen.query_one("#quiz-review")
        assert review_md.display and "Worked solution" in review_md.source  # the review comes first
        assert "r asks them again" in str(screen.query_one("#quiz-prompt").render())
        scored = app.progress.best_quiz(lesson.id)
        assert scored == (total - 1, total)

        await pilot.press("r")
        assert not screen.finished and screen.retrying
        assert [item.key for item in screen.items] == [missed_key]
        again = screen.item.exercise
        assert again.spec.id == missed.spec.id
        if missed.values:
            assert dict(again.values) != dict(missed.values)  # new numbers
        assert "Retry 1 of 1" in str(screen.query_one("#quiz-title").render())
        await answer_quiz_item(pilot, right=True)
        await pilot.press("enter")
        assert screen.finished
        assert "Retry finished: 1 of 1" in str(screen.query_one("#quiz-title").render())
        assert app.progress.best_quiz(lesson.id) == scored  # practice after the review is not a score
        await pilot.press("r")  # nothing missed this time: no retry
        assert screen.finished


# -- the schedule, made visible ----------------------------------------------------------------------------


def _number_step():
    for lesson in CURRICULUM.lessons:
        for index, step in enumerate(lesson.steps):
            if step.exercise is not None and step.exercise.kind == "number" and index > 0:
                return lesson, index
    pytest.fail("no lesson has a number exercise after its first step, which this test needs")


async def test_a_wrong_lesson_answer_is_due_on_home_in_progress_and_first_in_a_due_quiz(tmp_path, capsys):
    lesson, index = _number_step()
    step = lesson.steps[index]
    _begin(tmp_path)
    app = make_app(data_dir=tmp_path, seed=8, start=("lesson", lesson.id))
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen = app.screen
        assert isinstance(screen, LessonScreen)
        while screen.step.id != step.id:
            await pilot.press("ctrl+n")
        await pilot.press(*list(a_wrong_answer(screen.exercise)), "enter")
        assert screen.verdict is not None and not screen.verdict.correct
        assert review.step_key(lesson.id, step.id) in app.progress.due_items()
        await pilot.press("escape")
        home = app.screen
        assert isinstance(home, HomeScreen)
        await pilot.pause()
        status = str(home.query_one("#home-status").render())
        assert "d: review 1 question due" in status, status
        await pilot.press("d")
        quiz = app.screen
        assert isinstance(quiz, QuizScreen) and quiz.due
        first = quiz.item
        assert first.key == review.step_key(lesson.id, step.id) and first.planned.from_lesson_step
        assert "A lesson exercise you answered wrongly" in str(quiz.query_one("#quiz-prompt").render())
        assert first.exercise.spec.id == step.exercise.id

    assert main(["progress", "--data-dir", str(tmp_path)]) == 0
    assert "Due for review: 1 question;" in capsys.readouterr().out
    assert main(["progress", "--json", "--data-dir", str(tmp_path)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["due"] == 1
    assert {item["id"]: item["due"] for item in data["lessons"]}[lesson.id] == 1


def test_only_missed_exercises_enter_the_schedule_and_right_answers_move_them_out(tmp_path):
    clock = Clock()
    with Progress.open(tmp_path, clock=clock) as p:
        p.record_exercise_answer("one/step:a", True)  # never missed: not scheduled
        assert p.due_items() == []
        p.record_exercise_answer("one/step:b", False)  # missed: due at once
        assert p.due_items() == ["one/step:b"]
        p.record_exercise_answer("one/step:b", True)  # then right: box 1, due after its interval
        assert p.due_items() == []
        clock.now += BOX_INTERVALS[1] + 1
        assert p.due_items() == ["one/step:b"]
        assert p.due_items(["other/x"]) == []  # limited to the keys asked about


def test_a_due_quiz_puts_every_due_question_before_new_ones(tmp_path):
    lesson = _quizzed(1, at_least=3)[0]
    clock = Clock()
    keys = [review.quiz_key(lesson.id, q.id) for q in lesson.quiz]
    with Progress.open(tmp_path, clock=clock) as p:
        p.set_position(lesson.id, lesson.steps[0].id)
        p.record_quiz_answer(keys[2], True)
        p.record_quiz_answer(keys[2], True)  # box 2
        clock.now += BOX_INTERVALS[2] + 1  # ... and now overdue
        plain = [q.key for q in review.plan(CURRICULUM, p, (lesson.id,))]
        due = [q.key for q in review.plan(CURRICULUM, p, (), due_first=True)]
    assert due[0] == keys[2]
    assert plain.index(keys[2]) > plain.index(keys[0])  # in an ordinary quiz never-seen box-0 items come first
    assert set(due) == set(plain)  # filled from the lesson begun, nothing from lessons not begun
