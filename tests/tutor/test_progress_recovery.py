"""The progress store when things go wrong: damaged or foreign files, newer versions, unusable folders,
two copies or processes writing at once, a process killed mid-write, a held lock."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

from tutor.progress import DONE, Progress

ROOT = Path(__file__).resolve().parents[2]


# -- recovery ------------------------------------------------------------------------------------------


def test_garbage_file_is_moved_aside_and_a_fresh_store_works(tmp_path):
    with Progress.open(tmp_path) as p:
        p.set_position("one", "e1")
    garbage = b"this is not a database\x00" * 300
    (tmp_path / "progress.db").write_bytes(garbage)
    with Progress.open(tmp_path) as p:
        assert p.saving is True
        moved = [f for f in tmp_path.iterdir() if f.name.startswith("progress.db.corrupt-")]
        assert len(moved) == 1 and moved[0].read_bytes() == garbage
        assert str(moved[0]) in p.notice
        assert p.position("one") is None
        p.set_position("one", "e2")
    with Progress.open(tmp_path) as p:
        assert p.notice is None and p.position("one") == "e2"


def test_a_foreign_sqlite_database_is_moved_aside(tmp_path):
    conn = sqlite3.connect(tmp_path / "progress.db")
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.commit()
    conn.close()
    with Progress.open(tmp_path) as p:
        assert p.notice and "moved to" in p.notice
        p.record_hint("one", "e1", 1)
        assert p.hints_shown("one", "e1") == 1


def test_a_truncated_database_is_moved_aside(tmp_path):
    with Progress.open(tmp_path) as p:
        for i in range(300):
            p.record_attempt("one", "e1", "x" * 200, False, None, seed=i)
    path = tmp_path / "progress.db"
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])
    with Progress.open(tmp_path) as p:
        assert p.notice and "moved to" in p.notice
        assert p.saving and p.attempts("one") == []


def test_a_newer_schema_version_is_left_in_place_and_not_written(tmp_path):
    with Progress.open(tmp_path) as p:
        p.set_position("one", "e1")
    conn = sqlite3.connect(tmp_path / "progress.db")
    conn.execute("UPDATE schema_version SET version = version + 1")
    conn.commit()
    conn.close()
    before = (tmp_path / "progress.db").read_bytes()
    with Progress.open(tmp_path) as p:
        assert p.state == "newer" and not p.saving
        assert "newer version" in p.notice and "moved" not in p.notice
        p.set_position("one", "e2")  # kept in memory only
        assert p.position("one") == "e2"
    assert (tmp_path / "progress.db").read_bytes() == before
    assert not [f for f in tmp_path.iterdir() if ".corrupt-" in f.name]


def test_an_empty_file_is_simply_a_new_database(tmp_path):
    (tmp_path / "progress.db").write_bytes(b"")
    with Progress.open(tmp_path) as p:
        assert p.notice is None and p.saving


def test_a_database_that_cannot_be_opened_is_left_alone(tmp_path):
    (tmp_path / "progress.db").mkdir()  # not a file we can open, but not ours to move either
    with Progress.open(tmp_path) as p:
        assert p.saving is False and "not be saved" in p.notice
    assert (tmp_path / "progress.db").is_dir()
    assert not [f for f in tmp_path.iterdir() if "corrupt" in f.name]


def test_data_dir_under_a_regular_file_runs_without_saving(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    with Progress.open(blocker / "data") as p:
        assert p.saving is False
        assert "not be saved" in p.notice
        # Everything still works for this session.
        p.set_position("one", "e1")
        p.record_attempt("one", "e1", "x", True, None, seed=1)
        assert p.position("one") == "e1" and p.status("one", ["e1"]) == DONE
    assert blocker.read_text() == "x"


# -- concurrency and crashes ---------------------------------------------------------------------------


def test_two_stores_on_one_file_interleaving_lose_nothing(tmp_path):
    a, b = Progress.open(tmp_path), Progress.open(tmp_path)
    for i in range(50):
        a.record_attempt("one", "e1", f"a{i}", False, None, seed=i)
        b.record_attempt("one", "e1", f"b{i}", False, None, seed=i)
        a.record_quiz_answer(f"one/q{i}", True)
        b.record_quiz_answer(f"one/q{i}", True)
    assert a.seed("one", "k", lambda: 1) == b.seed("one", "k", lambda: 2) == 1
    a.close(), b.close()
    with Progress.open(tmp_path) as p:
        answers = [x.answer for x in p.attempts("one")]
        assert sorted(answers) == sorted([f"a{i}" for i in range(50)] + [f"b{i}" for i in range(50)])
        rows = p._read("SELECT right FROM quiz_items")
        assert len(rows) == 50 and all(r[0] == 2 for r in rows)


WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from tutor.progress import Progress
    data, name, n = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    with Progress.open(data) as p:
        print("ready", flush=True)
        sys.stdin.readline()  # both copies start writing together
        for i in range(n):
            p.record_attempt("one", "e1", f"{name}{i}", i % 2 == 0, None, seed=i)
            p.record_quiz_answer("one/shared", True)
            p.set_position(name, str(i))
        print(p.write_error or "ok", flush=True)
    """
)


