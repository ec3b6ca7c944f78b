"""Memory: peak resident set of the tutor after opening every lesson, beside the smallest Textual app.

Run: python benchmarks/bench_memory.py [--quick]
Each figure is the peak resident set of a fresh child process that drives the app headless with
run_test (80×24): the smallest app (header, one line, footer) after its first screen; the tutor at
home once its lessons have loaded; the tutor after opening every lesson once. Medians over repeated
children. The peak is VmHWM from /proc: on Linux ru_maxrss keeps the parent's size at the fork
across execve, which would put this benchmark's own memory under every figure (ru_maxrss is used
only where there is no /proc).
Budget (DESIGN.md): after opening every lesson, within 2x the smallest app.
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import statistics
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parents[1]
BUDGET = 2.0

CHILD = r'''
import asyncio, json, resource, sys, pathlib

WHAT, DATA = sys.argv[1], pathlib.Path(sys.argv[2])


async def smallest():
    from textual.app import App
    from textual.widgets import Footer, Header, Static

    class Smallest(App):
        def compose(self):
            yield Header()
            yield Static("The smallest Textual app")
            yield Footer()

    app = Smallest()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.2)
    return {}


async def tutor(open_lessons):
    from tutor.app import make_app

    app = make_app(data_dir=DATA, seed=7)
    opened = []
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(600):  # the lessons load in a worker after the first paint
            if app.curriculum is not None:
                break
            await pilot.pause(0.05)
        if app.curriculum is None:
            raise SystemExit("the lessons did not load within 30 s")
        await pilot.pause(0.1)
        if open_lessons:
            for lesson_id in app.curriculum.ids:
                app.open_lesson(lesson_id)
                await pilot.pause(0.1)
                opened.append(type(app.screen).__name__)
        await pilot.pause(0.1)
    return {"lessons": len(app.curriculum.ids), "screens": sorted(set(opened))}


info = asyncio.run(smallest() if WHAT == "smallest" else tutor(WHAT == "lessons"))
# VmHWM is this program's own peak; ru_maxrss also counts the parent's memory at the fork, which
# survives execve, so it is only the fallback where /proc is missing.
peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:
    with open("/proc/self/status") as status:
        peak_kb = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
except (OSError, StopIteration):
    pass
info.update(maxrss_kb=peak_kb, sympy="sympy" in sys.modules)
print("RESULT " + json.dumps(info))
'''


def peak(what: str, data: pathlib.Path) -> dict:
    """ru_maxrss (MiB) and details of one child that runs `what`: smallest, home or lessons."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TEXTUAL")}
    env.pop("NO_COLOR", None)
    proc = subprocess.run([sys.executable, "-c", CHILD, what, str(data)], capture_output=True, text=True,
                          cwd=ROOT, env=env, timeout=300)
    lines = [line for line in proc.stdout.splitlines() if line.startswith("RESULT ")]
    if proc.returncode != 0 or not lines:
        raise RuntimeError(f"memory child {what!r} failed ({proc.returncode}): {proc.stderr[-800:]}")
    info = json.loads(lines[-1][len("RESULT "):])
    info["mib"] = info.pop("maxrss_kb") / 1024
    return info


def measure(repeat: int) -> dict:
    """Median peak per kind, children interleaved so a busy spell touches all three alike."""
    runs: dict[str, list[dict]] = {"smallest": [], "home": [], "lessons": []}
    with tempfile.TemporaryDirectory(prefix="bench-memory-") as tmp:
        for i in range(repeat):
            for what in runs:
                data = pathlib.Path(tmp) / f"{what}-{i}"
                data.mkdir()
                runs[what].append(peak(what, data))
    out = {what: statistics.median(r["mib"] for r in rs) for what, rs in runs.items()}
    out["lessons_opened"] = runs["lessons"][-1]["lessons"]
    out["screens"] = runs["lessons"][-1]["screens"]
    out["sympy"] = any(r["sympy"] for r in runs["lessons"])
    return out


def run(quick: bool = False) -> list[dict]:
    """Rows for the combined table (benchmarks/run.py)."""
    r = measure(1 if quick else 3)
    print(f"memory: opened {r['lessons_opened']} lessons (screens: {', '.join(r['screens']) or 'none'}); "
          f"sympy loaded by then: {'yes' if r['sympy'] else 'no'}")
    row = lambda measure, value: {  # noqa: E731
        "bench": "memory", "measure": measure, "value": value, "unit": "MiB", "baseline": r["smallest"],
        "ratio": value / r["smallest"], "budget": "", "ok": None}
    lessons = row(f"peak RSS, after opening {r['lessons_opened']} lessons", r["lessons"])
    lessons.update(budget=f"≤ {BUDGET}x", ok=lessons["ratio"] <= BUDGET)
    return [row("peak RSS, home with lessons loaded", r["home"]), lessons]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one child of each kind")
    args = parser.parse_args(argv)
    for r in run(args.quick):
        print(f"{r['measure']:<44} {r['value']:7.1f} MiB   smallest app {r['baseline']:6.1f} MiB   "
              f"ratio {r['ratio']:.2f}  {'' if r['ok'] is None else ('ok' if r['ok'] else 'OVER')}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
