"""Progress store faults beyond test_progress_store.py: a kill inside a commit, damaged files, first-run races."""

from __future__ import annotations

import json
import os
import random
import re
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tutor.progress import Progress

ROOT = Path(__file__).resolve().parents[2]
DB = "progress.db"
ANSI = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|P[^\x1b]*\x1b\\|[@-Z\\-_])")


def _python(code: str, *args: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(code), *args], cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kwargs)


def _kill_when_ready(proc: subprocess.Popen, ready: str = "ready") -> None:
    """Wait until the child says it is inside the write, then SIGKILL it there."""
    for line in proc.stdout:
        if line.strip() == ready:
            break
    else:
        pytest.fail(f"the child never reached the write: {proc.stderr.read()}")
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(30)
    proc.stdout.close(), proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL


# A child that saves some progress, then blocks inside the COMMIT of one more write until it is killed:
# the trace callback runs as SQLite starts the COMMIT statement, with the transaction's rows written.
KILLED_IN_COMMIT = """
    import sys, time
    from pathlib import Path
    from tutor.progress import Progress

    p = Progress.open(Path(sys.argv[1]))
    for i in range(20):
        p.record_attempt("one", "e1", f"kept {i}", i % 2 == 0, None, seed=i)
    p.set_position("one", "e1")
    p.seed("one", "e1", lambda: 4242)

    def block(statement):
        if statement.strip().upper().startswith("COMMIT"):
            print("ready", flush=True)
            time.sleep(600)

    p._conn.set_trace_callback(block)
    p.record_attempt("one", "e2", "never committed " * 200, True, None, seed=99)
    print("the commit finished", flush=True)
"""


def test_killed_inside_a_commit_keeps_every_earlier_write_and_none_of_the_unfinished_one(tmp_path):
    _kill_when_ready(_python(KILLED_IN_COMMIT, str(tmp_path)))
    assert (tmp_path / f"{DB}-wal").exists()  # the kill left a journal to recover from
    with Progress.open(tmp_path) as p:
        assert p.notice is None and p.saving
        assert p._read("PRAGMA integrity_check") == [("ok",)]
        assert [a.answer for a in p.attempts("one")] == [f"kept {i}" for i in range(20)]
        assert p.position("one") == "e1" and p.seed("one", "e1", lambda: 1) == 4242
        p.record_attempt("one", "e2", "after the crash", True, None, seed=1)
    with Progress.open(tmp_path) as p:
        assert p.attempts("one", "e2")[-1].answer == "after the crash"


# A child killed while the very first run creates the schema (inside its COMMIT).
KILLED_CREATING = """
    import sys, time
    from pathlib import Path
    import tutor.progress_schema as schema

    plain_connect = schema.connect

    def connect(path):
        conn = plain_connect(path)
        def block(statement):
            if statement.strip().upper().startswith("COMMIT"):
                print("ready", flush=True)
                time.sleep(600)
        conn.set_trace_callback(block)
        return conn

    schema.connect = connect
    from tutor.progress import Progress
    Progress.open(Path(sys.argv[1]))
"""


def test_killed_while_creating_the_database_on_first_run_starts_cleanly_next_time(tmp_path):
    _kill_when_ready(_python(KILLED_CREATING, str(tmp_path)))
    with Progress.open(tmp_path) as p:
        assert p.saving
        p.set_position("one", "e1")
    with Progress.open(tmp_path) as p:
        assert p.position("one") == "e1"
    # Whether the half-made file was reused or moved aside, nothing was deleted.
    leftovers = [f.name for f in tmp_path.iterdir() if ".corrupt-" in f.name]
    assert all(f.startswith(DB) for f in leftovers)


def _filled(tmp_path: Path, n: int = 200) -> bytes:
    with Progress.open(tmp_path) as p:
        for i in range(n):
            p.record_attempt("one", "e1", f"answer {i} " + "x" * 100, False, None, seed=i)
    return (tmp_path / DB).read_bytes()


