"""The misconceptions of the backward pass: what a learner holding one wrong idea writes for a δ or a gradient.

Registered into engine.misconceptions' catalogue (see there); beside each variant, the right rule it
breaks with its local derivative.
"""

from __future__ import annotations

from typing import Callable

from engine.cells import Cell, Numbers, Setting, back_sum, right_value, slope, squash
from engine.misconceptions import _a, _delta, _net, _square, wrong

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
