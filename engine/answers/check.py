"""The public answer-checking API: check, preview, equivalent, evaluate, format_number."""

from __future__ import annotations

import functools
import logging
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .context import (ExerciseNames, canonical_name, join_names, number_refusal, reading_warnings,
                      symbol_warnings)
from .diagnose import Mistake, find_mistake, generic_feedback
from .equivalence import EXPRESSION_TOLERANCE, NUMBER_TOLERANCE, Reference, Tolerance, compare
from .evaluate import Compiled, Scope, compile_answer
from .free_index import ONE_ROAD_ID, OneRoad, one_road
from .nodes import Call, Node, Sum, symbols_of, walk
from .parser import parse
from .probes import confirm
from .render import render
from .tokens import AnswerSyntaxError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Preview:
    """How an answer was read, before any judgement: never says whether it is right."""

    ok: bool
    interpreted: str
    warnings: tuple[str, ...]
    error: str | None


@dataclass(frozen=True)
class Verdict:
    """The judgement of one answer; `feedback` is never empty."""

    correct: bool
    feedback: str
    interpreted: str
    warnings: tuple[str, ...] = ()
    mistake: str | None = None
    error: str | None = None
    #: addresses of earlier worksheet cells whose (wrong) numbers this answer was rightly worked from
    carried: tuple[str, ...] = ()


CORRECT = "Correct."
INTERNAL = "Sorry, this answer could not be checked because of a problem in the tutor. Try writing it another way."
BAD_EXERCISE = "This exercise's reference answer could not be read, so answers cannot be checked; please report it."
#: Functions every formula answer may use: the smooth ones, with σ′ and tanh′. relu and relu′ (a kink and
#: a step, the makings of an answer built to slip between sample points) only where the exercise's
#: reference, accepted forms, catalogued mistakes or definitions use them.
BASIC_FUNCTIONS = frozenset({"exp", "log", "sqrt", "sigmoid", "sigmoid'", "tanh", "tanh'"})
SHOWN_FUNCTIONS = {"sigmoid": "σ", "sigmoid'": "σ′", "tanh'": "tanh′", "relu'": "relu′", "log": "log"}


def _domain(domain) -> dict:
    return {canonical_name(str(k)): v for k, v in dict(domain or {}).items()}


def _tolerance(tolerance, kind: str) -> Tolerance:
    if tolerance is None:
        return NUMBER_TOLERANCE if kind == "number" else EXPRESSION_TOLERANCE
    if isinstance(tolerance, (int, float)):
        return Tolerance(rel=float(tolerance))
    return tolerance


def preview(answer: str, variables: Iterable[str] = (), *, definitions=None, indices=None,
            kind: str = "expression") -> Preview:
    """How `answer` reads ("interpreted as"), with warnings; never raises, never judges."""
    try:
        ex = ExerciseNames(variables, definitions, indices)
    except Exception:
        ex = ExerciseNames((), None, None)
    try:
        tree = parse(answer, ex.known)
    except AnswerSyntaxError as err:
        return Preview(False, "", (), err.message)
    except Exception:
        return Preview(False, "", (), "the answer could not be read")
    try:
        interpreted = render(tree)
        warnings = list(symbol_warnings(tree, ex.known)) + list(reading_warnings(tree, ex.known))
        if kind == "number":
            refusal = number_refusal(tree)
            if refusal:
                warnings.append(refusal)
        try:
            compile_answer(tree, ex.scope)
        except AnswerSyntaxError:
            road = one_road(tree, ex.scope)
            if road is None:
                raise
            warnings.append(road.note)  # readable: one particular k, one road
    except AnswerSyntaxError as err:
        return Preview(False, interpreted, tuple(warnings), err.message)
    except Exception:
        return Preview(False, "", (), "the answer could not be read")
    return Preview(True, interpreted, tuple(warnings), None)


