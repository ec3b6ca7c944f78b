"""The progress store against a real SQLite file: where it lives, resume, status rules, quiz boxes, reset
(damage and concurrency: test_progress_recovery)."""

from __future__ import annotations

import json

import pytest

from engine.exercises import ExerciseSpec
from lessons.model import Curriculum, Lesson, Step
from tutor.progress import DONE, IN_PROGRESS, NOT_STARTED, Progress, default_data_dir
from tutor.progress_schedule import BOX_INTERVALS


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
