"""A network with two hidden layers: a δ two layers back, the "every later layer" sum, finite differences."""

from __future__ import annotations

import re
from typing import Any, Mapping

import numpy as np

from engine.activations import activate
from engine.gradcheck import numerical_gradients
from engine.graph import network_graph
from engine.network import Network
from engine.scenarios import Draw, scenario
from engine.scenarios.guards import hidden_sums_clear
from engine.scenarios.networks import network_values

TARGET_PAIRS = ((0.01, 0.99), (0.99, 0.01))
EPS = 1e-6
_LAYER = re.compile(r"\^\((\d+)\)")


def alias(name: str) -> str:
    """A layer-superscript name as a symbol the answer grammar can read: delta_1^(2) -> delta_1L2."""
    return _LAYER.sub(r"L\1", name)


def _weight(rng: np.random.Generator) -> float:
    """Two decimals, random sign, |w| in [0.3, 1.5]: large enough that a δ two layers back is not tiny."""
    return float(rng.choice((-1.0, 1.0))) * round(float(rng.uniform(0.3, 1.5)), 2)


def _net_derivatives(net: Network, x, t, layer: int, j: int) -> dict[tuple[int, int], float]:
    """∂net_k^(m)/∂net_j^(layer) for every unit k of every later layer m, from the scalar graph
    (summed over every road between the two, as the graph's backward pass does)."""
    out = {}
    for m in range(layer + 1, len(net.sizes)):
        for k in range(net.sizes[m]):
            graph = network_graph(net, x, t)
            graph.nets[m - 1][k].backward()
            out[(m, k)] = float(graph.nets[layer - 1][j].grad)
    return out


def _E_after_nudging_net(net: Network, x, t, layer: int, j: int, eps: float) -> float:
    """E with net_j^(layer) moved by eps and the layers above it run forward by the engine."""
    moved = net.forward(x).nets[layer - 1].copy()
    moved[j] += eps
    above = Network(net.weights[layer:], None, net.activations[layer:], net.loss)
    return above.error(above.forward(activate(net.activations[layer - 1], moved)), t)


@scenario("two-hidden-layers")
def two_hidden_layers(rng: np.random.Generator, params: Mapping[str, Any]) -> Draw:
    """A 2-2-2-2 sigmoid network with squared error and no biases, one example.

    Values are named as the engine names them (a_1^(1), delta_2^(3), w_12^(2), gw_21^(1)) and again
    under grammar-safe aliases (a_1L1, delta_2L3, w_12L2, gw_21L1) for answer formulas. For each
    unit j of layer 1 there are also:
      every_jL1: Σ over the units k of *both* later layers of δ_k·∂net_k/∂net_j^(1), the derivatives
                 read from the scalar graph: the "sum over every later layer" a learner may propose;
      fd_delta_jL1: ∂E/∂net_j^(1) by central differences, nudging net_j^(1) and running forward;
      back_jL1, back_jL2: ∂E/∂a_j^(l) from the scalar graph (the sums Σ_k w_jk δ_k);
    and fd_gw_…L1: every first-layer weight's gradient by central differences.
    No hidden unit's Σ_k w_jk δ_k nearly cancels, so rounded hand work stays within tolerance.
    """
    while True:
        x = np.array([round(float(rng.uniform(0.1, 1.0)), 2) for _ in range(2)])
        weights = [np.array([[_weight(rng) for _ in range(2)] for _ in range(2)]) for _ in range(3)]
        t = np.array(TARGET_PAIRS[int(rng.integers(len(TARGET_PAIRS)))])
        net = Network(weights, None, ["sigmoid"] * 3, "sse")
        values, grads = network_values(net, x, t)
        if hidden_sums_clear(net.weights, grads.deltas):
            break
    graph = network_graph(net, x, t)
    graph.loss.backward()
    extra: dict[str, float] = {}
    for layer in (1, 2):
        for j in range(2):
            extra[f"back_{j + 1}L{layer}"] = float(graph.acts[layer - 1][j].grad)
    for j in range(2):
        links = _net_derivatives(net, x, t, 1, j)
        extra[f"every_{j + 1}L1"] = sum(float(grads.deltas[m - 1][k]) * d for (m, k), d in links.items())
        plus = _E_after_nudging_net(net, x, t, 1, j, EPS)
        minus = _E_after_nudging_net(net, x, t, 1, j, -EPS)
        extra[f"fd_delta_{j + 1}L1"] = (plus - minus) / (2 * EPS)
    numeric, _ = numerical_gradients(net, x, t, eps=EPS)
    for k in range(2):
        for j in range(2):
            extra[f"fd_gw_{j + 1}{k + 1}L1"] = float(numeric[0][k, j])
    values.update({alias(name): v for name, v in values.items() if "^(" in name})
    values.update(extra)
    for j in range(2):
        values[f"every_gw_{j + 1}1L1"] = extra["every_1L1"] * values[f"x_{j + 1}L0"]
        values[f"every_gw_{j + 1}2L1"] = extra["every_2L1"] * values[f"x_{j + 1}L0"]
    return Draw(values, {"network": net, "x": x, "t": t})
