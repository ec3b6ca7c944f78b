"""Every step of every lesson, drawn at 80×24 and wider: no line of lesson text is cut off at the right edge.

The check compares what each text widget was given with what it actually draws: a character that was
given but is not drawn was clipped. Display formulas are laid out again for the width they have, so
the same check holds at 80, 100 and 120 columns.
"""

from __future__ import annotations

from collections import Counter

from pilot_helpers import ready
from textual.geometry import Region
from rich.cells import cell_len
from textual.content import Content

from tutor.app import make_app
from tutor.layout import fit_display, fits, keep_line_breaks
from tutor.screens.lesson import LessonScreen
from tutor.widgets.step_page import Part, StepPage


def given_text(widget) -> str:
    """The text a widget was asked to show."""
    content = widget.visual
    plain = getattr(content, "plain", None)
    if plain is None:  # a rich renderable wrapped for Textual
        plain = getattr(getattr(content, "_renderable", None), "plain", "")
    return plain


def drawn_text(widget) -> str:
    """The text the widget draws in the cells it has, every row of it."""
    width, height = widget.outer_size
    strips = widget.render_lines(Region(0, 0, width, height))
    return "\n".join(strip.text for strip in strips)


def lost(given: str, drawn: str) -> Counter:
    """Characters given that are not drawn (spaces aside; "↩" marks a cut word)."""
    return Counter(c for c in given if not c.isspace()) - Counter(c for c in drawn if not c.isspace() and c != "↩")


def shown(widget) -> bool:
    node = widget
    while node is not None and hasattr(node, "display"):
        if not node.display:
            return False
        node = node.parent
    return widget.size.width > 0


def page_problems(page: StepPage) -> list[str]:
    """What is cut off or broken on a step's page: a part drawing less than it was given, a line of
    laid-out text or of a picture wider than its place (Textual would fold it anywhere, a formula or
    a table row or a picture broken mid-symbol), a line wider than the page."""
    problems = []
    for part in page.parts:
        given, drawn = page.given(part), page.drawn(part)
        missing = lost(given, drawn)
        if missing:
            first = next((line for line in given.split("\n") if any(c in line for c in missing)), "")
            problems.append(f"the {part.name} loses {''.join(sorted(missing.elements()))!r} of: {first[:90]}")
        width = page.part_width(part)
        laid = page.laid(part)
        # laid-out text and pictures must fit as they are; a plain line of text may wrap
        lines = ([line.plain for line in laid.lines] if laid is not None else
                 part.body.plain.split("\n") if part.name.startswith("picture") else [])
        wide = [line for line in lines if cell_len(line) > width]
        if wide:
            problems.append(f"a line of the {part.name} is wider than {width}: {wide[0]!r}")
        if any(cell_len(line) > page.text_width for line in drawn.split("\n")):
            problems.append(f"the {part.name} is drawn wider than the page")
    return problems


def clipped_lines(screen: LessonScreen) -> list[str]:
    """What is cut off on the lesson screen: on its page, and in the question and hints under it."""
    problems = page_problems(screen.query_one("#lesson-body", StepPage))
    for widget in screen.query("#prompt, #hints"):
        if not shown(widget):
            continue
        missing = lost(given_text(widget), drawn_text(widget))
        if missing:
            problems.append(f"{type(widget).__name__} loses {''.join(sorted(missing.elements()))!r}")
        if widget.region.right > screen.size.width:
            problems.append(f"{type(widget).__name__} reaches column {widget.region.right}, past {screen.size.width}")
    return problems


SIZES = [(80, 24), (100, 30), (120, 36)]


def laid_out_by_width(screen: LessonScreen) -> bool:
    """Whether the step shows something whose layout depends on the width: formulas, a picture, a table."""
    page = screen.query_one("#lesson-body", StepPage)
    for part in page.parts:
        laid = page.laid(part)
        if part.name.startswith("picture") or (laid is not None and laid.kinds & {"formula", "table"}):
            return True
    return False


async def walk_every_step(tmp_path) -> dict[str, list[str]]:
    """Open each step of each lesson (its worked solution revealed on exercises) at 80×24, then — when it
    shows formulas, a picture or a table — widen the terminal to 100×30 and 120×36; collect what is cut."""
    app = make_app(data_dir=tmp_path, seed=7)
    found: dict[str, list[str]] = {}
    async with app.run_test(size=SIZES[0]) as pilot:
        await ready(pilot, close_welcome=True)
        for lesson in app.curriculum.lessons:
            app.open_lesson(lesson.id)
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, LessonScreen)
            for i, step in enumerate(lesson.steps):
                await pilot.resize_terminal(*SIZES[0])
                screen.index = i
                screen.show_step()
                if screen.exercise is not None:
                    screen.action_solution()
                    screen.action_solution()  # the first press only asks
                    assert screen.solution_shown, f"{lesson.id}/{step.id}: the solution did not open"
                await pilot.pause()  # the prose is mounted, then laid out
                for size in SIZES:
                    if size != SIZES[0]:
                        if not laid_out_by_width(screen):
                            break  # prose alone wraps at any width: 80 columns was the hard case
                        await pilot.resize_terminal(*size)
                    await pilot.pause()
                    problems = clipped_lines(screen)
                    if problems:
                        found[f"{lesson.id}/{step.id} at {size[0]}×{size[1]}"] = problems
            screen.action_home()
            await pilot.pause()
    return found


