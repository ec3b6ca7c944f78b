"""The lesson loader accepts well-formed folders and names the problem in malformed ones."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from lessons import LessonError, load_curriculum, load_lesson

GOOD = """
format_version = 1
id = "demo"
title = "Demo"
summary = "A lesson for the loader tests."

[[steps]]
id = "intro"
type = "explanation"
title = "Intro"
text = "intro.md"

[[steps]]
id = "q1"
type = "exercise"
title = "A question"
kind = "expression"
prompt = "d/dx of x^2?"
answer = "2*x"
variables = ["x"]
derivative = { of = "x^2", wrt = "x" }
hints = ["power rule", "bring the 2 down"]
solution = "2x"

[[steps.mistakes]]
id = "kept-power"
answer = "2*x^2"
feedback = "The power drops by one."

[[steps]]
id = "q2"
type = "exercise"
title = "Pick"
kind = "choice"
prompt = "Which?"
hints = ["one", "two"]
solution = "b"
choices = [
  { key = "a", text = "zero", mistake = "zero" },
  { key = "b", text = "a_j", correct = true },
]

[[steps.mistakes]]
id = "zero"
feedback = "A coefficient is not a constant term."
"""


def _write(folder: Path, manifest: str, files: dict[str, str] | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "lesson.toml").write_text(textwrap.dedent(manifest), encoding="utf-8")
    for name, text in (files or {"intro.md": "Some prose."}).items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def test_a_well_formed_lesson_loads_into_typed_steps(tmp_path):
    lesson = load_lesson(_write(tmp_path / "01-demo", GOOD))
    assert lesson.id == "demo"
    assert [s.id for s in lesson.steps] == ["intro", "q1", "q2"]
    assert lesson.step("intro").text == "Some prose."
    q1 = lesson.step("q1").exercise
    assert q1.kind == "expression" and q1.variables == ("x",) and q1.derivative == ("x^2", "x")
    assert q1.mistakes[0].id == "kept-power"
    q2 = lesson.step("q2").exercise
    assert q2.answer == "b", "a choice exercise's answer is its correct key"
    assert [s.id for s in lesson.exercise_steps] == ["q1", "q2"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda m: m.replace("format_version = 1", "format_version = 2"), "format_version"),
        (lambda m: m.replace('text = "intro.md"', 'text = "missing.md"'), "missing.md"),
        (lambda m: m.replace('kind = "expression"', 'kind = "essay"'), "kind must be one of"),
        (lambda m: m.replace('id = "q2"', 'id = "q1"'), "duplicate id"),
        (lambda m: m.replace('type = "exercise"\ntitle = "A question"', 'type = "exercise"\ntitel = "A question"'), "titel"),
        (lambda m: m.replace('mistake = "zero"', 'mistake = "nothing"'), "unknown mistake"),
        (lambda m: m.replace('correct = true', 'correct = false'), "exactly one correct"),
        (lambda m: m.replace('answer = "2*x"\n', ""), "answer"),
        (lambda m: m.replace('visual', 'visual') + '\n[[steps]]\nid="v"\ntype="explanation"\ntitle="V"\ntext="intro.md"\nvisual="movie"\n', "visual"),
        (lambda m: m + "\nthis is = not toml [", "lesson.toml"),
    ],
)
def test_malformed_lessons_are_rejected_with_the_place_named(tmp_path, change, message):
    folder = _write(tmp_path / "01-demo", change(GOOD))
    with pytest.raises(LessonError) as err:
        load_lesson(folder)
    assert message in str(err.value)
    assert "01-demo" in str(err.value)


def test_a_prose_file_no_step_uses_is_an_orphan(tmp_path):
    folder = _write(tmp_path / "01-demo", GOOD, {"intro.md": "x", "forgotten.md": "y"})
    with pytest.raises(LessonError, match="forgotten.md"):
        load_lesson(folder)


def test_lessons_are_ordered_by_folder_and_ids_must_be_unique(tmp_path):
    _write(tmp_path / "02-second", GOOD.replace('id = "demo"', 'id = "second"'))
    _write(tmp_path / "01-first", GOOD.replace('id = "demo"', 'id = "first"'))
    (tmp_path / "legend.md").write_text("legend", encoding="utf-8")
    cur = load_curriculum(tmp_path)
    assert cur.ids == ("first", "second")
    assert cur.pages["legend"] == "legend"
    with pytest.raises(KeyError, match="first, second"):
        cur.lesson("third")
    _write(tmp_path / "03-again", GOOD.replace('id = "demo"', 'id = "first"'))
    with pytest.raises(LessonError, match="duplicate lesson id"):
        load_curriculum(tmp_path)


def test_a_group_shares_its_scenario_and_an_explanation_cannot_ask(tmp_path):
    bad = GOOD.replace('[[steps]]\nid = "intro"\ntype = "explanation"', '[[steps]]\nid = "intro"\ntype = "explanation"\nhints = ["x", "y"]')
    with pytest.raises(LessonError, match="explanation step cannot have hints"):
        load_lesson(_write(tmp_path / "01-demo", bad))
    orphan_group = GOOD.replace('title = "A question"', 'title = "A question"\ngroup = "g"')
    with pytest.raises(LessonError, match="must name its scenario"):
        load_lesson(_write(tmp_path / "02-demo", orphan_group))
