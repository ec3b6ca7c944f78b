"""Text from files and command lines made safe to print: control and format characters shown as escapes."""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any

#: Categories never printed as they are: controls (ESC starts terminal commands), format characters
#: (bidirectional overrides, zero-width), surrogates, private use, and the line/paragraph separators.
UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Zl", "Zp"})
#: What a cut echo ends with.
ELLIPSIS = "…"

# The characters json.dumps(ensure_ascii=False) leaves raw that a terminal may act on or hide.
_JSON_UNSAFE = re.compile("[\u007f-\u009f\u00ad\u061c\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb"
                          "\ud800-\udfff\ue000-\uf8ff]")


def is_unsafe(ch: str) -> bool:
    """Whether one character must not reach a terminal as it is."""
    return unicodedata.category(ch) in UNSAFE_CATEGORIES


def _escape(ch: str) -> str:
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else (f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")


def printable(text: Any, limit: int | None = None) -> str:
    """`text` with every unsafe character written as an escape (ESC becomes the four characters \\x1b),
    cut to at most `limit` characters (before escaping) with an ellipsis."""
    text = str(text)
    cut = limit is not None and len(text) > limit
    if cut:
        text = text[: max(0, limit - 1)]
    if any(is_unsafe(ch) for ch in text):
        text = "".join(_escape(ch) if is_unsafe(ch) else ch for ch in text)
    return text + ELLIPSIS if cut else text


def printable_lines(text: str) -> str:
    """Several lines made printable one by one: the newlines stay, every other unsafe character is escaped."""
    return "\n".join(printable(line) for line in str(text).split("\n"))


def json_text(value: Any, **kwargs: Any) -> str:
    """json.dumps(value, ensure_ascii=False, **kwargs), with characters a terminal would act on as \\u escapes.

    json.dumps already escapes U+0000–U+001F; this adds DEL, the C1 controls and invisible format
    characters, which are only ever inside strings, so the result is the same JSON value.
    """
    out = json.dumps(value, ensure_ascii=False, **kwargs)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", out)
