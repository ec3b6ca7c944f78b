"""The session starter's warm-up: CSS parsed once and shared, keyed by theme variables; a rehearsal that leaves no thread.

Each check runs in a fresh interpreter, because share_parsed_css changes Textual's Stylesheet for the
whole process (as it is meant to, in the starter).
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest


def run_script(body: str) -> str:
    result = subprocess.run([sys.executable, "-c", textwrap.dedent(body)], capture_output=True, text=True,
                            timeout=180)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_rules_are_shared_between_stylesheets_with_the_same_variables_and_not_otherwise():
    out = run_script("""
        from textual.color import Color
        from textual.css.stylesheet import Stylesheet
        from tutor.serve_warm import share_parsed_css

        CSS = "Static { background: $primary; }"

        def rules(primary):
            sheet = Stylesheet(variables={"primary": primary})
            sheet.add_source(CSS, read_from=("test", "CSS"))
            sheet.parse()
            return sheet.rules

        before_red = rules("red")
        assert share_parsed_css() is True
        assert share_parsed_css() is True  # a second call changes nothing
        red_1, red_2, blue = rules("red"), rules("red"), rules("blue")
        # the same source with the same variables: the very same parsed rules, parsed once
        assert len(red_1) == 1 and red_1[0] is red_2[0]
        # the shared parse says what Textual's own parse says
        assert [r.css for r in red_1] == [r.css for r in before_red]
        # other variables: parsed again, with the other colour substituted
        assert blue[0] is not red_1[0]
        assert red_1[0].styles.background == Color.parse("red")
        assert blue[0].styles.background == Color.parse("blue")
        print("ok")
    """)
    assert out.strip() == "ok"


def test_an_apps_reparse_after_its_theme_changes_uses_the_new_theme():
    out = run_script("""
        import asyncio
        from textual.app import App
        from textual.widgets import Static
        from tutor.serve_warm import share_parsed_css

        share_parsed_css()

        class One(App):
            CSS = "Static { background: $primary; }"
            def compose(self):
                yield Static("x")

        async def main():
            app = One()
            async with app.run_test() as pilot:
                app.theme = "textual-dark"
                await pilot.pause()
                dark = app.query_one(Static).styles.background
                app.theme = "textual-light"
                await pilot.pause()
                light = app.query_one(Static).styles.background
                expected = app.get_css_variables()["primary"]
            return dark, light, expected

        dark, light, expected = asyncio.run(main())
        from textual.color import Color
        assert dark != light, (dark, light)
        assert light == Color.parse(expected), (light, expected)
        print("ok")
    """)
    assert out.strip() == "ok"


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_a_rehearsal_leaves_no_thread_and_fills_the_shared_rules(size):
    out = run_script(f"""
        import threading
        from tutor import serve_warm

        serve_warm.share_parsed_css()
        serve_warm.rehearse({size!r})
        assert threading.active_count() == 1, threading.enumerate()
        sources = {{key[1][0] for key in serve_warm._SHARED_RULES}}
        # the tutor's own stylesheet is among the sources parsed in the rehearsal
        assert any(path.endswith("app.tcss") for path in sources), sources
        print("ok")
    """)
    assert out.strip() == "ok"


async def test_a_session_turns_garbage_collection_back_on_once_its_sign_in_screen_has_painted(tmp_path):
    import gc

    from tutor.classroom_app import make_classroom_app

    app = make_classroom_app(class_dir=tmp_path)
    gc.disable()  # as classroom_app.main does before the app starts
    try:
        async with app.run_test() as pilot:
            await pilot.pause()
            assert gc.isenabled()
            assert app.screen.query_one("#login-name").placeholder == "your name"
    finally:
        gc.enable()
