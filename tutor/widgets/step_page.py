"""The body of a lesson step drawn by one widget: its picture, prose, hints to go on, worked solution and
check result, each a part laid out for the width, scrolled by the widget itself."""

from __future__ import annotations

from dataclasses import dataclass

from rich.segment import Segment
from textual import events
from textual.content import Content
from textual.geometry import Size
from textual.reactive import Reactive
from textual.strip import Strip
from textual.visual import Visual
from textual.widget import Widget

#: Columns left of the text, and the scrollbar's at the right (with one more beyond it), as the
#: scrolling container this widget replaces had them.
GUTTER, SCROLLBAR, RIGHT = 1, 2, 1
#: How far the text of a titled frame (a worked solution) stands in from its title.
TITLED = 2


@dataclass(frozen=True)
class Part:
    """One part of a step's page: `markdown` laid out for the width it has (see prose_lines), or a
    `body` drawn as it is, wrapped only where it is wider than its place; `frame` a component class
    for a rounded frame drawn round it, with `title` as its first line."""

    name: str
    markdown: str | None = None
    body: Content | None = None
    indent: int = 0
    above: int = 0
    below: int = 0
    frame: str | None = None
    title: str = ""
    title_style: str = "bold"

    @property
    def key(self) -> tuple:
        """What its drawing depends on, besides the width and the colours."""
        body = None if self.body is None else (self.body.plain, tuple(self.body.spans))
        return (self.name, self.markdown, body, self.indent, self.frame, self.title, self.title_style)


