"""The worksheet screen: the whole pass of one network, cell by cell, marked as the learner fills it in."""

from __future__ import annotations

from typing import Callable

from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Horizontal, VerticalScroll
from textual.geometry import Size
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, Static

from tutor.keys import ANOTHER_KEY, GRADCHECK_KEY, HINT_KEY, key
from tutor.widgets.cell_table import CellTable, Column
from tutor.widgets.keys_bar import KeysBar
from tutor.widgets.network import network_picture
from tutor.widgets.text_lines import TextLines
from tutor.widgets.title_bar import TitleBar
from tutor.worksheet_session import WorksheetSession

#: From this width the picture stands beside the table instead of above it.
WIDE = 150
#: Lines of the screen outside the picture and the table, less the feedback's: header, title, answer line, footer.
FIXED_LINES = 4
#: The feedback's lines: at the fewest, most often, at the most.
FEEDBACK_LINES = (1, 2, 4)
#: The width of the column of the learner's answers (a longer one is shown cut, in full in the box).
YOURS = 14
RIGHT, WRONG, CARRIED = "green", "bold red", "yellow"


def mark(session: WorksheetSession, address: str) -> Text:
    """The mark of a cell in the table: right, wrong with the named mistake, or carried from earlier cells."""
    verdict = session.verdicts.get(address)
    if verdict is None:
        return Text("")
    ws = session.ws
    if verdict.correct:
        return Text("✓ right", style=RIGHT)
    if verdict.mistake:
        return Text("✗ " + ws.label(verdict.mistake, ws.cell(address).quantity), style=WRONG)
    if verdict.carried:
        return Text("≈ method right, carried from " + names(session, verdict.carried), style=CARRIED)
    return Text("✗ wrong", style=WRONG)


def heights(size: Size, feedback: int = FEEDBACK_LINES[1]) -> tuple[bool, int, int]:
    """Whether the picture stands beside the table on a screen of `size`, and the lines the picture's
    pane and the table each get when the feedback takes `feedback` lines: the fewer and the more of
    the two when the lines left are shared between them."""
    body = size.height - FIXED_LINES - feedback
    return (True, body, body) if size.width >= WIDE else (False, body // 2, (body + 1) // 2)


def names(session: WorksheetSession, addresses) -> str:
    labels = [session.ws.cell(a).label for a in addresses]
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]


