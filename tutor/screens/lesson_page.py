"""What a lesson step's page and dock are made of: the parts StepPage shows (picture, prose, how to go
on), and the two containers of the dock that never need a second layout."""

from __future__ import annotations

from functools import lru_cache

from rich.text import Text
from textual.containers import Vertical
from textual.content import Content
from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import Static

from tutor.keys import ANOTHER_KEY, NEXT_KEY
from tutor.layout import keep_line_breaks
from tutor.screens import lesson_parts
from tutor.widgets.step_page import Part

class Prompt(Static):
    """The question of an exercise step, above the answer box."""

    # It never scrolls: when a new question takes more or fewer lines, the layout that gives it its
    # size is all it needs (Textual would lay out the screen a second time for its virtual size).
    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False, repaint=False)


class AnswerDock(Vertical):
    """The question, choices, answer box, verdict and hints, under the step's page."""

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False, repaint=False)  # as Prompt's


#: The parts of a step's page, top to bottom: the picture first, since it is what the prose talks about.
PART_ORDER = ("picture", "prose", "continue", "worksheet", "solution", "check")
CONTINUE = Part("continue", body=Content.styled(f"Enter or {NEXT_KEY}: next step.", "$text-muted"), above=1, below=1)


@lru_cache(maxsize=1)
def _curves() -> Text:
    """The σ and σ′ curves: the same picture every time, drawn once."""
    from tutor.widgets.curves import curves_picture

    return curves_picture()


def prose_part(markdown: str) -> Part:
    """A step's prose as a part of its page."""
    return Part("prose", markdown=markdown, indent=2)


def solution_part(solution: str, solved: bool, new_numbers: bool) -> Part:
    """A worked solution in its frame, its title saying whether it still costs the step (a step that
    can draw `new_numbers` counts again when solved on them)."""
    title = ("Worked solution" if solved else
             f"Worked solution (revealed: solve it on new numbers, {ANOTHER_KEY}, for it to count)"
             if new_numbers else "Worked solution (revealed)")
    return Part("solution", markdown=keep_line_breaks(solution), frame="step-page--solution", title=title,
                title_style="bold $secondary")


def picture_part(lesson, index: int, draw, settled: set[str], withheld: set[str]) -> Part | None:
    """Step `index`'s picture drawn with its numbers (`draw`), those in `withheld` shown as "?" and the
    network's values as far as the steps in `settled` allow; None for a step without a picture."""
    step = lesson.steps[index]
    context = getattr(draw, "context", None) or {}
    picture = None
    try:
        if step.visual == "network" and isinstance(context, dict) and "network" in context:
            from tutor.widgets.network import network_picture

            known, fan, asked = lesson_parts.network_reveal(lesson, index, settled)
            net = context["network"]
            shown = lesson_parts.picture_known(known, net, asked, withheld - {asked})
            picture = network_picture(net, context["x"], context["t"], shown, fan, asked)
        elif step.visual == "graph" and isinstance(context, dict) and "graph" in context:
            from tutor.widgets.graph import graph_drawing, graph_picture

            values = getattr(draw, "values", {}) or {}
            hidden = [values[n] for n in withheld if n in values]
            drawing, listing = graph_drawing(context["graph"], hidden), graph_picture(context["graph"], hidden)
            picture = Text.assemble(drawing, "\n\n", listing) if drawing is not None else listing
        elif step.visual == "sigmoid-curves":
            picture = _curves()
    except Exception as exc:  # a malformed draw context must not take the lesson down
        picture = Text(f"(the picture could not be drawn: {exc})", style="dim")
    return None if picture is None else Part(f"picture:{step.visual}", body=Content.from_rich_text(picture), below=1)