class StepPage(Widget):
    """A step's parts, one under the other, in one widget.

    A step change used to show and hide a dozen widgets in a scrolling container, and each change of
    what the container held laid out the whole screen again, twice. Here a new step gives this widget
    new parts: its size stays as it is, so the screen is only painted again, and the lines of each
    part are drawn once per width and kept (`prepare` draws a part expected next ahead of time).
    """

    ALLOW_SELECT = False
    # Its own scrolling: a change of size (the answer box shown or hidden below it) needs no second
    # layout of the screen for the virtual size Textual keeps.
    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False, repaint=False)
    COMPONENT_CLASSES = {"step-page--solution", "step-page--check", "step-page--thumb"}

    DEFAULT_CSS = """
    StepPage {
        height: 1fr;
        & > .step-page--solution { color: $secondary; }
        & > .step-page--check { color: $accent; }
        & > .step-page--thumb { background: $scrollbar; }
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.parts: tuple[Part, ...] = ()
        self.top = 0  # the page's first line on screen
        self._lines: list[Strip] | None = None
        self._drawn: dict[tuple, list[Strip]] = {}  # a part's lines, by (part, width, style)
        self._styles: tuple | None = None  # (base, thumb) while a frame is drawn
        self._lines_for: tuple | None = None  # the (width, style) `_lines` were drawn for
        self._wanted: str | None = None  # a part to scroll to once the page has a size

    # --- what is shown ---------------------------------------------------------------------------

    def show(self, parts: list[Part], keep_scroll: bool = False) -> None:
        """Show these parts instead, from the top (or where the page was, with `keep_scroll`)."""
        self.parts = tuple(p for p in parts if p is not None)
        self._lines = None
        self.top = self.top if keep_scroll else 0
        if not keep_scroll:
            self._wanted = None
        self._clamp()
        self.refresh()

    def part(self, name: str) -> Part | None:
        return next((p for p in self.parts if p.name == name), None)

    def shown(self, name: str) -> bool:
        return self.part(name) is not None

    def laid(self, part: Part):
        """A Markdown part as laid out for the width it has now (prose_lines.Laid), or None."""
        if part.markdown is None:
            return None
        from tutor.widgets.prose_lines import lay_out

        return lay_out(part.markdown, self.part_width(part))

    def given(self, part: Part) -> str:
        """Every character of a part as it was given, before it was laid out (what must be readable)."""
        laid = self.laid(part)
        text = laid.source_text if laid is not None else part.body.plain if part.body is not None else ""
        return f"{part.title}\n{text}" if part.title else text

    def drawn(self, part: Part) -> str:
        """The lines a part is drawn as, as plain text."""
        return "\n".join(strip.text for strip in self._part_lines(part))

    def text(self) -> str:
        """Every line of the page as plain text (what a reader could scroll through)."""
        return "\n".join(strip.text for strip in self._all_lines())

    @property
    def text_width(self) -> int:
        """The cells a line of the page may take."""
        return max(1, self.size.width - GUTTER - SCROLLBAR - RIGHT)

    def part_width(self, part: Part) -> int:
        """The cells a line of the part's text may take: inside its indent, its frame, and under a
        frame's title the text's own indent."""
        framed = part.frame is not None
        return max(1, self.text_width - 2 * part.indent - (4 if framed else 0) - (TITLED if framed and part.title else 0))

    def prepare(self, part: Part) -> None:
        """Draw a part that may be shown next, so that showing it only paints."""
        if self.size.width:
            self._part_lines(part)

    # --- scrolling -------------------------------------------------------------------------------

    @property
    def last_top(self) -> int:
        """The first line shown when the page is scrolled to its end."""
        return max(0, len(self._all_lines()) - self.size.height)

    def scroll_page_to(self, y: int) -> None:
        before = self.top
        self.top = y
        self._clamp()
        if self.top != before:
            self.refresh()

    def scroll_lines(self, lines: int) -> None:
        self.scroll_page_to(self.top + lines)

    def to_top(self) -> None:
        self.scroll_page_to(0)

    def to_bottom(self) -> None:
        self.scroll_page_to(self.last_top)

    def scroll_to_part(self, name: str) -> None:
        """Scroll the part called `name` into view (from its top, when it is not in view whole); before
        the page has a size, once it has one."""
        if not self.size.width or not self.size.height:
            self._wanted = name
            return
        self._wanted = None
        for part, start, end in self._spans():
            if part.name == name:
                if not (start >= self.top and end <= self.top + self.size.height):
                    self.scroll_page_to(start)
                return

    def _clamp(self) -> None:
        self.top = max(0, min(self.top, self.last_top) if self.size.height else self.top)

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        event.stop()
        self.scroll_lines(3)

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        event.stop()
        self.scroll_lines(-3)

    def on_resize(self, event: events.Resize) -> None:
        # the lines are drawn again for the new width at the paint that comes with the new size (see
        # _all_lines), which Textual makes before it sends this event: only a wanted part is left
        if self._wanted is not None:
            self.scroll_to_part(self._wanted)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._lines = None
        self._drawn.clear()

    # --- drawing ---------------------------------------------------------------------------------

    def _base(self):
        # working out the widget's style walks up the screen's tree: once a frame, not once a line
        return self._styles[0] if self._styles is not None else self.rich_style

    def _part_lines(self, part: Part) -> list[Strip]:
        width, base = self.text_width, self._base()
        key = (part.key, width, base)
        lines = self._drawn.get(key)
        if lines is not None:
            return lines
        framed = part.frame is not None
        width = self.part_width(part)
        laid = self.laid(part)
        body = laid.content if laid is not None else part.body if part.body is not None else Content("")
        strips = [s.crop_extend(0, width, base) for s in Visual.to_strips(self, body, width, None, self.visual_style)]
        inner = width
        if part.title:  # the title at the left, the text under it indented
            inner = width + (TITLED if framed else 0)
            title = Visual.to_strips(self, Content.styled(part.title, part.title_style), inner, None, self.visual_style)
            gap = Strip.blank(inner - width, base)
            strips = [s.crop_extend(0, inner, base) for s in title] + [Strip.join([gap, s]) for s in strips]
        pad = Strip([Segment(" " * part.indent, base)]) if part.indent else None
        if framed:
            edge = base + self.get_component_rich_style(part.frame)
            side = Strip([Segment("│ ", edge)])
            close = Strip([Segment(" │", edge)])
            top = Strip([Segment("╭" + "─" * (inner + 2) + "╮", edge)])
            bottom = Strip([Segment("╰" + "─" * (inner + 2) + "╯", edge)])
            strips = [top, *(Strip.join([side, s, close]) for s in strips), bottom]
        if pad is not None:
            strips = [Strip.join([pad, s]) for s in strips]
        if len(self._drawn) > 64:  # parts of steps long gone
            self._drawn.clear()
        self._drawn[key] = strips
        return strips

    def _spans(self) -> list[tuple[Part, int, int]]:
        """Each part and the lines it takes (start, end), margins between parts collapsed as CSS does."""
        spans, y, below = [], 0, 0
        for i, part in enumerate(self.parts):
            y += max(below, part.above) if i else part.above
            n = len(self._part_lines(part))
            spans.append((part, y, y + n))
            y, below = y + n, part.below
        return spans

    def _all_lines(self) -> list[Strip]:
        if self._lines is not None and self._lines_for != (self.text_width, self._base()):
            self._lines = None  # drawn for another width: the page was resized
        if self._lines is None:
            width, base = self.text_width, self._base()
            self._lines_for = (width, base)
            blank = Strip.blank(width, base)
            lines: list[Strip] = []
            for part, start, end in self._spans():
                lines.extend([blank] * (start - len(lines)))
                lines.extend(s.crop_extend(0, width, base) for s in self._part_lines(part))
            if self.parts and self.parts[-1].below:
                lines.extend([blank] * self.parts[-1].below)
            self._lines = lines
        return self._lines

    def render_lines(self, crop):
        self._styles = (self.rich_style, self.get_component_rich_style("step-page--thumb"))
        if self._wanted is not None and self.size.height:
            self.scroll_to_part(self._wanted)
        self._clamp()  # at this size: a page that grew since it was scrolled shows its last lines
        try:
            return super().render_lines(crop)
        finally:
            self._styles = None

    def render_line(self, y: int) -> Strip:
        base = self._base()
        lines = self._all_lines()
        row = self.top + y
        line = lines[row] if row < len(lines) else Strip.blank(self.text_width, base)
        return Strip.join([Strip.blank(GUTTER, base), line, self._scrollbar(y, len(lines)), Strip.blank(RIGHT, base)])

    def _scrollbar(self, y: int, total: int) -> Strip:
        """The scrollbar's cells on row y: a thumb where the view is, nothing when everything fits."""
        height, base = self.size.height, self._base()
        if total <= height or not height:
            return Strip.blank(SCROLLBAR, base)
        size = max(1, round(height * height / total))
        start = round(self.top * (height - size) / max(1, total - height))
        if start <= y < start + size:
            thumb = self._styles[1] if self._styles is not None else self.get_component_rich_style("step-page--thumb")
            return Strip([Segment(" " * SCROLLBAR, thumb)])
        return Strip.blank(SCROLLBAR, base)