def check(answer: str, expected: str, variables: Iterable[str] = (), *, definitions=None, domain=None,
          indices=None, tolerance: Tolerance | None = None, mistakes: Iterable[Mistake] = (),
          kind: str | None = None, forbid: Iterable[str] = (), accept: Iterable[str] = ()) -> Verdict:
    """Judge a learner's `answer` against the reference `expected` (a formula or a number).

    variables: the symbols the exercise declares; symbols of `expected`, of the definitions and of
      the mistakes count as declared too. An answer with any other symbol is wrong, with a warning
      that names the symbols the exercise does use.
    definitions: {"a_j": "sigmoid(net_j)"}: a_j is replaced by its definition wherever it appears,
      so both forms are accepted (net_j is then sampled).
    domain: sampling intervals by full name, "a_*" pattern or name part; defaults in
      engine.answers.sampling (a in (0.05, 0.95), t in (0, 1), eta in (0.05, 1), others (-2, 2)).
    indices: {"k": 3}: inside sum_k(...) or Σ_k, a symbol whose subscript contains k takes one
      independent value per k; outside its sum such a symbol is refused with a message.
    tolerance: a Tolerance, or a bare relative tolerance; default Tolerance(rel=1e-3, abs=1e-9) for
      numbers and Tolerance(rel=1e-6, abs=1e-9) for expressions (equivalent formulas agree to
      rounding error). The scale of comparison is the largest term of the reference's top-level sum.
    mistakes: Mistake(id, answer, feedback) entries; a wrong answer equivalent to one gets its id
      and feedback (the nearest, if several match).
    kind: "expression" or "number"; None infers it: an exercise that declares variables or
      definitions, or whose reference has symbols, is an expression (so "exp(1)" with ["x"] is a
      formula that happens to be constant); otherwise a number.
    forbid: functions the answer may not use, such as "sigmoid'" in a step that asks for σ′ to be
      written out: an answer using one is refused with a message, however right its value.
    accept: other right answers, as a learner may write them. A formula answer may use the smooth
      functions (exp, log, sqrt, σ, tanh and their derivatives σ′, tanh′); relu and relu′ only where
      the reference, these forms, the mistakes or the definitions use them. Others are refused with
      a message naming them.
    A formula that agrees at every sample point is checked again at points drawn from its own text,
    beyond the domain, and at its own kinks, steps and bumps (see engine.answers.probes).
    Never raises; an internal problem becomes a polite verdict.
    """
    try:
        return _check(answer, expected, variables, definitions, domain, indices, tolerance,
                      tuple(mistakes or ()), kind, frozenset(forbid), tuple(accept or ()))
    except Exception:
        log.exception("internal error while checking %r against %r", answer, expected)
        return Verdict(False, INTERNAL, "", error="internal error while checking")


def _forbidden(tree, forbid: frozenset[str]) -> str | None:
    """The first forbidden function the answer calls ("sigmoid'" for σ′), if any."""
    for node in walk(tree):
        if isinstance(node, Call):
            name = node.func + ("'" if node.prime else "")
            if name in forbid:
                return name
    return None


def functions_of(tree) -> set[str]:
    """The functions a tree calls, a derivative written with its prime ("sigmoid'")."""
    return {n.func + ("'" if n.prime else "") for n in walk(tree) if isinstance(n, Call)}


def allowed_functions(trees) -> frozenset[str]:
    """The functions an answer may use, given the trees of what the exercise itself writes."""
    used = set(BASIC_FUNCTIONS)
    for tree in trees:
        used |= functions_of(tree)
    if "relu'" in used:
        used.add("relu")  # relu(x)/x for relu′(x); but relu alone does not bring its step
    return frozenset(used)


def _not_needed(tree, allowed: frozenset[str]) -> list[str]:
    return sorted(functions_of(tree) - allowed)


def _show_functions(names) -> str:
    return join_names([SHOWN_FUNCTIONS.get(n, n.replace("'", "′")) for n in sorted(names)])


