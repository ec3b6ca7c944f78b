"""What a quiz asks and in which order: quiz items and missed lesson exercises under one Leitner schedule.

Every schedulable question has a key: `LESSON/ITEM` for a lesson's quiz item and `LESSON/step:STEP`
for a lesson exercise the learner has answered wrongly (see `Progress.record_exercise_answer`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable, Sequence

if TYPE_CHECKING:
    from lessons.model import Curriculum, Lesson
    from tutor.progress import Progress

#: Questions in one quiz.
MAX_ITEMS = 10
STEP_MARK = "step:"


def quiz_key(lesson_id: str, item_id: str) -> str:
    """The schedule key of a lesson's quiz item."""
    return f"{lesson_id}/{item_id}"


def step_key(lesson_id: str, step_id: str) -> str:
    """The schedule key of a lesson exercise."""
    return f"{lesson_id}/{STEP_MARK}{step_id}"


@dataclass(frozen=True)
class Planned:
    """One question of a quiz: its key, its lesson, and the quiz item or the lesson step it asks."""

    key: str
    lesson: Lesson
    spec: object
    step_id: str | None = None  # set for a lesson exercise: its numbers are drawn with the step's group

    @property
    def from_lesson_step(self) -> bool:
        return self.step_id is not None

    def realize(self, seed: int):
        """The question with numbers drawn from `seed`."""
        if self.step_id is not None:
            return self.lesson.exercise(self.step_id, seed)
        from engine.exercises import realize

        return realize(self.spec, seed)


def questions(curriculum: Curriculum) -> dict[str, Planned]:
    """Every question a quiz could ask, by key: each quiz item, and each lesson exercise."""
    out: dict[str, Planned] = {}
    for lesson in curriculum.lessons:
        for q in lesson.quiz:
            out[quiz_key(lesson.id, q.id)] = Planned(quiz_key(lesson.id, q.id), lesson, q)
        for step in lesson.exercise_steps:
            out[step_key(lesson.id, step.id)] = Planned(step_key(lesson.id, step.id), lesson, step.exercise, step.id)
    return out


def due(curriculum: Curriculum, progress: Progress | None, lesson_ids: Iterable[str] | None = None) -> list[str]:
    """Keys of the questions due for review now, most due first (only those of `lesson_ids` when given)."""
    if progress is None:
        return []
    known = questions(curriculum)
    if lesson_ids is not None:
        wanted = set(lesson_ids)
        known = {k: p for k, p in known.items() if p.lesson.id in wanted}
    return progress.due_items(known)


def due_by_lesson(curriculum: Curriculum, progress: Progress | None) -> dict[str, int]:
    """How many questions of each lesson are due now (lessons with none are left out)."""
    counts: dict[str, int] = {}
    known = questions(curriculum)
    for key in due(curriculum, progress):
        lesson_id = known[key].lesson.id
        counts[lesson_id] = counts.get(lesson_id, 0) + 1
    return counts


def begun_lessons(curriculum: Curriculum, progress: Progress | None) -> list[str]:
    """The lessons the learner has started (or finished), or taken a quiz on, in curriculum order."""
    if progress is None:
        return []
    return [lesson.id for lesson in curriculum.lessons
            if progress.started(lesson.id) or progress.best_quiz(lesson.id) is not None]


def plan(curriculum: Curriculum, progress: Progress | None, lesson_ids: Sequence[str] = (), *,
         due_first: bool = False) -> list[Planned]:
    """The questions of a quiz in the order they are asked (a quiz asks the first MAX_ITEMS; the rest are spares).

    A quiz over `lesson_ids` (every lesson when empty) asks their quiz items, most due first (see
    `Progress.due_order`), lessons taking turns so that equally due items come mixed. With `due_first`
    every question of those lessons that is due for review comes first, lesson exercises answered
    wrongly too; without `lesson_ids` the rest is filled from the lessons the learner has begun.
    """
    if lesson_ids:
        lessons = [curriculum.lesson(i) for i in lesson_ids]
    elif due_first:
        begun = set(begun_lessons(curriculum, progress))
        lessons = [lesson for lesson in curriculum.lessons if lesson.id in begun] or list(curriculum.lessons)
    else:
        lessons = list(curriculum.lessons)
    known = questions(curriculum)
    rounds = max((len(lesson.quiz) for lesson in lessons), default=0)
    mixed = [quiz_key(lesson.id, lesson.quiz[r].id) for r in range(rounds) for lesson in lessons if r < len(lesson.quiz)]
    keys = progress.due_order(mixed) if progress is not None else mixed
    if due_first:
        first = due(curriculum, progress, lesson_ids or None)
        taken = set(first)
        keys = first + [k for k in keys if k not in taken]
    return [known[k] for k in keys]
