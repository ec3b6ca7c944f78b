"""Help: the keys, how to type formulas, and the notation legend; ↑ ↓ scroll, ← → change page."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import TabbedContent, TabPane

from tutor.keys import ANOTHER_KEY, BACK_KEY, GRADCHECK_KEY, HELP_KEY, HINT_KEY, NEXT_KEY, SOLUTION_KEY, THEME_KEY
from tutor.widgets.prose import LessonMarkdown
from tutor.widgets.keys_bar import KeysBar
from tutor.widgets.title_bar import TitleBar

KEYS = f"""\
Every key below works in a terminal, inside tmux, and in a browser. Where a Ctrl key is given as
well, it is a second key for terminals that pass it (tmux keeps Ctrl+B, browsers keep Ctrl+N and Ctrl+T).

### Everywhere

- **{HELP_KEY}**: this help (**↑ ↓** scroll it, **← →** change page, **Escape** closes it)
- **Ctrl+P**: the command palette: open any lesson, start a quiz, reset progress, switch theme
- **{THEME_KEY}** (or Ctrl+T): dark / light theme, remembered for next time
- **Ctrl+Q**: quit (progress is already saved)

### Home

- **↑ ↓** and **Enter**: choose a lesson and open it
- **c**: continue at the next unfinished step
- **a**: choose a quiz: tick its lessons (**Space**; **a** all, **b** the lessons begun), **Enter** starts it
- **t**: a quiz over the highlighted lesson; **d**: review the questions due first
- **p**: practice a whole forward and backward pass on a fresh network (the worksheet)
- **q**: quit, as in most terminal programs

### Lesson

- **Enter**: check your answer (after a right answer, or on a step with no question: next step)
- **a**, **b**, … then **Enter**: on a multiple-choice question, pick that option (or click it)
- **{HINT_KEY}** (or Ctrl+G): a hint, one rung at a time, from a nudge to nearly the answer
- **{SOLUTION_KEY}** (or Ctrl+S): the worked solution (it asks once if you have not tried yet)
- **{ANOTHER_KEY}** (or Ctrl+R): the same question with new numbers
- **{NEXT_KEY}** / **{BACK_KEY}** (or Ctrl+N / Ctrl+B): next / previous step, answered or not
- **{GRADCHECK_KEY}** (or Ctrl+F): on the gradient-check step, check your own gradients by finite differences
- **↑ ↓**, **Page Up**, **Page Down**: scroll the step while you type
- **Escape**: back to the home screen

### Worksheet (the whole pass: **p** on the home screen, or `backprop-tutor practice`)

- **↑ ↓**, **Page Up**, **Page Down**: choose a cell; type its number and press **Enter** to check it
- **{HINT_KEY}** (or Ctrl+G): the formula of the chosen cell
- **{ANOTHER_KEY}** (or Ctrl+R): a fresh network (not for a network from a file)
- **{GRADCHECK_KEY}** (or Ctrl+F): probe your own gradients by finite differences, right or wrong
- **F6**: the summary: which mistakes showed up, and where
- **Escape**: back

### Quiz

- **Enter**: check, then go on; **{NEXT_KEY}** (or Ctrl+N) skips a question
- **r**: at the end, ask the missed questions again on new numbers
- **Escape**: back to the home screen

The mouse works too: click a lesson, a choice, or a key in the footer.
"""


class HelpScreen(Screen[None]):
    """Three pages: keys, typing, notation. The arrow keys scroll and turn pages without Tab first."""

    BINDINGS = [
        Binding("escape,f1", "close", "Close help"),
        Binding("left", "page(-1)", "Page", show=False, priority=True),
        Binding("right", "page(1)", "Page", show=False, priority=True),
        Binding("up", "scroll(-1)", "Scroll", show=False, priority=True),
        Binding("down", "scroll(1)", "Scroll", show=False, priority=True),
        Binding("pageup", "scroll(-10)", "Page up", show=False, priority=True),
        Binding("pagedown", "scroll(10)", "Page down", show=False, priority=True),
    ]

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with TabbedContent(id="help-tabs"):
            with TabPane("Keys", id="help-keys"):
                with VerticalScroll():
                    yield LessonMarkdown(KEYS)
            # The other pages are long (the notation table alone is hundreds of widgets): each is
            # built when it is first shown, so that F1 paints the keys at once.
            with TabPane("Typing formulas", id="help-typing"):
                yield VerticalScroll()
            with TabPane("Notation", id="help-legend"):
                yield VerticalScroll()
        yield KeysBar()

    def on_mount(self) -> None:
        self.sub_title = "Help"

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        self._fill(event.pane.id)

    def _fill(self, pane_id: str | None) -> None:
        """Put a page's text in its pane the first time the page is shown."""
        missing = {"help-typing": ("typing", "The typing guide is not available."),
                   "help-legend": ("legend", "The notation legend is not available.")}
        if pane_id not in missing:
            return
        page = self.query_one(f"#{pane_id}", TabPane).query_one(VerticalScroll)
        if page.children:
            return
        pages = self.app.curriculum.pages if self.app.curriculum is not None else {}
        name, absent = missing[pane_id]
        page.mount(LessonMarkdown(pages.get(name, absent)))

    def _page(self) -> VerticalScroll:
        tabs = self.query_one("#help-tabs", TabbedContent)
        return tabs.get_pane(tabs.active).query_one(VerticalScroll)

    def action_scroll(self, lines: int) -> None:
        """Scroll the page on show, wherever the focus is."""
        page = self._page()
        page.scroll_to(y=page.scroll_y + lines, animate=False, immediate=True)  # keys pressed quickly add up

    def action_page(self, step: int) -> None:
        """Show the previous or next page."""
        tabs = self.query_one("#help-tabs", TabbedContent)
        ids = ["help-keys", "help-typing", "help-legend"]
        tabs.active = ids[(ids.index(tabs.active) + step) % len(ids)]

    def action_close(self) -> None:
        self.app.pop_screen()
