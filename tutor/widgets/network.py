"""The network picture: each unit's net and a, its δ once the learner has reached it, fan-out paths lit."""

from __future__ import annotations

from typing import Mapping

from rich.text import Text

from tutor.widgets.canvas import Canvas

BOX_W = 16
MAX_W = 76
EDGE, LIT, ASKED, LABEL = "dim", "bold #d75fd7", "bold #ff8700", "bold"


def _fmt(x: float) -> str:
    from engine.answers import format_number

    return format_number(float(x))


def network_picture(network, x, t, known: Mapping[str, bool] | None = None, fan_from: str | None = None,
                    asked: str | None = None, numbers: Mapping[str, float] | None = None,
                    notes: tuple[str, ...] = ()) -> Text:
    """Draw `network` on input `x` with target `t`.

    `known` maps a quantity (net_h1, a_h1, delta_o1) to whether it is shown; absent quantities are
    shown, except δ's, which stay hidden unless listed as shown. `asked` is the quantity the current
    question is about (drawn as a highlighted “?”); `fan_from` is a unit (h1) whose outgoing
    connections are lit, because its δ sums over every unit it feeds. When the question is a weight's
    gradient (asked = "gw_h2o1"), that one connection is lit. The weights are listed underneath.

    With `numbers` (quantity -> value, such as a learner's own answers) the units and E show those
    numbers and "·" for every quantity not in it, never a value of the network's own pass; `notes`
    are further lines listed under the weights (biases, η).
    """
    import re

    from engine.network import weight_symbol
    from engine.network import unit_label

    known = dict(known or {})
    sizes = network.sizes
    fwd = network.forward(x)
    grads = network.backward(fwd, t)
    if numbers is not None:
        known = {name: name in numbers for name in _unit_names(sizes)} | {"E": "E" in numbers}
    n_layers = len(sizes)
    gap = max(4, min(12, (MAX_W - n_layers * BOX_W) // max(1, n_layers - 1)))
    width = n_layers * BOX_W + (n_layers - 1) * gap

    def own(name: str, value: float) -> float:
        return value if numbers is None else numbers.get(name, float("nan"))  # absent: shown as "·"

    def rows(layer: int, j: int) -> list[tuple[str, str, str | None]]:
        """(name, value text, style) per line of a unit's box."""
        label = unit_label(sizes, layer, j)
        if layer == 0:
            return [("a", _fmt(x[j]), None)]
        out = []
        for name, value in (("net", fwd.nets[layer - 1][j]), ("a", fwd.acts[layer][j])):
            out.append(_cell(f"{name}_{label}", name, own(f"{name}_{label}", value), known, asked, default=True))
        if layer == n_layers - 1:
            out.append(("t", _fmt(t[j]), None))
        out.append(_cell(f"delta_{label}", "δ", own(f"delta_{label}", grads.deltas[layer - 1][j]), known, asked,
                         default=False))
        return out

    boxes: dict[tuple[int, int], tuple[int, int, int]] = {}  # (layer, j) -> (x, y, height)
    heights = [[len(rows(layer, j)) + 2 for j in range(n)] for layer, n in enumerate(sizes)]
    total_h = max(sum(h) + len(h) - 1 for h in heights)
    canvas = Canvas(width, total_h)
    for layer, n in enumerate(sizes):
        col_h = sum(heights[layer]) + n - 1
        y = (total_h - col_h) // 2
        for j in range(n):
            boxes[(layer, j)] = (layer * (BOX_W + gap), y, heights[layer][j])
            y += heights[layer][j] + 1
    # connections first, so boxes are drawn over their ends
    for layer in range(n_layers - 1):
        for j in range(sizes[layer]):
            for k in range(sizes[layer + 1]):
                x0, y0, h0 = boxes[(layer, j)]
                x1, y1, h1 = boxes[(layer + 1, k)]
                lit = (fan_from is not None and unit_label(sizes, layer, j) == fan_from) or (
                    asked is not None and asked == "g" + weight_symbol(sizes, layer, k, j))
                canvas.line(x0 + BOX_W, y0 + h0 // 2, x1 - 1, y1 + h1 // 2, LIT if lit else EDGE)
    for (layer, j), (bx, by, bh) in boxes.items():
        label = unit_label(sizes, layer, j)
        lit = fan_from == label
        frame = LIT if lit else None
        canvas.put(bx, by, "┌" + f" {label} ".center(BOX_W - 2, "─") + "┐", frame)
        for i, (name, value, style) in enumerate(rows(layer, j), start=1):
            canvas.put(bx, by + i, "│", frame)
            canvas.put(bx + 1, by + i, f"{name:<4}{value:>{BOX_W - 7}} ", None)
            if style:
                canvas.put(bx + 5, by + i, f"{value:>{BOX_W - 7}}", style)
            canvas.put(bx + BOX_W - 1, by + i, "│", frame)
        canvas.put(bx, by + bh - 1, "└" + "─" * (BOX_W - 2) + "┘", frame)
    picture = canvas.text()
    if asked == "E":
        picture.append("\nE = ?", style=ASKED)
    else:
        picture.append(f"\nE = {_fmt(own('E', grads.E)) if known.get('E', True) else '·'}", style="dim")
    if fan_from:
        picture.append(f"   lit: every path out of {fan_from}; its δ sums over them", style=LIT)
    elif asked and (m := re.fullmatch(r"gw_([a-z]\d+)([a-z]\d+)", asked)):
        picture.append(f"   lit: the connection {m.group(1)} → {m.group(2)}", style=LIT)
    for l, W in enumerate(network.weights):
        items = [f"{weight_symbol(sizes, l, k, j)} {W[k, j]:.4g}" for k in range(W.shape[0]) for j in range(W.shape[1])]
        line = ""
        for item in items:  # as many weights to a line as fit, so nothing is cut at 80 columns
            if line and len(line) + 2 + len(item) > MAX_W:
                picture.append("\n" + line, style="dim")
                line = ""
            line = f"{line}  {item}" if line else item
        picture.append("\n" + line, style="dim")
    for note in notes:
        picture.append("\n" + note, style="dim")
    return picture


def _unit_names(sizes) -> list[str]:
    from engine.network import unit_label

    return [f"{q}_{unit_label(sizes, layer, j)}" for layer in range(1, len(sizes)) for j in range(sizes[layer])
            for q in ("net", "a", "delta")]


def _cell(symbol: str, name: str, value: float, known: Mapping[str, bool], asked: str | None,
          default: bool) -> tuple[str, str, str | None]:
    if symbol == asked:
        return (name, "?", ASKED)
    if known.get(symbol, default):
        return (name, _fmt(value), None)
    return (name, "·", "dim")
