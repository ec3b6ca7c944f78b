"""What a lesson step can open beyond itself: the worksheet of a worksheet step, and the finite-difference
check of the learner's own gradients."""

from __future__ import annotations

from textual import work
from textual.content import Content

from tutor.screens import lesson_parts
from tutor.widgets.step_page import Part, StepPage


class LessonTools:
    """Part of `tutor.screens.lesson.LessonScreen`: its worksheet and gradient-check actions."""

    # --- a worksheet step ------------------------------------------------------------------------

    def _show_worksheet_hint(self, solved: bool) -> None:
        self.parts["worksheet"] = (Part("worksheet", body=Content(lesson_parts.worksheet_hint(solved)))
                                   if self.step.worksheet is not None else None)

    def action_worksheet(self) -> None:
        """Open the step's worksheet; back from it, the step shows whether the whole pass is right."""
        step = self.step
        if step.worksheet is None:
            return
        from tutor import worksheet_session as ws
        from tutor.screens.worksheet import WorksheetScreen

        app, progress, lesson = self.app, self.progress, self.lesson
        try:
            session = ws.lesson_session(progress, app.seeds, lesson, step)
        except Exception as exc:  # a half-written lesson must not take the app down
            self.notify(f"The worksheet could not be opened: {exc}", severity="error")
            return
        renew = lambda: ws.lesson_session(progress, app.seeds, lesson, step, new=True)  # noqa: E731
        app.push_screen(WorksheetScreen(session, renew), lambda _: self.show_step())

    # --- the finite-difference check -----------------------------------------------------------

    def action_gradcheck(self) -> None:
        step = self.step
        if not step.gradcheck or self.seed is None:
            return
        try:
            draw = self.lesson.draw(step.id, self.seed)
            context = draw.context
            network, x, t = context["network"], context["x"], context["t"]
        except Exception as exc:
            self.notify(f"This step has no network to check: {exc}", severity="error")
            return
        mine = lesson_parts.learner_gradients(self.lesson, step, self.seed, self.progress)
        self._show_check(Content("Checking your gradients against finite differences…"))
        self._run_gradcheck(network, x, t, mine, self._probe_key())

    def _probe_key(self) -> tuple:
        """What a finite-difference check was asked on: its result is shown only while that is on screen."""
        return self.lesson.id, self.step.id, self.seed

    @work(thread=True, exclusive=True, group="gradcheck")
    def _run_gradcheck(self, network, x, t, mine: dict[str, float], asked: tuple) -> None:
        rows, backprop_error = lesson_parts.gradient_check(network, x, t, mine)
        self.app.call_from_thread(self._show_gradcheck, rows, backprop_error, asked)

    def _show_gradcheck(self, rows, backprop_error: float, asked: tuple) -> None:
        if asked != self._probe_key():
            return  # the learner moved on (another step, lesson or numbers) while it ran
        # a gradient some step still asks for is not given away by the check either
        open_steps = {lesson_parts.asked_quantity(s) for s in lesson_parts.group_members(self.lesson, self.step)
                      if s.exercise is not None and s.id not in self.settled}
        self._show_check(Content.from_rich_text(lesson_parts.gradcheck_text(rows, backprop_error, open_steps)))

    def _show_check(self, text: Content) -> None:
        """The check's result in its frame at the foot of the step, scrolled into view."""
        self.parts["check"] = Part("check", body=text, frame="step-page--check")
        self.paint_page()
        self.query_one("#lesson-body", StepPage).scroll_to_part("check")
