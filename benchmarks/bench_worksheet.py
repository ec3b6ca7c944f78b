"""Worksheet grading: one cell of a 2-3-3-2 worksheet, beside the plain number check of one answer.

Run: python benchmarks/bench_worksheet.py [--quick]
Budget (DESIGN.md): grading one worksheet cell, median under 5 ms; opening a worksheet under 100 ms
after the app is up.
The corpus is every cell of fresh 2-3-3-2 practice worksheets answered four ways: right (to 4
figures), with a misconception, carried forward from a wrong earlier number, and mistyped. Each
call is timed back to back with the baseline, answers.check of the same text against the cell's
true value (parse and one comparison), which alternates going first.
Opening: in a headless app at 80×24 that is up (home painted, lessons loaded), the time from pressing
p on the home screen until the last frame that changes the screen, the worksheet complete: the kept
seed read, the stored answers read back and marked, the screen composed, laid out and painted, its
picture scrolled to the current cell. It alternates with pressing F1 for the help screen, the
baseline, timed the same way; each is closed again (the app keeps its help screen and shows it
again, so the baseline is a screen that is only painted, not composed). Three ways:
  - the network drawn at an earlier opening in this run (the app keeps the worksheets it drew);
  - the network drawn again from its seed at each opening, as the first opening in a run does;
  - every other cell answered (a slip and a carried number among them), read back and marked again.
The first opening in a run is timed on its own, in freshly started processes: each starts the app,
waits until it is up (home painted, lessons loaded) and has then been idle for 0.3 s, and times p as
above. In that idle time the app has imported in the background what a worksheet draws with (numpy's
random generators, the misconceptions' words: see BackpropTutor._prepare_worksheet); the opening
itself still imports the worksheet's own modules and draws its network. The processes run as an
installed tutor does, with its bytecode written (one launch first writes it), not with
PYTHONDONTWRITEBYTECODE, which would time compiling the worksheet's source at every opening.
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


class _Frames:
    """The frames the app hands to its terminal driver, when, and for which screen.

    Headless, the driver writes nothing, but each frame has been composed by then: every widget on it
    laid out and rendered to lines; only their escape codes are not written. After an opening, the
    frames are played into a terminal emulator (pyte), as a terminal would show them, to find the
    last one that changed what is on screen (a character or its colours): a frame that paints the
    same again does not keep anyone waiting.
    """

    def __init__(self, app) -> None:
        self.app = app
        self.frames: list[tuple[float, object, object]] = []
        display = app._display

        def record(screen, update) -> None:
            display(screen, update)
            if update is not None:
                self.frames.append((time.perf_counter(), screen, update))

        app._display = record

    def complete(self, screen, since: float) -> float:
        """Seconds from `since` to the last frame of `screen` that changed the screen."""
        import pyte
        from rich.console import Console

        console = Console(color_system="truecolor", force_terminal=True, width=self.app.size.width,
                          height=self.app.size.height, legacy_windows=False)
        term = pyte.Screen(*self.app.size)
        stream = pyte.Stream(term)
        shown, last = None, None
        for at, s, update in self.frames:
            if s is not screen:
                continue
            stream.feed(update.render_segments(console))
            now = tuple(tuple((ch.data, ch.fg, ch.bg, ch.bold, ch.reverse) for ch in (term.buffer[y][x] for x in range(term.columns)))
                        for y in range(term.lines))
            if now != shown:
                shown, last = now, at
        assert last is not None, "no frame of the screen was painted"
        return last - since


async def _home(pilot) -> None:
    app = pilot.app
    while app.curriculum is None:
        await pilot.pause(0.01)
    await pilot.pause()
    if type(app.screen).__name__ == "WelcomeScreen":
        await pilot.press("enter")
        await pilot.pause()


async def _open_and_close(pilot, frames: _Frames, key: str, kind) -> float:
    """Press `key` on the home screen; ms until the screen it opens is complete; then back home."""
    app = pilot.app
    frames.frames.clear()
    start = time.perf_counter()
    await pilot.press(key)  # returns once the app is idle again: every frame of the opening is in
    await pilot.pause()
    assert isinstance(app.screen, kind), app.screen
    ms = frames.complete(app.screen, start) * 1e3
    app.pop_screen()
    await pilot.pause()
    return ms


def _answer_half(app) -> int:
    """Answer every other cell of the kept practice network, as a learner part way through would:
    mostly right, one slip, one worked from a wrong earlier number. Returns how many were answered."""
    from tutor.worksheet_session import practice_session

    session = practice_session(app.progress, app.seeds)
    cells = session.ws.cells
    for i, c in enumerate(cells[::2]):
        value = c.value
        if i == 3:
            slips = session.ws.misconceptions(c.address)
            value = slips[0][1] if slips else value * 1.5
        elif i == 4:
            value *= 1.2  # wrong, and the cells after it that use it are worked from it
        session.grade(c.address, f"{value:.6g}")
    return len(session.answers)


async def _open_times(rounds: int) -> dict:
    import tempfile

    from tutor.app import make_app
    from tutor.screens.help import HelpScreen
    from tutor.screens.worksheet import WorksheetScreen

    from tutor.worksheet_session import forget_drawn

    out: dict = {}
    with tempfile.TemporaryDirectory() as data_dir:
        app = make_app(data_dir=pathlib.Path(data_dir), seed=1)
        async with app.run_test(size=(80, 24)) as pilot:
            frames = _Frames(app)
            await _home(pilot)
            await _open_and_close(pilot, frames, "p", WorksheetScreen)  # imports the screen's modules: not timed here
            # kept: the network drawn at an earlier opening; drawn: drawn again, as at the first opening
            for phase in ("kept", "drawn", "resumed"):
                if phase == "resumed":
                    out["answered"] = _answer_half(app)
                out[phase], out[phase + " help"] = [], []
                for r in range(rounds):
                    pair = [(phase, "p", WorksheetScreen), (phase + " help", "f1", HelpScreen)]
                    if r % 2:
                        pair.reverse()
                    for name, key, kind in pair:
                        if name == "drawn":
                            forget_drawn()
                        out[name].append(await _open_and_close(pilot, frames, key, kind))
    return out


def open_worksheet_times(rounds: int) -> dict:
    """Median ms to open the practice worksheet in a running app (its network kept, drawn again, then
    half answered), each beside opening the help screen."""
    import asyncio

    times = asyncio.run(_open_times(rounds))
    return {k: statistics.median(v) if isinstance(v, list) else v for k, v in times.items()}


async def _cold_once() -> float:
    """In this fresh process: ms from p on the home screen to the complete worksheet, the first time."""
    import tempfile

    from tutor.app import make_app
    from tutor.screens.worksheet import WorksheetScreen

    with tempfile.TemporaryDirectory() as data_dir:
        app = make_app(data_dir=pathlib.Path(data_dir), seed=1)
        async with app.run_test(size=(80, 24)) as pilot:
            frames = _Frames(app)
            await _home(pilot)
            await pilot.pause(0.3)
            return await _open_and_close(pilot, frames, "p", WorksheetScreen)


def cold_open_times(runs: int) -> float:
    """Median ms of the first opening in a freshly started app, each in its own process (the
    worksheet's own modules are imported then)."""
    import os
    import subprocess

    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    times = []
    for i in range(runs + 1):  # the first writes the bytecode of what an opening imports: not counted
        done = subprocess.run([sys.executable, __file__, "--cold-once"], capture_output=True, text=True,
                              check=True, env=env)
        if i:
            times.append(float(done.stdout.strip().splitlines()[-1]))
    return statistics.median(times)


def run(quick: bool = False) -> list[dict]:
    """Rows for the combined table (benchmarks/run.py)."""
    seeds = range(2) if quick else range(6)
    cases = corpus(seeds)
    for ws, address, answer, earlier in cases[:50]:  # warm the per-cell caches as a worksheet in use would be
        ws.grade(address, answer, earlier=earlier)
    m = measure(cases, 2 if quick else 5)
    build, draw = open_times(range(3) if quick else range(10))
    o = open_worksheet_times(4 if quick else 12)
    cold = cold_open_times(3 if quick else 7)
    print(f"worksheet: {m['calls']} grading calls over {len(seeds)} worksheets of {'-'.join(map(str, LAYERS))}")
    opening = {"bench": "worksheet", "unit": "ms", "budget": f"< {OPEN_BUDGET_MS:g} ms"}
    return [
        {"bench": "worksheet", "measure": f"grade one cell of a 2-3-3-2 worksheet ({m['calls']} calls): median",
         "value": m["grade_median"], "unit": "ms", "baseline": m["base_median"],
         "ratio": m["grade_median"] / m["base_median"], "budget": f"< {BUDGET_MS:g} ms",
         "ok": m["grade_median"] < BUDGET_MS},
        {**opening, "measure": "open the practice worksheet, app up: p to the complete screen (vs F1, help): median",
         "value": o["kept"], "baseline": o["kept help"], "ratio": o["kept"] / o["kept help"],
         "ok": o["kept"] < OPEN_BUDGET_MS},
        {**opening, "measure": "the same, its network drawn again (as at the first opening): median",
         "value": o["drawn"], "baseline": o["drawn help"], "ratio": o["drawn"] / o["drawn help"],
         "ok": o["drawn"] < OPEN_BUDGET_MS},
        {**opening, "measure": f"the same with {o['answered']} cells answered, resumed and marked again: median",
         "value": o["resumed"], "baseline": o["resumed help"], "ratio": o["resumed"] / o["resumed help"],
         "ok": o["resumed"] < OPEN_BUDGET_MS},
        {**opening, "measure": "the first opening in a freshly started app, idle 0.3 s after start: median",
         "value": cold, "baseline": None, "ratio": None, "ok": cold < OPEN_BUDGET_MS},
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
    parser.add_argument("--cold-once", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.cold_once:
        import asyncio

        print(f"{asyncio.run(_cold_once()):.3f}")
        return 0
    rows = run(args.quick)
    for r in rows:
        print(f"{r['measure']}: {r['value']:.3f} ms" + (f" (baseline {r['baseline']:.3f} ms)" if r["baseline"] else ""))
    return 0 if all(r["ok"] is not False for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
