"""Sampling domains and points: documented defaults, exercise overrides, repeatable draws."""

from hypothesis import given, settings
from hypothesis import strategies as st

from engine.answers import check
from engine.answers.sampling import DEFAULT_DOMAINS, domain_of, points, symbol_keys


def test_default_domains_are_the_documented_ones():
    assert domain_of("a_j") == (0.05, 0.95)
    assert domain_of("a") == (0.05, 0.95)
    assert domain_of("t_k") == (0.0, 1.0)
    assert domain_of("w_jk") == (-2.0, 2.0)
    assert domain_of("net_h1") == (-2.0, 2.0)
    assert domain_of("x") == (-2.0, 2.0)
    assert domain_of("eta") == (0.05, 1.0)
    assert domain_of("g") == (-2.0, 2.0)
    assert set(DEFAULT_DOMAINS) >= {"a", "t", "w", "net", "x", "eta"}


def test_exercise_domains_win_by_name_pattern_or_base():
    assert domain_of("a_k", {"a_k": (0.01, 0.99)}) == (0.01, 0.99)
    assert domain_of("a_k", {"a_*": [0.2, 0.3]}) == (0.2, 0.3)
    assert domain_of("x", {"x": (-4, 4)}) == (-4.0, 4.0)
    assert domain_of("a_j", {"a_k": (0.01, 0.99)}) == (0.05, 0.95)


def test_points_include_simple_values_and_stay_in_the_domain():
    keys = symbol_keys({"a_j", "x"}, {"w_jk": ("k",)}, {"k": 3})
    assert keys == ["a_j", "x", ("w_jk", (0,)), ("w_jk", (1,)), ("w_jk", (2,))]
    envs = list(points(keys, count=24))
    assert len(envs) == 24
    assert all(v == 0.5 for v in envs[0].values())
    assert envs[1]["x"] == 1.0 and envs[1]["a_j"] == 0.5  # 1 lies outside (0.05, 0.95): the middle
    for env in envs:
        assert 0.05 <= env["a_j"] <= 0.95 and -2 <= env["x"] <= 2
    # one independent value per index value
    assert len({envs[5][("w_jk", (i,))] for i in range(3)}) == 3


def test_a_symbol_takes_the_same_values_whatever_else_is_sampled():
    alone = [e["x"] for e in points(["x"])]
    with_others = [e["x"] for e in points(["a", "x", "z"])]
    assert alone == with_others


def test_answers_are_only_tested_inside_the_domain():
    # log(0.95 - a) + 1 - log(0.95 - a) is 1 wherever a < 0.95, i.e. on the whole default domain
    assert check("log(0.96 - a) + 1 - log(0.96 - a)", "1 + 0*a", ["a"]).correct
    # with a wider domain the answer is undefined at some points where the reference is defined
    assert not check("log(0.96 - a) + 1 - log(0.96 - a)", "1 + 0*a", ["a"], domain={"a": (0, 1)}).correct


@settings(max_examples=200, deadline=None)
@given(st.floats(-1e6, 1e6, allow_nan=False), st.floats(-1e6, 1e6, allow_nan=False))
def test_products_typed_as_arithmetic_are_accepted_as_numbers(p, q):
    assert check(f"{p!r}*({q!r})", repr(p * q), kind="number").correct
