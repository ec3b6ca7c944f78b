"""Compile a parsed answer into a bounded float function: domain errors give NaN, never exceptions."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from .nodes import BinOp, Call, Const, Neg, Node, Num, Sum, Sym, walk
from .tokens import AnswerSyntaxError

MAX_EXPONENT = 64        # |constant exponent|: (a+x+z+t_k)^100 is refused
MAX_SUM_NESTING = 2
MAX_INDEX_SIZE = 10
MAX_WORK = 4000          # node evaluations per point, counting every pass of every sum
MAX_DEFINITION_DEPTH = 8

NAN = float("nan")
INF = float("inf")

Env = dict  # scalar name -> float, (family name, index tuple) -> float
Fn = Callable[[Env, dict], float]


@dataclass
class Scope:
    """What names mean: definitions (parsed) and summation indices with their sizes."""

    definitions: Mapping[str, Node] = field(default_factory=dict)
    indices: Mapping[str, int] = field(default_factory=dict)

    #: written-out members of one-index families: w_j1 -> ("w_jk", "k", 0), delta_2 -> ("delta_k", "k", 1)
    members: dict[str, tuple[str, str, int]] = field(default_factory=dict)

    def family_indices(self, name: str) -> tuple[str, ...]:
        """The declared indices whose letter appears in the subscript of `name`, sorted."""
        _, _, sub = name.partition("_")
        if not sub:
            return ()
        return tuple(sorted(i for i in self.indices if i in sub))

    def add_members(self, name: str) -> list[str]:
        """Register the written-out members of family `name` (k = 1, 2, … in the learner's counting)."""
        letters = self.family_indices(name)
        base, _, sub = name.partition("_")
        if len(letters) != 1 or sub.count(letters[0]) != 1:
            return []
        (letter,) = letters
        added = []
        for pos in range(self.indices[letter]):
            member = f"{base}_{sub.replace(letter, str(pos + 1))}"
            if member not in self.members:
                self.members[member] = (name, letter, pos)
                added.append(member)
        return added


@dataclass
class Compiled:
    """A compiled answer: call `value(env)`; `scalars` and `families` are the names it reads."""

    fn: Fn
    scalars: set[str]
    families: dict[str, tuple[str, ...]]
    work: int

    def value(self, env: Env) -> float:
        """The value at one point; NaN when undefined there (never raises for arithmetic)."""
        try:
            v = self.fn(env, {})
        except (ArithmeticError, ValueError):
            return NAN
        return v if isinstance(v, float) else float(v)


# -- safe elementary functions (NaN for domain errors, inf for overflow) -------------------------

def _exp(x: float) -> float:
    try:
        return math.exp(x)
    except OverflowError:
        return INF


def _log(x: float) -> float:
    if x > 0:
        return math.log(x)
    return NAN


def _sqrt(x: float) -> float:
    if x >= 0:
        return math.sqrt(x)
    return NAN


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    if x < 0:
        z = _exp(x)
        return z / (1.0 + z)
    return NAN


def _dsigmoid(x: float) -> float:
    s = _sigmoid(x)
    return s * (1.0 - s)


def _dtanh(x: float) -> float:
    t = math.tanh(x)
    return 1.0 - t * t


def _relu(x: float) -> float:
    return x if x > 0 else (0.0 if x <= 0 else NAN)


def _drelu(x: float) -> float:
    return 1.0 if x > 0 else (0.0 if x <= 0 else NAN)


def _div(a: float, b: float) -> float:
    try:
        return a / b
    except ZeroDivisionError:
        return NAN


def _pow(a: float, b: float) -> float:
    # math.pow never returns a complex number and never builds huge integers
    try:
        return math.pow(a, b)
    except OverflowError:
        return INF
    except (ValueError, ZeroDivisionError):
        return NAN


FUNCS = {
    ("exp", False): _exp, ("log", False): _log, ("sqrt", False): _sqrt,
    ("sigmoid", False): _sigmoid, ("sigmoid", True): _dsigmoid,
    ("tanh", False): math.tanh, ("tanh", True): _dtanh,
    ("relu", False): _relu, ("relu", True): _drelu,
}
CONSTANT_VALUES = {"e": math.e, "pi": math.pi}


class _Compiler:
    def __init__(self, scope: Scope):
        self.scope = scope
        self.scalars: set[str] = set()
        self.families: dict[str, tuple[str, ...]] = {}
        self.active: list[str] = []       # indices of the enclosing sums, outermost first
        self.expanding: list[str] = []    # definitions being substituted (cycle guard)

    def build(self, node: Node) -> tuple[Fn, int]:
        """A closure computing `node` and the number of node evaluations one call costs."""
        if isinstance(node, Num):
            v = float(node.value)
            return (lambda env, cur: v), 1
        if isinstance(node, Const):
            v = CONSTANT_VALUES[node.name]
            return (lambda env, cur: v), 1
        if isinstance(node, Sym):
            return self.symbol(node.name)
        if isinstance(node, Neg):
            f, w = self.build(node.arg)
            return (lambda env, cur: -f(env, cur)), w + 1
        if isinstance(node, BinOp):
            return self.binop(node)
        if isinstance(node, Call):
            f, w = self.build(node.arg)
            g = FUNCS[(node.func, node.prime)]
            return (lambda env, cur: g(f(env, cur))), w + 1
        if isinstance(node, Sum):
            return self.sum(node)
        raise TypeError(f"not an answer node: {node!r}")

    def binop(self, node: BinOp) -> tuple[Fn, int]:
        f, wf = self.build(node.left)
        g, wg = self.build(node.right)
        w = wf + wg + 1
        op = node.op
        if op == "+":
            return (lambda env, cur: f(env, cur) + g(env, cur)), w
        if op == "-":
            return (lambda env, cur: f(env, cur) - g(env, cur)), w
        if op == "*":
            return (lambda env, cur: f(env, cur) * g(env, cur)), w
        if op == "/":
            return (lambda env, cur: _div(f(env, cur), g(env, cur))), w
        if op == "^":
            self.check_exponent(node.right, g)
            return (lambda env, cur: _pow(f(env, cur), g(env, cur))), w
        raise TypeError(f"unknown operator {op!r}")

    def check_exponent(self, exponent: Node, g: Fn) -> None:
        if any(isinstance(n, (Sym, Sum)) for n in walk(exponent)):
            return  # a variable exponent is bounded by the float range, not refused
        try:
            v = g({}, {})
        except (ArithmeticError, ValueError):
            v = NAN
        if not math.isfinite(v) or abs(v) > MAX_EXPONENT:
            shown = f" {v:g}" if math.isfinite(v) and abs(v) < 1e6 else ""
            raise AnswerSyntaxError(
                f"the exponent{shown} is too large for this tutor (at most {MAX_EXPONENT} in size)")

    def symbol(self, name: str) -> tuple[Fn, int]:
        defs = self.scope.definitions
        if name in defs:
            if name in self.expanding or len(self.expanding) >= MAX_DEFINITION_DEPTH:
                raise AnswerSyntaxError(f"the definition of {name} refers to itself")
            self.expanding.append(name)
            try:
                return self.build(defs[name])
            finally:
                self.expanding.pop()
        if name in self.scope.members:
            # one term of a sum written out: the family's value at that position
            family, letter, pos = self.scope.members[name]
            self.families[family] = (letter,)
            return (lambda env, cur: env[(family, (pos,))]), 1
        letters = self.scope.family_indices(name)
        if not letters:
            self.scalars.add(name)
            return (lambda env, cur: env[name]), 1
        for letter in letters:
            if letter not in self.active:
                raise AnswerSyntaxError(
                    f"{letter} only has a meaning inside sum_{letter}(...): {name} is used outside that sum")
        self.families[name] = letters
        if len(letters) == 1:
            (only,) = letters
            return (lambda env, cur: env[(name, (cur[only],))]), 1
        return (lambda env, cur: env[(name, tuple(cur[x] for x in letters))]), 1

    def sum(self, node: Sum) -> tuple[Fn, int]:
        index = node.index
        if index not in self.scope.indices:
            if self.scope.indices:
                known = ", ".join(sorted(self.scope.indices))
                raise AnswerSyntaxError(f"this exercise has no index {index} to sum over (its indices: {known})")
            raise AnswerSyntaxError(f"this exercise has no index {index} to sum over")
        if index in self.active:
            raise AnswerSyntaxError(f"a sum over {index} inside another sum over {index}")
        if len(self.active) >= MAX_SUM_NESTING:
            raise AnswerSyntaxError(f"sums are nested too deeply (at most {MAX_SUM_NESTING})")
        size = self.scope.indices[index]
        self.active.append(index)
        try:
            body, w = self.build(node.body)
        finally:
            self.active.pop()

        def f(env: Env, cur: dict) -> float:
            total = 0.0
            for i in range(size):
                cur[index] = i
                total += body(env, cur)
            return total

        return f, w * size + 1


def compile_answer(node: Node, scope: Scope | None = None) -> Compiled:
    """Compile a tree; raises AnswerSyntaxError for refused or meaningless constructions."""
    scope = scope or Scope()
    for name, size in scope.indices.items():
        if not (isinstance(size, int) and 1 <= size <= MAX_INDEX_SIZE):
            raise ValueError(f"index {name} must have a size from 1 to {MAX_INDEX_SIZE}, not {size!r}")
    c = _Compiler(scope)
    fn, work = c.build(node)
    if work > MAX_WORK:
        raise AnswerSyntaxError("the answer is too long to evaluate (too many terms, or sums that are too large)")
    return Compiled(fn, c.scalars, c.families, work)
