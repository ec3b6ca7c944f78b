"""Network behaviour: batches, the simultaneous update step, relu at 0, and extreme inputs."""

import warnings

import numpy as np
import pytest

from engine.activations import derivative
from engine.network import Network, unit_label, weight_symbol


def test_batch_sums_loss_and_gradients_over_rows():
    rng = np.random.default_rng(1)
    net = Network.random([3, 4, 2], ["tanh", "sigmoid"], rng=rng)
    X, T = rng.uniform(-1, 1, (5, 3)), rng.uniform(0, 1, (5, 2))
    batch = net.gradients(X, T)
    singles = [net.gradients(x, t) for x, t in zip(X, T)]
    assert batch.E == pytest.approx(sum(s.E for s in singles))
    for l in range(2):
        np.testing.assert_allclose(batch.grad_weights[l], sum(s.grad_weights[l] for s in singles))
        np.testing.assert_allclose(batch.grad_biases[l], sum(s.grad_biases[l] for s in singles))
        np.testing.assert_allclose(batch.deltas[l], np.stack([s.deltas[l] for s in singles]))


def test_forward_keeps_net_and_a_of_every_layer():
    net = Network([[[1.0, -1.0]], [[2.0]]], [[0.5], [0.0]], ["linear", "relu"])
    fwd = net.forward([3.0, 1.0])
    # net_h = 3 − 1 + 0.5 = 2.5, a_h = 2.5; net_o = 2·2.5 = 5, a_o = relu(5) = 5
    np.testing.assert_allclose(fwd.nets[0], [2.5])
    np.testing.assert_allclose(fwd.acts[1], [2.5])
    np.testing.assert_allclose(fwd.nets[1], [5.0])
    np.testing.assert_allclose(fwd.output, [5.0])
    np.testing.assert_allclose(fwd.acts[0], [3.0, 1.0])


def test_step_moves_every_weight_at_once_and_leaves_the_original_alone():
    net = Network.random([2, 2, 2], rng=4)
    before = [w.copy() for w in net.weights]
    grads = net.gradients([0.2, 0.4], [0.1, 0.9])
    new = net.step(grads, 0.5)
    for l in range(2):
        np.testing.assert_array_equal(net.weights[l], before[l])
        np.testing.assert_allclose(new.weights[l], before[l] - 0.5 * grads.grad_weights[l])
        np.testing.assert_allclose(new.biases[l], net.biases[l] - 0.5 * grads.grad_biases[l])
    # the hidden δ's come from the old output weights, not the updated ones
    regrads = new.gradients([0.2, 0.4], [0.1, 0.9])
    assert not np.allclose(regrads.deltas[0], grads.deltas[0])


def test_relu_derivative_is_zero_at_zero():
    assert derivative("relu", np.array([0.0]), np.array([0.0]))[0] == 0.0
    net = Network([[[1.0, -1.0]], [[1.0]]], None, ["relu", "linear"])
    grads = net.gradients([2.0, 2.0], [1.0])  # net_h = 0 exactly
    np.testing.assert_array_equal(grads.grad_weights[0], [[0.0, 0.0]])


def test_no_biases_means_no_bias_gradients():
    net = Network.random([2, 2, 1], biases=False, rng=0)
    assert net.biases is None
    assert net.gradients([1.0, 2.0], [0.5]).grad_biases is None


@pytest.mark.parametrize("act,loss", [
    ("sigmoid", "sse"), ("tanh", "sse"), ("relu", "sse"), ("linear", "sse"),
    ("softmax", "sse"), ("softmax", "cross_entropy"),
])
@pytest.mark.parametrize("hidden", ["sigmoid", "tanh", "relu", "linear"])
def test_extreme_pre_activations_are_finite_without_warnings(act, loss, hidden):
    # net_h = ±1000 in the hidden layer, and net_o = ±1000 at the output for saturating hiddens
    w0 = [[1000.0], [-1000.0]]
    scale = 1000.0 if hidden in ("sigmoid", "tanh") else 1.0
    w1 = np.array([[1.0, -1.0], [-1.0, 1.0]]) * scale
    net = Network([w0, w1], None, [hidden, act], loss)
    t = [0.0, 1.0]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(all="raise"):
            fwd = net.forward([1.0])
            grads = net.backward(fwd, t)
            new = net.step(grads, 0.1)
    assert np.isfinite(grads.E)
    for arr in fwd.nets + fwd.acts + grads.deltas + grads.grad_weights + new.weights:
        assert np.all(np.isfinite(arr))


def test_cross_entropy_at_extremes_is_exact_not_clipped():
    net = Network([[[1000.0], [-1000.0]]], None, ["softmax"], "cross_entropy")
    with np.errstate(all="raise"):
        g = net.gradients([1.0], [0.0, 1.0])
    # a_o2 = e^−2000/(1 + e^−2000), so −ln a_o2 = 2000 + ln(1 + e^−2000) = 2000
    assert g.E == pytest.approx(2000.0)
    np.testing.assert_allclose(g.deltas[0], [1.0, -1.0])


@pytest.mark.parametrize("kwargs,message", [
    ({"weights": [[[1.0, 2.0]], [[1.0], [2.0]]], "activations": ["softmax", "sigmoid"]}, "softmax"),
    ({"weights": [[[1.0, 2.0]]], "activations": ["sigmoid"], "loss": "cross_entropy"}, "softmax"),
    ({"weights": [[[1.0, 2.0]]], "activations": ["swish"]}, "unknown activation"),
    ({"weights": [[[1.0, 2.0]]], "loss": "mse"}, "unknown loss"),
    ({"weights": [[[1.0, 2.0]], [[1.0, 2.0]]]}, "shape"),
])
def test_inconsistent_networks_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        Network(**kwargs)


def test_house_labels():
    assert [unit_label([2, 2, 2], l, 0) for l in range(3)] == ["i1", "h1", "o1"]
    assert weight_symbol([2, 2, 2], 1, 1, 0) == "w_h1o2"  # weights[1][k=1][j=0]: from h1 to o2
    assert weight_symbol([2, 3, 3, 2], 2, 1, 0) == "w_12^(3)"
    assert unit_label([2, 3, 3, 2], 2, 0) == "1^(2)"
