"""Reading rows of the progress file: every value is checked for its kind and range before it is used.

A progress file can hold anything: damage, another program's writes, a hand edit. Nothing read from it
is trusted. Each table's columns have a check; `select` returns only the rows that pass and counts the
others, which the store ignores (and, where it may write, removes), reporting them once.
"""

from __future__ import annotations

import math
import unicodedata
from collections import Counter
from typing import Any, Callable, Sequence

#: Longest id (lesson, step, seed key, quiz item, mistake) taken from the file.
MAX_ID_CHARS = 200
#: Longest stored answer or meta value taken from the file.
MAX_TEXT_CHARS = 4_000
#: A hint rung beyond this is not a rung of any ladder: hint ladders have a handful.
MAX_RUNG = 100
#: Counts (quiz right/wrong, scores, totals) beyond this make no sense for one learner.
MAX_COUNT = 10_000_000
MAX_SEED = 2**63 - 1
#: Times are seconds since 1970; beyond ±this (about 31,000 years) a time is garbage.
MAX_TIME = 1e12
MAX_SEQ = 2**62


class Undecodable(bytes):
    """A TEXT value that is not valid UTF-8: kept as bytes so that reading it cannot fail."""


def decode_text(raw: bytes) -> str | Undecodable:
    """The connection's text factory: str for valid UTF-8, an Undecodable otherwise (never raises)."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return Undecodable(raw)


def _has_control(text: str) -> bool:
    return any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn") for ch in text)


def ident(v: Any) -> bool:
    """An id: non-empty text without control or format characters, of a sensible length."""
    return type(v) is str and 0 < len(v) <= MAX_ID_CHARS and not _has_control(v)


def optional_ident(v: Any) -> bool:
    return v is None or ident(v)


def text(v: Any) -> bool:
    """Free text (a stored answer): any valid text of a sensible length."""
    return type(v) is str and len(v) <= MAX_TEXT_CHARS


def integer(lo: int, hi: int) -> Callable[[Any], bool]:
    """A check for a whole number in [lo, hi] stored as an integer (not text, not a real)."""
    return lambda v: type(v) is int and lo <= v <= hi


def moment(v: Any) -> bool:
    """A time in seconds: a finite number of a sensible size."""
    return type(v) in (int, float) and math.isfinite(v) and -MAX_TIME <= v <= MAX_TIME


flag = integer(0, 1)
seed = integer(0, MAX_SEED)
count = integer(0, MAX_COUNT)
rowid = integer(1, MAX_SEQ)
rung = integer(1, MAX_RUNG)
seq = integer(0, MAX_SEQ)

#: Every column the tutor reads, with its check. `box` is checked against the store's box count.
COLUMNS: dict[str, dict[str, Callable[[Any], bool]]] = {
    "meta": {"key": ident, "value": text},
    "attempts": {"id": rowid, "lesson_id": ident, "step_id": ident, "answer": text, "correct": flag,
                 "mistake": optional_ident, "seed": seed, "at": moment},
    "hints": {"id": rowid, "lesson_id": ident, "step_id": ident, "rung": rung, "at": moment},
    "solutions": {"lesson_id": ident, "step_id": ident, "seed": seed, "after_attempt": integer(0, MAX_SEQ),
                  "at": moment},
    "seeds": {"lesson_id": ident, "seed_key": ident, "seed": seed},
    "positions": {"lesson_id": ident, "step_id": ident, "seq": seq, "at": moment},
    "quiz_items": {"item_key": ident, "box": integer(0, 64), "due": moment, "right": count, "wrong": count,
                   "last": moment},
    "quiz_results": {"id": rowid, "run": integer(1, MAX_SEQ), "lesson_id": ident, "score": count,
                     "total": count, "at": moment},
}
#: Checks that involve more than one column of a row.
ROW_CHECKS: dict[str, Callable[[dict[str, Any]], bool]] = {
    "quiz_results": lambda r: "score" not in r or "total" not in r or r["score"] <= r["total"],
}


class Rows:
    """Validated reads from one connection; `skipped` counts, per table, the rows that failed a check."""

    def __init__(self, box_limit: int | None = None):
        self.skipped: Counter[str] = Counter()
        self.box_limit = box_limit

    def valid(self, table: str, names: Sequence[str], row: Sequence[Any]) -> bool:
        """Whether every named value of this row of `table` passes its check."""
        checks = COLUMNS[table]
        for name, value in zip(names, row):
            if not checks[name](value):
                return False
            if name == "box" and self.box_limit is not None and value > self.box_limit:
                return False
        row_check = ROW_CHECKS.get(table)
        return row_check is None or row_check(dict(zip(names, row)))

    def select(self, conn, table: str, names: Sequence[str], where: str = "", params: Sequence[Any] = (),
               order: str = "") -> list[tuple]:
        """The rows of `table` (columns `names`) matching `where` whose values all pass their checks."""
        sql = f"SELECT {', '.join(names)} FROM {table}"
        if where:
            sql += f" WHERE {where}"
        if order:
            sql += f" ORDER BY {order}"
        out = []
        for row in conn.execute(sql, tuple(params)):
            if self.valid(table, names, row):
                out.append(tuple(row))
            else:
                self.skipped[table] += 1
        return out

    def bad_rowids(self, conn, table: str) -> list[int]:
        """The rowids of every row of `table` that fails a check (used when the file is scanned on opening)."""
        names = list(COLUMNS[table])
        bad = []
        for row in conn.execute(f"SELECT rowid, {', '.join(names)} FROM {table}"):
            if not self.valid(table, names, row[1:]):
                bad.append(row[0])
        return bad
