"""Read the lesson folders (TOML manifest + Markdown prose) into typed lessons, checking their shape."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

from engine.exercises import KINDS, Choice, ExerciseSpec, MistakeSpec
from lessons.model import VISUALS, Curriculum, Lesson, Step

FORMAT_VERSION = 1
CONTENT = Path(__file__).parent / "content"
MANIFEST = "lesson.toml"
#: Reference pages kept beside the lessons, by name.
PAGES = ("legend", "typing")


class LessonError(ValueError):
    """A lesson file is missing, malformed, or refers to something that does not exist."""


class _Table:
    """A TOML table read with the path of its file, so every error names where it is."""

    def __init__(self, data: Mapping[str, Any], where: str, allowed: set[str]):
        unknown = set(data) - allowed
        if unknown:
            raise LessonError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
        self.data, self.where = data, where

    def get(self, key: str, kind: type | tuple[type, ...], default: Any = ...) -> Any:
        if key not in self.data:
            if default is ...:
                raise LessonError(f"{self.where}: missing field {key!r}")
            return default
        value = self.data[key]
        if not isinstance(value, kind) or isinstance(value, bool) and bool not in _as_tuple(kind):
            raise LessonError(f"{self.where}: field {key!r} has the wrong type ({type(value).__name__})")
        return value

    def strings(self, key: str) -> tuple[str, ...]:
        items = self.get(key, list, [])
        if not all(isinstance(s, str) for s in items):
            raise LessonError(f"{self.where}: {key!r} must be a list of strings")
        return tuple(items)


def _as_tuple(kind: type | tuple[type, ...]) -> tuple[type, ...]:
    return kind if isinstance(kind, tuple) else (kind,)


_EXERCISE_FIELDS = {
    "id", "kind", "prompt", "answer", "hints", "solution", "scenario", "params", "variables", "definitions",
    "domain", "indices", "tolerance", "mistakes", "choices", "accept", "engine_value", "derivative", "forbid",
    "integer",
}
_STEP_FIELDS = {"type", "title", "text", "visual", "group", "gradcheck", "worksheet"} | _EXERCISE_FIELDS
#: What a worksheet step may say about the network it draws (engine.practice.draw_spec's options).
_WORKSHEET_FIELDS = {"layers", "activations", "loss", "biases", "learning_rate"}
#: A worksheet is worked by hand: at most this many layers, and units per layer.
MAX_WORKSHEET_LAYERS, MAX_WORKSHEET_UNITS = 4, 4


def _mistake(data: Mapping[str, Any], where: str) -> MistakeSpec:
    t = _Table(data, where, {"id", "answer", "feedback", "forms"})
    return MistakeSpec(t.get("id", str), t.get("answer", str, ""), t.get("feedback", str), t.strings("forms"))


def _choice(data: Mapping[str, Any], where: str) -> Choice:
    t = _Table(data, where, {"key", "text", "correct", "mistake"})
    return Choice(t.get("key", str), t.get("text", str), t.get("correct", bool, False), t.get("mistake", str, None))


def _exercise(t: _Table, scenario: str | None, params: Mapping[str, Any]) -> ExerciseSpec:
    where = t.where
    kind = t.get("kind", str)
    if kind not in KINDS:
        raise LessonError(f"{where}: kind must be one of {', '.join(KINDS)}, not {kind!r}")
    mistakes = tuple(_mistake(m, f"{where} mistake {i + 1}") for i, m in enumerate(t.get("mistakes", list, [])))
    choices = tuple(_choice(c, f"{where} choice {i + 1}") for i, c in enumerate(t.get("choices", list, [])))
    domain = {
        name: (float(lo_hi[0]), float(lo_hi[1])) for name, lo_hi in t.get("domain", dict, {}).items()
    }
    derivative = t.get("derivative", dict, None)
    if derivative is not None:
        d = _Table(derivative, f"{where} derivative", {"of", "wrt"})
        derivative = (d.get("of", str), d.get("wrt", str))
    answer = t.get("answer", str, "")
    if kind == "choice":
        correct = [c.key for c in choices if c.correct]
        if len(choices) < 2 or len(correct) != 1:
            raise LessonError(f"{where}: a choice exercise needs two or more choices and exactly one correct")
        answer = correct[0]
        ids = {m.id for m in mistakes}
        for c in choices:
            if c.mistake is not None and c.mistake not in ids:
                raise LessonError(f"{where}: choice {c.key!r} names unknown mistake {c.mistake!r}")
    elif not answer:
        raise LessonError(f"{where}: missing field 'answer'")
    return ExerciseSpec(
        id=t.get("id", str),
        kind=kind,
        prompt=t.get("prompt", str),
        answer=answer,
        hints=t.strings("hints"),
        solution=t.get("solution", str),
        scenario=scenario,
        params=MappingProxyType(dict(params)),
        variables=t.strings("variables"),
        definitions=MappingProxyType(dict(t.get("definitions", dict, {}))),
        domain=MappingProxyType(domain),
        indices=MappingProxyType(dict(t.get("indices", dict, {}))),
        tolerance=t.get("tolerance", (int, float), None),
        mistakes=mistakes,
        choices=choices,
        accept=t.strings("accept"),
        engine_value=t.get("engine_value", str, None),
        derivative=derivative,
        forbid=t.strings("forbid"),
        integer=t.get("integer", bool, False),
    )


def _worksheet(data: Mapping[str, Any], where: str) -> Mapping[str, Any]:
    """The options of a worksheet step's drawn network, checked for their shape."""
    t = _Table(data, where, _WORKSHEET_FIELDS)
    out: dict[str, Any] = {}
    if "layers" in data:
        layers = t.get("layers", list)
        if not (2 <= len(layers) <= MAX_WORKSHEET_LAYERS
                and all(type(n) is int and 1 <= n <= MAX_WORKSHEET_UNITS for n in layers)):
            raise LessonError(f"{where}: layers must be 2 to {MAX_WORKSHEET_LAYERS} whole numbers from 1 to "
                              f"{MAX_WORKSHEET_UNITS}")
        out["layers"] = tuple(layers)
    if "activations" in data:
        out["activations"] = t.strings("activations")
    for key, kind in (("loss", str), ("biases", bool), ("learning_rate", bool)):
        if key in data:
            out[key] = t.get(key, kind)
    return MappingProxyType(out)


