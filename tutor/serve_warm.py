"""Warming the classroom's session starter: parsed CSS shared by every app, and one rehearsal before any fork.

A classroom session spends most of its CPU before the first paint on work that comes out the same
every time: parsing the tutor's and Textual's CSS (twice: Textual parses again when the theme is
applied), and filling Textual's and Rich's caches (colours, styles, cell widths). The starter does
that once, in itself, so every forked session inherits the results in shared memory pages.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
import tempfile
import threading
from pathlib import Path

#: Parsed rule sets kept for reuse: one entry per CSS source and set of theme variables.
MAX_SHARED_SOURCES = 1024


_SHARED_RULES: dict[tuple, list] = {}
_VARIABLE_KEYS: dict[int, tuple[dict, frozenset]] = {}


def _variables_key(variables: dict[str, str]) -> frozenset:
    """The theme variables ($primary, ...) as part of a cache key: they are substituted while parsing.

    Textual hands the same dict to every parse until the theme changes, so its key is made once."""
    known = _VARIABLE_KEYS.get(id(variables))
    if known is not None and known[0] is variables:
        return known[1]
    key = frozenset(variables.items())
    if len(_VARIABLE_KEYS) >= 64:
        _VARIABLE_KEYS.clear()
    _VARIABLE_KEYS[id(variables)] = (variables, key)  # holding the dict keeps its id from being reused
    return key


def share_parsed_css() -> bool:
    """Let every Textual Stylesheet in this process reuse the rules an earlier one parsed from the same
    CSS with the same variables. False (and nothing changed) when Textual's Stylesheet has no parse step
    of the expected shape.

    Textual keeps such a cache per Stylesheet; an app parses into a fresh one at start and again when
    its theme is applied, so each session would parse everything twice. Parsed rules are read, never
    changed, after parsing (Textual's own cache already hands the same ones out again).
    """
    from textual.css.stylesheet import Stylesheet

    original = getattr(Stylesheet, "_parse_rules", None)
    if original is None or getattr(original, "_shared", False):
        return original is not None
    shared = _SHARED_RULES

    def _parse_rules(self, css, read_from, is_default_rules=False, tie_breaker=0, scope=""):
        key = (css, read_from, is_default_rules, tie_breaker, scope, _variables_key(self._variables))
        rules = shared.get(key)
        if rules is None:
            rules = original(self, css, read_from, is_default_rules, tie_breaker, scope)
            if len(shared) >= MAX_SHARED_SOURCES:
                shared.clear()
            shared[key] = rules
        return rules

    _parse_rules._shared = True
    Stylesheet._parse_rules = _parse_rules
    return True


def rehearse(size: tuple[int, int] = (80, 24)) -> None:
    """Run one classroom app to its first paint without a terminal (and without a class), then let it go.

    What is left behind is what a session would build anyway: imported modules, parsed CSS (with
    share_parsed_css), and Textual's and Rich's caches. RuntimeError if the app leaves a thread behind,
    since the starter must not fork with one.
    """
    from tutor.classroom_app import make_classroom_app

    with tempfile.TemporaryDirectory(prefix="backprop-tutor-rehearsal-") as folder:
        app = make_classroom_app(class_dir=Path(folder))

        async def run() -> None:
            async with app.run_test(size=size, tooltips=True, notifications=True) as pilot:
                await pilot.pause()

        with contextlib.redirect_stdout(sys.stderr):  # the starter's stdout says "ready" and nothing else
            asyncio.run(run())
        del app
    if threading.active_count() > 1:
        raise RuntimeError(f"the rehearsal left threads running: {threading.enumerate()}")
