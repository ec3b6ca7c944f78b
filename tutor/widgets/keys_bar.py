"""A footer of keys drawn as one line by one widget: it looks like Textual's compact Footer and costs one widget."""

from __future__ import annotations

from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.strip import Strip
from textual.widget import Widget


@dataclass(frozen=True)
class Key:
    """One key as the bar shows it."""

    key: str
    display: str
    description: str
    disabled: bool


class KeysBar(Widget):
    """The screen's keys in one line, as Textual's compact Footer draws them, the command palette's key
    at the right; a click on a key presses it.

    Textual's Footer is a container of one widget per key, each styled (twice when compact) and laid out
    on its own: on a screen that is opened often, that was the largest part of opening it. Here the
    keys are one line of text, brought up to date when the screen's bindings change. Binding groups
    are shown key by key.
    """

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"keys-bar--key", "keys-bar--description", "keys-bar--hover", "keys-bar--edge"}

    DEFAULT_CSS = """
    KeysBar {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        & > .keys-bar--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        & > .keys-bar--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        & > .keys-bar--hover {
            background: $block-hover-background;
        }
        & > .keys-bar--edge {
            color: $foreground 20%;
        }
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.keys: tuple[Key, ...] = ()
        self.palette: Key | None = None
        self._spans: list[tuple[int, int, Key]] = []  # (start, end, key) of each key on the line
        self._hover: Key | None = None
        self._drawn_for: tuple | None = None
        self._strip = Strip([])

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._read_keys()

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen) -> None:
        if self.is_attached and screen is self.screen:
            self._read_keys()

    def _read_keys(self) -> None:
        """The keys Footer would show: each shown binding's first key per action, then the palette's."""
        active = self.screen.active_bindings
        keys, actions = [], set()
        for _node, binding, enabled, _tooltip in active.values():
            if not binding.show or binding.action in actions:
                continue
            actions.add(binding.action)
            keys.append(Key(binding.key, self.app.get_key_display(binding), binding.description, not enabled))
        palette = None
        if self.app.ENABLE_COMMAND_PALETTE and (found := active.get(self.app.COMMAND_PALETTE_BINDING)):
            _node, binding, enabled, _tooltip = found
            palette = Key(binding.key, self.app.get_key_display(binding), binding.description, not enabled)
        if (tuple(keys), palette) != (self.keys, self.palette):
            self.keys, self.palette = tuple(keys), palette
            self.refresh()

    def _label(self, key: Key, styles: dict[str, Style]) -> Text:
        text = Text.assemble((key.display, styles["key"]),
                             (" " + key.description if key.description else "", styles["description"]))
        if key == self._hover and not key.disabled:
            text.stylize(styles["hover"])
        if key.disabled:
            text.stylize(Style(dim=True))
        return text

    def _line(self, width: int) -> Text:
        """The keys as one line of `width` cells (and where each key is on it)."""
        styles = {name: self.get_component_rich_style(f"keys-bar--{name}")
                  for name in ("key", "description", "hover", "edge")}
        line = Text(no_wrap=True, overflow="crop", end="")
        spans = []
        for key in self.keys:
            start = line.cell_len
            line.append_text(self._label(key, styles))
            spans.append((start, line.cell_len, key))
            line.append(" ")
        if self.palette is not None:
            label = self._label(self.palette, styles)
            right = width - label.cell_len - 1
            if right > line.cell_len:
                line.append(" " * (right - line.cell_len))
                line.append("▏", styles["edge"])
                spans.append((right + 1, right + 1 + label.cell_len, self.palette))
                line.append_text(label)
        self._spans = spans
        return line

    def render(self) -> Text:
        return self._line(self.size.width)

    def render_line(self, y: int) -> Strip:
        # drawn by Rich straight into the line (Textual's content path restyles every span each time)
        width, base = self.size.width, self.rich_style
        key = (width, base, self.keys, self.palette, self._hover)
        if key != self._drawn_for:
            segments = Segment.apply_style(self._line(width).render(self.app.console), base)
            self._strip = Strip(segments).crop_extend(0, width, base)
            self._drawn_for = key
        return self._strip if y == 0 else Strip.blank(width, base)

    def key_at(self, x: int) -> Key | None:
        """The key drawn at column x, if any."""
        return next((key for start, end, key in self._spans if start <= x < end), None)

    def text(self) -> str:
        """The line as plain text (what a reader of the screen sees)."""
        return self._line(self.size.width).plain

    def on_mouse_move(self, event: events.MouseMove) -> None:
        key = self.key_at(event.x)
        if key != self._hover:
            self._hover = key
            self.refresh()

    def on_leave(self, event: events.Leave) -> None:
        if self._hover is not None:
            self._hover = None
            self.refresh()

    def on_mouse_down(self, event: events.MouseDown) -> None:
        key = self.key_at(event.x)
        if key is None:
            return
        event.stop()
        if key.disabled:
            self.app.bell()
        else:
            self.app.simulate_key(key.key)

