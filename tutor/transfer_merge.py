"""Merging a progress export into a store.

The merge loses nothing on either side and importing the same file again changes nothing:

- answers (attempts), hints and quiz runs: every one from either side is kept, once; answers are kept
  in the order they were given, so "right before the solution was shown" still means what it meant;
- a step answered on both machines: both machines' answers are kept, so it counts as solved if it
  was solved on either; the numbers on screen for it stay the ones this machine shows (its seed),
  and only a step this machine never drew numbers for takes the other machine's;
- a worked solution shown on either machine counts from the first time it was shown;
- where you are in each lesson: the place visited last, on whichever machine;
- a quiz item: its box and due time come from the machine that answered it last; its right/wrong
  tallies add up what each machine added, counted once however often files go back and forth;
- settings (such as the welcome already seen): this machine's, plus any it does not have.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from pathlib import Path
from typing import Any, Iterable

from tutor import transfer_db as db
from tutor.transfer_db import COUNTS_TABLE, STORE_ID_KEY, BadFile, TransferError


def _imported_rows(data: dict, table: str, local_cols: list[str]) -> list[dict]:
    """The file's rows of a table, keeping the columns this store has."""
    t = data["tables"].get(table)
    if not t:
        return []
    keep = [c for c in t["columns"] if c in local_cols]
    index = {c: i for i, c in enumerate(t["columns"])}
    return [{c: row[index[c]] for c in keep} for row in t["rows"]]


# -- merging --------------------------------------------------------------------------------------

def _key(row: dict, cols: Iterable[str]) -> tuple:
    return tuple(row.get(c) for c in cols)


def _new_by_multiset(local: list[dict], incoming: list[dict], cols: list[str]) -> list[dict]:
    """Incoming rows not already here, counting repeats: a row here k times and there m times adds m − k."""
    have = Counter(_key(r, cols) for r in local)
    new = []
    for row in incoming:
        k = _key(row, cols)
        if have[k] > 0:
            have[k] -= 1
        else:
            new.append(row)
    return new


def _merge_attempts_and_solutions(conn: sqlite3.Connection, data: dict) -> dict[str, int]:
    """Answers from both sides in the order given; each solution keeps counting from its first showing."""
    cols = [c for c, _ in db.columns(conn, "attempts")]
    ident = [c for c in cols if c != "id"]
    local = db.rows(conn, "attempts", cols, order="id")
    incoming = _imported_rows(data, "attempts", cols)
    incoming.sort(key=lambda r: (r.get("id") or 0))
    new = _new_by_multiset(local, incoming, ident)
    sol_cols = [c for c, _ in db.columns(conn, "solutions")]
    local_sol = db.rows(conn, "solutions", sol_cols)
    in_sol = _imported_rows(data, "solutions", sol_cols)
    sol_key = ("lesson_id", "step_id", "seed")
    here = {_key(s, sol_key): s for s in local_sol}
    sol_changes = [s for s in in_sol if _key(s, sol_key) not in here
                   or (s.get("at") or 0) < (here[_key(s, sol_key)].get("at") or 0)]
    if not new and not sol_changes:
        return {"attempts": 0, "solutions": 0}

    # One sequence, by time; local answers first on a tie. New ids follow that order.
    merged = [(r.get("at") or 0.0, 0, r["id"], r) for r in local]
    merged += [(r.get("at") or 0.0, 1, n, r) for n, r in enumerate(new)]
    merged.sort(key=lambda item: item[:3])
    new_id_local: dict[int, int] = {}
    new_ids = []
    for new_id, (_, side, old, row) in enumerate(merged, start=1):
        if side == 0:
            new_id_local[old] = new_id
        new_ids.append((new_id, row))
    # the file's ids, for the file's solutions: a new answer's new id, or the id of the same answer here
    file_ids: dict[int, int] = {}
    by_ident: dict[tuple, list[int]] = {}
    for new_id, row in new_ids:
        by_ident.setdefault(_key(row, ident), []).append(new_id)
    used: Counter[tuple] = Counter()
    for row in incoming:
        k = _key(row, ident)
        ids = by_ident.get(k, [])
        if row.get("id") is not None and used[k] < len(ids):
            file_ids[int(row["id"])] = ids[used[k]]
        used[k] += 1
    times = [(row.get("at") or 0.0, new_id) for new_id, row in new_ids]

    def after(at: float, mapped: int) -> int:
        """The last answer given before the solution was shown: by its recorded place, or by time."""
        by_time = max((i for t, i in times if t <= at), default=0)
        return max(mapped, by_time)

    def mapped_local(old_after: int) -> int:
        return max((new for old, new in new_id_local.items() if old <= old_after), default=0)

    def mapped_file(old_after: int) -> int:
        return max((new for old, new in file_ids.items() if old <= old_after), default=0)

    conn.execute("DELETE FROM attempts")
    for new_id, row in new_ids:
        db.insert(conn, "attempts", {**{c: row.get(c) for c in ident}, "id": new_id})
    for s in local_sol:
        s_new = dict(s, after_attempt=after(s.get("at") or 0.0, mapped_local(int(s.get("after_attempt") or 0))))
        conn.execute("UPDATE solutions SET after_attempt = ? WHERE lesson_id = ? AND step_id = ? AND seed = ?",
                     (s_new["after_attempt"], s["lesson_id"], s["step_id"], s["seed"]))
    for s in sol_changes:
        row = dict(s, after_attempt=after(s.get("at") or 0.0, mapped_file(int(s.get("after_attempt") or 0))))
        db.insert(conn, "solutions", row, verb="INSERT OR REPLACE")
    return {"attempts": len(new), "solutions": len(sol_changes)}


