"""A whole forward and backward pass as a worksheet, graded cell by cell: right, carried forward, or a named misconception.

    ws = Worksheet(spec_dict)                 # a dict in the `solve` JSON format
    ws.cells                                  # every Cell in working order (engine.cells.Cell)
    ws.grade("delta[0][1]", "0.1385*0.5933", earlier={"delta[1][0]": 0.1384})   # -> Verdict

Each answer is judged, in this order: against the true value (and the value recomputed from the
4-figure numbers on screen); against the right method applied to the learner's own earlier numbers
(error carried forward: `carried` names the earlier cells that are off); against every misconception
that applies, with the true inputs and with the learner's own. Where two explanations land within
tolerance of each other, none of them is named.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Mapping, Protocol

from engine.answers import Verdict
from engine.answers.context import number_refusal, reading_warnings
from engine.answers.evaluate import Scope, compile_answer
from engine.answers.parser import parse
from engine.answers.render import render
from engine.answers.tokens import AnswerSyntaxError
from engine.cells import Cell, Numbers, Setting, build_cells, parse_address, right_value, right_value_or_nan, shown, true_numbers
from engine.misconceptions import variants
from engine.network import bias_symbol, symbol, weight_symbol
from engine.spec import Spec, parse_spec

#: Relative tolerance, as the lessons' number exercises use (learners round to 4 figures).
REL_TOLERANCE = 2e-3
#: Absolute floor, for values that are (nearly) 0; far below any number shown to 4 figures.
ABS_TOLERANCE = 1e-9
#: The most (in tolerances) that rounding to the screen's 4 figures may excuse.
ROUNDING_SLACK = 5.0
CORRECT = "Correct."


class Words(Protocol):
    """The words of the misconceptions (lesson data, passed in by the lessons package).

    Each method returns None when it has no words for that id (or that id at that quantity).
    """

    def label(self, mistake: str, quantity: str) -> str | None: ...

    def feedback(self, mistake: str, quantity: str) -> str | None: ...


def close(x: float, y: float, rel: float = REL_TOLERANCE, floor: float = ABS_TOLERANCE) -> bool:
    """Whether x and y agree within the worksheet's tolerance."""
    return abs(x - y) <= rel * max(abs(x), abs(y)) + floor


@dataclass(frozen=True)
class Reading:
    """A learner's typed number: its value (None when it could not be used) and how it was read."""

    value: float | None
    interpreted: str
    warnings: tuple[str, ...] = ()
    error: str | None = None


def read_number(answer) -> Reading:
    """Read a number or arithmetic (0.1385*0.5933) with the safe answer parser; never raises."""
    if isinstance(answer, (int, float)) and not isinstance(answer, bool):
        answer = repr(float(answer))
    if not isinstance(answer, str):
        return Reading(None, "", (), "the answer must be text")
    try:
        tree = parse(answer, ())
        interpreted = render(tree)
        warnings = tuple(reading_warnings(tree, ()))
        refusal = number_refusal(tree)
        if refusal:
            return Reading(None, interpreted, warnings, refusal)
        value = compile_answer(tree, Scope()).value({})
    except AnswerSyntaxError as err:
        return Reading(None, "", (), err.message)
    except Exception:  # a grader fault must never reach the learner as a crash
        return Reading(None, "", (), "the answer could not be read")
    if not math.isfinite(value):
        return Reading(None, interpreted, warnings, "that has no finite value (a division by zero, or a number too large)")
    return Reading(value, interpreted, warnings)


