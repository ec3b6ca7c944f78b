"""What a learner meets on the lesson screen: keys that reach the app in tmux and browsers, a verdict that
belongs to its answer, messages that cover nothing, help that scrolls, a theme that is remembered."""

from __future__ import annotations

import re

from pilot_helpers import ready

from engine.answers import format_number
from tutor.app import make_app
from tutor.keys import ANOTHER_KEY, BACK_KEY, HINT_KEY, NEXT_KEY, SOLUTION_KEY, THEME_KEY
from tutor.screens.help import KEYS, HelpScreen
from tutor.screens.home import HomeScreen
from tutor.screens.quiz import QuizScreen
from tutor.screens.quiz_choice import QuizChoice
from tutor.widgets.answer import PLACEHOLDER
from tutor.widgets.feedback import FeedbackPanel
from tutor.widgets.keys_bar import KeysBar

from test_no_giveaway import normal_formula

# tmux takes Ctrl+B as its prefix; browsers keep these for their own windows and tabs
TAKEN = {"ctrl+b", "ctrl+n", "ctrl+t", "ctrl+w"}


def plain(widget) -> str:
    visual = widget.visual
    return str(getattr(visual, "plain", visual))


async def open_step(pilot, app, predicate):
    """Open the first exercise step for which predicate(lesson, step) holds."""
    for lesson in app.curriculum.lessons:
        for step in lesson.exercise_steps:
            if predicate(lesson, step):
                app.progress.set_position(lesson.id, step.id)
                app.open_lesson(lesson.id)
                await pilot.pause()
                assert app.screen.step.id == step.id
                return app.screen
    raise AssertionError("no step in the curriculum fits this test")


def is_number_with_hints(lesson, step):
    return step.exercise.kind == "number" and step.scenario is not None and len(step.exercise.hints) >= 2


async def test_every_lesson_action_has_a_key_that_tmux_and_browsers_let_through(tmp_path):
    app = make_app(data_dir=tmp_path, seed=4)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, close_welcome=True)
        screen = await open_step(pilot, app, is_number_with_hints)
        for binding in screen.BINDINGS:
            keys = set(binding.key.split(","))
            assert keys - TAKEN, f"{binding.action} has only keys tmux or a browser keeps: {keys}"
        hints = screen.query_one("#hints")
        await pilot.press(HINT_KEY.lower())
        assert hints.shown == 1
        seed = screen.seed
        await pilot.press(ANOTHER_KEY.lower())
        assert screen.seed != seed
        index = screen.index
        await pilot.press(NEXT_KEY.lower())
        assert screen.index == index + 1
        await pilot.press(BACK_KEY.lower())
        assert screen.index == index
        await pilot.press(SOLUTION_KEY.lower(), SOLUTION_KEY.lower())  # the first press asks
        assert screen.solution_shown
        theme = app.theme
        await pilot.press(THEME_KEY.lower())
        assert app.theme != theme


async def test_the_footer_at_80_columns_shows_the_function_keys_whole(tmp_path):
    app = make_app(data_dir=tmp_path, seed=4)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, close_welcome=True)
        await open_step(pilot, app, is_number_with_hints)
        await pilot.pause()
        bar = app.screen.query_one(KeysBar)
        shown = bar.text()
        for key, word in ((HINT_KEY, "Hint"), (SOLUTION_KEY, "Solution"), (NEXT_KEY, "Next"), (BACK_KEY, "Back")):
            assert f"{key} {word}" in shown, shown
        # every key is drawn whole inside the 80 columns, where a click finds it
        assert len(shown) <= 80 and bar.region.width == 80, shown
        for key, word in ((HINT_KEY, "Hint"), (SOLUTION_KEY, "Solution"), (NEXT_KEY, "Next"), (BACK_KEY, "Back")):
            start = shown.index(f"{key} {word}")
            assert bar.key_at(start) is not None and bar.key_at(start + len(key) + len(word)) is not None, shown
        assert not re.search(r"\^[bnt]\b", shown)  # no Ctrl key a browser or tmux would take


