"""Screens the app keeps: one lesson screen shows every lesson, and screens that were closed leave
nothing of themselves behind (their keys, their title bars)."""

from __future__ import annotations

from pilot_helpers import a_wrong_answer, ready


from tutor.app import make_app
from tutor.progress import Progress
from tutor.screens.lesson import LessonScreen
from tutor.widgets.answer import AnswerBox
from tutor.widgets.feedback import FeedbackPanel, HintLadder
from tutor.widgets.keys_bar import KeysBar
from tutor.widgets.title_bar import TitleBar

SIZE = (100, 32)


def returning_learner(tmp_path):
    with Progress.open(tmp_path) as store:
        store.mark_welcomed()
    return make_app(data_dir=tmp_path, seed=3)


def exercise_lessons(curriculum):
    """Two lessons, each with a typed exercise step: (lesson, index of that step)."""
    found = []
    for lesson in curriculum.lessons:
        for i, step in enumerate(lesson.steps):
            if step.exercise is not None and step.exercise.kind != "choice":
                found.append((lesson, i))
                break
        if len(found) == 2:
            return found
    raise AssertionError("fewer than two lessons with a typed exercise")


def watchers(node, name: str) -> list:
    """The watchers registered on `node`'s reactive `name` (Textual keeps them on the node)."""
    return getattr(node, "__watchers", {}).get(name, [])


async def test_one_lesson_screen_shows_the_next_lesson_afresh_and_each_lesson_where_it_was_left(tmp_path):
    app = returning_learner(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        (first, i), (second, j) = exercise_lessons(app.curriculum)
        app.progress.set_position(first.id, first.steps[i].id)
        app.open_lesson(first.id)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, LessonScreen) and screen.lesson.id == first.id and screen.index == i
        # leave the first lesson in the middle of things: a hint shown, a wrong answer judged, text typed
        await pilot.press("f2")
        await pilot.press(*a_wrong_answer(screen.exercise), "enter")
        await pilot.pause()
        assert screen.query_one(FeedbackPanel).display and screen.verdict is not None
        await pilot.press("1")
        await pilot.press("escape")
        await pilot.pause()

        app.progress.set_position(second.id, second.steps[j].id)
        app.open_lesson(second.id)
        await pilot.pause()
        assert app.screen is screen  # the same screen, now showing the second lesson
        assert screen.lesson.id == second.id and screen.index == j
        title = str(screen.query_one("#step-title").render())
        assert f"Step {j + 1} of {len(second.steps)}" in title and second.steps[j].title[:20] in title
        assert screen.sub_title == second.title
        # nothing of the first lesson's step is left on it
        assert screen.query_one(AnswerBox).value == ""
        assert not screen.query_one(FeedbackPanel).display and screen.verdict is None and screen.judged == ""
        assert screen.query_one(HintLadder).shown == 0
        assert screen.exercise is not None and screen.exercise.spec.id == second.steps[j].exercise.id

        await pilot.press("escape")
        app.open_lesson(first.id)
        await pilot.pause()
        assert app.screen is screen and screen.lesson.id == first.id and screen.index == i
        assert screen.query_one(HintLadder).shown == 1  # the hint taken there is still taken


async def test_lessons_opened_one_after_another_leave_no_keys_or_title_bars_behind(tmp_path):
    app = returning_learner(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        home = app.screen
        for lesson in app.curriculum.lessons * 2:
            app.open_lesson(lesson.id)
            await pilot.pause()
            await pilot.press("escape")
            await pilot.pause()
        app.release_closed_screens()
        # one keys line on home, listening to home's bindings alone, however often home came back
        assert len(home.query(KeysBar)) == 1
        listening = [node for node in home.bindings_updated_signal._subscriptions if isinstance(node, KeysBar)]
        assert len(listening) == 1, listening
        # title bars watch the app's title; only those of screens that exist may stay
        for name in ("title", "sub_title"):
            bars = [node for node, _ in watchers(app, name) if isinstance(node, TitleBar)]
            assert bars and all(not node._closing for node in bars), name
            assert len(bars) <= 2, (name, len(bars))  # home's and the lesson screen's
