"""A widget that shows a Rich Text line by line, drawn by Rich: for big pictures that are redrawn often."""

from __future__ import annotations

from rich.segment import Segment
from rich.text import Text
from textual.geometry import Size
from textual.strip import Strip
from textual.widget import Widget


class TextLines(Widget):
    """Rich Text shown as it is, one screen line per line of the text, cut (not wrapped) at the width.

    A Static turns its Text into Textual content and styles every span of it again on each drawing;
    a picture of boxes and lines drawn with a few dozen styled spans cost more that way than all the
    rest of its screen. Here the text is rendered by Rich into segments once per width and kept.
    """

    DEFAULT_CSS = """
    TextLines {
        height: auto;
    }
    """

    def __init__(self, text: Text | None = None, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._text = text or Text()
        self._lines: list[list[Segment]] | None = None
        self._strips: dict[tuple, list[Strip]] = {}

    def update(self, text: Text) -> None:
        """Show `text` instead."""
        self._text = text
        self._lines = None
        self._strips.clear()
        self.refresh(layout=True)

    def render(self) -> Text:
        """The text shown (its plain form is what a reader of the screen sees)."""
        return self._text

    @property
    def line_count(self) -> int:
        """How many lines the text takes."""
        return self._text.plain.count("\n") + 1

    def _segment_lines(self) -> list[list[Segment]]:
        if self._lines is None:
            whole = Text(end="").append_text(self._text)  # the text's own style as a span: render draws spans only
            segments = whole.render(self.app.console)
            self._lines = [list(line) for line in Segment.split_lines(segments)]
        return self._lines

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return max((Segment.get_line_length(line) for line in self._segment_lines()), default=0)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._segment_lines())

    def render_line(self, y: int) -> Strip:
        width, base = self.size.width, self.rich_style
        strips = self._strips.get((width, base))
        if strips is None:
            strips = [Strip(Segment.apply_style(line, base)).crop_extend(0, width, base)
                      for line in self._segment_lines()]
            self._strips = {(width, base): strips}
        return strips[y] if y < len(strips) else Strip.blank(width, base)
