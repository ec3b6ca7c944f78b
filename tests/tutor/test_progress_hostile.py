"""Progress files built to break the store: damage past the header, values of the wrong kind, locks held by
another process, a newer version's file, links to devices, foreign schemas."""

from __future__ import annotations

import json
import os
import random
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from pilot_helpers import welcome_said

from tutor.progress import Progress
from tutor.progress_schema import BUSY_TIMEOUT_MS

ROOT = Path(__file__).resolve().parents[2]
DB = "progress.db"
LESSON = "chain-rule"  # a real lesson id, so the CLI's summary shows what the store holds


def _cli(*args: str, timeout: float = 20, **kwargs) -> subprocess.CompletedProcess:
    """The real command in a child process; the timeout is only a guard against a hang."""
    return subprocess.run([sys.executable, "-m", "tutor", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout, **kwargs)


def _fill(data: Path, n: int = 200) -> bytes:
    with Progress.open(data, clock=lambda: 1000.0) as p:
        for i in range(n):
            p.record_attempt("one", "e1", f"answer {i} " + "x" * 100, False, None, seed=i)
            p.record_hint("one", f"e{i % 7}", 1)
    return (data / DB).read_bytes()


def _raw(data: Path) -> sqlite3.Connection:
    """A plain connection for crafting a file (autocommit, WAL untouched)."""
    return sqlite3.connect(data / DB, isolation_level=None)


# -- 1. damage that passes the header check -------------------------------------------------------


# These seeds flip bits inside text that PRAGMA integrity_check quotes in its report; before the fix the
# report could not be decoded and every open raised UnicodeDecodeError.
@pytest.mark.parametrize("seed", [106, 230, 242, 518, 693])
def test_bit_flips_that_break_the_integrity_report_are_damage_moved_aside(tmp_path, seed):
    data = bytearray(_fill(tmp_path))
    rng = random.Random(seed)
    for _ in range(rng.randint(1, 8)):
        i = rng.randrange(100, len(data))
        data[i] ^= 1 << rng.randrange(8)
    (tmp_path / DB).write_bytes(bytes(data))
    with Progress.open(tmp_path) as p:
        assert p.saving and p.notice and "moved to" in p.notice
        p.record_attempt("two", "f1", "works", True, None, seed=1)
        assert [a.answer for a in p.attempts("two")] == ["works"]
    moved = [f for f in tmp_path.iterdir() if f.name.startswith(DB + ".corrupt-")
             and not f.name.endswith(("-wal", "-shm"))]
    assert any(f.read_bytes() == bytes(data) for f in moved)  # set aside untouched, not deleted


def test_a_file_that_fails_while_being_read_is_damage_in_the_command_line_too(tmp_path):
    data = bytearray(_fill(tmp_path))
    rng = random.Random(106)
    for _ in range(rng.randint(1, 8)):
        i = rng.randrange(100, len(data))
        data[i] ^= 1 << rng.randrange(8)
    (tmp_path / DB).write_bytes(bytes(data))
    for n, command in enumerate((["progress"], ["list"], ["progress", "--json"])):
        done = _cli(*command, "--data-dir", str(tmp_path))
        assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
        assert ("moved to" in done.stderr) == (n == 0)  # said once, when the file is set aside


# -- 2. well-formed files with values of the wrong kind --------------------------------------------


def _crafted(tmp_path: Path) -> Path:
    """A sound file whose rows hold values no copy of the tutor writes."""
    with Progress.open(tmp_path, clock=lambda: 1000.0) as p:
        p.set_position(LESSON, "pipeline")
        p.record_attempt(LESSON, "pipeline", "kept", True, None, seed=7)
        p.record_hint(LESSON, "pipeline", 1)
        p.seed(LESSON, "good", lambda: 11)
        p.record_quiz_answer(f"{LESSON}/q-good", True)
    c = _raw(tmp_path)
    c.execute("INSERT INTO attempts (lesson_id, step_id, answer, correct, mistake, seed, at) "
              "VALUES (?, CAST(X'C328FFFE' AS TEXT), 'x', 1, NULL, 1, 1.0)", (LESSON,))
    c.execute("INSERT INTO seeds VALUES (?, 'bad', 'abc')", (LESSON,))
    c.execute("INSERT INTO quiz_items VALUES (?, 1, 'soon', 0, 0, 1.0)", (f"{LESSON}/q-bad",))
    c.execute("INSERT INTO hints (lesson_id, step_id, rung, at) VALUES (?, 'pipeline', ?, 1.0)", (LESSON, 2**62))
    c.execute("INSERT INTO positions VALUES ('other', ?, 5, 1.0)", ("\x1b]52;c;aGk=\x07",))
    c.close()
    return tmp_path


def test_rows_that_make_no_sense_are_ignored_reported_once_and_removed(tmp_path):
    _crafted(tmp_path)
    with Progress.open(tmp_path) as p:
        assert p.saving and "5 entries" in p.notice and "removed" in p.notice
        assert [a.answer for a in p.attempts(LESSON)] == ["kept"]  # the undecodable row is not read
        assert p.seed(LESSON, "bad", lambda: 4321) == 4321  # 'abc' is replaced by a fresh seed
        assert p.seed(LESSON, "good", lambda: 1) == 11
        assert p.hints_shown(LESSON, "pipeline") == 1  # not 2**62: nothing loops over it
        order = p.due_order([f"{LESSON}/q-bad", f"{LESSON}/q-good"])
        assert order == [f"{LESSON}/q-bad", f"{LESSON}/q-good"]  # 'soon' reads as never seen: due now
        assert p.position("other") is None
    with Progress.open(tmp_path) as p:
        assert p.notice is None  # reported once: the rows are gone
        assert p.seed(LESSON, "bad", lambda: 1) == 4321


def test_a_read_only_look_at_such_a_file_ignores_the_rows_and_changes_nothing(tmp_path):
    _crafted(tmp_path)
    before = _raw(tmp_path).execute("SELECT COUNT(*) FROM attempts").fetchone()[0]
    with Progress.open(tmp_path, read_only=True) as p:
        assert "5 entries" in p.notice and "ignored" in p.notice
        assert len(p.attempts(LESSON)) == 1 and p.hints_shown(LESSON, "pipeline") == 1
    assert _raw(tmp_path).execute("SELECT COUNT(*) FROM attempts").fetchone()[0] == before


def test_the_commands_show_the_sound_rows_of_such_a_file(tmp_path):
    _crafted(tmp_path)
    for command in (["list"], ["progress"]):
        done = _cli(*command, "--data-dir", str(tmp_path))
        assert done.returncode == 0 and "Traceback" not in done.stderr and "made no sense" in done.stderr
        assert "\x1b" not in done.stdout + done.stderr
    summary = json.loads(_cli("progress", "--json", "--data-dir", str(tmp_path)).stdout)
    item = next(x for x in summary["lessons"] if x["id"] == LESSON)
    assert item["status"] == "in progress" and item["attempts"] == 1 and item["hints"] == 1
    assert item["position"] == "pipeline" and summary["last_lesson"] == LESSON


@pytest.mark.parametrize("column,value", [
    ("box", "'three'"), ("box", "99"), ("due", "1e999"), ("right", "-5"), ("right", "1.5"),
])
def test_a_quiz_row_of_the_wrong_kind_is_answered_afresh(tmp_path, column, value):
    with Progress.open(tmp_path) as p:
        p.record_quiz_answer("one/q", True)
    c = _raw(tmp_path)
    c.execute(f"UPDATE quiz_items SET {column} = {value}")
    c.close()
    with Progress.open(tmp_path, clock=lambda: 5000.0) as p:
        p.record_quiz_answer("one/q", True)
        assert p.due_order(["x", "one/q"]) == ["x", "one/q"]  # box 1, due in ten minutes


def test_a_quiz_score_above_its_total_is_ignored(tmp_path):
    with Progress.open(tmp_path) as p:
        p.record_quiz_result(["one"], 3, 4)
    c = _raw(tmp_path)
    c.execute("INSERT INTO quiz_results (run, lesson_id, score, total, at) VALUES (9, 'one', 50, 4, 1.0)")
    c.close()
    with Progress.open(tmp_path) as p:
        assert p.best_quiz("one") == (3, 4)


# -- 3. another copy holding the lock ---------------------------------------------------------------


HOLDER = """
    import sqlite3, sys, time
    c = sqlite3.connect(sys.argv[1], isolation_level=None)
    if sys.argv[2] == "rollback":
        c.execute("PRAGMA journal_mode = DELETE")
    c.execute("BEGIN EXCLUSIVE")
    c.execute("DELETE FROM attempts")  # uncommitted: no reader may see it
    c.execute("DELETE FROM positions")
    print("held", flush=True)
    sys.stdin.read()  # hold until the test closes our stdin
"""


def _hold(path: Path, mode: str = "wal") -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", textwrap.dedent(HOLDER), str(path), mode], text=True,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout.readline().strip() == "held", proc.stderr.read()
    return proc


def _release(proc: subprocess.Popen) -> None:
    proc.stdin.close()
    proc.wait(20)
    proc.stdout.close(), proc.stderr.close()


def _started(tmp_path: Path) -> None:
    with Progress.open(tmp_path) as p:
        p.set_position(LESSON, "pipeline")
        p.record_attempt(LESSON, "pipeline", "kept", True, None, seed=7)


def test_showing_progress_while_another_copy_writes_shows_the_committed_state(tmp_path):
    _started(tmp_path)
    holder = _hold(tmp_path / DB)
    try:
        done = _cli("progress", "--json", "--data-dir", str(tmp_path), timeout=BUSY_TIMEOUT_MS / 1000 + 20)
        assert done.returncode == 0, done.stderr
        summary = json.loads(done.stdout)
        assert summary["saving"] is True and summary["last_lesson"] == LESSON
        assert next(x for x in summary["lessons"] if x["id"] == LESSON)["attempts"] == 1
        listed = _cli("list", "--data-dir", str(tmp_path))
        assert listed.returncode == 0 and "in progress" in listed.stdout
        with Progress.open(tmp_path, read_only=True) as p:  # and in-process, for the store itself
            assert p.notice is None and p.position(LESSON) == "pipeline"
    finally:
        _release(holder)


def test_a_command_that_must_write_says_the_file_is_in_use_and_forgets_nothing(tmp_path):
    _started(tmp_path)
    holder = _hold(tmp_path / DB)
    try:
        done = _cli("reset", "--yes", "--data-dir", str(tmp_path))
        assert done.returncode == 1 and "in use by another copy" in done.stderr and "Traceback" not in done.stderr
        assert done.stdout == ""  # no confirmation for a reset that did not happen
    finally:
        _release(holder)
    with Progress.open(tmp_path) as p:
        assert p.position(LESSON) == "pipeline" and len(p.attempts(LESSON)) == 1


def test_the_store_reports_a_held_lock_on_writing_as_in_use(tmp_path):
    _started(tmp_path)
    holder = _hold(tmp_path / DB)
    try:
        with Progress.open(tmp_path) as p:  # opening an existing file needs no lock
            assert p.saving and p.notice is None and p.position(LESSON) == "pipeline"
            p.record_attempt(LESSON, "pipeline", "dropped", True, None, seed=1)
            assert "in use by another copy" in p.write_error
    finally:
        _release(holder)


def test_an_unreadable_locked_file_is_reported_in_use_not_shown_as_empty(tmp_path):
    # a file in rollback-journal mode, locked exclusively: readers cannot see it at all
    _started(tmp_path)
    holder = _hold(tmp_path / DB, "rollback")
    try:
        done = _cli("progress", "--json", "--data-dir", str(tmp_path))
        assert done.returncode == 1 and "in use by another copy" in done.stderr and done.stdout == ""
        with Progress.open(tmp_path) as p:
            assert p.state == "in use" and not p.saving and "in use" in p.notice
    finally:
        _release(holder)
    assert not [f for f in tmp_path.iterdir() if ".corrupt-" in f.name]  # never moved aside


def test_the_wait_for_a_lock_is_seconds_not_a_quarter_minute():
    assert BUSY_TIMEOUT_MS <= 4000


# -- 4. a file from a newer version -------------------------------------------------------------------


def _newer(tmp_path: Path) -> bytes:
    _started(tmp_path)
    c = _raw(tmp_path)
    c.execute("UPDATE schema_version SET version = 99")
    c.execute("CREATE TABLE from_the_future (x)")
    c.close()
    return (tmp_path / DB).read_bytes()


@pytest.mark.parametrize("command", [["progress"], ["progress", "--json"], ["list"], ["reset", "--yes"]])
def test_the_command_line_leaves_a_newer_file_alone_and_exits_2(tmp_path, command):
    before = _newer(tmp_path)
    done = _cli(*command, "--data-dir", str(tmp_path))
    assert done.returncode == 2 and done.stdout == ""
    assert "newer version" in done.stderr and done.stderr.count("\n") == 1
    assert (tmp_path / DB).read_bytes() == before
    assert sorted(f.name for f in tmp_path.iterdir() if not f.name.startswith(DB + "-")) == [DB]


async def test_the_app_runs_without_saving_beside_a_newer_file_and_says_so(tmp_path):
    from tutor.app import make_app

    before = _newer(tmp_path)
    app = make_app(data_dir=tmp_path, start=("home",))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.progress.state == "newer" and not app.progress.saving
        for _ in range(200):
            if app.curriculum is not None:
                break
            await pilot.pause(0.01)
        await pilot.pause()
        assert "not saved" in await welcome_said(pilot)  # in memory: a first run
        await pilot.press("enter")
        shown = str(app.screen.query_one("#home-status").render()).replace("\n", " ")
        assert "newer version" in shown
    assert (tmp_path / DB).read_bytes() == before


async def test_the_welcome_does_not_promise_saving_when_nothing_is_saved(tmp_path):
    """A first run beside a folder named like the progress file: the store is in memory, and the welcome says so."""
    from tutor.app import make_app
    from tutor.screens.home import WelcomeScreen

    (tmp_path / DB).mkdir()
    app = make_app(data_dir=tmp_path, start=("home",))
    async with app.run_test(size=(80, 24)) as pilot:
        said = await welcome_said(pilot)
        assert isinstance(app.screen, WelcomeScreen) and not app.progress.saving
        assert "not saved" in said and "saved as you go" not in said


# -- 5. links and special files ----------------------------------------------------------------------


@pytest.mark.parametrize("target", ["/dev/zero", "/dev/null"])
def test_a_link_to_a_device_is_refused_and_nothing_is_created_beside_it(tmp_path, target):
    (tmp_path / DB).symlink_to(target)
    companions = [Path(target + s) for s in ("-journal", "-wal", "-shm")]
    assert not any(c.exists() for c in companions)
    with Progress.open(tmp_path) as p:
        assert not p.saving and "not a regular file" in p.notice
        p.set_position("one", "e1")
    assert not any(c.exists() for c in companions)
    done = _cli("progress", "--data-dir", str(tmp_path))
    assert done.returncode == 0 and "not a regular file" in done.stderr
    assert not any(c.exists() for c in companions)
    assert (tmp_path / DB).is_symlink()  # left as it was


def test_a_fifo_in_place_of_the_file_is_refused_at_once(tmp_path):
    os.mkfifo(tmp_path / DB)
    done = _cli("progress", "--data-dir", str(tmp_path))  # a blocked open would hang to the timeout
    assert done.returncode == 0 and "not a regular file" in done.stderr


def test_a_dangling_link_is_refused_and_its_target_not_created(tmp_path):
    (tmp_path / DB).symlink_to(tmp_path / "elsewhere" / "p.db")
    (tmp_path / "elsewhere").mkdir()
    with Progress.open(tmp_path) as p:
        assert not p.saving and "does not exist" in p.notice
        p.set_position("one", "e1")
    assert list((tmp_path / "elsewhere").iterdir()) == []


def test_a_link_to_a_regular_file_is_followed(tmp_path):
    real = tmp_path / "kept" / "mine.db"
    _started(real.parent)
    (real.parent / DB).rename(real)
    data = tmp_path / "data"
    data.mkdir()
    (data / DB).symlink_to(real)
    with Progress.open(data) as p:
        assert p.saving and p.notice is None and p.position(LESSON) == "pipeline"
        p.set_position(LESSON, "three-links")
    (data / DB).unlink()
    (real.parent / DB).symlink_to(real)
    with Progress.open(real.parent) as p:
        assert p.position(LESSON) == "three-links"


def test_a_write_ahead_log_that_is_a_link_is_refused(tmp_path):
    _started(tmp_path)
    (tmp_path / f"{DB}-wal").symlink_to("/dev/null")
    with Progress.open(tmp_path) as p:
        assert not p.saving and "not a regular file" in p.notice


# -- foreign and malformed schemas --------------------------------------------------------------------


def _schema_variant(tmp_path: Path, statements: list[str]) -> None:
    _started(tmp_path)
    c = _raw(tmp_path)
    for s in statements:
        c.execute(s)
    c.close()


VARIANTS = {
    "a table with the wrong columns": ["DROP TABLE attempts", "CREATE TABLE attempts (id INTEGER PRIMARY KEY, x)"],
    "a view in place of a table": ["DROP TABLE hints", "CREATE VIEW hints AS SELECT 1 AS id"],
    "a trigger that would run on every write": [
        "CREATE TRIGGER slow AFTER INSERT ON attempts BEGIN "
        "INSERT INTO meta SELECT 'k' || x, 'v' FROM (WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 "
        "FROM n) SELECT x FROM n); END"],
    "a version that is text": ["UPDATE schema_version SET version = 'abc'"],
    "two versions": ["INSERT INTO schema_version VALUES (1)"],
    "a version of zero": ["UPDATE schema_version SET version = 0"],
}


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_a_file_with_a_foreign_schema_is_moved_aside(tmp_path, variant):
    _schema_variant(tmp_path, VARIANTS[variant])
    with Progress.open(tmp_path) as p:
        assert p.saving and "moved to" in p.notice
        p.record_attempt("one", "e1", "fresh", True, None, seed=1)  # a trigger would never return
        assert [a.answer for a in p.attempts("one")] == ["fresh"]


def test_a_file_lacking_a_table_of_ours_gets_it_without_losing_the_rest(tmp_path):
    _schema_variant(tmp_path, ["DROP TABLE quiz_results"])
    with Progress.open(tmp_path, read_only=True) as p:  # a read-only look creates nothing in the file
        assert p.notice is None and p.best_quiz(LESSON) is None and p.position(LESSON) == "pipeline"
    assert "quiz_results" not in {r[0] for r in _raw(tmp_path).execute("SELECT name FROM sqlite_master")}
    with Progress.open(tmp_path) as p:
        assert p.notice is None and p.position(LESSON) == "pipeline"
        p.record_quiz_result([LESSON], 2, 3)
        assert p.best_quiz(LESSON) == (2, 3)


def test_a_zero_length_file_reads_as_nothing_started(tmp_path):
    (tmp_path / DB).write_bytes(b"")
    done = _cli("progress", "--json", "--data-dir", str(tmp_path))
    assert done.returncode == 0 and done.stderr == ""
    assert json.loads(done.stdout)["totals"]["not started"] == json.loads(done.stdout)["totals"]["lessons"]
