"""Moving progress between machines: `progress --export FILE` writes it all as JSON and `--import FILE`
merges it in (by the rules in tutor.transfer_merge), losing nothing on either side."""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path

from tutor import transfer_db as db
from tutor.transfer_db import STORE_ID_KEY, BadFile, TransferError
from tutor.transfer_merge import merge

FORMAT = "backprop-tutor-progress"
FORMAT_VERSION = 1
MAX_FILE_BYTES = 256 * 1024 * 1024


# -- export ---------------------------------------------------------------------------------------

def export_data(data_dir: Path) -> dict:
    """All of the store in data_dir as plain data (what --export writes)."""
    opened = db.open_store(data_dir)
    conn = opened.conn
    try:
        conn.execute("BEGIN IMMEDIATE")  # one consistent picture, and the store id is stored with it
        try:
            store_id = db.store_id(conn)
            tables = {}
            for table in db.tables(conn):
                cols = [c for c, _ in db.columns(conn, table)]
                rows = db.rows(conn, table, cols, order="rowid")
                if table == "meta":
                    rows = [r for r in rows if r["key"] != STORE_ID_KEY]
                tables[table] = {"columns": cols, "rows": [[r[c] for c in cols] for r in rows]}
            version = conn.execute("SELECT version FROM schema_version").fetchone()
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    finally:
        conn.close()
    return {"format": FORMAT, "format_version": FORMAT_VERSION, "schema_version": version[0] if version else None,
            "exported_at": time.time(), "store_id": store_id, "tables": tables}


def write_export(data_dir: Path, target: str) -> dict:
    """Write the export to target ('-' for stdout) atomically; the data written."""
    data = export_data(data_dir)
    text = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    if target == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return data
    path = Path(target).expanduser()
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=str(path.parent if str(path.parent) else "."))
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return data


# -- reading a file -------------------------------------------------------------------------------

def read_export(source: str) -> dict:
    """The export in a file, checked for shape; TransferError with a reason when it is not one."""
    try:
        if source == "-":
            text = sys.stdin.read(MAX_FILE_BYTES + 1)
        else:
            with open(Path(source).expanduser(), encoding="utf-8") as f:
                text = f.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise BadFile(f"cannot read {source}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise BadFile(f"{source} is not a progress export (not UTF-8 text)") from None
    if len(text) > MAX_FILE_BYTES:
        raise BadFile(f"{source} is larger than {MAX_FILE_BYTES // 2**20} MiB: not a progress export")
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise BadFile(f"{source} is not a progress export (not JSON: {exc})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BadFile(f"{source} is not a progress export from `backprop-tutor progress --export`")
    if not isinstance(data.get("format_version"), int) or data["format_version"] > FORMAT_VERSION:
        raise BadFile(f"{source} was written by a newer backprop-tutor (format {data.get('format_version')}); "
                            "update this one first")
    tables = data.get("tables")
    if not isinstance(tables, dict) or not isinstance(data.get("store_id"), str):
        raise BadFile(f"{source} is damaged: it has no tables")
    for name, table in tables.items():
        cols = table.get("columns") if isinstance(table, dict) else None
        rows = table.get("rows") if isinstance(table, dict) else None
        if not (isinstance(cols, list) and all(isinstance(c, str) for c in cols) and isinstance(rows, list)):
            raise BadFile(f"{source} is damaged: table {name!r} is malformed")
        for row in rows:
            if not (isinstance(row, list) and len(row) == len(cols)
                    and all(v is None or isinstance(v, (str, int, float)) for v in row)):
                raise BadFile(f"{source} is damaged: a row of table {name!r} is malformed")
    return data


# -- the commands ---------------------------------------------------------------------------------

WORDS = {"attempts": "answers", "solutions": "solutions shown", "hints": "hints", "seeds": "steps' numbers",
         "positions": "places in lessons", "quiz_results": "quiz runs", "quiz_items": "quiz items", "meta": "settings"}


def run_export(data_dir: Path, target: str) -> int:
    try:
        data = write_export(data_dir, target)
    except TransferError as exc:
        print(f"backprop-tutor: error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"backprop-tutor: error: cannot write {target}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    if target != "-":
        n = len(data["tables"].get("attempts", {}).get("rows", []))
        print(f"Exported all progress ({n} answers) to {target}. "
              f"On the other machine: backprop-tutor progress --import {Path(target).name}")
    return 0


def run_import(data_dir: Path, source: str) -> int:
    try:
        done = merge(data_dir, read_export(source))
    except TransferError as exc:
        print(f"backprop-tutor: error: {exc}", file=sys.stderr)
        return exc.status
    added = [f"{n} {WORDS.get(t, t)}" for t, n in done.items() if n]
    if added:
        print(f"Merged {source}: {', '.join(added)} added or updated; nothing here was lost.")
    else:
        print(f"Nothing new in {source}: everything in it is already here.")
    return 0
