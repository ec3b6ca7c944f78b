"""A character canvas for the pictures: text and lines placed by cell, and a braille plot for curves."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text

_BRAILLE_BITS = ((0x01, 0x08), (0x02, 0x10), (0x04, 0x20), (0x40, 0x80))  # [row][col] within a 2×4 cell


class Canvas:
    """A grid of characters, each with a style; later drawing wins."""

    def __init__(self, width: int, height: int) -> None:
        self.width, self.height = width, height
        self.chars = [[" "] * width for _ in range(height)]
        self.styles: list[list[Style | str | None]] = [[None] * width for _ in range(height)]

    def put(self, x: int, y: int, text: str, style: Style | str | None = None) -> None:
        """Write text starting at column x of row y (clipped at the edges)."""
        if not 0 <= y < self.height:
            return
        for i, ch in enumerate(text):
            if 0 <= x + i < self.width:
                self.chars[y][x + i] = ch
                self.styles[y][x + i] = style

    def line(self, x0: int, y0: int, x1: int, y1: int, style: Style | str | None = None) -> None:
        """A thin line from the middle of cell (x0, y0) to the middle of cell (x1, y1), in braille dots."""
        plot = BraillePlot(self.width, self.height)
        px0, py0, px1, py1 = 2 * x0, 4 * y0 + 1, 2 * x1 + 1, 4 * y1 + 1
        steps = max(abs(px1 - px0), abs(py1 - py0), 1)
        for i in range(steps + 1):
            plot.point(round(px0 + (px1 - px0) * i / steps), round(py0 + (py1 - py0) * i / steps), style)
        for row in range(self.height):
            for col in range(self.width):
                bits = plot.bits[row][col]
                if bits:
                    old = self.chars[row][col]
                    if "\u2800" <= old <= "\u28ff":  # crossing lines share the cell
                        bits |= ord(old) - 0x2800
                        style = style if plot.styles[row][col] != "dim" else self.styles[row][col]
                    self.put(col, row, chr(0x2800 + bits), plot.styles[row][col] if style is None else style)

    def text(self) -> Text:
        """The canvas as rich Text, one line per row, trailing spaces kept."""
        out = Text()
        for y in range(self.height):
            if y:
                out.append("\n")
            row, styles = self.chars[y], self.styles[y]
            run, run_style = "", None
            for ch, st in zip(row, styles):
                if st != run_style and run:
                    out.append(run, style=run_style or "")
                    run = ""
                run_style = st
                run += ch
            if run:
                out.append(run, style=run_style or "")
        return out


class BraillePlot:
    """Points plotted at 2×4 sub-cell resolution; each cell takes the style of the last series drawn in it."""

    def __init__(self, width: int, height: int) -> None:
        self.width, self.height = width, height
        self.bits = [[0] * width for _ in range(height)]
        self.styles: list[list[Style | str | None]] = [[None] * width for _ in range(height)]

    def point(self, px: int, py: int, style: Style | str | None = None) -> None:
        """Set the dot at pixel (px, py); pixel rows count down from the top."""
        cx, cy = px // 2, py // 4
        if 0 <= cx < self.width and 0 <= cy < self.height and px >= 0 and py >= 0:
            self.bits[cy][cx] |= _BRAILLE_BITS[py % 4][px % 2]
            self.styles[cy][cx] = style

    def draw_onto(self, canvas: Canvas, x: int, y: int) -> None:
        """Copy the plotted cells onto a canvas at (x, y), leaving empty cells untouched."""
        for row in range(self.height):
            for col in range(self.width):
                if self.bits[row][col]:
                    canvas.put(x + col, y + row, chr(0x2800 + self.bits[row][col]), self.styles[row][col])
