"""Everything the command line prints fits 80 columns: help, list, progress and every worked solution."""

from __future__ import annotations

from pathlib import Path

import pytest

from tutor.cli import main
from tutor.progress import Progress

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.json"))


def too_wide(text: str) -> list[str]:
    """Lines past 80 columns (a file path alone on its line cannot be broken, and is not counted)."""
    return [f"{len(line)}: {line}" for line in text.splitlines()
            if len(line) > 80 and not (line.strip().startswith("/") and " " not in line.strip())]


@pytest.mark.parametrize("argv", [["--help"], ["list", "--help"], ["progress", "--help"], ["reset", "--help"],
                                  ["lesson", "--help"], ["quiz", "--help"], ["solve", "--help"]])
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
