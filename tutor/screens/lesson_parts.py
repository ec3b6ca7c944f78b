"""What the lesson screen works out from the lesson data: which numbers of the picture are revealed, and the
finite-difference check of the learner's own gradients."""

from __future__ import annotations

import re
from dataclasses import dataclass

_UNIT_QUANTITY = re.compile(r"^(net|a|delta)_([a-z]+\d+)$")
_HIDDEN_DELTA = re.compile(r"delta_(h\d+)")
_SYMBOL = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def asked_quantity(step) -> str | None:
    """The quantity a step asks for, when it names one the engine computed (delta_o1, a_h1, gw_h1o1, …)."""
    spec = step.exercise
    if spec is None or not spec.engine_value:
        return None
    return spec.engine_value


def group_members(lesson, step) -> list:
    """The steps that share `step`'s numbers (its group, or the step alone)."""
    return [s for s in lesson.steps if s is step or (step.group and s.group == step.group)]


def settled_steps(lesson, step, seed: int | None, progress) -> set[str]:
    """The exercise steps sharing `step`'s numbers that the learner has answered right on these very
    numbers, or whose worked solution they opened for them. Only these answers may be shown."""
    done: set[str] = set()
    if progress is None or seed is None:
        return done
    for s in group_members(lesson, step):
        if s.exercise is None:
            continue
        if any(a.correct and a.seed == seed for a in progress.attempts(lesson.id, s.id)) or \
                progress.solution_revealed(lesson.id, s.id, seed):
            done.add(s.id)
    return done


def withheld_names(lesson, step, settled: set[str], context=None, values=None) -> set[str]:
    """The values of the draw that must not be on screen: what an unsettled exercise of the group asks for.

    That is the value it names, and any other value of the draw that is the same number as its answer
    (∂E/∂b_o2 is δ_o2: while one is asked, the other is not quoted), and any value named after it
    (eps_path_1, ε times path_1). The outputs of a softmax layer
    sum to 1, so while one of them is asked for, none is shown.
    """
    from engine.answers import evaluate, format_number

    open_steps = [s for s in group_members(lesson, step) if s.exercise is not None and s.id not in settled]
    names = {q for s in open_steps if (q := asked_quantity(s)) is not None}
    for s in open_steps:
        if s.exercise.kind != "number" or not values:
            continue
        try:
            answer = format_number(evaluate(s.exercise.answer, values))
        except Exception:  # a half-written step: nothing to compare with
            continue
        # the numbers a question is worked out from are its own givens, even when one equals its answer
        givens = set(_SYMBOL.findall(s.exercise.answer))
        names |= {k for k, v in values.items()
                  if isinstance(v, float) and k not in givens and format_number(v) == answer}
    # a value named after a withheld one is made from it (eps_path_1 is ε times path_1)
    names |= {k for k in (values or {}) if any(k.endswith("_" + n) for n in names)}
    network = context.get("network") if isinstance(context, dict) else None
    if network is not None and (network.activations or [""])[-1] == "softmax":
        from engine.network import unit_label

        sizes = network.sizes
        outputs = {f"a_{unit_label(sizes, len(sizes) - 1, j)}" for j in range(sizes[-1])}
        if names & outputs:
            names |= outputs
    return names


#: In `network_reveal`'s markers: a δ asked at this step or an earlier one of the group.
REACHED = "__reached__:"


class Withheld:
    """Stands in a template for a value the learner has not worked out yet: always shown as "?"."""

    def __format__(self, spec: str) -> str:
        return "?"


def masked(values, withheld: set[str]) -> dict:
    """The draw's values for filling templates, with every withheld one shown as "?"."""
    return {k: (Withheld() if k in withheld else v) for k, v in (values or {}).items()}


