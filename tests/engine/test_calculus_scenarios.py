"""The calculus lessons' scenarios against central finite differences and hand derivations."""

from __future__ import annotations

import math

import numpy as np
import pytest

from engine import scenarios

SEEDS = range(20)
H = 1e-6


def _fd(f, x: float) -> float:
    return (f(x + H) - f(x - H)) / (2 * H)


def _draw(name: str, seed: int, **params):
    return scenarios.get(name)(np.random.default_rng(seed), params).values


@pytest.mark.parametrize("seed", SEEDS)
def test_chain_links_slope_matches_a_finite_difference_of_y(seed):
    v = _draw("chain-links", seed)
    y = lambda x: 1 / (1 + (v["c"] * x) ** 2)  # noqa: E731
    assert v["y"] == pytest.approx(y(v["x"]))
    assert v["dydx"] == pytest.approx(_fd(y, v["x"]), rel=1e-6)
    # Hand derivation: d/dg (1/g) = −1/g².
    assert v["dfdg"] == pytest.approx(-1 / v["g"] ** 2, rel=1e-6)


@pytest.mark.parametrize("seed", SEEDS)
def test_exp_point_slope_is_minus_k_exp(seed):
    v = _draw("exp-point", seed, k=3)
    # Hand derivation: d/dx e^(−kx) = −k·e^(−kx).
    assert v["slope"] == pytest.approx(-3 * math.exp(-3 * v["x"]), rel=1e-6)


@pytest.mark.parametrize("seed", SEEDS)
def test_sigmoid_point_matches_a_finite_difference(seed):
    v = _draw("sigmoid-point", seed)
    sigma = lambda x: 1 / (1 + math.exp(-x))  # noqa: E731
    assert v["sig"] == pytest.approx(sigma(v["x"]))
    assert v["dsig"] == pytest.approx(_fd(sigma, v["x"]), rel=1e-6)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("n", [2, 3])
def test_error_outputs_gradients_match_finite_differences(seed, n):
    v = _draw("error-outputs", seed, n=n)
    acts = [v[f"a_o{k + 1}"] for k in range(n)]
    targets = [v[f"t_o{k + 1}"] for k in range(n)]

    def error(values):
        return 0.5 * sum((t - a) ** 2 for t, a in zip(targets, values))

    assert v["E"] == pytest.approx(error(acts))
    for k in range(n):
        def moved(x, k=k):
            return error(acts[:k] + [x] + acts[k + 1:])

        assert v[f"ga_o{k + 1}"] == pytest.approx(_fd(moved, acts[k]), rel=1e-6, abs=1e-9)


@pytest.mark.parametrize("seed", SEEDS)
def test_net_unit_values_match_the_weighted_sum(seed):
    v = _draw("net-unit", seed)

    def net(w1=v["w_h1o1"], w2=v["w_h2o1"], a1=v["a_h1"], a2=v["a_h2"], b=v["b_o1"]):
        return w1 * a1 + w2 * a2 + b

    assert v["net_o1"] == pytest.approx(net())
    assert v["net_plus"] == pytest.approx(net(w1=v["w_h1o1"] + 0.1))
    assert v["gw_h1o1"] == pytest.approx(_fd(lambda x: net(w1=x), v["w_h1o1"]), rel=1e-6)
    assert v["gw_h2o1"] == pytest.approx(_fd(lambda x: net(w2=x), v["w_h2o1"]), rel=1e-6)
    assert v["ga_h1"] == pytest.approx(_fd(lambda x: net(a1=x), v["a_h1"]), rel=1e-6)
    assert v["gb_o1"] == pytest.approx(_fd(lambda x: net(b=x), v["b_o1"]), rel=1e-6)


def test_same_seed_same_draw_and_fresh_numbers_otherwise():
    for name in ("chain-links", "exp-point", "sigmoid-point", "error-outputs", "net-unit"):
        assert _draw(name, 5) == _draw(name, 5)
        assert len({tuple(sorted(_draw(name, s).items())) for s in range(6)}) > 1
