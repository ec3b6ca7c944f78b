"""The computational graph of a `Value`: each named node, what it is computed from, its value, and its fan-out."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

FAN = "bold #d75fd7"


def _named(node) -> bool:
    return bool(node.label) and node.op != "const"


def _const(node) -> str:
    return f"{node.data:.4g}".replace("-", "−")


def _expr(node, top: bool = True) -> str:
    """The formula of `node` in terms of the nearest named nodes below it."""
    if not top and _named(node):
        return node.label
    if node.op == "const" or not node.children:
        return _const(node)
    kids = node.children
    if node.op == "+":
        right = _expr(kids[1], False)
        if right.startswith("−"):
            return f"{_expr(kids[0], False)} − {right[1:]}"
        return f"{_expr(kids[0], False)} + {right}"
    if node.op == "*":
        a, b = kids
        if b.op == "const":  # constants first: 0.5·(…)², −x
            a, b = b, a
        if a.op == "const" and a.data == -1.0:
            return f"−{_wrap(b)}"
        return f"{_wrap(a)}·{_wrap(b)}"
    if node.op.startswith("^"):
        power = {"2": "²", "3": "³", "-1": "⁻¹", "-2": "⁻²"}.get(node.op[1:], "^" + node.op[1:])
        return f"{_wrap(kids[0])}{power}"
    return f"{node.op}({_expr(kids[0], False)})"


def _wrap(node) -> str:
    """The formula of an operand, in parentheses when it is a sum."""
    text = _expr(node, False)
    return f"({text})" if node.op == "+" and not _named(node) else text


def _inputs(node) -> list:
    """The nearest named nodes below `node` (through unnamed intermediate nodes)."""
    found, stack, seen = [], list(node.children), set()
    while stack:
        child = stack.pop()
        if id(child) in seen:
            continue
        seen.add(id(child))
        if _named(child):
            found.append(child)
        else:
            stack.extend(child.children)
    return found


def graph_picture(output) -> Text:
    """Every named node of the graph under `output`, inputs first, with its formula and value.

    A node feeding two or more others is marked: its gradient is the sum over those paths.
    Gradients themselves are not shown, since finding them is the learner's exercise.
    """
    from engine.answers import format_number

    named = [n for n in output.topological_order() if _named(n)]
    depth: dict[int, int] = {}
    for node in named:  # topological order: every input's depth is known before its users'
        depth[id(node)] = 1 + max((depth.get(id(c), 0) for c in _inputs(node)), default=-1)
    kind = {id(n): (0 if n.children else 1) for n in named}
    # inputs first (given numbers before weights' users), then layer by layer, names in order
    order = sorted(named, key=lambda n: (depth[id(n)], kind[id(n)], n.label))
    users: dict[int, list[str]] = {}
    for node in order:
        for child in _inputs(node):
            users.setdefault(id(child), []).append(node.label)
    width = max((len(n.label) for n in order), default=1)
    formulas = {id(n): ("given" if not n.children else _expr(n)) for n in order}
    fwidth = min(48, max((len(f) for f in formulas.values()), default=1))
    text = Text()
    for i, node in enumerate(order):
        if i:
            text.append("\n")
        text.append(f"{node.label:>{width}}", style="bold")
        text.append(f" = {formulas[id(node)]:<{fwidth}}")
        text.append(f"  = {format_number(node.data)}", style="dim")
        fed = sorted(users.get(id(node), []))
        if len(fed) > 1:
            text.append(f"\n{'':>{width}}   ⑂ feeds {', '.join(fed)}: its gradient adds {len(fed)} paths", style=FAN)
    return text


class GraphView(Static):
    """A Static showing `graph_picture` for a step's graph."""

    def show(self, output) -> None:
        try:
            self.update(graph_picture(output))
        except Exception as exc:  # a malformed context must not take the lesson down
            self.update(Text(f"(the graph could not be drawn: {exc})", style="dim"))
