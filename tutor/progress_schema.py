"""Opening the progress database: schema, pragmas, and recovery from a corrupt file or unusable directory."""

from __future__ import annotations

import os
import sqlite3
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

SCHEMA_VERSION = 1
DB_NAME = "progress.db"
#: How long a write waits for another running copy to finish its transaction.
BUSY_TIMEOUT_MS = 15_000

SCHEMA = """
CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS attempts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    lesson_id TEXT NOT NULL, step_id TEXT NOT NULL, answer TEXT NOT NULL,
    correct INTEGER NOT NULL, mistake TEXT, seed INTEGER NOT NULL, at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS attempts_by_step ON attempts (lesson_id, step_id);
CREATE TABLE IF NOT EXISTS hints (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    lesson_id TEXT NOT NULL, step_id TEXT NOT NULL, rung INTEGER NOT NULL, at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS solutions (
    lesson_id TEXT NOT NULL, step_id TEXT NOT NULL, seed INTEGER NOT NULL,
    after_attempt INTEGER NOT NULL, at REAL NOT NULL,
    PRIMARY KEY (lesson_id, step_id, seed));
CREATE TABLE IF NOT EXISTS seeds (
    lesson_id TEXT NOT NULL, seed_key TEXT NOT NULL, seed INTEGER NOT NULL,
    PRIMARY KEY (lesson_id, seed_key));
CREATE TABLE IF NOT EXISTS positions (
    lesson_id TEXT PRIMARY KEY, step_id TEXT NOT NULL, seq INTEGER NOT NULL, at REAL NOT NULL);
CREATE TABLE IF NOT EXISTS quiz_items (
    item_key TEXT PRIMARY KEY, box INTEGER NOT NULL, due REAL NOT NULL,
    right INTEGER NOT NULL DEFAULT 0, wrong INTEGER NOT NULL DEFAULT 0, last REAL NOT NULL);
CREATE TABLE IF NOT EXISTS quiz_results (
    id INTEGER PRIMARY KEY AUTOINCREMENT, run INTEGER NOT NULL,
    lesson_id TEXT NOT NULL, score INTEGER NOT NULL, total INTEGER NOT NULL, at REAL NOT NULL);
"""
TABLES = frozenset(
    {"schema_version", "meta", "attempts", "hints", "solutions", "seeds", "positions", "quiz_items", "quiz_results"}
)


class CorruptDatabase(Exception):
    """The file exists but is not a progress database we can use."""


@dataclass
class Opened:
    """A ready connection and what the learner should be told about how it was obtained."""

    conn: sqlite3.Connection
    saving: bool
    notice: str | None
    path: Path | None


def connect(path: Path | str) -> sqlite3.Connection:
    """A connection in autocommit mode (transactions are begun explicitly), shareable across threads."""
    conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return conn


def _create(conn: sqlite3.Connection) -> None:
    """Create the tables if missing, in one transaction so a second copy never sees half a schema."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        for statement in SCHEMA.split(";"):
            if statement.strip():
                conn.execute(statement)
        if conn.execute("SELECT COUNT(*) FROM schema_version").fetchone()[0] == 0:
            conn.execute("INSERT INTO schema_version (version) VALUES (?)", (SCHEMA_VERSION,))
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _check(conn: sqlite3.Connection) -> None:
    """Raise CorruptDatabase unless the file is a sound database holding our schema (or nothing yet)."""
    try:
        rows = conn.execute("PRAGMA integrity_check").fetchall()
    except sqlite3.OperationalError as exc:
        if "unsupported file format" in str(exc):
            # a damaged header field: SQLite reports it as an operational error, but it is the file's contents
            raise CorruptDatabase(str(exc)) from None
        raise  # locked, busy, unable to open: a problem of access, not of the file's contents
    except sqlite3.DatabaseError as exc:  # "file is not a database", "database disk image is malformed"
        raise CorruptDatabase(str(exc)) from None
    if [r[0] for r in rows] != ["ok"]:
        raise CorruptDatabase("; ".join(str(r[0]) for r in rows[:3]))
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    tables.discard("sqlite_sequence")
    if not tables:
        return
    if "schema_version" not in tables:
        raise CorruptDatabase("not a backprop-tutor progress file")
    versions = [r[0] for r in conn.execute("SELECT version FROM schema_version")]
    if versions != [SCHEMA_VERSION]:
        raise CorruptDatabase(f"schema version {versions} is not {SCHEMA_VERSION}")
    if not TABLES <= tables:
        raise CorruptDatabase(f"tables missing: {', '.join(sorted(TABLES - tables))}")


def _switch_to_wal(conn: sqlite3.Connection) -> str:
    """Turn on WAL, waiting for another copy's write to end.

    Changing the journal mode needs an exclusive lock, and SQLite answers "database is locked" at
    once instead of honouring the busy timeout, so wait here as the timeout would.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            return conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def _open_file(path: Path) -> sqlite3.Connection:
    conn = connect(path)
    try:
        _check(conn)
        mode = _switch_to_wal(conn)
        if str(mode).lower() != "wal":
            raise sqlite3.OperationalError(f"could not switch to WAL mode (got {mode})")
        # In WAL mode NORMAL loses nothing when a process dies; only a power cut can drop the last commits.
        conn.execute("PRAGMA synchronous = NORMAL")
        _create(conn)
        return conn
    except BaseException:
        conn.close()
        raise


def _move_aside(path: Path) -> Path:
    """Rename the database (and its WAL companions, which belong to it) to a timestamped name."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
    os.replace(path, target)
    for suffix in ("-wal", "-shm"):
        companion = path.with_name(path.name + suffix)
        if companion.exists():
            try:
                os.replace(companion, target.with_name(target.name + suffix))
            except OSError:
                companion.unlink(missing_ok=True)
    return target


def _memory(notice: str) -> Opened:
    conn = connect(":memory:")
    _create(conn)
    return Opened(conn, saving=False, notice=notice, path=None)


def _probe_dir(data_dir: Path) -> None:
    """Raise OSError unless the directory exists (or can be made) and a file can be written in it."""
    data_dir.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=".write-test-", dir=data_dir)
    os.close(fd)
    os.unlink(name)


def open_database(data_dir: Path) -> Opened:
    """Open (creating if needed) the progress database in data_dir; never raises for a bad file or directory."""
    data_dir = Path(data_dir)
    not_saved = "Progress will not be saved this time: "
    try:
        _probe_dir(data_dir)
    except OSError as exc:
        return _memory(f"{not_saved}the folder {data_dir} cannot be written ({exc.strerror or exc}).")
    path = data_dir / DB_NAME
    try:
        return Opened(_open_file(path), saving=True, notice=None, path=path)
    except CorruptDatabase:
        pass
    except sqlite3.Error as exc:
        # Locked or unopenable is not corruption: never move a file another copy may be using.
        return _memory(f"{not_saved}the progress file {path} could not be opened ({exc}).")
    try:
        moved = _move_aside(path)
    except OSError as exc:
        return _memory(f"{not_saved}the progress file {path} is damaged and could not be moved aside ({exc}).")
    notice = f"Your progress file could not be read, so it was moved to {moved} and a fresh one was started."
    try:
        return Opened(_open_file(path), saving=True, notice=notice, path=path)
    except (sqlite3.Error, CorruptDatabase) as exc:
        return _memory(f"{notice} {not_saved}the fresh file could not be created either ({exc}).")
