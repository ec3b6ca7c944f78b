"""A step's Markdown laid out as lines of styled text for one width: headings, paragraphs, lists, quotes,
tables and display formulas, every line already broken so that it fits."""

from __future__ import annotations

from dataclasses import dataclass
import re
from functools import cached_property, lru_cache

from rich.cells import cell_len
from textual.content import Content

from tutor.layout import fit_display

#: The looks of Textual's Markdown widget, kept so that a step reads as it did.
HEADING = {1: "$markdown-h1-color $markdown-h1-text-style", 2: "$markdown-h2-color $markdown-h2-text-style",
           3: "$markdown-h3-color $markdown-h3-text-style", 4: "$markdown-h4-color $markdown-h4-text-style",
           5: "$markdown-h5-color $markdown-h5-text-style", 6: "$markdown-h6-color $markdown-h6-text-style"}
#: Blank lines above and below each kind of block; between two blocks the larger of the two counts.
MARGINS = {"heading": (2, 1), "heading3": (1, 1), "paragraph": (0, 1), "list": (0, 1), "quote": (1, 1),
           "table": (0, 1), "formula": (1, 1), "rule": (1, 1)}
INLINE = {"strong": "bold", "em": "italic", "s": "strike"}
CODE = "$text-warning on $warning 10%"
LINK = "underline $text-primary"
TABLE_LINE = "$foreground 20%"
TABLE_HEAD = "$primary"
QUOTE_BAR = "$text-primary 50%"
BULLET = "$text-primary"
QUOTE_BACK = "on $boost"
FORMULA_INDENT = 2
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Laid:
    """A document laid out for a width: its lines, and every character of its text as written (for
    checking that nothing was lost on the way to the screen)."""

    lines: tuple[Content, ...]
    source_text: str
    kinds: frozenset[str] = frozenset()  # the kinds of block in it ("formula", "table", …)

    @cached_property
    def content(self) -> Content:
        """The lines as one text."""
        return Content("\n").join(self.lines)


_PARSER = None


def _tree(markdown: str):
    global _PARSER
    from markdown_it import MarkdownIt
    from markdown_it.tree import SyntaxTreeNode

    if _PARSER is None:
        _PARSER = MarkdownIt("gfm-like")
    return SyntaxTreeNode(_PARSER.parse(markdown))


@lru_cache(maxsize=32)
def lay_out(markdown: str, width: int) -> Laid:
    """`markdown` as lines at most `width` cells wide (kept for the last few texts and widths asked)."""
    width = max(width, 12)
    source: list[str] = []
    blocks = _blocks(_tree(markdown).children, width, source)
    return Laid(tuple(_stack(blocks, outer=True)), "\n".join(source), frozenset(kind for kind, _ in blocks))


def _stack(blocks: list[tuple[str, list[Content]]], outer: bool = False) -> list[Content]:
    """Blocks one under another, the larger margin between each two (the outer edges keep theirs, as a
    document's do; inside a list item or a quote they are dropped)."""
    lines: list[Content] = []
    below = 0
    for n, (kind, block) in enumerate(blocks):
        top, bottom = MARGINS[kind]
        gap = max(below, top) if n else (top if outer else 0)
        lines.extend([Content()] * gap)
        lines.extend(block)
        below = bottom
    if outer and blocks:
        lines.extend([Content()] * below)
    return lines