def _merge_appended(conn: sqlite3.Connection, data: dict, table: str) -> int:
    """A log table (hints, or one this version does not know): every row from either side, once."""
    info = db.columns(conn, table)
    cols = [c for c, _ in info]
    ident = [c for c, rowid in info if not rowid]
    local = db.rows(conn, table, cols)
    incoming = _imported_rows(data, table, cols)
    added = 0
    has_rowid_pk = len(ident) < len(cols)
    for row in _new_by_multiset(local, incoming, ident):
        payload = {c: row[c] for c in ident if c in row}
        if has_rowid_pk:
            db.insert(conn, table, payload)
        else:
            before = conn.total_changes
            db.insert(conn, table, payload, verb="INSERT OR IGNORE")  # a clash on a key: this store's row stays
            if conn.total_changes == before:
                continue
        added += 1
    return added


def _merge_keyed(conn: sqlite3.Connection, data: dict, table: str, key: tuple[str, ...],
                 newer: str | None = None, skip_keys: frozenset = frozenset()) -> int:
    """One row per key: this store's, unless it has none or (with `newer`) the file's is more recent."""
    cols = [c for c, _ in db.columns(conn, table)]
    local = {_key(r, key): r for r in db.rows(conn, table, cols)}
    changed = 0
    for row in _imported_rows(data, table, cols):
        k = _key(row, key)
        if k in skip_keys:
            continue
        mine = local.get(k)
        if mine is None or (newer and (row.get(newer) or 0) > (mine.get(newer) or 0)):
            db.insert(conn, table, row, verb="INSERT OR REPLACE")
            local[k] = row
            changed += 1
    return changed


def _merge_positions(conn: sqlite3.Connection, data: dict) -> int:
    changed = _merge_keyed(conn, data, "positions", ("lesson_id",), newer="at")
    if changed:  # seq orders "last visited": renumber by time across both sides
        rows = conn.execute("SELECT lesson_id FROM positions ORDER BY at, seq, lesson_id").fetchall()
        for seq, (lesson_id,) in enumerate(rows, start=1):
            conn.execute("UPDATE positions SET seq = ? WHERE lesson_id = ?", (seq, lesson_id))
    return changed


def _merge_quiz_results(conn: sqlite3.Connection, data: dict) -> int:
    """Whole quiz runs: a run already here (same lessons, score, total and time) is not added again."""
    cols = [c for c, _ in db.columns(conn, "quiz_results")]
    ident = [c for c in cols if c not in ("id", "run")]

    def runs(rows: list[dict]) -> dict[Any, list[dict]]:
        out: dict[Any, list[dict]] = {}
        for r in rows:
            out.setdefault(r.get("run"), []).append(r)
        return out

    here = Counter(tuple(sorted(_key(r, ident) for r in rows))
                   for rows in runs(db.rows(conn, "quiz_results", cols)).values())
    added = 0
    incoming = runs(_imported_rows(data, "quiz_results", cols))
    for _, rows in sorted(incoming.items(), key=lambda item: min((r.get("at") or 0) for r in item[1])):
        sig = tuple(sorted(_key(r, ident) for r in rows))
        if here[sig] > 0:
            here[sig] -= 1
            continue
        run = conn.execute("SELECT COALESCE(MAX(run), 0) + 1 FROM quiz_results").fetchone()[0]
        for r in rows:
            db.insert(conn, "quiz_results", {**{c: r.get(c) for c in ident}, "run": run})
        added += 1
    return added


