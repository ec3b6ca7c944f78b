"""The lesson screen: one step at a time — prose, picture, question, answer box, hints, feedback, solution."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.reactive import Reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from engine.exercises import fill
from tutor.keys import ANOTHER_KEY, HINT_KEY, SOLUTION_KEY, lesson_bindings
from tutor.review import step_key
from tutor.screens import lesson_page, lesson_parts
from tutor.screens.lesson_page import CONTINUE, PART_ORDER, AnswerDock, Prompt, prose_part
from tutor.screens.lesson_tools import LessonTools
from tutor.widgets.answer import AnswerBox
from tutor.widgets.feedback import FeedbackPanel, HintLadder
from tutor.widgets.keys_bar import KeysBar
from tutor.widgets.step_page import Part, StepPage
from tutor.widgets.title_bar import TitleBar


class LessonScreen(LessonTools, Screen[None]):
    """Steps of one lesson; the position and each step's numbers are kept in the store."""

    # A change of focus restyles and repaints the widgets it concerns; Textual's screen repaints all
    # of itself for it as well, a second full frame after each step that moves the focus.
    focused: Reactive[Widget | None] = Reactive(None, repaint=False)
    # Each step gives the focus where it belongs (the answer box, or nothing so that the keys scroll):
    # Textual's first focusable widget would be the hidden choices, which would take Enter.
    AUTO_FOCUS = ""

    BINDINGS = [
        *lesson_bindings(),
        Binding("enter,w", "worksheet", "Worksheet", key_display="w"),  # on a worksheet step, before next
        Binding("escape", "home", "Home"),
        Binding("n,enter", "next", "Next", show=False),
        Binding("b", "back", "Back", show=False),
        Binding("up", "scroll(-1)", "Scroll up", show=False),
        Binding("down", "scroll(1)", "Scroll down", show=False),
        Binding("pageup", "scroll(-10)", "Page up", show=False),
        Binding("pagedown", "scroll(10)", "Page down", show=False),
        Binding("home", "scroll_to_end(False)", "Top", show=False),
        Binding("end", "scroll_to_end(True)", "Bottom", show=False),
    ]

    def __init__(self, lesson) -> None:
        super().__init__()
        self.lesson = lesson
        self.index = 0
        self.seed: int | None = None
        self.exercise = None
        self.draw = None
        self.settled: set[str] = set()
        self.withheld: set[str] = set()
        self.wrong = 0
        self.verdict = None
        self.judged = ""
        self.solved_now = False
        self.last_right = ""
        self.solution_shown = False
        self.solution_armed = False
        # the parts of the step's page (see StepPage), in the order they are shown
        self.parts: dict[str, Part | None] = dict.fromkeys(PART_ORDER)

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static(id="step-title")
        yield StepPage(id="lesson-body")
        with AnswerDock(id="answer-dock"):
            yield HintLadder(id="hints")
            yield Prompt(id="prompt")
            yield OptionList(id="choices")
            yield AnswerBox(id="answer")
            yield FeedbackPanel(id="feedback")
        yield KeysBar()

    # --- showing a step ------------------------------------------------------------------------

    @property
    def progress(self):
        return self.app.progress

    @property
    def step(self):
        return self.lesson.steps[self.index]

    def on_mount(self) -> None:
        self.show_lesson(self.lesson)

    def show_lesson(self, lesson) -> None:
        """Show `lesson` at its stored position (the app shows every lesson on one screen)."""
        self.lesson, self.judged = lesson, ""
        self.sub_title = lesson.title
        position = self.progress.position(lesson.id) if self.progress else None
        ids = [s.id for s in lesson.steps]
        self.index = ids.index(position) if position in ids else 0
        self.show_step()
        if self.lesson.exercise_steps:
            self._load_grader()

    @work(thread=True, exclusive=True, group="load-grader")
    def _load_grader(self) -> None:
        """Load what drawing an exercise's numbers needs (the engine, numpy, the misconceptions' words)
        while the learner reads, so that the first step with numbers does not wait for it."""
        from lessons.misconceptions import misconception_words

        misconception_words()

    def show_step(self) -> None:
        """Draw the current step with its stored numbers, restoring hints and a revealed solution."""
        lesson, step = self.lesson, self.step
        progress = self.progress
        if progress is not None:
            progress.set_position(lesson.id, step.id)
        self.wrong, self.solved_now, self.last_right, self.verdict = 0, False, "", None
        self.solution_shown = self.solution_armed = False
        self.seed, self.exercise, problem = None, None, None
        if step.exercise is not None or step.scenario is not None:
            if progress is not None:
                self.seed = progress.seed(lesson.id, step.seed_key, lambda: self.app.fresh_seed(lesson.id, step.seed_key))
            else:
                self.seed = self.app.fresh_seed(lesson.id, step.seed_key)
        try:
            draw = lesson.draw(step.id, self.seed) if self.seed is not None else None
        except Exception as exc:  # a half-written lesson must not take the app down
            draw, problem = None, str(exc)
        self.draw = draw
        if step.exercise is not None:
            self.exercise = draw
        self._settle()
        try:
            # the same filling as Lesson.text, without drawing the numbers a second time
            prose = self.fill(step.text) if (draw is not None and step.scenario) else step.text
        except Exception as exc:
            prose, problem = step.text, str(exc)
        solved = progress.solved_steps(lesson.id) if progress else set()
        mark = "  ✓ solved" if step.id in solved else ""
        n = len(lesson.steps)
        self.query_one("#step-title", Static).update(
            Text.assemble((f"Step {self.index + 1} of {n}", "bold"), f" · {step.title}", (mark, "green")), layout=False
        )
        parts = self.parts
        parts.update(dict.fromkeys(PART_ORDER))
        parts["prose"] = prose_part(prose) if (prose or "").strip() else None
        parts["continue"] = CONTINUE if (self.exercise is None and step.worksheet is None) else None
        self._show_worksheet_hint(step.id in solved)
        self._show_visual(paint=False)
        ex = self.exercise
        self._show_choices(ex)
        hints = self.query_one("#hints", HintLadder)
        shown = progress.hints_shown(lesson.id, step.id) if (progress and ex) else 0
        hints.set_hints(tuple(self.fill(h) for h in ex.spec.hints) if ex else (), shown)
        feedback = self.query_one("#feedback", FeedbackPanel)
        feedback.clear()
        dock = self.query_one("#answer-dock")
        dock.display = ex is not None
        if problem:
            feedback.show_text(f"This step could not be prepared: {problem}", "-unreadable")
        if ex is not None:
            self.query_one("#prompt", Prompt).update(Text(self.fill(ex.spec.prompt).strip(), style="bold"))
            box = self.query_one("#answer", AnswerBox)
            box.set_exercise(ex)
            if progress is not None and progress.solution_revealed(lesson.id, step.id, self.seed):
                self._reveal_solution(record=False)
            self.set_focus(box.input, scroll_visible=False)  # now, so the footer's keys change in this frame
        else:
            # Nothing focused: the screen's keys scroll the text. Focusing the scrolling body instead
            # would restyle every widget in it, twice a step, for no change on screen.
            self.set_focus(None)
        self.paint_page(keep_scroll=False)
        if self.solution_shown:  # back on a step whose solution was asked for: it is what to read
            self.query_one("#lesson-body", StepPage).scroll_to_part("solution")
        self.refresh_bindings()
        # a moment after the step is on screen: work done at once would hold back the thread that
        # writes the new screen to the terminal
        self.set_timer(0.05, self._prepare_next)

    def paint_page(self, keep_scroll: bool = True) -> None:
        """Show the step's parts on its page (from the top unless `keep_scroll`)."""
        self.query_one("#lesson-body", StepPage).show(list(self.parts.values()), keep_scroll=keep_scroll)

    def _prepare_next(self) -> None:
        """Draw the text of the step after this one (and of the one before), once this one is on
        screen, so that moving there only paints. A text filled with numbers is left to its step:
        its numbers are drawn when it is shown."""
        page = self.query_one("#lesson-body", StepPage)
        for i in (self.index + 1, self.index - 1):
            if 0 <= i < len(self.lesson.steps) and not self.lesson.steps[i].scenario and self.lesson.steps[i].text:
                page.prepare(prose_part(self.lesson.steps[i].text))

    # --- what may be shown ------------------------------------------------------------------

    def _settle(self) -> None:
        """Work out which answers of these numbers the learner has earned the sight of, and so which
        values stay withheld (shown as "?") in the prompt, prose, hints, choices and pictures."""
        draw = self.draw
        self.settled = lesson_parts.settled_steps(self.lesson, self.step, self.seed, self.progress)
        if self.solved_now or self.solution_shown:
            self.settled.add(self.step.id)
        context = getattr(draw, "context", None)
        self.withheld = lesson_parts.withheld_names(self.lesson, self.step, self.settled, context,
                                                    getattr(draw, "values", None))

    def fill(self, template: str, answer: bool = False) -> str:
        """A template of this step filled with its numbers, withheld values shown as "?"."""
        values = lesson_parts.masked(getattr(self.draw, "values", {}), self.withheld)
        if answer and self.exercise is not None and self.exercise.kind == "number":
            values["answer"] = self.exercise.expected_value
        return fill(template, values)

    def _show_visual(self, paint: bool = True) -> None:
        """The step's picture, as far as the learner has earned the sight of its numbers."""
        self.parts["picture"] = lesson_page.picture_part(self.lesson, self.index, self.draw, self.settled, self.withheld)
        if paint:
            self.paint_page()

    def _show_choices(self, ex) -> None:
        choices = self.query_one("#choices", OptionList)
        if (ex is None or ex.kind != "choice") and not choices.display and not choices.option_count:
            return  # hidden and empty already: clearing it again would lay out the screen
        choices.clear_options()
        if ex is not None and ex.kind == "choice":
            for c in ex.spec.choices:
                choices.add_option(Option(Text.assemble((f"({c.key}) ", "bold"), self.fill(c.text)), id=c.key))
            choices.display = True
        else:
            choices.display = False

    # --- answering -----------------------------------------------------------------------------

    def on_answer_box_submitted(self, event: AnswerBox.Submitted) -> None:
        self.check(event.answer)

    def on_answer_box_edited(self, event: AnswerBox.Edited) -> None:
        self.query_one("#feedback", FeedbackPanel).answer_edited(event.answer)

    def _note(self, message: str) -> None:
        """A short message in the feedback place, under the answer box, where it hides nothing."""
        self.query_one("#feedback", FeedbackPanel).show_text(message, "-note")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.check(event.option.id)

    def check(self, answer: str) -> None:
        """Grade an answer, record it, and say what it was judged; Enter again after a right answer moves on."""
        ex = self.exercise
        if ex is None:
            return
        if self.solved_now and answer.strip() in ("", self.last_right):
            self.action_next()
            return
        if not answer.strip():
            self._note("Type an answer first" + ("; " + HINT_KEY + " gives a hint." if self.query_one("#hints", HintLadder).remaining else "."))
            return
        try:
            verdict = ex.grade(answer)
        except Exception as exc:  # the checker promises not to raise; never let it take the lesson down
            self.query_one("#feedback", FeedbackPanel).show_text(f"Could not check that answer: {exc}", "-unreadable")
            return
        if not verdict.error and self.progress is not None:
            self.progress.record_attempt(self.lesson.id, self.step.id, answer, verdict.correct, verdict.mistake, self.seed)
            self.progress.record_exercise_answer(step_key(self.lesson.id, self.step.id), verdict.correct)
        if verdict.correct:
            self.solved_now, self.last_right = True, answer.strip()
            self._settle()
            self._show_visual()
            self.query_one("#step-title", Static).update(
                Text.assemble((f"Step {self.index + 1} of {len(self.lesson.steps)}", "bold"), f" · {self.step.title}",
                              ("  ✓ solved" if not self.solution_shown else "  ✓ (solution was shown: new numbers to count)", "green"))
            )
        elif not verdict.error:
            self.wrong += 1
        if ex.kind == "choice":  # the next letter typed is a fresh pick, not appended to this one
            self.query_one("#answer", AnswerBox).input.value = ""
        self.verdict, self.judged = verdict, answer
        self._say(verdict)
        if ex.kind != "choice":
            self.query_one("#answer", AnswerBox).said_below(w for w in verdict.warnings if w in verdict.feedback)
        self.refresh_bindings()

    def _say(self, verdict) -> None:
        """Show a verdict, offering only the help that is still left (another hint, the solution)."""
        self.query_one("#feedback", FeedbackPanel).show_verdict(
            verdict,
            offer_solution=not self.solution_shown,
            next_hint=self.query_one("#hints", HintLadder).remaining > 0,
            echo=self.exercise is not None and self.exercise.kind == "choice",
            warnings=self.exercise is not None and self.exercise.kind == "choice",  # the box shows them
            answer=self.judged,
        )
        if self.exercise is not None and self.exercise.kind != "choice":
            # said again after a hint or the solution: still about the answer judged, not the one typed since
            self.query_one("#feedback", FeedbackPanel).answer_edited(self.query_one("#answer", AnswerBox).value)

    # --- actions -------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        ex = self.exercise
        if action == "hint":
            return ex is not None and self.query_one("#hints", HintLadder).remaining > 0
        if action == "solution":
            return ex is not None
        if action == "another":
            return self.seed is not None and self.step.scenario is not None
        if action == "gradcheck":
            return self.step.gradcheck
        if action == "worksheet":
            return self.step.worksheet is not None
        if action == "back":
            return self.index > 0
        return True

    def action_hint(self) -> None:
        rung = self.query_one("#hints", HintLadder).reveal()
        if rung is None:
            self._note(f"That was the last hint. {SOLUTION_KEY} shows the worked solution.")
            return
        if self.progress is not None:
            self.progress.record_hint(self.lesson.id, self.step.id, rung)
        hints = self.query_one("#hints", HintLadder)
        self.call_after_refresh(hints.scroll_end, animate=False)
        if self.verdict is not None and not self.verdict.correct and not self.verdict.error:
            self._say(self.verdict)
        self.refresh_bindings()

    def action_solution(self) -> None:
        if self.exercise is None:
            return
        if self.solution_shown:
            self.query_one("#lesson-body", StepPage).scroll_to_part("solution")
            return
        if self.wrong == 0 and not self.solved_now and not self.solution_armed:
            self.solution_armed = True
            self._note(f"Press {SOLUTION_KEY} again to see the worked solution. These numbers then stop "
                       f"counting; {ANOTHER_KEY} gives fresh ones.")
            return
        self._reveal_solution(record=True)

    def _reveal_solution(self, record: bool) -> None:
        if record and self.progress is not None:
            self.progress.record_solution(self.lesson.id, self.step.id, self.seed)
        self.solution_shown = True
        self._settle()
        solved = self.solved_now or (self.progress is not None and self.step.id in self.progress.solved_steps(self.lesson.id))
        self.parts["solution"] = lesson_page.solution_part(self.fill(self.exercise.spec.solution, answer=True),
                                                           solved, self.step.scenario is not None)
        feedback = self.query_one("#feedback", FeedbackPanel)
        if feedback.has_class("-note"):  # "press again" has been answered
            feedback.clear()
        self._show_visual()  # its answer has been asked for: the picture may show it now
        self.query_one("#lesson-body", StepPage).scroll_to_part("solution")
        if self.verdict is not None and not self.verdict.correct and not self.verdict.error:
            self._say(self.verdict)

    def action_another(self) -> None:
        if self.seed is None or self.step.scenario is None:
            return
        seed = self.app.fresh_seed(self.lesson.id, self.step.seed_key)
        if self.progress is not None:
            self.progress.new_seed(self.lesson.id, self.step.seed_key, seed)
        self.show_step()
        self._note("New numbers: the same question, drawn again.")

    def action_next(self) -> None:
        if self.index + 1 < len(self.lesson.steps):
            self.index += 1
            self.show_step()
            return
        self._finish()

    def action_back(self) -> None:
        if self.index > 0:
            self.index -= 1
            self.show_step()

    def action_home(self) -> None:
        self.app.pop_screen()

    def action_scroll(self, lines: int) -> None:
        """Scroll the prose while the answer box keeps the focus."""
        self.query_one("#lesson-body", StepPage).scroll_lines(lines)

    def action_scroll_to_end(self, bottom: bool) -> None:
        """Home and End: the top or the bottom of the step (while the answer box has the focus, they
        move in the answer instead)."""
        page = self.query_one("#lesson-body", StepPage)
        page.to_bottom() if bottom else page.to_top()

    def _finish(self) -> None:
        lesson, progress = self.lesson, self.progress
        exercise_ids = [s.id for s in lesson.task_steps]
        solved = progress.solved_steps(lesson.id) if progress else set()
        left = [s.title for s in lesson.task_steps if s.id not in solved]
        if not left:
            message = f"Lesson complete: “{lesson.title}”, every exercise solved. t: its quiz."
        else:
            message = (f"End of “{lesson.title}”. Still to solve: {len(left)} of {len(exercise_ids)} "
                       f"({', '.join(left[:3])}{'…' if len(left) > 3 else ''}).")
        self.app.pop_screen()
        home = self.app.screen
        if hasattr(home, "say"):
            home.say(message)  # in the home screen's status line, not a toast over the lesson list
        else:
            self.app.notify(message)
