"""Load the curriculum for the app, keeping every lesson that loads and reporting the ones that do not."""

from __future__ import annotations

from pathlib import Path
from types import MappingProxyType

from lessons.loader import CONTENT, PAGES, LessonError, load_lesson
from lessons.model import Curriculum


def load(root: Path | None = None) -> tuple[Curriculum, list[str]]:
    """Every lesson folder that loads, in order, and one message per folder that does not.

    The app must open even while a lesson is half written: a broken lesson is left out and named,
    never a crash.
    """
    root = root or CONTENT
    lessons, problems, seen = [], [], set()
    folders = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(("_", "."))) if root.is_dir() else []
    for order, folder in enumerate(folders, start=1):
        try:
            lesson = load_lesson(folder, order)
        except (LessonError, OSError, ValueError) as exc:
            problems.append(str(exc))
            continue
        if lesson.id in seen:
            problems.append(f"{folder.name}/: duplicate lesson id {lesson.id!r}")
            continue
        seen.add(lesson.id)
        lessons.append(lesson)
    pages = {}
    for name in PAGES:
        path = root / f"{name}.md"
        if path.is_file():
            pages[name] = path.read_text(encoding="utf-8")
    return Curriculum(tuple(lessons), MappingProxyType(pages)), problems