@pytest.mark.parametrize("seed", range(12))
def test_randomly_damaged_file_either_opens_sound_or_is_moved_aside(tmp_path, seed):
    rng = random.Random(seed)
    data = bytearray(_filled(tmp_path))
    for _ in range(rng.randint(1, 6)):  # overwrite a few random stretches, sometimes the header
        start = rng.randrange(0, len(data)) if rng.random() < 0.8 else rng.randrange(0, 100)
        length = rng.randint(1, 4096)
        data[start:start + length] = bytes(rng.randrange(256) for _ in range(min(length, len(data) - start)))
    (tmp_path / DB).write_bytes(bytes(data))
    with Progress.open(tmp_path) as p:  # must not raise, and a damaged file is never left unsaved
        assert p.saving, p.notice
        moved = [f for f in tmp_path.iterdir() if ".corrupt-" in f.name and not f.name.endswith(("-wal", "-shm"))]
        if moved:
            assert p.notice and str(moved[0]) in p.notice and moved[0].read_bytes() == bytes(data)
            assert p.attempts("one") == []
        else:
            assert p._read("PRAGMA integrity_check") == [("ok",)]
        p.record_attempt("two", "f1", "still works", True, None, seed=1)
        assert p.attempts("two")[0].answer == "still works"


def test_a_damaged_header_field_is_moved_aside_not_left_unsaved_forever(tmp_path):
    data = bytearray(_filled(tmp_path, n=5))
    data[44:48] = b"\xff\xff\xff\xff"  # the header's schema format number (valid: 1 to 4)
    (tmp_path / DB).write_bytes(bytes(data))
    with Progress.open(tmp_path) as p:
        assert p.saving, p.notice
        assert p.notice and "moved to" in p.notice


def test_empty_file_becomes_a_fresh_store(tmp_path):
    (tmp_path / DB).write_bytes(b"")
    with Progress.open(tmp_path) as p:
        assert p.saving
        p.set_position("one", "e1")
    with Progress.open(tmp_path) as p:
        assert p.position("one") == "e1"


def test_a_garbage_write_ahead_log_beside_a_sound_file_loses_nothing_committed(tmp_path):
    _filled(tmp_path, n=30)
    (tmp_path / f"{DB}-wal").write_bytes(os.urandom(8192))
    with Progress.open(tmp_path) as p:
        assert p.saving and p.notice is None
        assert len(p.attempts("one")) == 30


def test_a_folder_where_the_file_should_be_runs_without_saving_and_is_left_alone(tmp_path):
    (tmp_path / DB).mkdir()
    (tmp_path / DB / "keep").write_text("mine")
    with Progress.open(tmp_path) as p:
        assert p.saving is False and "not be saved" in p.notice
        p.record_hint("one", "e1", 1)
        assert p.hints_shown("one", "e1") == 1
    assert (tmp_path / DB / "keep").read_text() == "mine"


def _unusable(tmp_path: Path, kind: str) -> Path:
    if kind == "the folder is a file":
        (tmp_path / "data").write_text("x")
        return tmp_path / "data"
    if kind == "a dangling link":
        (tmp_path / "data").symlink_to(tmp_path / "gone" / "away")
        (tmp_path / "gone").write_text("x")
        return tmp_path / "data"
    return tmp_path / ("d" * 300)  # a name longer than the file system allows


@pytest.mark.parametrize("kind", ["the folder is a file", "a dangling link", "a name too long"])
def test_unusable_data_folders_run_without_saving(tmp_path, kind):
    with Progress.open(_unusable(tmp_path, kind)) as p:
        assert p.saving is False and "not be saved" in p.notice
        p.set_position("one", "e1")
        assert p.position("one") == "e1"


