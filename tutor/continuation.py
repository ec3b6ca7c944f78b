"""Where "continue" goes: the next unfinished step, decided once for the home screen and `progress` alike."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from lessons.model import Curriculum, Lesson
    from tutor.progress import Progress


@dataclass(frozen=True)
class Continuation:
    """A step to go on with: which lesson, which step, and how to say it."""

    lesson_id: str
    lesson_title: str
    step_id: str
    index: int  # 0-based position of the step in its lesson
    steps: int  # how many steps the lesson has
    step_title: str

    def as_dict(self) -> dict:
        """Plain data for `progress --json` (the step number counts from 1)."""
        return {"lesson": self.lesson_id, "step": self.step_id, "step_number": self.index + 1,
                "steps": self.steps, "lesson_title": self.lesson_title, "step_title": self.step_title}


def _next_in(lesson: Lesson, progress: Progress | None) -> int | None:
    """The index of the next unfinished step of `lesson`, or None when the lesson is done.

    A lesson is done when every exercise is solved (its ✓ on the home screen). Otherwise, from the
    step the learner was on: the first step that is an exercise not yet solved, or an explanation not
    yet read — beyond every step worked on (answered, hinted), or the furthest step itself while the
    learner was reading it (the last step counts as read: leaving it is finishing the lesson); and
    when the end is reached, the first exercise left unsolved earlier in the lesson.
    """
    steps = lesson.steps
    if not steps:
        return None
    solved = progress.solved_steps(lesson.id) if progress is not None else set()
    unsolved = [i for i, s in enumerate(steps) if s.asks and s.id not in solved]
    if lesson.task_steps and not unsolved:
        return None
    ids = [s.id for s in steps]
    position = progress.position(lesson.id) if progress is not None else None
    if position not in ids:
        return unsolved[0] if (unsolved and progress is not None and progress.started(lesson.id)) else 0
    here = ids.index(position)
    worked = progress.active_steps(lesson.id) if progress is not None else set()
    furthest = max([here] + [i for i, s in enumerate(steps) if s.id in worked])
    last = len(steps) - 1
    for i in range(here, len(steps)):
        step = steps[i]
        if step.asks:
            if step.id not in solved:
                return i
        elif i > furthest or (i == here == furthest and i < last):
            return i
    if unsolved:
        return unsolved[0]
    return None  # a lesson without exercises, read to its end


def resume_index(lesson: Lesson, progress: Progress | None) -> int:
    """The step a lesson opens at: its next unfinished step, or, for a finished lesson, the step last seen."""
    index = _next_in(lesson, progress)
    if index is not None:
        return index
    ids = [s.id for s in lesson.steps]
    position = progress.position(lesson.id) if progress is not None else None
    return ids.index(position) if position in ids else 0


def next_step(curriculum: Curriculum, progress: Progress | None) -> Continuation | None:
    """Where "continue" goes: the next unfinished step of the lesson last visited, else of the first
    unfinished lesson after it (wrapping round to the start); None when every lesson is finished."""
    lessons = [lesson for lesson in curriculum.lessons if lesson.steps]
    if not lessons:
        return None
    ids = [lesson.id for lesson in lessons]
    last = progress.last_lesson() if progress is not None else None
    start = ids.index(last) if last in ids else 0
    for lesson in lessons[start:] + lessons[:start]:
        index = _next_in(lesson, progress)
        if index is not None:
            step = lesson.steps[index]
            return Continuation(lesson.id, lesson.title, step.id, index, len(lesson.steps), step.title)
    return None
