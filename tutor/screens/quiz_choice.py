"""Choosing what a quiz covers: tick lessons (those begun come ticked), or ask what is due first."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import SelectionList, Static
from textual.widgets.selection_list import Selection

from tutor import review

#: What the chooser returns: the lesson ids ticked, and whether due questions come first.
Choice = tuple[tuple[str, ...], bool]


#: The cells a lesson's line has in the chooser at 80 columns (inside the box, the list and its ticks).
LABEL_WIDTH = 64
TITLE_WIDTH = 45


def _title(title: str, room: int) -> str:
    """The title in a column of TITLE_WIDTH cells, or fewer when its note needs them; shortened with "…"."""
    width = min(TITLE_WIDTH, room)
    return f"{title:<{width}}" if len(title) <= width else title[:width - 1] + "…"


class QuizChoice(ModalScreen[Choice | None]):
    """The lessons with a tick each; Enter quizzes the ticked ones, d the same with due questions first."""

    BINDINGS = [
        Binding("enter", "start(False)", "Start quiz", priority=True),
        Binding("d", "start(True)", "Due first"),
        Binding("a", "tick('all')", "All"),
        Binding("b", "tick('begun')", "Begun"),
        Binding("escape", "cancel", "Cancel"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="quiz-choice"):
            yield Static("Quiz on which lessons?", id="quiz-choice-title")
            yield SelectionList[str](id="quiz-lessons")
            yield Static(id="quiz-choice-keys")

    def on_mount(self) -> None:
        app = self.app
        curriculum, progress = app.curriculum, app.progress
        begun = set(review.begun_lessons(curriculum, progress))
        due = review.due_by_lesson(curriculum, progress)
        lessons = self.query_one("#quiz-lessons", SelectionList)
        self.listed: list[str] = []
        for lesson in curriculum.lessons:
            if not lesson.quiz and lesson.id not in due:
                continue
            self.listed.append(lesson.id)
            note = []
            if lesson.id in begun:
                note.append(progress.status(lesson.id, [s.id for s in lesson.task_steps]))
            if due.get(lesson.id):
                note.append(f"{due[lesson.id]} due")
            said = f" {' · '.join(note)}" if note else ""
            label = Text.assemble(f"{lesson.order:02d} ", (_title(lesson.title, LABEL_WIDTH - 3 - len(said)), "bold"),
                                  (said, "dim"))
            lessons.add_option(Selection(label, lesson.id, lesson.id in begun or not begun))
        self._say()
        lessons.focus()

    def _say(self, warning: str = "") -> None:
        """The keys, how much is due, and a warning when there is one (in place, never over the list)."""
        total_due = sum(review.due_by_lesson(self.app.curriculum, self.app.progress).values())
        if total_due == 1:
            due_line = "1 question is due for review: d asks it first."
        elif total_due:
            due_line = f"{total_due} questions are due for review: d asks them first."
        else:
            due_line = "Nothing is due for review yet."
        text = Text()
        if warning:
            text.append(f"⚠ {warning}\n", style="bold yellow")
        text.append(f"Space ticks a lesson · a: all · b: the lessons begun\n{due_line}\n"
                    "Enter: start the quiz on the ticked lessons · Escape: back", style="dim")
        self.query_one("#quiz-choice-keys", Static).update(text)

    def _ticked(self) -> tuple[str, ...]:
        return tuple(self.query_one("#quiz-lessons", SelectionList).selected)

    def action_tick(self, which: str) -> None:
        lessons = self.query_one("#quiz-lessons", SelectionList)
        if which == "all":
            lessons.select_all()
            return
        begun = set(review.begun_lessons(self.app.curriculum, self.app.progress))
        lessons.deselect_all()
        for lesson_id in self.listed:
            if lesson_id in begun:
                lessons.select(lesson_id)

    def action_start(self, due_first: bool) -> None:
        ticked = self._ticked()
        if not ticked:
            self._say("Tick at least one lesson (Space), or press a for all.")
            return
        # keep the curriculum's order, whatever order the ticks were made in
        order = {lesson_id: n for n, lesson_id in enumerate(self.app.curriculum.ids)}
        self.dismiss((tuple(sorted(ticked, key=order.__getitem__)), due_first))

    def action_cancel(self) -> None:
        self.dismiss(None)
