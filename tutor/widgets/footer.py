"""The footer of keys, brought up to date in place when the keys change instead of being built anew."""

from __future__ import annotations

from textual.widgets import Footer
from textual.widgets._footer import FooterKey


class KeysFooter(Footer):
    """Textual's Footer, but a change of the keys shown changes its key widgets in place.

    Textual's Footer composes every key widget anew whenever the bindings change (a step with an
    exercise offers Hint and Solution, the next step may not; focus moving changes them too), and
    each new key is styled twice, once on mounting and again for its compact class: on the lesson
    screen that was the largest part of a next-step press. Here an unchanged set of keys costs
    nothing, and a changed one relabels the keys there are, mounting or removing only the
    difference. Bindings in groups are left to Textual's way of drawing them.
    """

    _shown: tuple | None = None

    def _keys(self) -> tuple | None:
        """What the footer should show now: each shown binding's (key, display, description, action,
        disabled, tooltip), in Footer's order, and the command palette's key; None for groups."""
        active = self.screen.active_bindings
        keys, actions = [], set()
        for _node, binding, enabled, tooltip in active.values():
            if not binding.show:
                continue
            if binding.group is not None:
                return None
            if binding.action in actions:  # Footer shows the first binding of each action
                continue
            actions.add(binding.action)
            keys.append((binding.key, self.app.get_key_display(binding), binding.description,
                         binding.action, not enabled, tooltip))
        palette = None
        if self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE:
            found = active.get(self.app.COMMAND_PALETTE_BINDING)
            palette = None if found is None else (found[1].key, found[2])
        return tuple(keys), palette

    def compose(self):
        # Textual's Footer composes nothing until the first bindings change, then composes again;
        # the screen's bindings are known already, so the keys are composed once, here.
        self.set_reactive(Footer._bindings_ready, True)
        self._shown = self._keys()
        for widget in super().compose():
            # a key's `compact` is bound to the footer's; with its class set already, binding it
            # does not style the key a second time
            if isinstance(widget, FooterKey):
                widget.set_class(self.compact, "-compact", update=False)
            yield widget

    def bindings_changed(self, screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen and not self._update_in_place():
            self.call_after_refresh(self.recompose)

    def _update_in_place(self) -> bool:
        """Bring the keys up to date without composing them again; False when that cannot be done."""
        wanted = self._keys()
        if wanted is None or self._shown is None or wanted[1] != self._shown[1]:
            return False
        if wanted == self._shown:
            return True
        keys = wanted[0]
        widgets = [w for w in self.query_children(FooterKey) if not w.has_class("-command-palette")]
        if len(widgets) != len(self._shown[0]):  # not the widgets Footer composed for what it showed
            return False
        for widget, (key, display, description, action, disabled, tooltip) in zip(widgets, keys):
            widget.key, widget.key_display, widget.description, widget.action = key, display, description, action
            widget._disabled = disabled
            widget.set_class(disabled, "-disabled")
            widget.tooltip = tooltip or None
            widget.refresh(layout=True)
        if len(widgets) > len(keys):
            self.remove_children(widgets[len(keys):])
        elif len(keys) > len(widgets):
            palette = [w for w in self.query_children(FooterKey) if w.has_class("-command-palette")]
            with self._context():  # data_bind binds to the widget whose code is running: this footer
                new = [FooterKey(key, display, description, action, disabled=disabled, tooltip=tooltip)
                       .data_bind(compact=Footer.compact)
                       for key, display, description, action, disabled, tooltip in keys[len(widgets):]]
            self.mount_all(new, before=palette[0] if palette else None)
        self._shown = wanted
        return True