def _read_text(folder: Path, name: str, where: str, used: set[str]) -> str:
    path = folder / name
    if not path.is_file():
        raise LessonError(f"{where}: file {name!r} does not exist in {folder.name}/")
    used.add(name)
    return path.read_text(encoding="utf-8")


def load_lesson(folder: Path, order: int = 0) -> Lesson:
    """Load one lesson folder; LessonError says what is wrong and where."""
    manifest = folder / MANIFEST
    where = f"{folder.name}/{MANIFEST}"
    try:
        raw = tomllib.loads(manifest.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise LessonError(f"{folder.name}/: no {MANIFEST}") from None
    except tomllib.TOMLDecodeError as exc:
        raise LessonError(f"{where}: {exc}") from None
    top = _Table(raw, where, {"format_version", "id", "title", "summary", "steps", "quiz"})
    if top.get("format_version", int) != FORMAT_VERSION:
        raise LessonError(f"{where}: format_version must be {FORMAT_VERSION}")
    used: set[str] = set()
    steps: list[Step] = []
    group_scenarios: dict[str, tuple[str | None, Any]] = {}
    for i, data in enumerate(top.get("steps", list)):
        sw = f"{where} step {i + 1}"
        t = _Table(data, sw, _STEP_FIELDS)
        step_type = t.get("type", str)
        sid = t.get("id", str)
        sw = f"{where} step {sid!r}"
        t.where = sw
        text = _read_text(folder, t.get("text", str), sw, used) if "text" in t.data else ""
        visual = t.get("visual", str, None)
        if visual is not None and visual not in VISUALS:
            raise LessonError(f"{sw}: visual must be one of {', '.join(VISUALS)}")
        scenario, params, group = t.get("scenario", str, None), t.get("params", dict, {}), t.get("group", str, None)
        if group is not None:
            if scenario is not None:
                if group in group_scenarios and group_scenarios[group] != (scenario, params):
                    raise LessonError(f"{sw}: every step of group {group!r} must use the same scenario and params")
                group_scenarios[group] = (scenario, params)
            elif group in group_scenarios:
                scenario, params = group_scenarios[group]
            else:
                raise LessonError(f"{sw}: the first step of group {group!r} must name its scenario")
        worksheet = None
        if step_type == "worksheet":
            exercise = None
            extra = set(t.data) - {"id", "type", "title", "text", "worksheet"}
            if extra:
                raise LessonError(f"{sw}: a worksheet step cannot have {', '.join(sorted(extra))}")
            if not text:
                raise LessonError(f"{sw}: a worksheet step needs a text file")
            worksheet = _worksheet(t.get("worksheet", dict, {}), f"{sw} worksheet")
        elif step_type == "exercise":
            exercise = _exercise(t, scenario, params)
            if exercise.id != sid:
                raise LessonError(f"{sw}: internal id mismatch")
        elif step_type == "explanation":
            exercise = None
            extra = set(t.data) & (_EXERCISE_FIELDS - {"id", "scenario", "params"})
            if extra:
                raise LessonError(f"{sw}: an explanation step cannot have {', '.join(sorted(extra))}")
            if not text:
                raise LessonError(f"{sw}: an explanation step needs a text file")
        else:
            raise LessonError(f"{sw}: type must be 'explanation', 'exercise' or 'worksheet'")
        steps.append(
            Step(
                id=sid,
                type=step_type,
                title=t.get("title", str),
                text=text,
                exercise=exercise,
                visual=visual,
                scenario=scenario,
                params=MappingProxyType(dict(params)),
                group=group,
                gradcheck=t.get("gradcheck", bool, False),
                worksheet=worksheet,
            )
        )
    quiz = []
    for i, data in enumerate(top.get("quiz", list, [])):
        t = _Table(data, f"{where} quiz {i + 1}", _EXERCISE_FIELDS)
        quiz.append(_exercise(t, t.get("scenario", str, None), t.get("params", dict, {})))
    orphans = {p.name for p in folder.glob("*.md")} - used
    if orphans:
        raise LessonError(f"{folder.name}/: file(s) no step uses: {', '.join(sorted(orphans))}")
    lesson = Lesson(top.get("id", str), top.get("title", str), top.get("summary", str), order, tuple(steps), tuple(quiz), folder)
    _check_ids(lesson, where)
    return lesson


def _check_ids(lesson: Lesson, where: str) -> None:
    ids = [s.id for s in lesson.steps] + [q.id for q in lesson.quiz]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise LessonError(f"{where}: duplicate id(s) {', '.join(dupes)}")


def load_curriculum(root: Path | None = None, *, skip_broken: bool = False) -> Curriculum:
    """Load every lesson under `root` (ordered by folder name) and the reference pages.

    With `skip_broken`, a lesson that fails to load is left out and its error kept in
    `Curriculum.problems`, so the app still opens while a lesson is being written; otherwise the
    first problem raises LessonError.
    """
    root = root or CONTENT
    folders = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(("_", "."))) if root.is_dir() else []
    lessons: list[Lesson] = []
    problems: list[str] = []
    for order, folder in enumerate(folders, start=1):
        try:
            lesson = load_lesson(folder, order)
            if lesson.id in {known.id for known in lessons}:
                raise LessonError(f"duplicate lesson id: {lesson.id} ({folder.name}/)")
        except (LessonError, OSError, ValueError) as exc:
            if not skip_broken:
                raise
            problems.append(str(exc))
            continue
        lessons.append(lesson)
    pages = {}
    for name in PAGES:
        path = root / f"{name}.md"
        if path.is_file():
            pages[name] = path.read_text(encoding="utf-8")
    return Curriculum(tuple(lessons), MappingProxyType(pages), tuple(problems))


@lru_cache(maxsize=1)
def curriculum() -> Curriculum:
    """The shipped curriculum, loaded once."""
    return load_curriculum()
