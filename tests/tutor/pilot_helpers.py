"""Shared steps for driving the app with Textual's pilot in tests."""

from __future__ import annotations


async def ready(pilot, *, close_welcome: bool = False) -> None:
    """Wait until the curriculum has loaded (a worker loads it after the first paint).

    With `close_welcome`, also press past the first-run welcome if it is showing.
    """
    app = pilot.app
    for _ in range(1000):
        if app.curriculum is not None:
            break
        await pilot.pause(0.01)
    assert app.curriculum is not None, "the curriculum never loaded"
    await pilot.pause()
    if close_welcome and type(app.screen).__name__ == "WelcomeScreen":
        await pilot.press("enter")
        await pilot.pause()
