"""A hand-written pass of a sigmoid network with squared error (the test's own oracle), and typing into the worksheet."""

from __future__ import annotations

import math


def sig(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def hand_pass(spec: dict) -> dict[str, float]:
    """Every worksheet cell of a sigmoid, squared-error network, worked out here with plain loops.

    net_k = Σ_j w[l][k][j]·a_j + b_k; a_k = σ(net_k); E = ½Σ(t − a)²; output δ_k = (a_k − t_k)·a_k(1 − a_k);
    hidden δ_j = a_j(1 − a_j)·Σ_k w[l+1][k][j]·δ_k; ∂E/∂w[l][k][j] = δ_k·a_j; ∂E/∂b_k = δ_k; w⁺ = w − η·g.
    """
    W, x, t = spec["weights"], spec["input"], spec["target"]
    B = spec.get("biases")
    eta = spec.get("learning_rate")
    out: dict[str, float] = {}
    acts = [list(x)]
    for l, Wl in enumerate(W):
        nets = [sum(w * a for w, a in zip(row, acts[-1])) + (B[l][k] if B else 0.0) for k, row in enumerate(Wl)]
        for k, n in enumerate(nets):
            out[f"net[{l}][{k}]"] = n
            out[f"a[{l}][{k}]"] = sig(n)
        acts.append([sig(n) for n in nets])
    L = len(W)
    out["E"] = 0.5 * sum((tk - ak) ** 2 for tk, ak in zip(t, acts[-1]))
    deltas = [None] * L
    deltas[L - 1] = [(a - tk) * a * (1 - a) for a, tk in zip(acts[-1], t)]
    for l in range(L - 2, -1, -1):
        deltas[l] = [a * (1 - a) * sum(W[l + 1][k][j] * d for k, d in enumerate(deltas[l + 1]))
                     for j, a in enumerate(acts[l + 1])]
    for l in range(L):
        for k, d in enumerate(deltas[l]):
            out[f"delta[{l}][{k}]"] = d
    for l in range(L):
        for k, d in enumerate(deltas[l]):
            for j, a in enumerate(acts[l]):
                out[f"grad_weights[{l}][{k}][{j}]"] = d * a
    if B:
        for l in range(L):
            for k, d in enumerate(deltas[l]):
                out[f"grad_biases[{l}][{k}]"] = d
    if eta is not None:
        for l in range(L):
            for k, row in enumerate(W[l]):
                for j, w in enumerate(row):
                    out[f"updated_weights[{l}][{k}][{j}]"] = w - eta * out[f"grad_weights[{l}][{k}][{j}]"]
        if B:
            for l in range(L):
                for k, b in enumerate(B[l]):
                    out[f"updated_biases[{l}][{k}]"] = b - eta * out[f"grad_biases[{l}][{k}]"]
    return out


def keys(text: str) -> list[str]:
    """The key names that type `text` into an input."""
    names = {"-": "minus", ".": "full_stop", "*": "asterisk", "+": "plus", "(": "left_parenthesis",
             ")": "right_parenthesis", "/": "slash", "e": "e"}
    return [names.get(ch, ch) for ch in text]


def six(x: float) -> str:
    """A number as a learner might type it, to six significant figures."""
    return f"{x:.6g}"


async def open_worksheet(pilot):
    """Wait until the worksheet screen is up and its answer box has the focus; return the screen."""
    app = pilot.app
    for _ in range(500):
        if type(app.screen).__name__ == "WorksheetScreen" and app.focused is not None \
                and app.focused.id == "ws-input":
            break
        await pilot.pause(0.01)
    assert type(app.screen).__name__ == "WorksheetScreen", app.screen
    await pilot.pause()
    return app.screen


async def answer(pilot, screen, address: str, text: str) -> None:
    """Move to a cell with the arrow keys and type an answer, then Enter."""
    target = [c.address for c in screen.session.ws.cells].index(address)
    while screen.row != target:
        await pilot.press("down" if screen.row < target else "up")
    box = screen.query_one("#ws-input")
    box.value = ""
    await pilot.press(*keys(text), "enter")
    await pilot.pause()
