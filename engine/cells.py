"""One forward and backward pass as named cells (addressed as `solve --json` names them), each with its right method."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Mapping

from engine.network import bias_symbol, symbol, weight_symbol
from engine.spec import Spec
from engine.worked import solve, to_json

#: The kinds of cell, in the order a pass works them out; the keys of `solve --json`.
KINDS = ("net", "a", "E", "delta", "grad_weights", "grad_biases", "updated_weights", "updated_biases")
#: What a cell is, for choosing the misconceptions that apply and the words that describe them.
QUANTITIES = (
    "net", "activation", "error", "output-delta", "hidden-delta",
    "weight-gradient", "bias-gradient", "weight-update", "bias-update",
)
_ADDRESS = re.compile(r"^(?:(E)|(net|a|delta|grad_biases|updated_biases)\[(\d+)\]\[(\d+)\]"
                      r"|(grad_weights|updated_weights)\[(\d+)\]\[(\d+)\]\[(\d+)\])$")
MINUS = "−"

Numbers = Mapping[str, float]  # address -> value: the true pass, or a learner's own numbers


def shown(x: float) -> float:
    """x as the screen shows it: rounded to 4 significant figures."""
    return float(f"{x:.4g}") if math.isfinite(x) else x


@dataclass(frozen=True)
class Setting:
    """The numbers a pass starts from (the spec's givens), as plain floats: weights[l][k][j],
    biases[l][k] (None: no biases), input x, target t, learning rate eta (None: no update)."""

    sizes: tuple[int, ...]
    activations: tuple[str, ...]
    loss: str
    weights: tuple[tuple[tuple[float, ...], ...], ...]
    biases: tuple[tuple[float, ...], ...] | None
    x: tuple[float, ...]
    t: tuple[float, ...]
    eta: float | None

    @classmethod
    def from_spec(cls, spec: Spec) -> "Setting":
        net = spec.network
        return cls(
            tuple(net.sizes), tuple(net.activations), net.loss,
            tuple(tuple(tuple(float(v) for v in row) for row in w) for w in net.weights),
            None if net.biases is None else tuple(tuple(float(v) for v in b) for b in net.biases),
            tuple(float(v) for v in spec.input), tuple(float(v) for v in spec.target),
            spec.learning_rate,
        )

    def rounded(self) -> "Setting":
        """The same givens as the screen shows them, each to 4 significant figures."""
        r = lambda seq: tuple(shown(v) for v in seq)  # noqa: E731
        return Setting(
            self.sizes, self.activations, self.loss,
            tuple(tuple(r(row) for row in w) for w in self.weights),
            None if self.biases is None else tuple(r(b) for b in self.biases),
            r(self.x), r(self.t), None if self.eta is None else shown(self.eta),
        )

    @property
    def depth(self) -> int:
        """The number of non-input layers L."""
        return len(self.sizes) - 1

    def bias(self, l: int, k: int) -> float:
        return 0.0 if self.biases is None else self.biases[l][k]


@dataclass(frozen=True)
class Cell:
    """One quantity of the pass.

    address: as `solve --json` names it (`delta[1][0]`); kind: its key there (`delta`); quantity:
    what it is (`output-delta`); layer, unit, source: its indices (l, k, j; None where absent);
    label: house notation (`δ_o1`, `∂E/∂w_h1o2`, `w_h1o2⁺`); name: the symbol lesson scenarios use
    for it (`delta_o1`, `gw_h1o2`, `wnew_h1o2`); value: its true value; inputs: the addresses of
    the cells the right method reads; formula: the right method in house notation, no numbers.
    """

    address: str
    kind: str
    quantity: str
    layer: int | None
    unit: int | None
    source: int | None
    label: str
    name: str
    value: float
    inputs: tuple[str, ...]
    formula: str


def parse_address(address: str) -> tuple[str, int | None, int | None, int | None]:
    """(kind, l, k, j) of an address such as `grad_weights[1][0][2]`; ValueError when malformed."""
    m = _ADDRESS.match(address) if isinstance(address, str) else None
    if m is None:
        raise ValueError(
            f"{address!r} is not a cell address; addresses look like E, net[l][k], a[l][k], delta[l][k], "
            "grad_weights[l][k][j], grad_biases[l][k], updated_weights[l][k][j], updated_biases[l][k]"
        )
    if m.group(1):
        return "E", None, None, None
    if m.group(2):
        return m.group(2), int(m.group(3)), int(m.group(4)), None
    return m.group(5), int(m.group(6)), int(m.group(7)), int(m.group(8))


def address(kind: str, l: int | None = None, k: int | None = None, j: int | None = None) -> str:
    """The address of a cell: address("delta", 1, 0) is `delta[1][0]`."""
    return kind + "".join(f"[{i}]" for i in (l, k, j) if i is not None)


# --- the right method, cell by cell ---------------------------------------------------------------


def act_in(s: Setting, num: Numbers, l: int, j: int) -> float:
    """The activation unit j sends into layer l: the input x_j when l = 0, else a[l−1][j]."""
    return s.x[j] if l == 0 else num[f"a[{l - 1}][{j}]"]


def slope(act: str, a: float) -> float:
    """f′(net) written with the unit's own activation a (relu′ from the sign of a = relu(net))."""
    if act == "sigmoid":
        return a * (1.0 - a)  # σ′ = σ(1 − σ) = a(1 − a)
    if act == "tanh":
        return 1.0 - a * a  # tanh′ = 1 − tanh² = 1 − a²
    if act == "relu":
        return 1.0 if a > 0 else 0.0  # relu′ = 1 where net > 0 (there a > 0), else 0
    return 1.0  # linear: d(net)/d(net) = 1


def squash(act: str, net: float) -> float:
    """a = f(net) for an elementwise activation, finite at any net."""
    if act == "sigmoid":
        return 1.0 / (1.0 + math.exp(-net)) if net >= 0 else math.exp(net) / (1.0 + math.exp(net))
    if act == "tanh":
        return math.tanh(net)
    if act == "relu":
        return max(net, 0.0)
    return net


def softmax_of(nets: list[float], k: int) -> float:
    """a_k of a softmax layer with weighted inputs `nets` (the max subtracted, so exp never overflows)."""
    top = max(nets)
    return math.exp(nets[k] - top) / sum(math.exp(n - top) for n in nets)


def back_sum(s: Setting, num: Numbers, l: int, j: int, weights=None) -> float:
    """Σ_k w_jk·δ_k over the units k of layer l + 1 that unit j of layer l feeds (= ∂E/∂a_j)."""
    w = weights or s.weights[l + 1]
    return sum(w[k][j] * num[f"delta[{l + 1}][{k}]"] for k in range(s.sizes[l + 2]))


def output_delta(s: Setting, num: Numbers, k: int) -> float:
    """δ_k = ∂E/∂net_k of output unit k."""
    L = s.depth - 1
    a, t = num[f"a[{L}][{k}]"], s.t[k]
    if s.loss == "cross_entropy":
        return a - t  # softmax with cross-entropy: ∂E/∂net_k = a_k − t_k
    if s.activations[L] == "softmax":
        # ∂a_i/∂net_k = a_i([i = k] − a_k), so δ_k = a_k·((a_k − t_k) − Σ_i (a_i − t_i)·a_i)
        total = sum((num[f"a[{L}][{i}]"] - s.t[i]) * num[f"a[{L}][{i}]"] for i in range(s.sizes[-1]))
        return a * ((a - t) - total)
    return (a - t) * slope(s.activations[L], a)  # δ_k = ∂E/∂a_k·f′(net_k) = (a_k − t_k)·f′(net_k)


def right_value(s: Setting, num: Numbers, c: Cell) -> float:
    """What the right method gives for cell `c` from the numbers `num` of its inputs."""
    l, k, j = c.layer, c.unit, c.source
    kind = c.kind
    if kind == "net":
        # net_k = Σ_j w_jk·a_j + b_k
        return sum(s.weights[l][k][i] * act_in(s, num, l, i) for i in range(s.sizes[l])) + s.bias(l, k)
    if kind == "a":
        act = s.activations[l]
        if act == "softmax":
            return softmax_of([num[f"net[{l}][{i}]"] for i in range(s.sizes[l + 1])], k)
        return squash(act, num[f"net[{l}][{k}]"])
    if kind == "E":
        L = s.depth - 1
        outs = [num[f"a[{L}][{i}]"] for i in range(s.sizes[-1])]
        if s.loss == "cross_entropy":
            return -sum(t * math.log(a) if t else 0.0 for t, a in zip(s.t, outs)) if min(outs) > 0 else math.nan
        return 0.5 * sum((t - a) ** 2 for t, a in zip(s.t, outs))  # E = ½Σ_k (t_k − a_k)²
    if kind == "delta":
        if l == s.depth - 1:
            return output_delta(s, num, k)
        # δ_j = f′(net_j)·Σ_k w_jk δ_k: ∂net_k/∂a_j = w_jk, summed over every k that j feeds
        return slope(s.activations[l], num[f"a[{l}][{k}]"]) * back_sum(s, num, l, k)
    if kind == "grad_weights":
        return num[f"delta[{l}][{k}]"] * act_in(s, num, l, j)  # ∂net_k/∂w_jk = a_j: ∂E/∂w_jk = δ_k·a_j
    if kind == "grad_biases":
        return num[f"delta[{l}][{k}]"]  # ∂net_k/∂b_k = 1: ∂E/∂b_k = δ_k
    if kind == "updated_weights":
        return s.weights[l][k][j] - s.eta * num[f"grad_weights[{l}][{k}][{j}]"]  # w ← w − η·∂E/∂w
    return s.bias(l, k) - s.eta * num[f"grad_biases[{l}][{k}]"]  # b ← b − η·∂E/∂b


# --- building the cells ---------------------------------------------------------------------------


def right_value_or_nan(s: Setting, num: Numbers, c: Cell) -> float:
    """`right_value`, or NaN when the numbers leave its domain (a learner's own 1e154 squared overflows)."""
    try:
        value = right_value(s, num, c)
    except (ArithmeticError, ValueError):
        return math.nan
    return value if math.isfinite(value) else math.nan


def true_numbers(spec: Spec) -> dict[str, float]:
    """Every cell's true value, read from the engine's own solve (so addresses agree with `solve --json`)."""
    sol = solve(spec.network, spec.input, spec.target, spec.learning_rate)
    out: dict[str, float] = {}
    for kind, value in to_json(sol).items():
        if kind == "E":
            out["E"] = float(value)
        elif kind in KINDS:
            _flatten(kind, value, (), out)
    return out


def _flatten(kind: str, value, index: tuple[int, ...], out: dict[str, float]) -> None:
    if isinstance(value, list):
        for i, v in enumerate(value):
            _flatten(kind, v, index + (i,), out)
    else:
        out[address(kind, *index)] = float(value)


def build_cells(s: Setting, values: Numbers) -> tuple[Cell, ...]:
    """Every cell of the pass in working order: forward layer by layer (nets, then activations), E,
    the δ's from the output back, the gradients and then the updates (last layer first, as `solve`
    writes them), with labels, inputs, formulas and the true `values`."""
    layout = _layout(s.sizes, s.activations, s.loss, s.biases is not None, s.eta is not None)
    return tuple(replace(c, value=values[c.address]) for c in layout)


@lru_cache(maxsize=64)
def _layout(sizes: tuple[int, ...], activations: tuple[str, ...], loss: str, biases: bool,
            updates: bool) -> tuple[Cell, ...]:
    """The cells of every network of this shape, without values (the same for any numbers)."""
    L = len(sizes) - 1
    cells: list[Cell] = []

    def add(kind, quantity, l, k, j, label, name, inputs, formula):
        cells.append(Cell(address(kind, l, k, j), kind, quantity, l, k, j, label, name, math.nan, tuple(inputs), formula))

    for l in range(L):
        act = activations[l]
        prev = [f"a[{l - 1}][{i}]" for i in range(sizes[l])] if l else []
        for k in range(sizes[l + 1]):
            terms = [f"{weight_symbol(sizes, l, k, i)}·{symbol('a', sizes, l, i)}" for i in range(sizes[l])]
            if biases:
                terms.append(bias_symbol(sizes, l, k))
            n = symbol("net", sizes, l + 1, k)
            add("net", "net", l, k, None, n, n, prev, f"{n} = {' + '.join(terms)}")
        for k in range(sizes[l + 1]):
            a, n = symbol("a", sizes, l + 1, k), symbol("net", sizes, l + 1, k)
            if act == "softmax":
                inputs = [f"net[{l}][{i}]" for i in range(sizes[l + 1])]
                formula = f"{a} = e^{n} / Σ_k e^net_k"
            else:
                inputs = [f"net[{l}][{k}]"]
                formula = f"{a} = {n}" if act == "linear" else f"{a} = {_FN[act]}({n})"
            add("a", "activation", l, k, None, a, a, inputs, formula)

    outs = range(sizes[-1])
    if loss == "cross_entropy":
        e = " + ".join(f"{symbol('t', sizes, L, k)}·ln {symbol('a', sizes, L, k)}" for k in outs)
        e_formula = f"E = {MINUS}[{e}]"
    else:
        e = " + ".join(f"({symbol('t', sizes, L, k)} {MINUS} {symbol('a', sizes, L, k)})²" for k in outs)
        e_formula = f"E = ½[{e}]"
    add("E", "error", None, None, None, "E", "E", [f"a[{L - 1}][{k}]" for k in outs], e_formula)

    for l in range(L - 1, -1, -1):
        act = activations[l]
        for k in range(sizes[l + 1]):
            d, a = symbol("δ", sizes, l + 1, k), symbol("a", sizes, l + 1, k)
            name = symbol("delta", sizes, l + 1, k)
            if l == L - 1:
                t = symbol("t", sizes, L, k)
                if loss == "cross_entropy":
                    inputs, formula = [f"a[{l}][{k}]"], f"{d} = {a} {MINUS} {t}"
                elif act == "softmax":
                    inputs = [f"a[{l}][{i}]" for i in outs]
                    formula = f"{d} = {a}·(({a} {MINUS} {t}) {MINUS} Σ_k (a_k {MINUS} t_k)·a_k)"
                else:
                    inputs = [f"a[{l}][{k}]"]
                    formula = f"{d} = ({a} {MINUS} {t})" + _slope_text(act, sizes, l + 1, k)
                add("delta", "output-delta", l, k, None, d, name, inputs, formula)
            else:
                roads = " + ".join(
                    f"{weight_symbol(sizes, l + 1, i, k)}·{symbol('δ', sizes, l + 2, i)}" for i in range(sizes[l + 2])
                )
                inputs = [f"delta[{l + 1}][{i}]" for i in range(sizes[l + 2])]
                formula = f"{d} = {roads}"
                if act != "linear":
                    inputs.append(f"a[{l}][{k}]")
                    formula = f"{d} = {_slope_text(act, sizes, l + 1, k)[1:]}·({roads})"
                add("delta", "hidden-delta", l, k, None, d, name, inputs, formula)

    for prefix, quantity, bquantity, kind, bkind in (
        ("grad", "weight-gradient", "bias-gradient", "grad_weights", "grad_biases"),
        ("update", "weight-update", "bias-update", "updated_weights", "updated_biases"),
    ):
        if prefix == "update" and not updates:
            break
        for l in range(L - 1, -1, -1):
            for k in range(sizes[l + 1]):
                d = symbol("δ", sizes, l + 1, k)
                for j in range(sizes[l]):
                    w = weight_symbol(sizes, l, k, j)
                    if prefix == "grad":
                        inputs = [f"delta[{l}][{k}]"] + ([f"a[{l - 1}][{j}]"] if l else [])
                        add(kind, quantity, l, k, j, f"∂E/∂{w}", "g" + w, inputs,
                            f"∂E/∂{w} = {d}·{symbol('a', sizes, l, j)}")
                    else:
                        add(kind, quantity, l, k, j, f"{w}⁺", "wnew" + w[1:], [f"grad_weights[{l}][{k}][{j}]"],
                            f"{w}⁺ = {w} {MINUS} η·∂E/∂{w}")
                if biases:
                    b = bias_symbol(sizes, l, k)
                    if prefix == "grad":
                        add(bkind, bquantity, l, k, None, f"∂E/∂{b}", "g" + b, [f"delta[{l}][{k}]"], f"∂E/∂{b} = {d}")
                    else:
                        add(bkind, bquantity, l, k, None, f"{b}⁺", "bnew" + b[1:], [f"grad_biases[{l}][{k}]"],
                            f"{b}⁺ = {b} {MINUS} η·∂E/∂{b}")
    return tuple(cells)


_FN = {"sigmoid": "σ", "tanh": "tanh", "relu": "relu"}


def _slope_text(act: str, sizes, layer: int, k: int) -> str:
    """·f′(net_k) in house notation, written with a where the house writes it so ('' for linear)."""
    a = symbol("a", sizes, layer, k)
    if act == "sigmoid":
        return f"·{a}·(1 {MINUS} {a})"
    if act == "tanh":
        return f"·(1 {MINUS} {a}²)"
    if act == "relu":
        return f"·relu′({symbol('net', sizes, layer, k)})"
    return ""

