"""A table of rows drawn line by line by one widget: a header that stays put, a cursor row, clicks on rows."""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len
from rich.segment import Segment
from rich.text import Text
from textual import events
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip


@dataclass(frozen=True)
class Column:
    """A column: its key, the heading shown, and a fixed width (None: as wide as its widest cell)."""

    key: str
    heading: str
    width: int | None = None


class CellTable(ScrollView, can_focus=False):
    """Rows of text cells under a fixed header, with one cursor row; each row has a key.

    One widget draws every line itself (no widget per cell, no styling per row), so putting a table
    of a few dozen rows on screen costs little more than one line of text per visible row. It does
    not take the focus: the screen moves the cursor, and a click on a row posts `RowClicked`.
    """

    COMPONENT_CLASSES = {"cell-table--header", "cell-table--cursor"}

    DEFAULT_CSS = """
    CellTable {
        background: $surface;
        color: $foreground;
        & > .cell-table--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        &:ansi > .cell-table--header {
            background: ansi_bright_blue;
            color: ansi_default;
        }
        & > .cell-table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
    }
    """

    #: Spaces on each side of a cell's text.
    PADDING = 1

    class RowClicked(Message):
        """A row was clicked: its index and key."""

        def __init__(self, table: "CellTable", row: int, key: str) -> None:
            super().__init__()
            self.table = table
            self.row = row
            self.key = key

        @property
        def control(self) -> "CellTable":
            return self.table

    def __init__(self, columns: list[Column] | tuple[Column, ...] = (), *, id: str | None = None,
                 classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.columns: tuple[Column, ...] = tuple(columns)
        self._keys: list[str] = []
        self._rows: dict[str, dict[str, Text]] = {}
        self._widths: list[int] = []
        self.cursor_row = 0
        #: the lines the table will most likely have, for scrolling to a row before it is laid out
        self.expected_height: int | None = None

    # --- contents ------------------------------------------------------------------------------

    def set_rows(self, rows: list[tuple[str, dict[str, str | Text]]], cursor: int = 0) -> None:
        """Replace every row: (key, {column key: text}) in order, with the cursor on row `cursor`."""
        self._keys = [key for key, _ in rows]
        self._rows = {key: {c.key: _text(cells.get(c.key, "")) for c in self.columns} for key, cells in rows}
        self.cursor_row = max(0, min(len(self._keys) - 1, cursor))
        self._measure()

    def get_cell(self, key: str, column: str) -> Text:
        """The text of one cell."""
        return self._rows[key][column]

    @property
    def row_count(self) -> int:
        return len(self._keys)

    def _measure(self) -> None:
        """Column widths from the cells, the virtual size from them, and a repaint."""
        pad = 2 * self.PADDING
        self._widths = [
            c.width if c.width is not None else max([cell_len(c.heading)] + [r[c.key].cell_len for r in self._rows.values()])
            for c in self.columns
        ]
        self.virtual_size = Size(sum(w + pad for w in self._widths), len(self._keys) + 1)
        self.refresh()

    # --- the cursor ----------------------------------------------------------------------------

    def move_cursor(self, row: int) -> None:
        """Put the cursor on a row and scroll it into view."""
        row = max(0, min(self.row_count - 1, row))
        if row != self.cursor_row:
            self.cursor_row = row
            self.refresh()
        self.scroll_to_row(row)

    def scroll_to_row(self, row: int) -> None:
        """Scroll the fewest lines that bring `row` into view under the header."""
        height = self.scrollable_content_region.height or self.expected_height or 0
        visible = max(1, height - 1)
        top = round(self.scroll_y)
        if row < top:
            self.scroll_to(y=row, animate=False, immediate=True)
        elif row >= top + visible:
            self.scroll_to(y=row - visible + 1, animate=False, immediate=True)

    def on_resize(self, event: events.Resize) -> None:
        self.scroll_to_row(self.cursor_row)

    # --- drawing -------------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        base = self.rich_style
        if y == 0:
            style = base + self.get_component_rich_style("cell-table--header")
            cells = [Text(c.heading) for c in self.columns]
        else:
            row = scroll_y + y - 1
            if row >= len(self._keys):
                return Strip.blank(width, base)
            style = base
            if row == self.cursor_row:
                style = base + self.get_component_rich_style("cell-table--cursor")
            values = self._rows[self._keys[row]]
            cells = [values[c.key] for c in self.columns]
        line = Text(end="")
        pad = " " * self.PADDING
        for text, cell_width in zip(cells, self._widths):
            cell = text.copy()
            cell.truncate(cell_width, overflow="ellipsis", pad=True)
            line.append(pad)
            line.append_text(cell)  # (a cell's own style becomes a span: Text.render draws only spans)
            line.append(pad)
        segments = Segment.apply_style(line.render(self.app.console), style)
        return Strip(segments).crop_extend(scroll_x, scroll_x + width, style)

    # --- the mouse -----------------------------------------------------------------------------

    def on_click(self, event: events.Click) -> None:
        row = round(self.scroll_y) + event.y - 1
        if event.y >= 1 and 0 <= row < self.row_count:
            event.stop()
            self.post_message(self.RowClicked(self, row, self._keys[row]))


def _text(value: str | Text) -> Text:
    return value if isinstance(value, Text) else Text(value)
