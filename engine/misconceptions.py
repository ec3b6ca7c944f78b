"""Misconceptions as broken variants of the pass: what a learner holding one wrong idea writes for a cell.

Each variant is given the numbers of the cell's inputs (the true ones, or the learner's own) and
returns the value or values that one wrong idea produces. A variant that does not apply to a cell
(no biases to forget, a layer that is not square, a linear unit with no slope to drop) returns
nothing. Beside each variant, the right rule it breaks, with its local derivative. This module
holds the catalogue, the forward pass, E and the updates; engine.backward_misconceptions the δ's
and the gradients.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Callable, Iterable

from engine.cells import QUANTITIES, Cell, Numbers, Setting, act_in, right_value, right_value_or_nan, softmax_of, squash

Rule = Callable[[Setting, Numbers, Cell], Iterable[float]]


@dataclass(frozen=True)
class Misconception:
    """One wrong idea at one kind of quantity: `id` is stable (tests, words and progress use it)."""

    id: str
    quantity: str
    rule: Rule


CATALOGUE: list[Misconception] = []
_BY_QUANTITY: dict[str, list[Misconception]] = {}


def wrong(mistake: str, *quantities: str) -> Callable[[Rule], Rule]:
    """Register `rule` as what misconception `mistake` gives at each of `quantities`."""

    def register(rule: Rule) -> Rule:
        for q in quantities:
            if q not in QUANTITIES:
                raise ValueError(f"unknown quantity {q!r}")
            m = Misconception(mistake, q, rule)
            CATALOGUE.append(m)
            _BY_QUANTITY.setdefault(q, []).append(m)
        return rule

    return register


def ids() -> frozenset[str]:
    """Every misconception id the engine knows."""
    return frozenset(m.id for m in CATALOGUE)


def pairs() -> frozenset[tuple[str, str]]:
    """Every (id, quantity) the engine diagnoses."""
    return frozenset((m.id, m.quantity) for m in CATALOGUE)


def variants(s: Setting, num: Numbers, c: Cell) -> list[tuple[str, float]]:
    """(id, value) of every misconception that applies to cell `c`, from the numbers `num`.

    One id may give several values (one-path-only gives one per road). Values that are not finite
    are left out, and so are values identical to the right method's: with these numbers that wrong
    idea does no harm (σ′ left out at a relu unit with net > 0, whose slope is 1).
    """
    right = right_value_or_nan(s, num, c)
    out = []
    for m in _BY_QUANTITY.get(c.quantity, ()):
        try:
            values = list(m.rule(s, num, c))
        except (ArithmeticError, ValueError):
            continue  # a domain error (ln of 0 from a learner's own numbers): this variant says nothing
        out.extend((m.id, float(v)) for v in values
                   if math.isfinite(v) and not (abs(v - right) <= 1e-12 * max(abs(right), 1e-300)))
    return out


def _a(num: Numbers, l: int, k: int) -> float:
    return num[f"a[{l}][{k}]"]


def _net(num: Numbers, l: int, k: int) -> float:
    return num[f"net[{l}][{k}]"]


def _delta(num: Numbers, l: int, k: int) -> float:
    return num[f"delta[{l}][{k}]"]


def _activate_layer(s: Setting, l: int, nets: list[float], k: int) -> float:
    act = s.activations[l]
    return softmax_of(nets, k) if act == "softmax" else squash(act, nets[k])


def _layer_nets(s: Setting, num: Numbers, l: int, weight: Callable[[int, int], float], bias: bool = True) -> list[float]:
    """net of every unit of layer l with weight(k, j) for w_jk (the bias left out when not `bias`)."""
    return [
        sum(weight(k, j) * act_in(s, num, l, j) for j in range(s.sizes[l])) + (s.bias(l, k) if bias else 0.0)
        for k in range(s.sizes[l + 1])
    ]


def _square(s: Setting, l: int) -> bool:
    return s.sizes[l] == s.sizes[l + 1]


# --- forward: net_k = Σ_j w_jk a_j + b_k, a_k = f(net_k) ----------------------------------------------


@wrong("bias-forgotten", "net", "activation")
def _bias_forgotten(s, num, c):
    """net_k without its b_k (and, at a, f of that net)."""
    l, k = c.layer, c.unit
    if s.biases is None or s.bias(l, k) == 0:
        return []
    if c.quantity == "net":
        return [_layer_nets(s, num, l, lambda k2, j: s.weights[l][k2][j], bias=False)[k]]
    nets = [_net(num, l, i) - s.bias(l, i) for i in range(s.sizes[l + 1])]
    return [_activate_layer(s, l, nets, k)]


@wrong("transposed-weights", "net", "activation")
def _transposed_forward(s, num, c):
    """w_kj read for w_jk: the weights that leave unit k, not those that arrive at it (square layers)."""
    l, k = c.layer, c.unit
    if not _square(s, l):
        return []
    nets = _layer_nets(s, num, l, lambda k2, j: s.weights[l][j][k2])
    return [nets[k]] if c.quantity == "net" else [_activate_layer(s, l, nets, k)]


@wrong("net-for-a", "net", "activation")
def _net_for_a_forward(s, num, c):
    """net where a belongs: at a, f never applied; at net, the previous layer's nets summed."""
    l, k = c.layer, c.unit
    if c.quantity == "activation":
        return [] if s.activations[l] == "linear" else [_net(num, l, k)]
    if l == 0 or s.activations[l - 1] == "linear":
        return []
    return [sum(s.weights[l][k][j] * _net(num, l - 1, j) for j in range(s.sizes[l])) + s.bias(l, k)]


