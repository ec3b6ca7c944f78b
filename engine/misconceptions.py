"""Misconceptions as broken variants of the pass: what a learner holding one wrong idea writes for a cell.

Each variant is given the numbers of the cell's inputs (the true ones, or the learner's own) and
returns the value or values that one wrong idea produces. A variant that does not apply to a cell
(no biases to forget, a layer that is not square, a linear unit with no slope to drop) returns
nothing. Beside each variant, the right rule it breaks, with its local derivative.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Callable, Iterable

from engine.cells import (QUANTITIES, Cell, Numbers, Setting, act_in, back_sum, right_value, slope, softmax_of,
                          squash)

Rule = Callable[[Setting, Numbers, Cell], Iterable[float]]


@dataclass(frozen=True)
class Misconception:
    """One wrong idea at one kind of quantity: `id` is stable (tests, words and progress use it)."""

    id: str
    quantity: str
    rule: Rule


CATALOGUE: list[Misconception] = []


def wrong(mistake: str, *quantities: str) -> Callable[[Rule], Rule]:
    """Register `rule` as what misconception `mistake` gives at each of `quantities`."""

    def register(rule: Rule) -> Rule:
        for q in quantities:
            if q not in QUANTITIES:
                raise ValueError(f"unknown quantity {q!r}")
            CATALOGUE.append(Misconception(mistake, q, rule))
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

    One id may give several values (one-path-only gives one per road); values that are not
    finite are left out.
    """
    out = []
    for m in _BY_QUANTITY.get(c.quantity, ()):
        try:
            values = list(m.rule(s, num, c))
        except (ArithmeticError, ValueError):
            continue  # a domain error (ln of 0 from a learner's own numbers): this variant says nothing
        out.extend((m.id, float(v)) for v in values if math.isfinite(v))
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


# --- output δ_k = ∂E/∂a_k·f′(net_k) = (a_k − t_k)·f′(net_k) ------------------------------------------


def _out(s: Setting, num: Numbers, c: Cell) -> tuple[str, float, float, float]:
    """(activation, a_k, t_k, net_k) of output unit k."""
    L = s.depth - 1
    return s.activations[L], _a(num, L, c.unit), s.t[c.unit], _net(num, L, c.unit)


def _elementwise_sse(s: Setting) -> bool:
    return s.loss == "sse" and s.activations[-1] != "softmax"


@wrong("sign-flipped", "output-delta")
def _out_sign(s, num, c):
    """(t_k − a_k)·f′: ∂E/∂a_k is −(t_k − a_k), and that minus was lost."""
    return [-right_value(s, num, c)]


@wrong("sigma-prime-dropped", "output-delta")
def _out_no_slope(s, num, c):
    """∂E/∂a_k alone (a_k − t_k; −t_k/a_k for cross-entropy): the last link, da_k/dnet_k, left out."""
    act, a, t, _ = _out(s, num, c)
    if s.loss == "cross_entropy":
        return [-t / a]  # ∂/∂a_k of −t_k ln a_k
    return [] if act == "linear" else [a - t]


@wrong("sigma-for-sigma-prime", "output-delta")
def _out_sigma(s, num, c):
    """(a_k − t_k)·a_k: the function f(net_k) = a_k used for its slope f′(net_k)."""
    act, a, t, _ = _out(s, num, c)
    return [(a - t) * a] if _elementwise_sse(s) and act in ("sigmoid", "tanh", "relu") else []


@wrong("half-dropped", "output-delta")
def _out_double(s, num, c):
    """2·(a_k − t_k)·f′: the derivative of (t_k − a_k)² without E's ½."""
    return [2 * right_value(s, num, c)] if s.loss == "sse" else []


def _slope_swapped(s: Setting, num: Numbers, c: Cell, wrong_slope: Callable[[str, float, float], float]) -> list[float]:
    """A δ with the unit's slope f′ replaced by wrong_slope(activation, net, a) (sigmoid and tanh units)."""
    l, k = c.layer, c.unit
    act = s.activations[l]
    if act not in ("sigmoid", "tanh") or (c.quantity == "output-delta" and not _elementwise_sse(s)):
        return []
    return [_without_slope(s, num, c) * wrong_slope(act, _net(num, l, k), _a(num, l, k))]


