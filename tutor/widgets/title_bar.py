"""The line at the top of a screen, drawn by one widget: it looks like Textual's Header and costs one widget."""

from __future__ import annotations

from textual import events
from textual.content import Content
from textual.widget import Widget

#: Columns Textual's Header gives its icon (at the left) and its clock's place (at the right).
ICON_WIDTH, CLOCK_WIDTH = 8, 10


class TitleBar(Widget):
    """The app's title and the screen's sub-title, centred, with the command palette's icon at the left.

    Textual's Header is three widgets, and it writes its title into them only after they are mounted,
    so a screen with one is laid out and painted again when its title arrives. This is the same line
    drawn once, from the title and sub-title as they are when it is drawn. A click on the icon opens
    the command palette.
    """

    ALLOW_SELECT = False
    ICON = "⭘"

    DEFAULT_CSS = """
    TitleBar {
        dock: top;
        width: 100%;
        height: 1;
        background: $panel;
        color: $foreground;
    }
    """

    def on_mount(self) -> None:
        for node in (self.app, self.screen):
            for name in ("title", "sub_title"):
                self.watch(node, name, self._title_changed, init=False)

    def _title_changed(self) -> None:
        self.refresh()

    def render(self) -> Content:
        screen, app = self.screen, self.app
        title = screen.title if screen.title is not None else app.title
        sub_title = screen.sub_title if screen.sub_title is not None else app.sub_title
        middle = max(0, self.size.width - ICON_WIDTH - CLOCK_WIDTH)
        text = app.format_title(title, sub_title).truncate(middle, ellipsis=True)
        left = (middle - text.cell_length) // 2
        icon = f" {self.ICON}".ljust(ICON_WIDTH) if app.ENABLE_COMMAND_PALETTE else " " * ICON_WIDTH
        return Content.assemble(icon, " " * left, text)

    async def on_click(self, event: events.Click) -> None:
        if event.x < ICON_WIDTH and self.app.ENABLE_COMMAND_PALETTE:
            event.stop()
            await self.run_action("app.command_palette")
