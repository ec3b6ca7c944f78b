"""The exercise model: a specification from lesson data, realised with fresh numbers from a seed."""

from __future__ import annotations

import math
import string
from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any, Literal, Mapping, Sequence

from engine import answers, scenarios
from engine.answers import Mistake, Preview, Tolerance, Verdict

Kind = Literal["expression", "number", "choice"]
KINDS: tuple[str, ...] = ("expression", "number", "choice")

#: Number exercises accept a relative error of 2e-3 by default (not check()'s 1e-3): learners
#: round each intermediate result to the 4 significant figures the screen shows, and two or three
#: such roundings in a chain can add up to more than 1e-3.
NUMBER_TOLERANCE = 2e-3
#: A draw is rejected when a catalogued mistake lands within this many tolerances of the answer
#: (or of a different catalogued mistake).
SEPARATION = 2.0
MAX_DRAWS = 200
EMPTY: Mapping[str, Any] = MappingProxyType({})


class ExerciseError(ValueError):
    """A lesson's exercise cannot be realised (bad template, unknown scenario, no usable draw)."""


@dataclass(frozen=True)
class Choice:
    """One option of a choice exercise; a wrong option may name the mistake it embodies."""

    key: str
    text: str
    correct: bool = False
    mistake: str | None = None


@dataclass(frozen=True)
class MistakeSpec:
    """A catalogued wrong answer: a broken variant of the computation, with the feedback that names it.

    For expression exercises `answer` is a formula in the exercise's variables; for number exercises
    it is a formula over the scenario's values (evaluated like the reference); for choice exercises
    it is empty and the mistake is reached through a choice's `mistake`.
    `forms` are other ways of writing the same mistake, or other answers the same misconception
    produces (the power rule applied to e^(−x) gives −x·e^(−x−1) or e^(−2x)); all are diagnosed alike.
    """

    id: str
    answer: str
    feedback: str
    forms: tuple[str, ...] = ()


@dataclass(frozen=True)
class ExerciseSpec:
    """An exercise as the lesson data describes it: the same for every learner, before numbers are drawn."""

    id: str
    kind: Kind
    prompt: str
    answer: str
    hints: tuple[str, ...]
    solution: str
    scenario: str | None = None
    params: Mapping[str, Any] = field(default_factory=lambda: EMPTY)
    variables: tuple[str, ...] = ()
    definitions: Mapping[str, str] = field(default_factory=lambda: EMPTY)
    domain: Mapping[str, tuple[float, float]] = field(default_factory=lambda: EMPTY)
    indices: Mapping[str, int] = field(default_factory=lambda: EMPTY)
    tolerance: float | None = None
    mistakes: tuple[MistakeSpec, ...] = ()
    choices: tuple[Choice, ...] = ()
    accept: tuple[str, ...] = ()
    engine_value: str | None = None
    derivative: tuple[str, str] | None = None
    forbid: tuple[str, ...] = ()
    #: a count (rows of a matrix, entries of a vector): only a whole number is accepted
    integer: bool = False

    def mistake(self, mistake_id: str) -> MistakeSpec:
        """The catalogued mistake with this id."""
        for m in self.mistakes:
            if m.id == mistake_id:
                return m
        raise KeyError(mistake_id)

    @property
    def rel_tolerance(self) -> float:
        """The relative tolerance a number exercise grades with."""
        return self.tolerance if self.tolerance is not None else NUMBER_TOLERANCE


# --- templates -------------------------------------------------------------------------------


MINUS = "\u2212"  # the minus sign the prose uses; the answer box reads it as "-"


class _Num(float):
    """A float that formats to 4 significant figures unless a format spec says otherwise, with the
    prose's minus sign (−), so that e^(−(−0.3852)) does not mix it with an ASCII hyphen."""

    def __format__(self, spec: str) -> str:
        text = answers.format_number(float(self)) if not spec else format(float(self), spec)
        return text.replace("-", MINUS)


