"""Scenarios for one output unit: its forward value, its δ, one weight's gradient and update."""

from __future__ import annotations

from typing import Any, Mapping

import numpy as np

from engine.network import Network
from engine.scenarios import Draw, scenario
from engine.scenarios.guards import updates_clear

TARGETS = (0.01, 0.99)
ETAS = (0.1, 0.25, 0.5, 1.0)


def _weight(rng: np.random.Generator, lo: float, hi: float) -> float:
    """A weight with two decimals and a random sign, |w| in [lo, hi] (never near 0: a 0 weight teaches nothing)."""
    return float(rng.choice((-1.0, 1.0)) * round(rng.uniform(lo, hi), 2))


@scenario("output-unit")
def output_unit(rng: np.random.Generator, params: Mapping[str, Any]) -> Draw:
    """An output unit o1 fed by two hidden activations a_h1, a_h2, with a bias, a target and a learning rate.

    Every derived number (net_o1, a_o1, δ_o1, the gradients and the updated weights) comes from
    `Network.forward`/`backward`/`step` on the 2→1 sigmoid network the unit forms.
    """
    while True:
        a = [round(float(rng.uniform(0.1, 0.9)), 2) for _ in range(2)]
        w = [_weight(rng, 0.2, 1.5) for _ in range(2)]
        b = round(float(rng.uniform(-0.5, 0.5)), 2)
        t = float(rng.choice(TARGETS))
        eta = float(rng.choice(ETAS))
        net = Network([np.array([w])], [np.array([b])], ["sigmoid"], "sse")
        fwd = net.forward(np.array(a))
        grads = net.backward(fwd, np.array([t]))
        moved = net.step(grads, eta)
        # neither moved weight nor the moved bias may nearly cancel to 0 (w − η·g is a sum of two terms)
        old = [*w, b]
        change = [-eta * float(g) for g in (*grads.grad_weights[0][0], grads.grad_biases[0][0])]
        if updates_clear(old, change):
            break
    values = {
        "a_h1": a[0], "a_h2": a[1], "w_h1o1": w[0], "w_h2o1": w[1], "b_o1": b, "t_o1": t, "eta": eta,
        "net_o1": float(fwd.nets[0][0]),
        "a_o1": float(fwd.acts[1][0]),
        "E": float(grads.E),
        "delta_o1": float(grads.deltas[0][0]),
        "gw_h1o1": float(grads.grad_weights[0][0, 0]),
        "gw_h2o1": float(grads.grad_weights[0][0, 1]),
        "gb_o1": float(grads.grad_biases[0][0]),
        "wnew_h1o1": float(moved.weights[0][0, 0]),
        "wnew_h2o1": float(moved.weights[0][0, 1]),
        "bnew_o1": float(moved.biases[0][0]),
    }
    # Not under "network": that key asks the app for a network picture, whose labels (i1, i2) would
    # not match the h1, h2 this lesson uses for the unit's inputs. "cells" maps the lesson's names
    # to the unit's worksheet cells, so its steps are diagnosed by the engine's misconceptions.
    return Draw(values, {"unit": net, "x": np.array(a), "t": np.array([t]), "cells": UNIT_CELLS})


#: The output unit's values as cells of the 2→1 network it forms (its inputs are that network's layer 0).
UNIT_CELLS = {
    "net_o1": "net[0][0]", "a_o1": "a[0][0]", "E": "E", "delta_o1": "delta[0][0]",
    "gw_h1o1": "grad_weights[0][0][0]", "gw_h2o1": "grad_weights[0][0][1]", "gb_o1": "grad_biases[0][0]",
    "wnew_h1o1": "updated_weights[0][0][0]", "wnew_h2o1": "updated_weights[0][0][1]", "bnew_o1": "updated_biases[0][0]",
}
