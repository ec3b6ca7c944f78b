"""The finite-difference checker: it confirms right gradients and catches wrong ones."""

import dataclasses

import numpy as np
import pytest

from engine.gradcheck import check_gradients, numerical_gradients, relative_error
from engine.network import Network


def test_relative_error_definition():
    np.testing.assert_allclose(relative_error([1.0, 0.0, -2.0], [3.0, 0.0, -2.0]), [0.5, 0.0, 0.0])


def test_numerical_gradient_of_a_one_weight_network_by_hand():
    # E = ½(t − w·x)² with linear output: ∂E/∂w = −(t − w x)·x
    net = Network([[[2.0]]], None, ["linear"])
    num_w, num_b = numerical_gradients(net, [3.0], [1.0])
    assert num_w[0][0, 0] == pytest.approx(-(1.0 - 6.0) * 3.0, rel=1e-8)
    assert num_b is None
    assert net.weights[0][0, 0] == 2.0  # the caller's network is untouched


def test_check_passes_for_backprop():
    net = Network.random([3, 4, 2], ["tanh", "sigmoid"], rng=5)
    check = check_gradients(net, [0.1, -0.4, 0.8], [0.2, 0.7])
    assert check.ok()
    assert check.max_rel_error < 1e-6


def test_check_catches_a_deliberately_wrong_gradient():
    net = Network.random([2, 3, 2], ["sigmoid", "sigmoid"], rng=6)
    x, t = [0.5, -0.3], [0.1, 0.9]
    grads = net.gradients(x, t)
    # the classic slip: the output δ without σ′, i.e. δ_k = a_k − t_k
    fwd = net.forward(x)
    wrong_delta = fwd.output - np.array(t)
    wrong_gw = list(grads.grad_weights)
    wrong_gw[1] = np.outer(wrong_delta, fwd.acts[1])
    wrong = dataclasses.replace(grads, grad_weights=wrong_gw)
    check = check_gradients(net, x, t, grads=wrong)
    assert not check.ok()
    assert check.rel_error_weights[1].min() > 0.1
    np.testing.assert_array_less(check.rel_error_weights[0], 1e-6)  # the untouched layer still agrees


def test_check_catches_a_single_flipped_sign():
    net = Network.random([2, 2, 2], rng=8)
    x, t = [0.5, 0.2], [0.3, 0.6]
    grads = net.gradients(x, t)
    gb = [b.copy() for b in grads.grad_biases]
    gb[0][1] = -gb[0][1]
    check = check_gradients(net, x, t, grads=dataclasses.replace(grads, grad_biases=gb))
    assert not check.ok()
    assert check.rel_error_biases[0][1] == pytest.approx(1.0)
