"""Diagnosis of a wrong answer: a catalogued mistake it matches, or a generic but useful hint."""

from __future__ import annotations

import math
from dataclasses import dataclass

from .equivalence import Comparison, Sample, Tolerance, close, matches
from .evaluate import Compiled


@dataclass(frozen=True)
class Mistake:
    """A named wrong answer, written in answer syntax, with feedback that names the idea."""

    id: str
    answer: str
    feedback: str


HINT = "Ask for a hint if you are stuck."
RATIOS = (-1.0, 2.0, 0.5, -2.0, -0.5, 10.0, 0.1, 100.0, 0.01)


def find_mistake(values: list[float], samples: list[Sample],
                 catalogue: list[tuple[Mistake, Compiled]], tol: Tolerance) -> Mistake | None:
    """The catalogued mistake the answer's values agree with (the nearest, if several do)."""
    best, best_distance = None, math.inf
    scales = [s.scale for s in samples]
    for mistake, compiled in catalogue:
        target = [compiled.value(s.env) for s in samples]
        if not matches(values, target, scales, tol):
            continue
        distance = sum(abs(v - t) / max(abs(t), 1e-300) for v, t in zip(values, target) if math.isfinite(t))
        if distance < best_distance:
            best, best_distance = mistake, distance
    return best


def constant_ratio(values: list[float], samples: list[Sample], tol: Tolerance) -> float | None:
    """c when the answer is c times the reference at every point (c from a short list)."""
    usable = [(v, s) for v, s in zip(values, samples) if s.ref != 0]
    if not usable or any(not math.isfinite(v) for v, _ in usable):
        return None
    for c in RATIOS:
        if all(close(v, c * s.ref, abs(c) * s.scale, tol) for v, s in usable):
            return c
    return None


def _factor(c: float) -> str:
    return {-1.0: "−1", 0.5: "½", -0.5: "−½"}.get(c, f"{c:g}".replace("-", "−"))


def generic_feedback(cmp: Comparison, samples: list[Sample], tol: Tolerance, kind: str,
                     symbols: list[str]) -> str:
    """Feedback for a wrong answer that matches no catalogued mistake; never reveals the answer."""
    if cmp.undefined:
        return ("Not quite: your answer is undefined (a division by zero, or the log or square root of a "
                "negative number) for values where the expected answer is defined. " + HINT)
    c = constant_ratio(cmp.values, samples, tol)
    if c == -1.0:
        return "Not quite: the sign is the wrong way round. Check each minus sign, such as the one in t − a. " + HINT
    if c is not None:
        extra = " Check where the decimal point goes." if abs(c) in (10.0, 0.1, 100.0, 0.01) else ""
        return f"Not quite: your answer is off by a factor of {_factor(c)}.{extra} " + HINT
    if kind == "number":
        s, v = samples[0], cmp.values[0]
        loose = Tolerance(rel=tol.rel * 10, abs=tol.abs * 10)
        if close(v, s.ref, s.scale, loose):
            return ("Close, but not within the tolerance: keep at least four significant figures in every "
                    "intermediate result, and check the last digits of each step.")
        return "That number does not match the expected value. Check each step of the computation. " + HINT
    if not symbols:
        return ("Not quite: your answer is a constant, but the expected answer depends on the "
                "exercise's symbols. " + HINT)
    shown = ", ".join(symbols[:6])
    return (f"Not quite: your formula gives different values from the expected one for some values of "
            f"{shown}. " + HINT)
