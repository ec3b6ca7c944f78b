"""Opening the progress database: schema, pragmas, and recovery from a damaged, foreign, newer or busy file."""

from __future__ import annotations

import os
import sqlite3
import stat
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from tutor.progress_rows import decode_text

SCHEMA_VERSION = 1
DB_NAME = "progress.db"
#: How long a write waits for another running copy to finish its transaction. Copies hold the lock
#: for milliseconds; a copy holding it for seconds is stuck, and the learner is told so quickly.
BUSY_TIMEOUT_MS = 3_000
#: Files SQLite keeps beside the database; they belong to it and must be plain files too.
COMPANIONS = ("-wal", "-shm", "-journal")

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


def _statements(schema: str) -> list[str]:
    return [s.strip() for s in schema.split(";") if s.strip()]


def _expected_columns() -> dict[str, frozenset[str]]:
    """Each table's columns, read from SCHEMA itself so the two can never disagree."""
    conn = sqlite3.connect(":memory:")
    try:
        for statement in _statements(SCHEMA):
            conn.execute(statement)
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {n: frozenset(r[1] for r in conn.execute(f"PRAGMA table_info({n})"))
                for n in names if n != "sqlite_sequence"}
    finally:
        conn.close()


COLUMNS = _expected_columns()
TABLES = frozenset(COLUMNS)

# What the store's state is, for callers that act on it (the CLI's exit status, the app's notice).
OK, UNSAVED, NEWER, IN_USE = "ok", "not saved", "newer", "in use"


class CorruptDatabase(Exception):
    """The file exists but is not a progress database we can use: it is set aside."""


class NewerDatabase(Exception):
    """The file was written by a newer version of the tutor: it is left alone."""


class InUse(Exception):
    """Another running copy holds the file's lock for longer than we wait."""


class Refused(Exception):
    """The path is not something the tutor may open (a device, a FIFO, a link to one); it is left alone."""


@dataclass
class Opened:
    """A ready connection and what the learner should be told about how it was obtained."""

    conn: sqlite3.Connection
    saving: bool
    notice: str | None
    path: Path | None
    state: str = OK
    #: True when nothing may be written through this connection (the read-only commands).
    read_only: bool = False


def connect(path: Path | str) -> sqlite3.Connection:
    """A connection in autocommit mode (transactions are begun explicitly), shareable across threads.

    Text that is not UTF-8 is read as bytes instead of raising, and the schema is not trusted: a file
    from elsewhere may hold views or triggers that call functions.
    """
    conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False, timeout=BUSY_TIMEOUT_MS / 1000)
    conn.text_factory = decode_text
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA trusted_schema = OFF")
    return conn


def _busy(exc: BaseException) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


def _access_problem(exc: BaseException) -> bool:
    """Errors about reaching the file rather than about what it holds."""
    text = str(exc).lower()
    return any(s in text for s in ("unable to open", "disk i/o", "readonly", "read-only", "out of memory",
                                   "authorization"))


