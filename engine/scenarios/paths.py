"""Scenarios where a value reaches the output along several paths: fan-out graphs and hidden units."""

from __future__ import annotations

from typing import Any, Mapping

import numpy as np

from engine.graph import Value, network_graph
from engine.network import Network, symbol, weight_symbol
from engine.scenarios import Draw, scenario
from engine.scenarios.guards import hidden_sums_clear, sums_clear

TARGETS = (0.01, 0.99)


def _two_decimals(rng: np.random.Generator, lo: float, hi: float) -> float:
    return round(float(rng.uniform(lo, hi)), 2)


def _weight(rng: np.random.Generator, lo: float = 0.15, hi: float = 1.0) -> float:
    """Two decimals, random sign, |w| in [lo, hi]."""
    return float(rng.choice((-1.0, 1.0)) * _two_decimals(rng, lo, hi))


def _local_derivative(build, t: float) -> float:
    """d(build(t))/dt from a graph of that one function alone (so it is independent of F's graph)."""
    leaf = Value(t, label="t")
    out = build(leaf)
    out.backward()
    return leaf.grad


@scenario("fan-out")
def fan_out(rng: np.random.Generator, params: Mapping[str, Any]) -> Draw:
    """t feeds x_1 = t² and x_2 = c·t + d, and F = x_1·x_2: two paths from t to F.

    Engine values: `dF_dt` is the gradient the Value graph accumulates at t (the sum over paths);
    `path_1`, `path_2` are each path's product ∂F/∂x_i (the graph's gradient at x_i) times dx_i/dt
    (from a separate graph of x_i alone).
    """
    t_val = _two_decimals(rng, 0.5, 2.0)
    c = float(rng.integers(2, 6))
    d = float(rng.integers(1, 5))

    def square(t: Value) -> Value:
        return t**2

    def line(t: Value) -> Value:
        return c * t + d

    t = Value(t_val, label="t")
    x_1 = square(t)
    x_1.label = "x_1"
    x_2 = line(t)
    x_2.label = "x_2"
    F = x_1 * x_2
    F.label = "F"
    F.backward()
    values = {
        "t": t_val, "c": c, "d": d, "x_1": x_1.data, "x_2": x_2.data, "F": F.data,
        "dF_dt": t.grad,
        "dF_dx_1": x_1.grad, "dF_dx_2": x_2.grad,
        "path_1": x_1.grad * _local_derivative(square, t_val),
        "path_2": x_2.grad * _local_derivative(line, t_val),
        # a small nudge, to show that the change in F is (nearly) ε times the sum of the paths
        "eps": 0.01,
        "F_nudged": _F(t_val + 0.01, c, d),
    }
    values["F_change"] = values["F_nudged"] - F.data
    values["eps_path_1"] = 0.01 * values["path_1"]
    values["eps_path_2"] = 0.01 * values["path_2"]
    values["eps_dF_dt"] = 0.01 * t.grad
    return Draw(values, {"graph": F})


def _F(t: float, c: float, d: float) -> float:
    # F evaluated directly, for the nudge shown in the prose
    return t * t * (c * t + d)


@scenario("fan-out-unit")
def fan_out_unit(rng: np.random.Generator, params: Mapping[str, Any]) -> Draw:
    """The top layer of a 2-2-2 sigmoid network as a Value graph: a_h1 fans out to net_o1 and net_o2.

    Engine values: `dE_da_h1` (and `dE_da_h2`) are the gradients the graph accumulates at the
    hidden activations; `delta_o1`, `delta_o2` are the graph's gradients at net_o1, net_o2.
    """
    while True:
        draw = _fan_out_unit_once(rng)
        v = draw.values
        # terms[k][j] = w_jk δ_k: neither hidden unit's sum over k may nearly cancel
        terms = [[v[f"w_h{j + 1}o{k + 1}"] * v[f"delta_o{k + 1}"] for j in range(2)] for k in range(2)]
        if sums_clear(np.array(terms), axis=0):
            return draw