class Worksheet:
    """Every quantity of one forward and backward pass of a network, to be filled in and graded.

    `spec` is a dict in the `solve` JSON format (validated by engine.spec.parse_spec, so a bad spec
    raises SpecError with a one-line message), or an already parsed Spec. `learning_rate` present
    means the update cells exist. `words` (see Words) gives the misconceptions' labels and feedback;
    without it the feedback names the misconception's id.
    """

    def __init__(self, spec: Mapping | Spec, words: Words | None = None):
        self.spec = spec if isinstance(spec, Spec) else parse_spec(spec)
        self.words = words
        self.setting = Setting.from_spec(self.spec)
        self._true = true_numbers(self.spec)
        #: every cell in working order
        self.cells: tuple[Cell, ...] = build_cells(self.setting, self._true)
        self._cell = {c.address: c for c in self.cells}
        self._order = {c.address: i for i, c in enumerate(self.cells)}
        self._shown_setting = self.setting.rounded()
        self._shown = {a: shown(v) for a, v in self._true.items()}
        self._known: dict[str, tuple[tuple[str, float], ...]] = {}
        self._width = {c.address: _fixed_width(self.setting, c) for c in self.cells}

    # --- looking things up -------------------------------------------------------------------

    @property
    def addresses(self) -> tuple[str, ...]:
        """Every cell's address, in working order."""
        return tuple(c.address for c in self.cells)

    @property
    def givens(self) -> tuple[tuple[str, float, str], ...]:
        """(label, value, where in the spec) of every number the pass starts from, for the screen:
        inputs a_i1…, weights w_jk, biases b_k, targets t_k and η, e.g. ("w_i1h1", 0.15, "weights[0][0][0]")."""
        s = self.setting
        out = [(symbol("a", s.sizes, 0, j), v, f"input[{j}]") for j, v in enumerate(s.x)]
        for l in range(s.depth):
            for k in range(s.sizes[l + 1]):
                out += [(weight_symbol(s.sizes, l, k, j), s.weights[l][k][j], f"weights[{l}][{k}][{j}]")
                        for j in range(s.sizes[l])]
                if s.biases is not None:
                    out.append((bias_symbol(s.sizes, l, k), s.biases[l][k], f"biases[{l}][{k}]"))
        out += [(symbol("t", s.sizes, s.depth, k), v, f"target[{k}]") for k, v in enumerate(s.t)]
        if s.eta is not None:
            out.append(("η", s.eta, "learning_rate"))
        return tuple(out)

    def cell(self, address: str) -> Cell:
        """The cell at `address`; ValueError names the problem when there is none."""
        try:
            return self._cell[address]
        except (KeyError, TypeError):
            parse_address(address)  # raises for a malformed address
            raise ValueError(f"this worksheet has no cell {address}: it has {len(self.cells)} cells, "
                             f"from {self.cells[0].address} to {self.cells[-1].address}") from None

    def value(self, address: str) -> float:
        """The true value of a cell."""
        return self.cell(address).value

    def screen_value(self, address: str) -> float:
        """The right method applied to the numbers on screen (givens and true inputs, each to 4 figures)."""
        return right_value(self._shown_setting, self._shown, self.cell(address))

    def misconceptions(self, address: str) -> tuple[tuple[str, float], ...]:
        """(id, value) of every misconception at this cell with the true inputs, at full precision
        and from the numbers on screen (computed once, then kept)."""
        known = self._known.get(address)
        if known is None:
            c = self.cell(address)
            full = variants(self.setting, self._true, c)
            # From the screen's numbers only the ideas that do harm at full precision: rounding must
            # not make "σ′ left out at a relu unit" (slope 1) look like a slip near the right answer.
            harmful = {m for m, _ in full}
            known = tuple(full + [(m, x) for m, x in variants(self._shown_setting, self._shown, c) if m in harmful])
            self._known[address] = known
        return known

    def label(self, mistake: str, quantity: str) -> str:
        """The short label of a misconception (its id when there are no words)."""
        text = self.words.label(mistake, quantity) if self.words is not None else None
        return text or mistake

    def summary(self, verdicts: Mapping[str, Verdict]):
        """The misconceptions a set of graded cells shows, and where (an engine.summary.Summary):
        `verdicts` maps addresses to each cell's latest Verdict."""
        from engine.summary import summarize  # summary reads worksheets; imported here to avoid a cycle

        return summarize(self, verdicts)

    def agree(self, address: str, x: float, y: float, factor: float = 1.0) -> bool:
        """Whether x and y are the same answer for this cell: within 2e-3 relative (`factor` times).

        An update w − η·g is judged more strictly where its change η·g is small beside w: to 2e-3
        of the change (plus the half unit of the 4th figure that rounding for the screen costs), or
        a forgotten or backward step would pass unseen. Never looser than 2e-3 relative.
        """
        rel = close(x, y, factor * REL_TOLERANCE, factor * ABS_TOLERANCE)
        width = self._width[address]
        return rel if width is None else rel and abs(x - y) <= factor * width

    # --- grading -----------------------------------------------------------------------------

    def grade(self, address: str, answer, earlier: Mapping[str, object] | None = None) -> Verdict:
        """Judge what the learner typed for one cell; never raises for any answer.

        `earlier` maps addresses to the learner's own numbers for other cells (numbers, or text read
        like an answer; unreadable ones are ignored); an input cell not in `earlier` counts with its
        true value. `carried` names the cell's inputs, in the order of Cell.inputs, whose given
        numbers are off. Raises ValueError for an address that is not a cell of this worksheet (in
        `address` or in `earlier`).
        """
        c = self.cell(address)
        given = self._given(earlier or {}, address)
        reading = read_number(answer)
        if reading.value is None:
            msg = reading.error or "the answer could not be read"
            feedback = (msg[0].upper() + msg[1:] + ".") if reading.interpreted else f"I could not read that: {msg}."
            return Verdict(False, feedback, reading.interpreted, reading.warnings, error=msg)
        v = reading.value
        truths = [c.value]
        # Rounding to the 4 figures on screen can move a result far where terms nearly cancel; it
        # excuses a difference of at most ROUNDING_SLACK tolerances, so no answer further off passes.
        rounded = [self.screen_value(address)]

        world, off = self._learner_world(given)
        changed = any(world[i] != self._true[i] for i in c.inputs)
        carried = tuple(i for i in c.inputs if i in off)
        own = right_value_or_nan(self.setting, world, c) if changed else None
        if own is not None and math.isnan(own):
            own = None  # the learner's own numbers leave the formula's domain: nothing to carry
        if own is not None and not carried:
            rounded.append(own)  # every earlier number right (to tolerance): their rounding is not an error
        truths += [r for r in rounded if self.agree(address, r, c.value, ROUNDING_SLACK)]
        same = lambda x, y: self.agree(address, x, y)  # noqa: E731
        if any(same(v, t) for t in truths):
            return Verdict(True, CORRECT, reading.interpreted, reading.warnings)

        # (explanation, value, worked from the learner's own numbers?)
        options: list[tuple[str, float, bool]] = []
        if own is not None and carried:
            options.append(("carried", own, True))
        options += [(m, x, False) for m, x in self.misconceptions(address)]
        if changed:
            options += [(m, x, True) for m, x in variants(self.setting, world, c)]
        matched = [o for o in options if same(v, o[1])]
        keys = {o[0] for o in matched}
        rivals = any(
            same(o[1], t) for o in matched for t in truths
        ) or any(same(o[1], p[1]) for o in matched for p in options if p[0] != o[0])
        plain = dict(interpreted=reading.interpreted, warnings=reading.warnings)

        if "carried" in keys:
            if len(keys) == 1 and not rivals:
                return Verdict(False, self._carried_text(carried), carried=carried, **plain)
            return Verdict(False, self._carried_text(carried, also_slip=True), carried=carried, **plain)
        if len(keys) == 1 and not rivals:
            (mistake,) = keys
            from_own = all(o[2] for o in matched)
            feedback = self._mistake_text(mistake, c.quantity)
            if from_own and carried:
                feedback += " " + self._also_off_text(carried)
            return Verdict(False, feedback, mistake=mistake, carried=carried if from_own else (), **plain)
        if matched:
            return Verdict(False, "That number does not match. More than one slip could give it, so check each "
                           "factor against this cell's formula.", **plain)
        near = self.agree(address, v, truths[0], factor=10)
        return Verdict(False, self._generic_text(near, carried), **plain)

    def _given(self, earlier: Mapping[str, object], graded: str) -> dict[str, float]:
        out = {}
        for addr, raw in earlier.items():
            self.cell(addr)  # an unknown address is a caller's mistake: ValueError
            if addr == graded:
                continue
            if isinstance(raw, bool) or not isinstance(raw, (str, int, float)):
                continue
            # a number is taken as it is (reading its repr back gives the same float); text is read
            value = read_number(raw).value if isinstance(raw, str) else float(raw) if math.isfinite(raw) else None
            if value is not None:
                out[addr] = value
        return out

    def _learner_world(self, given: dict[str, float]) -> tuple[dict[str, float], set[str]]:
        """The learner's numbers (their own where given, the true ones elsewhere) and the given cells that are off."""
        if not given:
            return self._true, set()
        world = dict(self._true)
        world.update(given)
        off = {a for a, x in given.items() if not self.agree(a, x, self._true[a]) and not self.agree(a, x, self._shown[a])}
        return world, off

    # --- words -------------------------------------------------------------------------------

    def _names(self, addresses: tuple[str, ...]) -> str:
        labels = [self._cell[a].label for a in addresses]
        return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]

    def _carried_text(self, carried: tuple[str, ...], also_slip: bool = False) -> str:
        one = len(carried) == 1
        text = (f"Your method is right: this is what it gives from your {self._names(carried)}, but "
                f"{'that number is' if one else 'those numbers are'} off. Put {'it' if one else 'them'} right "
                "first; this cell then follows the same way.")
        if also_slip:
            text += " (The same number could also come from a slip at this cell, so check its formula too.)"
        return text

    def _also_off_text(self, carried: tuple[str, ...]) -> str:
        one = len(carried) == 1
        return f"It is also worked from your {self._names(carried)}, which {'is' if one else 'are'} off."

    def _mistake_text(self, mistake: str, quantity: str) -> str:
        text = self.words.feedback(mistake, quantity) if self.words is not None else None
        return text or f"Not right: that is the number a known slip gives at this step ({mistake.replace('-', ' ')})."

    def _generic_text(self, near: bool, carried: tuple[str, ...]) -> str:
        if near:
            return "Close, but not within the tolerance: keep more digits in the steps and round only at the end."
        text = "That number does not match. Check each step of this cell's formula."
        if carried:
            one = len(carried) == 1
            text += f" Your {self._names(carried)}, which this cell uses, {'is' if one else 'are'} off too."
        return text


def _fixed_width(s: Setting, c: Cell) -> float | None:
    """The tolerance of an update cell: 2e-3 of its change η·g plus half a unit of its 4th figure
    (None for every other cell, which is judged relative to its size)."""
    if c.kind not in ("updated_weights", "updated_biases"):
        return None
    old = s.weights[c.layer][c.unit][c.source] if c.kind == "updated_weights" else s.bias(c.layer, c.unit)
    rounding = 0.5 * 10 ** (math.floor(math.log10(abs(c.value))) - 3) if c.value else 0.0
    return REL_TOLERANCE * abs(c.value - old) + rounding + ABS_TOLERANCE