def _blocks(nodes, width: int, source: list[str]) -> list[tuple[str, list[Content]]]:
    out = []
    for node in nodes:
        kind = node.type
        if kind == "heading":
            level = int(node.tag[1:])
            text = _inline(node.children[0], source) if node.children else Content()
            text = text.stylize(HEADING.get(level, "bold"))
            lines = text.wrap(width)
            if level == 1:
                lines = [line.pad_left((width - line.cell_length) // 2) for line in lines]  # centred
            out.append(("heading" if level <= 2 else "heading3", lines))
        elif kind == "paragraph":
            text = _inline(node.children[0], source) if node.children else Content()
            out.append(("paragraph", text.wrap(width)))
        elif kind in ("bullet_list", "ordered_list"):
            out.append(("list", _list(node, width, source)))
        elif kind == "blockquote":
            inner = _stack(_blocks(node.children, width - 3, source))
            bar = Content.styled("▌ ", QUOTE_BAR)
            out.append(("quote", [(bar + line.pad_right(width - 2 - line.cell_length)).stylize_before(QUOTE_BACK)
                                  for line in inner]))
        elif kind in ("code_block", "fence"):
            code = node.content.rstrip("\n")
            source.append(code)
            laid = fit_display(code, width - 2 * FORMULA_INDENT)
            out.append(("formula", [Content(" " * FORMULA_INDENT + line) for line in laid.split("\n")]))
        elif kind == "table":
            out.append(("table", _table(node, width, source)))
        elif kind == "hr":
            out.append(("rule", [Content.styled("─" * width, "$secondary")]))
        elif node.children:
            out.extend(_blocks(node.children, width, source))
        elif node.content:
            source.append(node.content)
            out.append(("paragraph", Content(node.content.rstrip("\n")).wrap(width)))
    return out


def _list(node, width: int, source: list[str]) -> list[Content]:
    """Each item under its bullet or number, its wrapped lines hanging under its first word."""
    items = [c for c in node.children if c.type == "list_item"]
    if node.type == "ordered_list":
        start = int(node.attrs.get("start", 1) or 1)
        marks = [f"{n}. " for n in range(start, start + len(items))]
        size = max(len(m) for m in marks) + 1
        marks = [m.rjust(size) for m in marks]
    else:
        marks = ["• "] * len(items)
        size = 2
    lines: list[Content] = []
    for mark, item in zip(marks, items):
        inner = _stack(_blocks(item.children, width - size, source)) or [Content()]
        lines.append(Content.styled(mark, BULLET) + inner[0])
        lines.extend(Content(" " * size) + line for line in inner[1:])
    return lines


def _inline(node, source: list[str]) -> Content:
    """An inline run as styled text: bold, italic, code, links; a soft break is a space."""
    parts: list[tuple[str, str]] = []

    def walk(n, style: str) -> None:
        for child in n.children:
            t = child.type
            if t == "text":  # runs of spaces are one space, as Markdown is read everywhere
                parts.append((_SPACES.sub(" ", child.content), style))
            elif t == "softbreak":
                parts.append((" ", style))
            elif t == "hardbreak":
                parts.append(("\n", style))
            elif t == "code_inline":
                parts.append((child.content, f"{style} {CODE}".strip()))
            elif t == "link":
                walk(child, f"{style} {LINK}".strip())
            elif t in INLINE:
                walk(child, f"{style} {INLINE[t]}".strip())
            elif child.children:
                walk(child, style)
            elif child.content:
                parts.append((child.content, style))

    walk(node, "")
    source.append("".join(text for text, _ in parts))
    return Content.assemble(*[(text, style) if style else text for text, style in parts])


def _table(node, width: int, source: list[str]) -> list[Content]:
    """A table drawn with thin lines: every cell padded by one, the columns sharing the width, a cell
    too long for its column wrapped inside it."""
    rows: list[list[Content]] = []
    for section in node.children:
        for tr in section.children:
            rows.append([_inline(cell.children[0], source) if cell.children else Content() for cell in tr.children])
    if not rows:
        return []
    columns = max(len(r) for r in rows)
    rows = [r + [Content()] * (columns - len(r)) for r in rows]
    room = width - (columns + 1) - 2 * columns  # less the lines and each cell's padding
    natural = [max(max((cell_len(line) for line in cell.plain.split("\n")), default=0) for cell in col) or 1
               for col in zip(*rows)]
    widths = _share(natural, max(room, columns))
    line = lambda left, mid, right: Content.styled(  # noqa: E731
        left + mid.join("─" * (w + 2) for w in widths) + right, TABLE_LINE)
    bar = Content.styled("│", TABLE_LINE)
    out = [line("┌", "┬", "┐")]
    for n, row in enumerate(rows):
        cells = [(cell.stylize(TABLE_HEAD) if n == 0 else cell).wrap(w) for cell, w in zip(row, widths)]
        for y in range(max(len(c) for c in cells)):
            text = bar
            for cell, w in zip(cells, widths):
                part = cell[y] if y < len(cell) else Content()
                text = text + " " + part.pad_right(w - part.cell_length) + " " + bar
            out.append(text)
        out.append(line("├", "┼", "┤") if n < len(rows) - 1 else line("└", "┴", "┘"))
    return out


def _share(natural: list[int], room: int) -> list[int]:
    """Column widths that fill `room`: each column its natural width, what is left over shared in
    proportion; when they do not fit, the widest columns give way first (never below 4 cells)."""
    total = sum(natural)
    if total <= room:
        widths = [n + (room - total) * n // total for n in natural]
        widths[widths.index(max(widths))] += room - sum(widths)
        return widths
    widths = list(natural)
    while sum(widths) > room:
        widest = max(range(len(widths)), key=widths.__getitem__)
        if widths[widest] <= 4:
            break
        widths[widest] -= 1
    return widths