class _Formatter(string.Formatter):
    def get_value(self, key, args, kwargs):  # noqa: D102 - string.Formatter protocol
        try:
            return kwargs[key]
        except KeyError:
            raise ExerciseError(f"template uses {{{key}}}, which the scenario does not provide") from None


_FORMATTER = _Formatter()


def fill(template: str, values: Mapping[str, Any]) -> str:
    """Fill `{name}` placeholders with values (numbers to 4 significant figures); `{{` is a brace."""
    wrapped = {k: _Num(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else v for k, v in values.items()}
    return _FORMATTER.vformat(template, (), wrapped)


def displayed(values: Mapping[str, float]) -> dict[str, float]:
    """The values as the learner sees them: each rounded to 4 significant figures."""
    return {k: float(answers.format_number(v)) for k, v in values.items()}


# --- realised exercises ----------------------------------------------------------------------


@dataclass(frozen=True)
class Exercise:
    """An exercise with its numbers drawn: what the learner sees and what their answer is graded against."""

    spec: ExerciseSpec
    seed: int
    values: Mapping[str, float] = field(default_factory=dict)
    context: Any = None
    #: (id, quantity, value) of the engine's misconceptions at this step's engine quantity
    generated: tuple[tuple[str, str, float], ...] = ()
    #: the misconceptions' words (engine.worksheet.Words), for the generated ones' feedback
    words: Any = field(default=None, compare=False)

    @property
    def kind(self) -> str:
        return self.spec.kind

    def _template_values(self) -> dict[str, Any]:
        vals: dict[str, Any] = dict(self.values)
        if self.spec.kind == "number":
            vals["answer"] = self.expected_value
        return vals

    @property
    def prompt(self) -> str:
        """The question with the learner's numbers."""
        return fill(self.spec.prompt, self.values)

    @property
    def hints(self) -> tuple[str, ...]:
        """The hint ladder, from a nudge to nearly the answer, with the learner's numbers."""
        return tuple(fill(h, self.values) for h in self.spec.hints)

    @property
    def solution(self) -> str:
        """The worked solution with the learner's numbers (`{answer}` is the reference number)."""
        return fill(self.spec.solution, self._template_values())

    @property
    def choices(self) -> tuple[Choice, ...]:
        """The options of a choice exercise, with the learner's numbers filled in."""
        return tuple(Choice(c.key, fill(c.text, self.values), c.correct, c.mistake) for c in self.spec.choices)

    @property
    def expected_value(self) -> float:
        """The reference number of a number exercise, at full precision."""
        return answers.evaluate(self.spec.answer, self.values)

    @property
    def expected(self) -> str:
        """The reference answer in answer syntax: a formula, a number, or a choice key."""
        if self.spec.kind == "number":
            return repr(self.expected_value)
        if self.spec.kind == "choice":
            return next(c.key for c in self.spec.choices if c.correct)
        return self.spec.answer

    def preview(self, answer: str) -> Preview:
        """How the answer was read, without saying whether it is right."""
        if self.spec.kind == "choice":
            key = answer.strip().lower()
            text = next((c.text for c in self.choices if c.key == key), None)
            if text is None:
                return Preview(False, "", (), f"choose one of {', '.join(c.key for c in self.spec.choices)}")
            return Preview(True, f"({key}) {text}", (), None)
        return answers.preview(
            answer,
            self.spec.variables,
            definitions=dict(self.spec.definitions),
            indices=dict(self.spec.indices),
            kind=self.spec.kind,
        )

    def grade(self, answer: str) -> Verdict:
        """Judge an answer; never raises, and a wrong answer that matches a catalogued mistake is named."""
        if self.spec.kind == "choice":
            return self._grade_choice(answer)
        if self.spec.kind == "number":
            return self._whole(self._grade_number(answer), answer)
        return answers.check(
            answer,
            self.spec.answer,
            self.spec.variables,
            definitions=dict(self.spec.definitions),
            domain=dict(self.spec.domain),
            indices=dict(self.spec.indices),
            tolerance=Tolerance(rel=self.spec.tolerance) if self.spec.tolerance is not None else None,
            mistakes=[
                Mistake(m.id, form, fill(m.feedback, self.values))
                for m in self.spec.mistakes
                for form in (m.answer, *m.forms)
            ],
            kind="expression",
            forbid=self.spec.forbid,
            accept=self.spec.accept,
        )

    def _whole(self, verdict: Verdict, answer: str) -> Verdict:
        """A count that is not a whole number (7.005 rows) is not right, however close, and the
        feedback says so rather than talking about rounding."""
        if not self.spec.integer or verdict.error or verdict.mistake:
            return verdict
        try:
            value = answers.evaluate(answer)  # graded without error, so it reads as a number
        except ValueError:
            return verdict
        if not math.isfinite(value) or value == round(value):
            return verdict
        return Verdict(False, "This asks for a count, so the answer is a whole number: how many, exactly?",
                       verdict.interpreted, verdict.warnings)

    def _grade_choice(self, answer: str) -> Verdict:
        key = answer.strip().lower()
        chosen = next((c for c in self.choices if c.key == key), None)
        if chosen is None:
            keys = ", ".join(c.key for c in self.spec.choices)
            return Verdict(False, f"Type the letter of one option: {keys}.", "", error="not an option")
        interpreted = f"({chosen.key}) {chosen.text}"
        if chosen.correct:
            return Verdict(True, "Right.", interpreted)
        if chosen.mistake:
            m = self.spec.mistake(chosen.mistake)
            return Verdict(False, fill(m.feedback, self.values), interpreted, mistake=m.id)
        return Verdict(False, "Not this one. Take a hint, or reread the step above.", interpreted)

    def _grade_number(self, answer: str) -> Verdict:
        tol = Tolerance(rel=self.spec.rel_tolerance)
        shown = displayed(self.values)
        mistakes = []
        for m in self.spec.mistakes:
            for form in (m.answer, *m.forms):
                for vals in (self.values, shown):
                    mistakes.append(Mistake(m.id, repr(answers.evaluate(form, vals)), fill(m.feedback, self.values)))
        first = None
        # Accept the answer computed at full precision and the one computed from the numbers on screen.
        for vals in (self.values, shown):
            verdict = answers.check(
                answer, repr(answers.evaluate(self.spec.answer, vals)), (), tolerance=tol, mistakes=mistakes, kind="number"
            )
            if verdict.correct or verdict.error:
                return verdict
            first = first or verdict
        assert first is not None
        if first.mistake is None and self.generated:
            return self._generated_verdict(answer, first, [float(m.answer) for m in mistakes])
        return first

    def _generated_verdict(self, answer: str, verdict: Verdict, written: list[float]) -> Verdict:
        """The verdict naming the engine misconception the answer matches, if exactly one does.

        The step's own mistakes come first: a generated one that lands on a hand-written one's
        number is left to it, and two generated ones that land together are both left out (the
        tutor names neither). Matched as answers.check matches catalogued numbers, to the
        tolerance relative to the larger of the answer, the mistake and the reference.
        """
        from engine.worksheet import read_number  # numpy is loaded by now: this step has a network

        value = read_number(answer).value
        if value is None:
            return verdict
        rel, ref = self.spec.rel_tolerance, abs(self.expected_value)
        kept = [
            (mid, quantity, x) for mid, quantity, x in self.generated
            if not any(_close(x, w, rel) for w in written)
            and not any(other != mid and _close(x, y, rel) for other, _, y in self.generated)
        ]
        hits = [(abs(value - x), mid, quantity) for mid, quantity, x in kept
                if abs(value - x) <= rel * max(abs(value), abs(x), ref) + 1e-9]
        if not hits:
            return verdict
        _, mid, quantity = min(hits)
        own = next((m for m in self.spec.mistakes if m.id == mid), None)
        if own is not None:
            feedback = fill(own.feedback, self.values)
        else:
            feedback = (self.words.feedback(mid, quantity) if self.words is not None else None) or (
                f"Not right: that is the number a known slip gives at this step ({mid.replace('-', ' ')}).")
        return replace(verdict, feedback=feedback, mistake=mid)


# --- drawing numbers -------------------------------------------------------------------------


def _close(x: float, y: float, rel: float) -> bool:
    return abs(x - y) <= SEPARATION * rel * max(abs(x), abs(y)) + 1e-12


def _usable(spec: ExerciseSpec, values: Mapping[str, float], generated=()) -> bool:
    """True when the draw gives a finite answer that no catalogued or generated mistake comes close
    to, and no two different catalogued mistakes come close to each other."""
    if spec.kind != "number":
        return True
    shown = displayed(values)
    refs = [answers.evaluate(spec.answer, v) for v in (values, shown)]
    if not all(math.isfinite(r) for r in refs):
        return False
    if any(_close(x, r, spec.rel_tolerance) for _, _, x in generated for r in refs):
        return False
    seen: list[tuple[str, float]] = []
    for m in spec.mistakes:
        for form in (m.answer, *m.forms):
            for v in (values, shown):
                wrong = answers.evaluate(form, v)
                if not math.isfinite(wrong):
                    continue
                if any(_close(wrong, r, spec.rel_tolerance) for r in refs):
                    return False
                # Two different mistakes that land together could not be told apart: the learner
                # would be told about the wrong one.
                if any(other != m.id and _close(wrong, x, spec.rel_tolerance) for other, x in seen):
                    return False
                seen.append((m.id, wrong))
    return True


#: Accepted draws by (scenario, params, seed, group): every step of a worked example shares one draw,
#: and checking a draw against every mistake of every step of its group is the costly part, so it is
#: done once per seed rather than each time one of those steps is shown. Oldest dropped first.
#: Each entry keeps the group, the draw, and the generated misconceptions of each step by id.
_ACCEPTED: dict[tuple, tuple[tuple[ExerciseSpec, ...], Any, dict]] = {}
MAX_KEPT_DRAWS = 64


def realize(spec: ExerciseSpec, seed: int, *, group: Sequence[ExerciseSpec] = (), words: Any = None) -> Exercise:
    """Draw the numbers for `spec` from `seed`; the same seed always gives the same exercise.

    A draw is re-drawn (from the same random stream) while any catalogued mistake, or any of the
    engine's misconceptions at the step's `engine_value`, lands within tolerance of the right
    answer, so a wrong method is never marked right. `group` lists every spec that shares this
    spec's draw (a worked example spread over several steps): the draw is accepted only when it is
    usable for all of them, so they all see the same numbers. `words` (engine.worksheet.Words)
    gives the generated misconceptions their feedback.
    """
    if spec.scenario is None:
        return Exercise(spec, seed, words=words)
    members = tuple(group) or (spec,)
    key = (spec.scenario, repr(sorted(spec.params.items())), int(seed), tuple(id(m) for m in members))
    kept = _ACCEPTED.get(key)
    if kept is not None and all(a is b for a, b in zip(kept[0], members)):
        return Exercise(spec, seed, dict(kept[1].values), kept[1].context, kept[2].get(spec.id, ()), words)
    draw_fn = scenarios.get(spec.scenario)
    import numpy as np  # here, not at the top: loading lessons for the first screen must stay light

    from engine.step_variants import generated_mistakes, worksheet_for

    rng = np.random.default_rng(seed)
    diagnosed = [s for s in members if s.kind == "number" and s.engine_value]
    for _ in range(MAX_DRAWS):
        draw = draw_fn(rng, spec.params)
        sheet = worksheet_for(draw) if diagnosed else None
        generated = {s.id: generated_mistakes(s.engine_value, draw, sheet) for s in diagnosed}
        if all(_usable(s, draw.values, generated.get(s.id, ())) for s in members):
            _ACCEPTED[key] = (members, draw, generated)
            while len(_ACCEPTED) > MAX_KEPT_DRAWS:
                del _ACCEPTED[next(iter(_ACCEPTED))]
            return Exercise(spec, seed, dict(draw.values), draw.context, generated.get(spec.id, ()), words)
    raise ExerciseError(f"{spec.id}: no draw of scenario {spec.scenario!r} keeps every mistake apart from the answer")
