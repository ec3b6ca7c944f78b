"""The step page on its own: parts one under the other, margins between them, frames, scrolling."""

from __future__ import annotations

from textual.app import App
from textual.content import Content

from tutor.widgets.step_page import GUTTER, Part, StepPage


class PageApp(App):
    def compose(self):
        yield StepPage(id="page")


def on_screen(app) -> list[str]:
    """The screen's lines as they were last painted."""
    return [strip.text.rstrip() for strip in app.screen._compositor.render_strips()]


def lines_of(page: StepPage) -> list[str]:
    return [line.rstrip() for line in page.text().split("\n")]


async def test_parts_stand_one_under_the_other_with_the_larger_margin_between_them():
    app = PageApp()
    async with app.run_test(size=(40, 10)) as pilot:
        page = app.query_one(StepPage)
        page.show([Part("a", body=Content("first"), below=2), Part("b", body=Content("second"), above=1, indent=3)])
        await pilot.pause()
        assert lines_of(page) == ["first", "", "", "   second"]  # 2 blank lines, not 3: margins collapse
        assert page.shown("b") and not page.shown("c")


async def test_markdown_is_laid_out_for_the_width_and_nothing_of_it_is_lost():
    app = PageApp()
    async with app.run_test(size=(30, 10)) as pilot:
        page = app.query_one(StepPage)
        text = "A sentence long enough to need three or four lines at this width."
        page.show([Part("prose", markdown=text, indent=2)])
        await pilot.pause()
        drawn = lines_of(page)
        width = 30 - GUTTER - 2 - 1  # the page's gutter, its scrollbar and the column beyond it
        assert page.text_width == width and page.part_width(page.part("prose")) == width - 4
        assert len(drawn) >= 3 and all(len(line) <= width - 2 for line in drawn)
        assert " ".join(line.strip() for line in drawn if line.strip()) == text


async def test_a_titled_frame_has_its_title_first_and_its_text_indented_inside_the_border():
    app = PageApp()
    async with app.run_test(size=(40, 10)) as pilot:
        page = app.query_one(StepPage)
        page.show([Part("solution", markdown="one line", frame="step-page--solution", title="Worked solution")])
        await pilot.pause()
        top, title, body, *rest = lines_of(page)
        assert top.startswith("╭") and top.endswith("╮") and rest[-1].startswith("╰")
        assert title.startswith("│ Worked solution") and body.startswith("│   one line") and body.endswith("│")
        assert len({len(top), len(title), len(body), len(rest[-1])}) == 1  # the border is straight


async def test_the_page_scrolls_within_its_lines_and_to_a_part():
    app = PageApp()
    async with app.run_test(size=(40, 6)) as pilot:
        page = app.query_one(StepPage)
        page.show([Part("long", body=Content("\n".join(f"line {i}" for i in range(20)))),
                   Part("end", body=Content("the end"), above=1)])
        await pilot.pause()
        assert page.size.height == 6 and page.last_top == 22 - 6
        page.scroll_lines(-5)
        assert page.top == 0
        page.scroll_lines(100)
        assert page.top == page.last_top
        page.to_top()
        page.scroll_to_part("long")
        assert page.top == 0  # taller than the page: shown from its top
        page.scroll_to_part("end")
        assert page.top == page.last_top  # as far as the page goes: the part is at its foot
        await pilot.pause()
        assert page.render_line(5).text.strip() == "the end" and page.render_line(0).text.strip() == "line 16"
        page.show([Part("short", body=Content("short"))])
        assert page.top == 0 and page.last_top == 0  # a new step starts at its top


async def test_a_resized_page_is_drawn_for_its_new_width_and_a_part_asked_for_early_is_scrolled_to():
    app = PageApp()
    async with app.run_test(size=(60, 8)) as pilot:
        page = app.query_one(StepPage)
        text = " ".join(f"word{i}" for i in range(40))
        page.show([Part("prose", markdown=text), Part("end", body=Content("the end"), above=1)])
        await pilot.pause()
        wide = on_screen(app)
        await pilot.resize_terminal(30, 8)
        await pilot.pause()
        narrow = on_screen(app)  # what was painted, not what the page would draw if asked now
        assert narrow != wide and narrow == [page.render_line(y).text.rstrip() for y in range(page.size.height)]
        assert narrow[0].strip().startswith("word0") and len(narrow[0].strip()) <= page.text_width
        page.to_bottom()
        await pilot.resize_terminal(60, 8)  # the page grows wider, its text takes fewer lines
        await pilot.pause()
        assert 0 <= page.top <= page.last_top
        assert page.render_line(page.size.height - 1).text.strip() in ("the end", "")

    app = PageApp()
    async with app.run_test(size=(40, 6)) as pilot:
        page = app.query_one(StepPage)
        await pilot.pause()
        unsized = StepPage()
        unsized.show([Part("long", body=Content("\n".join(str(i) for i in range(30)))), Part("end", body=Content("x"))])
        unsized.scroll_to_part("end")  # no size yet: remembered, not worked out at a width of one cell
        assert unsized.top == 0 and unsized._wanted == "end"
        await app.screen.mount(unsized)
        await pilot.pause()
        assert unsized._wanted is None and unsized.top == unsized.last_top > 0