async def test_help_names_every_key_and_the_home_q(tmp_path):
    for key in (HINT_KEY, SOLUTION_KEY, ANOTHER_KEY, NEXT_KEY, BACK_KEY, THEME_KEY):
        assert f"**{key}**" in KEYS
    assert "**q**: quit" in KEYS and "**a**: choose a quiz" in KEYS and "**d**: review" in KEYS
    app = make_app(data_dir=tmp_path, seed=4)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, close_welcome=True)
        footer = app.screen.query_one(KeysBar).text()
        assert "q Quit" in footer and "a Quiz…" in footer and "d Review" in footer and "F1 Help" in footer
        status = plain(app.screen.query_one("#home-status"))
        assert "a: choose a quiz" in status and "q:" not in status
        # each of the home screen's letters means one thing there: nothing else on the way binds it
        chain = app.screen._modal_binding_chain
        for key, action in (("a", "quiz_choose"), ("q", "app.quit"), ("d", "quiz_due"), ("c", "continue")):
            bound = [b.action for _, bindings in chain for k, b in bindings if k == key]
            assert bound == [action], (key, bound)
        await pilot.press("a")
        assert isinstance(app.screen, QuizChoice)
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0  # q quit the app


async def test_help_scrolls_with_the_arrow_keys_at_once(tmp_path):
    app = make_app(data_dir=tmp_path, seed=4)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, close_welcome=True)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        await pilot.pause()
        page = app.screen._page()
        assert page.last_top > 0, "the keys page fits: this test needs it to scroll"
        await pilot.press("down", "down", "down")
        assert page.top == 3
        await pilot.press("pagedown")
        assert page.top > 3
        await pilot.press("right")  # the next page, from its top, and it scrolls too
        await pilot.pause()
        assert app.screen.query_one("#help-tabs").active == "help-typing"
        assert app.screen._page().top == 0
        await pilot.press("down")
        assert app.screen._page().top == 1
        # keys that arrive together (typed fast, or sent in one go by tmux) before a repaint all count
        for _ in range(4):
            app.screen.action_scroll(1)
        assert app.screen._page().top == 5
        await pilot.press("end")
        assert app.screen._page().top == app.screen._page().last_top > 5
        await pilot.press("home")
        assert app.screen._page().top == 0
        await pilot.press("down", "down", "down", "down", "down")
        await pilot.press("left")  # back on the keys page, where it was left
        await pilot.pause()
        assert app.screen.query_one("#help-tabs").active == "help-keys" and app.screen._page().top > 3


async def test_help_is_one_screen_shown_again_where_it_was_left(tmp_path):
    app = make_app(data_dir=tmp_path, seed=4)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, close_welcome=True)
        await pilot.press("f1")
        help_screen = app.screen
        await pilot.press("right", "down", "down", "escape")
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("f1")
        await pilot.pause()
        assert app.screen is help_screen
        assert help_screen.query_one("#help-tabs").active == "help-typing" and help_screen._page().top == 2
        assert "How to type answers" in help_screen._page().text()


async def test_a_help_page_opened_before_the_lessons_loaded_shows_them_once_they_have(tmp_path):
    app = make_app(data_dir=tmp_path, seed=4)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, close_welcome=True)
        loaded, app.curriculum = app.curriculum, None  # as in the first moments after start-up
        await pilot.press("f1", "right")
        await pilot.pause()
        assert "not available yet" in app.screen._page().text()
        await pilot.press("escape")
        app.curriculum = loaded
        await pilot.press("f1")
        await pilot.pause()
        assert app.screen._page().parts[0].markdown == loaded.pages["typing"]


async def test_every_help_page_is_drawn_whole_at_80_columns(tmp_path):
    from test_lesson_fits import page_problems

    app = make_app(data_dir=tmp_path, seed=4)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, close_welcome=True)
        await pilot.press("f1")
        for name in ("keys", "typing", "legend"):
            await pilot.pause()
            page = app.screen._page()
            assert app.screen.query_one("#help-tabs").active == f"help-{name}"
            source = KEYS if name == "keys" else app.curriculum.pages[name]
            assert page.parts[0].markdown == source
            assert page_problems(page) == [], name
            await pilot.press("right")


