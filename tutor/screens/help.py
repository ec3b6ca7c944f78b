"""Help: the keys, how to type formulas, and the notation legend; ↑ ↓ scroll, ← → change page."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Tab, Tabs

from tutor.keys import ANOTHER_KEY, BACK_KEY, GRADCHECK_KEY, HELP_KEY, HINT_KEY, NEXT_KEY, SOLUTION_KEY, THEME_KEY
from tutor.widgets.keys_bar import KeysBar
from tutor.widgets.step_page import Part, StepPage
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


#: The pages of help: their ids, tab labels, and the reference page of the curriculum each shows (None:
#: the keys above), with what to say while the curriculum has not loaded.
PAGES = (("help-keys", "Keys", None, ""),
         ("help-typing", "Typing formulas", "typing", "The typing guide is not available yet."),
         ("help-legend", "Notation", "legend", "The notation legend is not available yet."))


class HelpScreen(Screen[None]):
    """Three pages: keys, typing, notation. The arrow keys scroll and turn pages without Tab first.

    The app keeps one help screen and shows it again: each page is one part of a StepPage, laid out
    once per width, so F1 and a change of page only paint (built from Markdown widgets, the notation
    page alone was hundreds of widgets and F1 took half a second).
    """

    BINDINGS = [
        Binding("escape,f1", "close", "Close help"),
        Binding("left", "page(-1)", "Page", show=False, priority=True),
        Binding("right", "page(1)", "Page", show=False, priority=True),
        Binding("up", "scroll(-1)", "Scroll", show=False, priority=True),
        Binding("down", "scroll(1)", "Scroll", show=False, priority=True),
        Binding("pageup", "scroll(-10)", "Page up", show=False, priority=True),
        Binding("pagedown", "scroll(10)", "Page down", show=False, priority=True),
        Binding("home", "to_end(False)", "Top", show=False, priority=True),
        Binding("end", "to_end(True)", "Bottom", show=False, priority=True),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.tops: dict[str, int] = {}  # where each page was scrolled to, kept while another is read
        self.shown_page = ""

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Tabs(*(Tab(label, id=pid) for pid, label, _, _ in PAGES), id="help-tabs")
        yield StepPage(id="help-page")
        yield KeysBar()

    def on_mount(self) -> None:
        self.sub_title = "Help"

    def on_screen_resume(self) -> None:
        if self.shown_page:  # shown again: a page that waited for the curriculum may have it now
            self.show_page(self.shown_page)

    def on_tabs_tab_activated(self, event: Tabs.TabActivated) -> None:
        if event.tab is not None and event.tab.id:
            self.show_page(event.tab.id)

    def page_text(self, page_id: str) -> str:
        """The Markdown of a page: the keys, or a reference page of the curriculum."""
        _, _, name, absent = next(p for p in PAGES if p[0] == page_id)
        if name is None:
            return KEYS
        pages = self.app.curriculum.pages if self.app.curriculum is not None else {}
        return pages.get(name, absent)

    def show_page(self, page_id: str) -> None:
        """Show a page where it was last left (read afresh: the curriculum may have loaded since)."""
        page = self._page()
        if self.shown_page:
            self.tops[self.shown_page] = page.top
        self.shown_page = page_id
        page.show([Part(page_id, markdown=self.page_text(page_id), indent=1)])
        page.scroll_page_to(self.tops.get(page_id, 0))

    def _page(self) -> StepPage:
        return self.query_one("#help-page", StepPage)

    def action_scroll(self, lines: int) -> None:
        """Scroll the page on show, wherever the focus is."""
        self._page().scroll_lines(lines)

    def action_to_end(self, bottom: bool) -> None:
        """Home and End: the top or the bottom of the page."""
        page = self._page()
        page.to_bottom() if bottom else page.to_top()

    def action_page(self, step: int) -> None:
        """Show the previous or next page."""
        tabs = self.query_one("#help-tabs", Tabs)
        ids = [p[0] for p in PAGES]
        tabs.active = ids[(ids.index(tabs.active) + step) % len(ids)] if tabs.active in ids else ids[0]

    def action_close(self) -> None:
        self.app.pop_screen()
