"""One learner's worksheet: where its numbers come from, their answers and marks, saving, resuming and the probe.

No widgets here: the worksheet screen shows a WorksheetSession, and tests drive one directly.

Every graded cell is stored as an attempt (lesson_id, step_id, answer, correct, mistake, seed), so
the class report counts worksheet misconceptions with the lessons' ones:

- a practice network: lesson_id "practice", step_id the cell's address, seed the draw's seed (a
  network from a file: a key made from its numbers, at or above 2**61, so it never meets a draw);
- a worksheet step of a lesson: the lesson's id, step_id "STEP/ADDRESS", seed the step's seed; once
  every cell is right, one attempt on the step itself marks the step solved.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any, Mapping

from engine.answers import Verdict
from engine.network import bias_symbol
from engine.spec import Spec
from engine.worksheet import Worksheet

from tutor.practice_keys import DRAW_KEY, PRACTICE  # noqa: F401  (the worksheet's callers name them from here)

#: The symbols a cell's formula names: ∂E/∂w_h1o1, w_i1h1, a_1^(2), δ_o1, net_h2, η, E.
_SYMBOL = re.compile(r"∂E/∂[wb]_[0-9a-z,]+(?:\^\(\d+\))?|(?<![A-Za-z∂])(?:net|[abtwδ])_[0-9a-z,]+(?:\^\(\d+\))?|η|\bE\b")

#: The layers of a practice draw, and of a lesson's worksheet step unless it says otherwise.
PRACTICE_LAYERS = (2, 2, 2)
#: A worksheet is filled in by hand: past this many cells, `solve` is the tool.
MAX_CELLS = 200
FILE_KEY_BIT = 1 << 61
#: The probe's verdict: a learner's gradient within this relative error of the finite difference agrees.
PROBE_AGREES = 5e-3


def spec_key(spec: Spec) -> int:
    """A seed-column key for a network from a file: the same numbers, the same key (whatever the layout)."""
    net = spec.network
    numbers = [list(net.sizes), list(net.activations), net.loss, [w.tolist() for w in net.weights],
               None if net.biases is None else [b.tolist() for b in net.biases],
               list(map(float, spec.input)), list(map(float, spec.target)), spec.learning_rate]
    digest = hashlib.sha256(json.dumps(numbers).encode()).hexdigest()
    return FILE_KEY_BIT | int(digest[:15], 16)


def draw(seed: int, options: Mapping[str, Any] | None = None) -> dict:
    """The practice network of a seed (a `solve` spec dict); `options` as a lesson's worksheet step gives them."""
    return _drawn(seed, options)[0]


def _drawn(seed: int, options: Mapping[str, Any] | None = None, words=None) -> tuple[dict, Worksheet]:
    """The network of `draw` and its worksheet, as the draw made it (its misconceptions already worked out)."""
    from engine.practice import draw_worksheet

    options = dict(options or {})
    layers = tuple(options.pop("layers", PRACTICE_LAYERS))
    return draw_worksheet(seed, layers, words=words, **options)


#: The worksheets drawn in this run by (seed, options), the latest few: coming back to a worksheet
#: does not draw its network again (a draw re-draws until every misconception stands apart, several
#: milliseconds). A Worksheet keeps nothing of a learner's: the session holds the answers.
_KEPT: dict[tuple[int, str], Worksheet] = {}
KEEP_DRAWN = 8


def drawn_worksheet(seed: int, options: Mapping[str, Any] | None = None) -> Worksheet:
    """The worksheet of the network `draw` gives, with the misconceptions' words; drawn once per run."""
    key = (seed, json.dumps(dict(options or {}), sort_keys=True, default=str))
    ws = _KEPT.pop(key, None)
    if ws is None:
        ws = _drawn(seed, options, _words())[1]
    _KEPT[key] = ws  # the newest last; the oldest goes first
    while len(_KEPT) > KEEP_DRAWN:
        del _KEPT[next(iter(_KEPT))]
    return ws


def forget_drawn() -> None:
    """Draw every network again when next opened (benchmarks time a first opening this way)."""
    _KEPT.clear()


@dataclass(frozen=True)
class Origin:
    """Where a worksheet's numbers come from and where its answers are kept.

    lesson_id and prefix: the attempts' lesson_id and the start of their step_id; seed: the draw's
    seed or the file's key; title: what the screen calls it; drawn: whether new numbers can be drawn;
    step_id: the lesson step this worksheet completes (None for practice).
    """

    lesson_id: str
    prefix: str
    seed: int
    title: str
    drawn: bool
    step_id: str | None = None


@dataclass(frozen=True)
class ProbeRow:
    """One gradient cell: the learner's number (None: not answered), the finite difference, whether they agree."""

    address: str
    label: str
    yours: float | None
    probe: float
    rel_error: float | None

    @property
    def agrees(self) -> bool | None:
        return None if self.rel_error is None else self.rel_error < PROBE_AGREES


