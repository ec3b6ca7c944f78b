"""A quiz from the first question to the score, with a miss reviewed and the result recorded."""

from __future__ import annotations

import pytest
from pilot_helpers import a_wrong_answer, ready

from tutor import catalog
from tutor.app import make_app
from tutor.screens.quiz import QuizScreen
from tutor.screens.quiz_choice import QuizChoice

SIZE = (100, 32)


async def test_quiz_from_start_to_score(tmp_path):
    curriculum, _ = catalog.load()
    lesson = next((l for l in curriculum.lessons if len(l.quiz) >= 2), None)
    if lesson is None:
        pytest.fail("no lesson has two quiz items, which this test needs")
    app = make_app(data_dir=tmp_path, seed=11, start=("quiz", lesson.id))
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen = app.screen
        assert isinstance(screen, QuizScreen)
        total = len(screen.items)
        assert total == min(len(lesson.quiz), 10)
        missed_prompt = screen.items[0].exercise.prompt
        for n in range(total):
            exercise = screen.item.exercise
            answer = a_wrong_answer(exercise) if n == 0 else exercise.expected
            await pilot.press(*list(answer))
            await pilot.press("enter")
            assert screen.item.verdict is not None
            assert screen.item.verdict.correct is (n != 0)
            await pilot.press("enter")
        assert screen.finished
        title = str(screen.query_one("#quiz-title").render())
        assert f"{total - 1} of {total}" in title
        review = screen.query_one("#quiz-review")
        assert review.display
        assert "Question 1" in review.source and "Worked solution" in review.source
        assert missed_prompt.split()[0] in review.source
        assert app.progress.best_quiz(lesson.id) == (total - 1, total)
        # the missed item is due before the ones answered right
        keys = [i.key for i in screen.items]
        assert app.progress.due_order(keys)[0] == keys[0]


async def test_quiz_all_from_home_and_escape(tmp_path):
    app = make_app(data_dir=tmp_path, seed=2)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("enter", "a")  # a: choose a quiz (q quits, as in most terminal programs)
        assert isinstance(app.screen, QuizChoice)
        await pilot.press("a", "enter")  # tick every lesson, start
        assert isinstance(app.screen, QuizScreen)
        lessons_with_items = {l.id for l in app.curriculum.lessons if l.quiz}
        assert {i.key.split("/")[0] for i in app.screen.items} <= lessons_with_items
        await pilot.press("escape")
        assert not isinstance(app.screen, QuizScreen)
