"""The backprop-tutor Textual application: global keys, screen routing, and the factory everyone builds it with."""

from __future__ import annotations

import random
import zlib
from pathlib import Path
from typing import TYPE_CHECKING

from textual import events, work
from textual.app import App
from textual.binding import Binding

from tutor.commands import TutorCommands
from tutor.keys import HELP_KEY, THEME_KEY
from tutor.screens.home import HomeScreen, WelcomeScreen
from tutor.screens.small import MIN_HEIGHT, MIN_WIDTH, TooSmallScreen

if TYPE_CHECKING:
    from lessons.model import Curriculum
    from tutor.progress import Progress


class BackpropTutor(App):
    """Lessons, quizzes and help over one progress store; the curriculum loads after the first paint."""

    CSS_PATH = "app.tcss"
    TITLE = "backprop-tutor"
    COMMANDS = App.COMMANDS | {TutorCommands}
    BINDINGS = [
        Binding("f1", "help", "Help", key_display=HELP_KEY),
        Binding("f10,ctrl+t", "toggle_theme", "Theme", show=False, key_display=THEME_KEY),
    ]

    def __init__(self, *, data_dir: Path, seed: int | None = None, start: tuple[str, ...] = ("home",)) -> None:
        super().__init__()
        self.data_dir = Path(data_dir)
        self.seed = seed
        self.start = tuple(start) or ("home",)
        self.progress: Progress | None = None
        self.curriculum: Curriculum | None = None
        self.problems: list[str] = []
        self._draws = 0
        self._random = random.Random()

    # --- start-up ------------------------------------------------------------------------------

    def on_mount(self) -> None:
        from tutor.progress import Progress

        self.progress = Progress.open(self.data_dir)
        saved = self.progress.setting("theme")
        if saved in self.available_themes:
            self.theme = saved
        if self.progress.notice:
            self.notify(self.progress.notice, title="Progress", severity="warning", timeout=12)
        self.push_screen(HomeScreen())
        if self.start[0] == "home" and self.progress.first_run():
            self.push_screen(WelcomeScreen(), lambda _: self.progress.mark_welcomed())
        self._check_size()
        # The lessons import numpy and the answer checker: let the home screen paint first.
        self.call_after_refresh(self._load_curriculum)

    @work(thread=True, exclusive=True, group="curriculum")
    def _load_curriculum(self) -> None:
        from tutor import catalog

        curriculum, problems = catalog.load()
        self.call_from_thread(self._curriculum_ready, curriculum, problems)

    def _curriculum_ready(self, curriculum: Curriculum, problems: list[str]) -> None:
        self.curriculum, self.problems = curriculum, problems
        for screen in self.screen_stack:
            ready = getattr(screen, "curriculum_ready", None)
            if ready is not None:
                ready()
        if problems:
            self.notify(f"{len(problems)} lesson(s) could not be loaded: {problems[0]}", severity="warning", timeout=8)
        kind, *args = self.start
        if kind == "lesson" and args:
            self.open_lesson(args[0])
        elif kind == "quiz":
            self.open_quiz(tuple(args))

    def on_unmount(self) -> None:
        if self.progress is not None:
            self.progress.close()

    # --- seeds ---------------------------------------------------------------------------------

    def fresh_seed(self, lesson_id: str, key: str) -> int:
        """A seed for new numbers: reproducible from the app's --seed, otherwise random."""
        self._draws += 1
        if self.seed is None:
            return self._random.randrange(1, 2**31)
        return zlib.crc32(f"{self.seed}|{lesson_id}|{key}|{self._draws}".encode()) & 0x7FFFFFFF

    # --- routing -------------------------------------------------------------------------------

    def _to_home(self) -> None:
        while len(self.screen_stack) > 1 and not isinstance(self.screen, HomeScreen):
            self.pop_screen()

    def open_lesson(self, lesson_id: str) -> None:
        """Show a lesson at the step the learner left it."""
        if self.curriculum is None:
            return
        try:
            lesson = self.curriculum.lesson(lesson_id)
        except KeyError as exc:
            self.notify(str(exc.args[0]), severity="error")
            return
        if not lesson.steps:
            self.notify(f"“{lesson.title}” has no steps yet.", severity="warning")
            return
        from tutor.screens.lesson import LessonScreen

        self._to_home()
        self.push_screen(LessonScreen(lesson))
        self._check_size()

    def open_quiz(self, lesson_ids: tuple[str, ...] = ()) -> None:
        """Start a quiz over the given lessons (every lesson when none are given)."""
        if self.curriculum is None:
            return
        unknown = [i for i in lesson_ids if i not in self.curriculum.ids]
        if unknown:
            self.notify(f"no lesson {unknown[0]!r}; the lessons are: {', '.join(self.curriculum.ids)}", severity="error")
            return
        from tutor.screens.quiz import QuizScreen

        lessons = [self.curriculum.lesson(i) for i in lesson_ids] if lesson_ids else list(self.curriculum.lessons)
        self._to_home()
        self.push_screen(QuizScreen(lessons))
        self._check_size()

    def action_help(self) -> None:
        from tutor.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_toggle_theme(self) -> None:
        self.theme = "textual-light" if self.theme == "textual-dark" else "textual-dark"

    def watch_theme(self, theme: str) -> None:
        """Remember the theme, however it was chosen (key, palette), for next time."""
        if self.progress is not None and self.progress.setting("theme") != theme:
            self.progress.set_setting("theme", theme)

    def reset_progress(self, lesson_id: str | None = None) -> None:
        """Forget progress (of one lesson, or all) and refresh what is on screen."""
        if self.progress is None:
            return
        self.progress.reset(lesson_id)
        self._to_home()
        home = self.screen
        if isinstance(home, HomeScreen):
            home.refresh_lessons()
        self.notify("Progress reset." if lesson_id is None else f"Progress of {lesson_id} reset.")

    # --- terminal size -------------------------------------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        if self.progress is not None:  # mounted: the home screen is in place
            self._check_size(event.size)

    def _check_size(self, size=None) -> None:
        width, height = size or self.size
        small = width < MIN_WIDTH or height < MIN_HEIGHT
        if small and not isinstance(self.screen, TooSmallScreen):
            self.push_screen(TooSmallScreen())
        elif not small and isinstance(self.screen, TooSmallScreen):
            self.pop_screen()


def make_app(*, data_dir: Path, seed: int | None = None, start: tuple[str, ...] = ("home",)) -> BackpropTutor:
    """The app as the CLI and the tests build it: `start` is ("home",), ("lesson", ID) or ("quiz", ID, ...)."""
    return BackpropTutor(data_dir=data_dir, seed=seed, start=start)
