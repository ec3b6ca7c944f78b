"""Markdown for lesson text: display formulas laid out for their width, plain code blocks, one shared parser."""

from __future__ import annotations

from textual import events
from textual.content import Content
from textual.css.query import NoMatches
from textual.widgets import Markdown
from textual.widgets._markdown import MarkdownFence

from tutor.layout import fit_display, keep_line_breaks


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


class LessonMarkdown(Markdown):
    """Markdown for lesson prose, worked solutions and help pages: code blocks are display formulas
    (see DisplayFormula), parsed by one shared parser."""

    BLOCKS = {**Markdown.BLOCKS, "fence": DisplayFormula, "code_block": DisplayFormula}

    def __init__(self, markdown: str | None = None, **kwargs) -> None:
        kwargs.setdefault("parser_factory", _parser)
        super().__init__(markdown, **kwargs)

    def show_solution(self, solution: str):
        """Show a worked solution, one line of working per line, as it was written."""
        return self.update(keep_line_breaks(solution))
