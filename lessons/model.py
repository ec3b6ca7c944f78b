"""Typed lessons: steps of prose and exercises, quiz items, and realising them with a seed."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal, Mapping

from engine.exercises import Exercise, ExerciseSpec, fill, realize

StepType = Literal["explanation", "exercise", "worksheet"]
#: Pictures the app knows how to draw beside a step.
VISUALS = ("sigmoid-curves", "network", "graph")


@dataclass(frozen=True)
class Step:
    """One screen of a lesson: prose, and for an exercise step the question the learner answers.

    Steps that name the same `group` share one draw of numbers (a worked example over several
    steps); `scenario`/`params` let an explanation step show numbers and pictures too.
    """

    id: str
    type: StepType
    title: str
    text: str = ""
    exercise: ExerciseSpec | None = None
    visual: str | None = None
    scenario: str | None = None
    params: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    group: str | None = None
    gradcheck: bool = False
    #: a worksheet step: the options of its drawn network (engine.practice.draw_spec: layers, biases, …)
    worksheet: Mapping[str, Any] | None = None

    @property
    def asks(self) -> bool:
        """Whether the step asks the learner something to be solved: an exercise, or a whole worksheet."""
        return self.exercise is not None or self.worksheet is not None

    @property
    def seed_key(self) -> str:
        """The key a seed is stored under: steps of one group share it."""
        return f"group:{self.group}" if self.group else self.id


@dataclass(frozen=True)
class Lesson:
    """A lesson: ordered steps and the self-assessment quiz items that go with them."""

    id: str
    title: str
    summary: str
    order: int
    steps: tuple[Step, ...]
    quiz: tuple[ExerciseSpec, ...] = ()
    path: Path | None = None

    def step(self, step_id: str) -> Step:
        """The step with this id (KeyError if none)."""
        for s in self.steps:
            if s.id == step_id:
                return s
        raise KeyError(step_id)

    def index(self, step_id: str) -> int:
        """The position of a step in the lesson."""
        return [s.id for s in self.steps].index(step_id)

    @property
    def exercise_steps(self) -> tuple[Step, ...]:
        """The steps with an exercise (one question each)."""
        return tuple(s for s in self.steps if s.exercise is not None)

    @property
    def task_steps(self) -> tuple[Step, ...]:
        """The steps to solve for the lesson to be done: its exercises and its worksheets."""
        return tuple(s for s in self.steps if s.asks)

    def group_specs(self, step: Step) -> tuple[ExerciseSpec, ...]:
        """Every exercise that shares the draw of `step` (just its own when it has no group)."""
        if step.group is None:
            return (step.exercise,) if step.exercise else ()
        return tuple(s.exercise for s in self.steps if s.group == step.group and s.exercise is not None)

    def exercise(self, step_id: str, seed: int) -> Exercise:
        """The exercise of a step with numbers drawn from `seed` (steps of a group agree on them)."""
        step = self.step(step_id)
        if step.exercise is None:
            raise KeyError(f"step {step_id!r} of lesson {self.id!r} has no exercise")
        from lessons.misconceptions import misconception_words  # read once, when numbers are first drawn

        return realize(step.exercise, seed, group=self.group_specs(step), words=misconception_words())

    def draw(self, step_id: str, seed: int) -> Exercise | None:
        """The numbers behind any step, exercise or explanation; None when the step draws none."""
        step = self.step(step_id)
        if step.exercise is not None:
            return self.exercise(step_id, seed)
        if step.scenario is None:
            return None
        # An explanation step borrows the draw of its group's exercises so its numbers match theirs.
        carrier = ExerciseSpec(id=step.id, kind="expression", prompt="", answer="", hints=(), solution="",
                               scenario=step.scenario, params=step.params)
        return realize(carrier, seed, group=self.group_specs(step) or (carrier,))

    def text(self, step_id: str, seed: int) -> str:
        """The prose of a step, with the numbers of its draw filled in when it has one."""
        step = self.step(step_id)
        ex = self.draw(step_id, seed) if step.scenario else None
        return fill(step.text, ex.values) if ex is not None else step.text

    def quiz_item(self, item_id: str) -> ExerciseSpec:
        """The quiz item with this id."""
        for q in self.quiz:
            if q.id == item_id:
                return q
        raise KeyError(item_id)


@dataclass(frozen=True)
class Curriculum:
    """Every lesson in order, and the reference pages (the notation legend) the app shows."""

    lessons: tuple[Lesson, ...]
    pages: Mapping[str, str]
    problems: tuple[str, ...] = ()  # lessons left out because they failed to load (see load_curriculum)

    def lesson(self, lesson_id: str) -> Lesson:
        """The lesson with this id; KeyError names the valid ids."""
        for lesson in self.lessons:
            if lesson.id == lesson_id:
                return lesson
        raise KeyError(f"no lesson {lesson_id!r}; the lessons are: {', '.join(self.ids)}")

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(lesson.id for lesson in self.lessons)
