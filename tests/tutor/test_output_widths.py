"""Everything the command line prints fits 80 columns: help, list, progress, examples, every worked
solution (by file and by --example name) and the class report."""

from __future__ import annotations

from pathlib import Path

import pytest

from tutor import catalog
from tutor.cli import main
from tutor.learners import Registry
from tutor.progress import Progress

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "tutor" / "examples").glob("*.json"))
assert EXAMPLES, "the shipped examples are not where this test looks for them"


def too_wide(text: str) -> list[str]:
    """Lines past 80 columns (a file path alone on its line cannot be broken, and is not counted)."""
    return [f"{len(line)}: {line}" for line in text.splitlines()
            if len(line) > 80 and not (line.strip().startswith("/") and " " not in line.strip())]


@pytest.mark.parametrize("argv", [["--help"], ["list", "--help"], ["progress", "--help"], ["reset", "--help"],
                                  ["lesson", "--help"], ["quiz", "--help"], ["solve", "--help"],
                                  ["examples", "--help"], ["serve", "--help"], ["class", "--help"],
                                  ["class", "report", "--help"], ["class", "forget-pin", "--help"]])
def test_help_fits_80_columns(argv, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    with pytest.raises(SystemExit):
        main(argv)
    out = capsys.readouterr().out
    assert out and not too_wide(out)


def test_list_and_progress_fit_80_columns_with_quiz_scores(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    with Progress.open(tmp_path) as p:
        p.record_quiz_result(["multivariate-chain"], 3, 4)  # the longest title, with a quiz score
        p.set_position("hidden-units", "one-link")
    for argv in (["list"], ["progress"]):
        assert main([*argv, "--data-dir", str(tmp_path)]) == 0
        out = capsys.readouterr().out
        assert "quiz 3/4" in out and not too_wide(out), too_wide(out)


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.stem for e in EXAMPLES])
def test_every_worked_solution_with_its_check_fits_80_columns(example, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    assert main(["solve", str(example), "--check"]) == 0
    out = capsys.readouterr().out
    assert "finite difference" in out and not too_wide(out), "\n".join(too_wide(out))


@pytest.mark.parametrize("name", [e.stem for e in EXAMPLES])
def test_every_shipped_example_solved_by_name_fits_80_columns(name, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    for argv in (["solve", "--example", name], ["solve", "--example", name, "--check"]):
        assert main(argv) == 0
        out = capsys.readouterr().out
        assert "δ" in out and not too_wide(out), "\n".join(too_wide(out))


def test_examples_fits_80_columns(capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    assert main(["examples"]) == 0
    out = capsys.readouterr().out
    assert all(e.stem in out for e in EXAMPLES) and not too_wide(out), "\n".join(too_wide(out))


def test_class_report_fits_80_columns(tmp_path, capsys, monkeypatch):
    """Two learners, one with a name of nearly the longest length allowed, with mistakes on the curriculum's longest lesson and step ids."""
    monkeypatch.setenv("COLUMNS", "80")
    curriculum, _ = catalog.load()
    places = sorted(((lesson.id, step.id, m.id) for lesson in curriculum.lessons for step in lesson.exercise_steps
                     for m in step.exercise.mistakes), key=lambda p: -len("/".join(p)))[:8]
    assert places, "no lesson step lists a mistake, which this test needs"
    with Registry(tmp_path) as registry:
        learners = [registry.enrol(name, "2468").learner
                    for name in ("Ana", "Maximiliane Wilhelmine von Hohenzollern")]
    for learner in learners:
        with Progress.open(learner.folder) as p:
            for n, (lesson_id, step_id, mistake) in enumerate(places):
                p.record_attempt(lesson_id, step_id, "1", False, mistake, n)
            p.record_quiz_result([curriculum.lessons[-1].id], 7, 10)
    assert main(["class", "report", "--data-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "Ana" in out and places[0][2] in out and not too_wide(out), "\n".join(too_wide(out))
