"""Syntax-tree nodes for learner answers (immutable, hashable)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union


@dataclass(frozen=True, slots=True)
class Num:
    """A number literal; `text` is kept for display."""

    value: float
    text: str


@dataclass(frozen=True, slots=True)
class Const:
    """A mathematical constant: "e" or "pi"."""

    name: str


@dataclass(frozen=True, slots=True)
class Sym:
    """A symbol such as `a_j`, `net_k`, `delta_k` (the full name, with its subscript)."""

    name: str

    @property
    def base(self) -> str:
        return self.name.split("_", 1)[0]

    @property
    def sub(self) -> str:
        return self.name.split("_", 1)[1] if "_" in self.name else ""


@dataclass(frozen=True, slots=True)
class Neg:
    """Unary minus."""

    arg: "Node"


@dataclass(frozen=True, slots=True)
class BinOp:
    """A binary operation; op is one of + - * / ^. `implicit` marks a product written without *."""

    op: str
    left: "Node"
    right: "Node"
    implicit: bool = field(default=False, compare=False)


@dataclass(frozen=True, slots=True)
class Call:
    """A whitelisted one-argument function; `prime` marks its derivative (σ′, tanh′, relu′)."""

    func: str
    arg: "Node"
    prime: bool = False


@dataclass(frozen=True, slots=True)
class Sum:
    """A sum of `body` over the declared index `index`."""

    index: str
    body: "Node"


Node = Union[Num, Const, Sym, Neg, BinOp, Call, Sum]


def walk(node: Node):
    """Yield every node of the tree, parents before children (iteratively: no recursion limit)."""
    stack = [node]
    while stack:
        n = stack.pop()
        yield n
        if isinstance(n, BinOp):
            stack.append(n.right)
            stack.append(n.left)
        elif isinstance(n, (Neg, Call)):
            stack.append(n.arg)
        elif isinstance(n, Sum):
            stack.append(n.body)


def symbols_of(node: Node) -> set[str]:
    """The names of all symbols in the tree."""
    return {n.name for n in walk(node) if isinstance(n, Sym)}