def _check(answer, expected, variables, definitions, domain, indices, tolerance, mistakes, kind,
           forbid=frozenset(), accept=()) -> Verdict:
    if isinstance(expected, (int, float)) and not isinstance(expected, bool):
        expected = repr(float(expected))
    try:
        ex = ExerciseNames(variables, definitions, indices)
        ref_tree = parse(expected, ex.known)
        ex.add_known(ref_tree)
        kind = kind or ("expression" if (ex.variables or ex.definitions or symbols_of(ref_tree)) else "number")
        if kind not in ("expression", "number"):
            raise ValueError(f"unknown kind {kind!r}")
        if kind == "number" and symbols_of(ref_tree):
            raise ValueError("a number exercise needs a number as its reference answer")
        catalogue_trees = []
        for m in mistakes:
            try:
                tree = parse(m.answer, ex.known)
            except (AnswerSyntaxError, AttributeError):
                log.warning("unreadable catalogued mistake skipped: %r", m)
                continue  # a broken catalogue entry must not stop grading
            ex.add_known(tree, shown=False)
            catalogue_trees.append((m, tree))
        accepted_trees = []
        for form in accept:
            try:
                accepted_trees.append(parse(form, ex.known))
            except (AnswerSyntaxError, AttributeError):
                log.warning("unreadable accepted form skipped: %r", form)
        allowed = allowed_functions([ref_tree, *ex.definitions.values(), *(t for _, t in catalogue_trees),
                                     *accepted_trees])
        reference = Reference(ref_tree, ex.scope)
    except (AnswerSyntaxError, ValueError) as err:
        return Verdict(False, BAD_EXERCISE, "", error=f"reference answer: {err}")

    try:
        tree = parse(answer, ex.known)
    except AnswerSyntaxError as err:
        return Verdict(False, f"I could not read that: {err.message}.", "", error=err.message)
    interpreted = render(tree)
    unknown = symbol_warnings(tree, ex.known, ex.shown)
    warnings = unknown + reading_warnings(tree, ex.known)
    if kind == "number":
        refusal = number_refusal(tree)
        if refusal:
            return Verdict(False, refusal[0].upper() + refusal[1:] + ".", interpreted, warnings, error=refusal)
    banned = _forbidden(tree, forbid)
    if banned:
        shown = {"sigmoid'": "σ′", "tanh'": "tanh′", "relu'": "relu′"}.get(banned, banned)
        return Verdict(False, f"This step asks you to work it out without using {shown} itself: "
                       "write it with the functions it is made of.", interpreted, warnings, error=None)
    extra = _not_needed(tree, allowed) if kind == "expression" else []
    if extra:
        message = (f"This exercise does not need {_show_functions(extra)}: write the answer with "
                   f"{_show_functions(allowed - forbid)}")
        return Verdict(False, message + ".", interpreted, warnings, error=message)
    if unknown:
        # an undeclared symbol cannot be right; say which symbols the exercise does use
        return Verdict(False, "Not quite: " + "; ".join(unknown) + ".", interpreted, warnings)
    catalogue: list[tuple[Mistake, Compiled]] = []
    for m, mtree in catalogue_trees:
        try:
            catalogue.append((m, compile_answer(mtree, ex.scope)))
        except AnswerSyntaxError:
            continue
    try:
        compiled = compile_answer(tree, ex.scope)
    except AnswerSyntaxError as err:
        road = one_road(tree, ex.scope)
        if road is None:
            return Verdict(False, f"Not accepted: {err.message}.", interpreted, warnings, error=err.message)
        named = _one_road_mistake(road, reference, catalogue, _domain(domain), _tolerance(tolerance, kind))
        if named is not None:
            return Verdict(False, named.feedback, interpreted, warnings + (road.note,), mistake=named.id)
        return Verdict(False, road.unmatched_feedback, interpreted, warnings + (road.note,))

    samples = reference.draw([compiled] + [c for _, c in catalogue], _domain(domain))
    if not samples:
        return Verdict(False, BAD_EXERCISE, interpreted, warnings, error="reference answer is undefined everywhere")
    tol = _tolerance(tolerance, kind)
    cmp = compare(compiled, samples, tol)
    if cmp.equal and (kind == "number" or confirm(tree, compiled, reference, ex.scope, _domain(domain), answer, tol)):
        return Verdict(True, CORRECT, interpreted, warnings)
    if cmp.equal:  # right at every sample, wrong between them: a formula built to slip past the points
        shown = ", ".join(sorted(symbols_of(tree))[:6])
        return Verdict(False, f"Not quite: your formula gives different values from the expected one for some values "
                       f"of {shown}.", interpreted, warnings)
    found = find_mistake(cmp.values, samples, catalogue, tol)
    if found is not None:
        return Verdict(False, found.feedback or "Not quite.", interpreted, warnings, mistake=found.id)
    feedback = generic_feedback(cmp, samples, tol, kind, sorted(symbols_of(tree)))
    return Verdict(False, feedback, interpreted, warnings)


