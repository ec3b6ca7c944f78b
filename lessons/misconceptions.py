"""The words of the engine's misconceptions (a label and feedback for each id), read from lesson data."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

from lessons.loader import CONTENT, FORMAT_VERSION, LessonError

WORDS_FILE = CONTENT / "misconceptions.toml"


@dataclass(frozen=True)
class Wording:
    """What the tutor says about one misconception: a short label and feedback that names the idea."""

    label: str
    feedback: str


@dataclass(frozen=True)
class MisconceptionWords:
    """The words of one misconception id, with overrides for particular quantities (`at`)."""

    id: str
    wording: Wording
    at: Mapping[str, Wording] = field(default_factory=lambda: MappingProxyType({}))

    def for_quantity(self, quantity: str) -> Wording:
        """The words at one kind of cell (the general words where there is no override)."""
        return self.at.get(quantity, self.wording)


@dataclass(frozen=True)
class Words:
    """Every misconception's words; implements engine.worksheet.Words (label and feedback by id and quantity)."""

    entries: Mapping[str, MisconceptionWords]

    def label(self, mistake: str, quantity: str) -> str | None:
        entry = self.entries.get(mistake)
        return entry.for_quantity(quantity).label if entry else None

    def feedback(self, mistake: str, quantity: str) -> str | None:
        entry = self.entries.get(mistake)
        return entry.for_quantity(quantity).feedback if entry else None

    @property
    def ids(self) -> frozenset[str]:
        return frozenset(self.entries)


def _text(table: Mapping[str, Any], key: str, where: str, default: str | None = None) -> str:
    value = table.get(key, default)
    if value is None:
        raise LessonError(f"{where}: missing field {key!r}")
    if not isinstance(value, str) or not value.strip():
        raise LessonError(f"{where}: field {key!r} must be non-empty text")
    return value.strip()


def _only(table: Any, allowed: set[str], where: str) -> Mapping[str, Any]:
    if not isinstance(table, dict):
        raise LessonError(f"{where}: must be a table")
    unknown = set(table) - allowed
    if unknown:
        raise LessonError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
    return table


def parse_words(data: Mapping[str, Any], source: str = WORDS_FILE.name) -> Words:
    """Validate parsed TOML into Words; LessonError names what is wrong and where.

    Every id and every `at` quantity must be one the engine knows.
    """
    from engine.cells import QUANTITIES  # the engine's names are the authority; lessons may import it
    from engine.misconceptions import ids, pairs

    top = _only(data, {"format_version", "misconceptions"}, source)
    if top.get("format_version") != FORMAT_VERSION:
        raise LessonError(f"{source}: format_version must be {FORMAT_VERSION}")
    known, places = ids(), pairs()
    section = top.get("misconceptions", {})
    if not isinstance(section, dict):
        raise LessonError(f"{source}: misconceptions must be a table of tables, one per id")
    entries = {}
    for mid, raw in section.items():
        where = f"{source} [misconceptions.{mid}]"
        if mid not in known:
            raise LessonError(f"{where}: the engine has no misconception {mid!r}")
        table = _only(raw, {"label", "feedback", "at"}, where)
        general = Wording(_text(table, "label", where), _text(table, "feedback", where))
        at = {}
        for quantity, override in _only(table.get("at", {}), set(QUANTITIES), f"{where}.at").items():
            w = f"{where}.at.{quantity}"
            if (mid, quantity) not in places:
                raise LessonError(f"{w}: the engine never diagnoses {mid} at a {quantity} cell")
            override = _only(override, {"label", "feedback"}, w)
            if not override:
                raise LessonError(f"{w}: give a label or feedback (or leave the table out)")
            at[quantity] = Wording(_text(override, "label", w, general.label), _text(override, "feedback", w, general.feedback))
        entries[mid] = MisconceptionWords(mid, general, MappingProxyType(at))
    return Words(MappingProxyType(entries))


def load_words(path: Path | None = None) -> Words:
    """Read the misconceptions' words from a TOML file (the shipped one by default)."""
    path = path or WORDS_FILE
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise LessonError(f"{path.name}: no such file") from None
    except tomllib.TOMLDecodeError as exc:
        raise LessonError(f"{path.name}: {exc}") from None
    return parse_words(data, path.name)


@lru_cache(maxsize=1)
def misconception_words() -> Words:
    """The shipped misconceptions' words, loaded once."""
    return load_words()
