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
    nothing, and a changed one shows and hides the keys there are (relabelling them in order only
    when a new key comes between others), mounting only keys beyond every one shown before. Bindings in groups are left to Textual's way of drawing them.
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

    #: Hidden keys composed beyond those shown, for a later change that shows more keys: mounting a
    #: widget then would cost a second layout of the whole screen after the first.
    SPARE = 4

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
        if self._shown is not None:
            for _ in range(self.SPARE):
                spare = FooterKey("", "", "", "").data_bind(compact=Footer.compact)
                spare.set_class(self.compact, "-compact", update=False)
                spare.display = False
                yield spare

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
        if [w.action for w in widgets if w.display] != [k[3] for k in self._shown[0]]:
            return False  # not the widgets Footer composed for what it showed
        matched = _in_order(widgets, keys)
        if matched is None:  # a key between others that has no widget there: relabel them in order
            matched = widgets[:len(keys)]
        for widget, key in zip(matched, keys):
            _set_key(widget, key)
        # Keys no longer wanted are hidden, not removed: a later step that shows them again then needs
        # no new widget (mounting one costs a second layout of the whole screen after the first).
        for widget in widgets:
            if widget not in matched:
                widget.display = False
        if len(keys) > len(widgets):
            palette = [w for w in self.query_children(FooterKey) if w.has_class("-command-palette")]
            with self._context():  # data_bind binds to the widget whose code is running: this footer
                new = [FooterKey(key, display, description, action, disabled=disabled, tooltip=tooltip)
                       .data_bind(compact=Footer.compact)
                       for key, display, description, action, disabled, tooltip in keys[len(widgets):]]
            self.mount_all(new, before=palette[0] if palette else None)
        self._shown = wanted
        return True


def _in_order(widgets: list[FooterKey], keys) -> list[FooterKey] | None:
    """A widget for each key, in order, each already showing that key's action (shown or hidden), so
    that a change of keys only shows and hides widgets; None when some key has no such widget."""
    matched, at = [], 0
    for key in keys:
        while at < len(widgets) and widgets[at].action != key[3]:
            at += 1
        if at == len(widgets):
            return None
        matched.append(widgets[at])
        at += 1
    return matched


def _set_key(widget: FooterKey, key) -> None:
    """Show `key` (key, display, description, action, disabled, tooltip) on `widget`, repainting it
    only when that changes what it shows."""
    key_, display, description, action, disabled, tooltip = key
    if (widget.key, widget.key_display, widget.description, widget.action, widget._disabled) != \
            (key_, display, description, action, disabled):
        widget.key, widget.key_display, widget.description, widget.action = key_, display, description, action
        widget._disabled = disabled
        widget.set_class(disabled, "-disabled")
        widget.refresh(layout=True)
    widget.tooltip = tooltip or None
    widget.display = True
