"""The SQLite side of moving progress: a store's tables read and written generically."""

from __future__ import annotations

import sqlite3
import sys
import uuid
from pathlib import Path
from typing import Iterable

from tutor.progress_schema import open_database

#: This store's own id in meta: it tells the quiz tallies this machine added from those it learnt of.
STORE_ID_KEY = "store_id"
COUNTS_TABLE = "quiz_counts_from"
COUNTS_SCHEMA = f"""CREATE TABLE IF NOT EXISTS {COUNTS_TABLE} (
    origin TEXT NOT NULL, item_key TEXT NOT NULL, right INTEGER NOT NULL, wrong INTEGER NOT NULL,
    PRIMARY KEY (origin, item_key))"""
SKIPPED_TABLES = {"schema_version", "sqlite_sequence"}


class TransferError(Exception):
    """A store that cannot take part (exit status 1); the message is for the learner."""

    status = 1


class BadFile(TransferError):
    """A file that is not a progress export this version can read (exit status 2)."""

    status = 2


def tables(conn: sqlite3.Connection) -> list[str]:
    """The store's own tables, by name."""
    rows = conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                        "ORDER BY name").fetchall()
    return [r[0] for r in rows if r[0] not in SKIPPED_TABLES]


def columns(conn: sqlite3.Connection, table: str) -> list[tuple[str, bool]]:
    """(name, is the INTEGER PRIMARY KEY) of each column."""
    info = conn.execute(f'PRAGMA table_info("{table}")').fetchall()
    single_pk = sum(1 for r in info if r[5]) == 1
    return [(r[1], bool(single_pk and r[5] and str(r[2]).upper() == "INTEGER")) for r in info]


def rows(conn: sqlite3.Connection, table: str, cols: Iterable[str], order: str = "") -> list[dict]:
    """Every row of a table, as dicts of the given columns."""
    names = list(cols)
    sql = f'SELECT {", ".join(quoted(c) for c in names)} FROM "{table}"' + (f" ORDER BY {order}" if order else "")
    return [dict(zip(names, row)) for row in conn.execute(sql)]


def quoted(name: str) -> str:
    """A table or column name quoted for SQL."""
    return '"' + name.replace('"', '""') + '"'


def insert(conn: sqlite3.Connection, table: str, row: dict, verb: str = "INSERT") -> None:
    """Insert one row given as a dict (verb: INSERT, INSERT OR REPLACE, INSERT OR IGNORE)."""
    cols = list(row)
    conn.execute(f'{verb} INTO "{table}" ({", ".join(quoted(c) for c in cols)}) VALUES ({", ".join("?" * len(cols))})',
                 [row[c] for c in cols])


def store_id(conn: sqlite3.Connection) -> str:
    """This store's id, made and kept on first use."""
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (STORE_ID_KEY,)).fetchone()
    if row:
        return row[0]
    new = uuid.uuid4().hex
    conn.execute("INSERT INTO meta (key, value) VALUES (?, ?)", (STORE_ID_KEY, new))
    return new


def open_store(data_dir: Path):
    """The store in data_dir, ready for a transfer; TransferError when it cannot be used."""
    opened = open_database(Path(data_dir))
    if opened.notice:
        print(f"backprop-tutor: {opened.notice}", file=sys.stderr)
    if not opened.saving:
        opened.conn.close()
        raise TransferError("the progress folder cannot be used, so nothing was done")
    opened.conn.execute(COUNTS_SCHEMA)
    return opened