async def test_the_notation_legend_reads_line_by_line_at_80_columns(tmp_path):
    # once a table whose "meaning" column wrapped into 5–7 lines: now one list item per notion
    app = make_app(data_dir=tmp_path, seed=4)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, close_welcome=True)
        await pilot.press("f1", "right", "right")
        await pilot.pause()
        assert app.screen.query_one("#help-tabs").active == "help-legend"
        lines = app.screen._page().text().split("\n")
        items: list[int] = []  # the lines each list item takes: its bullet line and those it wraps onto
        table_rows: list[int] = []  # the lines each row of a table takes
        in_item = False
        for line in lines:
            text = line.strip()
            if text.startswith("•"):
                items.append(1)
                in_item, hang = True, line.index("•") + 2
            elif in_item and text and line[:hang].isspace() and not line[hang].isspace():
                items[-1] += 1
            else:
                in_item = False
            if text.startswith("│"):
                table_rows[-1] += 1
            elif text[:1] in ("┌", "├"):
                table_rows.append(0)
        assert len(items) >= 7 and max(items) <= 3 and sum(items) > len(items), items  # some do wrap
        assert all(n <= 3 for n in table_rows), table_rows  # any table left is a short one

async def test_an_edited_answer_marks_the_old_verdict_as_old(tmp_path):
    app = make_app(data_dir=tmp_path, seed=4)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, close_welcome=True)
        screen = await open_step(pilot, app, is_number_with_hints)
        feedback = screen.query_one("#feedback", FeedbackPanel)
        await pilot.press(*"12345", "enter")
        assert "Not yet" in plain(feedback) and feedback.has_class("-wrong")
        await pilot.press("backspace")
        assert feedback.has_class("-stale")
        assert plain(feedback).startswith("About your previous answer, 12345")
        await pilot.press("5")  # the judged answer is back: so is its verdict, as it was
        assert feedback.has_class("-wrong") and not plain(feedback).startswith("About")
        # a hint or the solution says the verdict again (with the help still left): still about 12345
        await pilot.press("backspace", HINT_KEY.lower())
        assert feedback.has_class("-stale") and plain(feedback).startswith("About your previous answer, 12345")
        await pilot.press(SOLUTION_KEY.lower())
        assert screen.solution_shown
        assert feedback.has_class("-stale") and plain(feedback).startswith("About your previous answer, 12345")
        await pilot.press("5")
        assert feedback.has_class("-wrong")
        box = screen.query_one("#answer-input")
        box.value = format_number(screen.exercise.expected_value)
        await pilot.press("enter")
        assert feedback.has_class("-correct")
        await pilot.press("1")
        assert feedback.has_class("-stale") and "Right" in plain(feedback)


async def test_messages_go_in_the_feedback_line_not_in_toasts_over_the_answer(tmp_path):
    app = make_app(data_dir=tmp_path, seed=4)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, close_welcome=True)
        screen = await open_step(pilot, app, is_number_with_hints)
        feedback = screen.query_one("#feedback", FeedbackPanel)
        await pilot.press("enter")  # nothing typed
        assert "Type an answer first" in plain(feedback)
        await pilot.press(ANOTHER_KEY.lower())
        assert "New numbers" in plain(feedback)
        await pilot.press(SOLUTION_KEY.lower())
        assert f"Press {SOLUTION_KEY} again" in plain(feedback)
        assert not app._notifications, [n.message for n in app._notifications]
        # the end of a lesson is said on the home screen's status line
        screen.index = len(screen.lesson.steps) - 1
        screen.show_step()
        screen.action_next()
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert "Still to solve" in plain(app.screen.query_one("#home-status"))
        assert not app._notifications
        # nothing is due yet: d says so there too, and the word goes once the learner moves on
        await pilot.press("d")
        assert isinstance(app.screen, HomeScreen) and not app._notifications
        assert "Nothing is due for review now" in plain(app.screen.query_one("#home-status"))
        await pilot.press("a", "escape")
        await pilot.pause()
        assert "Nothing is due" not in plain(app.screen.query_one("#home-status"))


