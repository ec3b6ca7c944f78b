"""Scenarios for the networks lessons: a whole backward pass on a 2-2-2 network, and the matrix form."""

from __future__ import annotations

from typing import Any, Mapping

import numpy as np

from engine.graph import network_graph
from engine.network import Gradients, Network, bias_symbol, symbol, weight_symbol
from engine.scenarios import Draw, scenario
from engine.scenarios.guards import hidden_sums_clear, updates_clear

TARGET_PAIRS = ((0.01, 0.99), (0.99, 0.01))
ETAS = (0.25, 0.5)


def _two_places(rng: np.random.Generator, lo: float, hi: float, signed: bool = True) -> float:
    """A number with two decimals, |x| in [lo, hi], with a random sign when `signed`."""
    sign = float(rng.choice((-1.0, 1.0))) if signed else 1.0
    return sign * round(float(rng.uniform(lo, hi)), 2)


def network_values(net: Network, x: np.ndarray, t: np.ndarray, eta: float | None = None) -> tuple[dict[str, float], Gradients]:
    """Every number of one forward and backward pass (and step, given η), named in house notation.

    Inputs appear as both x_i1 and a_i1; gradients as gw_…/gb_…; moved weights as wnew_…/bnew_….
    For a three-layer network back_h1, back_h2, … are ∂E/∂a_hj (the sums Σ_k w_jk δ_k), read from the
    scalar Value graph's backward pass, an independent route to them.
    """
    sizes = net.sizes
    fwd = net.forward(x)
    grads = net.backward(fwd, t)
    values: dict[str, float] = {"E": float(grads.E)}
    for j, v in enumerate(x):
        values[symbol("x", sizes, 0, j)] = float(v)
        values[symbol("a", sizes, 0, j)] = float(v)
    for l in range(len(net.weights)):
        for k in range(sizes[l + 1]):
            values[symbol("net", sizes, l + 1, k)] = float(fwd.nets[l][k])
            values[symbol("a", sizes, l + 1, k)] = float(fwd.acts[l + 1][k])
            values[symbol("delta", sizes, l + 1, k)] = float(grads.deltas[l][k])
            for j in range(sizes[l]):
                name = weight_symbol(sizes, l, k, j)
                values[name] = float(net.weights[l][k, j])
                values["g" + name] = float(grads.grad_weights[l][k, j])
            if net.biases is not None:
                b = bias_symbol(sizes, l, k)
                values[b] = float(net.biases[l][k])
                values["g" + b] = float(grads.grad_biases[l][k])
    for k, v in enumerate(t):
        values[symbol("t", sizes, len(sizes) - 1, k)] = float(v)
    if eta is not None:
        values["eta"] = float(eta)
        moved = net.step(grads, eta)
        for l in range(len(net.weights)):
            for k in range(sizes[l + 1]):
                for j in range(sizes[l]):
                    values["wnew" + weight_symbol(sizes, l, k, j)[1:]] = float(moved.weights[l][k, j])
                if net.biases is not None:
                    values["bnew" + bias_symbol(sizes, l, k)[1:]] = float(moved.biases[l][k])
        values["Enew"] = float(moved.error(moved.forward(x), t))  # E after the step, same example
    if len(sizes) == 3:
        graph = network_graph(net, x, t)
        graph.loss.backward()
        for j, a_j in enumerate(graph.acts[0]):
            values[f"back_h{j + 1}"] = float(a_j.grad)
    return values, grads


def _updates_clear(net: Network, grads: Gradients, eta: float) -> bool:
    """True when no moved weight or bias w − η·∂E/∂w nearly cancels to 0."""
    pairs = list(zip(net.weights, grads.grad_weights))
    if net.biases is not None and grads.grad_biases is not None:
        pairs += list(zip(net.biases, grads.grad_biases))
    return all(updates_clear(p.ravel(), (-eta * g).ravel()) for p, g in pairs)


@scenario("backward-pass")
def backward_pass(rng: np.random.Generator, params: Mapping[str, Any]) -> Draw:
    """A 2-2-2 sigmoid network with squared error (with biases when params["biases"]), one example,
    a target pair and a learning rate; every derived number comes from Network.forward/backward/step."""
    with_biases = bool(params.get("biases", False))
    while True:
        x = np.array([_two_places(rng, 0.1, 1.0, signed=False) for _ in range(2)])
        weights = [np.array([[_two_places(rng, 0.15, 1.2) for _ in range(2)] for _ in range(2)]) for _ in range(2)]
        biases = [np.array([_two_places(rng, 0.05, 0.5) for _ in range(2)]) for _ in range(2)] if with_biases else None
        t = np.array(TARGET_PAIRS[int(rng.integers(len(TARGET_PAIRS)))])
        eta = float(rng.choice(ETAS))
        net = Network(weights, biases, ["sigmoid", "sigmoid"], "sse")
        values, grads = network_values(net, x, t, eta)
        if hidden_sums_clear(net.weights, grads.deltas) and _updates_clear(net, grads, eta):
            return Draw(values, {"network": net, "x": x, "t": t})


@scenario("matrix-network")
def matrix_network(rng: np.random.Generator, params: Mapping[str, Any]) -> Draw:
    """A 2-3-3 sigmoid network with squared error and no biases, for the matrix form; back_h1…back_h3
    are the entries of (W^(2))ᵀ δ^(2)."""
    while True:
        x = np.array([_two_places(rng, 0.1, 1.0, signed=False) for _ in range(2)])
        weights = [
            np.array([[_two_places(rng, 0.15, 1.2) for _ in range(2)] for _ in range(3)]),
            np.array([[_two_places(rng, 0.15, 1.2) for _ in range(3)] for _ in range(3)]),
        ]
        t = np.full(3, 0.01)
        t[int(rng.integers(3))] = 0.99
        net = Network(weights, None, ["sigmoid", "sigmoid"], "sse")
        values, grads = network_values(net, x, t)
        if hidden_sums_clear(net.weights, grads.deltas):
            return Draw(values, {"network": net, "x": x, "t": t})


@scenario("layer-sizes")
def layer_sizes(rng: np.random.Generator, params: Mapping[str, Any]) -> Draw:
    """A four-layer network (input, two hidden, output) with four different layer sizes n_0…n_3.

    rows_W2, cols_gW3 and the like are the shapes of the engine's own weight and gradient arrays
    (engine index l is the superscript l + 1), so the shape rules are checked against real arrays.
    """
    sizes = [int(n) for n in rng.choice(np.arange(2, 8), size=4, replace=False)]
    net = Network.random(sizes, ["sigmoid"] * 3, "sse", biases=True, rng=rng, scale=0.5)
    x = rng.uniform(0.1, 0.9, sizes[0])
    t = rng.uniform(0.1, 0.9, sizes[-1])
    grads = net.gradients(x, t)
    values: dict[str, float] = {f"n_{l}": float(n) for l, n in enumerate(sizes)}
    for l in range(3):
        sup = l + 1
        values[f"rows_W{sup}"], values[f"cols_W{sup}"] = (float(s) for s in net.weights[l].shape)
        values[f"rows_gW{sup}"], values[f"cols_gW{sup}"] = (float(s) for s in grads.grad_weights[l].shape)
        values[f"len_delta{sup}"] = float(grads.deltas[l].shape[0])
    return Draw(values, {"network": net, "x": x, "t": t})
