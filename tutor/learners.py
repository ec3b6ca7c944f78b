"""A classroom's learners: safe folder names, salted PIN hashes, and a limit on guessing, in one SQLite file."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import sqlite3
import threading
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

LEARNERS_DIR = "learners"
REGISTRY_NAME = "learners.db"
MAX_NAME_CHARS = 40
PIN_DIGITS = (4, 8)
#: Wrong PINs in a row that are allowed before the name is locked for a while.
FREE_TRIES = 3
#: The lock after the (FREE_TRIES + n)-th wrong PIN in a row lasts LOCK_BASE * 2**n seconds, at most LOCK_MAX.
LOCK_BASE, LOCK_MAX = 30.0, 15 * 60.0
#: scrypt's cost: n = 2**13, r = 8 (8 MiB, about 0.1 s of one core): slow to guess offline, quick to check once.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**13, 8, 1
BUSY_TIMEOUT_S = 15.0

SCHEMA = """
CREATE TABLE IF NOT EXISTS learners (
    key TEXT PRIMARY KEY, name TEXT NOT NULL, pin TEXT NOT NULL, created REAL NOT NULL,
    failures INTEGER NOT NULL DEFAULT 0, locked_until REAL NOT NULL DEFAULT 0, last_seen REAL)
"""


class BadName(ValueError):
    """A name that cannot be used; the message says why, in words for the learner."""


class BadPin(ValueError):
    """A PIN that does not follow the rule (digits, 4 to 8 of them)."""


@dataclass(frozen=True)
class Learner:
    """A learner of the class: the name as they typed it, and the folder that holds their progress."""

    key: str
    name: str
    folder: Path
    #: False after the teacher's forget_pin: the next sign-in sets a new PIN.
    has_pin: bool = True


@dataclass(frozen=True)
class SignIn:
    """The answer to a sign-in: the learner, or why not (and how long to wait before the next try)."""

    learner: Learner | None
    message: str = ""
    wait: float = 0.0


# -- names ----------------------------------------------------------------------------------------

def clean_name(text: str) -> str:
    """The name as it will be shown: NFC, spaces trimmed and collapsed. BadName when it cannot be used."""
    text = unicodedata.normalize("NFC", str(text))
    for ch in text:
        # control (tab, newline, NUL), format, surrogate, private-use and unassigned characters
        if unicodedata.category(ch).startswith("C"):
            raise BadName("A name can only have letters, digits, spaces and punctuation.")
    name = " ".join(text.split())
    if not name:
        raise BadName("Type your name first.")
    if len(name) > MAX_NAME_CHARS:
        raise BadName(f"That name is too long: at most {MAX_NAME_CHARS} characters.")
    return name


def identity(name: str) -> str:
    """What makes two names the same learner: case, width and spacing do not count ("Ana" is "ANA")."""
    return " ".join(unicodedata.normalize("NFKC", clean_name(name)).casefold().split())


def folder_name(name: str) -> str:
    """A file-system-safe folder name for a learner: [a-z0-9-] only, never '.' or '..', at most 35 chars.

    A readable part (accents dropped, anything else a dash) and a hash of the identity, so that names
    which look alike in ASCII (José, Jose!) still get folders of their own.
    """
    ident = identity(name)
    ascii_part = unicodedata.normalize("NFKD", ident).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_part).strip("-")[:24].strip("-") or "learner"
    digest = hashlib.sha256(ident.encode("utf-8")).hexdigest()[:10]
    return f"{slug}-{digest}"


def learner_folder(data_dir: Path, name: str) -> Path:
    """The folder under data_dir/learners that holds this learner's progress."""
    root = (Path(data_dir) / LEARNERS_DIR).resolve()
    folder = (root / folder_name(name)).resolve()
    if folder.parent != root:  # cannot happen with folder_name's alphabet; checked all the same
        raise BadName("That name cannot be used.")
    return folder


# -- PINs -----------------------------------------------------------------------------------------

def check_pin_rule(pin: str) -> str:
    """The PIN if it is 4 to 8 digits (0-9), else BadPin."""
    low, high = PIN_DIGITS
    if not (low <= len(pin) <= high and pin.isascii() and pin.isdigit()):
        raise BadPin(f"A PIN is {low} to {high} digits.")
    return pin


