"""Where formulas are compared: default sampling domains and the points drawn from them.

Default domains, by the name part before the subscript (a domain given by the exercise wins; its keys
may be a full name "a_k", a pattern "a_*", or a name part "a"):

    a, y (activations)          (0.05, 0.95)
    t (targets)                 (0, 1)
    eta (learning rate)         (0.05, 1)
    w, net, x and anything else (-2, 2)

Points: a few simple ones first (every variable 0.5, or 1, where that lies in its domain; then
points 2% from either end of every domain; then a point of distinct values), then random points. Every symbol draws its values from its own seeded
stream, so a symbol takes the same values whatever other symbols are present and verdicts repeat.
Family symbols (w_jk inside sum_k) get an independent value per index value.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping

from .evaluate import Env

DEFAULT_DOMAINS: dict[str, tuple[float, float]] = {
    "a": (0.05, 0.95),
    "y": (0.05, 0.95),
    "t": (0.0, 1.0),
    "eta": (0.05, 1.0),
    "w": (-2.0, 2.0),
    "net": (-2.0, 2.0),
    "x": (-2.0, 2.0),
}
FALLBACK_DOMAIN = (-2.0, 2.0)
SEED = 20241123
SIMPLE_VALUES = (0.5, 1.0)
EDGE_FRACTIONS = (0.02, 0.98)  # near both ends of every domain, where random points rarely go
SIMPLE_COUNT = len(SIMPLE_VALUES) + len(EDGE_FRACTIONS) + 1


def domain_of(name: str, domain: Mapping[str, tuple[float, float]] | None = None) -> tuple[float, float]:
    """The sampling interval of a symbol: the exercise's domain first, then the defaults."""
    base = name.partition("_")[0]
    for table in (domain or {}), DEFAULT_DOMAINS:
        for key in (name, base + "_*", base):
            if key in table:
                lo, hi = table[key]
                return float(lo), float(hi)
    return FALLBACK_DOMAIN


def symbol_keys(scalars, families, indices) -> list:
    """Environment keys: scalar names, then (family name, index tuple) for every index value."""
    keys: list = sorted(scalars)
    for name in sorted(families):
        combos: list[tuple[int, ...]] = [()]
        for letter in families[name]:
            combos = [c + (i,) for c in combos for i in range(indices[letter])]
        keys.extend((name, c) for c in combos)
    return keys


def _stream(key, lo: float, hi: float, count: int, seed: int) -> list[float]:
    rng = random.Random(f"{seed}:{key!r}")
    # the third simple point: a value particular to the symbol, away from the ends
    values = [v if lo < v < hi else (lo + hi) / 2 for v in SIMPLE_VALUES]
    values.extend(lo + (hi - lo) * f for f in EDGE_FRACTIONS)
    values.append(lo + (hi - lo) * rng.uniform(0.2, 0.8))
    values.extend(rng.uniform(lo, hi) for _ in range(max(0, count - SIMPLE_COUNT)))
    return values


def points(keys: list, domain=None, count: int = 24, seed: int = SEED) -> Iterator[Env]:
    """`count` environments for the given keys (see symbol_keys), simple points first."""
    if not keys:
        yield {}
        return
    streams = []
    for key in keys:
        lo, hi = domain_of(key if isinstance(key, str) else key[0], domain)
        streams.append(_stream(key, lo, hi, count, seed))
    for i in range(count):
        yield {key: s[i] for key, s in zip(keys, streams)}