def network_reveal(lesson, index: int, solved: set[str]) -> tuple[dict[str, bool], str | None, str | None]:
    """For the network picture at step `index`: which unit quantities to show, the unit whose fan-out
    is lit, and the quantity being asked now.

    `solved` holds the steps settled on these numbers (`settled_steps`). A quantity that some step of
    the group asks for is shown only once that step is settled — passing it is not enough; δ's
    nobody asks about appear when the learner is past every question of the group, or once they have
    reached a question for a δ in a lower layer (its prompt gives them: the marker "__reached__:"
    names each δ asked at this step or before it); when the group asks nothing the whole picture is shown.
    """
    step = lesson.steps[index]
    members = [(i, s) for i, s in enumerate(lesson.steps) if s is step or (step.group and s.group == step.group)]
    asked = {q: (i, s) for i, s in members if (q := asked_quantity(s)) is not None}
    known: dict[str, bool] = {}
    if not asked:
        return {"__all__": True}, None, None
    last = max(i for i, _ in asked.values())
    for quantity, (i, s) in asked.items():
        known[quantity] = s.id in solved
        if i <= index and quantity.startswith("delta_"):
            known[REACHED + quantity] = True
    if index > last:
        known["__deltas__"] = True
    now = asked_quantity(step)
    fan = None
    if now is not None and (m := _HIDDEN_DELTA.search(now)):
        fan = m.group(1)
    elif step.exercise is not None and ("sum_k" in step.exercise.answer or "delta_j" in (now or "")):
        fan = "h1"
    return known, fan, (now if now is not None and step.id not in solved else None)


def picture_known(known: dict[str, bool], network, asked: str | None = None,
                  withheld: set[str] = frozenset()) -> dict[str, bool]:
    """Expand the markers of `network_reveal` into one entry per unit quantity of `network`; every
    `withheld` quantity stays blank whatever the markers say.

    The backward pass runs from the output down, so a δ nobody asks about appears once the learner
    has reached a δ in its own layer or in any layer below it, and stays once a question reached
    (asked now, or skipped on the way here) has shown it.
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
    reached = {k[len(REACHED):] for k in known if k.startswith(REACHED)} | {asked}
    asked_now = {layer for layer, names in labels.items() if reached & {f"delta_{n}" for n in names}}
    for layer, names in labels.items():
        shown = deltas or any(r <= layer for r in given) or any(r < layer for r in asked_now)
        for name in names:
            out.setdefault(f"delta_{name}", shown)
            if every:
                out[f"delta_{name}"] = True
    out.setdefault("E", True)
    for name in withheld:
        out[name] = False
    return out


def worksheet_hint(solved: bool) -> str:
    """The line under a worksheet step's prose: how to open it, and whether it is done."""
    from tutor.keys import NEXT_KEY

    if solved:
        return f"✓ Every cell of the pass is right. Enter or w opens the worksheet again; {NEXT_KEY}: next step."
    return f"Enter or w: open the worksheet (your answers are kept when you leave it). {NEXT_KEY}: next step."


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


def gradcheck_text(rows: list[GradientRow], backprop_error: float, open_steps: set) -> "Text":
    """The finite-difference table: each weight's gradient as the learner gave it, the finite difference,
    their relative error; a gradient that a step in `open_steps` still asks for shows "?"."""
    from rich.text import Text

    from engine.answers import format_number

    text = Text()
    text.append("Finite-difference check of your gradients\n", style="bold")
    text.append("(E(w + ε) − E(w − ε)) / 2ε with ε = 10⁻⁶, one weight at a time\n\n", style="dim")
    text.append(f"{'weight':<10}{'yours':>12}{'finite diff.':>14}{'rel. error':>14}\n", style="bold")
    for row in rows:
        hidden = row.yours is None and f"g{row.weight}" in open_steps
        yours = "—" if row.yours is None else format_number(row.yours)
        rel = ("answer first" if hidden else "not given") if row.rel_error is None else f"{row.rel_error:.1e}"
        style = "" if row.rel_error is None else ("green" if row.rel_error < 5e-3 else "bold red")
        numeric = "?" if hidden else format_number(row.numeric)
        text.append(f"{row.weight:<10}{yours:>12}{numeric:>14}")
        text.append(f"{rel:>14}\n", style=style)
    given = [r for r in rows if r.rel_error is not None]
    if not given:
        text.append("\nYou have not answered a gradient step on these numbers yet. The table shows what "
                    "the finite differences say, except for the gradients a step still asks you for.",
                    style="dim")
    else:
        text.append("\nYour numbers are rounded to 4 figures, so relative errors up to about 10⁻³ mean "
                    "agreement.", style="dim")
    text.append(f"\nBackprop at full precision: worst relative error {backprop_error:.1e}.", style="dim")
    return text
