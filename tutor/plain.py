"""Plain-text views of progress for `backprop-tutor list` and `backprop-tutor progress`."""

from __future__ import annotations

from typing import Any

PROG = "backprop-tutor"
WIDTH = 80  # every line fits a terminal of 80 columns


def _mark(item: dict[str, Any]) -> str:
    """A lesson's progress in a few words: status, exercises solved, best quiz."""
    status = item["status"]
    parts = [status]
    if status == "in progress" and item["exercises"]:
        parts[0] += f" ({item['solved']}/{item['exercises']} exercises)"
    if item["best_quiz"]:
        parts.append(f"quiz {item['best_quiz']['score']}/{item['best_quiz']['total']}")
    return " · ".join(parts)


def _table(rows: list[tuple[str, ...]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    return ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)) + "  " + row[-1] for row in rows]


def format_list(summary: dict[str, Any]) -> str:
    """Every lesson: its number, id, title and progress, then how to open one."""
    lessons = summary["lessons"]
    if not lessons:
        return "No lessons are installed.\n"
    rows = [("#", "id", "title", "progress")]
    rows += [(str(item["order"]), item["id"], item["title"], _mark(item)) for item in lessons]
    lines = []
    left = [f"{row[0]:<2} {row[1]:<{max(len(r[1]) for r in rows)}}  {row[2]:<{max(len(r[2]) for r in rows)}}"
            for row in rows]
    for head, row in zip(left, rows):
        if len(head) + 1 + len(row[3]) <= WIDTH:
            lines.append(f"{head} {row[3]}")
        else:  # a long progress note goes under its title rather than past the 80th column
            lines += [head.rstrip(), " " * (len(head) - len(row[2].ljust(max(len(r[2]) for r in rows)))) + row[3]]
    lines += ["", f"Open one with: {PROG} lesson ID", f"Quiz yourself: {PROG} quiz [ID ...]"]
    return "\n".join(line.rstrip() for line in lines) + "\n"


def format_progress(summary: dict[str, Any]) -> str:
    """Totals, the lessons begun, where to continue, and where progress is kept."""
    totals = summary["totals"]
    lines = [f"Lessons done: {totals['done']} of {totals['lessons']}; in progress: {totals['in progress']}."]
    begun = [item for item in summary["lessons"] if item["status"] != "not started" or item["best_quiz"]]
    if begun:
        rows = [(item["id"], _mark(item)) for item in begun]
        lines += ["  " + line for line in _table(rows)]
    else:
        lines.append("Nothing started yet.")
    where = summary.get("continue")
    if where is not None:
        verb = "Continue" if summary["last_lesson"] is not None else "Start"
        lines.append(f"{verb} with: {PROG} lesson {where['lesson']}")
        at = f"  at step {where['step_number']} of {where['steps']}: "
        title = where["step_title"]
        lines.append(at + (title if len(at) + len(title) <= 80 else title[:79 - len(at)] + "…"))
    elif summary["lessons"]:
        lines.append(f"Every lesson is done. Quiz yourself: {PROG} quiz")
    due = summary.get("due", 0)
    if due:
        lines.append(f"Due for review: {due} question{'s' if due != 1 else ''}; {PROG} quiz --due asks them first.")
    elif summary["lessons"]:
        lines.append("Nothing is due for review.")
    if summary["database"]:
        lines.append(f"Progress is kept in {summary['database']}")
        if len(lines[-1]) > WIDTH:  # a long path goes on a line of its own
            lines[-1:] = ["Progress is kept in", f"  {summary['database']}"]
    else:
        lines.append("Progress is not being saved.")
    return "\n".join(line.rstrip() for line in lines) + "\n"
