"""The answer box: an input with a live "interpreted as" line that never says whether the answer is right."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.geometry import Size
from textual.reactive import Reactive
from textual.message import Message
from textual.widgets import Input, Static

# Examples that answer no question of any lesson (a test checks): the box must not suggest an answer.
PLACEHOLDER = {
    "expression": "type a formula, e.g. 3*x^2 + (x - 1)/2; Enter checks",
    "number": "type a number (arithmetic is fine, e.g. 1.5*2 - 0.4); Enter checks",
    "choice": "type a letter, or click an option above; Enter checks",
}


def preview_text(exercise, answer: str, quiet: frozenset[str] = frozenset()) -> Text:
    """How `answer` was read, with warnings for unknown symbols (except those in `quiet`, which the
    verdict below already says); empty for an empty answer."""
    text = Text()
    if exercise is None or not answer.strip():
        return text
    try:
        p = exercise.preview(answer)
    except Exception:  # the checker promises not to raise; a preview must never take the app down
        return Text("could not read this answer", style="italic")
    if p.error:
        text.append("not readable yet: ", style="bold")
        text.append(p.error)
        return text
    text.append("interpreted as  ", style="dim")
    text.append(p.interpreted, style="bold")
    for warning in p.warnings:
        if warning not in quiet:
            text.append(f"\n⚠ {warning}", style="yellow")
    return text


class AnswerInput(Input):
    """An Input whose typing repaints its own line without laying out the whole screen.

    Input keeps the width of its text in `virtual_size`, a reactive that asks for a layout of the
    whole screen on every change, so each keystroke re-arranged the lesson around the box. The
    box's own size never depends on its text, so here the change only repaints.
    """

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)

    async def _on_key(self, event: events.Key) -> None:
        if re.fullmatch(r"f\d+", event.key):
            # a function key is the screen's (next step, a hint…): Input would wake its cursor for it,
            # a repaint of its own just before the screen's, which then waits a frame for its turn
            event.prevent_default()

    def _watch_value(self, value: str) -> None:
        super()._watch_value(value)
        # The preview is drawn with the echo, in the same frame: waiting for the Changed message
        # painted the echo first and the "interpreted as" line a frame or two later.
        box = self.parent
        if isinstance(box, AnswerBox) and box.is_mounted:
            box._show_preview(preview_text(box.exercise, value))


class AnswerBox(Vertical):
    """Where the learner types: each keystroke updates the preview; Enter posts `AnswerBox.Submitted`."""

    @dataclass
    class Submitted(Message):
        """The learner pressed Enter in the box."""

        answer: str

    @dataclass
    class Edited(Message):
        """The text in the box changed (typed, or set by the screen)."""

        answer: str

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.exercise = None
        self._preview_lines = -1  # lines the preview takes now (-1: not drawn yet)

    def compose(self) -> ComposeResult:
        yield AnswerInput(placeholder="type your answer; Enter checks", id="answer-input")
        yield Static("", id="answer-preview")

    @property
    def input(self) -> Input:
        return self.query_one("#answer-input", Input)

    @property
    def value(self) -> str:
        return self.input.value

    def set_exercise(self, exercise, answer: str = "") -> None:
        """Show a new exercise's box: empty (or holding `answer`), with the placeholder for its kind."""
        self.exercise = exercise
        box = self.input
        box.placeholder = PLACEHOLDER.get(getattr(exercise, "kind", ""), "type your answer; Enter checks")
        box.value = answer
        self._show_preview(preview_text(exercise, answer))

    def said_below(self, warnings) -> None:
        """The verdict under the box repeats these warnings: the preview leaves them out until the
        answer is edited."""
        self._show_preview(preview_text(self.exercise, self.input.value, frozenset(warnings)))

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()  # the preview is already drawn (AnswerInput._watch_value)
        self.post_message(self.Edited(event.value))

    def _show_preview(self, text: Text) -> None:
        """Put `text` under the box. A new layout of the whole screen costs more than the rest of a
        keystroke: ask for one only when the preview takes a different number of lines."""
        preview = self.query_one("#answer-preview", Static)
        width = max(preview.content_size.width, 1)
        plain = text.plain
        if not plain:
            lines = 0
        elif "\n" not in plain and cell_len(plain) <= width:
            lines = 1  # the usual case, a line that fits: no need to wrap it to count its lines
        else:
            lines = len(text.wrap(self.app.console, width))
        preview.update(text, layout=lines != self._preview_lines)
        self._preview_lines = lines

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Submitted(event.value))
