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


#: The Ctrl key that does the same as each function key, for terminals that pass it.
SECOND_KEY = {HINT_KEY: "ctrl+g", SOLUTION_KEY: "ctrl+s", ANOTHER_KEY: "ctrl+r", GRADCHECK_KEY: "ctrl+f",
              BACK_KEY: "ctrl+b", NEXT_KEY: "ctrl+n"}


def key(display: str, action: str, description: str) -> Binding:
    """A binding of a function key and its second Ctrl key (SECOND_KEY); the function key is the one shown."""
    return Binding(f"{display.lower()},{SECOND_KEY[display]}", action, description, key_display=display)


def lesson_bindings() -> list[Binding]:
    """The lesson screen's keys."""
    return [
        key(HINT_KEY, "hint", "Hint"),
        key(SOLUTION_KEY, "solution", "Solution"),
        key(ANOTHER_KEY, "another", "New numbers"),
        key(GRADCHECK_KEY, "gradcheck", "Check gradients"),
        key(BACK_KEY, "back", "Back"),
        key(NEXT_KEY, "next", "Next"),
    ]