def _create(conn: sqlite3.Connection) -> None:
    """Create the tables if missing, in one transaction so a second copy never sees half a schema."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        for statement in _statements(SCHEMA):
            conn.execute(statement)
        if conn.execute("SELECT COUNT(*) FROM schema_version").fetchone()[0] == 0:
            conn.execute("INSERT INTO schema_version (version) VALUES (?)", (SCHEMA_VERSION,))
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _create_in_memory(conn: sqlite3.Connection, missing: frozenset[str]) -> None:
    """Give a read-only connection empty stand-ins for tables its file lacks (TEMP: the file is untouched)."""
    for statement in _statements(SCHEMA):
        head = statement.split("(")[0].split()
        if head[:2] == ["CREATE", "TABLE"] and head[-1] in missing:
            conn.execute(statement.replace("CREATE TABLE", "CREATE TEMP TABLE", 1))


def _inspect(conn: sqlite3.Connection) -> frozenset[str]:
    """Check the file's contents; return the tables of ours it lacks. Raises CorruptDatabase, NewerDatabase.

    Every failure to read or check the file counts as damage, except a lock (InUse) or trouble reaching
    it (sqlite3.Error): a file another copy is using must never be moved.
    """
    try:
        rows = conn.execute("PRAGMA integrity_check").fetchall()
        if [r[0] for r in rows] != ["ok"]:
            raise CorruptDatabase("; ".join(str(r[0]) for r in rows[:3]))
        objects = conn.execute("SELECT type, name FROM sqlite_master").fetchall()
        kinds: dict[str, str] = {}
        for kind, name in objects:
            if not (isinstance(kind, str) and isinstance(name, str)):
                raise CorruptDatabase("the file's table of contents cannot be read")
            kinds[name] = kind
        if any(kind in ("trigger", "view") for kind in kinds.values()):
            raise CorruptDatabase("not a backprop-tutor progress file (it has views or triggers)")
        tables = {n for n, k in kinds.items() if k == "table"} - {"sqlite_sequence"}
        if not tables:
            return TABLES
        if "schema_version" not in tables:
            raise CorruptDatabase("not a backprop-tutor progress file")
        versions = [r[0] for r in conn.execute("SELECT version FROM schema_version LIMIT 2")]
        if len(versions) != 1 or type(versions[0]) is not int:
            raise CorruptDatabase(f"the schema version cannot be read ({versions!r:.60})")
        if versions[0] > SCHEMA_VERSION:
            raise NewerDatabase(versions[0])
        if versions[0] != SCHEMA_VERSION:
            raise CorruptDatabase(f"schema version {versions[0]} is not {SCHEMA_VERSION}")
        for name in sorted(TABLES & set(kinds)):
            if kinds[name] != "table":
                raise CorruptDatabase(f"{name} is not a table")
            have = {r[1] for r in conn.execute(f"PRAGMA table_info({name})")}
            lacking = COLUMNS[name] - have
            if lacking:
                raise CorruptDatabase(f"table {name} lacks the columns {', '.join(sorted(lacking))}")
        return TABLES - tables
    except (CorruptDatabase, NewerDatabase):
        raise
    except sqlite3.Error as exc:
        if _busy(exc):
            raise InUse(str(exc)) from None
        if _access_problem(exc):
            raise
        raise CorruptDatabase(str(exc)) from None  # "file is not a database", "malformed", bad header, ...
    except (UnicodeError, ValueError, TypeError, OverflowError, MemoryError) as exc:
        raise CorruptDatabase(f"{type(exc).__name__}: {exc}"[:200]) from None


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
            if not _busy(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def _guarded(work):
    """Run work(); a lock held past the busy timeout becomes InUse."""
    try:
        return work()
    except sqlite3.OperationalError as exc:
        if _busy(exc):
            raise InUse(str(exc)) from None
        raise


def _open_file(path: Path) -> sqlite3.Connection:
    conn = connect(path)
    try:
        missing = _inspect(conn)
        mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
        if str(mode).lower() != "wal":
            mode = _guarded(lambda: _switch_to_wal(conn))
            if str(mode).lower() != "wal":
                raise sqlite3.OperationalError(f"could not switch to WAL mode (got {mode})")
        # In WAL mode NORMAL loses nothing when a process dies; only a power cut can drop the last commits.
        conn.execute("PRAGMA synchronous = NORMAL")
        if missing:
            _guarded(lambda: _create(conn))
        return conn
    except BaseException:
        conn.close()
        raise


def _open_read_only(path: Path) -> sqlite3.Connection:
    """A connection that never begins a write: reads see the last commit at once, even during another's write."""
    conn = connect(path)
    try:
        missing = _inspect(conn)
        if missing:
            _create_in_memory(conn, missing)
        conn.execute("PRAGMA query_only = ON")
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


def _memory(notice: str | None, *, state: str = UNSAVED, path: Path | None = None, saving: bool = False,
            read_only: bool = False) -> Opened:
    conn = connect(":memory:")
    _create(conn)
    return Opened(conn, saving=saving, notice=notice, path=path, state=state, read_only=read_only)