class WorksheetScreen(Screen[None]):
    """Every cell of one forward and backward pass; `renew` (when given) makes a session on new numbers."""

    BINDINGS = [
        Binding("up", "move(-1)", "Move", key_display="↑↓"),
        Binding("down", "move(1)", "Move", show=False),
        Binding("pageup", "move(-8)", "Page up", show=False),
        Binding("pagedown", "move(8)", "Page down", show=False),
        key(HINT_KEY, "formula", "Formula"),
        key(ANOTHER_KEY, "renew", "New numbers"),
        key(GRADCHECK_KEY, "probe", "Probe"),
        Binding("f6", "summary", "Summary", key_display="F6"),
        Binding("escape", "leave", "Back"),
    ]
    #: The answer box has the focus from the start (nothing else is focused first and then blurred).
    AUTO_FOCUS = "#ws-input"

    def __init__(self, session: WorksheetSession, renew: Callable[[], WorksheetSession] | None = None) -> None:
        super().__init__()
        self.session = session
        self.renew = renew
        self.sub_title = session.origin.title
        self.row = 0
        #: what the pane shows instead of the picture ("summary", "probe"), until the learner moves on
        self.report: str | None = None
        self._picture_shows: tuple | None = None
        self._picture_text = Text()

    def compose(self) -> ComposeResult:
        # Everything the first frame shows is decided here, before the widgets are styled: the row,
        # the picture, the layout and which panes scroll. (Decided after mounting, each is a restyle
        # or a relayout, and the complete screen a frame or two later.)
        cells, answers = self.session.ws.cells, self.session.answers
        self.row = next((i for i, c in enumerate(cells) if c.address not in answers), 0)
        picture = self._drawn_picture()
        wide, pane_scrolls, table_scrolls = self._scrolls(self.app.size, picture.plain.count("\n") + 1)
        yield TitleBar()
        yield Static(id="ws-title")
        with Container(id="ws-body", classes="-wide" if wide else None):
            with VerticalScroll(id="ws-pane", classes="-scrolls" if pane_scrolls else None):
                yield TextLines(picture, id="ws-picture")
                report = Static(id="ws-report")
                report.display = False
                yield report
            table = CellTable(self._columns(), id="ws-table", classes="-scrolls" if table_scrolls else None)
            # the fewest lines it may get, so that the first frame shows the current row above the table's foot
            table.expected_height = heights(self.app.size, FEEDBACK_LINES[-1])[1]
            yield table
        with Horizontal(id="ws-entry"):
            yield Static(id="ws-cell")
            # compact as the style sheet draws it (Input's `compact` styles the box once more, before it is mounted)
            yield Input(id="ws-input", placeholder="a number, or arithmetic such as 0.25*0.6")
        with VerticalScroll(id="ws-feedback-pane"):
            yield Static(id="ws-feedback")
        yield KeysBar()

    def on_mount(self) -> None:
        self._fill_table()
        self.go(self.row)
        if self.session.complete:
            self.show_report("summary")

    def on_resize(self, event: events.Resize) -> None:
        wide, pane_scrolls, table_scrolls = self._scrolls(event.size, self.query_one("#ws-picture", TextLines).line_count)
        self.query_one("#ws-body").set_class(wide, "-wide")
        self.query_one("#ws-pane").set_class(pane_scrolls, "-scrolls")
        self.query_one("#ws-table").set_class(table_scrolls, "-scrolls")

    def _scrolls(self, size: Size, picture_lines: int) -> tuple[bool, bool, bool]:
        """Whether the picture stands beside the table, and whether the pane and the table will scroll
        (their scrollbars are then there from the first frame: Textual adds one only after laying the
        screen out, and then lays it out again)."""
        wide, height, _ = heights(size)
        return wide, picture_lines > height, len(self.session.ws.cells) + 1 > height

    # --- drawing -------------------------------------------------------------------------------

    def _columns(self) -> list[Column]:
        return [Column("cell", "cell", max(len(c.label) for c in self.session.ws.cells)),
                Column("yours", "yours", YOURS), Column("mark", "mark")]

    def _fill_table(self) -> None:
        table = self.query_one("#ws-table", CellTable)
        table.columns = tuple(self._columns())
        table.set_rows([(c.address, self._row(c.address)) for c in self.session.ws.cells])
        self._title()

    def _row(self, address: str) -> dict[str, str | Text]:
        return {"cell": self.session.ws.cell(address).label, "yours": self._yours(address),
                "mark": mark(self.session, address)}

    def _yours(self, address: str) -> str:
        text = self.session.answers.get(address, "")
        return text if len(text) <= YOURS else text[:YOURS - 1] + "…"

    def _refresh_rows(self) -> None:
        table = self.query_one("#ws-table", CellTable)
        table.set_rows([(c.address, self._row(c.address)) for c in self.session.ws.cells], cursor=self.row)
        self._title()

    def _title(self) -> None:
        s = self.session
        n = len(s.ws.cells)
        text = Text.assemble((f"{s.answered} of {n} cells answered", "bold"), ", ",
                             (f"{s.right} right", RIGHT if s.right else ""), ("  ·  type a number, Enter checks it", "dim"))
        if s.all_right:
            text.append("  ✓ the whole pass is right", style=RIGHT)
        self.query_one("#ws-title", Static).update(text)

    @property
    def cell(self):
        return self.session.ws.cells[self.row]

    def go(self, row: int, about: str | None = None) -> None:
        """Put the cursor on a cell: its answer in the box, its feedback below (or that of cell `about`),
        the picture on its unit."""
        cells = self.session.ws.cells
        self.row = max(0, min(len(cells) - 1, row))
        self.query_one("#ws-table", CellTable).move_cursor(self.row)
        c = self.cell
        self.query_one("#ws-cell", Static).update(Text(f"{c.label} = ", style="bold"))
        box = self.query_one("#ws-input", Input)
        box.value = self.session.answers.get(c.address, "")
        box.focus()
        self._say_cell(about or c.address)
        if self.report is None:
            self._picture()

    def _say_cell(self, address: str, lead: str = "") -> None:
        """The cell's verdict, or what it is worked from; `lead` first, on its own line (in the
        feedback line, not a toast over it)."""
        s = self.session
        c, verdict = s.ws.cell(address), s.verdicts.get(address)
        out = Text(f"{lead}\n", style="bold") if lead else Text()
        if verdict is None:
            out.append(f"{c.label}: not answered yet. ", style="bold")
            out.append_text(self._uses(address))
        else:
            out.append(f"{c.label}: ", style="bold")
            out.append_text(mark(s, address))
            if not verdict.correct:
                out.append(". " + verdict.feedback)
            typed = s.answers.get(address, "").strip()
            if verdict.interpreted and verdict.interpreted.replace("−", "-") != typed.replace("−", "-"):
                out.append(f"\nread as {verdict.interpreted}", style="dim")
        self.query_one("#ws-feedback", Static).update(out)

    def _uses(self, address: str) -> Text:
        """The numbers at hand for a cell: the givens, and the learner's own earlier numbers ("?" if not yet typed)."""
        uses = self.session.uses(address)
        if not uses:
            return Text("Type your number and press Enter; ↑↓ move between cells.", style="dim")
        out = Text("Numbers: ", style="dim")
        for i, (name, value, own) in enumerate(uses):
            if i:
                out.append(" · ", style="dim")
            out.append(f"{name} ")
            out.append("?" if value is None else value.replace("-", "−"), style="bold" if own else "")
        return out

    def _picture_of(self) -> tuple:
        """What the picture shows for the current cell: the unit whose paths are lit, the quantity
        asked for (none once answered), the learner's numbers."""
        from engine.network import unit_label

        s, c = self.session, self.cell
        answered = c.address in s.answers
        asked = None if answered else (c.name if c.kind in ("net", "a", "delta", "E", "grad_weights") else None)
        fan = unit_label(s.ws.spec.network.sizes, c.layer + 1, c.unit) if c.quantity == "hidden-delta" else None
        return s, fan, asked, tuple(s.picture_numbers().items())

    def _drawn_picture(self) -> Text:
        """The network picture for the current cell (drawn again only when what it shows has changed)."""
        shows = self._picture_of()
        if shows != self._picture_shows:
            s, fan, asked, numbers = shows
            spec = s.ws.spec
            try:
                self._picture_text = network_picture(spec.network, spec.input, spec.target, None, fan, asked,
                                                     dict(numbers), s.givens_notes())
            except Exception as exc:  # a picture that cannot be drawn must not take the worksheet down
                self._picture_text = Text(f"(the network picture could not be drawn: {exc})", style="dim")
            self._picture_shows = shows
        return self._picture_text

    def _picture(self) -> None:
        view = self.query_one("#ws-picture", TextLines)
        picture = self._drawn_picture()
        if view.render() is not picture:
            view.update(picture)
        if not view.display:
            view.display = True
            self.query_one("#ws-report", Static).display = False
        if self.query_one("#ws-pane").size.height:
            self.call_after_refresh(self._scroll_picture)  # once the new picture is laid out
        else:
            self._scroll_picture()

    def _picture_top(self) -> int:
        """The picture's line to show at the top of the pane: the current cell's unit, else E and the weights."""
        from engine.network import unit_label

        c = self.cell
        lines = self.query_one("#ws-picture", TextLines).render().plain.splitlines()
        target = None
        if c.layer is not None and c.unit is not None and c.kind in ("net", "a", "delta"):
            label = f" {unit_label(self.session.ws.spec.network.sizes, c.layer + 1, c.unit)} "
            target = next((i for i, line in enumerate(lines) if "┌" in line and label in line), None)
        elif c.kind != "E" and c.kind is not None:
            target = next((i for i, line in enumerate(lines) if line.startswith("E =")), None)
        if target is None:
            target = next((i for i, line in enumerate(lines) if line.startswith("E =")), 0)
        return max(0, target - 1)

    def _scroll_picture(self) -> None:
        """Keep the current cell's unit in sight when the picture is taller than its pane."""
        pane = self.query_one("#ws-pane", VerticalScroll)
        top = self._picture_top()
        if pane.size.height:
            pane.scroll_to(y=top, animate=False)
            return
        # Not laid out yet (the screen is opening): the first layout places the picture at this offset,
        # so the first frame shows it scrolled. Scrolling now would be cut to nothing (no size yet), and
        # scrolling after the first frame would paint the screen a second time. The offset is kept
        # within what the pane can scroll when it is as tall as it can be.
        most = self.query_one("#ws-picture", TextLines).line_count - heights(self.app.size, FEEDBACK_LINES[0])[2]
        top = max(0, min(top, most))
        pane.set_reactive(Widget.scroll_y, float(top))
        pane.set_reactive(Widget.scroll_target_y, float(top))
        pane.vertical_scrollbar.position = top

    # --- answering -----------------------------------------------------------------------------

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        text = event.value.strip()
        if not text:
            self._say_cell(self.cell.address, lead="Type a number first; F2 shows the cell's formula.")
            return
        address = self.cell.address
        verdict = self.session.grade(address, text)
        if verdict.error:
            self.query_one("#ws-feedback", Static).update(Text(f"{self.cell.label}: {verdict.feedback}", style="bold"))
            return
        self._refresh_rows()
        self.report = "summary" if self.session.complete else None
        self.go(self._next_row(self.row), about=address)  # the verdict just given stays in view until a move
        if self.report == "summary":
            self.show_report("summary")

    def _next_row(self, here: int) -> int:
        """After a check: the next unanswered cell below, else the next cell."""
        cells, answers = self.session.ws.cells, self.session.answers
        for i in range(here + 1, len(cells)):
            if cells[i].address not in answers:
                return i
        for i in range(0, here):
            if cells[i].address not in answers:
                return i
        return min(here + 1, len(cells) - 1)

    def on_cell_table_row_clicked(self, event: CellTable.RowClicked) -> None:
        self.report = None
        self.go(event.row)

    # --- actions -------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "renew":
            return self.renew is not None
        return True

    def action_move(self, by: int) -> None:
        self.report = None
        self.go(self.row + by)

    def action_formula(self) -> None:
        c = self.cell
        self.query_one("#ws-feedback", Static).update(Text.assemble(
            (f"{c.label}: ", "bold"), "the method is ", (c.formula, "bold"), "\n", self._uses(c.address)))

    def action_renew(self) -> None:
        if self.renew is None:
            return
        self.session = self.renew()
        self.report = None
        self._fill_table()
        self.go(0)
        self._say_cell(self.cell.address, lead="New numbers: a fresh network to work through.")

    def action_summary(self) -> None:
        self.show_report("summary")

    def action_probe(self) -> None:
        pane = self.query_one("#ws-report", Static)
        pane.update(Text("Nudging each weight and bias, recomputing E…", style="dim"))
        self._show_pane()
        self.report = "probe"
        self._run_probe(self.session)

    @work(thread=True, exclusive=True, group="probe")
    def _run_probe(self, session: WorksheetSession) -> None:
        rows = session.probe()
        self.app.call_from_thread(self._show_probe, session, rows)

    def _show_probe(self, session: WorksheetSession, rows) -> None:
        if session is not self.session or self.report != "probe":
            return
        from tutor.screens.worksheet_report import probe_text

        self.query_one("#ws-report", Static).update(probe_text(session, rows))
        self._show_pane()

    def show_report(self, which: str) -> None:
        from tutor.screens.worksheet_report import summary_text

        self.report = which
        self.query_one("#ws-report", Static).update(summary_text(self.session))
        self._show_pane()

    def _show_pane(self) -> None:
        self.query_one("#ws-picture").display = False
        self.query_one("#ws-report").display = True
        self.query_one("#ws-pane", VerticalScroll).scroll_home(animate=False)

    def action_leave(self) -> None:
        self.dismiss(None)
