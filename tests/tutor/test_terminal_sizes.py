"""The tutor at the smallest supported terminal (80×24), at the guard's edges, through violent resizes, and
under NO_COLOR in a real pseudo-terminal. (test_app_screens.py covers 60×20 and one resize in a lesson.)"""

from __future__ import annotations

import os
import re
import select
import signal
import sys
import time
from pathlib import Path

import pytest
from pilot_helpers import ready

from engine.answers import format_number
from tutor.app import make_app
from tutor.screens.help import HelpScreen
from tutor.screens.lesson import LessonScreen
from tutor.screens.quiz import QuizScreen
from tutor.screens.small import TooSmallScreen

SMALLEST = (80, 24)
ROOT = Path(__file__).resolve().parents[2]


def inside(widget, size=SMALLEST) -> bool:
    """The widget is drawn, with at least one row, wholly within the terminal."""
    r = widget.region
    return r.height > 0 and r.width > 0 and r.x >= 0 and r.y >= 0 and r.right <= size[0] and r.bottom <= size[1]


def right_answer(ex) -> str:
    if ex.kind == "number":
        return format_number(ex.expected_value)
    return ex.expected  # the formula, or the key of the right choice


async def test_every_exercise_fits_and_answers_at_80x24(tmp_path):
    # test_app_lesson_flow walks every step at 80×24 for its content; this checks the geometry: the
    # question, the answer box, the choices, the verdict and the footer all inside the screen, with
    # room left for the prose, and nothing wider than the screen on home.
    app = make_app(data_dir=tmp_path, seed=11)
    answered: set[str] = set()
    async with app.run_test(size=SMALLEST) as pilot:
        await ready(pilot, close_welcome=True)
        assert not isinstance(app.screen, TooSmallScreen)
        options = app.screen.query_one("#lessons")
        assert inside(options) and options.option_count == len(app.curriculum.lessons)
        assert options.max_scroll_x == 0, "lesson rows are wider than the terminal"
        for lesson in app.curriculum.lessons:
            for step in lesson.exercise_steps:
                app.progress.set_position(lesson.id, step.id)
                app.open_lesson(lesson.id)
                await pilot.pause()
                screen = app.screen
                where = f"{lesson.id}/{step.id} at 80×24"
                assert isinstance(screen, LessonScreen) and screen.step.id == step.id, where
                body = screen.query_one("#lesson-body")
                assert inside(body) and body.region.height >= 5, f"{where}: prose squeezed to {body.region.height} rows"
                for part in ("#step-title", "#prompt", "#answer-input", "KeysBar"):
                    assert inside(screen.query_one(part)), f"{where}: {part} is off screen"
                ex = screen.exercise
                if ex.kind == "choice":
                    choices = screen.query_one("#choices")
                    assert inside(choices) and choices.option_count == len(ex.choices), where
                if ex.kind not in answered:  # answer one step of each kind with the keyboard
                    answered.add(ex.kind)
                    await pilot.press(*list(right_answer(ex)), "enter")
                    await pilot.pause()
                    feedback = screen.query_one("#feedback")
                    assert inside(feedback), f"{where}: the verdict is off screen"
                    assert "-correct" in feedback.classes, f"{where}: {right_answer(ex)!r} was not accepted"
    assert answered == {"expression", "number", "choice"}


async def test_no_picture_is_wider_than_80_columns(tmp_path):
    app = make_app(data_dir=tmp_path, seed=11)
    too_wide = []
    async with app.run_test(size=SMALLEST) as pilot:
        await ready(pilot, close_welcome=True)
        for lesson in app.curriculum.lessons:
            for step in lesson.steps:
                if not step.visual:
                    continue
                app.progress.set_position(lesson.id, step.id)
                app.open_lesson(lesson.id)
                await pilot.pause()
                await pilot.pause()  # the layout after the scrollbar has appeared, not the frame before
                body = app.screen.query_one("#lesson-body")
                for _ in range(5):  # the prose lays out in steps (a scrollbar may still come): judge it settled
                    if body.max_scroll_x == 0:
                        break
                    await pilot.pause(0.1)
                if body.max_scroll_x > 0:  # the body hides what does not fit across: it is cut, not scrollable
                    too_wide.append(f"{lesson.id}/{step.id} ({body.virtual_size.width} columns)")
    assert not too_wide, "wider than 80 columns: " + ", ".join(too_wide)


@pytest.mark.parametrize("size, small", [((79, 24), True), ((80, 23), True), ((80, 24), False), ((79, 23), True)])
async def test_the_size_guard_edges(tmp_path, size, small):
    app = make_app(data_dir=tmp_path, seed=1)
    async with app.run_test(size=size) as pilot:
        await ready(pilot, close_welcome=True)
        assert isinstance(app.screen, TooSmallScreen) is small, size


# Sizes a window manager really produces while dragging, including degenerate ones.
STORM = [(1, 1), (79, 24), (200, 60), (2, 50), (300, 5), (80, 23), (81, 25), (10, 3), (120, 40)]


async def _storm(pilot, size_after=SMALLEST) -> None:
    for size in STORM:
        await pilot.resize_terminal(*size)
        await pilot.pause()
        small = size[0] < SMALLEST[0] or size[1] < SMALLEST[1]
        assert isinstance(pilot.app.screen, TooSmallScreen) is small, size
    await pilot.resize_terminal(*size_after)
    await pilot.pause()


