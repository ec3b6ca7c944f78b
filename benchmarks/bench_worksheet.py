"""Worksheet grading: one cell of a 2-3-3-2 worksheet, beside the plain number check of one answer.

Run: python benchmarks/bench_worksheet.py [--quick]
Budget (DESIGN.md): grading one worksheet cell, median under 5 ms; opening a worksheet under 100 ms
after the app is up.
The corpus is every cell of fresh 2-3-3-2 practice worksheets answered four ways: right (to 4
figures), with a misconception, carried forward from a wrong earlier number, and mistyped. Each
call is timed back to back with the baseline, answers.check of the same text against the cell's
true value (parse and one comparison), which alternates going first.
Opening: in a headless app that is up (home painted, lessons loaded), the time from asking for the
practice worksheet (p on the home screen) until its screen has been laid out and painted, alternating
with opening the help screen (F1), the baseline, which is closed again each time.
"""

from __future__ import annotations

import argparse
import pathlib
import statistics
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

from engine.answers import Tolerance, check  # noqa: E402
from engine.practice import draw_spec  # noqa: E402
from engine.worksheet import Worksheet  # noqa: E402

BUDGET_MS = 5.0
OPEN_BUDGET_MS = 100.0
LAYERS = (2, 3, 3, 2)


def corpus(seeds) -> list[tuple[Worksheet, str, str, dict]]:
    """(worksheet, address, answer, earlier) for every cell of one worksheet per seed, four ways each."""
    cases = []
    for seed in seeds:
        ws = Worksheet(draw_spec(seed, LAYERS))
        for c in ws.cells:
            cases.append((ws, c.address, f"{c.value:.4g}", {}))
            slips = ws.misconceptions(c.address)
            if slips:
                cases.append((ws, c.address, repr(slips[0][1]), {}))
            if c.inputs:
                wrong = {c.inputs[0]: ws.value(c.inputs[0]) * 1.3 + 0.02}
                cases.append((ws, c.address, f"{c.value * 1.1:.4g}", wrong))
            cases.append((ws, c.address, "0.13.85*", {}))
    return cases


def measure(cases, rounds: int) -> dict:
    """Median and worst per-call milliseconds of grade() and of the baseline check()."""
    grade_ms, base_ms = [], []
    tol = Tolerance(rel=2e-3)
    for r in range(rounds):
        for i, (ws, address, answer, earlier) in enumerate(cases):
            expected = repr(ws.value(address))
            pair = [("grade", lambda: ws.grade(address, answer, earlier=earlier)),
                    ("base", lambda: check(answer, expected, (), tolerance=tol, kind="number"))]
            if (r + i) % 2:
                pair.reverse()
            for name, fn in pair:
                start = time.perf_counter()
                fn()
                (grade_ms if name == "grade" else base_ms).append((time.perf_counter() - start) * 1e3)
    return {"grade_median": statistics.median(grade_ms), "grade_worst": max(grade_ms),
            "base_median": statistics.median(base_ms), "base_worst": max(base_ms), "calls": len(grade_ms)}


def open_times(seeds) -> tuple[float, float]:
    """Median ms to build a worksheet from a spec, and to draw a fresh 2-3-3-2 practice spec."""
    specs = [draw_spec(s, LAYERS) for s in seeds]
    build, draw = [], []
    for s, spec in zip(seeds, specs):
        start = time.perf_counter()
        Worksheet(spec)
        build.append((time.perf_counter() - start) * 1e3)
        start = time.perf_counter()
        draw_spec(s + 1000, LAYERS)
        draw.append((time.perf_counter() - start) * 1e3)
    return statistics.median(build), statistics.median(draw)


async def _open_times(rounds: int) -> tuple[list[float], list[float]]:
    import tempfile

    from tutor.app import make_app
    from tutor.screens.help import HelpScreen
    from tutor.screens.worksheet import WorksheetScreen

    sheet, help_ms = [], []
    with tempfile.TemporaryDirectory() as data_dir:
        app = make_app(data_dir=pathlib.Path(data_dir), seed=1)
        async with app.run_test(size=(80, 24)) as pilot:
            while app.curriculum is None:
                await pilot.pause(0.01)
            await pilot.pause()
            if type(app.screen).__name__ == "WelcomeScreen":
                await pilot.press("enter")
            app.open_practice()  # the first opening also imports the screen's modules: not timed
            await pilot.pause()
            app.pop_screen()
            await pilot.pause()
            for r in range(rounds):
                pair = [("sheet", app.action_practice, WorksheetScreen), ("help", app.action_help, HelpScreen)]
                if r % 2:
                    pair.reverse()
                for name, open_it, kind in pair:
                    start = time.perf_counter()
                    open_it()
                    await pilot.pause()  # the new screen's mount, layout and first paint
                    assert isinstance(app.screen, kind), app.screen
                    (sheet if name == "sheet" else help_ms).append((time.perf_counter() - start) * 1e3)
                    app.pop_screen()
                    await pilot.pause()
    return sheet, help_ms


def open_worksheet_times(rounds: int) -> tuple[float, float]:
    """Median ms to open the practice worksheet in a running app, and to open the help screen."""
    import asyncio

    sheet, help_ms = asyncio.run(_open_times(rounds))
    return statistics.median(sheet), statistics.median(help_ms)


def run(quick: bool = False) -> list[dict]:
    """Rows for the combined table (benchmarks/run.py)."""
    seeds = range(2) if quick else range(6)
    cases = corpus(seeds)
    for ws, address, answer, earlier in cases[:50]:  # warm the per-cell caches as a worksheet in use would be
        ws.grade(address, answer, earlier=earlier)
    m = measure(cases, 2 if quick else 5)
    build, draw = open_times(range(3) if quick else range(10))
    sheet, help_ms = open_worksheet_times(4 if quick else 12)
    print(f"worksheet: {m['calls']} grading calls over {len(seeds)} worksheets of {'-'.join(map(str, LAYERS))}")
    return [
        {"bench": "worksheet", "measure": f"grade one cell of a 2-3-3-2 worksheet ({m['calls']} calls): median",
         "value": m["grade_median"], "unit": "ms", "baseline": m["base_median"],
         "ratio": m["grade_median"] / m["base_median"], "budget": f"< {BUDGET_MS:g} ms",
         "ok": m["grade_median"] < BUDGET_MS},
        {"bench": "worksheet", "measure": "open the practice worksheet, app up (vs help screen): median",
         "value": sheet, "unit": "ms", "baseline": help_ms, "ratio": sheet / help_ms,
         "budget": f"< {OPEN_BUDGET_MS:g} ms", "ok": sheet < OPEN_BUDGET_MS},
        {"bench": "worksheet", "measure": "grade one cell: worst", "value": m["grade_worst"], "unit": "ms",
         "baseline": m["base_worst"], "ratio": None, "budget": "", "ok": None},
        {"bench": "worksheet", "measure": "build a 2-3-3-2 worksheet from a spec: median", "value": build,
         "unit": "ms", "baseline": None, "ratio": None, "budget": "", "ok": None},
        {"bench": "worksheet", "measure": "draw a fresh 2-3-3-2 practice spec: median", "value": draw,
         "unit": "ms", "baseline": None, "ratio": None, "budget": "", "ok": None},
    ]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer worksheets and rounds")
    args = parser.parse_args(argv)
    rows = run(args.quick)
    for r in rows:
        print(f"{r['measure']}: {r['value']:.3f} ms" + (f" (baseline {r['baseline']:.3f} ms)" if r["baseline"] else ""))
    return 0 if all(r["ok"] is not False for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
