"""Unicode pretty form of a parsed answer, for the "interpreted as" preview."""

from __future__ import annotations

from .nodes import BinOp, Call, Const, Neg, Node, Num, Sum, Sym

SUPERSCRIPT_DIGITS = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
GREEK_NAMES = {"delta": "δ", "eta": "η", "sigma": "σ", "pi": "π"}
FUNCTION_NAMES = {"sigmoid": "σ", "log": "ln", "exp": "exp", "sqrt": "sqrt", "tanh": "tanh", "relu": "relu"}

# precedence: higher binds tighter
ADD, MUL, NEG, POW, ATOM = 1, 2, 3, 4, 5


def _num(text: str) -> str:
    return text.replace("-", "−")


def _sym(name: str) -> str:
    base, sep, sub = name.partition("_")
    return GREEK_NAMES.get(base, base) + sep + sub


def _prec(node: Node) -> int:
    if isinstance(node, BinOp):
        return {"+": ADD, "-": ADD, "*": MUL, "/": MUL, "^": POW}[node.op]
    if isinstance(node, Neg):
        return NEG
    if isinstance(node, Sum):
        return ADD  # a sum's body runs on to the right, so it is bracketed inside other operations
    return ATOM


def _wrap(node: Node, need: bool) -> str:
    s = render(node)
    return f"({s})" if need else s


def _exponent(node: Node) -> str:
    if isinstance(node, Num) and node.text.isdigit():
        return node.text.translate(SUPERSCRIPT_DIGITS)
    if isinstance(node, Neg) and isinstance(node.arg, Num) and node.arg.text.isdigit():
        return ("-" + node.arg.text).translate(SUPERSCRIPT_DIGITS)
    if isinstance(node, (Sym, Const)) or (isinstance(node, Num) and "e" not in node.text.lower()):
        return "^" + render(node)
    return f"^({render(node)})"


def render(node: Node) -> str:
    """The tree written with σ δ Σ − · ′ and superscripts, bracketed where the reading needs it."""
    if isinstance(node, Num):
        return _num(node.text)
    if isinstance(node, Const):
        return "π" if node.name == "pi" else "e"
    if isinstance(node, Sym):
        return _sym(node.name)
    if isinstance(node, Neg):
        return "−" + _wrap(node.arg, _prec(node.arg) <= ADD or isinstance(node.arg, Neg))
    if isinstance(node, Call):
        name = FUNCTION_NAMES[node.func] + ("′" if node.prime else "")
        return f"{name}({render(node.arg)})"
    if isinstance(node, Sum):
        body = node.body
        return f"Σ_{node.index} " + _wrap(body, _prec(body) <= ADD and not isinstance(body, Sum))
    if isinstance(node, BinOp):
        l, r, op = node.left, node.right, node.op
        pl, pr = _prec(l), _prec(r)
        if op in "+-":
            right = _wrap(r, (pr <= ADD and not isinstance(r, Sum)) or isinstance(r, Neg))
            return f"{_wrap(l, isinstance(l, Sum))} {'+' if op == '+' else '−'} {right}"
        if op == "*":
            left_need = pl <= ADD or (isinstance(l, BinOp) and l.op == "/")
            return f"{_wrap(l, left_need)}·{_wrap(r, pr <= NEG)}"
        if op == "/":
            return f"{_wrap(l, pl <= ADD)}/{_wrap(r, pr <= NEG)}"
        if op == "^":
            return _wrap(l, pl <= POW) + _exponent(r)
    raise TypeError(f"not an answer node: {node!r}")
