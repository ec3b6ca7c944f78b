"""--seed is reproducible: a step's numbers depend on the seed and the step alone, whatever was opened
before, and a data folder that already holds seeds shows the seed's numbers when --seed is given."""

from __future__ import annotations

import pytest
from pilot_helpers import ready

from tutor import catalog
from tutor.app import make_app
from tutor.screens.lesson import LessonScreen
from tutor.screens.quiz import QuizScreen
from tutor.seeds import SeedSource, derive

SIZE = (100, 32)
CURRICULUM, _ = catalog.load()


def _drawn_lessons(n: int) -> list:
    """Lessons whose first exercise draws numbers (a scenario), so two seeds can tell apart."""
    found = [lesson for lesson in CURRICULUM.lessons
             if any(s.exercise is not None and s.scenario for s in lesson.steps)]
    if len(found) < n:
        pytest.fail(f"this test needs {n} lessons with drawn numbers; the curriculum has {len(found)}")
    return found[:n]


def _first_drawn(lesson):
    return next(s for s in lesson.steps if s.exercise is not None and s.scenario)


async def _numbers(data_dir, seed, order, *, another: bool = False) -> dict[str, dict]:
    """Open the lessons in `order`, go to each one's first drawn exercise, and note its numbers
    (after one Ctrl+R there with `another`)."""
    app = make_app(data_dir=data_dir, seed=seed)
    seen: dict[str, dict] = {}
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, close_welcome=True)
        for lesson in order:
            app.open_lesson(lesson.id)
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, LessonScreen)
            target = _first_drawn(lesson)
            while screen.step.id != target.id:
                await pilot.press("ctrl+n")
            if another:
                await pilot.press("ctrl+r")
                await pilot.pause()
            seen[lesson.id] = dict(screen.exercise.values)
    return seen


def test_derive_depends_on_seed_lesson_key_and_draw_only():
    assert derive(7, "a", "k") == derive(7, "a", "k", 0)
    values = {derive(7, "a", "k"), derive(8, "a", "k"), derive(7, "b", "k"), derive(7, "a", "j"), derive(7, "a", "k", 1)}
    assert len(values) == 5
    source, other = SeedSource(7), SeedSource(7)
    other.fresh("b", "x")  # draws elsewhere do not shift this step's draws
    assert [source.fresh("a", "k") for _ in range(3)] == [other.fresh("a", "k") for _ in range(3)]


async def test_same_seed_same_numbers_whatever_order_lessons_are_opened(tmp_path):
    a, b = _drawn_lessons(2)
    forward = await _numbers(tmp_path / "one", 41, [a, b])
    backward = await _numbers(tmp_path / "two", 41, [b, a])
    assert forward == backward
    other = await _numbers(tmp_path / "three", 42, [a, b])
    assert other != forward  # the seed does decide them


async def test_new_numbers_under_a_seed_are_reproducible_too(tmp_path):
    a, b = _drawn_lessons(2)
    forward = await _numbers(tmp_path / "one", 5, [a, b], another=True)
    backward = await _numbers(tmp_path / "two", 5, [b, a], another=True)
    assert forward == backward
    first = await _numbers(tmp_path / "three", 5, [a, b])
    assert all(forward[k] != first[k] for k in forward)  # Ctrl+R did draw new ones


async def test_an_explicit_seed_is_not_ignored_by_a_folder_that_holds_seeds(tmp_path):
    a, b = _drawn_lessons(2)
    earlier = await _numbers(tmp_path / "used", None, [a, b])  # numbers stored by a session without --seed
    fresh = await _numbers(tmp_path / "fresh", 77, [a, b])
    used = await _numbers(tmp_path / "used", 77, [b, a])
    assert used == fresh != earlier
    # what --seed showed is stored: the next session without --seed resumes on the same numbers
    assert await _numbers(tmp_path / "used", None, [a, b]) == fresh


async def test_a_quiz_under_a_seed_asks_the_same_numbers(tmp_path):
    lesson = next((l for l in CURRICULUM.lessons if any(q.scenario for q in l.quiz)), None)
    if lesson is None:
        pytest.fail("no lesson has a quiz item with drawn numbers, which this test needs")
    asked = []
    for folder, warm_up in (("one", None), ("two", _drawn_lessons(1)[0])):
        app = make_app(data_dir=tmp_path / folder, seed=9)
        async with app.run_test(size=SIZE) as pilot:
            await ready(pilot, close_welcome=True)
            if warm_up is not None:  # something else drawn first must not shift the quiz's numbers
                app.open_lesson(warm_up.id)
                await pilot.pause()
            app.open_quiz((lesson.id,))
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, QuizScreen)
            asked.append((screen.item.key, dict(screen.item.exercise.values)))
    assert asked[0] == asked[1]