def test_a_copy_starting_while_another_writes_a_fresh_file_waits_and_saves(tmp_path):
    import sqlite3
    import threading

    other = sqlite3.connect(tmp_path / DB, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")  # another copy mid-write on the new, still rollback-journal file
    done = threading.Timer(0.3, other.execute, ("COMMIT",))
    done.start()
    try:
        with Progress.open(tmp_path) as p:
            assert p.saving, p.notice
    finally:
        done.join()
        other.close()


# Several copies started at the same moment on a first run: each must open the one shared file.
RACER = """
    import json, sys, time
    from pathlib import Path
    from tutor.progress import Progress

    go = float(sys.argv[2])
    while time.time() < go:
        pass
    p = Progress.open(Path(sys.argv[1]))
    seed = p.seed("one", "e1", lambda: int(sys.argv[3]))
    for i in range(20):
        p.record_attempt("one", "e1", f"{sys.argv[3]}-{i}", True, None, seed=seed)
    print(json.dumps({"saving": p.saving, "notice": p.notice, "seed": seed, "error": p.write_error}), flush=True)
    p.close()
"""


def test_copies_started_together_on_a_first_run_share_one_file_and_one_seed(tmp_path):
    import time

    data = tmp_path / "data"
    go = time.time() + 1.5  # every child is up and spinning before the start
    procs = [_python(RACER, str(data), str(go), str(1000 + n)) for n in range(4)]
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        results.append(json.loads(out.strip().splitlines()[-1]))
    for r in results:
        assert r["saving"] and r["notice"] is None and r["error"] is None, r
    assert len({r["seed"] for r in results}) == 1  # every copy shows the same numbers
    assert not [f for f in data.iterdir() if ".corrupt-" in f.name]
    with Progress.open(data) as p:
        assert len(p.attempts("one")) == 4 * 20


# -- the same faults as the learner meets them in the app ---------------------------------------------


def _a_number_step(cur):
    """The first lesson step that asks for a number, so any number typed is a readable, recorded answer."""
    return next((lesson, step) for lesson in cur.lessons for step in lesson.exercise_steps
                if step.exercise.kind == "number")


async def test_the_app_moves_a_garbage_file_aside_says_where_and_saves_afresh(tmp_path):
    from tutor.app import make_app
    from tutor.screens.lesson import LessonScreen

    garbage = b"\x00garbage, not a database\xff" * 500
    (tmp_path / DB).write_bytes(garbage)
    app = make_app(data_dir=tmp_path, seed=3)
    async with app.run_test(size=(100, 32), notifications=True) as pilot:
        for _ in range(1000):
            if app.curriculum is not None:
                break
            await pilot.pause(0.01)
        await pilot.pause()  # the store opens after the first paint; its notice is a toast a moment later
        moved = [f for f in tmp_path.iterdir() if ".corrupt-" in f.name]
        assert len(moved) == 1 and moved[0].read_bytes() == garbage
        toasts = " ".join(str(t.render()) for t in app.screen.query("Toast"))
        assert str(moved[0].name) in toasts.replace("\n", "")
        lesson, step = _a_number_step(app.curriculum)
        app.progress.set_position(lesson.id, step.id)
        app.open_lesson(lesson.id)
        await pilot.pause()
        assert isinstance(app.screen, LessonScreen)
        app.screen.check("0.123456")  # any readable answer is recorded
        await pilot.pause()
    with Progress.open(tmp_path) as p:
        assert p.notice is None and p.saving
        assert [a.answer for a in p.attempts(lesson.id, step.id)] == ["0.123456"]


def test_the_real_app_killed_mid_lesson_keeps_what_was_answered(tmp_path):
    """`backprop-tutor lesson ID` in a pseudo-terminal, an answer typed, then SIGKILL: nothing is lost."""
    import fcntl
    import select
    import sqlite3
    import struct
    import termios
    import time

    from lessons import curriculum

    lesson, step = _a_number_step(curriculum())
    with Progress.open(tmp_path) as p:
        p.mark_welcomed()
        p.set_position(lesson.id, step.id)
    env = {k: v for k, v in os.environ.items() if not k.startswith("TEXTUAL")}
    env.update(TERM="xterm-256color", BACKPROP_TUTOR_DATA_DIR=str(tmp_path))
    pid, fd = os.forkpty()
    if pid == 0:
        try:
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
            os.chdir(ROOT)
            os.execve(sys.executable, [sys.executable, "-m", "tutor", "lesson", lesson.id], env)
        finally:
            os._exit(127)

    def attempts() -> int:
        try:
            conn = sqlite3.connect(f"file:{tmp_path / DB}?mode=ro", uri=True, timeout=5)
            try:
                return conn.execute("SELECT COUNT(*) FROM attempts").fetchone()[0]
            finally:
                conn.close()
        except sqlite3.Error:
            return 0

    try:
        raw, screen, deadline, typed_at = b"", "", time.monotonic() + 60, None
        while time.monotonic() < deadline:
            if select.select([fd], [], [], 0.1)[0]:
                raw += os.read(fd, 65536)  # kept drained, so the app never blocks on its output
                screen = ANSI.sub("", raw.decode("utf-8", "replace"))
            if typed_at is None and "Enter checks" in screen:  # the answer box of the lesson is on screen
                os.write(fd, b"0.123456\r")
                typed_at = time.monotonic()
            if typed_at is not None and attempts():
                break
        assert typed_at is not None, f"the lesson never showed its answer box: {screen[-400:]!r}"
        assert attempts() >= 1, "the answer was never recorded"
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(fd)
    with Progress.open(tmp_path) as p:
        assert p.notice is None and p.saving
        assert p._read("PRAGMA integrity_check") == [("ok",)]
        assert p.position(lesson.id) == step.id
        assert [a.answer for a in p.attempts(lesson.id, step.id)][:1] == ["0.123456"]