def hash_pin(pin: str, *, salt: bytes | None = None) -> str:
    """A salted scrypt hash of the PIN, as 'scrypt$n$r$p$salt$hash' (hex)."""
    salt = secrets.token_bytes(16) if salt is None else salt
    digest = hashlib.scrypt(pin.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${digest.hex()}"


def pin_matches(pin: str, stored: str) -> bool:
    """Whether the PIN hashes to the stored value; the comparison takes the same time either way."""
    try:
        algorithm, n, r, p, salt, digest = stored.split("$")
        if algorithm != "scrypt":
            return False
        got = hashlib.scrypt(pin.encode("utf-8"), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p),
                             dklen=len(digest) // 2)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got.hex(), digest)


def lock_seconds(failures: int) -> float:
    """How long a name stays locked after this many wrong PINs in a row (0 while tries are free)."""
    if failures < FREE_TRIES:
        return 0.0
    return min(LOCK_BASE * 2 ** (failures - FREE_TRIES), LOCK_MAX)


# -- the registry ---------------------------------------------------------------------------------

class Registry:
    """The class list in data_dir/learners.db: names, PIN hashes and wrong-PIN counts.

    Every running copy of the app opens it; each check of a PIN happens inside a write transaction,
    so guesses from many browser tabs at once are counted one after another.
    """

    def __init__(self, data_dir: Path, *, clock: Callable[[], float] = time.time):
        self.data_dir = Path(data_dir)
        self._clock = clock
        self._lock = threading.Lock()
        (self.data_dir / LEARNERS_DIR).mkdir(parents=True, exist_ok=True)
        self.path = self.data_dir / REGISTRY_NAME
        self._conn = sqlite3.connect(str(self.path), isolation_level=None, check_same_thread=False,
                                     timeout=BUSY_TIMEOUT_S)
        self._conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
        self._conn.execute(SCHEMA)

    def close(self) -> None:
        """Close the database."""
        with self._lock:
            self._conn.close()

    def __enter__(self) -> "Registry":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _learner(self, key: str, name: str, pin: str = "x") -> Learner:
        return Learner(key, name, learner_folder(self.data_dir, name), has_pin=bool(pin))

    def lookup(self, name: str) -> Learner | None:
        """The learner with this name (in any case), or None when the name is new."""
        key = folder_name(name)
        with self._lock:
            row = self._conn.execute("SELECT name, pin FROM learners WHERE key = ?", (key,)).fetchone()
        return None if row is None else self._learner(key, *row)

    def learners(self) -> list[Learner]:
        """Everyone enrolled, by name."""
        with self._lock:
            rows = self._conn.execute("SELECT key, name, pin FROM learners ORDER BY name COLLATE NOCASE").fetchall()
        return [self._learner(*row) for row in rows]

    def enrol(self, name: str, pin: str) -> SignIn:
        """Set the PIN of a new name (or of one whose PIN the teacher forgot); refused when it has a PIN."""
        name = clean_name(name)
        pin_hash = hash_pin(check_pin_rule(pin))
        key = folder_name(name)
        now = self._clock()
        with self._lock, self._conn:
            self._conn.execute("BEGIN IMMEDIATE")
            cur = self._conn.execute(
                "INSERT OR IGNORE INTO learners (key, name, pin, created, last_seen) VALUES (?, ?, ?, ?, ?)",
                (key, name, pin_hash, now, now))
            if cur.rowcount == 0:
                cur = self._conn.execute(
                    "UPDATE learners SET pin = ?, failures = 0, locked_until = 0, last_seen = ? WHERE key = ? AND pin = ''",
                    (pin_hash, now, key))
            if cur.rowcount == 0:
                return SignIn(None, "That name was just taken: type its PIN, or choose another name.")
        learner = self._learner(key, name)
        learner.folder.mkdir(parents=True, exist_ok=True)
        return SignIn(learner)

    def sign_in(self, name: str, pin: str) -> SignIn:
        """Check a PIN. A wrong one opens nothing and counts; after FREE_TRIES in a row the name locks."""
        key = folder_name(name)
        with self._lock, self._conn:
            self._conn.execute("BEGIN IMMEDIATE")
            row = self._conn.execute("SELECT name, pin, failures, locked_until FROM learners WHERE key = ?",
                                     (key,)).fetchone()
            if row is None:
                return SignIn(None, "No learner has that name yet.")
            shown, stored, failures, locked_until = row
            if not stored:
                return SignIn(None, "This name needs a new PIN first.")
            now = self._clock()
            if locked_until > now:
                wait = locked_until - now
                return SignIn(None, f"Too many wrong PINs: try again in {_duration(wait)}, or ask your teacher.", wait)
            if pin_matches(pin, stored):
                self._conn.execute("UPDATE learners SET failures = 0, locked_until = 0, last_seen = ? WHERE key = ?",
                                   (now, key))
                learner = self._learner(key, shown)
            else:
                failures += 1
                wait = lock_seconds(failures)
                self._conn.execute("UPDATE learners SET failures = ?, locked_until = ? WHERE key = ?",
                                   (failures, now + wait, key))
                message = "That PIN is not right."
                if wait:
                    message += f" Too many wrong PINs: try again in {_duration(wait)}."
                return SignIn(None, message, wait)
        learner.folder.mkdir(parents=True, exist_ok=True)
        return SignIn(learner)

    def forget_pin(self, name: str) -> Learner | None:
        """The teacher's reset: the name keeps its progress and is unlocked; its next sign-in sets a new PIN."""
        learner = self.lookup(name)
        if learner is not None:
            with self._lock, self._conn:
                self._conn.execute("BEGIN IMMEDIATE")
                self._conn.execute("UPDATE learners SET pin = '', failures = 0, locked_until = 0 WHERE key = ?",
                                   (learner.key,))
        return learner


def _duration(seconds: float) -> str:
    seconds = max(1, round(seconds))
    if seconds < 90:
        return f"{seconds} seconds"
    return f"{round(seconds / 60)} minutes"
