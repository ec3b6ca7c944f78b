"""Palette, help, theme, and the terminal-size guard, including a resize while a lesson is open."""

from __future__ import annotations

from pilot_helpers import ready, welcome_said

from tutor.app import make_app
from tutor.keys import HINT_KEY
from tutor.screens.help import HelpScreen
from tutor.screens.home import HomeScreen
from tutor.screens.lesson import LessonScreen
from tutor.screens.small import TooSmallScreen

SIZE = (100, 32)


async def test_palette_opens_a_lesson(tmp_path):
    app = make_app(data_dir=tmp_path, seed=1)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("enter")
        lesson = app.curriculum.lessons[-1]
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*list(f"Lesson {lesson.order:02d}"))
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, LessonScreen)
        assert app.screen.lesson.id == lesson.id


async def test_small_terminal_shows_a_clear_message(tmp_path):
    app = make_app(data_dir=tmp_path, seed=1)
    async with app.run_test(size=(60, 20)) as pilot:
        await ready(pilot)
        assert isinstance(app.screen, TooSmallScreen)
        message = str(app.screen.query_one("#too-small").render())
        assert "enlarge the terminal to at least 80×24" in message
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert not isinstance(app.screen, TooSmallScreen)


async def test_resize_while_a_lesson_is_open_keeps_the_place(tmp_path):
    app = make_app(data_dir=tmp_path, seed=1)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("enter")
        lesson = app.curriculum.lessons[0]
        app.open_lesson(lesson.id)
        await pilot.pause()
        screen = app.screen
        target = next(i for i, s in enumerate(lesson.steps) if s.exercise is not None)
        for _ in range(target):
            await pilot.press("ctrl+n")
        await pilot.press("1", "2")
        await pilot.resize_terminal(70, 20)
        await pilot.pause()
        assert isinstance(app.screen, TooSmallScreen)
        await pilot.press("ctrl+n")  # keys do not reach the lesson underneath
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert app.screen is screen
        assert screen.index == target
        assert screen.query_one("#answer-input").value == "12"


async def test_help_shows_keys_typing_and_legend(tmp_path):
    app = make_app(data_dir=tmp_path, seed=1)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("enter", "f1")
        assert isinstance(app.screen, HelpScreen)
        assert HINT_KEY in app.screen._page().parts[0].markdown
        for name in ("typing", "legend"):  # → turns to the next page
            await pilot.press("right")
            await pilot.pause()
            page = app.curriculum.pages.get(name)
            assert page
            assert app.screen._page().parts[0].markdown == page
            shown = app.screen._page().text()
            first_heading = next(line.lstrip("# ").strip() for line in page.splitlines() if line.startswith("#"))
            assert first_heading in shown
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)


async def test_theme_toggles_between_dark_and_light(tmp_path):
    app = make_app(data_dir=tmp_path, seed=1)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("enter")
        before = app.theme
        await pilot.press("ctrl+t")
        assert app.theme != before and app.theme in ("textual-dark", "textual-light")
        await pilot.press("ctrl+t")
        assert app.theme == before


async def test_palette_reset_asks_first_then_forgets(tmp_path):
    app = make_app(data_dir=tmp_path, seed=1)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("enter")
        lesson = app.curriculum.lessons[0]
        app.progress.set_position(lesson.id, lesson.steps[-1].id)
        ids = [s.id for s in lesson.exercise_steps]
        assert app.progress.status(lesson.id, ids) == "in progress"
        for answer in ("n", "y"):
            await pilot.press("ctrl+p")
            await pilot.pause()
            await pilot.press(*list("Reset all progress"))
            await pilot.pause(0.3)
            await pilot.press("enter")
            await pilot.pause()
            assert type(app.screen).__name__ == "ConfirmReset"
            await pilot.press(answer)
            await pilot.pause()
            expected = "in progress" if answer == "n" else "not started"
            assert app.progress.status(lesson.id, ids) == expected
        assert isinstance(app.screen, HomeScreen)
        assert "not started" in str(app.screen.query_one("#lessons").get_option_at_index(0).prompt)


async def test_an_unwritable_data_folder_runs_and_says_progress_is_not_saved(tmp_path):
    blocked = tmp_path / "a-file-not-a-folder"
    blocked.write_text("")
    app = make_app(data_dir=blocked, seed=1)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ready(pilot)
        await pilot.pause()
        assert "not saved" in await welcome_said(pilot)
        assert not app.screen.query("Toast")  # nothing covers the welcome while it is read
        await pilot.press("enter")
        status = str(app.screen.query_one("#home-status").render())
        assert "not be saved" in status and "a-file-not-a-folder" in status.replace("\n", "")
        await pilot.press("c")
        assert isinstance(app.screen, LessonScreen)


def test_importing_the_app_leaves_the_lessons_and_maths_for_later():
    import subprocess
    import sys

    code = ("import sys, tutor.app; "
            "print(sorted(m for m in ('numpy', 'sympy', 'lessons', 'engine') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
