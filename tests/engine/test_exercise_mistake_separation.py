"""A draw in which two different catalogued mistakes coincide is re-drawn, so the diagnosis is never ambiguous."""

from __future__ import annotations

import numpy as np

from engine.exercises import ExerciseSpec, MistakeSpec, realize
from engine.scenarios import Draw, scenario


@scenario("test-coinciding-mistakes")
def _coin(rng: np.random.Generator, params) -> Draw:
    # x is 1 or 2 with equal chance; the mistake "x" coincides with the mistake "2" whenever x = 2.
    return Draw({"x": float(rng.integers(1, 3)), "y": 5.0})


SPEC = ExerciseSpec(
    id="coin", kind="number", prompt="y?", answer="y", hints=("a", "b"), solution="y",
    scenario="test-coinciding-mistakes",
    mistakes=(MistakeSpec("took-x", "x", "You took x."), MistakeSpec("took-two", "2", "You took 2.")),
)


def test_draws_where_two_mistakes_coincide_are_redrawn():
    xs = {realize(SPEC, seed).values["x"] for seed in range(40)}
    assert xs == {1.0}


def test_each_mistake_is_then_named_correctly():
    for seed in range(10):
        ex = realize(SPEC, seed)
        assert ex.grade("1").mistake == "took-x"
        assert ex.grade("2").mistake == "took-two"
