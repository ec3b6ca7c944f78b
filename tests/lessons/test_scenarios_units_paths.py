"""The output-unit, fan-out and hidden-unit scenarios agree with central finite differences."""

from __future__ import annotations

import math

import numpy as np
import pytest

from engine import scenarios
from engine.gradcheck import numerical_gradients

SEEDS = range(6)
EPS = 1e-6


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def _central(f, x: float) -> float:
    return (f(x + EPS) - f(x - EPS)) / (2 * EPS)


def _draw(name: str, seed: int, **params):
    return scenarios.get(name)(np.random.default_rng(seed), params)


@pytest.mark.parametrize("seed", SEEDS)
def test_output_unit_gradients_and_update_match_finite_differences(seed):
    v = _draw("output-unit", seed).values

    def E(w1: float, w2: float, b: float) -> float:
        a = _sigmoid(w1 * v["a_h1"] + w2 * v["a_h2"] + b)
        return 0.5 * (v["t_o1"] - a) ** 2

    g1 = _central(lambda w: E(w, v["w_h2o1"], v["b_o1"]), v["w_h1o1"])
    g2 = _central(lambda w: E(v["w_h1o1"], w, v["b_o1"]), v["w_h2o1"])
    gb = _central(lambda b: E(v["w_h1o1"], v["w_h2o1"], b), v["b_o1"])
    assert v["gw_h1o1"] == pytest.approx(g1, rel=1e-6, abs=1e-10)
    assert v["gw_h2o1"] == pytest.approx(g2, rel=1e-6, abs=1e-10)
    assert v["gb_o1"] == pytest.approx(gb, rel=1e-6, abs=1e-10)
    assert v["wnew_h2o1"] == pytest.approx(v["w_h2o1"] - v["eta"] * g2, rel=1e-8)
    assert v["bnew_o1"] == pytest.approx(v["b_o1"] - v["eta"] * gb, rel=1e-8)
    # δ is ∂E/∂net: nudge net directly
    net = v["w_h1o1"] * v["a_h1"] + v["w_h2o1"] * v["a_h2"] + v["b_o1"]
    d = _central(lambda n: 0.5 * (v["t_o1"] - _sigmoid(n)) ** 2, net)
    assert v["delta_o1"] == pytest.approx(d, rel=1e-6, abs=1e-10)


@pytest.mark.parametrize("seed", SEEDS)
def test_fan_out_total_and_each_road_match_finite_differences(seed):
    v = _draw("fan-out", seed).values
    c, d, t = v["c"], v["d"], v["t"]
    total = _central(lambda s: s * s * (c * s + d), t)
    x_1, x_2 = t * t, c * t + d
    # one road: F's rate in x_i with the other x frozen, times x_i's rate in t
    road_1 = _central(lambda y: y * x_2, x_1) * _central(lambda s: s * s, t)
    road_2 = _central(lambda y: x_1 * y, x_2) * _central(lambda s: c * s + d, t)
    assert v["dF_dt"] == pytest.approx(total, rel=1e-6)
    assert v["path_1"] == pytest.approx(road_1, rel=1e-6)
    assert v["path_2"] == pytest.approx(road_2, rel=1e-6)
    assert v["F_change"] == pytest.approx((t + 0.01) ** 2 * (c * (t + 0.01) + d) - t * t * (c * t + d))


@pytest.mark.parametrize("seed", SEEDS)
def test_fan_out_unit_hidden_activation_gradient_matches_finite_differences(seed):
    draw = _draw("fan-out-unit", seed)
    v = draw.values

    def E(a1: float, a2: float) -> float:
        total = 0.0
        for k in (1, 2):
            a = _sigmoid(v[f"w_h1o{k}"] * a1 + v[f"w_h2o{k}"] * a2)
            total += 0.5 * (v[f"t_o{k}"] - a) ** 2
        return total

    assert v["dE_da_h1"] == pytest.approx(_central(lambda a: E(a, v["a_h2"]), v["a_h1"]), rel=1e-6, abs=1e-10)
    assert v["dE_da_h2"] == pytest.approx(_central(lambda a: E(v["a_h1"], a), v["a_h2"]), rel=1e-6, abs=1e-10)
    assert draw.context["graph"].label == "E"


@pytest.mark.parametrize("sizes", [(2, 2, 2), (2, 2, 3), (2, 3, 2)])
@pytest.mark.parametrize("seed", SEEDS)
def test_hidden_net_gradients_match_finite_differences(seed, sizes):
    draw = _draw("hidden-net", seed, sizes=list(sizes))
    v, net = draw.values, draw.context["network"]
    grad_w, _ = numerical_gradients(net, draw.context["x"], draw.context["t"])
    for j in range(sizes[0]):
        for h in range(sizes[1]):
            assert v[f"gw_i{j + 1}h{h + 1}"] == pytest.approx(grad_w[0][h, j], rel=1e-5, abs=1e-9)
            # ∂E/∂w_ih = δ_h·a_i, so δ_h is the finite-difference gradient divided by the input
            assert v[f"delta_h{h + 1}"] == pytest.approx(grad_w[0][h, j] / v[f"a_i{j + 1}"], rel=1e-5, abs=1e-9)
    for h in range(sizes[1]):
        for k in range(sizes[2]):
            assert v[f"gw_h{h + 1}o{k + 1}"] == pytest.approx(grad_w[1][k, h], rel=1e-5, abs=1e-9)


@pytest.mark.parametrize("seed", SEEDS)
def test_hidden_delta_families_delta_matches_finite_differences(seed):
    draw = _draw("hidden-delta-families", seed, sizes=[2, 2, 3])
    v, net = draw.values, draw.context["network"]
    grad_w, _ = numerical_gradients(net, draw.context["x"], draw.context["t"])
    assert v["delta_j"] == pytest.approx(grad_w[0][0, 0] / draw.context["x"][0], rel=1e-5, abs=1e-9)
    assert len(v["w_jk"]) == len(v["delta_k"]) == 3
