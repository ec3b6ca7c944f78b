"""What the tutor says back: the verdict naming the mistake, the hint ladder, the worked solution."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


class FeedbackPanel(Static):
    """The verdict on the last answer: right, a named mistake, or a message that it could not be read."""

    def clear(self) -> None:
        self.update("")
        self.set_classes("")
        self.display = False

    def show_verdict(self, verdict, *, offer_solution: bool = False, next_hint: bool = False,
                     then: str | None = None, echo: bool = True) -> None:
        """Say what the answer was judged; after a wrong one, offer (never show) the solution.

        `then` replaces the closing line that says what to do next; `echo` repeats how the answer was
        read (not needed while the answer box still shows it with its preview).
        """
        text = Text()
        if verdict.error:
            self.set_classes("-unreadable")
            text.append("Could not read that: ", style="bold")
            text.append(verdict.feedback or verdict.error)
        elif verdict.correct:
            self.set_classes("-correct")
            text.append("✓ Right. ", style="bold")
            if verdict.feedback and verdict.feedback.strip() not in ("Right.", "Correct."):
                text.append(verdict.feedback)
        else:
            self.set_classes("-wrong")
            text.append("✗ Not yet. ", style="bold")
            text.append(verdict.feedback)
        if echo and verdict.interpreted and not verdict.correct and not verdict.error:
            text.append("\nYou answered: ", style="dim")
            text.append(verdict.interpreted)
        for warning in verdict.warnings:
            text.append(f"\n⚠ {warning}", style="yellow")
        if then is not None and not verdict.error:
            text.append(f"\n{then}", style="dim")
        elif verdict.correct:
            text.append("\nEnter or Ctrl+N: next step.", style="dim")
        elif not verdict.error:
            offers = []
            if next_hint:
                offers.append("Ctrl+G: a hint")
            if offer_solution:
                offers.append("Ctrl+S: the worked solution")
            if offers:
                text.append("\nStuck? " + "   ".join(offers), style="dim")
        self.update(text)
        self.display = True

    def show_text(self, message: str, classes: str = "") -> None:
        """Any other message in the feedback place (an end-of-lesson note, a check result)."""
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
        self.update(text)
        self.display = self.shown > 0
