"""The command line: list, progress, reset, lesson-id and argument errors, through main() and a real process."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tutor import __version__
from tutor.cli import load_curriculum, main
from tutor.progress import Progress

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def isolated_data(monkeypatch, tmp_path):
    """Never touch the real user data folder: the environment points at a temporary one."""
    monkeypatch.setenv("BACKPROP_TUTOR_DATA_DIR", str(tmp_path / "env-data"))
    return tmp_path / "env-data"


@pytest.fixture(scope="module")
def cur():
    c = load_curriculum()
    assert len(c.lessons) >= 2, "the CLI tests need at least two lessons that load"
    return c


def _finish(data: Path, lesson) -> None:
    """Answer every exercise of a lesson correctly, as the app would record it."""
    with Progress.open(data) as p:
        p.set_position(lesson.id, lesson.steps[-1].id)
        for step in lesson.exercise_steps:
            p.record_attempt(lesson.id, step.id, "answer", True, None, seed=1)


def _begin(data: Path, lesson) -> None:
    with Progress.open(data) as p:
        p.set_position(lesson.id, lesson.steps[0].id)


def _one_error_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("backprop-tutor: error: ") and "Traceback" not in err
    return lines[0]


# -- list and progress -----------------------------------------------------------------------------------


def test_list_shows_every_lesson_with_its_progress(tmp_path, capsys, cur):
    first, second = cur.lessons[0], cur.lessons[1]
    _finish(tmp_path, first)
    _begin(tmp_path, second)
    assert main(["list", "--data-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    for lesson in cur.lessons:
        assert lesson.id in out and lesson.title in out
    rows = out.splitlines()
    # a lesson's line, and the line under it when its progress did not fit within 80 columns
    lines = {line.split()[1]: line + (rows[i + 1] if i + 1 < len(rows) and rows[i + 1].startswith(" ") else "")
             for i, line in enumerate(rows) if line[:1].isdigit()}
    assert all(len(row) <= 80 for row in rows)
    assert "done" in lines[first.id]
    assert "in progress" in lines[second.id] and f"0/{len(second.exercise_steps)}" in lines[second.id]
    for lesson in cur.lessons[2:]:
        assert "not started" in lines[lesson.id]


def test_options_go_before_or_after_the_command(tmp_path, capsys, cur):
    _finish(tmp_path, cur.lessons[0])
    assert main(["--data-dir", str(tmp_path), "--seed", "7", "list"]) == 0
    before = capsys.readouterr().out
    assert main(["list", "--seed", "7", "--data-dir", str(tmp_path)]) == 0
    assert capsys.readouterr().out == before and "done" in before


def test_progress_json_is_valid_with_a_status_per_lesson(tmp_path, capsys, cur):
    first, second = cur.lessons[0], cur.lessons[1]
    _finish(tmp_path, first)
    with Progress.open(tmp_path) as p:
        p.record_quiz_result([second.id], 2, 3)
    assert main(["progress", "--json", "--data-dir", str(tmp_path)]) == 0
    data = json.loads(capsys.readouterr().out)
    status = {item["id"]: item["status"] for item in data["lessons"]}
    assert list(status) == list(cur.ids)
    assert status[first.id] == "done" and status[second.id] == "not started"
    assert data["lessons"][1]["best_quiz"] == {"score": 2, "total": 3}
    assert data["totals"]["done"] == 1 and data["totals"]["lessons"] == len(cur.lessons)
    assert data["last_lesson"] == first.id and data["saving"] is True


def test_progress_in_plain_text(tmp_path, capsys, cur):
    _begin(tmp_path, cur.lessons[1])
    assert main(["progress", "--data-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert f"Lessons done: 0 of {len(cur.lessons)}; in progress: 1." in out
    assert f"backprop-tutor lesson {cur.lessons[1].id}" in out
    assert str(tmp_path / "progress.db") in out


def test_environment_variable_chooses_the_data_folder(isolated_data, capsys, cur):
    _finish(isolated_data, cur.lessons[0])
    assert main(["progress", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["database"] == str(isolated_data / "progress.db")
    assert data["lessons"][0]["status"] == "done"


def test_unwritable_data_folder_still_lists_and_says_nothing_is_saved(tmp_path, capsys, cur):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert main(["list", "--data-dir", str(blocker / "data")]) == 0
    out, err = capsys.readouterr()
    assert cur.lessons[0].id in out and "not be saved" in err
    assert main(["reset", "--yes", "--data-dir", str(blocker / "data")]) == 1
    assert "nothing was forgotten" in capsys.readouterr().err


def test_corrupt_database_is_reported_once_and_progress_still_works(tmp_path, capsys, cur):
    (tmp_path / "progress.db").write_bytes(b"\x00garbage" * 500)
    assert main(["progress", "--data-dir", str(tmp_path)]) == 0
    out, err = capsys.readouterr()
    assert "moved to" in err and "Lessons done: 0" in out
    assert main(["progress", "--data-dir", str(tmp_path)]) == 0
    assert "moved to" not in capsys.readouterr().err


# -- reset ---------------------------------------------------------------------------------------------


def _statuses(data: Path, cur) -> dict[str, str]:
    with Progress.open(data) as p:
        return {lesson.id: p.status(lesson.id, [s.id for s in lesson.exercise_steps]) for lesson in cur.lessons}


def test_reset_one_lesson_with_yes(tmp_path, capsys, cur):
    first, second = cur.lessons[0], cur.lessons[1]
    _finish(tmp_path, first)
    _finish(tmp_path, second)
    assert main(["reset", first.id, "--yes", "--data-dir", str(tmp_path)]) == 0
    assert first.id in capsys.readouterr().out
    got = _statuses(tmp_path, cur)
    assert got[first.id] == "not started" and got[second.id] == "done"


def test_reset_all_after_answering_y(tmp_path, capsys, monkeypatch, cur):
    _finish(tmp_path, cur.lessons[0])
    _finish(tmp_path, cur.lessons[1])
    monkeypatch.setattr(sys, "stdin", io.StringIO("y\n"))
    assert main(["reset", "--data-dir", str(tmp_path)]) == 0
    assert "[y/N]" in capsys.readouterr().out
    assert set(_statuses(tmp_path, cur).values()) == {"not started"}


def test_reset_answered_n_forgets_nothing(tmp_path, capsys, monkeypatch, cur):
    first = cur.lessons[0]
    _finish(tmp_path, first)
    monkeypatch.setattr(sys, "stdin", io.StringIO("n\n"))
    assert main(["reset", first.id, "--data-dir", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert f"Forget progress for lesson {first.id}" in out and "Nothing was forgotten" in out
    assert _statuses(tmp_path, cur)[first.id] == "done"


def test_reset_without_an_answer_counts_as_no_and_says_so(tmp_path, capsys, monkeypatch, cur):
    _finish(tmp_path, cur.lessons[0])
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    assert main(["reset", "--data-dir", str(tmp_path)]) == 1
    assert "nothing was forgotten" in capsys.readouterr().err
    assert _statuses(tmp_path, cur)[cur.lessons[0].id] == "done"


# -- bad arguments -------------------------------------------------------------------------------------


@pytest.mark.parametrize("argv", [["lesson", "no-such-lesson"], ["quiz", "{first}", "no-such-lesson"],
                                  ["reset", "no-such-lesson", "--yes"]])
def test_unknown_lesson_id_is_one_line_listing_the_ids(argv, capsys, cur):
    argv = [a.format(first=cur.ids[0]) for a in argv]
    assert main(argv) == 2
    out, err = capsys.readouterr()
    line = _one_error_line(err)
    assert "'no-such-lesson'" in line and all(i in line for i in cur.ids)
    assert out == ""


@pytest.mark.parametrize("argv", [["--frobnicate"], ["list", "--frobnicate"], ["progress", "--jsn"],
                                  ["frobnicate"], ["lesson"], ["--seed", "notanumber"],
                                  ["list", "--seed", "1.5"], ["--seed", "-1", "list"], ["--data-dir", "", "list"],
                                  ["reset", "a", "b"]])
def test_bad_arguments_are_one_line_and_status_2(argv, capsys):
    assert main(argv) == 2
    out, err = capsys.readouterr()
    _one_error_line(err)
    assert "usage:" not in err and out == ""


def test_seed_error_names_the_option(capsys):
    assert main(["--seed", "notanumber"]) == 2
    assert "--seed" in _one_error_line(capsys.readouterr().err)


def test_version_and_help_after_a_command(capsys):
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0 and capsys.readouterr().out.strip() == f"backprop-tutor {__version__}"
    with pytest.raises(SystemExit) as done:
        main(["reset", "--help"])
    assert done.value.code == 0 and "--yes" in capsys.readouterr().out


def test_interactive_commands_need_a_terminal(capsys, cur):
    # Under pytest stdout is captured, not a terminal: the app must not start.
    for argv in ([], ["lesson", cur.ids[0]], ["quiz"]):
        assert main(argv) == 2
        assert "terminal" in _one_error_line(capsys.readouterr().err)


# -- a real process --------------------------------------------------------------------------------------


def _run(*args: str, data: Path, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tutor", *args, "--data-dir", str(data)], input=stdin,
                          capture_output=True, text=True, encoding="utf-8", cwd=ROOT, timeout=60)


def test_real_process_list_progress_reset_and_errors(tmp_path, cur):
    first = cur.lessons[0]
    _finish(tmp_path, first)
    listed = _run("list", data=tmp_path)
    assert listed.returncode == 0 and first.title in listed.stdout and "error" not in listed.stderr
    data = json.loads(_run("progress", "--json", data=tmp_path).stdout)
    assert data["lessons"][0]["status"] == "done"
    kept = _run("reset", first.id, data=tmp_path, stdin="n\n")
    assert kept.returncode == 1 and _statuses(tmp_path, cur)[first.id] == "done"
    gone = _run("reset", first.id, data=tmp_path, stdin="yes\n")
    assert gone.returncode == 0 and _statuses(tmp_path, cur)[first.id] == "not started"
    bad = _run("lesson", "no-such-lesson", data=tmp_path)
    assert bad.returncode == 2 and cur.ids[-1] in _one_error_line(bad.stderr)
    seed = _run("--seed", "notanumber", "list", data=tmp_path)
    assert seed.returncode == 2 and _one_error_line(seed.stderr)
    version = _run("--version", data=tmp_path)
    assert version.returncode == 0 and version.stdout.strip() == f"backprop-tutor {__version__}"


def test_plain_commands_do_not_import_the_app(tmp_path):
    code = ("import sys; from tutor.cli import main; main(['list']); main(['progress', '--json']); "
            "print(sorted(m for m in ('textual', 'rich', 'sympy', 'tutor.app') if m in sys.modules), file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60,
                          env={**os.environ, "BACKPROP_TUTOR_DATA_DIR": str(tmp_path)})
    assert done.returncode == 0 and done.stderr.strip().splitlines()[-1] == "[]"


def test_list_on_a_terminal_that_cannot_encode_unicode(tmp_path, cur):
    with Progress.open(tmp_path) as p:
        p.record_quiz_result([cur.ids[0]], 1, 2)  # the progress column then holds a "·"
    env = {**os.environ, "PYTHONIOENCODING": "ascii"}
    done = subprocess.run([sys.executable, "-m", "tutor", "list", "--data-dir", str(tmp_path)], capture_output=True,
                          text=True, encoding="ascii", errors="strict", cwd=ROOT, env=env, timeout=60)
    assert done.returncode == 0 and "Traceback" not in done.stderr
    assert cur.ids[-1] in done.stdout and "quiz 1/2" in done.stdout
