"""`backprop-tutor class report`: each learner's progress and the class's most common misconceptions.

Learner files are opened read-only: a report never changes, moves or locks out a learner's file, and
one that cannot be read is named in the report and skipped.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import sys
import textwrap
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from tutor.learners import LEARNERS_DIR, REGISTRY_NAME, Registry
from tutor.progress_schema import DB_NAME

WIDTH = 80
#: Misconceptions shown per learner in text and CSV (JSON has them all), and for the class.
PER_LEARNER, FOR_CLASS = 3, 5


@dataclass
class LearnerReport:
    """What the teacher sees of one learner."""

    name: str
    folder: str
    lessons_done: int = 0
    lessons_in_progress: int = 0
    lessons_done_ids: list[str] = field(default_factory=list)
    quizzes: int = 0
    quiz_last: dict | None = None
    quiz_best: dict | None = None
    items_due: int = 0
    answers: int = 0
    right: int = 0
    #: [{"id": misconception id, "count": n}], most frequent first
    mistakes: list[dict] = field(default_factory=list)
    #: why this learner's file could not be read (then the numbers above are empty)
    error: str | None = None


def _open_read_only(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False, timeout=5)
    conn.execute("PRAGMA query_only = ON")
    return conn


def _learner_report(name: str, folder: Path, curriculum: Any, now: float) -> LearnerReport:
    from tutor.progress import Progress

    report = LearnerReport(name=name, folder=folder.name)
    path = folder / DB_NAME
    if not path.exists():
        return report  # signed in, nothing recorded yet
    try:
        conn = _open_read_only(path)
    except sqlite3.Error as exc:
        report.error = f"could not be opened ({exc})"
        return report
    try:
        store = Progress(conn, saving=False, notice=None, path=path)
        summary = store.summary(curriculum)
        report.lessons_done_ids = [item["id"] for item in summary["lessons"] if item["status"] == "done"]
        report.lessons_done = len(report.lessons_done_ids)
        report.lessons_in_progress = summary["totals"]["in progress"]
        runs = conn.execute("SELECT run, MAX(score), MAX(total), MAX(at) FROM quiz_results WHERE total > 0 "
                            "GROUP BY run ORDER BY MAX(at), run").fetchall()
        report.quizzes = len(runs)
        if runs:
            _, score, total, _ = runs[-1]
            report.quiz_last = {"score": score, "total": total}
            _, score, total, _ = max(runs, key=lambda r: (r[1] / r[2], r[2], r[3]))
            report.quiz_best = {"score": score, "total": total}
        report.items_due = conn.execute("SELECT COUNT(*) FROM quiz_items WHERE due <= ?", (now,)).fetchone()[0]
        report.answers, report.right = conn.execute(
            "SELECT COUNT(*), COALESCE(SUM(correct), 0) FROM attempts").fetchone()
        counts = conn.execute("SELECT mistake, COUNT(*) FROM attempts WHERE mistake IS NOT NULL AND mistake != '' "
                              "GROUP BY mistake").fetchall()
        report.mistakes = [{"id": m, "count": n} for m, n in sorted(counts, key=lambda r: (-r[1], r[0]))]
    except sqlite3.Error as exc:
        report = LearnerReport(name=name, folder=folder.name, error=f"could not be read ({exc})")
    finally:
        conn.close()
    return report


def _mistake_places(folder: Path) -> list[tuple[str, str, str]]:
    """(misconception, lesson, step) for every attempt of this learner that named one."""
    try:
        conn = _open_read_only(folder / DB_NAME)
        try:
            return conn.execute("SELECT mistake, lesson_id, step_id FROM attempts "
                                "WHERE mistake IS NOT NULL AND mistake != ''").fetchall()
        finally:
            conn.close()
    except sqlite3.Error:
        return []


def _learners(data_dir: Path) -> tuple[list[tuple[str, Path]], list[str]]:
    """(name, folder) for everyone in the class list, then any folder with progress but no entry; notes."""
    notes: list[str] = []
    found: dict[str, tuple[str, Path]] = {}
    if (data_dir / REGISTRY_NAME).exists():
        try:
            with Registry(data_dir) as registry:
                for learner in registry.learners():
                    found[learner.folder.name] = (learner.name, learner.folder)
        except sqlite3.Error as exc:
            notes.append(f"{REGISTRY_NAME} could not be read ({exc}); learners are named by folder")
    root = data_dir / LEARNERS_DIR
    if root.is_dir():
        for folder in sorted(root.iterdir()):
            if folder.is_dir() and folder.name not in found and (folder / DB_NAME).exists():
                found[folder.name] = (folder.name, folder)
    return sorted(found.values(), key=lambda item: (item[0].casefold(), item[1].name)), notes


def build(data_dir: Path, curriculum: Any, *, now: float | None = None) -> dict:
    """The whole report as plain data (what --json prints)."""
    now = time.time() if now is None else now
    data_dir = Path(data_dir)
    learners, notes = _learners(data_dir)
    reports = [_learner_report(name, folder, curriculum, now) for name, folder in learners]
    totals: Counter[str] = Counter()
    places: dict[str, Counter[str]] = {}
    who: dict[str, set[str]] = {}
    for (name, folder), report in zip(learners, reports):
        if report.error:
            continue
        for mistake, lesson_id, step_id in _mistake_places(folder):
            totals[mistake] += 1
            places.setdefault(mistake, Counter())[f"{lesson_id}/{step_id}"] += 1
            who.setdefault(mistake, set()).add(folder.name)
    common = sorted(totals.items(), key=lambda item: (-item[1], item[0]))[:FOR_CLASS]
    return {
        "data_dir": str(data_dir),
        "generated_at": now,
        "lessons": len(curriculum.lessons),
        "learners": [asdict(r) for r in reports],
        "class": {"mistakes": [
            {"id": m, "count": n, "learners": len(who[m]),
             "steps": [{"step": s, "count": c} for s, c in sorted(places[m].items(), key=lambda i: (-i[1], i[0]))]}
            for m, n in common]},
        "unreadable": [{"name": r.name, "folder": r.folder, "error": r.error} for r in reports if r.error],
        "notes": notes,
    }


# -- formats ----------------------------------------------------------------------------------------

def _score(quiz: dict | None) -> str:
    return "–" if not quiz else f"{quiz['score']}/{quiz['total']}"


def _fit(text: str, width: int) -> str:
    from rich.cells import cell_len, set_cell_size

    return text if cell_len(text) <= width else set_cell_size(text, width - 1) + "…"


def format_text(report: dict) -> str:
    """The report in plain text, every line at most 80 columns."""
    from rich.cells import set_cell_size

    lines = [_fit(f"Class report for {report['data_dir']}", WIDTH),
             f"{len(report['learners'])} learner(s), {report['lessons']} lessons, "
             f"{time.strftime('%Y-%m-%d %H:%M', time.localtime(report['generated_at']))}", ""]
    if not report["learners"]:
        lines.append("No learners yet: they appear here after signing in to `backprop-tutor serve`.")
    else:
        name_w = 22
        head = f"{'learner':<{name_w}} {'done':>6} {'begun':>5} {'quizzes':>7} {'last':>6} {'best':>6} " \
               f"{'due':>4} {'answers':>7} {'right':>6}"
        lines += [head, "-" * len(head)]
        n_lessons = report["lessons"]
        for r in report["learners"]:
            name = set_cell_size(_fit(r["name"], name_w), name_w)
            if r["error"]:
                lines.append(_fit(f"{name} file {r['error']}", WIDTH))
                continue
            lines.append(f"{name} {r['lessons_done']:>3}/{n_lessons:<2} {r['lessons_in_progress']:>5} "
                         f"{r['quizzes']:>7} {_score(r['quiz_last']):>6} {_score(r['quiz_best']):>6} "
                         f"{r['items_due']:>4} {r['answers']:>7} {r['right']:>6}")
            if r["mistakes"]:
                top = ", ".join(f"{m['id']} ×{m['count']}" for m in r["mistakes"][:PER_LEARNER])
                lines += textwrap.wrap(f"mistakes: {top}", WIDTH, initial_indent="  ", subsequent_indent="    ")
    lines += ["", f"Most common misconceptions in the class (top {FOR_CLASS})"]
    common = report["class"]["mistakes"]
    if not common:
        lines.append("  none named yet")
    for rank, m in enumerate(common, 1):
        lines.append(_fit(f"{rank:>2}. {m['id']}: {m['count']} time(s), {m['learners']} learner(s)", WIDTH))
        where = ", ".join(f"{s['step']} ({s['count']})" for s in m["steps"])
        lines += textwrap.wrap(f"at {where}", WIDTH, initial_indent="    ", subsequent_indent="    ",
                               break_on_hyphens=False)
    if report["unreadable"] or report["notes"]:
        lines += ["", "Could not be read (left as they are):"]
        for u in report["unreadable"]:
            lines += textwrap.wrap(f"{u['name']} ({LEARNERS_DIR}/{u['folder']}): {u['error']}", WIDTH,
                                   initial_indent="  ", subsequent_indent="    ")
        for note in report["notes"]:
            lines += textwrap.wrap(note, WIDTH, initial_indent="  ", subsequent_indent="    ")
    return "\n".join(_fit(line, WIDTH).rstrip() for line in lines) + "\n"


CSV_FIELDS = ("learner", "folder", "lessons_done", "lessons_total", "lessons_in_progress", "quizzes", "quiz_last",
              "quiz_best", "items_due", "answers", "right", "top_misconceptions", "error")


def format_csv(report: dict) -> str:
    """One row per learner; then, after an empty row, the class's most common misconceptions."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_FIELDS)
    for r in report["learners"]:
        writer.writerow([r["name"], r["folder"], r["lessons_done"], report["lessons"], r["lessons_in_progress"],
                         r["quizzes"], "" if not r["quiz_last"] else _score(r["quiz_last"]),
                         "" if not r["quiz_best"] else _score(r["quiz_best"]), r["items_due"], r["answers"],
                         r["right"], "; ".join(f"{m['id']}:{m['count']}" for m in r["mistakes"][:PER_LEARNER]),
                         r["error"] or ""])
    writer.writerow([])
    writer.writerow(("rank", "misconception", "times", "learners", "lesson steps"))
    for rank, m in enumerate(report["class"]["mistakes"], 1):
        writer.writerow([rank, m["id"], m["count"], m["learners"],
                         "; ".join(f"{s['step']}:{s['count']}" for s in m["steps"])])
    return out.getvalue()


def run(data_dir: Path, *, fmt: str = "text") -> int:
    """Print the report; 0, or 2 with one line when data_dir holds no class."""
    data_dir = Path(data_dir)
    if not (data_dir / REGISTRY_NAME).exists() and not (data_dir / LEARNERS_DIR).is_dir():
        print(f"backprop-tutor: error: no class in {data_dir}: give the --data-dir that `serve` used",
              file=sys.stderr)
        return 2
    from tutor.cli import _emit, load_curriculum

    report = build(data_dir, load_curriculum(warn=True))
    if fmt == "json":
        _emit(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    elif fmt == "csv":
        _emit(format_csv(report))
    else:
        _emit(format_text(report))
    for u in report["unreadable"]:
        print(f"backprop-tutor: warning: the progress of {u['name']} {u['error']}; the report goes on without it",
              file=sys.stderr)
    return 0
