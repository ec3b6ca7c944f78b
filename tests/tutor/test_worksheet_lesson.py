"""Worksheets in the rest of the tutor: the class report counts their misconceptions, and the lesson's worksheet step."""

from __future__ import annotations

import pytest
from pilot_helpers import ready
from worksheet_helpers import answer, hand_pass, open_worksheet, six

from lessons.loader import LessonError, load_lesson
from tutor import catalog, class_report
from tutor.app import make_app
from tutor.learners import LEARNERS_DIR
from tutor.progress import Progress
from tutor.worksheet_session import Origin, PRACTICE, WorksheetSession, draw

CURRICULUM, _ = catalog.load()
LESSON = CURRICULUM.lesson("backward-pass")
STEP = next(s for s in LESSON.steps if s.worksheet is not None)


def sum_only(spec: dict, truth: dict, j: int) -> float:
    W2 = spec["weights"][1]
    return sum(W2[k][j] * truth[f"delta[1][{k}]"] for k in range(len(W2)))


def test_the_class_report_counts_worksheet_misconceptions(tmp_path):
    folder = tmp_path / LEARNERS_DIR / "ada"
    folder.mkdir(parents=True)
    spec = draw(3)
    truth = hand_pass(spec)
    with Progress.open(folder) as store:
        session = WorksheetSession.open(spec, Origin(PRACTICE, "", 3, "Practice", drawn=True), store)
        for j in (0, 1):
            assert session.grade(f"delta[0][{j}]", six(sum_only(spec, truth, j))).mistake == "sigma-prime-dropped"
        assert session.grade("E", six(truth["E"])).correct
    report = class_report.build(tmp_path, CURRICULUM)
    ada = report["learners"][0]
    assert ada["answers"] == 3 and ada["right"] == 1
    assert ada["mistakes"] == [{"id": "sigma-prime-dropped", "count": 2}]
    (common,) = report["class"]["mistakes"]
    assert common["id"] == "sigma-prime-dropped" and common["count"] == 2 and common["learners"] == 1
    assert {s["step"] for s in common["steps"]} == {"practice/delta[0][0]", "practice/delta[0][1]"}
    assert "sigma-prime-dropped: 2 time(s), 1 learner(s)" in class_report.format_text(report)


def test_the_backward_pass_lesson_ends_with_a_worksheet_step():
    assert LESSON.steps[-1] is STEP and STEP.exercise is None
    assert STEP in LESSON.task_steps and STEP not in LESSON.exercise_steps
    assert STEP.text.strip()  # its words are lesson data


@pytest.mark.parametrize("seed", range(1, 9))
def test_the_worksheet_steps_draws_keep_every_misconception_apart(seed):
    from engine.practice import distinguishable
    from engine.worksheet import Worksheet

    spec = draw(seed, STEP.worksheet)
    assert distinguishable(Worksheet(spec))
    assert spec["layers"] == list(STEP.worksheet["layers"]) and "learning_rate" in spec


@pytest.mark.parametrize("table, needle", [
    ('worksheet = { layers = [2, 9, 2] }', "layers must be"),
    ('worksheet = { layers = [2] }', "layers must be"),
    ('worksheet = { depth = 3 }', "unknown field"),
    ('worksheet = { biases = "yes" }', "wrong type"),
    ('worksheet = {}\nkind = "number"', "cannot have"),
])
def test_the_loader_refuses_a_bad_worksheet_step(tmp_path, table, needle):
    folder = tmp_path / "01-x"
    folder.mkdir()
    (folder / "w.md").write_text("Work the pass.", encoding="utf-8")
    (folder / "lesson.toml").write_text(
        'format_version = 1\nid = "x"\ntitle = "X"\nsummary = "s"\n\n[[steps]]\nid = "w"\ntype = "worksheet"\n'
        f'title = "W"\ntext = "w.md"\n{table}\n', encoding="utf-8")
    with pytest.raises(LessonError, match=needle):
        load_lesson(folder)


async def test_completing_the_worksheet_completes_the_step(tmp_path):
    app = make_app(data_dir=tmp_path, seed=21)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, close_welcome=True)
        app.progress.set_position(LESSON.id, STEP.id)
        app.open_lesson(LESSON.id)
        await pilot.pause()
        lesson_screen = app.screen
        assert lesson_screen.step.id == STEP.id
        await pilot.press("enter")
        screen = await open_worksheet(pilot)
        s = screen.session.ws.setting
        spec = {"weights": s.weights, "biases": s.biases, "input": s.x, "target": s.t, "learning_rate": s.eta}
        truth = hand_pass(spec)
        cells = [c.address for c in screen.session.ws.cells]
        await answer(pilot, screen, cells[0], six(truth[cells[0]] + 1))  # one wrong first: not yet solved
        for address in cells:
            await answer(pilot, screen, address, six(truth[address]))
            if address == cells[-2]:
                assert STEP.id not in app.progress.solved_steps(LESSON.id)
        assert screen.session.all_right
        assert STEP.id in app.progress.solved_steps(LESSON.id)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is lesson_screen
        assert "solved" in str(lesson_screen.query_one("#step-title").render())
        # the cells are stored under the step, apart from the step's own record
        steps = {a.step_id for a in app.progress.attempts(LESSON.id)}
        assert STEP.id in steps and f"{STEP.id}/{cells[0]}" in steps
