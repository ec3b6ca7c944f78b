"""Key to paint: from a key press to the repainted screen, on a real pty, against a bare Textual app.

Run: python benchmarks/bench_keys.py [--quick]
Two programs run side by side on their own pseudo-terminals (80×24): a bare Textual app with one
Input, and `backprop-tutor lesson ID --seed 1` (the first lesson that opens with a typed exercise).
Presses alternate between them, one at a time, so a busy spell on the shared machine touches both
alike. What each program writes is fed to a terminal emulator (pyte), and a press is timed from
writing the key to the terminal until the last change it brings to the characters on screen: the
moment the screen is complete, not the moment its first line arrives.
  - a character typed in an Input (the bare app's echo is the baseline for every row);
  - a character typed in the tutor's answer box (the echo and the live "interpreted as" line, both);
  - F9, next step, through every step of the lesson: the new step's title, picture, prose, question
    and footer keys all painted. The moment the title alone appears is printed beside it;
  - F1, help, at the end of the walk: the first time (the screen is built) and again after Escape
    (the app keeps it), each until the help screen is complete (no budget: for comparison).
Budget (DESIGN.md): median within 1.5x the bare app's.
"""

from __future__ import annotations

import argparse
import os
import pathlib
import statistics
import sys
import tempfile
import time

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from pty_session import KEYS, PtyProgram  # noqa: E402

BUDGET = 1.5
BARE_MARKER = "A bare Textual app"
BARE_APP = f'''\
from textual.app import App
from textual.widgets import Input, Static


class Bare(App):
    def compose(self):
        yield Static("{BARE_MARKER}")
        yield Input(placeholder="type here")

    def on_mount(self):
        self.query_one(Input).cursor_blink = False


if __name__ == "__main__":
    Bare().run()
'''
#: What is typed, a character at a time; cleared with Ctrl+U after each word. Digits keep the
#: tutor's answer readable as a number, so each press repaints the echo and the preview.
WORD = "31415926"


