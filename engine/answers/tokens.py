"""Tokenizer for learner answers: Unicode forms, superscripts, caps on length and numbers."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

MAX_LENGTH = 300        # characters in one answer
MAX_TOKENS = 200
MAX_DIGITS = 30         # digits in one number literal
MAX_DECIMAL_EXPONENT = 400  # |n| in 1e<n>; anything that overflows a float is refused too


class AnswerSyntaxError(ValueError):
    """An answer that cannot be read; `pos` is the 1-based character position, or None."""

    def __init__(self, message: str, pos: int | None = None):
        super().__init__(message)
        self.message = message
        self.pos = pos


@dataclass(frozen=True, slots=True)
class Token:
    """kind is "num", "name", "op" or "end"; pos is 1-based in the original text."""

    kind: str
    text: str
    pos: int
    value: float = 0.0
    greek: bool = False  # a name written as a single Greek letter (σ, Σ, δ, η, π)


# Handled before any NFKC normalisation, which would turn 2⁴ into 24.
SUPERSCRIPTS = {
    "⁰": "0", "¹": "1", "²": "2", "³": "3", "⁴": "4", "⁵": "5", "⁶": "6",
    "⁷": "7", "⁸": "8", "⁹": "9", "⁻": "-", "⁺": "+", "ˣ": "x",
}
SUBSCRIPTS = {
    "₀": "0", "₁": "1", "₂": "2", "₃": "3", "₄": "4", "₅": "5", "₆": "6",
    "₇": "7", "₈": "8", "₉": "9", "ᵢ": "i", "ⱼ": "j", "ₖ": "k", "ₕ": "h", "ₒ": "o",
}
GREEK = {"σ": "sigmoid", "Σ": "sum", "∑": "sum", "δ": "delta", "η": "eta", "π": "pi", "√": "sqrt"}
OPERATOR_FORMS = {
    "−": "-", "–": "-", "‐": "-", "‑": "-", "·": "*", "×": "*", "⋅": "*", "∙": "*", "•": "*",
    "÷": "/", "⁄": "/", "∕": "/", "′": "'", "’": "'", "ʹ": "'", "‘": "'",
}
OPS = set("+-*/^()'")
# A run of superscripts is one exponent: _normalise brackets it with these markers. Each is several
# characters long, while every other item _normalise produces is one character, so no text can be
# typed or pasted that reads as a marker.
SUP_OPEN, SUP_CLOSE = "<superscript>", "</superscript>"
#: Character categories refused anywhere in an answer: controls, invisible format characters
#: (zero-width spaces, bidirectional overrides), surrogates, private use and unassigned code points.
REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})


def _describe(ch: str) -> str:
    if ch.isprintable() and not ch.isspace():
        return f"'{ch}'"
    return f"character U+{ord(ch):04X}"


def _normalise(text: str) -> list[tuple[str, int]]:
    """Characters with their original 1-based positions; superscript/subscript runs made explicit."""
    out: list[tuple[str, int]] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch in SUPERSCRIPTS:
            j = i
            while j < n and text[j] in SUPERSCRIPTS:
                j += 1
            # a_k² becomes a_k^(2); the markers keep the run one exponent
            out.append((SUP_OPEN, i + 1))
            out.extend((SUPERSCRIPTS[c], i + 1 + k) for k, c in enumerate(text[i:j]))
            out.append((SUP_CLOSE, j))
            i = j
            continue
        if ch in SUBSCRIPTS:
            j = i
            while j < n and text[j] in SUBSCRIPTS:
                j += 1
            out.append(("_", i + 1))
            out.extend((SUBSCRIPTS[c], i + 1 + k) for k, c in enumerate(text[i:j]))
            i = j
            continue
        if ch in OPERATOR_FORMS or ch in GREEK:
            out.append((OPERATOR_FORMS.get(ch, ch), i + 1))
        else:
            for c in unicodedata.normalize("NFKC", ch):
                out.append((OPERATOR_FORMS.get(c, c), i + 1))
        i += 1
    return out


def _is_letter(c: str) -> bool:
    return ("a" <= c <= "z") or ("A" <= c <= "Z")


def _is_digit(c: str) -> bool:
    return "0" <= c <= "9"


def refuse_controls(text: str) -> None:
    """Raise AnswerSyntaxError at the first control or invisible character: nothing else reads such text."""
    for i, ch in enumerate(text):
        category = unicodedata.category(ch)
        if category in REFUSED_CATEGORIES:
            kind = "an invisible character" if category == "Cf" else "a control character"
            raise AnswerSyntaxError(
                f"{kind} (U+{ord(ch):04X}) at position {i + 1} is not allowed: retype the answer without it",
                i + 1)


def tokenize(text: str) -> list[Token]:
    """Split an answer into tokens, or raise AnswerSyntaxError with a position."""
    if len(text) > MAX_LENGTH:
        raise AnswerSyntaxError(f"the answer is too long ({len(text)} characters; at most {MAX_LENGTH})")
    refuse_controls(text)
    chars = _normalise(text)
    tokens: list[Token] = []
    i, n = 0, len(chars)

    def add(tok: Token) -> None:
        tokens.append(tok)
        if len(tokens) > MAX_TOKENS:
            raise AnswerSyntaxError(f"the answer is too long (more than {MAX_TOKENS} symbols and operators)")

    while i < n:
        c, pos = chars[i]
        if c.isspace():
            i += 1
        elif c == SUP_OPEN:
            add(Token("op", "^", pos))
            add(Token("op", "(", pos))
            i += 1
        elif c == SUP_CLOSE:
            add(Token("op", ")", pos))
            i += 1
        elif _is_digit(c) or (c == "." and i + 1 < n and _is_digit(chars[i + 1][0])):
            i = _number(chars, i, add)
        elif c == "*" and i + 1 < n and chars[i + 1][0] == "*":
            add(Token("op", "^", pos))
            i += 2
        elif c in OPS:
            add(Token("op", c, pos))
            i += 1
        elif c in GREEK:
            i = _name(chars, i + 1, GREEK[c], pos, add, greek=True)
        elif _is_letter(c):
            j = i
            while j < n and _is_letter(chars[j][0]):
                j += 1
            i = _name(chars, j, "".join(ch for ch, _ in chars[i:j]), pos, add)
        elif c == ",":
            raise AnswerSyntaxError(
                f"unexpected ',' at position {pos} (write decimals with a point, as in 0.5; "
                "functions take one argument)", pos)
        elif c == "=":
            raise AnswerSyntaxError(f"'=' is not needed (position {pos}): type only the formula it equals", pos)
        elif c in "∂𝜕":
            raise AnswerSyntaxError(
                f"'∂' at position {pos}: type what the derivative equals, not the derivative itself", pos)
        elif c == "_":
            raise AnswerSyntaxError(f"unexpected '_' at position {pos}: a subscript follows a name, as in a_j", pos)
        else:
            raise AnswerSyntaxError(f"{_describe(c)} is not allowed (position {pos})", pos)
    tokens.append(Token("end", "", (chars[-1][1] + 1) if chars else 1))
    return tokens


def _number(chars, i, add) -> int:
    n = len(chars)
    start_pos = chars[i][1]
    j = i
    while j < n and _is_digit(chars[j][0]):
        j += 1
    if j < n and chars[j][0] == ".":
        j += 1
        while j < n and _is_digit(chars[j][0]):
            j += 1
    mantissa = "".join(c for c, _ in chars[i:j])
    exponent = ""
    # 2e-3 is scientific notation, but 2e alone or 2e^x is 2·e
    if j < n and chars[j][0] in "eE":
        k = j + 1
        if k < n and chars[k][0] in "+-":
            k += 1
        if k < n and _is_digit(chars[k][0]):
            m = k
            while m < n and _is_digit(chars[m][0]):
                m += 1
            exponent = "".join(c for c, _ in chars[j + 1:m])
            j = m
    if sum(ch.isdigit() for ch in mantissa) > MAX_DIGITS:
        raise AnswerSyntaxError(f"the number at position {start_pos} has too many digits (at most {MAX_DIGITS})", start_pos)
    if exponent:
        digits = exponent.lstrip("+-").lstrip("0") or "0"
        if len(digits) > 3 or int(digits) > MAX_DECIMAL_EXPONENT:
            raise AnswerSyntaxError(
                f"the number at position {start_pos} is too large or too small "
                f"(exponents from e-{MAX_DECIMAL_EXPONENT} to e+308)", start_pos)
    text = mantissa + ("e" + exponent if exponent else "")
    if float(text) == float("inf"):
        raise AnswerSyntaxError(f"the number at position {start_pos} is too large", start_pos)
    if j < n and chars[j][0] == ".":
        raise AnswerSyntaxError(f"unexpected '.' at position {chars[j][1]}", chars[j][1])
    add(Token("num", text, start_pos, float(text)))
    return j


def _name(chars, j, base, pos, add, greek=False) -> int:
    """Finish a name whose base ends before index j: an optional subscript `_jk` or `_{jk}`."""
    n = len(chars)
    name = base
    if j < n and _is_digit(chars[j][0]):
        d = chars[j][1]
        raise AnswerSyntaxError(
            f"a digit right after the name {base} (position {d}): write {base}_{chars[j][0]} for a "
            f"subscript or {base}*{chars[j][0]} for a product", d)
    if j < n and chars[j][0] == "_":
        k = j + 1
        braced = k < n and chars[k][0] == "{"
        if braced:
            k += 1
        m = k
        while m < n and (_is_letter(chars[m][0]) or _is_digit(chars[m][0])):
            m += 1
        if m == k:
            p = chars[j][1]
            raise AnswerSyntaxError(f"a subscript is missing after '_' at position {p}", p)
        sub = "".join(c for c, _ in chars[k:m])
        if braced:
            if m >= n or chars[m][0] != "}":
                p = chars[m][1] if m < n else chars[-1][1]
                raise AnswerSyntaxError(f"missing '}}' to close the subscript at position {p}", p)
            m += 1
        name = f"{base}_{sub}"
        j = m
    add(Token("name", name, pos, greek=greek))
    return j
