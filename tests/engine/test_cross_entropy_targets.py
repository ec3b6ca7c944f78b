"""Cross-entropy on a softmax output with targets that do not sum to 1: δ = a·Σt − t, by finite differences.

For E = −Σ_k t_k ln a_k with a = softmax(net), ∂a_k/∂net_i = a_k([k = i] − a_i), so
∂E/∂net_i = Σ_k (−t_k/a_k)·a_k([k = i] − a_i) = −t_i + a_i·Σ_k t_k. Only when Σ_k t_k = 1 is it a_i − t_i.
The oracle below never uses that formula: it nudges net (or a weight) and recomputes E by hand.
"""

from __future__ import annotations

import numpy as np
import pytest

from engine.gradcheck import numerical_gradients, relative_error
from engine.network import Network

EPS = 1e-6


def _E_of_net(net_out: np.ndarray, t: np.ndarray) -> float:
    """E = −Σ t ln softmax(net), written out here (shifted by the max so exp stays finite)."""
    z = net_out - np.max(net_out)
    log_a = z - np.log(np.sum(np.exp(z)))
    return float(-np.sum(t * log_a))


TARGETS = [
    np.array([0.2, 0.3, 0.1]),        # sums to 0.6
    np.array([1.0, 1.0, 0.5]),        # sums to 2.5
    np.array([0.0, 3.0, 0.0]),        # a scaled one-hot
    np.array([0.0, 0.0, 0.0]),        # no target at all: E = 0 everywhere, δ = 0
]


@pytest.mark.parametrize("t", TARGETS, ids=[f"sum={t.sum():g}" for t in TARGETS])
def test_output_delta_is_the_derivative_of_E_with_respect_to_net(t):
    rng = np.random.default_rng(11)
    net = Network.random([2, 3, 3], ["tanh", "softmax"], "cross_entropy", biases=True, rng=rng)
    x = rng.uniform(-1, 1, 2)
    fwd = net.forward(x)
    delta = net.backward(fwd, t).deltas[-1]
    n_out = fwd.nets[-1]
    for i in range(3):
        e = np.zeros(3)
        e[i] = EPS
        numeric = (_E_of_net(n_out + e, t) - _E_of_net(n_out - e, t)) / (2 * EPS)
        assert delta[i] == pytest.approx(numeric, rel=1e-6, abs=1e-9)


@pytest.mark.parametrize("batch", [0, 4])
def test_every_gradient_matches_finite_differences_when_targets_do_not_sum_to_one(batch):
    rng = np.random.default_rng(5)
    net = Network.random([3, 4, 3], ["sigmoid", "softmax"], "cross_entropy", biases=True, rng=rng)
    x = rng.uniform(-1, 1, (batch, 3) if batch else 3)
    t = rng.uniform(0, 1.5, (batch, 3) if batch else 3)  # each row sums to anything from 0 to 4.5
    grads = net.gradients(x, t)
    num_w, num_b = numerical_gradients(net, x, t, eps=EPS)
    for g, n in zip(grads.grad_weights + grads.grad_biases, num_w + num_b):
        assert np.all((relative_error(g, n) < 1e-5) | (np.abs(g - n) < 1e-9)), (g, n)


def test_the_shortcut_a_minus_t_would_fail_this_check():
    """The oracle can tell: for targets summing to 2.5, a − t is not ∂E/∂net."""
    rng = np.random.default_rng(3)
    net = Network.random([2, 3], ["softmax"], "cross_entropy", biases=False, rng=rng)
    x, t = rng.uniform(-1, 1, 2), np.array([1.0, 1.0, 0.5])
    fwd = net.forward(x)
    shortcut = fwd.output - t
    numeric = np.array([
        (_E_of_net(fwd.nets[-1] + EPS * np.eye(3)[i], t) - _E_of_net(fwd.nets[-1] - EPS * np.eye(3)[i], t)) / (2 * EPS)
        for i in range(3)
    ])
    assert np.max(np.abs(shortcut - numeric)) > 0.1
    assert net.backward(fwd, t).deltas[-1] == pytest.approx(numeric, rel=1e-6, abs=1e-9)
