"""The backprop-tutor Textual application: global keys, screen routing, and the factory everyone builds it with."""

from __future__ import annotations

import gc
from pathlib import Path
from typing import TYPE_CHECKING

from textual import events, work
from textual.app import App
from textual.binding import Binding

from tutor.commands import TutorCommands
from tutor.keys import HELP_KEY, THEME_KEY
from tutor.screens.home import HomeScreen, WelcomeScreen
from tutor.screens.small import MIN_HEIGHT, MIN_WIDTH, TooSmallScreen
from tutor.seeds import SeedSource

if TYPE_CHECKING:
    from lessons.model import Curriculum
    from tutor.screens.lesson import LessonScreen
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
        self.seeds = SeedSource(seed)
        self._home_up = False
        self._lesson_screen: LessonScreen | None = None

    # --- start-up ------------------------------------------------------------------------------

    def on_mount(self) -> None:
        self.push_screen(HomeScreen())
        self._home_up = True
        self._check_size()
        # The progress store (sqlite3) and the lessons (numpy, the answer checker) wait until the
        # home screen has painted: nothing on the first screen needs them.
        self.call_after_refresh(self._open_store)

    def _open_store(self) -> None:
        from tutor.progress import Progress

        self.progress = Progress.open(self.data_dir)
        saved = self.progress.setting("theme")
        if saved in self.available_themes:
            self.theme = saved
        if self.progress.notice and (self.progress.saving or self.start[0] != "home"):
            # Unsaved on the home screen: its status line says why, and stays (a toast would cover the
            # welcome while it is read, then go).
            self.notify(self.progress.notice, title="Progress", severity="warning", timeout=12)
        if self.start[0] == "home" and self.progress.first_run():
            if isinstance(self.screen, TooSmallScreen):
                self.pop_screen()  # the welcome goes under the size warning, which _check_size puts back
            self.push_screen(WelcomeScreen(saving=self.progress.saving), lambda _: self.progress.mark_welcomed())
            self._check_size()
        self._load_curriculum()

    @work(thread=True, exclusive=True, group="curriculum")
    def _load_curriculum(self) -> None:
        from tutor import catalog

        curriculum, problems = catalog.load()
        if self.progress is not None:
            self.seeds.pin(curriculum, self.progress)  # an explicit --seed decides every step's numbers
        self.call_from_thread(self._curriculum_ready, curriculum, problems)

    def _curriculum_ready(self, curriculum: Curriculum, problems: list[str]) -> None:
        self.curriculum, self.problems = curriculum, problems
        for screen in self.screen_stack:
            ready = getattr(screen, "curriculum_ready", None)
            if ready is not None:
                ready()
        if problems:
            self.notify(f"{len(problems)} lesson(s) could not be loaded: {problems[0]}", severity="warning", timeout=8)
        # What was loaded at start-up lives as long as the app: keep it out of every later collection,
        # so the collections that free a closed screen (see release_closed_screens) stay short.
        gc.freeze()
        self._prepare_worksheet()
        kind, *args = self.start
        if kind == "lesson" and args:
            self.open_lesson(args[0])
        elif kind in ("quiz", "due"):
            self.open_quiz(tuple(args), due_first=kind == "due")
        elif kind == "practice":
            self.open_practice()
        elif kind == "practice-spec" and len(args) == 2:
            self.open_practice((args[0], args[1]))

    @work(thread=True, exclusive=True, group="prepare")
    def _prepare_worksheet(self) -> None:
        """Bring in, while the app is idle after start-up, what a worksheet's first opening would wait for:
        numpy's random generators (which draw the network) and the misconceptions' words.

        Both are loaded by the lessons' own exercises too, so this adds nothing to the memory of an app
        that has opened its lessons. The worksheet's own modules (about 0.5 MiB) are left to its first
        opening: the app may never show one."""
        try:
            import numpy.random  # noqa: F401

            from lessons.misconceptions import misconception_words

            misconception_words()
        except Exception:  # a fault here is the worksheet's to report when it opens, not a reason to stop the app
            pass

    def on_unmount(self) -> None:
        if self.progress is not None:
            self.progress.close()

    # --- seeds ---------------------------------------------------------------------------------

    def fresh_seed(self, lesson_id: str, key: str) -> int:
        """A seed for new numbers: with --seed the next draw of this step or question (see tutor.seeds),
        otherwise random."""
        return self.seeds.fresh(lesson_id, key)

    # --- routing -------------------------------------------------------------------------------

    def _to_home(self) -> None:
        while len(self.screen_stack) > 1 and not isinstance(self.screen, HomeScreen):
            self.pop_screen()

    def release_closed_screens(self) -> None:
        """Free the widgets of screens that were closed: a screen's widgets refer to each other, so only
        a collection frees them, and the interpreter's own schedule for one takes many screens."""
        # A screen's title bar watches the app's title; Textual drops the watchers of closed widgets only
        # when the value changes, which here it never does, so each closed screen's title bar stayed.
        self.mutate_reactive(App.title)
        self.mutate_reactive(App.sub_title)
        gc.collect()

    def open_lesson(self, lesson_id: str) -> None:
        """Show a lesson at its next unfinished step (a finished lesson: where the learner left it)."""
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
        from tutor.continuation import resume_index
        from tutor.screens.lesson import LessonScreen

        if self.progress is not None:
            step = lesson.steps[resume_index(lesson, self.progress)]
            if self.progress.position(lesson.id) != step.id:
                self.progress.set_position(lesson.id, step.id)  # the lesson screen opens at the stored position
        self._to_home()
        screen = self._lesson_screen
        if screen is None:
            # One lesson screen for every lesson, kept when closed (installed): building a screen
            # per lesson left the memory of each behind, in fragments too small to hand back.
            screen = self._lesson_screen = LessonScreen(lesson)
            self.install_screen(screen, name="lesson")
        else:
            screen.show_lesson(lesson)
        self.push_screen(screen)
        self._check_size()
        self.call_after_refresh(self.release_closed_screens)

    def continue_learning(self) -> None:
        """Open the next unfinished step (tutor.continuation.next_step), or say that every lesson is done."""
        if self.curriculum is None:
            return
        from tutor.continuation import next_step

        where = next_step(self.curriculum, self.progress)
        if where is None:
            message = "Every lesson is done: a chooses a quiz; d reviews what is due."
            if isinstance(self.screen, HomeScreen):
                self.screen.say(message)  # in the status line, not a toast over the lesson list
            else:
                self.notify(message, title="Continue")
            return
        self.open_lesson(where.lesson_id)  # opens at resume_index, the same step `where` names

    def open_quiz(self, lesson_ids: tuple[str, ...] = (), *, due_first: bool = False) -> None:
        """Start a quiz over the given lessons (every lesson when none are given); with `due_first`, the
        questions due for review come first (see tutor.review.plan)."""
        if self.curriculum is None:
            return
        unknown = [i for i in lesson_ids if i not in self.curriculum.ids]
        if unknown:
            self.notify(f"no lesson {unknown[0]!r}; the lessons are: {', '.join(self.curriculum.ids)}", severity="error")
            return
        from tutor import review
        from tutor.screens.quiz import QuizScreen

        planned = review.plan(self.curriculum, self.progress, lesson_ids, due_first=due_first)
        self._to_home()
        self.push_screen(QuizScreen(planned, due=due_first))
        self._check_size()
        self.call_after_refresh(self.release_closed_screens)

    def open_practice(self, source: tuple[str, str] | None = None) -> None:
        """Open the worksheet of the practice network (drawn, and kept), or of `source`: (name, text of a spec file)."""
        from tutor import worksheet_session as ws
        from tutor.screens.worksheet import WorksheetScreen

        # An opening allocates tens of thousands of objects: the full collections they set off came in
        # the middle of it every few openings, 40-100 ms each. They wait until the screen has painted.
        collecting = gc.isenabled()
        gc.disable()
        try:
            try:
                if source is None:
                    session = ws.practice_session(self.progress, self.seeds)
                    renew = lambda: ws.practice_session(self.progress, self.seeds, new=True)  # noqa: E731
                else:
                    session, renew = ws.file_session(self.progress, *source), None
            except Exception as exc:  # checked by the command line already; a bad draw must not take the app down
                self.notify(f"The worksheet could not be opened: {exc}", severity="error")
                return
            self._to_home()
            screen = WorksheetScreen(session, renew)
            self.push_screen(screen)
            self._check_size()
            if collecting and screen.call_after_refresh(gc.enable):  # after the screen's first frame
                collecting = False
                self.set_timer(2.0, gc.enable)  # and in any case: a screen closed before it painted
        finally:
            if collecting:
                gc.enable()

    def choose_quiz(self) -> None:
        """Ask which lessons to quiz (the lessons begun are ticked), then start that quiz."""
        if self.curriculum is None:
            return
        from tutor.screens.quiz_choice import QuizChoice

        def chosen(choice: tuple[tuple[str, ...], bool] | None) -> None:
            if choice is not None:
                self.open_quiz(choice[0], due_first=choice[1])

        self.push_screen(QuizChoice(), chosen)

    def action_practice(self) -> None:
        self.open_practice()

    def action_help(self) -> None:
        from tutor.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            if not self.is_screen_installed("help"):
                self.install_screen(HelpScreen(), "help")  # one help screen, shown again: F1 only paints
            self.push_screen("help")

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
        if self._home_up:
            self._check_size(event.size)

    def _check_size(self, size=None) -> None:
        width, height = size or self.size
        small = width < MIN_WIDTH or height < MIN_HEIGHT
        if small and not isinstance(self.screen, TooSmallScreen):
            self.push_screen(TooSmallScreen())
        elif not small and isinstance(self.screen, TooSmallScreen):
            self.pop_screen()


def make_app(*, data_dir: Path, seed: int | None = None, start: tuple[str, ...] = ("home",)) -> BackpropTutor:
    """The app as the CLI and the tests build it: `start` is ("home",), ("lesson", ID), ("quiz", ID, ...),
    ("due", ID, ...) for a quiz that asks what is due for review first, ("practice",) for the practice
    worksheet or ("practice-spec", NAME, TEXT) for the worksheet of a spec file's text."""
    return BackpropTutor(data_dir=data_dir, seed=seed, start=start)