def _probe_dir(data_dir: Path) -> None:
    """Raise OSError unless the directory exists (or can be made) and a file can be written in it."""
    data_dir.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=".write-test-", dir=data_dir)
    os.close(fd)
    os.unlink(name)


def _refusal(path: Path) -> str | None:
    """Why the tutor may not open `path` (or a file SQLite keeps beside it), or None when it may.

    The database must be a regular file, or a link to one; a link to a device, a FIFO or nothing at
    all is refused (SQLite would create its journal beside the link's target, outside our folder).
    """
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        return f"it cannot be examined ({exc.strerror or exc})"
    real = path
    if info is not None and stat.S_ISLNK(info.st_mode):
        try:
            real = Path(os.path.realpath(path))
            target = os.stat(real)
        except OSError:
            return "it is a link to a file that does not exist"
        if not stat.S_ISREG(target.st_mode):
            return f"it is a link to {real}, which is not a regular file"
    elif info is not None and not stat.S_ISREG(info.st_mode):
        return "it is not a regular file"
    for suffix in COMPANIONS:
        companion = real.with_name(real.name + suffix)
        try:
            c = os.lstat(companion)
        except FileNotFoundError:
            continue
        except OSError as exc:
            return f"{companion} cannot be examined ({exc.strerror or exc})"
        if not stat.S_ISREG(c.st_mode):
            return f"{companion} beside it is not a regular file"
    return None


def _exists_with_data(path: Path) -> bool:
    try:
        return os.stat(path).st_size > 0
    except OSError:
        return False


def open_database(data_dir: Path, *, read_only: bool = False) -> Opened:
    """Open (creating if needed) the progress database in data_dir; never raises for a bad file or directory.

    read_only: never begin a write transaction (for commands that only show progress); a missing file
    reads as empty and is not created.
    """
    data_dir = Path(data_dir)
    not_saved = "Progress will not be saved this time: "
    try:
        _probe_dir(data_dir)
    except OSError as exc:
        return _memory(f"{not_saved}the folder {data_dir} cannot be written ({exc.strerror or exc}).")
    path = data_dir / DB_NAME
    refusal = _refusal(path)
    if refusal:
        return _memory(f"{not_saved}the progress file {path} is not used because {refusal}.")
    in_use = f"the progress file {path} is in use by another copy of the tutor"
    try:
        if read_only:
            if not _exists_with_data(path):
                return _memory(None, state=OK, path=path, saving=True, read_only=True)
            return Opened(_open_read_only(path), saving=True, notice=None, path=path, read_only=True)
        return Opened(_open_file(path), saving=True, notice=None, path=path)
    except CorruptDatabase:
        pass
    except NewerDatabase as exc:
        return _memory(f"{not_saved}the progress file {path} was written by a newer version of backprop-tutor "
                       f"(its format {exc.args[0]}, this version reads {SCHEMA_VERSION}); it is left as it is.",
                       state=NEWER, read_only=read_only)
    except InUse:
        return _memory(f"{not_saved}{in_use}.", state=IN_USE, read_only=read_only)
    except sqlite3.Error as exc:
        # Unopenable is not corruption: never move a file that may be fine.
        return _memory(f"{not_saved}the progress file {path} could not be opened ({exc}).", read_only=read_only)
    try:
        moved = _move_aside(path)
    except OSError as exc:
        return _memory(f"{not_saved}the progress file {path} is damaged and could not be moved aside ({exc}).",
                       read_only=read_only)
    if read_only:
        return _memory(f"Your progress file could not be read, so it was moved to {moved}; "
                       "a fresh one will be started when there is progress to keep.",
                       state=OK, path=path, saving=True, read_only=True)
    notice = f"Your progress file could not be read, so it was moved to {moved} and a fresh one was started."
    try:
        return Opened(_open_file(path), saving=True, notice=notice, path=path)
    except (sqlite3.Error, CorruptDatabase, NewerDatabase, InUse) as exc:
        return _memory(f"{notice} {not_saved}the fresh file could not be created either ({exc}).")
