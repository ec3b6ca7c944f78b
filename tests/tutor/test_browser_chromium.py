"""A real browser (opt-in: pytest --run-browser): headless Chromium signs in to `serve` and keys get through."""

from __future__ import annotations

import pytest

from chromium_check import available, check_keys, sign_in_and_screenshot

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def chromium_here():
    why = available()
    if why:
        pytest.fail(f"--run-browser was given but {why}")


def test_chromium_signs_in_and_the_screens_are_saved(tmp_path):
    result = sign_in_and_screenshot(tmp_path)
    assert result["signed_in"] and result["welcomed"], result
    assert result["prepared_session"], result  # the page was given one of serve's prepared sessions
    assert result["registered"] == ["Ana"]
    for shot in ("sign-in.png", "welcome.png", "home.png"):
        data = (tmp_path / shot).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000


def test_the_tutors_everyday_keys_reach_the_app_in_chromium():
    keys = ["enter", "escape", "tab", "f1", "ctrl+g", "ctrl+s", "ctrl+r", "ctrl+b", "ctrl+p", "question_mark", "c"]
    got = check_keys(keys)
    assert [k for k in keys if not got[k]] == []
