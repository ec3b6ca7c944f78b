"""The seed-question map points only at lessons and steps that exist, and covers all four seeds."""

import re
from pathlib import Path

from lessons import curriculum

MAP = Path(__file__).resolve().parents[2] / "docs" / "seed-questions.md"


def test_every_step_the_seed_map_names_exists():
    cur = curriculum()
    text = MAP.read_text(encoding="utf-8")
    assert len(re.findall(r"^## Seed 00\d", text, flags=re.M)) == 4
    rows = [line for line in text.splitlines() if line.startswith("| ") and not line.startswith("| confusion")]
    assert len(rows) >= 20
    for row in rows:
        _, lesson_cell, steps_cell = [c.strip() for c in row.strip("|").rsplit("|", 2)]
        lesson_ids = [s.strip() for s in re.split(r"[,;]", lesson_cell)]
        lessons = [cur.lesson(i) for i in lesson_ids]  # KeyError names an unknown lesson
        ids = {s.id for lesson in lessons for s in lesson.steps} | {q.id for lesson in lessons for q in lesson.quiz}
        mistakes = {
            m.id
            for lesson in lessons
            for spec in [s.exercise for s in lesson.exercise_steps] + list(lesson.quiz)
            for m in spec.mistakes
        }
        for name in re.findall(r"`([^`]+)`", re.sub(r"\(mistakes? [^)]*\)", "", steps_cell)):
            assert name in ids, f"{name!r} is not a step of {lesson_cell}"
        for group in re.findall(r"mistakes? ([^)]*)\)", steps_cell):
            for name in re.findall(r"`([^`]+)`", group):
                assert name in mistakes, f"{name!r} is not a mistake of {lesson_cell}"
