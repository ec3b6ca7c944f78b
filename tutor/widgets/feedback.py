"""What the tutor says back: the verdict naming the mistake, the hint ladder, the worked solution."""

from __future__ import annotations

import re

from rich.text import Text
from textual.widgets import Static

from tutor.keys import HINT_KEY, NEXT_KEY, SOLUTION_KEY


def _without_generic_offer(feedback: str) -> str:
    """The checker's feedback without its closing "ask for a hint": the panel itself offers the help
    that really is there (none in a quiz)."""
    from engine.answers.diagnose import HINT

    return feedback.replace(" " + HINT, "").replace(HINT, "").strip()


class FeedbackPanel(Static):
    """The verdict on the last answer: right, a named mistake, or a message that it could not be read.

    The verdict belongs to the answer it judged: once the learner edits the answer box, the verdict
    is marked as being about the previous answer (and unmarked if the answer is typed back).
    """

    judged: str | None = None
    _verdict_text: Text | None = None
    _verdict_classes: str = ""

    def clear(self) -> None:
        if not self.display and self._verdict_text is None:
            return  # already clear: asking again would lay out the whole screen for nothing
        self.judged, self._verdict_text = None, None
        self.update("")
        self.set_classes("")
        self.display = False

    def show_verdict(self, verdict, *, offer_solution: bool = False, next_hint: bool = False,
                     then: str | None = None, echo: bool = True, answer: str | None = None,
                     warnings: bool = True) -> None:
        """Say what the answer was judged; after a wrong one, offer (never show) the solution.

        `then` replaces the closing line that says what to do next; `echo` repeats how the answer was
        read, and `warnings` its warnings (neither is needed while the answer box still shows the
        answer with its preview). `answer` is the text judged, so that editing it can mark the
        verdict as old.
        """
        text = Text()
        if verdict.error:
            self.set_classes("-unreadable")
            if verdict.feedback:  # the checker's own sentence already says it could not read it
                text.append(verdict.feedback)
            else:
                text.append("Could not read that: ", style="bold")
                text.append(verdict.error)
        elif verdict.correct:
            self.set_classes("-correct")
            text.append("✓ Right. ", style="bold")
            if verdict.feedback and verdict.feedback.strip() not in ("Right.", "Correct."):
                text.append(verdict.feedback)
        else:
            self.set_classes("-wrong")
            text.append("✗ Not yet. ", style="bold")
            said = re.sub(r"^Not quite[:,.]?\s*", "", _without_generic_offer(verdict.feedback))
            text.append(said[:1].upper() + said[1:])
        if echo and verdict.interpreted and not verdict.correct and not verdict.error:
            text.append("\nYou answered: ", style="dim")
            text.append(verdict.interpreted)
        for warning in (verdict.warnings if warnings else ()):
            if warning not in text.plain:
                text.append(f"\n⚠ {warning}", style="yellow")
        if then is not None and not verdict.error:
            text.append(f"\n{then}", style="dim")
        elif verdict.correct:
            text.append(f"\nEnter or {NEXT_KEY}: next step.", style="dim")
        elif not verdict.error:
            offers = []
            if next_hint:
                offers.append(f"{HINT_KEY}: a hint")
            if offer_solution:
                offers.append(f"{SOLUTION_KEY}: the worked solution")
            if offers:
                text.append("\nStuck? " + "   ".join(offers), style="dim")
        self.judged = None if answer is None else answer.strip()
        self._verdict_text, self._verdict_classes = text, " ".join(sorted(self.classes))
        self.update(text)
        self.display = True

    def answer_edited(self, value: str, then: str = "Enter checks the new one") -> None:
        """The answer box now holds `value`: mark the verdict as belonging to the previous answer, or
        unmark it when the judged answer is back (an emptied box keeps it as it is)."""
        if self.judged is None or self._verdict_text is None or not value.strip():
            return
        if value.strip() == self.judged:
            self.set_classes(self._verdict_classes)
            self.update(self._verdict_text)
            return
        judged = self.judged if len(self.judged) <= 24 else self.judged[:23] + "…"
        old = Text.assemble((f"About your previous answer, {judged}", "bold"),
                            (f" ({then}):\n", "dim"))
        old.append_text(self._verdict_text)
        old.stylize("dim", len(old.plain) - len(self._verdict_text.plain))
        self.set_classes("-stale")
        self.update(old)

    def show_text(self, message: str, classes: str = "") -> None:
        """Any other message in the feedback place (new numbers drawn, a reminder, a check result)."""
        self.judged, self._verdict_text = None, None
        self.set_classes(classes)
        self.update(message)
        self.display = True


class HintLadder(Static):
    """The hints revealed so far, one rung per key press, from a nudge to nearly the answer."""

    def set_hints(self, hints: tuple[str, ...], shown: int = 0) -> None:
        self.hints = tuple(hints)
        self.shown = 0
        for _ in range(shown):
            self.reveal()
        self._render_hints()

    def reveal(self) -> int | None:
        """Show the next rung; its number (1-based), or None when every rung is already shown."""
        if self.shown >= len(self.hints):
            return None
        self.shown += 1
        self._render_hints()
        return self.shown

    @property
    def remaining(self) -> int:
        return len(getattr(self, "hints", ())) - getattr(self, "shown", 0)

    def _render_hints(self) -> None:
        text = Text()
        for i, hint in enumerate(self.hints[: self.shown], start=1):
            if i > 1:
                text.append("\n")
            text.append(f"Hint {i}/{len(self.hints)}: ", style="bold")
            text.append(hint)
        # hidden before and after (a step's hints not asked for yet): no layout of the screen for it
        self.update(text, layout=self.display or self.shown > 0)
        self.display = self.shown > 0