@wrong("net-for-a", "output-delta", "hidden-delta")
def _net_in_slope(s, num, c):
    """f′ written with net instead of a: net_k(1 − net_k) for a_k(1 − a_k), 1 − net_k² for 1 − a_k²."""
    return _slope_swapped(s, num, c, lambda act, n, a: slope(act, n))


@wrong("a-for-net", "output-delta", "hidden-delta")
def _slope_at_a(s, num, c):
    """f′ evaluated at a instead of at net (f′(a_j) as in Bishop, whose a_j is our net_j): σ(a)(1 − σ(a))."""
    return _slope_swapped(s, num, c, lambda act, n, a: slope(act, squash(act, a)))


def _without_slope(s: Setting, num: Numbers, c: Cell) -> float:
    """What multiplies the unit's own slope: a_k − t_k at an output, Σ_k w_jk δ_k at a hidden unit."""
    if c.quantity == "output-delta":
        return _a(num, c.layer, c.unit) - s.t[c.unit]
    return back_sum(s, num, c.layer, c.unit)


@wrong("softmax-diagonal-only", "output-delta")
def _diagonal_only(s, num, c):
    """Only the diagonal ∂a_k/∂net_k = a_k(1 − a_k) of the softmax Jacobian: the other outputs'
    dependence on net_k (∂a_i/∂net_k = −a_i a_k) left out."""
    act, a, t, _ = _out(s, num, c)
    if act != "softmax":
        return []
    grad_a = -t / a if s.loss == "cross_entropy" else a - t
    return [grad_a * a * (1 - a)]


@wrong("extra-slope", "output-delta")
def _extra_slope(s, num, c):
    """(a_k − t_k)·a_k(1 − a_k) with cross-entropy: a sigmoid slope multiplied in, although softmax's
    Jacobian and ∂E/∂a already cancel to a_k − t_k."""
    act, a, t, _ = _out(s, num, c)
    return [(a - t) * a * (1 - a)] if s.loss == "cross_entropy" else []


# --- hidden δ_j = f′(net_j)·Σ_k w_jk δ_k --------------------------------------------------------------


def _hidden(s: Setting, num: Numbers, c: Cell) -> tuple[str, float, float]:
    """(activation, a_j, f′(net_j)) of hidden unit j."""
    act = s.activations[c.layer]
    a = _a(num, c.layer, c.unit)
    return act, a, slope(act, a)


@wrong("sigma-prime-dropped", "hidden-delta")
def _hid_no_slope(s, num, c):
    """Σ_k w_jk δ_k alone: that is ∂E/∂a_j, one link short of ∂E/∂net_j."""
    return [] if s.activations[c.layer] == "linear" else [back_sum(s, num, c.layer, c.unit)]


@wrong("sigma-for-sigma-prime", "hidden-delta")
def _hid_sigma(s, num, c):
    """a_j·Σ_k w_jk δ_k: the activation used for the slope."""
    act, a, _ = _hidden(s, num, c)
    return [a * back_sum(s, num, c.layer, c.unit)] if act in ("sigmoid", "tanh", "relu") else []


@wrong("one-path-only", "hidden-delta")
def _one_path(s, num, c):
    """f′(net_j)·w_jk δ_k for a single k: one road from j to E followed, the others left out."""
    l, j = c.layer, c.unit
    if s.sizes[l + 2] < 2:
        return []
    _, _, sp = _hidden(s, num, c)
    return [sp * s.weights[l + 1][k][j] * _delta(num, l + 1, k) for k in range(s.sizes[l + 2])]


@wrong("transposed-weights", "hidden-delta")
def _transposed_back(s, num, c):
    """f′(net_j)·Σ_k w_kj δ_k: the weights arriving at j's partner read for those leaving j (square only)."""
    l, j = c.layer, c.unit
    if not _square(s, l + 1):
        return []
    _, _, sp = _hidden(s, num, c)
    return [sp * sum(s.weights[l + 1][j][k] * _delta(num, l + 1, k) for k in range(s.sizes[l + 2]))]


