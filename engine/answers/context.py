"""What an exercise declares (names, definitions, indices) and the warnings an answer earns against it."""

from __future__ import annotations

import operator
from collections.abc import Iterable

from .evaluate import MAX_INDEX_SIZE, Scope
from .nodes import BinOp, Const, Node, Sum, Sym, symbols_of, walk
from .notation import derivative_refusal
from .parser import parse
from .render import render
from .tokens import AnswerSyntaxError


def canonical_name(name: str) -> str:
    """A declared name in the form the parser produces: δ_k -> delta_k, a_{j} -> a_j."""
    try:
        tree = parse(name)
    except AnswerSyntaxError:
        return name
    return tree.name if isinstance(tree, Sym) else name


def declared_names(variables) -> tuple[str, ...]:
    if variables is None:
        return ()
    if isinstance(variables, str):
        variables = variables.replace(",", " ").split()
    return tuple(canonical_name(str(v)) for v in variables if str(v).strip())


def join_names(names: Iterable[str]) -> str:
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


class ExerciseNames:
    """The exercise's declared names, definitions and indices, parsed once."""

    def __init__(self, variables, definitions, indices):
        self.variables = declared_names(variables)
        defs_text = {canonical_name(k): v for k, v in dict(definitions or {}).items()}
        self.indices = {k: operator.index(v) for k, v in dict(indices or {}).items()}
        for name, size in self.indices.items():  # checked first: members are listed per index value
            if not 1 <= size <= MAX_INDEX_SIZE:
                raise ValueError(f"index {name} must have a size from 1 to {MAX_INDEX_SIZE}, not {size!r}")
        base = set(self.variables) | set(defs_text)
        self.definitions: dict[str, Node] = {k: parse(v, base) for k, v in defs_text.items()}
        self.known: set[str] = set(base)
        for tree in self.definitions.values():
            self.known |= symbols_of(tree)
        # the names suggestions may mention: not those that only a catalogued mistake uses
        self.shown: set[str] = set(self.known)
        self.scope = Scope(self.definitions, self.indices)
        self._add_members(self.known)

    def add_known(self, tree: Node, *, shown: bool = True) -> None:
        names = symbols_of(tree)
        self.known |= names
        if shown:
            self.shown |= names
        self._add_members(names)

    def _add_members(self, names: Iterable[str]) -> None:
        # a learner may write one term of Σ_k out by hand: w_j1·δ_1 is the k = 1 term of w_jk·δ_k
        for name in list(names):
            if name not in self.definitions:
                self.known.update(self.scope.add_members(name))


def symbol_warnings(tree: Node, known: set[str], shown: set[str] | None = None) -> tuple[str, ...]:
    """Warnings for symbols an exercise does not use, each with the most useful suggestion.

    `shown` limits the names a suggestion may mention (default: all of `known`), so that a name
    only a catalogued mistake uses is never offered as a hint.
    """
    if not known:
        return ()
    unknown = symbols_of(tree) - known
    known = set(shown) if shown is not None else known
    out, unmatched = [], []
    for name in sorted(unknown):
        base = name.partition("_")[0]
        same_base = sorted(k for k in known if k.partition("_")[0] == base)
        folded = [k for k in sorted(known) if k.lower() == name.lower()]
        squashed = [k for k in sorted(known) if k.replace("_", "") == name.replace("_", "")]
        if same_base:
            out.append(f"you wrote {name}; this exercise uses {join_names(same_base)}")
        elif folded:
            out.append(f"you wrote {name}; names are case-sensitive: did you mean {folded[0]}?")
        elif squashed:
            out.append(f"you wrote {name}; did you mean {squashed[0]}?")
        elif "_" not in name and len(name) > 1 and all(ch in known for ch in name):
            out.append(f"you wrote {name}; for a product write {'*'.join(name)}")
        else:
            unmatched.append(name)
    if unmatched:
        out.append(f"you wrote {join_names(unmatched)}, which this exercise does not use; "
                   f"its symbols are {join_names(sorted(known))}")
    return tuple(out)


def reading_warnings(tree: Node, known: Iterable[str] = ()) -> tuple[str, ...]:
    """Warnings for readings a learner may not intend: 1/2x as (1/2)·x, e for Euler's number beside E."""
    out = []
    for n in walk(tree):
        if isinstance(n, BinOp) and n.implicit and isinstance(n.left, BinOp) and n.left.op == "/":
            out.append(f"{render(n)}: a product written without * after / multiplies the whole fraction; "
                       "put the denominator in parentheses if it all belongs below the line")
            break
    for n in walk(tree):
        if isinstance(n, BinOp) and n.op == "^" and isinstance(n.left, Sum):
            i = n.left.index
            out.append(f"{render(n)} raises the whole sum to a power; to add up powers write "
                       f"sum_{i}((...)^2) or Σ_{i} (...)²")
            break
    if "E" in known and any(isinstance(n, Const) and n.name == "e" for n in walk(tree)):
        out.append("e is Euler's number 2.718…; the error is E (names are case-sensitive)")
    return tuple(out)


def number_refusal(tree: Node) -> str | None:
    names = sorted(symbols_of(tree))
    if names:
        return (f"this answer is a number: work it out with the values shown (you wrote {join_names(names)}); "
                "arithmetic such as 0.1385*0.5933 is fine")
    return derivative_refusal(tree)
