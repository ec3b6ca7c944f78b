"""Shared pytest options: long-running tests (marked slow) run only with --run-slow, and the tests that
drive a real browser (marked browser) only with --run-browser."""

import pytest


def pytest_addoption(parser):
    parser.addoption("--run-slow", action="store_true", default=False,
                     help="also run the tests marked slow (long fuzzing runs)")
    parser.addoption("--run-browser", action="store_true", default=False,
                     help="also run the tests that drive headless Chromium (needs chromium and chromium-driver)")


def pytest_collection_modifyitems(config, items):
    # An explicit skip with a reason, so `-ra` lists every test that did not run and why.
    opt_in = {"slow": ("--run-slow", "slow: long-running, opt in with --run-slow"),
              "browser": ("--run-browser", "drives headless Chromium: opt in with --run-browser")}
    for marker, (option, reason) in opt_in.items():
        if config.getoption(option):
            continue
        skip = pytest.mark.skip(reason=reason)
        for item in items:
            if marker in item.keywords:
                item.add_marker(skip)
