"""What the lesson screen works out from the lesson data: which numbers of the picture are revealed, and the
finite-difference check of the learner's own gradients."""

from __future__ import annotations

import re
from dataclasses import dataclass

_UNIT_QUANTITY = re.compile(r"^(net|a|delta)_([a-z]+\d+)$")
_HIDDEN_DELTA = re.compile(r"delta_(h\d+)")


def asked_quantity(step) -> str | None:
    """The quantity a step asks for, when it names one the engine computed (delta_o1, a_h1, gw_h1o1, …)."""
    spec = step.exercise
    if spec is None or not spec.engine_value:
        return None
    return spec.engine_value


def network_reveal(lesson, index: int, solved: set[str]) -> tuple[dict[str, bool], str | None, str | None]:
    """For the network picture at step `index`: which unit quantities to show, the unit whose fan-out
    is lit, and the quantity being asked now.

    A quantity that some step of the group asks for is shown once that step has been passed or
    solved; δ's nobody asks about appear when the learner is past every question of the group; when
    the group asks nothing the whole picture is shown.
    """
    step = lesson.steps[index]
    members = [(i, s) for i, s in enumerate(lesson.steps) if s is step or (step.group and s.group == step.group)]
    asked = {q: (i, s) for i, s in members if (q := asked_quantity(s)) is not None}
    known: dict[str, bool] = {}
    if not asked:
        return {"__all__": True}, None, None
    last = max(i for i, _ in asked.values())
    for quantity, (i, s) in asked.items():
        known[quantity] = i < index or s.id in solved
    if index > last:
        known["__deltas__"] = True
    now = asked_quantity(step)
    fan = None
    if now is not None and (m := _HIDDEN_DELTA.search(now)):
        fan = m.group(1)
    elif step.exercise is not None and ("sum_k" in step.exercise.answer or "delta_j" in (now or "")):
        fan = "h1"
    return known, fan, (now if now is not None and step.id not in solved else None)


def picture_known(known: dict[str, bool], network, asked: str | None = None) -> dict[str, bool]:
    """Expand the markers of `network_reveal` into one entry per unit quantity of `network`.

    The backward pass runs from the output down, so a δ nobody asks about appears once the learner
    has reached a δ in its own layer or in any layer below it.
    """
    from engine.network import unit_label

    sizes = network.sizes
    every = known.get("__all__", False)
    deltas = every or known.get("__deltas__", False)
    out = {k: v for k, v in known.items() if not k.startswith("__")}
    labels = {layer: [unit_label(sizes, layer, j) for j in range(sizes[layer])] for layer in range(1, len(sizes))}
    # The forward pass runs upward: while a unit's net or a is still to be worked out, its other
    # forward value and every unit above it stay blank too.
    pending = [layer for layer, names in labels.items()
               if any(out.get(f"{q}_{n}") is False for n in names for q in ("net", "a"))]
    if pending:
        for layer, names in labels.items():
            if layer >= min(pending):
                for name in names:
                    for q in ("net", "a"):
                        if layer > min(pending) or out.get(f"net_{name}") is False or out.get(f"a_{name}") is False:
                            out.setdefault(f"{q}_{name}", False)
    given = {layer for layer, names in labels.items() if any(out.get(f"delta_{n}") for n in names)}
    asked_now = {layer for layer, names in labels.items() if asked in {f"delta_{n}" for n in names}}
    for layer, names in labels.items():
        shown = deltas or any(r <= layer for r in given) or any(r < layer for r in asked_now)
        for name in names:
            out.setdefault(f"delta_{name}", shown)
            if every:
                out[f"delta_{name}"] = True
    out.setdefault("E", True)
    return out


def worksheet_hint(solved: bool) -> str:
    """The line under a worksheet step's prose: how to open it, and whether it is done."""
    if solved:
        return "✓ Every cell of the pass is right. Enter or w opens the worksheet again; n: next step."
    return "Enter or w: open the worksheet (your answers are kept when you leave it). n: next step."


@dataclass(frozen=True)
class GradientRow:
    """One weight: the learner's number (None if not given yet), the finite difference, their relative error."""

    weight: str
    yours: float | None
    numeric: float
    rel_error: float | None


def learner_gradients(lesson, step, seed: int, progress) -> dict[str, float]:
    """The gradients the learner typed correctly on these numbers, by weight name (w_h1o1)."""
    from engine.answers import evaluate

    mine: dict[str, float] = {}
    if progress is None:
        return mine
    members = [s for s in lesson.steps if s.group == step.group] if step.group else [step]
    for s in members:
        quantity = asked_quantity(s)
        if quantity is None or not quantity.startswith("gw_"):
            continue
        right = [a for a in progress.attempts(lesson.id, s.id) if a.correct and a.seed == seed]
        if not right:
            continue
        try:
            mine[quantity[1:]] = float(evaluate(right[-1].answer, {}))
        except Exception:  # the answer was graded right, so this is only a guard
            continue
    return mine


def gradient_check(network, x, t, mine: dict[str, float]) -> tuple[list[GradientRow], float]:
    """Compare the learner's gradients with central finite differences; also backprop's own worst error."""
    from engine.gradcheck import check_gradients, relative_error
    from engine.network import weight_symbol

    check = check_gradients(network, x, t)
    sizes = network.sizes
    rows = []
    for l, W in enumerate(network.weights):
        for k in range(W.shape[0]):
            for j in range(W.shape[1]):
                name = weight_symbol(sizes, l, k, j)
                numeric = float(check.numeric_weights[l][k, j])
                yours = mine.get(name)
                rel = None if yours is None else float(relative_error(yours, numeric))
                rows.append(GradientRow(name, yours, numeric, rel))
    return rows, check.max_rel_error
