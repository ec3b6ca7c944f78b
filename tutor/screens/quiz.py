"""The quiz: questions with fresh numbers, most due first; a score per lesson, a review of misses, and a retry."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Markdown, OptionList, Static
from textual.widgets.option_list import Option

from tutor.keys import NEXT_KEY, key
from tutor.layout import keep_line_breaks
from tutor.review import MAX_ITEMS, Planned
from tutor.widgets.answer import AnswerBox
from tutor.widgets.prose import LessonMarkdown
from tutor.widgets.feedback import FeedbackPanel
from tutor.widgets.keys_bar import KeysBar
from tutor.widgets.title_bar import TitleBar


@dataclass
class QuizItem:
    """One question of this quiz and what happened to it."""

    planned: Planned
    exercise: object = None  # drawn when the question is shown, so the quiz opens at once
    answer: str = ""
    verdict: object = None

    @property
    def key(self) -> str:
        return self.planned.key

    @property
    def lesson_id(self) -> str:
        return self.planned.lesson.id

    @property
    def lesson_title(self) -> str:
        return self.planned.lesson.title

    @property
    def spec(self):
        return self.planned.spec

    @property
    def seed_key(self) -> str:
        """What its numbers are drawn under: a lesson exercise asked again draws apart from the lesson's own."""
        step_id = self.planned.step_id
        return f"review:{step_id}" if step_id is not None else f"quiz:{self.spec.id}"


class QuizScreen(Screen[None]):
    """Questions one at a time: Enter checks, Enter again goes on; the end shows the score and every miss,
    and r asks the missed ones again on new numbers."""

    BINDINGS = [
        Binding("escape", "home", "Home"),
        key(NEXT_KEY, "skip", "Skip"),
        Binding("enter", "continue", "Next", show=False),
        Binding("r", "retry", "Retry missed"),
    ]

    def __init__(self, planned: list[Planned], *, due: bool = False) -> None:
        super().__init__()
        self.due = due
        self.items = [QuizItem(p) for p in planned[:MAX_ITEMS]]
        self._spare = [QuizItem(p) for p in planned[MAX_ITEMS:]]
        self.current = 0
        self.finished = False
        self.retrying = False  # a retry round: practice right after the review, so it is not scored

    @property
    def lessons(self) -> list:
        """The lessons this quiz asks about, in the order they first come up."""
        return list({item.lesson_id: item.planned.lesson for item in self.items}.values())

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static(id="quiz-title")
        with VerticalScroll(id="quiz-body"):
            yield Static(id="quiz-prompt")
            yield OptionList(id="quiz-choices")
            yield LessonMarkdown(id="quiz-review")
        with Vertical(id="quiz-dock"):
            yield AnswerBox(id="quiz-answer")
            yield FeedbackPanel(id="quiz-feedback")
        yield KeysBar()

    def on_mount(self) -> None:
        self.sub_title = "Review: what is due first" if self.due else "Quiz"
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

    def _realize_current(self) -> bool:
        """Draw the numbers of the current question; one that cannot be drawn is replaced by a spare."""
        while self.current < len(self.items):
            item = self.items[self.current]
            if item.exercise is not None:
                return True
            try:
                item.exercise = item.planned.realize(self.app.fresh_seed(item.lesson_id, item.seed_key))
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
        label = "Retry" if self.retrying else "Question"
        self.query_one("#quiz-title", Static).update(
            Text.assemble((f"{label} {self.current + 1} of {len(self.items)}", "bold"),
                          (f" · from “{item.lesson_title}”", "dim"))
        )
        prompt = Text()
        if item.planned.from_lesson_step:
            prompt.append("A lesson exercise you answered wrongly, asked again.\n\n", style="dim italic")
        prompt.append(ex.prompt.strip(), style="bold")
        self.query_one("#quiz-prompt", Static).update(prompt)
        choices = self.query_one("#quiz-choices", OptionList)
        choices.clear_options()
        choices.display = ex.kind == "choice"
        if ex.kind == "choice":
            for c in ex.choices:
                choices.add_option(Option(Text.assemble((f"({c.key}) ", "bold"), c.text), id=c.key))
        self.query_one("#quiz-feedback", FeedbackPanel).clear()
        self.query_one("#quiz-dock").display = True
        self.query_one("#quiz-review", Markdown).display = False
        box = self.query_one("#quiz-answer", AnswerBox)
        box.set_exercise(ex)
        box.input.disabled = False
        box.input.focus()
        body = self.query_one("#quiz-body")
        body.add_class("-asking")
        body.scroll_home(animate=False)
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("skip", "continue"):
            return not self.finished
        if action == "retry":
            return self.finished and bool(self.missed())
        return True

    def missed(self) -> list[QuizItem]:
        """The questions of this round answered wrongly or skipped."""
        return [i for i in self.items if i.verdict is not None and not i.verdict.correct]

    def scores(self) -> dict[str, tuple[int, int]]:
        """(right, asked) for each lesson, counting only that lesson's own questions."""
        out: dict[str, tuple[int, int]] = {}
        for item in self.items:
            right, asked = out.get(item.lesson_id, (0, 0))
            out[item.lesson_id] = (right + bool(item.verdict is not None and item.verdict.correct), asked + 1)
        return out

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
        """Show the score, record it per lesson, and review each miss with its worked solution."""
        self.finished = True
        score = sum(1 for i in self.items if i.verdict is not None and i.verdict.correct)
        total = len(self.items)
        if total == 0:
            self.query_one("#quiz-title", Static).update("No quiz questions could be drawn")
            self.query_one("#quiz-dock").display = False
            return
        if self.app.progress is not None and not self.retrying:
            self.app.progress.record_quiz_scores(self.scores())
        what = "Retry finished" if self.retrying else "Quiz finished"
        self.query_one("#quiz-title", Static).update(Text(f"{what}: {score} of {total} right", style="bold"))
        self.query_one("#quiz-prompt", Static).update(
            "Every question right. Well done." if score == total else
            "Here is each one you missed, with its worked solution. Questions you missed come back sooner "
            "next time; r asks them again now, on new numbers."
        )
        self.query_one("#quiz-choices").display = False
        self.query_one("#quiz-feedback", FeedbackPanel).clear()
        self.query_one("#quiz-dock").display = False
        review = self.query_one("#quiz-review", Markdown)
        review.update(self._review_text())
        review.display = score < total
        body = self.query_one("#quiz-body")
        body.remove_class("-asking")
        body.scroll_home(animate=False)
        body.focus()
        self.refresh_bindings()

    def action_retry(self) -> None:
        """Ask the missed questions again, each on new numbers, straight after their review."""
        missed = self.missed()
        if not self.finished or not missed:
            return
        self.items = [QuizItem(item.planned) for item in missed]
        self._spare = []
        self.current = 0
        self.finished = False
        self.retrying = True
        self.show_item()

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
