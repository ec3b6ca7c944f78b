"""The classroom's first screen: a learner's name, then their PIN (or a new one, typed twice)."""

from __future__ import annotations

from typing import Callable

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Input, Static

from tutor.learners import PIN_DIGITS, BadName, BadPin, Learner, Registry, SignIn, check_pin_rule, clean_name
from tutor.widgets.keys_bar import KeysBar

INTRO = (
    "[b]backprop-tutor · Sign in to the class[/b]\n\n"
    "Type your name and press [b]Enter[/b]. The first time you use a name you choose a PIN for it; "
    "next time the same name and PIN bring your progress back."
)
#: Seconds the PIN box stays closed after a wrong PIN, so guesses cannot be typed in a rush.
WRONG_PIN_PAUSE = 1.0


class LoginScreen(Screen[Learner]):
    """Name first; then the PIN of a known name, or a new PIN twice. Dismissed with the signed-in learner."""

    DEFAULT_CSS = """
    LoginScreen { align: center middle; }
    #login { width: 64; height: auto; border: thick $primary; background: $surface; padding: 1 2; }
    #login Input { margin-top: 1; }
    #login-message { margin-top: 1; height: auto; min-height: 1; color: $warning; }
    """
    BINDINGS = [Binding("escape", "back", "Another name")]

    def __init__(self, open_registry: Callable[[], Registry]) -> None:
        super().__init__()
        #: Opens the class list when it is first needed (a name entered), not before the first paint.
        self._open_registry = open_registry
        self.name_typed = ""
        #: "name", "pin" (a known name), "new" (choose a PIN), "again" (type the new PIN again)
        self.stage = "name"
        self._new_pin = ""

    def compose(self) -> ComposeResult:
        # No header here: this screen is the first paint of every connection, and kept light.
        with Vertical(id="login"):
            yield Static(INTRO, id="login-intro")
            yield Input(placeholder="your name", id="login-name", max_length=40)
            low, high = PIN_DIGITS
            yield Input(placeholder=f"PIN: {low} to {high} digits", id="login-pin", password=True,
                        max_length=high, restrict=r"[0-9]*")
            yield Static("", id="login-message")
        yield KeysBar()

    @property
    def registry(self) -> Registry:
        return self._open_registry()

    def on_mount(self) -> None:
        self.query_one("#login-pin", Input).display = False
        self.query_one("#login-name", Input).focus()

    # -- what the learner sees ------------------------------------------------------------------

    def _say(self, text: str) -> None:
        self.query_one("#login-message", Static).update(text)

    def _ask_pin(self, prompt: str) -> None:
        pin = self.query_one("#login-pin", Input)
        pin.value = ""
        pin.display = True
        pin.disabled = False
        pin.focus()
        self.query_one("#login-name", Input).disabled = True
        self._say(prompt)

    def action_back(self) -> None:
        """Back to the name box, forgetting any PIN typed so far."""
        self.stage, self._new_pin = "name", ""
        pin = self.query_one("#login-pin", Input)
        pin.value, pin.display = "", False
        name = self.query_one("#login-name", Input)
        name.disabled = False
        name.focus()
        self._say("")

    # -- Enter in either box --------------------------------------------------------------------

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "login-name":
            self._name_entered(event.value)
        elif self.stage == "pin":
            self._check(event.value)
        elif self.stage == "new":
            try:
                self._new_pin = check_pin_rule(event.value)
            except BadPin as exc:
                self._say(str(exc))
                return
            self.stage = "again"
            self._ask_pin("Type the same PIN again.")
        elif self.stage == "again":
            if event.value != self._new_pin:
                self.stage, self._new_pin = "new", ""
                self._ask_pin("The two PINs were not the same. Choose a PIN again.")
                return
            self._enrol(self._new_pin)

    def _name_entered(self, text: str) -> None:
        try:
            name = clean_name(text)
        except BadName as exc:
            self._say(str(exc))
            return
        self.name_typed = name
        known = self.registry.lookup(name)
        if known is not None and known.has_pin:
            self.stage = "pin"
            self._ask_pin(f"Welcome back, {_markup_safe(known.name)}. Type your PIN.")
        else:
            self.stage = "new"
            low, high = PIN_DIGITS
            opening = "A new PIN" if known is not None else f"New here, {_markup_safe(name)}? Choose a PIN"
            self._ask_pin(f"{opening} of {low} to {high} digits, and remember it.")

    # -- the registry, off the UI thread (scrypt takes a moment, and other copies may hold the lock) ----

    @work(thread=True, exclusive=True, group="sign-in")
    def _check(self, pin: str) -> None:
        self.app.call_from_thread(self._busy)
        result = self.registry.sign_in(self.name_typed, pin)
        self.app.call_from_thread(self._answered, result)

    @work(thread=True, exclusive=True, group="sign-in")
    def _enrol(self, pin: str) -> None:
        self.app.call_from_thread(self._busy)
        try:
            result = self.registry.enrol(self.name_typed, pin)
        except (BadName, BadPin) as exc:
            result = SignIn(None, str(exc))
        self.app.call_from_thread(self._answered, result)

    def _busy(self) -> None:
        self.query_one("#login-pin", Input).disabled = True
        self._say("Checking…")

    def _answered(self, result: SignIn) -> None:
        if result.learner is not None:
            self.dismiss(result.learner)
            return
        if self.stage in ("new", "again"):  # the name was taken meanwhile: ask for its PIN
            self.stage, self._new_pin = "pin", ""
        self._say(result.message)
        pin = self.query_one("#login-pin", Input)
        pin.value = ""
        # A pause after every refusal; the registry itself refuses a locked name until its time is up.
        self.set_timer(WRONG_PIN_PAUSE, self._reopen)

    def _reopen(self) -> None:
        if self.stage == "name":
            return
        pin = self.query_one("#login-pin", Input)
        pin.disabled = False
        pin.focus()


def _markup_safe(text: str) -> str:
    """A learner's name shown inside markup: brackets are escaped so a name cannot style the screen."""
    from rich.markup import escape

    return escape(text)
