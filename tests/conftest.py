"""Shared pytest options: long-running tests (marked slow) run only when --run-slow is given."""

import pytest


def pytest_addoption(parser):
    parser.addoption("--run-slow", action="store_true", default=False,
                     help="also run the tests marked slow (long fuzzing runs)")


def pytest_collection_modifyitems(config, items):
    if config.getoption("--run-slow"):
        return
    # An explicit skip with a reason, so `-ra` lists every test that did not run and why.
    skip = pytest.mark.skip(reason="slow: long-running, opt in with --run-slow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)