def _env(data: pathlib.Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TEXTUAL", "PYTHON"))}
    env.update(TERM="xterm-256color", COLUMNS="80", LINES="24", BACKPROP_TUTOR_DATA_DIR=str(data))
    env.pop("NO_COLOR", None)
    return env


def _tutor(lesson_id: str, env: dict[str, str]) -> list[str]:
    script = pathlib.Path(sys.executable).with_name("backprop-tutor")
    argv = [str(script)] if script.exists() else [sys.executable, "-m", "tutor"]
    return argv + ["lesson", lesson_id, "--seed", "1"]


def _lesson():
    """The first lesson whose first exercise takes typed text (not a choice): its id and steps."""
    from lessons.loader import load_curriculum

    for lesson in load_curriculum().lessons:
        exercises = lesson.exercise_steps
        if exercises and exercises[0].exercise.kind != "choice" and len(lesson.steps) >= 4:
            return lesson.id, lesson.steps
    raise RuntimeError("no lesson starts with a typed exercise")


#: Quiet time that ends a press: nothing changed on screen for this long. A next step is given longer,
#: so that a step painted in several frames (a picture mounted after its title) is seen whole.
QUIET = {"typing": 0.25, "next": 0.6}


def _typing(program: PtyProgram, times: list[float], word: str = WORD) -> None:
    for n in range(1, len(word) + 1):
        elapsed, screen = program.press_settle(word[n - 1].encode(), QUIET["typing"])
        if not any(word[:n] in line for line in screen):
            raise RuntimeError(f"typed {word[:n]!r}, but the screen does not show it:\n" + "\n".join(screen))
        times.append(elapsed)
    program.send(KEYS["ctrl+u"])
    program.settle(time.perf_counter(), QUIET["typing"])


def _next_step(tutor: PtyProgram, step_number: int, n: int, step) -> tuple[float, float]:
    """F9 from the step before: seconds until the screen is complete, and until the title first showed."""
    title = f"Step {step_number} of {n}"
    sent = tutor.send(KEYS["f9"])
    changes = []
    while True:  # a screen still settling from before the key may go quiet before the step comes
        elapsed, screen = tutor.settle(sent, QUIET["next"])
        changes += tutor.changes
        top = "\n".join(screen[:3])
        if title in top:
            break
        if time.perf_counter() - sent > 30:
            raise RuntimeError(f"F9 to {title} ({step.title!r}) settled on another screen:\n" + "\n".join(screen))
    if step.title[:30] not in top.replace("\n", " "):
        raise RuntimeError(f"F9 to {title}: not the title {step.title!r}:\n" + "\n".join(screen))
    first = next(t for t, shown in changes if title in "\n".join(shown[:3]))
    return elapsed, first


def _help(tutor: PtyProgram) -> float:
    """F1 until the help screen is complete, then Escape back; the seconds F1 took."""
    sent = tutor.send(KEYS["f1"])
    while True:
        elapsed, screen = tutor.settle(sent, QUIET["next"])
        if "Help" in screen[0] and "Every key below" in "\n".join(screen):
            break
        if time.perf_counter() - sent > 30:
            raise RuntimeError("F1 settled on another screen:\n" + "\n".join(screen))
    back = tutor.send(KEYS["escape"])
    while "Help" in tutor.settle(back, QUIET["next"])[1][0]:
        if time.perf_counter() - back > 30:
            raise RuntimeError("Escape did not close the help screen")
    return elapsed


def measure(rounds: int) -> dict:
    """Medians (seconds) of each kind of press, the bare app's typing alongside in the same rounds.

    Each round starts the tutor afresh in the lesson (a fresh data folder, so it opens at step 1),
    walks it with Ctrl+N to its last step, and types in the answer box of its first exercise on the way.
    """
    lesson_id, steps = _lesson()
    n = len(steps)
    first_exercise = next(i for i, s in enumerate(steps) if s.exercise is not None)
    from tutor.progress import Progress

    with tempfile.TemporaryDirectory(prefix="bench-keys-") as tmp:
        work = pathlib.Path(tmp)
        (work / "bare.py").write_text(BARE_APP)
        bare = PtyProgram([sys.executable, str(work / "bare.py")], _env(work), emulate=True)
        times: dict[str, list[float]] = {"bare": [], "typing": [], "next": [], "title": [],
                                         "help first": [], "help again": []}
        try:
            bare.wait_for((BARE_MARKER,))
            bare.drain(0.5)
            for r in range(rounds):
                data = work / f"data-{r}"
                with Progress.open(data) as store:
                    store.mark_welcomed()
                env = _env(data)
                tutor = PtyProgram(_tutor(lesson_id, env), env, emulate=True)
                try:
                    tutor.wait_for((f"Step 1 of {n}",))
                    tutor.drain(1.0)  # the lessons load after the first paint
                    for i in range(n - 1):
                        if i == first_exercise:
                            _typing(tutor, times["typing"])  # word by word with the bare app's
                            _typing(bare, times["bare"])
                        complete, title = _next_step(tutor, i + 2, n, steps[i + 1])
                        times["next"].append(complete)
                        times["title"].append(title)
                        _typing(bare, times["bare"], WORD[:2])
                    times["help first"].append(_help(tutor))
                    times["help again"].append(_help(tutor))
                finally:
                    tutor.close()
        finally:
            bare.close()
    out = {k: statistics.median(v) for k, v in times.items()}
    out.update(samples={k: len(v) for k, v in times.items()}, rounds=rounds, lesson=lesson_id,
               quartiles={k: statistics.quantiles(v, n=4)[::2] for k, v in times.items() if len(v) > 1})
    return out


def run(quick: bool = False) -> list[dict]:
    """Rows for the combined table (benchmarks/run.py)."""
    r = measure(2 if quick else 6)
    print(f"key to paint: lesson {r['lesson']}, {r['rounds']} rounds; samples {r['samples']}")
    print("  medians (quartiles), ms: " + "; ".join(
        f"{k} {r[k] * 1e3:.1f} ({q[0] * 1e3:.1f}–{q[1] * 1e3:.1f})" for k, q in r["quartiles"].items()))
    row = {"bench": "key to paint", "unit": "ms", "baseline": r["bare"] * 1e3, "budget": f"≤ {BUDGET}x"}
    out = []
    for key, measure_name in (("typing", "a character typed in the answer box"),
                              ("next", "F9: next step, the step complete on screen")):
        ratio = r[key] / r["bare"]
        out.append({**row, "measure": f"{measure_name}, median", "value": r[key] * 1e3, "ratio": ratio,
                    "ok": ratio <= BUDGET})
    for key, measure_name in (("help first", "F1: help the first time, complete on screen"),
                              ("help again", "F1: help shown again, complete on screen")):
        out.append({**row, "measure": f"{measure_name}, median", "value": r[key] * 1e3,
                    "ratio": r[key] / r["bare"], "budget": "", "ok": None})
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds")
    args = parser.parse_args(argv)
    rows = run(args.quick)
    for r in rows:
        print(f"{r['measure']:<44} {r['value']:7.1f} ms   bare app {r['baseline']:6.1f} ms   ratio {r['ratio']:.2f}  "
              f"budget {r['budget'] or '-'}  {({True: 'ok', False: 'OVER'}).get(r['ok'], '')}")
    return 0 if all(r["ok"] is not False for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
