"""The learner's saved progress in SQLite: seeds, positions, attempts, hints, solutions (quizzes: progress_schedule)."""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence, TypeVar

from tutor import progress_rows
from tutor.progress_rows import Rows
from tutor.progress_schema import OK, open_database
from tutor.progress_schedule import MAX_BOX, QuizSchedule

ENV_DATA_DIR = "BACKPROP_TUTOR_DATA_DIR"
APP_NAME = "backprop-tutor"
#: Longer answers are cut when stored: they are kept to show the learner, not to be re-graded.
MAX_ANSWER_CHARS = 2_000

NOT_STARTED, IN_PROGRESS, DONE = "not started", "in progress", "done"
T = TypeVar("T")


def default_data_dir(cli_value: str | None = None) -> Path:
    """--data-dir if given, else $BACKPROP_TUTOR_DATA_DIR, else the platform's user data directory."""
    if cli_value:
        return Path(cli_value).expanduser()
    env = os.environ.get(ENV_DATA_DIR)
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


@dataclass(frozen=True)
class Attempt:
    """One answer the learner checked."""

    step_id: str
    answer: str
    correct: bool
    mistake: str | None
    seed: int
    at: float


class Progress(QuizSchedule):
    """The progress store. Open it with `Progress.open(data_dir)`; every write is one transaction.

    Safe to share between threads (calls are serialised) and between running copies of the app
    (WAL journal, busy timeout, writes that only add or upsert rows).
    """

    def __init__(self, conn: sqlite3.Connection, *, saving: bool, notice: str | None,
                 path: Path | None, clock: Callable[[], float] = time.time, state: str = OK,
                 read_only: bool = False):
        self._conn = conn
        self._lock = threading.RLock()
        self._clock = clock
        self._rows = Rows(box_limit=MAX_BOX)
        self.saving = saving
        self.notice = notice
        #: OK, or why progress is not kept: NEWER (a newer version's file), IN_USE (another copy's lock).
        self.state = state
        #: True for a store opened only to show progress: it never begins a write.
        self.read_only = read_only
        #: The last write that failed and was dropped, as a message for the learner; None when all were kept.
        self.write_error: str | None = None
        #: The last read that failed (the file went bad while open); None while every read worked.
        self.read_error: str | None = None
        self.path = path

    @classmethod
    def open(cls, data_dir: Path, *, clock: Callable[[], float] = time.time, read_only: bool = False) -> "Progress":
        """Open the store in data_dir. Never raises for a bad file or folder: a corrupt file is moved
        aside and an unwritable folder gives an in-memory store; `notice` then says what happened.

        read_only: for commands that only show progress; never begins a write transaction, so it shows
        the last committed state at once even while another copy is writing.
        """
        opened = open_database(Path(data_dir), read_only=read_only)
        store = cls(opened.conn, saving=opened.saving, notice=opened.notice, path=opened.path, clock=clock,
                    state=opened.state, read_only=opened.read_only)
        store._scan()
        return store

    def _scan(self) -> None:
        """Look at every row once: rows that make no sense are reported in `notice` (once) and, unless the
        store is read-only, removed; reads skip them in any case."""
        bad: dict[str, list[int]] = {}
        with self._lock:
            try:
                for table in progress_rows.COLUMNS:
                    ids = self._rows.bad_rowids(self._conn, table)
                    if ids:
                        bad[table] = ids
            except sqlite3.Error as exc:
                self.read_error = f"Progress could not be read: {exc}."
                return
        total = sum(len(ids) for ids in bad.values())
        if not total:
            return
        where = ", ".join(f"{len(ids)} in {table}" for table, ids in sorted(bad.items()))
        removed = False
        if not self.read_only:
            def work(c: sqlite3.Connection) -> bool:
                for table, ids in bad.items():
                    for i in range(0, len(ids), 500):
                        chunk = ids[i:i + 500]
                        c.execute(f"DELETE FROM {table} WHERE rowid IN ({','.join('?' * len(chunk))})", chunk)
                return True
            removed = bool(self._write(work, False))
        entries = "entry" if total == 1 else "entries"
        message = (f"{total} {entries} in the progress file made no sense ({where}) and "
                   + ("were removed." if removed else "were ignored."))
        self.notice = f"{self.notice} {message}" if self.notice else message

    def close(self) -> None:
        """Close the database; the object must not be used afterwards."""
        with self._lock:
            self._conn.close()

    def __enter__(self) -> "Progress":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- plumbing ---------------------------------------------------------------------------------

    def _write(self, work: Callable[[sqlite3.Connection], T], failed: T = None) -> T:
        """Run `work` in one write transaction; IMMEDIATE takes the write lock up front so copies queue.

        A write the disk refuses (full, locked past the busy timeout, gone) is rolled back and noted in
        `write_error`, and `failed` is returned: losing one record is better than losing the session.
        A read-only store writes nothing.
        """
        if self.read_only:
            self.write_error = "Progress could not be saved: it was opened only to be shown."
            return failed
        with self._lock:
            try:
                with self._conn:
                    self._conn.execute("BEGIN IMMEDIATE")
                    return work(self._conn)
            except (sqlite3.ProgrammingError, sqlite3.IntegrityError):
                raise  # misuse or a bug here, not the environment
            except sqlite3.DatabaseError as exc:
                if "locked" in str(exc) or "busy" in str(exc):
                    self.write_error = "Progress could not be saved: the progress file is in use by another copy."
                else:
                    self.write_error = f"Progress could not be saved: {exc}."
                return failed

    def _read(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        """Raw rows, for checks of the file itself; the store's own reads go through `_select`."""
        with self._lock:
            return self._conn.execute(sql, params).fetchall()

    def _select(self, table: str, names: Sequence[str], where: str = "", params: Sequence[Any] = (),
                order: str = "") -> list[tuple]:
        """Rows whose values all pass their checks (see progress_rows); a file that fails to read gives none."""
        with self._lock:
            try:
                return self._rows.select(self._conn, table, names, where, params, order)
            except sqlite3.Error as exc:
                self.read_error = f"Progress could not be read: {exc}."
                return []

    # -- seeds and position ---------------------------------------------------------------------

    def _stored_seed(self, lesson_id: str, seed_key: str) -> int | None:
        rows = self._select("seeds", ("seed",), "lesson_id = ? AND seed_key = ?", (lesson_id, seed_key))
        return rows[0][0] if rows else None

    def seed(self, lesson_id: str, seed_key: str, fresh: Callable[[], int]) -> int:
        """The stored seed for this step (or group of steps); draws and stores `fresh()` the first time."""
        stored = self._stored_seed(lesson_id, seed_key)
        if stored is not None:
            return stored
        candidate = int(fresh())

        def work(c: sqlite3.Connection) -> Any:
            # Another copy may have stored one meanwhile: keep the first so both show the same numbers;
            # a row that makes no sense (a seed 'abc') is replaced.
            rows = self._rows.select(c, "seeds", ("seed",), "lesson_id = ? AND seed_key = ?", (lesson_id, seed_key))
            if rows:
                return rows[0][0]
            c.execute("INSERT OR REPLACE INTO seeds (lesson_id, seed_key, seed) VALUES (?, ?, ?)",
                      (lesson_id, seed_key, candidate))
            return candidate
        return self._write(work, candidate)  # a failed write: use the fresh draw this session

    def new_seed(self, lesson_id: str, seed_key: str, seed: int) -> None:
        """Replace the stored seed ("another one like this")."""
        def work(c: sqlite3.Connection) -> Any:
            c.execute("INSERT OR REPLACE INTO seeds (lesson_id, seed_key, seed) VALUES (?, ?, ?)",
                      (lesson_id, seed_key, int(seed)))
        self._write(work)

    def _positions(self, conn: sqlite3.Connection | None = None) -> list[tuple[str, str, int]]:
        """(lesson_id, step_id, seq) of every sound position row, most recent first."""
        if conn is None:
            rows = self._select("positions", ("lesson_id", "step_id", "seq"))
        else:
            rows = self._rows.select(conn, "positions", ("lesson_id", "step_id", "seq"))
        return sorted(rows, key=lambda r: r[2], reverse=True)

    def set_seeds(self, rows: Iterable[tuple[str, str, int]]) -> None:
        """Replace the stored seeds of many steps at once, (lesson_id, seed_key, seed) each, in one transaction."""
        rows = [(lesson_id, key, int(seed)) for lesson_id, key, seed in rows]

        def work(c: sqlite3.Connection) -> Any:
            c.executemany("INSERT OR REPLACE INTO seeds (lesson_id, seed_key, seed) VALUES (?, ?, ?)", rows)
        if rows:
            self._write(work)

    def set_position(self, lesson_id: str, step_id: str) -> None:
        """Remember the step the learner is on; this lesson becomes the last one visited."""
        def work(c: sqlite3.Connection) -> Any:
            rows = self._positions(c)
            seq = (rows[0][2] if rows else 0) + 1
            c.execute("INSERT OR REPLACE INTO positions (lesson_id, step_id, seq, at) VALUES (?, ?, ?, ?)",
                      (lesson_id, step_id, seq, self._clock()))
        self._write(work)

    def position(self, lesson_id: str) -> str | None:
        """The step the learner was last on in this lesson, or None."""
        rows = self._select("positions", ("step_id",), "lesson_id = ?", (lesson_id,))
        return rows[0][0] if rows else None

    def last_lesson(self) -> str | None:
        """The lesson whose position was set most recently, or None."""
        rows = self._positions()
        return rows[0][0] if rows else None

    # -- what happened ----------------------------------------------------------------------------

    def record_attempt(self, lesson_id: str, step_id: str, answer: str, correct: bool,
                       mistake: str | None, seed: int) -> None:
        """Store one checked answer with its verdict and the seed of the numbers it answered."""
        def work(c: sqlite3.Connection) -> Any:
            c.execute(
                "INSERT INTO attempts (lesson_id, step_id, answer, correct, mistake, seed, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (lesson_id, step_id, str(answer)[:MAX_ANSWER_CHARS], int(bool(correct)), mistake, int(seed), self._clock()),
            )
        self._write(work)

    def record_hint(self, lesson_id: str, step_id: str, rung: int) -> None:
        """Store that a hint rung was shown."""
        def work(c: sqlite3.Connection) -> Any:
            c.execute("INSERT INTO hints (lesson_id, step_id, rung, at) VALUES (?, ?, ?, ?)",
                      (lesson_id, step_id, int(rung), self._clock()))
        self._write(work)

    def record_solution(self, lesson_id: str, step_id: str, seed: int) -> None:
        """Store that the worked solution was shown for these numbers: later answers on them do not count."""
        def work(c: sqlite3.Connection) -> Any:
            last = c.execute("SELECT COALESCE(MAX(id), 0) FROM attempts").fetchone()[0]
            c.execute("INSERT OR REPLACE INTO solutions (lesson_id, step_id, seed, after_attempt, at) "
                      "SELECT ?1, ?2, ?3, ?4, ?5 WHERE NOT EXISTS (SELECT 1 FROM solutions WHERE lesson_id = ?1 "
                      "AND step_id = ?2 AND seed = ?3 AND typeof(after_attempt) = 'integer')",
                      (lesson_id, step_id, int(seed), last, self._clock()))
        self._write(work)

    def solution_revealed(self, lesson_id: str, step_id: str, seed: int) -> bool:
        """Whether the worked solution has been shown for this step with these numbers."""
        return any(s == int(seed) for (s,) in self._select(
            "solutions", ("seed",), "lesson_id = ? AND step_id = ?", (lesson_id, step_id)))

    def hints_shown(self, lesson_id: str, step_id: str) -> int:
        """The highest hint rung shown for this step (0 when none)."""
        rows = self._select("hints", ("rung",), "lesson_id = ? AND step_id = ?", (lesson_id, step_id))
        return max((r[0] for r in rows), default=0)

    def attempts(self, lesson_id: str, step_id: str | None = None) -> list[Attempt]:
        """The answers checked in a lesson (or one step of it), oldest first."""
        where, params = "lesson_id = ?", [lesson_id]
        if step_id is not None:
            where += " AND step_id = ?"
            params.append(step_id)
        rows = self._select("attempts", ("step_id", "answer", "correct", "mistake", "seed", "at"), where, params,
                            order="id")
        return [Attempt(s, a, bool(c), m, seed, float(at)) for s, a, c, m, seed, at in rows]

    def solved_steps(self, lesson_id: str) -> set[str]:
        """Steps answered correctly on numbers whose solution had not been shown before that answer.

        A right answer given before the solution was opened still counts: it was earned.
        """
        shown: dict[tuple[str, int], int] = {}
        for step, seed, after in self._select("solutions", ("step_id", "seed", "after_attempt"), "lesson_id = ?",
                                              (lesson_id,)):
            shown[(step, seed)] = min(after, shown.get((step, seed), after))
        right = self._select("attempts", ("id", "step_id", "seed"), "lesson_id = ? AND correct = 1", (lesson_id,))
        return {step for i, step, seed in right if not (step, seed) in shown or shown[(step, seed)] >= i}

    def active_steps(self, lesson_id: str) -> set[str]:
        """Steps of a lesson the learner has worked on: answered, asked a hint for, or opened the solution of."""
        return {row[0] for table in ("attempts", "hints", "solutions")
                for row in self._select(table, ("step_id",), "lesson_id = ?", (lesson_id,))}

    def started(self, lesson_id: str) -> bool:
        """Whether the learner has opened or answered anything in this lesson."""
        return bool(self.position(lesson_id) or self.attempts(lesson_id)
                    or self._select("hints", ("step_id", "rung"), "lesson_id = ?", (lesson_id,)))

    def status(self, lesson_id: str, exercise_step_ids: Iterable[str]) -> str:
        """"done" when every exercise step is solved (see solved_steps), "in progress" once started,
        else "not started"."""
        needed = set(exercise_step_ids)
        if not self.started(lesson_id):
            return NOT_STARTED
        return DONE if needed <= self.solved_steps(lesson_id) else IN_PROGRESS

    # -- housekeeping -----------------------------------------------------------------------------

    def first_run(self) -> bool:
        """True until mark_welcomed() has been called (the welcome screen is shown once)."""
        return not self._select("meta", ("key",), "key = 'welcomed'")

    def mark_welcomed(self) -> None:
        """Remember that the welcome screen has been seen."""
        def work(c: sqlite3.Connection) -> Any:
            c.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('welcomed', '1')")
        self._write(work)

    def setting(self, key: str) -> str | None:
        """A remembered preference (such as the theme), or None."""
        rows = self._select("meta", ("value",), "key = ?", (f"setting:{key}",))
        return str(rows[0][0]) if rows else None

    def set_setting(self, key: str, value: str) -> None:
        """Remember a preference for next time."""
        def work(c: sqlite3.Connection) -> Any:
            c.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (f"setting:{key}", value))
        self._write(work)

    def reset(self, lesson_id: str | None = None, *, before_commit: Callable[[], None] | None = None) -> bool:
        """Forget everything about one lesson, or about every lesson (the welcome stays seen).

        before_commit runs inside the transaction, after the rows are deleted: if it raises (the
        confirmation could not be printed), nothing is forgotten and the exception propagates.
        Returns whether the reset was saved (False: see write_error).
        """
        tables = ("attempts", "hints", "solutions", "seeds", "positions", "quiz_results")

        def work(c: sqlite3.Connection) -> Any:
            if lesson_id is None:
                for table in tables + ("quiz_items",):
                    c.execute(f"DELETE FROM {table}")
            else:
                for table in tables:
                    c.execute(f"DELETE FROM {table} WHERE lesson_id = ?", (lesson_id,))
                prefix = lesson_id + "/"
                c.execute("DELETE FROM quiz_items WHERE substr(item_key, 1, ?) = ?", (len(prefix), prefix))
            if before_commit is not None:
                before_commit()
            return True
        return bool(self._write(work, False))

    def summary(self, curriculum: Any) -> dict:
        """Progress per lesson of the curriculum, as plain data (the shape `progress --json` prints)."""
        lessons = []
        for lesson in curriculum.lessons:
            exercise_ids = [s.id for s in lesson.task_steps]
            solved = self.solved_steps(lesson.id) & set(exercise_ids)
            best = self.best_quiz(lesson.id)
            lessons.append({
                "id": lesson.id,
                "title": lesson.title,
                "order": lesson.order,
                "status": self.status(lesson.id, exercise_ids),
                "exercises": len(exercise_ids),
                "solved": len(solved),
                "position": self.position(lesson.id),
                "attempts": len(self.attempts(lesson.id)),
                "hints": len(self._select("hints", ("rung",), "lesson_id = ?", (lesson.id,))),
                "solutions_shown": len(self._select("solutions", ("seed",), "lesson_id = ?", (lesson.id,))),
                "best_quiz": None if best is None else {"score": best[0], "total": best[1]},
            })
        totals = {state: sum(1 for item in lessons if item["status"] == state) for state in (DONE, IN_PROGRESS, NOT_STARTED)}
        return {
            "saving": self.saving,
            "database": None if self.path is None else str(self.path),
            "last_lesson": self.last_lesson(),
            "lessons": lessons,
            "totals": {"lessons": len(lessons), **totals},
        }
