"""Fitting lesson text to the terminal: display formulas broken at sensible places, worked solutions kept line by line."""

from __future__ import annotations

import re

from rich.cells import cell_len

_COLUMN_GAP = re.compile(r"(?<=\S) {3,}(?=\S)")
# Where a formula may be broken, best first: between the sides of an equation or the stages of a chain,
# then between terms, then between factors. The operator starts the continuation line.
_BREAKS = (("→", "⇒"), ("=", "≈"), ("+", "−", "-"), ("·", "⊙", "×"))
_OPEN, _CLOSE = "([{", ")]}"
CONTINUATION = 4


def fits(text: str, width: int) -> bool:
    """Whether every line of `text` is at most `width` cells wide."""
    return all(cell_len(line) <= width for line in text.split("\n"))


def fit_display(code: str, width: int) -> str:
    """Lay out a display block (formulas, one per line, columns separated by three or more spaces) in `width` cells.

    A block that fits is left exactly as written, alignment and all. Otherwise each line is split at
    its column gaps (an equation beside another goes below it; a remark after a formula goes on its
    own line, indented), and a piece still too wide is broken before an operator outside brackets:
    first before "=" or "→", then before "+" or "−", then before "·". Continuation lines are
    indented under the first "=" when there is room, otherwise by a few cells. Only a run of symbols
    with no break at all is cut, and then at the width, so nothing is ever lost off the edge.
    """
    width = max(width, 12)
    if fits(code, width):
        return code
    out: list[str] = []
    moved: dict[int, int] = {}  # a column of the block as written -> the indent it has now
    for line in code.split("\n"):
        if not line.strip():
            out.append("")
            continue
        indent = len(line) - len(line.lstrip(" "))
        starts = [indent] + [m.end() for m in _COLUMN_GAP.finditer(line, indent)]
        pieces = _COLUMN_GAP.split(line.strip())
        indent = moved.get(indent, indent)
        if width - indent < 24:
            indent = min(indent, CONTINUATION)
        for n, (column, piece) in enumerate(zip(starts, pieces)):
            own = indent
            if n and not (_is_equation(pieces[0]) and _is_equation(piece)):
                own = indent + CONTINUATION  # a remark on the formula, or the rows under a label
            moved.setdefault(column, own)
            out.extend(_break(piece, own, width))
    return "\n".join(out)


def _is_equation(piece: str) -> bool:
    """A formula (not a label ending in ':' and not a remark in words, such as 'the a_i cancel')."""
    return (any(op in piece for op in ("=", "→", "≈")) and not piece.rstrip().endswith(":")
            and not _PROSE.match(piece))


_PROSE = re.compile(r"\(?(?:the|a|an|every|each|split|here|so|this|that|[A-Za-z]{3,})\s+[A-Za-z]{2,}\b")


def _break(text: str, indent: int, width: int, first_level: int = 0) -> list[str]:
    """`text` at `indent`, broken before top-level operators until every line fits.

    The coarsest kind of break that makes every line fit wins; when none does on its own, the coarsest
    that applies is used and its pieces are broken further with the finer kinds.
    """
    if indent + cell_len(text) <= width:
        return [" " * indent + text]
    fallback = None
    for level in range(first_level, len(_BREAKS)):
        cuts = _cuts(text, _BREAKS[level])
        if not cuts:
            continue
        hang = _hang(text, indent, width, cuts[0] if level == 0 else None)
        pieces = _greedy(text, cuts, indent, hang, width)
        if all(i + cell_len(p) <= width for i, p in pieces):
            return [" " * i + p for i, p in pieces]
        if fallback is None:
            fallback = (level, pieces)
    if fallback is None:
        return _hard(text, indent, width)
    level, pieces = fallback
    return [line for i, p in pieces for line in _break(p, i, width, level + 1)]


def _greedy(text: str, cuts: list[int], indent: int, hang: int, width: int) -> list[tuple[int, str]]:
    """Pieces of `text` cut at `cuts`, as many to a line as fit: (indent, piece) per line."""
    pieces, start = [], 0
    while start < len(text):
        own = indent if not pieces else hang
        room = width - own
        later = [c for c in cuts if c > start]
        if cell_len(text[start:]) <= room or not later:
            pieces.append((own, text[start:]))
            break
        fitting = [c for c in later if cell_len(text[start:c].rstrip()) <= room]
        cut = fitting[-1] if fitting else later[0]
        pieces.append((own, text[start:cut].rstrip()))
        start = cut
    return pieces


def _cuts(text: str, ops: tuple[str, ...]) -> list[int]:
    """Positions just before each operator in `ops` that stands between spaces, outside brackets."""
    depth, cuts = 0, []
    for i, ch in enumerate(text):
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        elif depth == 0 and ch in ops and i > 0 and text[i - 1] == " " and text[i + 1:i + 2] == " ":
            cuts.append(i)
    return cuts


def _hang(text: str, indent: int, width: int, at: int | None = None) -> int:
    """The indent of continuation lines: under the first arrow (`at`) or the first '=' when that leaves
    room, else a few cells in."""
    at = text.find(" = ") + 1 if at is None else at
    if 0 < at and width - (indent + at) >= min(24, width // 2):
        return indent + at
    return indent + CONTINUATION


def _hard(text: str, indent: int, width: int) -> list[str]:
    """Last resort: cut at spaces, or inside a word only when it is longer than a line, marking the cut."""
    room = max(4, width - indent)
    lines: list[str] = []
    while cell_len(text) > room:
        space = text.rfind(" ", 0, room)
        if space > room // 3:
            lines.append(" " * indent + text[:space])
            text = text[space + 1:]
        else:
            lines.append(" " * indent + text[:room - 1] + "↩")
            text = text[room - 1:]
    lines.append(" " * indent + text)
    return lines


_BLOCK_START = re.compile(r"^( {4}|\t|```|~~~|#|>|\||[-*+] |\d+[.)] )")


def keep_line_breaks(markdown: str) -> str:
    """Markdown in which each line of a paragraph stays a line of its own (a hard break), as worked
    solutions are written: one step of the working per line. Code, tables, lists and headings are left alone."""
    lines = markdown.split("\n")
    out = []
    fence = False
    for i, line in enumerate(lines):
        if line.lstrip().startswith(("```", "~~~")):
            fence = not fence
        following = lines[i + 1] if i + 1 < len(lines) else ""
        if (not fence and line.strip() and following.strip() and not _BLOCK_START.match(line)
                and not _BLOCK_START.match(following) and not line.endswith("  ")):
            line += "  "
        out.append(line)
    return "\n".join(out)
