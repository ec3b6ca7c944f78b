"""The curriculum as the app loads it: every lesson that loads, and a message for each one that does not."""

from __future__ import annotations

from pathlib import Path

from lessons.loader import load_curriculum
from lessons.model import Curriculum


def load(root: Path | None = None) -> tuple[Curriculum, list[str]]:
    """Every lesson folder that loads, in order, and one message per folder that does not.

    The app must open even while a lesson is half written: a broken lesson is left out and named,
    never a crash.
    """
    curriculum = load_curriculum(root, skip_broken=True)
    return curriculum, list(curriculum.problems)
