"""Scenarios for the calculus lessons."""

from __future__ import annotations

import math
from typing import Any, Callable, Mapping

import numpy as np

from engine.graph import Value
from engine.network import Network
from engine.scenarios import Draw, scenario

TARGETS = (0.0, 1.0)


def _central_difference(f: Callable[[float], float], x: float, eps: float = 1e-5) -> float:
    """df/dx at x from the function itself: (f(x + ε) − f(x − ε)) / 2ε."""
    return (f(x + eps) - f(x - eps)) / (2 * eps)


def _away_from_zero(rng: np.random.Generator, lo: float, hi: float, gap: float, places: int = 2) -> float:
    """A value in [lo, hi] rounded to `places` decimals with |value| >= gap (0 makes a dull exercise)."""
    while True:
        v = round(float(rng.uniform(lo, hi)), places)
        if abs(v) >= gap:
            return v


@scenario("chain-links")
def chain_links(rng: np.random.Generator, params: Mapping[str, Any]) -> Draw:
    """y = 1/(1 + (c·x)²) as three links: h = c·x, g = 1 + h², y = 1/g, at a drawn point x.

    dy/dx comes from the Value graph's backward pass; df/dg from a central difference of 1/g.
    """
    c = float(rng.choice((2.0, 3.0)))
    x = _away_from_zero(rng, -0.8, 0.8, 0.15)
    xv = Value(x, label="x")
    h = c * xv
    g = 1 + h**2
    y = g**-1
    y.backward()
    return Draw(
        {
            "c": c, "x": x, "h": h.data, "g": g.data, "y": y.data,
            "dfdg": _central_difference(lambda u: 1 / u, g.data),
            "dydx": xv.grad,
        }
    )


@scenario("exp-point")
def exp_point(rng: np.random.Generator, params: Mapping[str, Any]) -> Draw:
    """A point x for the slope of e^(−k·x) (k from params, default 1), found by a central difference."""
    k = float(params.get("k", 1.0))
    x = _away_from_zero(rng, -2.0, 2.0, 0.3)
    return Draw({"x": x, "k": k, "slope": _central_difference(lambda u: math.exp(-k * u), x)})


@scenario("sigmoid-point")
def sigmoid_point(rng: np.random.Generator, params: Mapping[str, Any]) -> Draw:
    """A point x with σ(x) and σ′(x), both from the Value graph of 1/(1 + e^(−x)) built from its parts."""
    x = _away_from_zero(rng, -3.0, 3.0, 0.3)
    xv = Value(x, label="x")
    s = (1 + (-xv).exp()) ** -1  # the three links, not the σ shortcut, so σ′ is not assumed
    s.backward()
    return Draw({"x": x, "sig": s.data, "dsig": xv.grad})


def _distinct_gaps(acts: list[float], targets: list[float], gap: float = 0.05) -> bool:
    """True when the outputs' errors a_k − t_k, their negatives and their total all differ in size.

    Otherwise one wrong method (another output's index, the sum over every output) could give the
    very number another (a lost minus sign) gives, and the tutor could not say which mistake it was.
    """
    sizes = [abs(a - t) for a, t in zip(acts, targets)] + [abs(sum(acts) - sum(targets))]
    return all(abs(p - q) >= gap for i, p in enumerate(sizes) for q in sizes[i + 1:])


@scenario("error-outputs")
def error_outputs(rng: np.random.Generator, params: Mapping[str, Any]) -> Draw:
    """n output activations (two decimals) and 0/1 targets; E and every ∂E/∂a_k from the Value graph."""
    n = int(params.get("n", 3))
    while True:
        acts = [round(float(rng.uniform(0.05, 0.95)), 2) for _ in range(n)]
        targets = [float(rng.choice(TARGETS)) for _ in range(n)]
        if _distinct_gaps(acts, targets):
            break
    nodes = [Value(a, label=f"a_o{k + 1}") for k, a in enumerate(acts)]
    E = 0.5 * (targets[0] - nodes[0]) ** 2
    for t, a in zip(targets[1:], nodes[1:]):
        E = E + 0.5 * (t - a) ** 2
    E.backward()
    values: dict[str, float] = {"E": E.data}
    for k in range(n):
        values[f"a_o{k + 1}"] = acts[k]
        values[f"t_o{k + 1}"] = targets[k]
        values[f"ga_o{k + 1}"] = nodes[k].grad  # ∂E/∂a_ok
        values[f"sq_o{k + 1}"] = (targets[k] - acts[k]) ** 2  # shown in worked solutions only
    return Draw(values)


@scenario("net-unit")
def net_unit(rng: np.random.Generator, params: Mapping[str, Any]) -> Draw:
    """net_o1 = w_h1o1·a_h1 + w_h2o1·a_h2 + b_o1 with drawn numbers.

    net_o1 and the nudged net_plus (w_h1o1 + 0.1) come from Network.forward; the partial derivatives
    of net_o1 come from the Value graph.
    """
    while True:
        a = [round(float(rng.uniform(0.1, 0.9)), 2) for _ in range(2)]
        w = [_away_from_zero(rng, -1.5, 1.5, 0.2) for _ in range(2)]
        b = round(float(rng.uniform(-0.5, 0.5)), 2)
        # Every number a wrong method might hand back (an activation, a weight, net itself, 0) must
        # differ from every other, so the tutor can tell which method was used.
        candidates = [*a, *w, w[0] * a[0] + w[1] * a[1] + b, 0.0]
        if all(abs(p - q) >= 0.1 for i, p in enumerate(candidates) for q in candidates[i + 1:]):
            break

    def net_of(weights: list[float]) -> float:
        unit = Network([np.array([weights])], [np.array([b])], ["linear"], "sse")
        return float(unit.forward(np.array(a)).nets[0][0])

    av = [Value(v, label=f"a_h{j + 1}") for j, v in enumerate(a)]
    wv = [Value(v, label=f"w_h{j + 1}o1") for j, v in enumerate(w)]
    bv = Value(b, label="b_o1")
    net = wv[0] * av[0] + wv[1] * av[1] + bv
    net.backward()
    values = {
        "a_h1": a[0], "a_h2": a[1], "w_h1o1": w[0], "w_h2o1": w[1], "b_o1": b,
        "net_o1": net_of(w),
        "net_plus": net_of([w[0] + 0.1, w[1]]),
        "gw_h1o1": wv[0].grad, "gw_h2o1": wv[1].grad,  # ∂net_o1/∂w_jo1
        "gb_o1": bv.grad,
        "ga_h1": av[0].grad, "ga_h2": av[1].grad,  # ∂net_o1/∂a_hj
    }
    return Draw(values)
