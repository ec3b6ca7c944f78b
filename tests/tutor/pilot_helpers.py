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


async def welcome_said(pilot) -> str:
    """The welcome screen's text, once it is on screen (a Markdown widget holds its text only after it
    has mounted); "" if the welcome never shows it."""
    app = pilot.app
    for _ in range(500):
        if type(app.screen).__name__ == "WelcomeScreen" and app.screen.query("#welcome-text"):
            said = app.screen.query_one("#welcome-text").source
            if said:
                return said
        await pilot.pause(0.01)
    return ""


def a_wrong_answer(exercise) -> str:
    """A wrong answer the grader can read: a catalogued mistake when there is one, else a far-off value."""
    from engine.answers import evaluate

    if exercise.kind == "choice":
        return next(c.key for c in exercise.choices if not c.correct)
    for m in exercise.spec.mistakes:
        if m.answer:
            return repr(evaluate(m.answer, exercise.values)) if exercise.kind == "number" else m.answer
    return "12345"


async def answer_quiz_item(pilot, right: bool) -> None:
    """Answer the quiz's current question, rightly or wrongly, and check that it was judged so."""
    screen = pilot.app.screen
    exercise = screen.item.exercise
    await pilot.press(*list(exercise.expected if right else a_wrong_answer(exercise)))
    await pilot.press("enter")
    assert screen.item.verdict is not None and screen.item.verdict.correct is right, screen.item.verdict
