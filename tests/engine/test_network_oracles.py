"""The network's gradients against independent oracles: finite differences, sympy, and Mazur's
published worked example."""

import numpy as np
import pytest
import sympy as sp

from engine.gradcheck import numerical_gradients, relative_error
from engine.network import Network

ELEMENTWISE = ["sigmoid", "tanh", "relu", "linear"]


def _random_case(rng, sizes, hidden, out, loss, biases, batch):
    """A random network and data; relu pre-activations are kept away from the kink at 0."""
    for _ in range(200):
        acts = [hidden] * (len(sizes) - 2) + [out]
        net = Network.random(sizes, acts, loss, biases=biases, rng=rng)
        shape = (batch, sizes[0]) if batch else (sizes[0],)
        x = rng.uniform(-1, 1, shape)
        if loss == "cross_entropy":
            t = rng.dirichlet(np.ones(sizes[-1]), size=batch if batch else None)
        else:
            t = rng.uniform(-1, 1, (batch, sizes[-1]) if batch else sizes[-1])
        fwd = net.forward(x)
        relu_nets = [n for n, a in zip(fwd.nets, acts) if a == "relu"]
        if all(np.min(np.abs(n)) > 0.05 for n in relu_nets):
            return net, x, t
    raise AssertionError("could not draw a relu network away from its kinks")


CASES = [
    (hidden, out, loss, biases, batch)
    for hidden in ELEMENTWISE
    for out, loss in [("sigmoid", "sse"), ("tanh", "sse"), ("linear", "sse"), ("relu", "sse"),
                      ("softmax", "sse"), ("softmax", "cross_entropy")]
    for biases in (True, False)
    for batch in (0, 3)
]


@pytest.mark.parametrize("hidden,out,loss,biases,batch", CASES)
def test_backprop_matches_finite_differences(hidden, out, loss, biases, batch):
    rng = np.random.default_rng(abs(hash((hidden, out, loss, biases, batch))) % 2**32)
    for sizes in ([2, 3, 2], [3, 4, 3, 2], [2, 2]):
        net, x, t = _random_case(rng, sizes, hidden, out, loss, biases, batch)
        grads = net.gradients(x, t)
        num_w, num_b = numerical_gradients(net, x, t, eps=1e-6)
        for g, n in zip(grads.grad_weights, num_w):
            assert g.shape == n.shape
            err = relative_error(g, n)
            assert np.all((err < 1e-5) | (np.abs(g - n) < 1e-8)), (sizes, g, n)
        if biases:
            for g, n in zip(grads.grad_biases, num_b):
                err = relative_error(g, n)
                assert np.all((err < 1e-5) | (np.abs(g - n) < 1e-8)), (sizes, g, n)
        else:
            assert grads.grad_biases is None


def test_deltas_are_derivatives_of_E_with_respect_to_net():
    """δ = ∂E/∂net checked by nudging each net directly (running the layers above by hand)."""
    rng = np.random.default_rng(7)
    net = Network.random([2, 3, 2], ["tanh", "sigmoid"], rng=rng)
    x, t = rng.uniform(-1, 1, 2), rng.uniform(0, 1, 2)
    fwd = net.forward(x)
    grads = net.backward(fwd, t)

    def sig(z):
        return 1 / (1 + np.exp(-z))

    def E_from_hidden_net(n1):
        a1 = np.tanh(n1)
        a2 = sig(net.weights[1] @ a1 + net.biases[1])
        return 0.5 * np.sum((t - a2) ** 2)

    eps = 1e-6
    for j in range(3):
        e = np.zeros(3)
        e[j] = eps
        numeric = (E_from_hidden_net(fwd.nets[0] + e) - E_from_hidden_net(fwd.nets[0] - e)) / (2 * eps)
        assert grads.deltas[0][j] == pytest.approx(numeric, rel=1e-6)


def _sympy_network(activation, loss):
    """A 2-2-2 network written out symbolically, with its E as a sympy expression."""
    w = [sp.Matrix(2, 2, lambda k, j: sp.Symbol(f"w{l}_{k}{j}")) for l in range(2)]
    b = [sp.Matrix(2, 1, lambda k, _: sp.Symbol(f"b{l}_{k}")) for l in range(2)]
    x = sp.Matrix([sp.Rational(3, 10), sp.Rational(-7, 10)])
    f = {"sigmoid": lambda z: 1 / (1 + sp.exp(-z)), "tanh": sp.tanh}[activation]
    h = (w[0] * x + b[0]).applyfunc(f)
    net_out = w[1] * h + b[1]
    if loss == "sse":
        t = [sp.Rational(1, 5), sp.Rational(9, 10)]
        a = net_out.applyfunc(f)
        E = sp.Rational(1, 2) * sum((t[k] - a[k]) ** 2 for k in range(2))
    else:
        t = [sp.Rational(1, 4), sp.Rational(3, 4)]
        exps = [sp.exp(net_out[k]) for k in range(2)]
        E = -sum(t[k] * sp.log(exps[k] / (exps[0] + exps[1])) for k in range(2))
    return w, b, x, t, E


