"""The computational graph of a `Value`: each named node, what it is computed from, its value, and its fan-out."""

from __future__ import annotations

from rich.text import Text

from tutor.widgets.canvas import Canvas

FAN = "bold #d75fd7"
BACK = "#5fafff"


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


def _hidden(withheld) -> callable:
    """A test for numbers that are answers not yet worked out: equal to a withheld value as displayed."""
    from engine.answers import format_number

    shown = {format_number(float(w)) for w in withheld}
    return lambda x: format_number(float(x)) in shown


def _grad_text(value: float, hidden) -> str:
    from engine.answers import format_number

    return "?" if hidden(value) else format_number(value)


def backward_values(output, withheld=()) -> tuple[dict[int, str], dict[int, list[tuple[str, str]]]]:
    """Each named node's gradient as shown, and for a node feeding several others the part that arrives
    from each of them; "?" for any number equal to a `withheld` answer, and for every part of a
    gradient that is itself withheld when no part is (the parts would add up to it)."""
    from engine.graph import gradient_arrivals

    hidden = _hidden(withheld)
    named, _, users = _layers(output)
    arrivals = gradient_arrivals(output, _named)
    grads = {id(n): _grad_text(n.grad, hidden) for n in named}
    parts: dict[int, list[tuple[str, str]]] = {}
    for node in named:
        fed = sorted(users.get(id(node), []), key=lambda u: u.label)
        if len(fed) > 1:
            shown = [(u.label, _grad_text(arrivals.get((id(node), id(u)), 0.0), hidden)) for u in fed]
            if grads[id(node)] == "?" and "?" not in (part for _, part in shown):
                shown = [(label, "?") for label, _ in shown]  # they would add up to the hidden gradient
            parts[id(node)] = shown
    return grads, parts


def graph_picture(output, withheld=()) -> Text:
    """Every named node of the graph under `output`, inputs first, with its formula, its value and its
    gradient ∂output/∂node. A node feeding two or more others also shows what arrives from each of
    them and their sum, which is its gradient. Answers still to be worked out (`withheld`) show "?".
    """
    from engine.answers import format_number

    named = [n for n in output.topological_order() if _named(n)]
    depth: dict[int, int] = {}
    for node in named:  # topological order: every input's depth is known before its users'
        depth[id(node)] = 1 + max((depth.get(id(c), 0) for c in _inputs(node)), default=-1)
    kind = {id(n): (0 if n.children else 1) for n in named}
    # inputs first (given numbers before weights' users), then layer by layer, names in order
    order = sorted(named, key=lambda n: (depth[id(n)], kind[id(n)], n.label))
    grads, parts = backward_values(output, withheld)
    top = output.label or "output"
    width = max((len(n.label) for n in order), default=1)
    formulas = {id(n): ("given" if not n.children else _expr(n)) for n in order}
    values = {id(n): format_number(n.data) for n in order}
    vwidth = max((len(v) for v in values.values()), default=1)
    gradient = {id(n): f"∂{top}/∂{n.label} = {grads[id(n)]}" for n in order}
    gwidth = max((len(g) for g in gradient.values()), default=1)
    # the formula column as wide as the formulas, but no wider than leaves room for value and gradient;
    # a longer formula pushes its gradient to the line below
    fwidth = max(5, min(max((len(f) for f in formulas.values()), default=1), MAX_WIDTH - (width + 3 + 4 + vwidth + 3 + gwidth)))
    text = Text()
    for i, node in enumerate(order):
        if i:
            text.append("\n")
        text.append(f"{node.label:>{width}}", style="bold")
        text.append(f" = {formulas[id(node)]:<{fwidth}}")
        text.append(f"  = {values[id(node)]:<{vwidth}}", style="dim")
        grad = gradient[id(node)]
        if width + 3 + max(fwidth, len(formulas[id(node)])) + 4 + vwidth + 3 + len(grad) > MAX_WIDTH:
            text.append(f"\n{'':>{width}}   ")
        else:
            text.append("   ")
        text.append(grad, style=BACK)
        if id(node) in parts:
            fed = [label for label, _ in parts[id(node)]]
            pad = " " * (width + 3)
            text.append(f"\n{pad}⑂ feeds {' and '.join(fed)}: its gradient adds what arrives from each", style=FAN)
            name = max(len(label) for label in fed)
            for label, part in parts[id(node)]:
                text.append(f"\n{pad}  from {label:<{name}}  ∂{top}/∂{label}·∂{label}/∂{node.label} = {part}", style=FAN)
            total = " + ".join(part for _, part in parts[id(node)])
            text.append(f"\n{pad}  sum{'':<{name + 2}}  {total} = {grads[id(node)]}", style=FAN)
    return text


