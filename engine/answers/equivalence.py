"""Equivalence by evaluation: compare compiled formulas at sampled points with a scaled tolerance."""

from __future__ import annotations

import math
from dataclasses import dataclass

from .evaluate import Compiled, Env, compile_answer, Scope
from .nodes import BinOp, Neg, Node
from .sampling import points, symbol_keys

POINTS = 24          # points where the reference must be defined
MAX_CANDIDATES = 96  # points tried to find them


@dataclass(frozen=True)
class Tolerance:
    """|a − b| <= rel·max(|a|, |b|, scale of the reference's terms) + abs."""

    rel: float = 1e-3
    abs: float = 1e-9


NUMBER_TOLERANCE = Tolerance()
# formulas agree to rounding error when equivalent; a loose tolerance would only hide mistakes
EXPRESSION_TOLERANCE = Tolerance(rel=1e-6, abs=1e-9)


def top_terms(node: Node) -> list[Node]:
    """The terms of the top-level sum (signs dropped): their size sets the tolerance scale."""
    out, stack = [], [node]
    while stack:
        n = stack.pop()
        if isinstance(n, BinOp) and n.op in "+-":
            stack.extend((n.left, n.right))
        elif isinstance(n, Neg):
            stack.append(n.arg)
        else:
            out.append(n)
    return out


def close(a: float, b: float, scale: float, tol: Tolerance) -> bool:
    """The tolerance test, with `scale` the size of the reference's terms."""
    return abs(a - b) <= tol.rel * max(abs(a), abs(b), scale) + tol.abs


@dataclass
class Sample:
    """One point where the reference is defined: values, reference value, scale of its terms."""

    env: Env
    ref: float
    scale: float


@dataclass
class Comparison:
    """How a candidate fared against the reference on the samples."""

    equal: bool
    compared: int
    undefined: int       # points where the reference is defined and the candidate is not
    mismatched: int
    values: list[float]  # candidate values, one per sample


class Reference:
    """The reference answer, compiled, with the points where it is defined."""

    def __init__(self, tree: Node, scope: Scope):
        self.tree = tree
        self.scope = scope
        self.compiled = compile_answer(tree, scope)
        terms = top_terms(tree)
        self.terms = [compile_answer(t, scope) for t in terms] if len(terms) > 1 else []
        self.samples: list[Sample] = []
        #: the environment keys of the last draw (see sampling.symbol_keys)
        self.keys: list = []

    def sample_at(self, env: Env) -> Sample | None:
        """The reference at one point, or None where it is undefined (not a test of an answer)."""
        r = self.compiled.value(env)
        if not math.isfinite(r):
            return None
        scale = abs(r)
        for t in self.terms:
            tv = t.value(env)
            if math.isfinite(tv):
                scale = max(scale, abs(tv))
        return Sample(env, r, scale)

    def draw(self, others: list[Compiled], domain=None) -> list[Sample]:
        """Sample points for the union of symbols of the reference and `others`."""
        scalars = set(self.compiled.scalars)
        families = dict(self.compiled.families)
        for c in others:
            scalars |= c.scalars
            families.update(c.families)
        keys = symbol_keys(scalars, families, self.scope.indices)
        samples = []
        for env in points(keys, domain, count=MAX_CANDIDATES if keys else 1):
            sample = self.sample_at(env)
            if sample is None:
                continue
            samples.append(sample)
            if len(samples) >= POINTS:
                break
        self.samples = samples
        self.keys = keys
        return samples


def compare(candidate: Compiled, samples: list[Sample], tol: Tolerance,
            values: list[float] | None = None) -> Comparison:
    """Compare a candidate with the reference values of `samples` (candidate values may be given)."""
    if values is None:
        values = [candidate.value(s.env) for s in samples]
    undefined = mismatched = 0
    for s, v in zip(samples, values):
        if not math.isfinite(v):
            undefined += 1
        elif not close(v, s.ref, s.scale, tol):
            mismatched += 1
    equal = bool(samples) and undefined == 0 and mismatched == 0
    return Comparison(equal, len(samples), undefined, mismatched, values)


def matches(values: list[float], target: list[float], scales: list[float], tol: Tolerance) -> bool:
    """Whether candidate values agree with another formula's values where that formula is defined."""
    compared = 0
    for v, t, sc in zip(values, target, scales):
        if not math.isfinite(t):
            continue
        compared += 1
        if not math.isfinite(v) or not close(v, t, sc, tol):
            return False
    return compared > 0