@pytest.mark.parametrize("activation,loss", [("sigmoid", "sse"), ("tanh", "sse"), ("sigmoid", "cross_entropy")])
def test_backprop_matches_sympy_diff(activation, loss):
    w, b, x, t, E = _sympy_network(activation, loss)
    rng = np.random.default_rng(3)
    values = {}
    W = [rng.uniform(-1, 1, (2, 2)) for _ in range(2)]
    B = [rng.uniform(-1, 1, 2) for _ in range(2)]
    for l in range(2):
        for k in range(2):
            values[b[l][k]] = B[l][k]
            for j in range(2):
                values[w[l][k, j]] = W[l][k, j]
    out_act = "softmax" if loss == "cross_entropy" else activation
    net = Network(W, B, [activation, out_act], loss)
    grads = net.gradients(np.array([0.3, -0.7]), np.array([float(v) for v in t]))
    assert grads.E == pytest.approx(float(E.subs(values)), rel=1e-12)
    for l in range(2):
        for k in range(2):
            expected_b = float(sp.diff(E, b[l][k]).subs(values))
            assert grads.grad_biases[l][k] == pytest.approx(expected_b, rel=1e-10, abs=1e-14)
            for j in range(2):
                expected = float(sp.diff(E, w[l][k, j]).subs(values))
                assert grads.grad_weights[l][k, j] == pytest.approx(expected, rel=1e-10, abs=1e-14)


def mazur_network():
    """Matt Mazur, "A Step by Step Backpropagation Example" (2015): w1..w8 mapped to [k][j]."""
    w1, w2, w3, w4 = 0.15, 0.20, 0.25, 0.30  # w1: i1→h1, w2: i2→h1, w3: i1→h2, w4: i2→h2
    w5, w6, w7, w8 = 0.40, 0.45, 0.50, 0.55  # w5: h1→o1, w6: h2→o1, w7: h1→o2, w8: h2→o2
    weights = [[[w1, w2], [w3, w4]], [[w5, w6], [w7, w8]]]
    return Network(weights, [[0.35, 0.35], [0.60, 0.60]], ["sigmoid", "sigmoid"], "sse")


def test_mazur_published_numbers():
    net = mazur_network()
    fwd = net.forward([0.05, 0.10])
    grads = net.backward(fwd, [0.01, 0.99])
    # forward pass, as published
    assert fwd.acts[1][0] == pytest.approx(0.593269992, abs=1e-8)  # out_h1
    assert fwd.acts[1][1] == pytest.approx(0.596884378, abs=1e-8)  # out_h2
    assert fwd.acts[2][0] == pytest.approx(0.75136507, abs=1e-8)  # out_o1
    assert fwd.acts[2][1] == pytest.approx(0.772928465, abs=1e-8)  # out_o2
    assert grads.E == pytest.approx(0.298371109, abs=1e-8)  # E_total
    assert grads.grad_weights[1][0, 0] == pytest.approx(0.082167041, abs=1e-8)  # ∂E/∂w5
    new = net.step(grads, 0.5)
    published = {  # (layer, k, j): w+
        (1, 0, 0): 0.35891648, (1, 0, 1): 0.408666186, (1, 1, 0): 0.511301270, (1, 1, 1): 0.561370121,
        (0, 0, 0): 0.149780716, (0, 0, 1): 0.19956143, (0, 1, 0): 0.24975114, (0, 1, 1): 0.29950229,
    }
    for (l, k, j), value in published.items():
        assert new.weights[l][k, j] == pytest.approx(value, abs=1e-8), (l, k, j)


def test_mazur_second_step_differs_only_by_the_biases_he_keeps_fixed():
    """His published error after one step (0.291027924) is the moved weights with the biases left as
    they were; moving the biases as well (what the engine's step does) gives a different, lower E.
    examples/mazur.json says so in its description."""
    import json
    from pathlib import Path

    net = mazur_network()
    x, t = [0.05, 0.10], [0.01, 0.99]
    moved = net.step(net.gradients(x, t), 0.5)
    weights_only = Network(moved.weights, net.biases, ["sigmoid", "sigmoid"], "sse")
    # his intermediate values are rounded to 8-9 digits, so agreement to 1e-6
    assert weights_only.error(weights_only.forward(x), t) == pytest.approx(0.291027924, abs=1e-6)
    both = moved.error(moved.forward(x), t)
    assert abs(both - 0.291027924) > 1e-3
    description = json.loads((Path(__file__).parents[2] / "tutor" / "examples" / "mazur.json").read_text())["description"]
    assert "0.291027924" in description and f"E = {both:.4f}" in description
