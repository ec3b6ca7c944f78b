"""Help: the keys, how to type formulas, and the notation legend."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, TabbedContent, TabPane

from tutor.widgets.lesson_text import LessonMarkdown

KEYS = """\
| Where | Key | Does |
|---|---|---|
| everywhere | **F1** | this help |
| everywhere | **Ctrl+P** | command palette: open any lesson, start a quiz, reset progress, switch theme |
| everywhere | **Ctrl+T** | dark / light theme |
| everywhere | **Ctrl+Q** | quit (progress is already saved) |
| home | **↑ ↓**, **Enter** | choose a lesson and open it |
| home | **c** | continue where you left off |
| home | **q** / **t** | quiz over every lesson / over the highlighted lesson |
| lesson | **Enter** | check your answer (after a right answer: next step) |
| lesson, quiz | **a**, **b**, … then **Enter** | on a multiple-choice question: pick that option (or click it) |
| lesson | **Ctrl+G** | a hint: one rung at a time, from a nudge to nearly the answer |
| lesson | **Ctrl+S** | the worked solution (asks once if you have not tried yet) |
| lesson | **Ctrl+R** | another one like this: the same question with new numbers |
| lesson | **Ctrl+N** / **Ctrl+B** | next / previous step (**n** / **b** when not typing) |
| lesson | **Ctrl+F** | on the gradient-check step: check your own gradients by finite differences |
| lesson, quiz | **Escape** | back to the home screen |
| quiz | **Enter** | check, then go on; **Ctrl+N** skips |

The mouse works too: click a lesson, a choice, or a key in the footer.
"""


class HelpScreen(Screen[None]):
    """Three tabs: keys, typing, notation."""

    BINDINGS = [Binding("escape,f1", "close", "Close help")]

    def compose(self) -> ComposeResult:
        pages = self.app.curriculum.pages if self.app.curriculum is not None else {}
        yield Header()
        with TabbedContent(id="help-tabs"):
            with TabPane("Keys", id="help-keys"):
                with VerticalScroll():
                    yield LessonMarkdown(KEYS)
            with TabPane("Typing formulas", id="help-typing"):
                with VerticalScroll():
                    yield LessonMarkdown(pages.get("typing", "The typing guide is not available."))
            with TabPane("Notation", id="help-legend"):
                with VerticalScroll():
                    yield LessonMarkdown(pages.get("legend", "The notation legend is not available."))
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.sub_title = "Help"

    def action_close(self) -> None:
        self.app.pop_screen()