class WorksheetSession:
    """The cells of one worksheet with the learner's answers and their latest marks."""

    def __init__(self, worksheet: Worksheet, origin: Origin, progress=None) -> None:
        self.ws = worksheet
        self.origin = origin
        self.progress = progress
        #: address -> what the learner typed (readable answers only)
        self.answers: dict[str, str] = {}
        #: address -> the latest mark of that answer, judged from the learner's latest numbers
        self.verdicts: dict[str, Verdict] = {}
        #: address -> the number an answer reads as (read once, not again for every cell it feeds)
        self._numbers: dict[str, float | None] = {}
        self._index = {c.address: i for i, c in enumerate(worksheet.cells)}

    @classmethod
    def open(cls, spec: Spec | Mapping | Worksheet, origin: Origin, progress=None) -> "WorksheetSession":
        """A session on `spec` (or on a worksheet made already), with the answers stored for this origin
        read back (SpecError for a bad spec)."""
        if not isinstance(spec, Worksheet):
            spec = Worksheet(spec, _words())
        session = cls(spec, origin, progress)
        session.resume()
        return session

    # --- answers -------------------------------------------------------------------------------

    def resume(self) -> None:
        """Read back the latest stored answer of every cell, then mark them all afresh."""
        if self.progress is None:
            return
        o = self.origin
        for attempt in self.progress.attempts(o.lesson_id):
            if attempt.seed != o.seed or not attempt.step_id.startswith(o.prefix):
                continue
            address = attempt.step_id[len(o.prefix):]
            if address in self._index:
                self.answers[address] = attempt.answer  # attempts come oldest first: the last one wins
        self._numbers = {a: self._read(text) for a, text in self.answers.items()}
        self._regrade(0)

    @staticmethod
    def _read(text: str) -> float | None:
        from engine.worksheet import read_number

        return read_number(text).value

    def earlier(self, address: str) -> dict[str, float]:
        """The learner's numbers for the other cells, as Worksheet.grade takes them (read from what
        they typed; an answer that does not read as a number is left out, as grade would leave it)."""
        return {a: x for a, x in self._numbers.items() if a != address and x is not None}

    def grade(self, address: str, text: str) -> Verdict:
        """Grade one cell, keep and store a readable answer, and mark again the later cells that use it.

        An unreadable answer is answered with its message and changes nothing.
        """
        verdict = self.ws.grade(address, text, self.earlier(address))
        if verdict.error:
            return verdict
        self.answers[address] = text
        self._numbers[address] = self._read(text)
        self.verdicts[address] = verdict
        if self.progress is not None:
            o = self.origin
            self.progress.record_attempt(o.lesson_id, o.prefix + address, text, verdict.correct, verdict.mistake, o.seed)
        self._regrade(self._index[address] + 1)
        o = self.origin
        if self.all_right and o.step_id is not None and self.progress is not None:
            if o.step_id not in self.progress.solved_steps(o.lesson_id):
                self.progress.record_attempt(o.lesson_id, o.step_id, "every cell of the worksheet", True, None, o.seed)
        return verdict

    def _regrade(self, start: int) -> None:
        """Mark again every answered cell from `start` on: a cell is judged from the learner's latest numbers."""
        for c in self.ws.cells[start:]:
            text = self.answers.get(c.address)
            if text is not None:
                self.verdicts[c.address] = self.ws.grade(c.address, text, self.earlier(c.address))

    def number(self, address: str) -> float | None:
        """The learner's number for a cell (None when unanswered)."""
        return self._numbers.get(address)

    # --- where the pass stands -----------------------------------------------------------------

    @property
    def answered(self) -> int:
        return len(self.answers)

    @property
    def right(self) -> int:
        return sum(1 for v in self.verdicts.values() if v.correct)

    @property
    def complete(self) -> bool:
        """Every cell answered (right or not): the pass is done and its summary is due."""
        return len(self.answers) == len(self.ws.cells)

    @property
    def all_right(self) -> bool:
        return self.complete and all(v.correct for v in self.verdicts.values())

    def summary(self):
        """engine.summary.Summary of the latest marks."""
        return self.ws.summary(self.verdicts)

    def picture_numbers(self) -> dict[str, float]:
        """The learner's own numbers by picture quantity (net_h1, a_h1, delta_o1, E): only cells answered."""
        out = {}
        for c in self.ws.cells:
            if c.kind in ("net", "a", "delta", "E"):
                x = self.number(c.address)
                if x is not None:
                    out[c.name] = x
        return out

    def uses(self, address: str) -> list[tuple[str, str | None, bool]]:
        """The numbers a cell is worked from: (symbol, number as shown, whether it is the learner's own).

        So that the list does not give the method away (which weights, which unit's activation), it
        holds what every cell of the same kind in the same layer is worked from: for δ_h1, every
        a_h, every weight out of the hidden layer and every δ_o. An update cell lists its own
        ingredients. A given (weight, bias, input, target, η) is shown to 4 figures; an earlier cell
        is the learner's own number, or None while unanswered: the true value of a cell is never here.
        """
        c = self.ws.cell(address)
        given = {label: value for label, value, _ in self.ws.givens}
        mine = {x.label: x.address for x in self.ws.cells}
        alike = [c] if c.kind.startswith("updated") else [
            x for x in self.ws.cells if x.kind == c.kind and x.layer == c.layer]
        out, seen = [], {x.label for x in alike}
        for name in (n for x in alike for n in _SYMBOL.findall(x.formula.split(" = ", 1)[-1])):
            if name in seen:
                continue
            seen.add(name)
            if name in given:
                out.append((name, f"{given[name]:.4g}", False))
            elif name in mine:
                x = self.number(mine[name])
                out.append((name, None if x is None else f"{x:.6g}", True))
        order = ("a_", "net_", "t_", "w_", "b_", "η", "δ_", "∂E")  # inputs first, then weights, then errors
        return sorted(out, key=lambda u: next((i for i, p in enumerate(order) if u[0].startswith(p)), len(order)))

    def givens_notes(self) -> tuple[str, ...]:
        """Lines for under the picture: the biases and η, which the picture's boxes do not show."""
        s = self.ws.setting
        notes = []
        if s.biases is not None:
            items = [f"{bias_symbol(s.sizes, l, k)} {s.biases[l][k]:.4g}" for l in range(s.depth) for k in range(s.sizes[l + 1])]
            notes.append("  ".join(items))
        if s.eta is not None:
            notes.append(f"η {s.eta:.4g}")
        return tuple(notes)

    # --- the finite-difference probe -----------------------------------------------------------

    def probe(self) -> list[ProbeRow]:
        """Every gradient cell the learner has answered, beside (E(w + ε) − E(w − ε)) / 2ε for its weight or bias.

        Cells not answered yet are left out: the probe checks the learner's numbers, it does not hand out new ones.
        """
        from engine.gradcheck import numerical_gradients, relative_error

        spec = self.ws.spec
        num_w, num_b = numerical_gradients(spec.network, spec.input, spec.target)
        rows = []
        for c in self.ws.cells:
            if c.kind not in ("grad_weights", "grad_biases"):
                continue
            yours = self.number(c.address)
            if yours is None:
                continue
            probe = float(num_w[c.layer][c.unit, c.source] if c.kind == "grad_weights" else num_b[c.layer][c.unit])
            rows.append(ProbeRow(c.address, c.label, yours, probe, float(relative_error(yours, probe))))
        return rows



