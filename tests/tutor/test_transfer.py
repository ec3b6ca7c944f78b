"""`progress --export / --import`: a round trip keeps everything; merging loses nothing and never doubles."""

from __future__ import annotations

import json
import sqlite3

import pytest

from engine.exercises import ExerciseSpec
from lessons.model import Curriculum, Lesson, Step
from tutor import transfer
from tutor.cli import main
from tutor.progress import Progress


class Clock:
    def __init__(self, now: float):
        self.now = now

    def __call__(self) -> float:
        self.now += 1.0  # every event one second after the last: orders are unambiguous
        return self.now


def _exercise(step_id: str) -> Step:
    spec = ExerciseSpec(id=step_id, kind="expression", prompt="?", answer="x", hints=("a",), solution="s")
    return Step(id=step_id, type="exercise", title=step_id, exercise=spec)


CURRICULUM = Curriculum((Lesson("one", "One", "", 1, (_exercise("e1"), _exercise("e2"))),
                         Lesson("two", "Two", "", 2, (_exercise("f1"),))), {})


def dump(folder) -> dict:
    """Every table's rows as a sorted list, without local numbering (ids, position seq, quiz run) and
    without the merge's own bookkeeping of whose quiz tallies are whose: what the learner's history is."""
    conn = sqlite3.connect(str(folder / "progress.db"))
    try:
        out = {}
        for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                                     "AND name NOT IN ('sqlite_sequence', 'schema_version', 'quiz_counts_from')"):
            cols = [r[1] for r in conn.execute(f"PRAGMA table_info({table})") if r[1] not in ("id", "seq", "run")]
            if table == "meta":
                rows = conn.execute("SELECT key, value FROM meta WHERE key != 'store_id'").fetchall()
            else:
                rows = conn.execute(f"SELECT {', '.join(cols)} FROM {table}").fetchall()
            out[table] = sorted(rows, key=repr)
        return out
    finally:
        conn.close()


def history(store: Progress) -> list[tuple]:
    return [(a.step_id, a.answer, a.correct, a.mistake, a.seed, a.at) for lid in ("one", "two")
            for a in store.attempts(lid)]


def fill_a(folder, start=1_000.0):
    """Machine A: lesson one done, a hint, a solution shown for e2's first numbers, quiz work."""
    clock = Clock(start)
    with Progress.open(folder, clock=clock) as p:
        p.mark_welcomed()
        p.seed("one", "e1", lambda: 11)
        p.set_position("one", "e1")
        p.record_attempt("one", "e1", "wrong", False, "sigma-prime-dropped", 11)
        p.record_attempt("one", "e1", "right", True, None, 11)
        p.record_hint("one", "e2", 1)
        p.record_solution("one", "e2", 21)
        p.record_attempt("one", "e2", "copied", True, None, 21)  # after the solution: does not count
        p.new_seed("one", "e2", 22)
        p.record_attempt("one", "e2", "earned", True, None, 22)
        p.set_position("one", "e2")
        p.record_quiz_answer("one/q1", True)
        p.record_quiz_answer("one/q1", True)
        p.record_quiz_answer("one/q2", False)
        p.record_quiz_result(["one"], 1, 2)