MAX_WIDTH = 76
GAP = 6


def _layers(output) -> tuple[list, dict[int, int], dict[int, list]]:
    """Named nodes, each one's depth (inputs 0), and each one's named users."""
    named = [n for n in output.topological_order() if _named(n)]
    depth: dict[int, int] = {}
    users: dict[int, list] = {}
    for node in named:  # topological order: inputs come before their users
        ins = _inputs(node)
        depth[id(node)] = 1 + max((depth.get(id(c), 0) for c in ins), default=-1)
        for child in ins:
            users.setdefault(id(child), []).append(node)
    return named, depth, users


def graph_drawing(output, withheld=()) -> Text | None:
    """The graph drawn in columns, inputs on the left and the output on the right, with a line from each
    node to every node that uses it; lines out of a node with several users are lit. Under each node,
    its gradient (∇, "?" while it is an answer still to be found). None when too wide."""
    from engine.answers import format_number

    named, depth, users = _layers(output)
    grads, _ = backward_values(output, withheld)
    under = {id(n): f"∇ {grads[id(n)]}" for n in named}
    if not named:
        return None
    columns: list[list] = [[] for _ in range(max(depth.values()) + 1)]
    for node in sorted(named, key=lambda n: n.label):
        columns[depth[id(node)]].append(node)
    label = {id(n): f"{n.label} {format_number(n.data)}" for n in named}
    widths = [max(max(len(label[id(n)]), len(under[id(n)])) for n in col) for col in columns]
    spare = MAX_WIDTH - sum(widths)
    gap = min(14, spare // max(1, len(columns) - 1))
    if gap < GAP:
        return None
    total = sum(widths) + gap * (len(columns) - 1)
    # order each column by where its inputs sit, then the inputs by where their users sit: fewer crossings
    row: dict[int, float] = {}
    for _ in range(2):
        for c, col in enumerate(columns):
            def key(n, c=c):
                near = _inputs(n) if c else users.get(id(n), [])
                places = [row[id(m)] for m in near if id(m) in row]
                return (sum(places) / len(places) if places else 0.0, n.label)
            col.sort(key=key)
            height = 2 * max(len(k) for k in columns) - 1
            offset = (height - (2 * len(col) - 1)) // 2
            for i, n in enumerate(col):
                row[id(n)] = offset + 2 * i
    height = 2 * max(len(k) for k in columns)
    canvas = Canvas(total, height)
    x_at = []
    x = 0
    for w in widths:
        x_at.append(x)
        x += w + gap
    pos = {}
    for c, col in enumerate(columns):
        for n in col:
            pos[id(n)] = (x_at[c], int(row[id(n)]), len(label[id(n)]))
    for n in named:
        fan = len(users.get(id(n), [])) > 1
        x0, y0, w0 = pos[id(n)]
        for user in users.get(id(n), []):
            x1, y1, _ = pos[id(user)]
            canvas.line(x0 + w0 + 1, y0, x1 - 2, y1, FAN if fan else "dim")
    for n in named:
        x0, y0, _ = pos[id(n)]
        canvas.put(x0, y0, n.label, FAN if len(users.get(id(n), [])) > 1 else "bold")
        canvas.put(x0 + len(n.label) + 1, y0, format_number(n.data), "dim")
        canvas.put(x0, y0 + 1, under[id(n)], BACK)
    return canvas.text()
