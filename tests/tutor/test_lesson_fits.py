"""Every step of every lesson, drawn at 80×24 and wider: no line of lesson text is cut off at the right edge.

The check compares what each text widget was given with what it actually draws: a character that was
given but is not drawn was clipped. Display formulas are laid out again for the width they have, so
the same check holds at 80, 100 and 120 columns.
"""

from __future__ import annotations

from collections import Counter

from pilot_helpers import ready
from textual.geometry import Region
from textual.widgets import Label, Static

from tutor.app import make_app
from tutor.layout import fit_display, fits, keep_line_breaks
from tutor.screens.lesson import LessonScreen
from tutor.widgets.prose import DisplayFormula, StepProse


def given_text(widget) -> str:
    """The text a widget was asked to show (for a step's prose, its text as written, before it was
    laid out, so that nothing lost in laying it out goes unseen)."""
    if isinstance(widget, StepProse):
        return widget.source_text
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


def missing(widget) -> Counter:
    """Characters given to `widget` that it does not draw (spaces aside; "↩" marks a cut word)."""
    given = Counter(c for c in given_text(widget) if not c.isspace())
    drawn = Counter(c for c in drawn_text(widget) if not c.isspace() and c != "↩")
    return given - drawn


def shown(widget) -> bool:
    node = widget
    while node is not None and hasattr(node, "display"):
        if not node.display:
            return False
        node = node.parent
    return widget.size.width > 0


def clipped_lines(screen: LessonScreen) -> list[str]:
    """What is cut off on the lesson screen: text widgets drawing less than they were given, widgets
    reaching past the right edge of their scrolling container, and a body that would scroll sideways."""
    body = screen.query_one("#lesson-body")
    problems = []
    if body.max_scroll_x:
        problems.append(f"the lesson body is {body.max_scroll_x} cells too wide")
    for widget in list(body.query(Static)) + list(screen.query("#prompt, #hints")):
        if not shown(widget) or widget.query(Static) or isinstance(widget, DisplayFormula):
            continue  # containers and formula blocks: their leaves (the Label) are checked
        lost = missing(widget)
        if lost:
            first = next((line for line in given_text(widget).split("\n") if any(c in line for c in lost)), "")
            problems.append(f"{type(widget).__name__} loses {''.join(sorted(lost.elements()))!r} of: {first[:90]}")
        edge = body.scrollable_content_region.right if body in widget.ancestors else screen.size.width
        if widget.region.right > edge:
            problems.append(f"{type(widget).__name__} reaches column {widget.region.right}, past {edge}")
    for block in body.query(DisplayFormula):
        if shown(block) and not fits(block.laid_out, block.text_width):
            problems.append(f"a display formula is wider than {block.text_width}: {block.laid_out!r}")
    for prose in body.query(StepProse):
        if shown(prose) and prose.laid is not None:
            width = prose.content_size.width
            wide = [line.plain for line in prose.laid.lines if line.cell_length > width]
            if wide:  # Textual would fold it anywhere: a formula or a table row broken mid-symbol
                problems.append(f"a line of prose is wider than {width}: {wide[0]!r}")
    return problems


SIZES = [(80, 24), (100, 30), (120, 36)]


def laid_out_by_width(screen: LessonScreen) -> bool:
    """Whether the step shows something whose layout depends on the width: formulas, a picture, a table."""
    prose = screen.query_one("#prose", StepProse)
    return bool(screen.query(DisplayFormula) or screen.query("MarkdownTable")
                or (prose.laid is not None and prose.laid.kinds & {"formula", "table"})
                or any(screen.query_one(v).display for v in ("#network", "#graph", "#curves")))


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
    # the walk above must be able to fail for a step's prose too: a table too wide to share out is
    # caught, and so is text that is given but never drawn
    app = make_app(data_dir=tmp_path, seed=7)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, close_welcome=True)
        lesson = app.curriculum.lessons[0]
        app.open_lesson(lesson.id)
        await pilot.pause()
        await pilot.pause()  # the prose is laid out for its width, then the screen for the prose
        screen = app.screen
        assert clipped_lines(screen) == []
        prose = screen.query_one("#prose", StepProse)
        prose.show("| a | b |\n|---|---|\n| " + "x" * 60 + " | " + "y" * 60 + " |\n")
        await pilot.pause()
        await pilot.pause()
        assert clipped_lines(screen) == []  # wide cells wrap inside their columns: nothing lost
        prose.show("a paragraph\n\n| " + " | ".join(["z"] * 30) + " |\n|" + "---|" * 30 + "\n")
        await pilot.pause()
        assert any("wider than" in p for p in clipped_lines(screen))  # 30 columns cannot share 76 cells
        prose.update("a paragraph")  # drawn text that is not the step's text as written
        await pilot.pause()
        assert any("loses" in p for p in clipped_lines(screen))