def test_round_trip_into_an_empty_store_keeps_everything(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    fill_a(a)
    export = tmp_path / "a.json"
    assert main(["progress", "--data-dir", str(a), "--export", str(export)]) == 0
    assert main(["progress", "--data-dir", str(b), "--import", str(export)]) == 0
    assert dump(b) == dump(a)
    with Progress.open(a) as pa, Progress.open(b) as pb:
        assert pb.summary(CURRICULUM)["lessons"] == pa.summary(CURRICULUM)["lessons"]
        assert history(pb) == history(pa)
        assert pb.solved_steps("one") == {"e1", "e2"}  # e2 by the answer on the second numbers only
        assert pb.due_order(["one/q1", "one/q2"]) == pa.due_order(["one/q1", "one/q2"])
        assert pb.first_run() is False


def test_importing_the_same_file_twice_changes_nothing(tmp_path, capsys):
    a, b = tmp_path / "a", tmp_path / "b"
    fill_a(a)
    data = transfer.export_data(a)
    transfer.merge(b, data)
    once = dump(b)
    assert transfer.merge(b, data) == {k: 0 for k in transfer.merge(b, data)}
    assert dump(b) == once
    path = tmp_path / "a.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert main(["progress", "--data-dir", str(b), "--import", str(path)]) == 0
    assert "Nothing new" in capsys.readouterr().out
    assert dump(b) == once


def test_two_machines_merge_both_ways_and_agree(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    fill_a(a, start=1_000.0)
    clock = Clock(5_000.0)
    with Progress.open(b, clock=clock) as p:
        p.seed("one", "e1", lambda: 99)           # other numbers for the same step
        p.record_attempt("one", "e1", "b-wrong", False, "one-path-only", 99)
        p.record_attempt("two", "f1", "b-right", True, None, 5)
        p.set_position("two", "f1")
        p.record_quiz_answer("one/q1", True)       # q1: 2 right on A, 1 right on B
        p.record_quiz_result(["one", "two"], 2, 2)
    with Progress.open(a) as pa:
        a_answers = history(pa)
    with Progress.open(b) as pb:
        b_answers = history(pb)

    transfer.merge(b, transfer.export_data(a))    # A's work arrives on B
    transfer.merge(a, transfer.export_data(b))    # and B's (which now holds A's too) back on A

    def without_seeds(d: dict) -> dict:
        return {k: v for k, v in d.items() if k != "seeds"}

    assert without_seeds(dump(a)) == without_seeds(dump(b))
    with Progress.open(a) as pa, Progress.open(b) as pb:
        both = sorted(a_answers + b_answers, key=lambda t: t[-1])
        assert history(pa) == history(pb)
        assert sorted(history(pa), key=lambda t: t[-1]) == both  # every answer once, none doubled
        # the rule for a step answered on both machines: solved if solved on either; B keeps its numbers
        assert pb.solved_steps("one") == {"e1", "e2"}
        assert pb.seed("one", "e1", lambda: 0) == 99 and pa.seed("one", "e1", lambda: 0) == 11
        # last visited: B's f1 (at 5 000 s) is later than anything on A
        assert pa.last_lesson() == pb.last_lesson() == "two"
        # quiz tallies: A's 2 right + B's 1 right, counted once even after the round trip
        right, wrong = pa._read("SELECT right, wrong FROM quiz_items WHERE item_key = 'one/q1'")[0]
        assert (right, wrong) == (3, 0)
        # two quiz runs, one from each machine
        assert len(pa._read("SELECT DISTINCT run FROM quiz_results")) == 2
    before_a, before_b = dump(a), dump(b)
    transfer.merge(a, transfer.export_data(b))
    transfer.merge(b, transfer.export_data(a))
    assert (dump(a), dump(b)) == (before_a, before_b)


def test_later_tallies_on_one_machine_are_added_not_doubled(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    with Progress.open(a, clock=Clock(0)) as p:
        p.record_quiz_answer("one/q1", True)
    transfer.merge(b, transfer.export_data(a))
    with Progress.open(b, clock=Clock(100)) as p:
        p.record_quiz_answer("one/q1", False)
    with Progress.open(a, clock=Clock(200)) as p:
        p.record_quiz_answer("one/q1", True)      # A now has 2 right; B has A's first + 1 wrong
    transfer.merge(b, transfer.export_data(a))
    transfer.merge(a, transfer.export_data(b))
    for folder in (a, b):
        with Progress.open(folder) as p:
            assert p._read("SELECT right, wrong FROM quiz_items")[0] == (2, 1)
            # the box comes from the last answer given anywhere: A's right answer at 201 s -> box 2? no:
            # A's own history was right, right -> box 2; B's wrong at 101 s came earlier, so A's state wins
            assert p._read("SELECT box FROM quiz_items")[0][0] == 2


def test_an_answer_given_before_the_solution_was_shown_elsewhere_still_counts(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    # Both machines show the same numbers (seed 7) for e1: A answers at 50 s, B opens the solution at 100 s
    with Progress.open(a, clock=Clock(49)) as p:
        p.record_attempt("one", "e1", "right", True, None, 7)        # at 50 s
    with Progress.open(b, clock=Clock(99)) as p:
        p.record_solution("one", "e1", 7)                            # at 100 s
        p.record_attempt("one", "e1", "copied", True, None, 7)       # at 101 s: after the solution
        p.record_attempt("one", "e2", "copied", True, None, 8)
    with Progress.open(b) as p:
        assert p.solved_steps("one") == {"e2"}
    transfer.merge(b, transfer.export_data(a))
    with Progress.open(b) as p:
        assert p.solved_steps("one") == {"e1", "e2"}  # A's answer came before anyone saw the solution
    # and the other way: A answering *after* B's solution showed gets no credit on B
    c = tmp_path / "c"
    with Progress.open(c, clock=Clock(199)) as p:
        p.record_attempt("one", "e1", "late", True, None, 7)         # at 200 s
    d = tmp_path / "d"
    with Progress.open(d, clock=Clock(99)) as p:
        p.record_solution("one", "e1", 7)                            # at 100 s
    transfer.merge(d, transfer.export_data(c))
    with Progress.open(d) as p:
        assert p.solved_steps("one") == set()


def test_a_solution_shown_on_both_counts_from_the_first_showing(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    with Progress.open(a, clock=Clock(9)) as p:
        p.record_solution("one", "e1", 7)                            # at 10 s
    with Progress.open(b, clock=Clock(19)) as p:
        p.record_attempt("one", "e1", "right", True, None, 7)        # at 20 s: after A's showing
        p.record_solution("one", "e1", 7)                            # at 21 s
    with Progress.open(b) as p:
        assert p.solved_steps("one") == {"e1"}  # B alone: answered before its own showing
    transfer.merge(b, transfer.export_data(a))
    with Progress.open(b) as p:
        assert p._read("SELECT at FROM solutions")[0][0] == 10.0
        assert p.solved_steps("one") == set()  # the learner had seen the solution (on A) before answering


@pytest.mark.parametrize("text, words", [
    ("not json", "not JSON"),
    ('{"format": "something-else"}', "not a progress export"),
    ('{"format": "backprop-tutor-progress", "format_version": 99, "store_id": "x", "tables": {}}', "newer"),
    ('{"format": "backprop-tutor-progress", "format_version": 1, "store_id": "x", '
     '"tables": {"attempts": {"columns": ["a"], "rows": [[1, 2]]}}}', "damaged"),
])
def test_a_bad_file_is_one_line_and_changes_nothing(tmp_path, capsys, text, words):
    a = tmp_path / "a"
    fill_a(a)
    before = dump(a)
    bad = tmp_path / "bad.json"
    bad.write_text(text, encoding="utf-8")
    assert main(["progress", "--data-dir", str(a), "--import", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and words in err
    assert dump(a) == before


def test_export_names_a_missing_folder_plainly(tmp_path, capsys):
    fill_a(tmp_path / "a")
    assert main(["progress", "--data-dir", str(tmp_path / "a"), "--export", str(tmp_path / "no" / "x.json")]) == 1
    assert "cannot write" in capsys.readouterr().err
