"""Scenarios for the softmax lessons: a softmax output layer trained with cross-entropy."""

from __future__ import annotations

from typing import Any, Mapping

import numpy as np

from engine.graph import network_graph
from engine.network import Network
from engine.scenarios import Draw, scenario
from engine.scenarios.guards import sum_clear
from engine.scenarios.networks import network_values

# Soft targets (each sums to 1, none is 0): with one-hot targets "the diagonal only" would give the
# right δ for the target unit, so that mistake could not be told apart from the right method.
SOFT_TARGETS = ((0.7, 0.2, 0.1), (0.6, 0.3, 0.1), (0.5, 0.3, 0.2), (0.6, 0.2, 0.2), (0.5, 0.4, 0.1))


def _two_places(rng: np.random.Generator, lo: float, hi: float) -> float:
    return float(rng.choice((-1.0, 1.0))) * round(float(rng.uniform(lo, hi)), 2)


@scenario("softmax-output")
def softmax_output(rng: np.random.Generator, params: Mapping[str, Any]) -> Draw:
    """A 2-2-3 network: sigmoid hidden layer, softmax output, cross-entropy, soft targets.

    Values: every forward and backward number (net_o1…, a_o1…, delta_o1…, E), plus the softmax
    Jacobian jac_oiok = ∂a_oi/∂net_ok and dEda_oi = ∂E/∂a_oi, both read from the scalar Value
    graph's backward pass rather than from any formula.
    """
    while True:
        x = np.array([round(float(rng.uniform(0.1, 1.0)), 2) for _ in range(2)])
        weights = [
            np.array([[_two_places(rng, 0.2, 1.5) for _ in range(2)] for _ in range(2)]),
            np.array([[_two_places(rng, 0.5, 2.5) for _ in range(2)] for _ in range(3)]),
        ]
        t = np.array(SOFT_TARGETS[int(rng.integers(len(SOFT_TARGETS)))])
        t = t[rng.permutation(3)]
        net = Network(weights, None, ["sigmoid", "softmax"], "cross_entropy")
        values, _ = network_values(net, x, t)
        a = [values[f"a_o{i}"] for i in (1, 2, 3)]
        if min(a) < 0.05 or max(a) > 0.9:
            continue  # keep every probability readable to four decimals and every entry sizeable
        # δ_k = Σ_i ∂E/∂a_i·∂a_i/∂net_k has the terms −t_k(1 − a_k) (i = k) and t_i·a_k (i ≠ k):
        # for no k may they nearly cancel
        if not all(sum_clear([-t[k] * (1 - a[k])] + [t[i] * a[k] for i in range(3) if i != k]) for k in range(3)):
            continue
        for i in range(3):
            graph = network_graph(net, x, t)
            graph.acts[1][i].backward()
            for k in range(3):
                values[f"jac_o{i + 1}o{k + 1}"] = float(graph.nets[1][k].grad)
        graph = network_graph(net, x, t)
        graph.loss.backward()
        for i in range(3):
            values[f"dEda_o{i + 1}"] = float(graph.acts[1][i].grad)
        return Draw(values, {"network": net, "x": x, "t": t})
