"""The quiz: items from the chosen lessons with fresh numbers, most due first; a score and a review of misses."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Markdown, OptionList, Static
from textual.widgets.option_list import Option

from tutor.keys import NEXT_KEY
from tutor.layout import keep_line_breaks
from tutor.widgets.answer import AnswerBox
from tutor.widgets.feedback import FeedbackPanel
from tutor.widgets.lesson_text import LessonMarkdown

MAX_ITEMS = 10


@dataclass
class QuizItem:
    """One question of this quiz and what happened to it."""

    key: str
    lesson_id: str
    lesson_title: str
    spec: object
    exercise: object = None  # drawn when the question is shown, so the quiz opens at once
    answer: str = ""
    verdict: object = None


class QuizScreen(Screen[None]):
    """Questions one at a time: Enter checks, Enter again goes on; the end shows the score and every miss."""

    BINDINGS = [
        Binding("escape", "home", "Home"),
        Binding("f9,ctrl+n", "skip", "Skip", key_display=NEXT_KEY),
        Binding("enter", "continue", "Next", show=False),
    ]

    def __init__(self, lessons) -> None:
        super().__init__()
        self.lessons = list(lessons)
        self.items: list[QuizItem] = []
        self._spare: list[QuizItem] = []
        self.current = 0
        self.finished = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="quiz-title")
        with VerticalScroll(id="quiz-body"):
            yield Static(id="quiz-prompt")
            yield OptionList(id="quiz-choices")
            yield LessonMarkdown(id="quiz-review")
        with Vertical(id="quiz-dock"):
            yield AnswerBox(id="quiz-answer")
            yield FeedbackPanel(id="quiz-feedback")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.sub_title = "Quiz"
        self.items = self._draw_items()
        self.query_one("#quiz-review", Markdown).display = False
        if not self.items:
            self.query_one("#quiz-title", Static).update("No quiz questions yet")
            self.query_one("#quiz-prompt", Static).update("These lessons have no quiz questions yet. Escape goes home.")
            self.query_one("#quiz-dock").display = False
            self.query_one("#quiz-choices").display = False
            self.query_one("#quiz-feedback", FeedbackPanel).clear()
            self.finished = True
            return
        self.show_item()

    def _draw_items(self) -> list[QuizItem]:
        """The questions, most due first; their numbers are drawn one at a time as they are shown."""
        progress = self.app.progress
        specs = {f"{lesson.id}/{q.id}": (lesson, q) for lesson in self.lessons for q in lesson.quiz}
        # Lessons take turns, so items that are equally due come mixed rather than lesson by lesson.
        rounds = max((len(lesson.quiz) for lesson in self.lessons), default=0)
        mixed = [f"{lesson.id}/{lesson.quiz[r].id}" for r in range(rounds) for lesson in self.lessons if r < len(lesson.quiz)]
        keys = progress.due_order(mixed) if progress is not None else mixed
        items = [QuizItem(key, specs[key][0].id, specs[key][0].title, specs[key][1]) for key in keys]
        self._spare = items[MAX_ITEMS:]
        return items[:MAX_ITEMS]

    def _realize_current(self) -> bool:
        """Draw the numbers of the current question; one that cannot be drawn is replaced by a spare."""
        from engine.exercises import realize

        while self.current < len(self.items):
            item = self.items[self.current]
            if item.exercise is not None:
                return True
            try:
                item.exercise = realize(item.spec, self.app.fresh_seed(item.lesson_id, f"quiz:{item.spec.id}"))
                return True
            except Exception:  # an item whose numbers cannot be drawn is left out, not fatal
                if self._spare:
                    self.items[self.current] = self._spare.pop(0)
                else:
                    del self.items[self.current]
        return False

    @property
    def item(self) -> QuizItem:
        return self.items[self.current]

    def show_item(self) -> None:
        if not self._realize_current():
            self.finish()
            return
        item = self.item
        ex = item.exercise
        self.query_one("#quiz-title", Static).update(
            Text.assemble((f"Question {self.current + 1} of {len(self.items)}", "bold"), (f" · from “{item.lesson_title}”", "dim"))
        )
        self.query_one("#quiz-prompt", Static).update(Text(ex.prompt.strip(), style="bold"))
        choices = self.query_one("#quiz-choices", OptionList)
        choices.clear_options()
        choices.display = ex.kind == "choice"
        if ex.kind == "choice":
            for c in ex.choices:
                choices.add_option(Option(Text.assemble((f"({c.key}) ", "bold"), c.text), id=c.key))
        self.query_one("#quiz-feedback", FeedbackPanel).clear()
        box = self.query_one("#quiz-answer", AnswerBox)
        box.set_exercise(ex)
        box.input.disabled = False
        box.input.focus()
        body = self.query_one("#quiz-body")
        body.add_class("-asking")
        body.scroll_home(animate=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("skip", "continue"):
            return not self.finished
        return True

    def on_answer_box_submitted(self, event: AnswerBox.Submitted) -> None:
        self.answer(event.answer)

    def on_answer_box_edited(self, event: AnswerBox.Edited) -> None:
        self.query_one("#quiz-feedback", FeedbackPanel).answer_edited(
            event.answer, "each question is checked once; Enter goes on")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id and self.item.verdict is None:
            self.answer(event.option.id)

    def answer(self, answer: str) -> None:
        """Grade the current question once; Enter after that moves to the next."""
        if self.finished:
            return
        item = self.item
        if item.verdict is not None:
            self.action_continue()
            return
        if not answer.strip():
            return
        try:
            verdict = item.exercise.grade(answer)
        except Exception as exc:  # never let the checker take the quiz down
            self.query_one("#quiz-feedback", FeedbackPanel).show_text(f"Could not check that answer: {exc}", "-unreadable")
            return
        feedback = self.query_one("#quiz-feedback", FeedbackPanel)
        if verdict.error:
            feedback.show_verdict(verdict)
            return
        item.answer, item.verdict = answer, verdict
        if self.app.progress is not None:
            self.app.progress.record_quiz_answer(item.key, verdict.correct)
        last = self.current + 1 == len(self.items)
        feedback.show_verdict(verdict, then="Enter: see your score." if last else "Enter: next question.",
                              echo=item.exercise.kind == "choice", answer=answer)

    def action_continue(self) -> None:
        if self.finished or self.item.verdict is None:
            return
        if self.current + 1 < len(self.items):
            self.current += 1
            self.show_item()
        else:
            self.finish()

    def action_skip(self) -> None:
        if self.finished:
            return
        item = self.item
        if item.verdict is None:
            from engine.answers import Verdict

            item.verdict = Verdict(False, "Skipped.", "")
            if self.app.progress is not None:
                self.app.progress.record_quiz_answer(item.key, False)
        self.action_continue()

    def finish(self) -> None:
        """Show the score, record it, and review each miss with its worked solution."""
        self.finished = True
        score = sum(1 for i in self.items if i.verdict is not None and i.verdict.correct)
        total = len(self.items)
        if total == 0:
            self.query_one("#quiz-title", Static).update("No quiz questions could be drawn")
            self.query_one("#quiz-dock").display = False
            return
        if self.app.progress is not None:
            self.app.progress.record_quiz_result([lesson.id for lesson in self.lessons], score, total)
        self.query_one("#quiz-title", Static).update(Text(f"Quiz finished: {score} of {total} right", style="bold"))
        self.query_one("#quiz-prompt", Static).update(
            "Every question right. Well done." if score == total else "Here is each one you missed, with its worked solution."
            " Questions you missed come back sooner next time."
        )
        self.query_one("#quiz-choices").display = False
        self.query_one("#quiz-feedback", FeedbackPanel).clear()
        self.query_one("#quiz-dock").display = False
        review = self.query_one("#quiz-review", Markdown)
        review.update(self._review_text())
        review.display = score < total
        body = self.query_one("#quiz-body")
        body.remove_class("-asking")
        body.focus()

    def _review_text(self) -> str:
        parts = []
        for n, item in enumerate(self.items, start=1):
            v = item.verdict
            if v is None or v.correct:
                continue
            ex = item.exercise
            if item.answer.strip():
                said = f"**You answered:** {_md_escape(v.interpreted or item.answer.strip())}\n\n{_md_escape(v.feedback)}"
            else:
                said = "**You skipped this one.**"
            parts.append(
                f"### Question {n}\n\n{_md_escape(ex.prompt)}\n\n{said}\n\n**Worked solution:**\n\n{keep_line_breaks(ex.solution)}\n"
            )
        return "\n---\n\n".join(parts)

    def action_home(self) -> None:
        self.app.pop_screen()


def _md_escape(text: str) -> str:
    """Learner text shown in Markdown: characters that would start formatting are escaped."""
    out = []
    for ch in text:
        out.append("\\" + ch if ch in "\\`*_[]<>#|" else ch)
    return "".join(out)