async def test_a_resize_storm_in_a_lesson_keeps_the_step_and_the_typing(tmp_path):
    app = make_app(data_dir=tmp_path, seed=5)
    async with app.run_test(size=SMALLEST) as pilot:
        await ready(pilot, close_welcome=True)
        lesson = next(l for l in app.curriculum.lessons if any(s.visual == "network" and s.exercise for s in l.steps))
        step = next(s for s in lesson.steps if s.visual == "network" and s.exercise)
        app.progress.set_position(lesson.id, step.id)
        app.open_lesson(lesson.id)
        await pilot.pause()
        screen = app.screen
        await pilot.press("0", ".", "5")
        await _storm(pilot)
        assert app.screen is screen and screen.step.id == step.id
        assert screen.query_one("#answer-input").value == "0.5"
        assert inside(screen.query_one("#answer-input"))
        await pilot.press("enter")  # still answers
        await pilot.pause()
        assert screen.query_one("#feedback").classes & {"-correct", "-wrong", "-unreadable"}


async def test_a_resize_storm_in_the_quiz_and_help_loses_nothing(tmp_path):
    app = make_app(data_dir=tmp_path, seed=5)
    async with app.run_test(size=SMALLEST) as pilot:
        await ready(pilot, close_welcome=True)
        app.open_quiz(())
        await pilot.pause()
        quiz = app.screen
        assert isinstance(quiz, QuizScreen)
        first = quiz.current
        await pilot.press("1")
        await _storm(pilot)
        assert app.screen is quiz and quiz.current == first
        assert quiz.query_one("#quiz-answer").input.value == "1"
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await _storm(pilot, size_after=(100, 30))
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is quiz


# -- NO_COLOR in a real terminal ----------------------------------------------------------------------

WELCOME = "Welcome to backprop-tutor"
SGR = re.compile(r"\x1b\[([0-9;:]*)m")
ANSI = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|P[^\x1b]*\x1b\\|[@-Z\\-_])")


def colours(out: str) -> list[tuple[str, object]]:
    """Every colour the SGR sequences in `out` set: ("rgb", (r, g, b)), ("256", n) or ("16", code)."""
    found = []
    for params in SGR.findall(out):
        parts = [int(p) if p.isdigit() else 0 for p in re.split(r"[;:]", params)]
        i = 0
        while i < len(parts):
            code = parts[i]
            if code in (38, 48) and i + 1 < len(parts) and parts[i + 1] == 2:
                found.append(("rgb", tuple(parts[i + 2:i + 5])))
                i += 5
            elif code in (38, 48) and i + 1 < len(parts) and parts[i + 1] == 5:
                found.append(("256", parts[i + 2] if i + 2 < len(parts) else 0))
                i += 3
            else:
                if 30 <= code <= 37 or 40 <= code <= 47 or 90 <= code <= 97 or 100 <= code <= 107:
                    found.append(("16", code))
                i += 1
    return found


def hue(colour: tuple[str, object]) -> bool:
    """True for a colour that is not a shade of grey."""
    kind, value = colour
    if kind == "rgb":
        return len(set(value)) > 1
    if kind == "256":
        if value >= 232 or value in (0, 7, 8, 15):
            return False
        if 16 <= value <= 231:
            r, g, b = (value - 16) // 36, (value - 16) // 6 % 6, (value - 16) % 6
            return len({r, g, b}) > 1
        return True
    return value not in (30, 37, 40, 47, 90, 97, 100, 107)


def _screen_bytes(env_extra: dict, data_dir: Path, linger: float = 1.5) -> str:
    """What the real `python -m tutor` writes to an 80×24 pseudo-terminal until its first-run welcome
    is on screen, and for `linger` seconds more (the lessons fill in meanwhile)."""
    import fcntl
    import struct
    import termios

    env = {k: v for k, v in os.environ.items() if not k.startswith("TEXTUAL") and k != "NO_COLOR"}
    env.update(TERM="xterm-256color", COLORTERM="truecolor", BACKPROP_TUTOR_DATA_DIR=str(data_dir), **env_extra)
    pid, fd = os.forkpty()
    if pid == 0:
        try:
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
            os.chdir(ROOT)
            os.execve(sys.executable, [sys.executable, "-m", "tutor"], env)
        finally:
            os._exit(127)
    raw, seen_home = b"", None
    end = time.monotonic() + 60
    try:
        while time.monotonic() < end:
            if seen_home is not None and time.monotonic() > seen_home + linger:
                break
            if select.select([fd], [], [], 0.1)[0]:
                try:
                    chunk = os.read(fd, 65536)
                except OSError:
                    break
                if not chunk:
                    break
                raw += chunk
                if seen_home is None and WELCOME in ANSI.sub("", raw.decode("utf-8", "replace")):
                    seen_home = time.monotonic()
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(fd)
    return raw.decode("utf-8", "replace")


def test_no_color_gives_a_colourless_screen_in_a_real_terminal(tmp_path):
    coloured = _screen_bytes({}, tmp_path / "a")
    plain = _screen_bytes({"NO_COLOR": "1"}, tmp_path / "b")
    for out in (coloured, plain):
        assert WELCOME in ANSI.sub("", out), out[-500:]

    assert any(hue(c) for c in colours(coloured)), "without NO_COLOR there are colours (so this test can fail)"
    tinted = sorted({c for c in colours(plain) if hue(c)})
    assert not tinted, f"NO_COLOR=1 still sets colours: {tinted[:5]}"