# --- opening one ---------------------------------------------------------------------------------

def _stored_or_new(progress, seeds, lesson_id: str, key: str, new: bool) -> int:
    """The seed kept for (lesson_id, key), drawn the first time; with `new`, a fresh one replaces it."""
    fresh = lambda: seeds.fresh(lesson_id, key)  # noqa: E731
    if progress is None:
        return fresh()
    if new:
        seed = fresh()
        progress.new_seed(lesson_id, key, seed)
        return seed
    return progress.seed(lesson_id, key, fresh)


def practice_session(progress, seeds, *, new: bool = False) -> WorksheetSession:
    """The practice network kept in the store (drawn the first time; with `new`, a fresh one)."""
    seed = _stored_or_new(progress, seeds, PRACTICE, DRAW_KEY, new)
    origin = Origin(PRACTICE, "", seed, "Practice: the whole pass", drawn=True)
    return WorksheetSession.open(drawn_worksheet(seed), origin, progress)


def file_session(progress, name: str, text: str) -> WorksheetSession:
    """The worksheet of a network from a spec file's text (SpecError for a bad one)."""
    from engine.safe_text import printable
    from engine.spec import parse_spec_text

    spec = parse_spec_text(text, name)
    title = printable(spec.description or name, 60)
    return WorksheetSession.open(spec, Origin(PRACTICE, "", spec_key(spec), f"Practice: {title}", drawn=False), progress)


def lesson_session(progress, seeds, lesson, step, *, new: bool = False) -> WorksheetSession:
    """The worksheet of a lesson's worksheet step, on the step's kept numbers (with `new`, fresh ones)."""
    seed = _stored_or_new(progress, seeds, lesson.id, step.seed_key, new)
    origin = Origin(lesson.id, f"{step.id}/", seed, step.title, drawn=True, step_id=step.id)
    return WorksheetSession.open(drawn_worksheet(seed, step.worksheet), origin, progress)


def _words():
    from lessons.misconceptions import misconception_words

    return misconception_words()
