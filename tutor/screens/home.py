"""Home: the lessons with a progress mark each, continue, quiz and help; a welcome on the first run."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tutor.keys import ANOTHER_KEY, BACK_KEY, HELP_KEY, HINT_KEY, NEXT_KEY, SOLUTION_KEY
from tutor.widgets.keys_bar import KeysBar
from tutor.widgets.title_bar import TitleBar

WELCOME = f"""\
**Welcome to backprop-tutor**

You will learn backpropagation by doing it: every lesson explains one idea, then asks you to work it
out, with numbers or a formula, and checks your answer against a real network.

- Type an answer and press **Enter** to check it. While you type, the line under the box shows how
  your answer was read.
- **{HINT_KEY}** gives a hint, one rung at a time. **{SOLUTION_KEY}** shows the worked solution, only
  when you ask.
- **{NEXT_KEY}** and **{BACK_KEY}** move to the next and previous step; **{ANOTHER_KEY}** draws new numbers.
- **{HELP_KEY}** explains the keys, how to type formulas (`a*b`, `sigmoid(x)`, `sum_k(...)`) and the notation.
- **Ctrl+P** opens the command palette: any lesson, a quiz, the theme.

{{SAVING}}

Press **Enter** to begin."""

SAVING = """Your progress is saved as you go: quit any time with **Ctrl+Q** (or **q** on the home screen), and
next time you start where you left off."""

NOT_SAVING = """This time your progress is **not saved** (the warning on the home screen says why): everything
works, but it is forgotten when you quit with **Ctrl+Q** (or **q** on the home screen)."""

MARKS = {"not started": "·", "in progress": "◐", "done": "✓"}


class WelcomeScreen(ModalScreen[None]):
    """One screen that says how to use the tutor, shown the first time it starts."""

    BINDINGS = [Binding("enter,escape,space", "close", "Begin")]

    def __init__(self, saving: bool = True) -> None:
        super().__init__()
        self.saving = saving  # False when the store runs in memory (a newer version's file, a busy one)

    def compose(self) -> ComposeResult:
        # Markdown (markdown-it and Textual's Markdown widgets) loads here, after home has painted
        from tutor.widgets.prose import LessonMarkdown

        with VerticalScroll(id="welcome"):
            yield LessonMarkdown(WELCOME.replace("{SAVING}", SAVING if self.saving else NOT_SAVING), id="welcome-text")

    def action_close(self) -> None:
        self.dismiss(None)


class HomeScreen(Screen[None]):
    """The lessons, each with its mark, and the ways in: open, continue, quiz, help."""

    BINDINGS = [
        Binding("c", "continue", "Continue"),
        Binding("a", "quiz_choose", "Quiz…"),
        Binding("t", "quiz_this", "Lesson quiz"),
        Binding("d", "quiz_due", "Review"),
        Binding("p", "app.practice", "Practice"),
        Binding("q", "app.quit", "Quit"),
        Binding("question_mark,h", "app.help", "Help", show=False),
    ]

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with VerticalScroll(id="home-body"):
            yield Static(
                "Learn backpropagation by doing it. Choose a lesson and press Enter, "
                "or press c to continue where you left off.",
                id="home-intro",
            )
            yield OptionList(id="lessons")
            yield Static("Loading lessons…", id="home-status")
        yield KeysBar()

    def on_mount(self) -> None:
        if self.app.curriculum is not None:
            self.curriculum_ready()

    def curriculum_ready(self) -> None:
        """Fill in the lessons once the curriculum has loaded."""
        self.refresh_lessons()
        self.query_one("#lessons", OptionList).focus()

    notice: str = ""

    def on_screen_resume(self) -> None:
        if self.app.curriculum is not None:
            self.refresh_lessons()

    def on_screen_suspend(self) -> None:
        self.notice = ""  # it was about what had just happened; the learner has moved on since

    def say(self, message: str) -> None:
        """A word about what just happened (a lesson finished), above the status line: not a toast
        over the lesson list."""
        self.notice = message
        if self.app.curriculum is not None:
            self.refresh_lessons()

    def refresh_lessons(self) -> None:
        """Redraw every lesson's mark from the store."""
        curriculum, progress = self.app.curriculum, self.app.progress
        options = self.query_one("#lessons", OptionList)
        status = self.query_one("#home-status", Static)
        if curriculum is None:
            return
        highlighted = options.highlighted
        options.clear_options()
        for lesson in curriculum.lessons:
            options.add_option(Option(self._row(lesson), id=lesson.id))
        last = progress.last_lesson() if progress else None
        if highlighted is None and last in curriculum.ids:
            highlighted = curriculum.ids.index(last)  # the lesson the learner was in
        if curriculum.lessons:
            options.highlighted = min(highlighted or 0, len(curriculum.lessons) - 1)
        status.update(self._status_text(last))

    def _status_text(self, last: str | None) -> Text:
        """Where c goes (tutor.continuation, as `backprop-tutor progress` says), what is due, and the keys."""
        from tutor import review
        from tutor.continuation import next_step

        curriculum, progress = self.app.curriculum, self.app.progress
        text = Text()
        if self.notice:
            text.append(f"{self.notice}\n", style="bold")
        if progress is not None and not progress.saving:
            text.append(f"⚠ {progress.notice or 'Progress is not being saved this time.'}\n", style="bold")
        if not curriculum.lessons:
            text.append("No lessons are available yet.")
            return text
        where = next_step(curriculum, progress)
        if where is None:
            text.append("Every lesson is done: a for a quiz.")
        else:
            verb = "continue" if last is not None else "start"
            text.append(f"c: {verb} “{where.lesson_title}”, step {where.index + 1} of {where.steps}.")
        due = len(review.due(curriculum, progress))
        if due:
            text.append(f"\nd: review {due} question{'s' if due != 1 else ''} due", style="bold")
            text.append("   a: choose a quiz   F1: help")
        else:
            text.append("\nNothing due for review.   a: choose a quiz   F1: help")
        return text

    def _row(self, lesson) -> Text:
        progress = self.app.progress
        state = "not started"
        quiz = ""
        if progress is not None:
            state = progress.status(lesson.id, [s.id for s in lesson.task_steps])
            best = progress.best_quiz(lesson.id)
            if best is not None:
                quiz = f"quiz {best[0]}/{best[1]}"
        row = Text()
        row.append(f"{MARKS.get(state, '·')} ", style="bold green" if state == "done" else "")
        row.append(f"{lesson.order:02d}  ")
        row.append(f"{lesson.title:<45.45}", style="bold")
        row.append(f" {state:<11}", style="dim" if state == "not started" else "")
        row.append(f" {quiz}", style="cyan")
        return row

    def _current_id(self) -> str | None:
        options = self.query_one("#lessons", OptionList)
        if options.highlighted is None or options.option_count == 0:
            return None
        return options.get_option_at_index(options.highlighted).id

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.app.open_lesson(event.option.id)

    def action_continue(self) -> None:
        self.app.continue_learning()

    def action_quiz_choose(self) -> None:
        self.app.choose_quiz()

    def action_quiz_due(self) -> None:
        from tutor import review

        if not review.due(self.app.curriculum, self.app.progress):
            self.say("Nothing is due for review now: a chooses a quiz.")
            return
        self.app.open_quiz((), due_first=True)

    def action_quiz_this(self) -> None:
        lesson_id = self._current_id()
        if lesson_id:
            self.app.open_quiz((lesson_id,))