@wrong("wrong-road-weight", "hidden-delta")
def _wrong_road_weight(s, num, c):
    """One road of the sum weighted with another unit's weight into the same k (w_ik for w_jk, i ≠ j)."""
    l, j = c.layer, c.unit
    _, _, sp = _hidden(s, num, c)
    total, W = back_sum(s, num, l, j), s.weights[l + 1]
    return [
        sp * (total + (W[k][i] - W[k][j]) * _delta(num, l + 1, k))
        for k in range(s.sizes[l + 2]) for i in range(s.sizes[l + 1]) if i != j
    ]


@wrong("errors-for-deltas", "hidden-delta")
def _errors_for_deltas(s, num, c):
    """f′(net_j)·Σ_k w_jk ∂E/∂a_k: the next units' errors (a_k − t_k at the outputs) sent back
    instead of their δ_k, each one's own slope f′(net_k) left out."""
    l, j = c.layer, c.unit
    nxt = l + 1
    act_next = s.activations[nxt]
    if act_next == "linear" or s.loss == "cross_entropy" and nxt == s.depth - 1:
        return []  # there ∂E/∂a_k·1 or a_k − t_k is δ_k itself: no wrong idea to see
    if nxt == s.depth - 1:
        errors = [_a(num, nxt, k) - s.t[k] for k in range(s.sizes[-1])]
    else:
        errors = [back_sum(s, num, nxt, k) for k in range(s.sizes[nxt + 1])]
    _, _, sp = _hidden(s, num, c)
    return [sp * sum(s.weights[nxt][k][j] * e for k, e in enumerate(errors))]


@wrong("wrong-unit-slope", "hidden-delta")
def _wrong_unit_slope(s, num, c):
    """Σ_k w_jk δ_k·f′(net_k): the slope of each unit k inside the sum, in place of j's own f′(net_j)."""
    l, j = c.layer, c.unit
    act_next = s.activations[l + 1]
    if act_next in ("linear", "softmax"):
        return []
    return [sum(s.weights[l + 1][k][j] * _delta(num, l + 1, k) * slope(act_next, _a(num, l + 1, k))
                for k in range(s.sizes[l + 2]))]


@wrong("updated-weights", "hidden-delta")
def _updated_weights(s, num, c):
    """f′(net_j)·Σ_k w⁺_jk δ_k: the weights after this step's update (w_jk − η δ_k a_j) used on the way back."""
    if s.eta is None:
        return []
    l, j = c.layer, c.unit
    act, a, sp = _hidden(s, num, c)
    W = s.weights[l + 1]
    return [sp * sum((W[k][j] - s.eta * _delta(num, l + 1, k) * a) * _delta(num, l + 1, k)
                     for k in range(s.sizes[l + 2]))]


# --- gradients: ∂E/∂w_jk = δ_k·a_j (∂net_k/∂w_jk = a_j), ∂E/∂b_k = δ_k (∂net_k/∂b_k = 1) -------------


@wrong("sign-flipped", "weight-gradient", "bias-gradient")
def _grad_sign(s, num, c):
    """−δ_k·a_j: the gradient with its sign reversed (the step's minus put into the gradient)."""
    return [-right_value(s, num, c)]


@wrong("wrong-activation", "weight-gradient", "bias-gradient")
def _grad_receiving(s, num, c):
    """δ_k·a_k: the receiving unit's activation instead of the sending unit's a_j (for a bias, instead of 1)."""
    return [_delta(num, c.layer, c.unit) * _a(num, c.layer, c.unit)]


@wrong("weight-for-activation", "weight-gradient", "bias-gradient")
def _grad_weight(s, num, c):
    """δ_k·w_jk (δ_k·b_k): the parameter itself where ∂net_k/∂w_jk = a_j belongs."""
    l, k = c.layer, c.unit
    p = s.weights[l][k][c.source] if c.quantity == "weight-gradient" else s.bias(l, k)
    return [_delta(num, l, k) * p] if p else []


@wrong("net-for-a", "weight-gradient")
def _grad_net(s, num, c):
    """δ_k·net_j: the sending unit's weighted input instead of its activation."""
    l = c.layer
    if l == 0 or s.activations[l - 1] == "linear":
        return []  # an input unit has no net; a linear unit's net is its a
    return [_delta(num, l, c.unit) * _net(num, l - 1, c.source)]


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


_BY_QUANTITY: dict[str, list[Misconception]] = {}
for _m in CATALOGUE:
    _BY_QUANTITY.setdefault(_m.quantity, []).append(_m)
