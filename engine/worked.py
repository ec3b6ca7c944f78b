"""A worked forward and backward pass in house notation, as plain text lines or a JSON-ready dict."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.gradcheck import GradCheck, check_gradients
from engine.network import Forward, Gradients, Network, bias_symbol, symbol, weight_symbol

MINUS = "−"


@dataclass(frozen=True)
class Solution:
    """One example pushed through a network and back, with the optional update and check."""

    network: Network
    x: np.ndarray
    t: np.ndarray
    forward: Forward
    grads: Gradients
    learning_rate: float | None = None
    updated: Network | None = None
    check: GradCheck | None = None


@dataclass(frozen=True)
class Section:
    """A titled block of worked lines."""

    title: str
    lines: list[str]


def solve(network: Network, x, t, learning_rate: float | None = None, check: bool = False) -> Solution:
    """Forward pass, backward pass, and (given η) one step; with check=True also finite differences."""
    x = np.asarray(x, dtype=float)
    t = np.asarray(t, dtype=float)
    fwd = network.forward(x)
    grads = network.backward(fwd, t)
    updated = network.step(grads, learning_rate) if learning_rate is not None else None
    gc = check_gradients(network, x, t, grads=grads) if check else None
    return Solution(network, x, t, fwd, grads, learning_rate, updated, gc)


def to_json(sol: Solution) -> dict:
    """The numbers of a solution at full precision; keys as documented for `solve --json`."""
    out: dict = {
        "net": [n.tolist() for n in sol.forward.nets],
        "a": [a.tolist() for a in sol.forward.acts[1:]],
        "E": sol.grads.E,
        "delta": [d.tolist() for d in sol.grads.deltas],
        "grad_weights": [g.tolist() for g in sol.grads.grad_weights],
    }
    if sol.grads.grad_biases is not None:
        out["grad_biases"] = [g.tolist() for g in sol.grads.grad_biases]
    if sol.updated is not None:
        out["learning_rate"] = sol.learning_rate
        out["updated_weights"] = [w.tolist() for w in sol.updated.weights]
        if sol.updated.biases is not None:
            out["updated_biases"] = [b.tolist() for b in sol.updated.biases]
    if sol.check is not None:
        c = sol.check
        out["check"] = {
            "numeric_grad_weights": [g.tolist() for g in c.numeric_weights],
            "rel_error_weights": [r.tolist() for r in c.rel_error_weights],
            "max_rel_error": c.max_rel_error,
        }
        if c.numeric_biases is not None:
            out["check"]["numeric_grad_biases"] = [g.tolist() for g in c.numeric_biases]
            out["check"]["rel_error_biases"] = [r.tolist() for r in (c.rel_error_biases or [])]
    return out


def fmt(x: float) -> str:
    """A number to 4 significant figures; values that are exact at 4 figures (like an input 0.05)
    are shown without trailing zeros, rounded ones keep them (0.1200 means 'rounded')."""
    x = float(x)
    if x == 0:
        return "0"
    short = f"{x:.4g}"
    # "exact" allows for binary rounding, so 0.1 + 0.2 + 0.03 shows as 0.33, not 0.3300
    text = short if abs(float(short) - x) <= 1e-12 * abs(x) else f"{x:#.4g}"
    if "e" in text:
        mant, exp = text.split("e")
        text = f"{mant}e{int(exp)}"
    return text.replace("-", MINUS)


def _p(x: float) -> str:
    """A number as a factor: negative numbers in parentheses."""
    text = fmt(x)
    return f"({text})" if text.startswith(MINUS) else text


def _fn(name: str) -> str:
    return {"sigmoid": "σ", "tanh": "tanh", "relu": "relu"}[name]


def worked_sections(sol: Solution) -> list[Section]:
    """The worked solution in house notation, section by section (single example only)."""
    if sol.x.ndim != 1:
        raise ValueError("a worked solution is written for one example, not a batch")
    net, fwd, g = sol.network, sol.forward, sol.grads
    sizes = net.sizes
    L = len(net.weights)
    sym = lambda name, layer, j: symbol(name, sizes, layer, j)  # noqa: E731

    sections = [Section("Forward pass", _forward_lines(sol))]

    a_out, t = fwd.acts[-1], sol.t
    n_out = sizes[-1]
    if net.loss == "sse":
        f = " + ".join(f"({sym('t', L, k)} {MINUS} {sym('a', L, k)})²" for k in range(n_out))
        v = " + ".join(f"({fmt(t[k])} {MINUS} {_p(a_out[k])})²" for k in range(n_out))
        err = [f"E = ½[{f}]", f"  = ½[{v}] = {fmt(g.E)}"]
    else:
        f = " + ".join(f"{sym('t', L, k)}·ln {sym('a', L, k)}" for k in range(n_out))
        v = " + ".join(f"{fmt(t[k])}·ln {fmt(a_out[k])}" for k in range(n_out))
        err = [f"E = {MINUS}[{f}]", f"  = {MINUS}[{v}] = {fmt(g.E)}"]
    sections.append(Section("Error", err))

    sections.append(Section("Backward pass: δ = ∂E/∂net, output layer first", _delta_lines(sol)))

    grad_lines = []
    for l in range(L - 1, -1, -1):
        for k in range(sizes[l + 1]):
            for j in range(sizes[l]):
                w = weight_symbol(sizes, l, k, j)
                line = (
                    f"∂E/∂{w} = {sym('δ', l + 1, k)}·{sym('a', l, j)} = "
                    f"{_p(g.deltas[l][k])}·{_p(fwd.acts[l][j])} = {fmt(g.grad_weights[l][k, j])}"
                )
                if sol.check is not None:
                    c = sol.check
                    line += f"   [finite difference {fmt(c.numeric_weights[l][k, j])}, rel. error {c.rel_error_weights[l][k, j]:.1e}]"
                grad_lines.append(line)
            if g.grad_biases is not None:
                b = bias_symbol(sizes, l, k)
                line = f"∂E/∂{b} = {sym('δ', l + 1, k)} = {fmt(g.grad_biases[l][k])}"
                if sol.check is not None and sol.check.numeric_biases is not None:
                    c = sol.check
                    line += f"   [finite difference {fmt(c.numeric_biases[l][k])}, rel. error {c.rel_error_biases[l][k]:.1e}]"
                grad_lines.append(line)
    title = "Gradients: ∂E/∂w_jk = δ_k·a_j" + (", ∂E/∂b_k = δ_k" if g.grad_biases is not None else "")
    sections.append(Section(title, grad_lines))
    if sol.check is not None:
        sections[-1].lines.append(
            f"Finite differences agree: largest relative error {sol.check.max_rel_error:.1e}"
            if sol.check.ok()
            else f"Finite differences DISAGREE: largest relative error {sol.check.max_rel_error:.1e}"
        )
        at_kink = any(
            act == "relu" and np.any(np.abs(n) < 1e-5) for act, n in zip(net.activations, fwd.nets)
        )
        if at_kink and not sol.check.ok():
            sections[-1].lines.append(
                "(a relu unit has net = 0, where relu has a corner: finite differences are not reliable there)"
            )

    if sol.updated is not None:
        eta = sol.learning_rate
        upd = []
        for l in range(L - 1, -1, -1):
            for k in range(sizes[l + 1]):
                for j in range(sizes[l]):
                    w = weight_symbol(sizes, l, k, j)
                    upd.append(
                        f"{w}⁺ = {w} {MINUS} η·∂E/∂{w} = {fmt(net.weights[l][k, j])} {MINUS} "
                        f"{fmt(eta)}·{_p(g.grad_weights[l][k, j])} = {fmt(sol.updated.weights[l][k, j])}"
                    )
                if net.biases is not None:
                    b = bias_symbol(sizes, l, k)
                    upd.append(
                        f"{b}⁺ = {b} {MINUS} η·∂E/∂{b} = {fmt(net.biases[l][k])} {MINUS} "
                        f"{fmt(eta)}·{_p(g.grad_biases[l][k])} = {fmt(sol.updated.biases[l][k])}"
                    )
        if L > 1:
            upd.append("All weights move at once: the hidden δ's above were computed with the old weights, not the updated ones.")
        sections.append(Section(f"Update with η = {fmt(eta)}", upd))
    return sections


def _forward_lines(sol: Solution) -> list[str]:
    net, fwd = sol.network, sol.forward
    sizes = net.sizes
    sym = lambda name, layer, j: symbol(name, sizes, layer, j)  # noqa: E731
    lines = ["   ".join(f"{sym('a', 0, j)} = {fmt(v)}" for j, v in enumerate(fwd.acts[0])) + "   (input)"]
    for l, act in enumerate(net.activations):
        W, a_prev = net.weights[l], fwd.acts[l]
        nets, acts = fwd.nets[l], fwd.acts[l + 1]
        for k in range(sizes[l + 1]):
            terms = [f"{weight_symbol(sizes, l, k, j)}·{sym('a', l, j)}" for j in range(sizes[l])]
            nums = [f"{_p(W[k, j])}·{_p(a_prev[j])}" for j in range(sizes[l])]
            if net.biases is not None:
                terms.append(bias_symbol(sizes, l, k))
                nums.append(_p(net.biases[l][k]))
            lines.append(f"{sym('net', l + 1, k)} = {' + '.join(terms)} = {' + '.join(nums)} = {fmt(nets[k])}")
        for k in range(sizes[l + 1]):
            n, a = sym("net", l + 1, k), sym("a", l + 1, k)
            if act == "linear":
                lines.append(f"{a} = {n} = {fmt(acts[k])}")
            elif act == "softmax":
                denom = " + ".join(f"e^{_p(v)}" for v in nets)
                lines.append(f"{a} = e^{n} / Σ_k e^net_k = e^{_p(nets[k])} / ({denom}) = {fmt(acts[k])}")
            else:
                lines.append(f"{a} = {_fn(act)}({n}) = {_fn(act)}({fmt(nets[k])}) = {fmt(acts[k])}")
    return lines


def _derivative_terms(act: str, sizes, layer: int, j: int, net_v: float, a_v: float) -> tuple[str, str]:
    """f′(net_j) as a formula and instantiated, for an elementwise activation ('' for linear)."""
    a = symbol("a", sizes, layer, j)
    if act == "sigmoid":
        return f"{a}·(1 {MINUS} {a})", f"{_p(a_v)}·{_p(1 - a_v)}"
    if act == "tanh":
        return f"(1 {MINUS} {a}²)", _p(1 - a_v * a_v)
    if act == "relu":
        return f"relu′({symbol('net', sizes, layer, j)})", "1" if net_v > 0 else "0"
    return "", ""


def _delta_lines(sol: Solution) -> list[str]:
    net, fwd, g = sol.network, sol.forward, sol.grads
    sizes = net.sizes
    L = len(net.weights)
    sym = lambda name, layer, j: symbol(name, sizes, layer, j)  # noqa: E731
    lines = []
    a_out, t, d_out, out_act = fwd.acts[-1], sol.t, g.deltas[-1], net.activations[-1]
    if net.loss == "cross_entropy":
        lines.append("output units, softmax with cross-entropy: δ_k = a_k − t_k (the softmax Jacobian and ∂E/∂a cancel)")
    elif out_act == "softmax":
        lines.append("output units, softmax with squared error: δ_k = a_k·((a_k − t_k) − S), with S below")
    else:
        lines.append("output units: δ_k = ∂E/∂a_k·f′(net_k) = (a_k − t_k)·f′(net_k)")
    if out_act == "softmax" and net.loss == "sse":
        s_val = float(np.sum((a_out - t) * a_out))
        s_terms = " + ".join(f"({sym('a', L, k)} {MINUS} {sym('t', L, k)})·{sym('a', L, k)}" for k in range(sizes[-1]))
        s_nums = " + ".join(f"({fmt(a_out[k])} {MINUS} {_p(t[k])})·{_p(a_out[k])}" for k in range(sizes[-1]))
        lines.append(f"S = Σ_k (a_k {MINUS} t_k)·a_k = {s_terms} = {s_nums} = {fmt(s_val)}")
    for k in range(sizes[-1]):
        d, a, tt = sym("δ", L, k), sym("a", L, k), sym("t", L, k)
        diff_f, diff_v = f"({a} {MINUS} {tt})", f"({fmt(a_out[k])} {MINUS} {_p(t[k])})"
        if net.loss == "cross_entropy":
            lines.append(f"{d} = {a} {MINUS} {tt} = {fmt(a_out[k])} {MINUS} {_p(t[k])} = {fmt(d_out[k])}")
        elif out_act == "softmax":
            lines.append(f"{d} = {a}·({diff_f} {MINUS} S) = {_p(a_out[k])}·({diff_v} {MINUS} {_p(s_val)}) = {fmt(d_out[k])}")
        else:
            df, dv = _derivative_terms(out_act, sizes, L, k, fwd.nets[-1][k], a_out[k])
            formula = f"{diff_f}·{df}" if df else diff_f
            numbers = f"{diff_v}·{dv}" if dv else diff_v
            lines.append(f"{d} = {formula} = {numbers} = {fmt(d_out[k])}")
    if L > 1:
        lines.append("hidden units: δ_j = f′(net_j)·Σ_k w_jk·δ_k, summed over every unit k that j feeds")
    for l in range(L - 1, 0, -1):  # hidden layer l: δ_j = f′(net_j)·Σ_k w_jk δ_k
        act, W, d_next = net.activations[l - 1], net.weights[l], g.deltas[l]
        for j in range(sizes[l]):
            wsum_f = " + ".join(f"{weight_symbol(sizes, l, k, j)}·{sym('δ', l + 1, k)}" for k in range(sizes[l + 1]))
            wsum_v = " + ".join(f"{_p(W[k, j])}·{_p(d_next[k])}" for k in range(sizes[l + 1]))
            df, dv = _derivative_terms(act, sizes, l, j, fwd.nets[l - 1][j], fwd.acts[l][j])
            formula = f"{df}·({wsum_f})" if df else f"({wsum_f})"
            numbers = f"{dv}·({wsum_v})" if dv else f"({wsum_v})"
            lines.append(f"{sym('δ', l, j)} = {formula} = {numbers} = {fmt(g.deltas[l - 1][j])}")
    return lines


def worked_lines(sol: Solution) -> list[str]:
    """The worked solution as plain text lines (section titles, then their indented lines)."""
    out: list[str] = []
    for i, section in enumerate(worked_sections(sol)):
        if i:
            out.append("")
        out.append(section.title)
        out.extend("  " + line for line in section.lines)
    return out