def _one_road_mistake(road: OneRoad, reference: Reference, catalogue: list[tuple[Mistake, Compiled]],
                      domain: dict, tol: Tolerance) -> Mistake | None:
    """An index outside its sum (one road): the catalogued mistake that one of its terms matches, or
    "one-path-only" when the sum over that index would have been right."""
    others = [c for _, c in catalogue]
    for term in road.terms:
        samples = reference.draw([term] + others, domain)
        found = find_mistake(compare(term, samples, tol).values, samples, catalogue, tol) if samples else None
        if found is not None:
            return found
    samples = reference.draw([road.summed] + others, domain)
    if samples and compare(road.summed, samples, tol).equal:
        return Mistake(ONE_ROAD_ID, "", road.feedback)
    return None


def equivalent(a: str, b: str, variables: Iterable[str] = (), *, definitions=None, domain=None,
               indices=None, tolerance: Tolerance | None = None) -> bool:
    """Whether formula `a` agrees with the reference `b` at every sampled point where `b` is defined.

    For trusted text (reference answers, catalogues, tests): raises ValueError if either cannot be read.
    """
    ex = ExerciseNames(variables, definitions, indices)
    tb = parse(b, ex.known)
    ex.add_known(tb)
    ta = parse(a, ex.known)
    reference = Reference(tb, ex.scope)
    ca = compile_answer(ta, ex.scope)
    samples = reference.draw([ca], _domain(domain))
    numeric = not (symbols_of(ta) | symbols_of(tb))
    tol = _tolerance(tolerance, "number" if numeric else "expression")
    return compare(ca, samples, tol).equal


@functools.lru_cache(maxsize=4096)
def _trusted_tree(text: str, symbols: frozenset[str]) -> Node:
    """The tree of a trusted formula. Trees are immutable and the same few hundred formulas (reference
    answers and every catalogued mistake) are evaluated again for each draw checked, so each is parsed once."""
    return parse(text, symbols)


def evaluate(expr: str, values: Mapping[str, float] | None = None, *, definitions=None, indices=None) -> float:
    """The value of a trusted formula; NaN where it is undefined.

    A family symbol used in a sum takes a sequence of values (w_jk: [w for k=0, 1, ...]); index sizes
    come from `indices` or from the length of those sequences. Raises ValueError for unreadable
    text or a missing value.
    """
    values = dict(values or {})
    defs = {k: _trusted_tree(v, frozenset(values) | frozenset(definitions or {})) for k, v in (definitions or {}).items()}
    tree = _trusted_tree(expr, frozenset(values) | frozenset(defs))
    index_sizes = dict(indices or {})
    if not index_sizes:
        letters = {n.index for n in walk(tree) if isinstance(n, Sum)}
        for d in defs.values():
            letters |= {n.index for n in walk(d) if isinstance(n, Sum)}
        for letter in letters:
            for name, v in values.items():
                if letter in name.partition("_")[2] and hasattr(v, "__len__") and not isinstance(v, str):
                    index_sizes[letter] = len(v)
                    break
    compiled = compile_answer(tree, Scope(defs, index_sizes))
    env: dict = {}
    for name in compiled.scalars:
        if name in values:
            try:
                env[name] = float(values[name])
            except (TypeError, ValueError):
                raise ValueError(f"the value of {name} is not a number") from None
    for name, letters in compiled.families.items():
        if name not in values:
            continue
        for pos in _positions([index_sizes[x] for x in letters]):
            item = values[name]
            try:
                for i in pos:
                    item = item[i]
                env[(name, pos)] = float(item)
            except (TypeError, ValueError, IndexError, KeyError):
                raise ValueError(f"{name} needs one value for each value of {join_names(letters)}") from None
    missing_families = sorted(n for n in compiled.families if n not in values)
    if missing_families:
        raise ValueError(f"no values given for {join_names(missing_families)}")
    missing = sorted(n for n in compiled.scalars if n not in env)
    if missing:
        raise ValueError(f"no value given for {join_names(missing)}")
    return compiled.value(env)


def _positions(sizes: list[int]) -> list[tuple[int, ...]]:
    combos: list[tuple[int, ...]] = [()]
    for n in sizes:
        combos = [c + (i,) for c in combos for i in range(n)]
    return combos


def format_number(x: float, sig: int = 4) -> str:
    """x to `sig` significant figures, as exercises show numbers: "0.1385", "-2.000e-05"."""
    x = float(x)
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    if x == 0:
        return "0"
    s = f"{x:#.{sig}g}"
    mantissa, sep, exp = s.partition("e")
    return mantissa.rstrip(".") + sep + exp
