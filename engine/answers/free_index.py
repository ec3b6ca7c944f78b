"""A summation index used outside its sum, as in a_j*(1-a_j)*w_jk*delta_k: the term of one unit k, one road.

Such an answer cannot be evaluated as written (k has no value outside sum_k), but it is not unreadable:
it is what a learner writes who follows a single road out of unit j. These helpers read it both ways
a grader needs: as the term of each particular k, and as the sum over k that it leaves out.
"""

from __future__ import annotations

from dataclasses import dataclass

from .evaluate import Compiled, Scope, compile_answer
from .nodes import BinOp, Call, Neg, Node, Sum, Sym
from .tokens import AnswerSyntaxError

ONE_ROAD_ID = "one-path-only"


@dataclass(frozen=True)
class OneRoad:
    """An answer with index `letter` outside its sum: `terms[p]` is it read with that index = p + 1
    (one road), `summed` is it inside sum_letter(...) (every road)."""

    letter: str
    terms: tuple[Compiled, ...]
    summed: Compiled

    @property
    def note(self) -> str:
        """A reading warning: how the answer was understood (never whether it is right)."""
        k = self.letter
        return f"{k} is outside any sum_{k}(...), so this was read as the term of one particular unit {k}"

    @property
    def feedback(self) -> str:
        """Feedback when the whole sum over the index is what was meant: one road was followed."""
        k = self.letter
        return (f"Your formula follows a single unit {k}: {k} appears outside sum_{k}(...), so it is one road. "
                f"The unit feeds every unit {k} of the next layer, a nudge reaches E along each of those "
                "roads, and the roads add up.")

    @property
    def unmatched_feedback(self) -> str:
        """Feedback when neither one term nor the whole sum is a known answer."""
        k = self.letter
        return (f"Not quite: {k} appears outside sum_{k}(...), so your formula is about a single unit {k}, and "
                f"the answer is about all of them at once. Ask for a hint if you are stuck.")


def _free_letters(node: Node, scope: Scope, bound: frozenset[str], out: set[str]) -> None:
    if isinstance(node, Sym):
        out.update(i for i in scope.family_indices(node.name) if i not in bound)
    elif isinstance(node, BinOp):
        _free_letters(node.left, scope, bound, out)
        _free_letters(node.right, scope, bound, out)
    elif isinstance(node, (Neg, Call)):
        _free_letters(node.arg, scope, bound, out)
    elif isinstance(node, Sum):
        _free_letters(node.body, scope, bound | {node.index}, out)


def free_letters(tree: Node, scope: Scope) -> set[str]:
    """The declared indices that some symbol's subscript uses outside every sum over that index."""
    out: set[str] = set()
    _free_letters(tree, scope, frozenset(), out)
    return out


def _member(name: str, letter: str, pos: int, scope: Scope) -> str | None:
    base, _, sub = name.partition("_")
    member = f"{base}_{sub.replace(letter, str(pos + 1))}"
    return member if scope.members.get(member, (None,))[0] == name else None


def bind(node: Node, letter: str, pos: int, scope: Scope, bound: frozenset[str] = frozenset()) -> Node | None:
    """`node` with every free use of index `letter` replaced by the written-out member for position
    `pos` (w_jk -> w_j1 for pos 0); None when some symbol cannot be bound that way."""
    if isinstance(node, Sym):
        letters = scope.family_indices(node.name)
        if letter not in letters or letter in bound:
            return node
        if len(letters) != 1:
            return None
        member = _member(node.name, letter, pos, scope)
        return Sym(member) if member else None
    if isinstance(node, BinOp):
        left, right = bind(node.left, letter, pos, scope, bound), bind(node.right, letter, pos, scope, bound)
        return None if left is None or right is None else BinOp(node.op, left, right, node.implicit)
    if isinstance(node, Neg):
        arg = bind(node.arg, letter, pos, scope, bound)
        return None if arg is None else Neg(arg)
    if isinstance(node, Call):
        arg = bind(node.arg, letter, pos, scope, bound)
        return None if arg is None else Call(node.func, arg, node.prime)
    if isinstance(node, Sum):
        body = bind(node.body, letter, pos, scope, bound | {node.index})
        return None if body is None else Sum(node.index, body)
    return node


def one_road(tree: Node, scope: Scope) -> OneRoad | None:
    """Read an answer with exactly one index outside its sum as one road (None if it is not one)."""
    letters = free_letters(tree, scope)
    if len(letters) != 1:
        return None
    (letter,) = letters
    terms = []
    try:
        for pos in range(scope.indices[letter]):
            term = bind(tree, letter, pos, scope)
            if term is None:
                return None
            terms.append(compile_answer(term, scope))
    except AnswerSyntaxError:
        return None
    try:
        summed = compile_answer(Sum(letter, tree), scope)
    except AnswerSyntaxError:
        return None  # the index is also used inside a sum over it (w_jk*sum_k(delta_k)): not one road
    return OneRoad(letter, tuple(terms), summed)