def test_two_processes_writing_at_once_lose_nothing(tmp_path):
    n = 150
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(tmp_path), name, str(n)], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True, cwd=ROOT) for name in ("p", "q")]
    for proc in procs:
        assert proc.stdout.readline().strip() == "ready"
    for proc in procs:
        proc.stdin.write("go\n")
        proc.stdin.flush()
    for proc in procs:
        out, _ = proc.communicate(timeout=120)
        assert proc.returncode == 0 and out.strip() == "ok"
    with Progress.open(tmp_path) as p:
        assert p.notice is None
        assert len(p.attempts("one")) == 2 * n
        assert p._read("SELECT right FROM quiz_items WHERE item_key = 'one/shared'") == [(2 * n,)]
        assert p.position("p") == str(n - 1) and p.position("q") == str(n - 1)


KILLED_WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from tutor.progress import Progress
    p = Progress.open(Path(sys.argv[1]))
    i = 0
    while True:
        p.record_attempt("one", "e1", "answer %d" % i, i % 3 == 0, None, seed=i)
        p.set_position("one", "s%d" % i)
        i += 1
        print(i, flush=True)  # only after the commit: every number printed is on disk
    """
)


def test_process_killed_mid_writes_leaves_every_committed_attempt(tmp_path):
    proc = subprocess.Popen([sys.executable, "-c", KILLED_WRITER, str(tmp_path)], stdout=subprocess.PIPE,
                            text=True, cwd=ROOT)
    committed = 0
    for line in proc.stdout:
        committed = int(line)
        if committed >= 400:
            break
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    proc.stdout.close()
    assert proc.returncode == -signal.SIGKILL
    with Progress.open(tmp_path) as p:
        assert p.notice is None and p.saving
        assert p._read("PRAGMA integrity_check") == [("ok",)]
        got = p.attempts("one")
        assert len(got) >= committed
        assert [a.answer for a in got] == [f"answer {i}" for i in range(len(got))]
        assert p.position("one") in {f"s{len(got) - 1}", f"s{len(got) - 2}"}


def test_a_write_refused_by_a_held_lock_is_reported_not_raised(tmp_path):
    with Progress.open(tmp_path) as p:
        p.record_attempt("one", "e1", "kept", True, None, seed=1)
        p._conn.execute("PRAGMA busy_timeout = 0")  # fail at once instead of waiting 15 s for the lock
        other = sqlite3.connect(tmp_path / "progress.db", isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # another copy in the middle of a write
        p.record_attempt("one", "e1", "dropped", True, None, seed=2)
        assert p.seed("one", "e9", lambda: 31) == 31
        assert p.write_error and "could not be saved" in p.write_error
        other.execute("ROLLBACK")
        other.close()
        p.record_attempt("one", "e1", "after", True, None, seed=3)
        assert [a.answer for a in p.attempts("one")] == ["kept", "after"]
