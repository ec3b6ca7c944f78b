"""Fresh practice networks from a seed: a `solve` spec whose every misconception stays clear of the right answer."""

from __future__ import annotations

from typing import Sequence

import numpy as np

from engine.spec import SpecError
from engine.worksheet import Worksheet

#: A draw is rejected when a misconception lands within this many tolerances of a right value.
SEPARATION = 2.0
MAX_DRAWS = 500
ETAS = (0.1, 0.25, 0.5)  # not 1: there w − g (η forgotten) is the right step
SOFT_TARGETS = ((0.7, 0.2, 0.1), (0.6, 0.3, 0.1), (0.5, 0.3, 0.2), (0.6, 0.2, 0.2), (0.5, 0.4, 0.1))


def _two_places(rng: np.random.Generator, lo: float, hi: float, signed: bool = True) -> float:
    sign = float(rng.choice((-1.0, 1.0))) if signed else 1.0
    return sign * round(float(rng.uniform(lo, hi)), 2)


def _targets(rng: np.random.Generator, n: int, act: str, loss: str) -> list[float]:
    if loss == "cross_entropy":
        if n == 3:
            base = SOFT_TARGETS[int(rng.integers(len(SOFT_TARGETS)))]
            return [float(v) for v in np.array(base)[rng.permutation(3)]]
        raw = rng.uniform(0.1, 1.0, n)  # soft targets: with one-hot ones the diagonal-only slip is often right
        t = [round(float(v), 2) for v in raw / raw.sum()]
        t[-1] = round(1.0 - sum(t[:-1]), 2)
        return t
    if act in ("sigmoid", "softmax"):
        return [float(rng.choice((0.01, 0.99))) for _ in range(n)]
    return [_two_places(rng, 0.1, 0.9) for _ in range(n)]


def random_spec(rng: np.random.Generator, layers: Sequence[int], activations: Sequence[str], loss: str,
                biases: bool, learning_rate: bool) -> dict:
    """One draw of a spec with two-decimal numbers (no check that its misconceptions stay apart)."""
    spec: dict = {
        "layers": list(layers),
        "activations": list(activations),
        "loss": loss,
        "weights": [[[_two_places(rng, 0.1, 1.0) for _ in range(n_in)] for _ in range(n_out)]
                    for n_in, n_out in zip(layers, layers[1:])],
        "input": [_two_places(rng, 0.05, 1.0, signed=False) for _ in range(layers[0])],
        "target": _targets(rng, layers[-1], activations[-1], loss),
    }
    if biases:  # positive into relu units, which a negative net would leave dead (every δ behind it 0)
        spec["biases"] = [[_two_places(rng, 0.05, 0.6, signed=act != "relu") for _ in range(n)]
                          for n, act in zip(layers[1:], activations)]
    if learning_rate:
        spec["learning_rate"] = float(rng.choice(ETAS))
    return spec


def distinguishable(ws: Worksheet) -> bool:
    """True when at every cell each misconception stays clear of the right value and of the value
    from the numbers on screen. (Two misconceptions that land together are left to the grader,
    which then names neither.)"""
    for c in reversed(ws.cells):  # the updates and the deepest δ's fail most often: look there first
        rights = (c.value, ws.screen_value(c.address))
        for _, x in ws.misconceptions(c.address):
            if any(ws.agree(c.address, x, r, SEPARATION) for r in rights):
                return False
    return True


def _alive(ws: Worksheet) -> bool:
    """No relu unit sits at or below 0, where its slope and every δ and gradient through it vanish."""
    return all(c.value > 0 for c in ws.cells if c.kind == "net" and ws.setting.activations[c.layer] == "relu")


def draw_spec(seed: int, layers: Sequence[int] = (2, 2, 2), *, activations: Sequence[str] | None = None,
              loss: str = "sse", biases: bool = True, learning_rate: bool = True) -> dict:
    """A fresh practice network as a `solve` spec dict; the same seed and options give the same spec.

    See draw_worksheet, which draws the same network and also returns its worksheet.
    """
    return draw_worksheet(seed, layers, activations=activations, loss=loss, biases=biases,
                          learning_rate=learning_rate)[0]


def draw_worksheet(seed: int, layers: Sequence[int] = (2, 2, 2), *, activations: Sequence[str] | None = None,
                   loss: str = "sse", biases: bool = True, learning_rate: bool = True,
                   words=None) -> tuple[dict, Worksheet]:
    """The practice network of draw_spec and its Worksheet (with `words`, see engine.worksheet.Words).

    The draw has worked out every cell's misconceptions to check them; the worksheet returned keeps
    them, so grading it does not work them out again.

    Weights are two-decimal numbers of size 0.1 to 1, inputs 0.05 to 1, biases 0.05 to 0.6, targets
    0.01 or 0.99 for sigmoid outputs (soft targets for softmax with cross-entropy); `activations`
    defaults to sigmoid everywhere. A draw is re-drawn, from the same random stream, until every
    misconception at every cell can be told apart from the right answer (and no relu unit is dead).
    Raises SpecError for impossible options and ValueError when no draw qualifies.
    """
    activations = list(activations) if activations is not None else ["sigmoid"] * (len(layers) - 1)
    rng = np.random.default_rng(seed)
    for _ in range(MAX_DRAWS):
        spec = random_spec(rng, layers, activations, loss, biases, learning_rate)
        ws = Worksheet(spec, words)  # validates: SpecError for a bad option
        if _alive(ws) and distinguishable(ws):
            return spec, ws
    raise ValueError(f"no draw of a {'-'.join(map(str, layers))} network keeps every misconception apart "
                     f"from the right answers in {MAX_DRAWS} tries")


__all__ = ["SpecError", "distinguishable", "draw_spec", "draw_worksheet", "random_spec"]
