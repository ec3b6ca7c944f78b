"""Guards that keep drawn numbers fair to a learner who rounds: no sum whose terms nearly cancel."""

from __future__ import annotations

from typing import Iterable

import numpy as np

#: A sum is "clear" when |Σ terms| is at least this fraction of Σ |terms|. Learners round each
#: product to 4 significant figures (a relative error of up to 5e-4 each); when the terms nearly
#: cancel, those small errors become a large part of the small total and a right method misses the
#: tolerance. At this fraction the rounding costs at most 5e-4 / CLEAR = 1e-3 of the total.
CLEAR = 0.5


def sum_clear(terms: Iterable[float]) -> bool:
    """True when the terms of one sum do not nearly cancel."""
    values = np.asarray(list(terms), dtype=float)
    return bool(abs(values.sum()) > CLEAR * np.abs(values).sum())


def sums_clear(terms: np.ndarray, axis: int = 0) -> bool:
    """True when no sum of `terms` along `axis` nearly cancels (every sum along that axis is clear)."""
    terms = np.asarray(terms, dtype=float)
    return bool(np.all(np.abs(terms.sum(axis=axis)) > CLEAR * np.abs(terms).sum(axis=axis)))


def hidden_sums_clear(weights: list[np.ndarray], deltas: list[np.ndarray]) -> bool:
    """True when, in every layer below the output, no unit's Σ_k w_jk δ_k nearly cancels.

    weights[l] and deltas[l] are a Network's weights and a Gradients' δ's (layer l + 1).
    """
    for l in range(1, len(weights)):
        terms = weights[l] * deltas[l][:, None]  # terms[k, j] = w_jk δ_k, summed over k for unit j
        if not sums_clear(terms, axis=0):
            return False
    return True


def updates_clear(old: Iterable[float], change: Iterable[float]) -> bool:
    """True when no update w − η·g nearly cancels to 0 (each pair (w, −η·g) is a clear sum)."""
    return all(sum_clear((w, d)) for w, d in zip(old, change))
