"""The scalar graph: local derivatives, gradients summed over every path, and agreement with the
matrix engine."""

import math

import numpy as np
import pytest

from engine.graph import Value, network_graph
from engine.network import Network


def test_fan_out_node_receives_the_sum_of_its_paths():
    # a feeds three units: y = 2a + a·b + a², so by hand ∂y/∂a = 2 + b + 2a
    a, b = Value(3.0, label="a"), Value(5.0, label="b")
    y = 2 * a + a * b + a**2
    y.backward()
    assert a.grad == pytest.approx(2 + 5.0 + 2 * 3.0)  # one term per path
    assert b.grad == pytest.approx(3.0)


def test_hidden_unit_feeding_two_outputs_sums_over_k():
    # h → o1 (weight w1) and h → o2 (weight w2); E = ½(t1 − σ(w1 h))² + ½(t2 − σ(w2 h))²
    h, w1, w2 = Value(0.6, label="a_h1"), Value(0.4), Value(-0.7)
    o1, o2 = (w1 * h).sigmoid(), (w2 * h).sigmoid()
    E = 0.5 * (0.1 - o1) ** 2 + 0.5 * (0.9 - o2) ** 2
    E.backward()
    s1, s2 = 1 / (1 + math.exp(-0.24)), 1 / (1 + math.exp(0.42))
    d1 = (s1 - 0.1) * s1 * (1 - s1)  # δ_o1
    d2 = (s2 - 0.9) * s2 * (1 - s2)  # δ_o2
    assert h.grad == pytest.approx(0.4 * d1 + (-0.7) * d2)  # Σ_k w_hk δ_k
    assert h.grad != pytest.approx(0.4 * d1)  # one path alone is not enough


@pytest.mark.parametrize("op,f,df", [
    (lambda v: v.exp(), math.exp, math.exp),
    (lambda v: v.log(), math.log, lambda x: 1 / x),
    (lambda v: v.tanh(), math.tanh, lambda x: 1 - math.tanh(x) ** 2),
    (lambda v: v.sigmoid(), lambda x: 1 / (1 + math.exp(-x)), lambda x: math.exp(-x) / (1 + math.exp(-x)) ** 2),
    (lambda v: v**3, lambda x: x**3, lambda x: 3 * x**2),
    (lambda v: 1 / v, lambda x: 1 / x, lambda x: -1 / x**2),
    (lambda v: 2 - v, lambda x: 2 - x, lambda x: -1.0),
])
def test_local_derivatives(op, f, df):
    x = Value(0.7)
    y = op(x)
    y.backward()
    assert y.data == pytest.approx(f(0.7))
    assert x.grad == pytest.approx(df(0.7))


def test_relu_node_gradient_is_zero_at_zero():
    x = Value(0.0)
    x.relu().backward()
    assert x.grad == 0.0


def test_backward_accumulates_until_zero_grad():
    x = Value(2.0)
    y = x * x
    y.backward()
    assert x.grad == pytest.approx(4.0)
    y.zero_grad()
    y.backward()
    assert x.grad == pytest.approx(4.0)


def test_ops_and_labels_are_kept():
    net = Network([[[0.15, 0.2], [0.25, 0.3]], [[0.4, 0.45], [0.5, 0.55]]], [[0.35, 0.35], [0.6, 0.6]])
    g = network_graph(net, [0.05, 0.1], [0.01, 0.99])
    assert g.weights[1][1][0].label == "w_h1o2"
    assert g.nets[0][0].label == "net_h1" and g.nets[0][0].op == "+"
    assert g.acts[1][0].label == "a_o1" and g.acts[1][0].op == "σ"
    assert g.loss.label == "E"
    # a_h1 is a child of both net_o1 and net_o2 (through their products): it fans out over k
    parents = [n for n in g.loss.topological_order() if any(c is g.acts[0][0] for c in n.children)]
    assert len(parents) == 2


CASES = [
    ([2, 2, 2], ["sigmoid", "sigmoid"], "sse", True),
    ([3, 4, 2], ["tanh", "linear"], "sse", False),
    ([2, 3, 3], ["relu", "softmax"], "cross_entropy", True),
    ([2, 3, 2, 2], ["sigmoid", "tanh", "softmax"], "sse", True),
]


@pytest.mark.parametrize("sizes,acts,loss,biases", CASES)
def test_graph_and_matrix_engine_give_the_same_gradients(sizes, acts, loss, biases):
    rng = np.random.default_rng(11)
    net = Network.random(sizes, acts, loss, biases=biases, rng=rng)
    x = rng.uniform(0.1, 1, sizes[0])  # positive inputs and weights keep relu nets positive
    if "relu" in acts:
        net.weights[0] = np.abs(net.weights[0])
        if biases:
            net.biases[0] = np.abs(net.biases[0])
    t = rng.dirichlet(np.ones(sizes[-1])) if loss == "cross_entropy" else rng.uniform(0, 1, sizes[-1])
    grads = net.gradients(x, t)
    g = network_graph(net, x, t)
    g.loss.backward()
    assert g.loss.data == pytest.approx(grads.E, rel=1e-12)
    for l, W in enumerate(g.weights):
        got = np.array([[w.grad for w in row] for row in W])
        np.testing.assert_allclose(got, grads.grad_weights[l], rtol=1e-10, atol=1e-14)
        np.testing.assert_allclose([n.grad for n in g.nets[l]], grads.deltas[l], rtol=1e-10, atol=1e-14)
        if biases:
            np.testing.assert_allclose([b.grad for b in g.biases[l]], grads.grad_biases[l], rtol=1e-10, atol=1e-14)


def test_gradient_arrivals_split_a_fan_out_gradient_by_the_node_it_comes_through():
    # a feeds u = 3a + 1 and v = a², and L = u·v (a = 2, by hand): ∂L/∂u = v = 4, ∂L/∂v = u = 7.
    # Through u: 4·3 = 12; through v: 7·2a = 28; together 40 = dL/da of (3a + 1)a² = 9a² + 2a at 2.
    from engine.graph import gradient_arrivals

    a = Value(2.0, label="a")
    u = 3 * a + 1  # two unnamed nodes (3·a, then + 1) between a and u
    u.label = "u"
    v = a ** 2
    v.label = "v"
    L = u * v
    L.label = "L"
    L.backward()
    named = lambda n: bool(n.label) and n.op != "const"  # noqa: E731
    parts = gradient_arrivals(L, named)
    assert parts[(id(a), id(u))] == pytest.approx(12.0)
    assert parts[(id(a), id(v))] == pytest.approx(28.0)
    assert a.grad == pytest.approx(40.0)  # and every gradient is left as backward() made it
    assert (u.grad, v.grad) == (pytest.approx(4.0), pytest.approx(7.0))
