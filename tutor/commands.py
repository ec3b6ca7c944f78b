"""The command palette: open a lesson, start a quiz, reset progress, switch theme, help."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.screen import ModalScreen
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from tutor.keys import THEME_KEY


class ConfirmReset(ModalScreen[bool]):
    """Ask before forgetting progress."""

    BINDINGS = [Binding("y", "answer(True)", "Yes, reset"), Binding("n,escape", "answer(False)", "No")]

    def __init__(self, what: str) -> None:
        super().__init__()
        self.what = what

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm"):
            yield Static(f"Forget {self.what}? This cannot be undone.\n\ny: yes, reset    n: no, keep it")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class TutorCommands(Provider):
    """Commands for every lesson (open, quiz, reset) and the app's own (quiz all, theme, help)."""

    def _commands(self) -> list[tuple[str, object, str]]:
        app = self.app
        found: list[tuple[str, object, str]] = [
            ("Quiz: every lesson", partial(app.open_quiz, ()), "mixed questions from all lessons"),
            ("Quiz: choose the lessons…", app.choose_quiz, "a on the home screen"),
            ("Review: questions due first", partial(app.open_quiz, (), due_first=True),
             "missed quiz questions and lesson exercises, d on the home screen"),
            ("Practice: the whole pass as a worksheet", app.open_practice, "p on the home screen"),
            ("Help: keys, typing, notation", app.action_help, "F1"),
            ("Toggle dark / light theme", app.action_toggle_theme, f"{THEME_KEY} (or Ctrl+T)"),
            ("Reset all progress", partial(self._reset, None), "asks first"),
        ]
        curriculum = getattr(app, "curriculum", None)
        for lesson in curriculum.lessons if curriculum is not None else ():
            found.insert(len(found) - 3, (f"Lesson {lesson.order:02d}: {lesson.title}", partial(app.open_lesson, lesson.id), lesson.summary))
        for lesson in curriculum.lessons if curriculum is not None else ():
            found.append((f"Quiz: {lesson.title}", partial(app.open_quiz, (lesson.id,)), f"questions from lesson {lesson.order:02d}"))
        for lesson in curriculum.lessons if curriculum is not None else ():
            found.append((f"Reset progress: {lesson.title}", partial(self._reset, lesson.id), "asks first"))
        return found

    def _reset(self, lesson_id: str | None) -> None:
        app = self.app
        what = "all your progress" if lesson_id is None else f"your progress in {lesson_id}"

        def done(yes: bool | None) -> None:
            if yes:
                app.reset_progress(lesson_id)

        app.push_screen(ConfirmReset(what), done)

    async def discover(self) -> Hits:
        for name, command, help_text in self._commands():
            yield DiscoveryHit(name, command, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, command, help_text in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), command, text=name, help=help_text)
