"""Quiz scheduling for the progress store: Leitner boxes for quiz items and missed exercises, and quiz scores."""

from __future__ import annotations

import sqlite3
from typing import Any, Callable, Iterable, Mapping, Sequence

from tutor import progress_rows

#: Seconds until a quiz item in Leitner box n is due again after a right answer that moved it there.
#: A wrong answer puts the item back in box 0, due at once.
BOX_INTERVALS = (0.0, 10 * 60.0, 86_400.0, 3 * 86_400.0, 7 * 86_400.0, 21 * 86_400.0)
MAX_BOX = len(BOX_INTERVALS) - 1


class QuizSchedule:
    """The quiz half of `tutor.progress.Progress`, which provides the plumbing used here."""

    _clock: Callable[[], float]
    _rows: progress_rows.Rows
    _write: Callable[..., Any]
    _select: Callable[..., list[tuple]]

    def record_quiz_answer(self, item_key: str, correct: bool) -> None:
        """Move a quiz item between Leitner boxes: right -> next box, due later; wrong -> box 0, due now."""
        now = self._clock()

        def work(c: sqlite3.Connection) -> Any:
            rows = self._rows.select(c, "quiz_items", ("box", "right", "wrong"), "item_key = ?", (item_key,))
            box, right, wrong = rows[0] if rows else (0, 0, 0)  # a row that makes no sense starts afresh
            box = min(box + 1, MAX_BOX) if correct else 0
            right, wrong = min(right + int(bool(correct)), progress_rows.MAX_COUNT), \
                min(wrong + int(not correct), progress_rows.MAX_COUNT)
            c.execute("INSERT OR REPLACE INTO quiz_items (item_key, box, due, right, wrong, last) VALUES (?, ?, ?, ?, ?, ?)",
                      (item_key, box, now + BOX_INTERVALS[box], right, wrong, now))
        self._write(work)

    def due_order(self, item_keys: Iterable[str]) -> list[str]:
        """The items, most due first: items due now (lowest box, then longest overdue; never-seen items
        count as box 0 due now, after ones answered wrongly), then the rest by when they fall due.
        Ties keep the given order, so shuffle first for a random mix."""
        keys = list(dict.fromkeys(item_keys))
        now = self._clock()
        known: dict[str, tuple[int, float]] = {}
        for i in range(0, len(keys), 500):
            chunk = keys[i:i + 500]
            marks = ",".join("?" * len(chunk))
            for key, box, due in self._select("quiz_items", ("item_key", "box", "due"), f"item_key IN ({marks})", chunk):
                known[key] = (box, float(due))

        def rank(pair: tuple[int, str]) -> tuple:
            index, key = pair
            box, due = known.get(key, (0, now))
            if due <= now:
                return (0, box, due, index)
            return (1, due, box, index)

        return [key for _, key in sorted(enumerate(keys), key=rank)]

    def record_exercise_answer(self, item_key: str, correct: bool) -> None:
        """Schedule a lesson exercise like a quiz item: a wrong answer puts it in box 0 (due now); a right
        answer moves it on only once it is scheduled, so exercises never missed stay out of the schedule."""
        if correct and not self._select("quiz_items", ("item_key",), "item_key = ?", (item_key,)):
            return
        self.record_quiz_answer(item_key, correct)

    def due_items(self, item_keys: Iterable[str] | None = None) -> list[str]:
        """Items answered before whose time has come again (box 0 first, then longest overdue), limited
        to `item_keys` when given (so items of lessons no longer installed are not counted)."""
        rows = self._select("quiz_items", ("item_key", "box", "due"), "due <= ?", (self._clock(),))
        due = [key for key, _, _ in sorted(rows, key=lambda r: (r[1], r[2], r[0]))]
        if item_keys is None:
            return due
        wanted = set(item_keys)
        return [key for key in due if key in wanted]

    def record_quiz_scores(self, scores: Mapping[str, tuple[int, int]]) -> None:
        """Store a finished quiz: each lesson gets the (score, total) of its own items in that quiz."""
        self._record_quiz_run([(lid, score, total) for lid, (score, total) in scores.items() if total > 0])

    def record_quiz_result(self, lesson_ids: Sequence[str], score: int, total: int) -> None:
        """Store a finished quiz's score; it counts towards each lesson it drew items from."""
        self._record_quiz_run([(lid, score, total) for lid in dict.fromkeys(lesson_ids)])

    def _record_quiz_run(self, rows: Sequence[tuple[str, int, int]]) -> None:
        """One quiz's (lesson, score, total) rows, under the next run number."""
        def work(c: sqlite3.Connection) -> Any:
            runs = [r[0] for r in self._rows.select(c, "quiz_results", ("run",))]
            run = max(runs, default=0) + 1
            at = self._clock()
            c.executemany("INSERT INTO quiz_results (run, lesson_id, score, total, at) VALUES (?, ?, ?, ?, ?)",
                          [(run, lid, int(score), int(total), at) for lid, score, total in rows])
        self._write(work)

    def best_quiz(self, lesson_id: str) -> tuple[int, int] | None:
        """The best (score, total) of the quizzes that included this lesson: highest fraction, then most items."""
        rows = [r for r in self._select("quiz_results", ("score", "total"), "lesson_id = ?", (lesson_id,)) if r[1] > 0]
        if not rows:
            return None
        return max(rows, key=lambda r: (r[0] / r[1], r[1]))
