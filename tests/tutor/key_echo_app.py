"""A Textual app that writes down every key it receives: served to a browser, it shows which keys get through.

Usage: python key_echo_app.py OUTFILE    (one key name per line, as Textual names it)
"""

import sys

from textual import events
from textual.app import App, ComposeResult
from textual.widgets import Static


class KeyEcho(App):
    """Every key that reaches the app is written to OUTFILE before any binding sees it."""

    ENABLE_COMMAND_PALETTE = False

    def __init__(self, out: str):
        super().__init__()
        self.out = out

    def compose(self) -> ComposeResult:
        yield Static("key echo: press keys", id="echo")

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key):
            with open(self.out, "a", encoding="utf-8") as f:
                f.write(event.key + "\n")
            self.query_one("#echo", Static).update(f"last key: {event.key}")
            return  # recorded, and never acted on (ctrl+q must not end the test)
        await super().on_event(event)


if __name__ == "__main__":
    KeyEcho(sys.argv[1]).run()
