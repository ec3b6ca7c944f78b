"""The progress store against a real SQLite file: resume, status rules, quiz boxes, reset, recovery, concurrency."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from engine.exercises import ExerciseSpec
from lessons.model import Curriculum, Lesson, Step
from tutor.progress import DONE, IN_PROGRESS, NOT_STARTED, Progress, default_data_dir
from tutor.progress_schedule import BOX_INTERVALS

ROOT = Path(__file__).resolve().parents[2]


class Clock:
    """A clock the test moves by hand, so scheduling is tested without sleeping."""

    def __init__(self, now: float = 1_000_000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def store(tmp_path):
    p = Progress.open(tmp_path / "data")
    yield p
    p.close()


def _exercise(step_id: str) -> Step:
    spec = ExerciseSpec(id=step_id, kind="expression", prompt="?", answer="x", hints=("a", "b"), solution="s")
    return Step(id=step_id, type="exercise", title=step_id, exercise=spec)


def _curriculum() -> Curriculum:
    one = Lesson("one", "Lesson one", "", 1, (Step("intro", "explanation", "Intro", text="hi"), _exercise("e1"), _exercise("e2")))
    two = Lesson("two", "Lesson two", "", 2, (_exercise("f1"),))
    return Curriculum((one, two), {})


# -- where the data lives ----------------------------------------------------------------------------


def test_data_dir_flag_beats_environment_which_beats_platform_default(monkeypatch, tmp_path):
    monkeypatch.setenv("BACKPROP_TUTOR_DATA_DIR", str(tmp_path / "env"))
    assert default_data_dir(str(tmp_path / "flag")) == tmp_path / "flag"
    assert default_data_dir(None) == tmp_path / "env"
    monkeypatch.delenv("BACKPROP_TUTOR_DATA_DIR")
    assert default_data_dir(None).name == "backprop-tutor"


def test_fresh_store_is_saving_without_notice_and_first_run(store):
    assert store.saving is True and store.notice is None
    assert store.first_run() is True
    store.mark_welcomed()
    assert store.first_run() is False


# -- resume ------------------------------------------------------------------------------------------


def test_position_and_seeds_survive_reopening(tmp_path):
    p = Progress.open(tmp_path)
    assert p.position("one") is None and p.last_lesson() is None
    assert p.seed("one", "e1", lambda: 1234) == 1234
    assert p.seed("one", "group:g", lambda: 77) == 77
    p.set_position("one", "e2")
    p.set_position("two", "f1")
    p.set_position("one", "e1")
    p.mark_welcomed()
    p.close()

    q = Progress.open(tmp_path)
    # A stored seed wins over a fresh draw: the learner sees the same numbers again.
    assert q.seed("one", "e1", lambda: 999) == 1234
    assert q.seed("one", "group:g", lambda: 999) == 77
    assert q.position("one") == "e1" and q.position("two") == "f1"
    assert q.last_lesson() == "one"
    assert q.first_run() is False
    q.new_seed("one", "e1", 555)
    q.close()
    assert Progress.open(tmp_path).seed("one", "e1", lambda: 999) == 555


def test_seed_draws_only_when_missing(store):
    calls = []

    def fresh():
        calls.append(1)
        return 5

    store.seed("one", "e1", fresh)
    store.seed("one", "e1", fresh)
    assert calls == [1]


# -- status --------------------------------------------------------------------------------------------


def test_status_not_started_in_progress_done(store):
    ids = ["e1", "e2"]
    assert store.status("one", ids) == NOT_STARTED
    store.set_position("one", "intro")
    assert store.status("one", ids) == IN_PROGRESS
    store.record_attempt("one", "e1", "a_j", False, "sign", seed=1)
    store.record_attempt("one", "e1", "-a_j", True, None, seed=1)
    assert store.solved_steps("one") == {"e1"}
    assert store.status("one", ids) == IN_PROGRESS
    store.record_attempt("one", "e2", "y", True, None, seed=2)
    assert store.status("one", ids) == DONE
    # Another lesson's answers do not leak in.
    assert store.status("two", ["f1"]) == NOT_STARTED


def test_answer_after_revealed_solution_counts_only_on_fresh_numbers(store):
    store.record_attempt("one", "e1", "wrong", False, None, seed=10)
    store.record_solution("one", "e1", seed=10)
    assert store.solution_revealed("one", "e1", 10) and not store.solution_revealed("one", "e1", 11)
    store.record_attempt("one", "e1", "copied", True, None, seed=10)
    assert store.solved_steps("one") == set()
    assert store.status("one", ["e1"]) == IN_PROGRESS
    store.new_seed("one", "e1", 11)
    store.record_attempt("one", "e1", "own work", True, None, seed=11)
    assert store.solved_steps("one") == {"e1"}
    assert store.status("one", ["e1"]) == DONE


def test_right_answer_before_looking_at_the_solution_still_counts(store):
    store.record_attempt("one", "e1", "right", True, None, seed=3)
    store.record_solution("one", "e1", seed=3)
    assert store.solved_steps("one") == {"e1"}


def test_attempts_and_hints_are_kept_in_order(store):
    store.record_attempt("one", "e1", "a", False, "sign", seed=1)
    store.record_attempt("one", "e1", "b", True, None, seed=1)
    store.record_hint("one", "e1", 1)
    store.record_hint("one", "e1", 2)
    got = store.attempts("one", "e1")
    assert [(a.answer, a.correct, a.mistake, a.seed) for a in got] == [("a", False, "sign", 1), ("b", True, None, 1)]
    assert store.hints_shown("one", "e1") == 2 and store.hints_shown("one", "e2") == 0


def test_summary_shape_for_a_curriculum(store):
    cur = _curriculum()
    store.set_position("one", "e1")
    store.record_attempt("one", "e1", "x", True, None, seed=1)
    store.record_attempt("two", "f1", "x", True, None, seed=1)
    store.record_quiz_result(["two"], 2, 3)
    s = store.summary(cur)
    json.dumps(s)  # plain data all the way down
    by_id = {item["id"]: item for item in s["lessons"]}
    assert by_id["one"]["status"] == IN_PROGRESS and by_id["one"]["solved"] == 1 and by_id["one"]["exercises"] == 2
    assert by_id["two"]["status"] == DONE and by_id["two"]["best_quiz"] == {"score": 2, "total": 3}
    assert s["totals"] == {"lessons": 2, DONE: 1, IN_PROGRESS: 1, NOT_STARTED: 0}
    assert s["last_lesson"] == "one" and s["saving"] is True


# -- quiz ----------------------------------------------------------------------------------------------


def test_wrong_items_come_before_right_ones_and_unseen_sit_between(tmp_path):
    clock = Clock()
    with Progress.open(tmp_path, clock=clock) as p:
        keys = ["one/q1", "one/q2", "one/q3", "two/q1"]
        p.record_quiz_answer("one/q1", True)
        p.record_quiz_answer("one/q2", False)
        p.record_quiz_answer("two/q1", True)
        clock.now += 1
        order = p.due_order(keys)
        assert order[0] == "one/q2"  # answered wrongly: due first
        assert order[1] == "one/q3"  # never seen
        assert set(order[2:]) == {"one/q1", "two/q1"}


def test_right_answers_push_an_item_further_out_and_a_wrong_one_brings_it_back(tmp_path):
    clock = Clock()
    with Progress.open(tmp_path, clock=clock) as p:
        p.record_quiz_answer("a/x", True)  # box 1
        p.record_quiz_answer("a/y", True)
        p.record_quiz_answer("a/y", True)  # box 2: due later than x
        clock.now += 1
        assert p.due_order(["a/y", "a/x"]) == ["a/x", "a/y"]
        # Once box 1's interval has passed, x is due again: after a never-seen item (box 0), before y.
        clock.now += BOX_INTERVALS[1]
        assert p.due_order(["a/y", "a/x", "a/new"]) == ["a/new", "a/x", "a/y"]
        p.record_quiz_answer("a/y", False)
        clock.now += 1
        assert p.due_order(["a/x", "a/y"])[0] == "a/y"


def test_best_quiz_is_the_highest_fraction(store):
    assert store.best_quiz("one") is None
    store.record_quiz_result(["one", "two"], 1, 4)
    store.record_quiz_result(["one"], 3, 4)
    store.record_quiz_result(["one"], 2, 4)
    assert store.best_quiz("one") == (3, 4)
    assert store.best_quiz("two") == (1, 4)


# -- reset ---------------------------------------------------------------------------------------------


def _fill(p: Progress) -> None:
    for lesson in ("one", "two"):
        p.seed(lesson, "e1", lambda: 9)
        p.set_position(lesson, "e1")
        p.record_attempt(lesson, "e1", "x", True, None, seed=9)
        p.record_hint(lesson, "e1", 1)
        p.record_solution(lesson, "e1", seed=9)
        p.record_quiz_answer(f"{lesson}/q", False)
        p.record_quiz_result([lesson], 1, 2)
    p.mark_welcomed()


def test_reset_one_lesson_leaves_the_others(tmp_path):
    clock = Clock()
    with Progress.open(tmp_path, clock=clock) as p:
        _fill(p)
        p.record_quiz_answer("one-more/q", False)  # a lesson id that merely starts with "one"
        p.reset("one")
        assert p.status("one", ["e1"]) == NOT_STARTED and p.position("one") is None
        assert p.attempts("one") == [] and p.hints_shown("one", "e1") == 0 and p.best_quiz("one") is None
        assert p.seed("one", "e1", lambda: 123) == 123
        assert p.status("two", ["e1"]) == DONE and p.position("two") == "e1" and p.best_quiz("two") == (1, 2)
        clock.now += 10 * BOX_INTERVALS[-1]
        p.record_quiz_answer("two/q", True)
        p.record_quiz_answer("one-more/q", True)
        # one/q was forgotten, so it is unseen and due now; the others were just answered right.
        assert p.due_order(["two/q", "one-more/q", "one/q"])[0] == "one/q"


def test_reset_everything(tmp_path):
    with Progress.open(tmp_path) as p:
        _fill(p)
        p.reset()
        for lesson in ("one", "two"):
            assert p.status(lesson, ["e1"]) == NOT_STARTED and p.best_quiz(lesson) is None
        assert p.last_lesson() is None
        assert p.first_run() is False  # the welcome is not progress
    with Progress.open(tmp_path) as p:
        assert p.attempts("two") == []


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
