"""Markdown for quiz reviews, the welcome and help pages: display formulas laid out for their width, one
shared parser (a lesson step's own text is drawn by StepPage, from prose_lines)."""

from __future__ import annotations

from textual import events
from textual.await_complete import AwaitComplete
from textual.content import Content
from textual.css.query import NoMatches
from textual.widgets import Markdown
from textual.widgets._markdown import MarkdownBlock, MarkdownFence

from tutor.layout import fit_display


class DisplayFormula(MarkdownFence):
    """An indented or fenced block of formulas, broken at operators when it is wider than its place."""

    DEFAULT_CSS = """
    DisplayFormula {
        margin: 1 0;
        & > Label {
            padding: 0 2;
        }
    }
    DisplayFormula:ansi > Label {
        padding: 0;
    }
    """

    def __init__(self, markdown: Markdown, token, code: str) -> None:
        super().__init__(markdown, token, code)
        self._laid_for: int | None = None
        # A document updated in place already has its width: lay the formula out for it now, so that
        # it is drawn broken at the right places the first time, not redrawn once its size is known.
        if markdown.size.width and getattr(token, "level", 1) == 0:
            self._laid_for = width = max(12, markdown.content_size.width - (0 if self.app.ansi_color else 4))
            self._highlighted_code = Content(fit_display(self.code, width))

    @classmethod
    def highlight(cls, code: str, language: str, ansi: bool = False, dark: bool = False) -> Content:
        # A code block is plain text: formulas and worked derivations, not a programming language.
        # Textual would otherwise guess a language for an unlabelled block by asking every Pygments
        # lexer in turn (the first guess imports all of them: some 17 MiB and most of a second).
        return Content(code)

    @property
    def allow_horizontal_scroll(self) -> bool:
        return False  # everything fits, so a sideways scroll would only move the text away

    @property
    def text_width(self) -> int:
        """The cells a line of the formula may take: the block's width less the label's padding."""
        try:
            gutter = self.query_one("#code-content").styles.gutter.width
        except NoMatches:
            gutter = 4
        return max(12, self.size.width - gutter)

    @property
    def laid_out(self) -> str:
        """The formula as it is drawn now."""
        return fit_display(self.code, self.text_width) if self.size.width else self.code

    def on_resize(self, event: events.Resize) -> None:
        self._lay_out()

    def show_code(self, other: "DisplayFormula") -> None:
        """Take the formula of `other` (a block parsed from new text) in place of this one's."""
        self._copy_context(other)
        self._laid_for = None
        if self.size.width:
            self._lay_out()
        else:
            self.set_content(other._highlighted_code)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._laid_for = None
        self._lay_out()

    def _lay_out(self) -> None:
        width = self.text_width
        if not self.size.width or width == self._laid_for:
            return
        self._laid_for = width
        self.set_content(Content(fit_display(self.code, width)))


_PARSER = None


def _parser():
    """One parser for every update: Textual otherwise builds a new one (and its link finder's
    regular expressions) each time a step's text changes. Parsing keeps no state between documents."""
    global _PARSER
    if _PARSER is None:
        from markdown_it import MarkdownIt

        _PARSER = MarkdownIt("gfm-like")
    return _PARSER


def _same_leaf(here: MarkdownBlock, new: MarkdownBlock) -> bool:
    """Whether block `here` can take `new`'s content where it stands: the same kind of block, made of
    text alone (a list or a table is made of further blocks, and is mounted anew)."""
    if type(here) is not type(new) or new._blocks or here.classes != new.classes:
        return False
    return isinstance(here, DisplayFormula) or not here.children


class LessonMarkdown(Markdown):
    """Markdown for lesson prose, worked solutions and help pages: code blocks are display formulas
    (see DisplayFormula), parsed by one shared parser."""

    BLOCKS = {**Markdown.BLOCKS, "fence": DisplayFormula, "code_block": DisplayFormula}

    def __init__(self, markdown: str | None = None, **kwargs) -> None:
        kwargs.setdefault("parser_factory", _parser)
        super().__init__(markdown, **kwargs)

    def update(self, markdown: str) -> AwaitComplete:
        """Show new text, changing the blocks that are there in place and painting only once all of
        it is in place.

        Textual's Markdown removes every block and mounts new ones for each update (each new widget
        is styled, composed and laid out anew), after parsing in a thread, so the screen was painted
        in between: a new step's title over the old text, then the new text a frame later. Here the
        text is parsed at once, a block of the same kind as the one in its place (a paragraph, a
        heading, a formula) takes the new content where it stands, only the rest is remounted, and
        the screen is held back until that is done.
        """
        batch = self.app.batch_update()
        batch.__enter__()
        try:
            self._markdown = markdown
            self._table_of_contents = None
            blocks = list(self._parse_markdown(_parser().parse(markdown)))
        except BaseException:
            batch.__exit__(None, None, None)
            raise

        async def swap_then_paint() -> None:
            try:
                async with self.lock:
                    old = list(self.query_children(MarkdownBlock))
                    kept = 0
                    for here, new in zip(old, blocks):
                        if not _same_leaf(here, new):
                            break
                        here._copy_context(new)
                        here.source_range = new.source_range
                        if isinstance(here, DisplayFormula):
                            here.show_code(new)
                        else:
                            here.set_content(new._content)
                        kept += 1
                    if old[kept:]:
                        await self.remove_children(old[kept:])
                    if blocks[kept:]:
                        await self.mount_all(blocks[kept:])
            finally:
                batch.__exit__(None, None, None)

        return AwaitComplete(swap_then_paint())
