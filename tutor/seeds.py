"""Where the numbers of an exercise come from: the learner's --seed and the step alone, or chance.

With `--seed N` the numbers of a step are a function of N, the lesson and the step's seed key, and
nothing else: not the order lessons are opened in, not how many draws came before. A session started
with `--seed N` replaces the stored numbers of every step with N's (so a data folder that already
holds seeds shows N's numbers too), and they stay stored: a later session without `--seed` resumes on
the same numbers. New numbers asked for in a step (Ctrl+R) and the numbers of quiz questions are the
1st, 2nd, … draw of that step or question under N in the session. Without `--seed` a step keeps the
seed it was first given, and new numbers are drawn at random.
"""

from __future__ import annotations

import random
import zlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lessons.model import Curriculum
    from tutor.progress import Progress


def derive(seed: int, lesson_id: str, key: str, draw: int = 0) -> int:
    """The seed of the `draw`-th set of numbers for (lesson, key) under the learner's `seed` (draw 0 is
    the step's first numbers); a positive number below 2**31."""
    return (zlib.crc32(f"{seed}|{lesson_id}|{key}|{draw}".encode()) & 0x7FFFFFFF) or 1


class SeedSource:
    """The seeds of one session: reproducible from `seed` when one was given, otherwise random."""

    def __init__(self, seed: int | None) -> None:
        self.seed = seed
        self._draws: dict[tuple[str, str], int] = {}
        self._random = random.Random()

    def fresh(self, lesson_id: str, key: str) -> int:
        """A new seed for (lesson, key): with --seed, its next draw in this session; else at random."""
        if self.seed is None:
            return self._random.randrange(1, 2**31)
        n = self._draws.get((lesson_id, key), 0) + 1
        self._draws[lesson_id, key] = n
        return derive(self.seed, lesson_id, key, n)

    def pin(self, curriculum: Curriculum, progress: Progress) -> None:
        """With --seed, store the first numbers of every step of every lesson, and of the practice
        worksheet, under it (one transaction)."""
        if self.seed is None:
            return
        from tutor.practice_keys import DRAW_KEY, PRACTICE

        rows = {(PRACTICE, DRAW_KEY): derive(self.seed, PRACTICE, DRAW_KEY)}  # the practice worksheet's network
        for lesson in curriculum.lessons:
            for step in lesson.steps:
                if step.exercise is not None or step.scenario is not None or step.worksheet is not None:
                    rows[lesson.id, step.seed_key] = derive(self.seed, lesson.id, step.seed_key)
        progress.set_seeds((lesson_id, key, value) for (lesson_id, key), value in rows.items())