def _merge_quiz_items(conn: sqlite3.Connection, data: dict, here_id: str) -> int:
    """Box and due time from the side that answered last; right/wrong add up each machine's own part."""
    cols = [c for c, _ in db.columns(conn, "quiz_items")]
    local = {r["item_key"]: r for r in db.rows(conn, "quiz_items", cols)}
    known: dict[str, dict[str, tuple[int, int]]] = {}
    for origin, key, right, wrong in conn.execute(f"SELECT origin, item_key, right, wrong FROM {COUNTS_TABLE}"):
        known.setdefault(key, {})[origin] = (int(right), int(wrong))
    file_parts: dict[str, dict[str, tuple[int, int]]] = {}
    t = data["tables"].get(COUNTS_TABLE) or {"columns": [], "rows": []}
    idx = {c: i for i, c in enumerate(t["columns"])}
    if {"origin", "item_key", "right", "wrong"} <= set(idx):
        for row in t["rows"]:
            file_parts.setdefault(row[idx["item_key"]], {})[row[idx["origin"]]] = (
                int(row[idx["right"]] or 0), int(row[idx["wrong"]] or 0))
    there_id = data["store_id"]
    changed = 0
    for row in _imported_rows(data, "quiz_items", cols):
        key = row["item_key"]
        right, wrong = int(row.get("right") or 0), int(row.get("wrong") or 0)
        parts = dict(file_parts.get(key, {}))
        parts[there_id] = (max(0, right - sum(p[0] for p in parts.values())),
                           max(0, wrong - sum(p[1] for p in parts.values())))
        mine = local.get(key)
        learnt = known.get(key, {}) if mine is not None else {}  # tallies of a forgotten item are forgotten too
        own = (0, 0) if mine is None else (max(0, int(mine["right"]) - sum(p[0] for p in learnt.values())),
                                           max(0, int(mine["wrong"]) - sum(p[1] for p in learnt.values())))
        merged = dict(learnt)
        for origin, (r, w) in parts.items():
            if origin == here_id:
                continue  # this store knows its own tallies best
            old = merged.get(origin, (0, 0))
            merged[origin] = (max(old[0], r), max(old[1], w))
        total = (own[0] + sum(p[0] for p in merged.values()), own[1] + sum(p[1] for p in merged.values()))
        newer = mine is None or (row.get("last") or 0) > (mine.get("last") or 0)
        result = dict(row if newer else mine, right=total[0], wrong=total[1])
        if mine is not None and all(result.get(c) == mine.get(c) for c in cols) and merged == learnt:
            continue
        db.insert(conn, "quiz_items", result, verb="INSERT OR REPLACE")
        conn.execute(f"DELETE FROM {COUNTS_TABLE} WHERE item_key = ?", (key,))
        conn.executemany(f"INSERT INTO {COUNTS_TABLE} (origin, item_key, right, wrong) VALUES (?, ?, ?, ?)",
                         [(o, key, r, w) for o, (r, w) in merged.items()])
        changed += 1
    return changed


def merge(data_dir: Path, data: dict) -> dict[str, int]:
    """Merge an export into the store in data_dir, in one transaction; how many rows each part added."""
    opened = db.open_store(data_dir)
    conn = opened.conn
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            here_id = db.store_id(conn)
            tables = set(db.tables(conn))
            done: dict[str, int] = {}
            done.update(_merge_attempts_and_solutions(conn, data))
            done["hints"] = _merge_appended(conn, data, "hints")
            done["seeds"] = _merge_keyed(conn, data, "seeds", ("lesson_id", "seed_key"))
            done["positions"] = _merge_positions(conn, data)
            done["quiz_results"] = _merge_quiz_results(conn, data)
            done["quiz_items"] = _merge_quiz_items(conn, data, here_id)
            done["meta"] = _merge_keyed(conn, data, "meta", ("key",), skip_keys=frozenset({(STORE_ID_KEY,)}))
            handled = {"attempts", "solutions", "hints", "seeds", "positions", "quiz_results", "quiz_items",
                       "meta", COUNTS_TABLE}
            for table in sorted(tables - handled):
                if table in data["tables"]:
                    done[table] = _merge_appended(conn, data, table)
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    except sqlite3.IntegrityError as exc:
        raise BadFile(f"the file does not fit this store ({exc}); nothing was imported") from None
    except sqlite3.OperationalError as exc:
        raise TransferError(f"the progress file could not be changed ({exc}); nothing was imported") from None
    finally:
        conn.close()
    return done
