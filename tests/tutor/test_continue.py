"""Where "continue" goes: the next unfinished step, the same on the home screen (c) and in `progress`."""

from __future__ import annotations

import json

import pytest
from pilot_helpers import ready

from engine.exercises import ExerciseSpec
from lessons.model import Curriculum, Lesson, Step
from tutor import catalog
from tutor.app import make_app
from tutor.cli import main
from tutor.continuation import next_step, resume_index
from tutor.progress import Progress
from tutor.screens.home import HomeScreen
from tutor.screens.lesson import LessonScreen

SIZE = (100, 32)


def _exercise(step_id: str) -> Step:
    spec = ExerciseSpec(id=step_id, kind="expression", prompt="?", answer="x", hints=("a",), solution="s")
    return Step(id=step_id, type="exercise", title=f"Exercise {step_id}", exercise=spec)


def _prose(step_id: str) -> Step:
    return Step(id=step_id, type="explanation", title=f"Prose {step_id}", text="…")


def _curriculum() -> Curriculum:
    #          0          1              2              3          4              5
    one = Lesson("one", "One", "", 1, (_prose("p0"), _exercise("e1"), _exercise("e2"), _prose("p3"), _exercise("e4"), _prose("p5")))
    two = Lesson("two", "Two", "", 2, (_prose("q0"), _exercise("f1")))
    three = Lesson("three", "Three", "", 3, (_prose("r0"), _prose("r1")))
    return Curriculum((one, two, three), {})


@pytest.fixture
def store(tmp_path):
    with Progress.open(tmp_path) as p:
        yield p


def _solve(p: Progress, lesson_id: str, *step_ids: str) -> None:
    for step_id in step_ids:
        p.record_attempt(lesson_id, step_id, "x", True, None, seed=1)


def _where(cur, p) -> tuple[str, str] | None:
    found = next_step(cur, p)
    return None if found is None else (found.lesson_id, found.step_id)


def test_a_new_learner_starts_at_the_first_step_of_the_first_lesson(store):
    assert _where(_curriculum(), store) == ("one", "p0")


def test_the_step_being_read_is_where_to_go_on(store):
    cur = _curriculum()
    store.set_position("one", "p3")
    _solve(store, "one", "e1", "e2")
    assert _where(cur, store) == ("one", "p3")


def test_a_solved_exercise_moves_on_to_the_step_after_it(store):
    cur = _curriculum()
    _solve(store, "one", "e1")
    store.set_position("one", "e1")
    assert _where(cur, store) == ("one", "e2")


def test_a_lesson_just_finished_sends_you_to_the_next_lesson(store):
    """The defect: continue reopened the lesson just finished."""
    cur = _curriculum()
    _solve(store, "one", "e1", "e2", "e4")
    store.set_position("one", "p5")
    assert _where(cur, store) == ("two", "q0")


def test_a_skipped_exercise_is_found_when_the_lesson_was_read_to_its_end(store):
    cur = _curriculum()
    _solve(store, "one", "e1", "e4")  # e2 skipped
    store.set_position("one", "p5")  # the last step, passed with Next
    assert _where(cur, store) == ("one", "e2")


def test_going_back_to_reread_does_not_send_you_back(store):
    cur = _curriculum()
    _solve(store, "one", "e1", "e2")
    store.record_attempt("one", "e4", "wrong", False, None, seed=1)  # reached e4, not solved yet
    store.set_position("one", "p0")  # then went back to the start to read again
    assert _where(cur, store) == ("one", "e4")


def test_a_finished_lesson_wraps_round_to_an_earlier_unfinished_one(store):
    cur = _curriculum()
    _solve(store, "two", "f1")
    store.set_position("two", "f1")
    store.set_position("three", "r1")  # read three to its end, last
    assert _where(cur, store) == ("one", "p0")


def test_every_lesson_finished_means_nowhere_to_continue(store):
    cur = _curriculum()
    _solve(store, "one", "e1", "e2", "e4")
    _solve(store, "two", "f1")
    store.set_position("one", "p5")
    store.set_position("two", "f1")
    store.set_position("three", "r1")
    assert next_step(cur, store) is None
    # a finished lesson still opens where it was left, to be looked at again
    assert resume_index(cur.lesson("one"), store) == 5


# -- the real app and the command line agree ---------------------------------------------------------


async def _continue_in_app(data_dir) -> tuple[str, str]:
    app = make_app(data_dir=data_dir)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, close_welcome=True)
        assert isinstance(app.screen, HomeScreen)
        status = str(app.screen.query_one("#home-status").render())
        await pilot.press("c")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, LessonScreen)
        # the home screen said where c goes before it was pressed
        assert f"step {screen.index + 1} of {len(screen.lesson.steps)}" in status and screen.lesson.title in status
        return screen.lesson.id, screen.step.id


@pytest.mark.parametrize("situation", ["new", "first-lesson-finished", "exercise-solved-then-quit"])
async def test_home_c_and_progress_name_the_same_step(tmp_path, capsys, situation):
    cur, _ = catalog.load()
    first = cur.lessons[0]
    with Progress.open(tmp_path) as p:
        p.mark_welcomed()
        if situation == "first-lesson-finished":
            p.set_position(first.id, first.steps[-1].id)
            for step in first.exercise_steps:
                p.record_attempt(first.id, step.id, "answer", True, None, seed=1)
        elif situation == "exercise-solved-then-quit":
            step = first.exercise_steps[0]
            p.set_position(first.id, step.id)
            p.record_attempt(first.id, step.id, "answer", True, None, seed=1)
    assert main(["progress", "--json", "--data-dir", str(tmp_path)]) == 0
    said = json.loads(capsys.readouterr().out)["continue"]
    assert main(["progress", "--data-dir", str(tmp_path)]) == 0
    text = capsys.readouterr().out
    assert f"lesson {said['lesson']}" in text and f"step {said['step_number']} of {said['steps']}" in text

    opened = await _continue_in_app(tmp_path)
    assert opened == (said["lesson"], said["step"])
    if situation == "new":
        assert opened == (first.id, first.steps[0].id)
    elif situation == "first-lesson-finished":
        assert opened == (cur.lessons[1].id, cur.lessons[1].steps[0].id)
    else:
        index = first.index(first.exercise_steps[0].id)
        assert opened == (first.id, first.steps[index + 1].id)