def _fan_out_unit_once(rng: np.random.Generator) -> Draw:
    a = [_two_decimals(rng, 0.1, 0.9) for _ in range(2)]
    w = {f"w_h{j + 1}o{k + 1}": _weight(rng, 0.2, 1.5) for j in range(2) for k in range(2)}
    t = [float(rng.choice(TARGETS)) for _ in range(2)]
    a_h = [Value(v, label=f"a_h{j + 1}") for j, v in enumerate(a)]
    w_nodes = {name: Value(v, label=name) for name, v in w.items()}
    nets, outs, terms = [], [], []
    for k in range(2):
        net = w_nodes[f"w_h1o{k + 1}"] * a_h[0] + w_nodes[f"w_h2o{k + 1}"] * a_h[1]
        net.label = f"net_o{k + 1}"
        out = net.sigmoid()
        out.label = f"a_o{k + 1}"
        terms.append(0.5 * (t[k] - out) ** 2)
        nets.append(net)
        outs.append(out)
    E = terms[0] + terms[1]
    E.label = "E"
    E.backward()
    values: dict[str, float] = {"a_h1": a[0], "a_h2": a[1], "t_o1": t[0], "t_o2": t[1], "E": E.data, **w}
    for k in range(2):
        values[f"net_o{k + 1}"] = nets[k].data
        values[f"a_o{k + 1}"] = outs[k].data
        values[f"delta_o{k + 1}"] = nets[k].grad
    values["dE_da_h1"] = a_h[0].grad
    values["dE_da_h2"] = a_h[1].grad
    return Draw(values, {"graph": E})


def _network(rng: np.random.Generator, sizes: list[int]) -> tuple[Network, np.ndarray, np.ndarray]:
    """A sigmoid network without biases in which no hidden unit's Σ_k w_jk δ_k nearly cancels."""
    while True:
        weights = [np.array([[_weight(rng) for _ in range(n_in)] for _ in range(n_out)])
                   for n_in, n_out in zip(sizes, sizes[1:])]
        x = np.array([_two_decimals(rng, 0.05, 0.95) for _ in range(sizes[0])])
        t = np.array([float(rng.choice(TARGETS)) for _ in range(sizes[-1])])
        net = Network(weights, None, ["sigmoid"] * (len(sizes) - 1), "sse")
        if hidden_sums_clear(net.weights, net.gradients(x, t).deltas):
            return net, x, t


@scenario("hidden-net")
def hidden_net(rng: np.random.Generator, params: Mapping[str, Any]) -> Draw:
    """A small sigmoid network without biases (params: sizes, default [2, 2, 2]) and one example.

    Values in house notation: a_i1.., net_h1, a_h1, net_o1, a_o1, t_o1, every weight w_jk, every
    δ (delta_h1, delta_o1) and every weight gradient (gw_i1h1) — all from `Network.forward` and
    `Network.backward`.
    """
    sizes = [int(n) for n in params.get("sizes", (2, 2, 2))]
    net, x, t = _network(rng, sizes)
    fwd = net.forward(x)
    grads = net.backward(fwd, t)
    values: dict[str, float] = {"E": float(grads.E)}
    for j, v in enumerate(x):
        values[symbol("a", sizes, 0, j)] = float(v)
    for k, v in enumerate(t):
        values[symbol("t", sizes, len(sizes) - 1, k)] = float(v)
    for l, W in enumerate(net.weights):
        for k in range(W.shape[0]):
            values[symbol("net", sizes, l + 1, k)] = float(fwd.nets[l][k])
            values[symbol("a", sizes, l + 1, k)] = float(fwd.acts[l + 1][k])
            values[symbol("delta", sizes, l + 1, k)] = float(grads.deltas[l][k])
            for j in range(W.shape[1]):
                name = weight_symbol(sizes, l, k, j)
                values[name] = float(W[k, j])
                values["g" + name] = float(grads.grad_weights[l][k, j])
    return Draw(values, {"network": net, "x": x, "t": t})


@scenario("hidden-delta-families")
def hidden_delta_families(rng: np.random.Generator, params: Mapping[str, Any]) -> Draw:
    """One hidden unit j = h1 of a network (params: sizes, default [2, 2, 2]) in index notation.

    `w_jk` and `delta_k` are tuples over the units k of the next layer, so a formula with
    sum_k(...) can be evaluated on them; `delta_j` is the gradient the Value graph accumulates at
    net_h1 — an independent check of any formula for δ_j.
    """
    sizes = [int(n) for n in params.get("sizes", (2, 2, 2))]
    net, x, t = _network(rng, sizes)
    g = network_graph(net, x, t)
    g.loss.backward()
    hidden, top = g.nets[0][0], g.nets[1]
    values = {
        "net_j": hidden.data,
        "a_j": g.acts[0][0].data,
        "w_jk": tuple(float(net.weights[1][k, 0]) for k in range(sizes[2])),
        "delta_k": tuple(n.grad for n in top),
        "delta_j": hidden.grad,
    }
    return Draw(values, {"network": net, "x": x, "t": t})
