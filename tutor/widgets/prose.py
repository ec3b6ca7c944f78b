"""Markdown for lesson text: a code block is shown as the plain text it is, with no language guessed."""

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


class LessonMarkdown(Markdown):
    """Markdown whose code blocks are plain text (see PlainFence)."""

    BLOCKS = {**Markdown.BLOCKS, "fence": PlainFence, "code_block": PlainFence}