async def test_no_lesson_text_is_clipped_at_80x24_100x30_or_120x36(tmp_path):
    found = await walk_every_step(tmp_path)
    assert not found, "\n".join(f"{where}: {p}" for where, ps in found.items() for p in ps)


def test_the_check_sees_a_clipped_formula():
    # the checker above must be able to fail: a block laid out for 40 cells does not fit in 30
    line = "δ_h1 = a_h1(1 − a_h1) · (w_h1o1·δ_o1 + w_h1o2·δ_o2)"
    assert fits(line, 60) and not fits(line, 30)


# --- the layout of display formulas, by hand ------------------------------------------------------

def test_a_block_that_fits_is_left_exactly_as_written():
    block = "E = ½ Σ_k (t_k − a_k)²        the error\n    = ½ (t_o1 − a_o1)²"
    assert fit_display(block, 60) == block


def test_two_equations_side_by_side_go_one_under_the_other():
    block = "net_o1 = w_h1o1·a_h1 + w_h2o1·a_h2        net_o2 = w_h1o2·a_h1 + w_h2o2·a_h2"
    assert fit_display(block, 50).split("\n") == [
        "net_o1 = w_h1o1·a_h1 + w_h2o1·a_h2",
        "net_o2 = w_h1o2·a_h1 + w_h2o2·a_h2",
    ]


def test_a_remark_goes_under_its_formula_indented():
    block = "W^(l)[k][j] = w_jk        the weight from unit j of layer l−1 to unit k of layer l"
    assert fit_display(block, 64).split("\n") == [
        "W^(l)[k][j] = w_jk",
        "    the weight from unit j of layer l−1 to unit k of layer l",
    ]


def test_a_chain_breaks_before_an_arrow_and_an_equation_before_its_equals_sign():
    chain = "w_jk  →  net_k = Σ_j w_jk·a_j + b_k  →  a_k = σ(net_k)  →  E = ½ Σ_k (t_k − a_k)²"
    assert fit_display(chain, 60).split("\n") == [
        "w_jk  →  net_k = Σ_j w_jk·a_j + b_k  →  a_k = σ(net_k)",
        "      →  E = ½ Σ_k (t_k − a_k)²",
    ]
    eq = "δ_h1 = a_h1(1 − a_h1) · (w_h1o1·δ_o1 + w_h1o2·δ_o2) = a_h1(1 − a_h1) · Σ_k w_h1k δ_k"
    assert fit_display(eq, 60).split("\n") == [
        "δ_h1 = a_h1(1 − a_h1) · (w_h1o1·δ_o1 + w_h1o2·δ_o2)",
        "     = a_h1(1 − a_h1) · Σ_k w_h1k δ_k",
    ]


def test_a_long_sum_breaks_between_terms_never_inside_brackets():
    eq = "∂E/∂a_h1 = ∂E/∂net_o1 · ∂net_o1/∂a_h1 + ∂E/∂net_o2 · ∂net_o2/∂a_h1"
    lines = fit_display(eq, 44).split("\n")
    assert lines == ["∂E/∂a_h1 = ∂E/∂net_o1 · ∂net_o1/∂a_h1", "         + ∂E/∂net_o2 · ∂net_o2/∂a_h1"]
    assert fit_display("y = (a + b)·c + (d + e)·f", 16).split("\n") == ["y = (a + b)·c", "  + (d + e)·f"]


def test_nothing_is_lost_even_without_a_place_to_break():
    word = "x" * 50
    out = fit_display(word, 20)
    assert fits(out, 20) and out.replace("↩", "").replace("\n", "").replace(" ", "") == word


def test_worked_solutions_keep_their_lines():
    solution = "road through x_1: 2·3 = 6\nroad through x_2: 4·5 = 20\n\n    a formula\n- a list\n- item"
    md = keep_line_breaks(solution).split("\n")
    assert md[0].endswith("  ") and not md[1].endswith("  ")  # a hard break between the two roads only
    assert md[3] == "    a formula" and md[4] == "- a list"


async def test_the_check_sees_prose_that_loses_text(tmp_path):
    # the walk above must be able to fail for a step's page too: a table too wide to share out is
    # caught, and so is a picture wider than its place, and text that is given but never drawn
    app = make_app(data_dir=tmp_path, seed=7)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, close_welcome=True)
        lesson = app.curriculum.lessons[0]
        app.open_lesson(lesson.id)
        await pilot.pause()
        screen = app.screen
        assert clipped_lines(screen) == []
        page = screen.query_one("#lesson-body", StepPage)
        page.show([Part("prose", markdown="| a | b |\n|---|---|\n| " + "x" * 60 + " | " + "y" * 60 + " |\n", indent=2)])
        await pilot.pause()
        assert clipped_lines(screen) == []  # wide cells wrap inside their columns: nothing lost
        page.show([Part("prose", markdown="a paragraph\n\n| " + " | ".join(["z"] * 30) + " |\n|" + "---|" * 30 + "\n",
                        indent=2)])
        await pilot.pause()
        assert any("wider than" in p for p in clipped_lines(screen))  # 30 columns cannot share 72 cells
        page.show([Part("picture:network", body=Content("┌" + "─" * 90 + "┐"))])
        await pilot.pause()
        assert any("wider than" in p for p in clipped_lines(screen))
    assert lost("a paragraph with a formula", "a paragraph with a") == Counter("formula")  # text cut off