@wrong("a-for-net", "net")
def _a_for_net_forward(s, num, c):
    """a where net belongs (Bishop's a_j is our net_j): the activation applied already at net."""
    l, k = c.layer, c.unit
    if s.activations[l] == "linear":
        return []
    return [_activate_layer(s, l, _layer_nets(s, num, l, lambda k2, j: s.weights[l][k2][j]), k)]


@wrong("exponent-sign", "activation")
def _exponent_sign(s, num, c):
    """σ(−net) for σ(net) = 1/(1 + e^(−net)): the minus sign in the exponent lost or doubled."""
    l, k = c.layer, c.unit
    act = s.activations[l]
    if act == "sigmoid":
        return [squash("sigmoid", -_net(num, l, k))]
    if act == "softmax":
        return [softmax_of([-_net(num, l, i) for i in range(s.sizes[l + 1])], k)]
    return []


@wrong("not-normalised", "activation")
def _not_normalised(s, num, c):
    """softmax's numerator e^(net_k) without the division by Σ_i e^(net_i)."""
    if s.activations[c.layer] != "softmax":
        return []
    return [math.exp(_net(num, c.layer, c.unit))]


# --- E = ½Σ_k (t_k − a_k)², or −Σ_k t_k ln a_k --------------------------------------------------------


def _outputs(s: Setting, num: Numbers) -> list[float]:
    return [_a(num, s.depth - 1, k) for k in range(s.sizes[-1])]


@wrong("half-dropped", "error")
def _e_half_dropped(s, num, c):
    """Σ_k (t_k − a_k)² without the ½."""
    if s.loss != "sse":
        return []
    return [sum((t - a) ** 2 for t, a in zip(s.t, _outputs(s, num)))]


@wrong("not-squared", "error")
def _e_not_squared(s, num, c):
    """½Σ_k (t_k − a_k) with the differences added unsquared (either way round, or their sizes)."""
    if s.loss != "sse":
        return []
    diffs = [t - a for t, a in zip(s.t, _outputs(s, num))]
    return [0.5 * sum(diffs), -0.5 * sum(diffs), 0.5 * sum(abs(d) for d in diffs)]


@wrong("one-output-only", "error")
def _e_one_output(s, num, c):
    """One output's term of the sum over k, the others left out."""
    if s.sizes[-1] < 2:
        return []
    outs = _outputs(s, num)
    if s.loss == "cross_entropy":
        return [-t * math.log(a) for t, a in zip(s.t, outs) if t]
    return [0.5 * (t - a) ** 2 for t, a in zip(s.t, outs)]


@wrong("sign-flipped", "error")
def _e_sign(s, num, c):
    """Σ_k t_k ln a_k without the leading minus (E comes out negative)."""
    if s.loss != "cross_entropy":
        return []
    return [sum(t * math.log(a) for t, a in zip(s.t, _outputs(s, num)) if t)]


# --- updates: w ← w − η·∂E/∂w -------------------------------------------------------------------------


def _param_grad(s: Setting, num: Numbers, c: Cell) -> tuple[float, float]:
    l, k = c.layer, c.unit
    if c.quantity == "weight-update":
        return s.weights[l][k][c.source], num[f"grad_weights[{l}][{k}][{c.source}]"]
    return s.bias(l, k), num[f"grad_biases[{l}][{k}]"]


@wrong("plus-eta", "weight-update", "bias-update")
def _plus_eta(s, num, c):
    """w + η·g: a step uphill, along the gradient instead of against it."""
    w, g = _param_grad(s, num, c)
    return [w + s.eta * g]


@wrong("eta-forgotten", "weight-update", "bias-update")
def _eta_forgotten(s, num, c):
    """w − g: the learning rate left out."""
    w, g = _param_grad(s, num, c)
    return [w - g]


@wrong("change-only", "weight-update", "bias-update")
def _change_only(s, num, c):
    """−η·g: the change alone, not the new weight w − η·g."""
    _, g = _param_grad(s, num, c)
    return [-s.eta * g]


# --- any unit ---------------------------------------------------------------------------------------


@wrong("other-unit", *(q for q in QUANTITIES if q != "error"))
def _other_unit(s, num, c):
    """The right method applied to another unit of the same layer (another k, or another j of a weight)."""
    l, k, j = c.layer, c.unit, c.source
    out = [right_value(s, num, replace(c, unit=k2)) for k2 in range(s.sizes[l + 1]) if k2 != k]
    if j is not None:
        out += [right_value(s, num, replace(c, source=j2)) for j2 in range(s.sizes[l]) if j2 != j]
    return out


from engine import backward_misconceptions  # noqa: E402,F401  (registers the δ and gradient variants)
