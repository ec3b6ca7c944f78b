"""A second look at an answer that matched the reference at every sample point.

Fixed sample points can be slipped between: `σ(x)(1−σ(x)) + 50·relu(x − 3.964)` agrees with σ′ wherever
x < 3.964, and a narrow bump or a step agrees everywhere but near its own position. So an answer that
looks right is checked again at two further kinds of point (both inside the exercise's domain, which
may be narrower than where the formulas agree):

- points drawn from a stream seeded by the answer's own text (reproducible: the same answer always
  meets the same points, and a different one meets different points);
- points on the answer's own features: along a line through the domain in each variable, the places
  where the argument of a function, a denominator or a power's base or exponent crosses zero, touches
  it, or turns (found on a grid, then narrowed to floating-point precision), and points just beside
  each. A kink, a step or a bump has to sit at such a place, so it is met unless it is narrower than
  floating point can tell apart.
"""

from __future__ import annotations

import hashlib
import itertools
import math
import random

from .equivalence import Reference, Tolerance, close
from .evaluate import Compiled, Env, Scope, _Compiler
from .nodes import BinOp, Call, Node, Sum, Sym, walk
from .sampling import domain_of
from .tokens import AnswerSyntaxError

SALTED_POINTS = 16
GRID = 25                 # points along each line before narrowing
MAX_LINES = 8             # variables a line is drawn along
MAX_SUBEXPRESSIONS = 48   # arguments, denominators, bases and exponents looked at
MAX_INDEX_VALUES = 30     # index values looked at for a subexpression inside a sum
MAX_FEATURES = 40
NARROWING_STEPS = 80      # enough to reach adjacent floats from a grid cell
OFFSETS = (1e-9, 1e-6, 1e-3, 1e-2)  # beside a feature, as fractions of the domain's width
NAN = float("nan")


def salt_seed(text: str) -> int:
    """A reproducible seed from an answer's text."""
    return int.from_bytes(hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()[:8], "big")


def _name(key) -> str:
    return key if isinstance(key, str) else key[0]


class _Judge:
    """Compares the answer with the reference at extra points; remembers whether any disagreed."""

    def __init__(self, answer: Compiled, reference: Reference, tol: Tolerance):
        self.answer, self.reference, self.tol = answer, reference, tol

    def disagrees(self, env: Env, *, strict: bool) -> bool:
        """True when the reference is defined at env and the answer differs there (or, when strict, is undefined)."""
        sample = self.reference.sample_at(env)
        if sample is None:
            return False
        v = self.answer.value(env)
        if not math.isfinite(v):
            return strict
        return not close(v, sample.ref, sample.scale, self.tol)


def confirm(tree: Node, answer: Compiled, reference: Reference, scope: Scope, domain, salt: str,
            tol: Tolerance) -> bool:
    """Whether an answer that matched every sample still matches at the extra points described above."""
    keys = list(reference.keys)
    if not keys or not reference.samples:
        return True
    judge = _Judge(answer, reference, tol)
    rng = random.Random(salt_seed(salt))
    spans = {key: domain_of(_name(key), domain) for key in keys}
    for _ in range(SALTED_POINTS):
        env = {key: rng.uniform(lo, hi) for key, (lo, hi) in spans.items()}
        if judge.disagrees(env, strict=True):
            return False
    return _features_agree(tree, answer, judge, scope, keys, spans, dict(reference.samples[0].env))


# -- features -------------------------------------------------------------------------------------


def _subexpressions(tree: Node) -> list[tuple[Node, tuple[str, ...]]]:
    """Arguments of calls, denominators, and bases and exponents of powers that contain a symbol, each
    with the indices of the sums around it."""
    out: list[tuple[Node, tuple[str, ...]]] = []
    seen: set = set()
    stack: list[tuple[Node, tuple[str, ...]]] = [(tree, ())]
    while stack and len(out) < MAX_SUBEXPRESSIONS:
        node, active = stack.pop()
        looked_at: list[Node] = []
        if isinstance(node, Call):
            looked_at = [node.arg]
        elif isinstance(node, BinOp) and node.op == "/":
            looked_at = [node.right]
        elif isinstance(node, BinOp) and node.op == "^":
            looked_at = [node.left, node.right]
        for sub in looked_at:
            if (sub, active) not in seen and any(isinstance(n, Sym) for n in walk(sub)):
                seen.add((sub, active))
                out.append((sub, active))
        if isinstance(node, Sum):
            stack.append((node.body, active + (node.index,)))
        elif isinstance(node, BinOp):
            stack.extend(((node.right, active), (node.left, active)))
        elif hasattr(node, "arg"):
            stack.append((node.arg, active))
    return out


