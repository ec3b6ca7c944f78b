"""Snapshots of the main screens: home, a lesson with feedback, the network picture, the quiz result."""

from __future__ import annotations

import pytest
from pilot_helpers import ready

from engine.answers import evaluate
from tutor import catalog
from tutor.app import make_app

CURRICULUM, _ = catalog.load()


async def settle(pilot) -> None:
    """Wait for the curriculum, get past the welcome, and stop the cursor blinking."""
    await ready(pilot, close_welcome=True)
    await still(pilot)


async def still(pilot) -> None:
    """No blinking cursor and no passing notifications in a snapshot."""
    for box in pilot.app.screen.query("Input"):
        box.cursor_blink = False
    pilot.app.clear_notifications()
    await pilot.pause()


async def goto(pilot, lesson_id: str, step_id: str) -> None:
    app = pilot.app
    app.open_lesson(lesson_id)
    await pilot.pause()
    while app.screen.step.id != step_id:
        await pilot.press("ctrl+n")
    await still(pilot)


def test_home(snap_compare, tmp_path):
    app = make_app(data_dir=tmp_path, seed=1)
    assert snap_compare(app, terminal_size=(80, 24), run_before=settle)


def test_lesson_with_feedback(snap_compare, tmp_path):
    found = [(l, s) for l in CURRICULUM.lessons for s in l.steps
             if s.exercise is not None and s.exercise.kind == "expression" and any(m.answer for m in s.exercise.mistakes)]
    if not found:
        pytest.fail("the curriculum has no expression exercise with a catalogued mistake, which this test needs")
    lesson, step = found[0]
    mistake = next(m for m in step.exercise.mistakes if m.answer)

    async def run_before(pilot):
        await settle(pilot)
        await goto(pilot, lesson.id, step.id)
        await pilot.press(*list(mistake.answer), "enter")
        await still(pilot)

    assert snap_compare(make_app(data_dir=tmp_path, seed=1), terminal_size=(80, 24), run_before=run_before)


def test_network_view(snap_compare, tmp_path):
    found = [(l, s) for l in CURRICULUM.lessons for s in l.steps if s.visual == "network" and s.exercise is not None]
    if not found:
        pytest.fail("the curriculum has no network exercise, which this test needs")
    lesson, step = found[0]

    async def run_before(pilot):
        await settle(pilot)
        await goto(pilot, lesson.id, step.id)

    assert snap_compare(make_app(data_dir=tmp_path, seed=1), terminal_size=(100, 32), run_before=run_before)


def test_graph_view_with_gradients(snap_compare, tmp_path):
    # the graph with its backward values: the road through x_1 solved, the other road and the total still "?"
    found = [(l, s) for l in CURRICULUM.lessons for s in l.steps
             if s.visual == "graph" and s.exercise is not None and s.exercise.kind == "number"]
    if not found:
        pytest.fail("the curriculum has no number exercise beside a graph, which this test needs")
    lesson, step = found[0]

    async def run_before(pilot):
        await settle(pilot)
        await goto(pilot, lesson.id, step.id)
        screen = pilot.app.screen
        await pilot.press(*repr(round(screen.exercise.expected_value, 6)), "enter")
        await still(pilot)

    assert snap_compare(make_app(data_dir=tmp_path, seed=1), terminal_size=(80, 24), run_before=run_before)


def test_quiz_result(snap_compare, tmp_path):
    lesson = next((l for l in CURRICULUM.lessons if len(l.quiz) >= 2), None)
    if lesson is None:
        pytest.fail("the curriculum has no lesson with two quiz items, which this test needs")

    async def run_before(pilot):
        await settle(pilot)
        app = pilot.app
        screen = app.screen
        for n in range(len(screen.items)):
            ex = screen.item.exercise
            if n == 0:
                wrong = next((m for m in ex.spec.mistakes if m.answer), None)
                if ex.kind == "choice":
                    answer = next(c.key for c in ex.choices if not c.correct)
                elif wrong is not None:
                    answer = repr(evaluate(wrong.answer, ex.values)) if ex.kind == "number" else wrong.answer
                else:
                    answer = "12345"
            else:
                answer = ex.expected
            await pilot.press(*list(answer), "enter", "enter")
        await still(pilot)

    app = make_app(data_dir=tmp_path, seed=1, start=("quiz", lesson.id))
    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_network_view_light_theme(snap_compare, tmp_path):
    found = [(l, s) for l in CURRICULUM.lessons for s in l.steps if s.visual == "network" and s.exercise is not None]
    if not found:
        pytest.fail("the curriculum has no network exercise, which this test needs")
    lesson, step = found[0]

    async def run_before(pilot):
        await settle(pilot)
        await pilot.press("ctrl+t")
        await goto(pilot, lesson.id, step.id)

    assert snap_compare(make_app(data_dir=tmp_path, seed=1), terminal_size=(80, 24), run_before=run_before)


def test_worksheet(snap_compare, tmp_path):
    """The practice worksheet at 80×24 with a right cell, a named mistake and a carried one."""
    from worksheet_helpers import answer, hand_pass, open_worksheet, six

    async def run_before(pilot):
        screen = await open_worksheet(pilot)
        s = screen.session.ws.setting
        spec = {"weights": s.weights, "biases": s.biases, "input": s.x, "target": s.t, "learning_rate": s.eta}
        truth = hand_pass(spec)
        await answer(pilot, screen, "net[0][0]", six(truth["net[0][0]"]))
        a_off = truth["a[0][0]"] + 0.1
        await answer(pilot, screen, "a[0][0]", six(a_off))
        w, b = s.weights[1][0], s.biases[1][0]
        await answer(pilot, screen, "net[1][0]", six(w[0] * a_off + w[1] * truth["a[0][1]"] + b))
        await still(pilot)

    app = make_app(data_dir=tmp_path, seed=3, start=("practice",))
    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)
