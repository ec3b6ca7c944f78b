"""The keys of the tutor, named once: the bindings, the footer, help, welcome and feedback all use these.

Every action has a function key that reaches the app inside tmux (where Ctrl+B is the prefix) and in
a browser (which keeps Ctrl+N, Ctrl+T and Ctrl+W for its own windows and tabs). F2, F4, F8 and F9
mean nothing to browsers; F1, F3 and F5 are theirs only until a page takes them, as the terminal
in the page does. The Ctrl keys stay as second keys for terminals that pass them.
"""

from __future__ import annotations

from textual.binding import Binding

HELP_KEY = "F1"
HINT_KEY = "F2"
SOLUTION_KEY = "F3"
ANOTHER_KEY = "F4"
GRADCHECK_KEY = "F5"
BACK_KEY = "F8"
NEXT_KEY = "F9"
THEME_KEY = "F10"


def lesson_bindings() -> list[Binding]:
    """The lesson screen's keys; the function key is the one shown."""
    return [
        Binding("f2,ctrl+g", "hint", "Hint", key_display=HINT_KEY),
        Binding("f3,ctrl+s", "solution", "Solution", key_display=SOLUTION_KEY),
        Binding("f4,ctrl+r", "another", "New numbers", key_display=ANOTHER_KEY),
        Binding("f5,ctrl+f", "gradcheck", "Check gradients", key_display=GRADCHECK_KEY),
        Binding("f8,ctrl+b", "back", "Back", key_display=BACK_KEY),
        Binding("f9,ctrl+n", "next", "Next", key_display=NEXT_KEY),
    ]