def _compile_sub(node: Node, active: tuple[str, ...], scope: Scope):
    """Value functions of a subexpression, one per combination of the indices of its enclosing sums."""
    compiler = _Compiler(scope)
    compiler.active = list(active)
    try:
        fn, _ = compiler.build(node)
    except (AnswerSyntaxError, KeyError, TypeError):
        return []
    combos = list(itertools.islice(itertools.product(*(range(scope.indices[i]) for i in active)), MAX_INDEX_VALUES))

    def at(cur: dict):
        def value(env: Env) -> float:
            try:
                v = fn(env, dict(cur))
            except (ArithmeticError, ValueError, KeyError):
                return NAN
            return float(v)
        return value

    return [at(dict(zip(active, combo))) for combo in combos]


_finite = math.isfinite


def _narrow_sign_change(f, env, key, a: float, b: float) -> list[float]:
    """Bisect [a, b], across which f changes sign (or stops being defined), down to adjacent floats."""
    def sign(t: float) -> int:
        env[key] = t
        v = f(env)
        return 2 if not _finite(v) else (v > 0) - (v < 0)

    sa = sign(a)
    for _ in range(NARROWING_STEPS):
        m = (a + b) / 2
        if not a < m < b:
            break
        sm = sign(m)
        if sm == 0:
            return [m]
        if sm == sa:
            a = m
        else:
            b = m
    return [a, b]


def _narrow_turn(f, env, key, a: float, b: float, sense: float) -> list[float]:
    """Golden-section search on [a, b] for a turning point of f (a minimum of sense·f), to float precision."""
    def g(t: float) -> float:
        env[key] = t
        v = f(env)
        return sense * v if _finite(v) else math.inf

    ratio = (math.sqrt(5) - 1) / 2
    c, d = b - ratio * (b - a), a + ratio * (b - a)
    gc, gd = g(c), g(d)
    for _ in range(NARROWING_STEPS):
        if not (a < c < d < b):
            break
        if gc <= gd:
            b, d, gd = d, c, gc
            c = b - ratio * (b - a)
            gc = g(c)
        else:
            a, c, gc = c, d, gd
            d = a + ratio * (b - a)
            gd = g(d)
    return [c if gc <= gd else d]


def _features_on_line(f, env: Env, key, lo: float, hi: float) -> list[float]:
    """Where along [lo, hi] in `key` the function f crosses zero, stops being defined, or turns."""
    ts = [lo + (hi - lo) * i / (GRID - 1) for i in range(GRID)]
    vals = []
    for t in ts:
        env[key] = t
        vals.append(f(env))
    found: list[float] = []
    for i in range(GRID - 1):
        a, b = vals[i], vals[i + 1]
        if _finite(a) and _finite(b) and a == 0:
            found.append(ts[i])
        elif _finite(a) != _finite(b) or (_finite(a) and _finite(b) and (a < 0) != (b < 0) and b != 0):
            found.extend(_narrow_sign_change(f, env, key, ts[i], ts[i + 1]))
    for i in range(1, GRID - 1):
        p, v, n = vals[i - 1], vals[i], vals[i + 1]
        if not (_finite(p) and _finite(v) and _finite(n)) or p == v == n:
            continue
        if not ((v <= p and v <= n) or (v >= p and v >= n)):
            continue
        a, b = ts[i - 1], ts[i + 1]
        turns = _narrow_turn(f, env, key, a, b, 1.0 if v <= p else -1.0)
        found.extend(turns)
        # a turn that dips across zero between two grid points: the crossings are features too
        env[key] = turns[0]
        at = f(env)
        if _finite(at) and (at < 0) != (v < 0) and at != 0:
            found.extend(_narrow_sign_change(f, env, key, a, turns[0]))
            found.extend(_narrow_sign_change(f, env, key, turns[0], b))
    return found


def _features_agree(tree: Node, answer: Compiled, judge: _Judge, scope: Scope, keys: list, spans: dict,
                    base: Env) -> bool:
    subs = []
    for node, active in _subexpressions(tree):
        subs.extend(_compile_sub(node, active, scope))
    if not subs:
        return True
    own = sorted(answer.scalars) + [k for k in keys if not isinstance(k, str) and k[0] in answer.families]
    lines = [k for k in own if k in spans][:MAX_LINES]
    first_feature: dict = {}
    n_features = 0
    for key in lines:
        lo, hi = spans[key]
        width = hi - lo
        for f in subs:
            if n_features >= MAX_FEATURES:
                break
            env = dict(base)
            for t in dict.fromkeys(_features_on_line(f, env, key, lo, hi)):
                n_features += 1
                first_feature.setdefault(key, t)
                near = [t] + [t + s * o * width for o in OFFSETS for s in (-1, 1)]
                for u in near:
                    if lo <= u <= hi:
                        probe = dict(base)
                        probe[key] = u
                        if judge.disagrees(probe, strict=False):
                            return False
    # a feature in several variables at once (a bump around a point): every variable at its feature
    placed = list(first_feature.items())
    groups = list(itertools.islice(itertools.combinations(placed, 2), 28)) + ([placed] if len(placed) > 2 else [])
    for group in groups:
        probe = dict(base)
        probe.update(group)
        if judge.disagrees(probe, strict=False):
            return False
    return True
