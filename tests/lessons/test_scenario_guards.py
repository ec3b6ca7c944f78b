"""Every scenario with a sum of several terms keeps it clear of cancellation, the same way.

A sum is clear when |Σ terms| > ½·Σ |terms|: then rounding each term to 4 significant figures (a
relative error of at most 5e-4 each) moves the total by at most 1e-3 of itself, inside the 2e-3
tolerance. The terms are rebuilt here from the drawn values, not taken from the guard's code.
"""

from __future__ import annotations

import numpy as np
import pytest

from engine import scenarios

SEEDS = range(25)


def clear(terms) -> bool:
    terms = [float(x) for x in terms]
    return abs(sum(terms)) > 0.5 * sum(abs(x) for x in terms)


def draw(name, seed, **params):
    return scenarios.get(name)(np.random.default_rng(seed), params).values


def _hidden_sums(v, n_hidden, n_out):
    return [[v[f"w_h{j}o{k}"] * v[f"delta_o{k}"] for k in range(1, n_out + 1)] for j in range(1, n_hidden + 1)]


@pytest.mark.parametrize("seed", SEEDS)
def test_hidden_sums_are_clear(seed):
    cases = [
        (draw("fan-out-unit", seed), 2, 2),
        (draw("hidden-net", seed), 2, 2),
        (draw("hidden-net", seed, sizes=[2, 2, 3]), 2, 3),
        (draw("backward-pass", seed), 2, 2),
        (draw("backward-pass", seed, biases=True), 2, 2),
        (draw("matrix-network", seed), 3, 3),
    ]
    for v, n_hidden, n_out in cases:
        for terms in _hidden_sums(v, n_hidden, n_out):
            assert clear(terms), terms
    families = draw("hidden-delta-families", seed)
    assert clear([w * d for w, d in zip(families["w_jk"], families["delta_k"])])


@pytest.mark.parametrize("seed", SEEDS)
def test_updates_do_not_cancel_to_zero(seed):
    unit = draw("output-unit", seed)
    for old, grad in (("w_h1o1", "gw_h1o1"), ("w_h2o1", "gw_h2o1"), ("b_o1", "gb_o1")):
        assert clear([unit[old], -unit["eta"] * unit[grad]])
    for biases in (False, True):
        v = draw("backward-pass", seed, biases=biases)
        names = [n for n in v if n.startswith("wnew_")] + [n for n in v if n.startswith("bnew_")]
        assert len(names) == (12 if biases else 8)
        for moved in names:
            old = moved[0] + moved[4:]  # wnew_h1o1 -> w_h1o1, bnew_o1 -> b_o1
            assert clear([v[old], -v["eta"] * v["g" + old]])


@pytest.mark.parametrize("seed", SEEDS)
def test_softmax_deltas_the_long_way_are_clear(seed):
    v = draw("softmax-output", seed)
    a = [v[f"a_o{i}"] for i in (1, 2, 3)]
    t = [v[f"t_o{i}"] for i in (1, 2, 3)]
    for k in range(3):
        # δ_k = Σ_i (−t_i/a_i)·a_i([i = k] − a_k): the i = k term −t_k(1 − a_k), the others t_i·a_k
        terms = [-t[k] * (1 - a[k])] + [t[i] * a[k] for i in range(3) if i != k]
        assert clear(terms)
        assert sum(terms) == pytest.approx(v[f"delta_o{k + 1}"], rel=1e-9)