async def test_a_solved_step_is_not_told_to_solve_it_again_and_nothing_is_said_twice(tmp_path):
    app = make_app(data_dir=tmp_path, seed=4)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, close_welcome=True)
        screen = await open_step(pilot, app, is_number_with_hints)
        screen.query_one("#answer-input").value = format_number(screen.exercise.expected_value)
        await pilot.press("enter")
        assert screen.solved_now
        await pilot.press(SOLUTION_KEY.lower())
        assert screen.query_one("#lesson-body").part("solution").title == "Worked solution"
        await pilot.press(ANOTHER_KEY.lower())  # new numbers: opening the solution now costs them
        await pilot.press(SOLUTION_KEY.lower(), SOLUTION_KEY.lower())
        assert screen.query_one("#lesson-body").part("solution").title == "Worked solution"  # solved before: earned
        feedback = screen.query_one("#feedback", FeedbackPanel)
        screen.query_one("#answer-input").value = "0.5 +* 2"
        await pilot.press("enter")
        said = plain(feedback).lower()
        assert said.count("could not read") <= 1 and "read" in said


async def test_placeholders_answer_no_question():
    from tutor import catalog

    curriculum, _ = catalog.load()
    specs = [s.exercise for lesson in curriculum.lessons for s in lesson.exercise_steps]
    specs += [q for lesson in curriculum.lessons for q in lesson.quiz]
    shown = {kind: normal_formula(text) for kind, text in PLACEHOLDER.items()}
    for spec in specs:
        for form in (spec.answer, *spec.accept):
            f = normal_formula(form)
            if len(f) >= 4:
                assert f not in shown.get(spec.kind, ""), f"the {spec.kind} placeholder shows {form}"
    assert all(len(text) <= 74 for text in PLACEHOLDER.values())  # whole inside the box at 80 columns


async def test_the_quiz_offers_no_hint_it_does_not_have(tmp_path):
    app = make_app(data_dir=tmp_path, seed=4)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, close_welcome=True)
        await pilot.press("a", "a", "enter")  # choose a quiz, tick every lesson, start
        screen = app.screen
        assert isinstance(screen, QuizScreen)
        for _ in range(len(screen.items)):
            kind = screen.item.exercise.kind
            await pilot.press(*("z" if kind == "choice" else "999"), "enter")
            said = plain(screen.query_one("#quiz-feedback")).lower()
            assert "hint" not in said, said
            await pilot.press(NEXT_KEY.lower())  # skip on to the next question
            if screen.finished:
                break


async def test_the_theme_is_remembered_for_next_time(tmp_path):
    app = make_app(data_dir=tmp_path, seed=4)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, close_welcome=True)
        first = app.theme
        await pilot.press(THEME_KEY.lower())
        chosen = app.theme
        assert chosen != first
    again = make_app(data_dir=tmp_path, seed=4)
    async with again.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        assert again.theme == chosen


async def test_a_warning_about_a_symbol_is_said_once(tmp_path):
    app = make_app(data_dir=tmp_path, seed=4)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, close_welcome=True)
        screen = await open_step(pilot, app, lambda l, s: s.exercise.kind == "expression"
                                 and "a_j" in s.exercise.variables and "a_i" not in s.exercise.variables)
        await pilot.press(*"a_i*a_j", "enter")
        preview = plain(screen.query_one("#answer-preview"))
        said = plain(screen.query_one("#feedback"))
        assert "Not yet" in said
        assert (preview + said).lower().count("you wrote a_i") == 1, (preview, said)
        assert "Not yet. Not quite" not in said
        await pilot.press("+", "1")  # editing brings the warning back under the box
        assert "you wrote a_i" in plain(screen.query_one("#answer-preview")).lower()


async def test_the_arrow_keys_scroll_a_lesson_step_while_the_answer_box_has_the_focus(tmp_path):
    app = make_app(data_dir=tmp_path, seed=4)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, close_welcome=True)
        for lesson, step in ((l, s) for l in app.curriculum.lessons for s in l.exercise_steps):
            app.progress.set_position(lesson.id, step.id)
            app.open_lesson(lesson.id)
            await pilot.pause()
            screen = app.screen
            body = screen.query_one("#lesson-body")
            if body.last_top >= 6:
                break
        else:
            raise AssertionError("every exercise step fits: this test needs one that scrolls")
        assert screen.focused is screen.query_one("#answer-input")
        await pilot.press("down", "down")
        assert body.top == 2
        for _ in range(4):  # keys that arrive together before a repaint all count
            screen.action_scroll(1)
        assert body.top == 6
        await pilot.press("up")
        assert body.top == 5 and screen.focused is screen.query_one("#answer-input")
