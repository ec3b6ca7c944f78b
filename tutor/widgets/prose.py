"""Markdown for lesson text: code blocks are the plain text they are, and one parser serves every update."""

from __future__ import annotations

from textual.widgets import Markdown
from textual.widgets._markdown import MarkdownFence


class PlainFence(MarkdownFence):
    """A code block without a language is plain text.

    Textual otherwise guesses the language of such a block by asking every Pygments lexer in turn:
    the first guess imports all of them (some 17 MiB and most of a second), and each later one
    still runs hundreds of them, for text that is a worked derivation, not code.
    """

    @classmethod
    def highlight(cls, code: str, language: str, ansi: bool = False, dark: bool = False):
        return super().highlight(code, language or "text", ansi=ansi, dark=dark)


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
    """Markdown whose code blocks are plain text (see PlainFence), parsed by one shared parser."""

    BLOCKS = {**Markdown.BLOCKS, "fence": PlainFence, "code_block": PlainFence}

    def __init__(self, markdown: str | None = None, **kwargs) -> None:
        kwargs.setdefault("parser_factory", _parser)
        super().__init__(markdown, **kwargs)
