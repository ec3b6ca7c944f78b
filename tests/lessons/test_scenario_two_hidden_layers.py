"""The two-hidden-layers scenario against a forward pass written out here and central differences.

Derivation being checked (for a strictly layered network): every road from net_j^(1) to E crosses
layer 2 at exactly one unit and layer 3 at exactly one unit, so Σ_(k in layer m) δ_k·∂net_k/∂net_j^(1)
equals ∂E/∂net_j^(1) for m = 2 and for m = 3 alike, and summing over both later layers gives twice it.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from engine import scenarios

SEEDS = range(8)
EPS = 1e-6


def _sig(z):
    return 1.0 / (1.0 + np.exp(-z))


def _weights(v) -> list[np.ndarray]:
    """W^(l)[k][j] = w_jk^(l), read from the scenario's values by name."""
    return [np.array([[v[f"w_{j}{k}^({l})"] for j in (1, 2)] for k in (1, 2)]) for l in (1, 2, 3)]


def _E_from(layer: int, net_in: np.ndarray, W, t) -> float:
    """E when the weighted inputs of `layer` are net_in, the layers above run by hand."""
    a = _sig(net_in)
    for l in range(layer, 3):
        a = _sig(W[l] @ a)
    return float(0.5 * np.sum((t - a) ** 2))


def _nets(v, W):
    x = np.array([v["x_1^(0)"], v["x_2^(0)"]])
    nets, a = [], x
    for l in range(3):
        n = W[l] @ a
        nets.append(n)
        a = _sig(n)
    return x, nets


def _case(seed):
    """The drawn values, the weight matrices, the targets, the input and every layer's net."""
    v = scenarios.get("two-hidden-layers")(np.random.default_rng(seed), {}).values
    W = _weights(v)
    x, nets = _nets(v, W)
    return v, W, np.array([v["t_1^(3)"], v["t_2^(3)"]]), x, nets


@pytest.mark.parametrize("seed", SEEDS)
def test_every_delta_is_dE_dnet_by_central_differences(seed):
    v, W, t, x, nets = _case(seed)
    for layer in (1, 2, 3):
        for j in (0, 1):
            e = np.zeros(2)
            e[j] = EPS
            numeric = (_E_from(layer, nets[layer - 1] + e, W, t) - _E_from(layer, nets[layer - 1] - e, W, t)) / (2 * EPS)
            assert v[f"delta_{j + 1}^({layer})"] == pytest.approx(numeric, rel=1e-6, abs=1e-10)
            assert v[f"delta_{j + 1}L{layer}"] == v[f"delta_{j + 1}^({layer})"]
        assert v[f"a_1L{layer}"] == pytest.approx(float(_sig(nets[layer - 1][0])), rel=1e-12)
    for j in (0, 1):
        assert v[f"fd_delta_{j + 1}L1"] == pytest.approx(v[f"delta_{j + 1}L1"], rel=1e-6, abs=1e-10)


@pytest.mark.parametrize("seed", SEEDS)
def test_first_layer_gradients_match_a_finite_difference_on_the_weight(seed):
    v, W, t, x, _ = _case(seed)
    for k in (0, 1):
        for j in (0, 1):
            Wp = [w.copy() for w in W]
            Wm = [w.copy() for w in W]
            Wp[0][k, j] += EPS
            Wm[0][k, j] -= EPS
            numeric = (_E_from(1, Wp[0] @ x, Wp, t) - _E_from(1, Wm[0] @ x, Wm, t)) / (2 * EPS)
            name = f"{j + 1}{k + 1}"
            assert v[f"gw_{name}L1"] == pytest.approx(numeric, rel=1e-6, abs=1e-10)
            assert v[f"fd_gw_{name}L1"] == pytest.approx(numeric, rel=1e-6, abs=1e-10)


@pytest.mark.parametrize("seed", SEEDS)
def test_summing_over_both_later_layers_counts_every_road_twice(seed):
    v = _case(seed)[0]
    for j in (1, 2):
        assert v[f"every_{j}L1"] == pytest.approx(2 * v[f"fd_delta_{j}L1"], rel=1e-6, abs=1e-10)
        for i in (1, 2):
            assert v[f"every_gw_{i}{j}L1"] == pytest.approx(v[f"every_{j}L1"] * v[f"x_{i}L0"], rel=1e-12)


@pytest.mark.parametrize("seed", SEEDS)
def test_no_hidden_sum_nearly_cancels(seed):
    v = _case(seed)[0]
    for layer in (1, 2):
        for j in (1, 2):
            terms = [v[f"w_{j}{k}L{layer + 1}"] * v[f"delta_{k}L{layer + 1}"] for k in (1, 2)]
            assert abs(sum(terms)) > 0.5 * sum(abs(x) for x in terms)
            assert v[f"back_{j}L{layer}"] == pytest.approx(sum(terms), rel=1e-9)
    assert all(math.isfinite(x) for x in v.values())
