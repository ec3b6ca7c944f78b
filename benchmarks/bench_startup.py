"""Start-up: launch to first paint of `backprop-tutor` against the smallest Textual app, alternately.

Run: python benchmarks/bench_startup.py [--quick]
The programs run as real processes under a pseudo-terminal (80×24, TERM=xterm-256color); a run
ends when the text of the first screen appears in what the program wrote to the terminal. The
smallest app is a header, one line of text and a footer; the tutor's app is also started straight
from make_app, without the command line, to tell their costs apart. Budget (DESIGN.md): ≤ 1.2x.
A separate probe launch with -X importtime lists what was imported before the first paint (sympy
must not be).
"""

from __future__ import annotations

import argparse
import os
import pathlib
import re
import statistics
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

from pty_session import SIZE, launch  # noqa: E402

BUDGET = 1.2
TUTOR_MARKERS = ("Learn backpropagation by doing it", "Welcome to backprop-tutor")
MINIMAL_MARKER = "The smallest Textual app"
MINIMAL_APP = f'''\
from textual.app import App
from textual.widgets import Footer, Header, Static


class Smallest(App):
    TITLE = "smallest"

    def compose(self):
        yield Header()
        yield Static("{MINIMAL_MARKER}")
        yield Footer()


if __name__ == "__main__":
    Smallest().run()
'''
#: The tutor's app started straight from its factory, without the command line: tells the cost of
#: the app apart from the cost of what `backprop-tutor` does before it starts the app.
APP_ALONE = """\
import os, pathlib
from tutor.app import make_app

make_app(data_dir=pathlib.Path(os.environ["BACKPROP_TUTOR_DATA_DIR"])).run()
"""


def _python() -> str:
    return sys.executable


def _tutor_command() -> list[str]:
    script = pathlib.Path(_python()).with_name("backprop-tutor")
    return [str(script)] if script.exists() else [_python(), "-m", "tutor"]


class Programs:
    """The programs to launch, with a private data folder and a returning learner's progress."""

    def __init__(self, workdir: pathlib.Path):
        self.minimal = workdir / "smallest_app.py"
        self.minimal.write_text(MINIMAL_APP)
        self.app_script = workdir / "app_alone.py"
        self.app_script.write_text(APP_ALONE)
        data = workdir / "data"
        data.mkdir()
        # A returning learner: the first-run welcome is not the screen being measured.
        from tutor.progress import Progress

        store = Progress.open(data)
        store.mark_welcomed()
        store.close()
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("TEXTUAL", "PYTHON"))}
        self.env.update(TERM="xterm-256color", COLUMNS=str(SIZE[0]), LINES=str(SIZE[1]),
                        BACKPROP_TUTOR_DATA_DIR=str(data))
        self.env.pop("NO_COLOR", None)

    def tutor(self, extra_env=None, python_flags=()) -> tuple[float, str]:
        argv = _tutor_command()
        if python_flags:
            argv = [_python(), *python_flags, "-m", "tutor"]
        return launch(argv, {**self.env, **(extra_env or {})}, TUTOR_MARKERS)

    def smallest(self) -> tuple[float, str]:
        return launch([_python(), str(self.minimal)], self.env, (MINIMAL_MARKER,))

    def app_alone(self) -> tuple[float, str]:
        return launch([_python(), str(self.app_script)], self.env, TUTOR_MARKERS)


def imports_before_paint(programs: Programs) -> tuple[bool, list[tuple[float, str]]]:
    """Whether sympy was imported before the first paint, and the costliest top-level imports."""
    _, text = programs.tutor(python_flags=("-X", "importtime"))
    cumulative = []
    for line in text.splitlines():
        m = re.match(r"\s*import time:\s+\d+\s+\|\s+(\d+)\s+\|( *)(\S+)", line)
        if m and len(m.group(2)) <= 1:  # top-level entries only
            cumulative.append((int(m.group(1)) / 1e6, m.group(3)))
    names = {name for _, name in cumulative} | set(re.findall(r"\|\s+(sympy[\w.]*)", text))
    sympy = any(n == "sympy" or n.startswith("sympy.") for n in names)
    return sympy, sorted(cumulative, reverse=True)[:6]


def measure(rounds: int) -> dict:
    """Rounds of three launches (tutor, smallest app, the app without the CLI), the order rotating each
    round; medians, and the median over rounds of each round's ratio to the smallest app."""
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as tmp:
        programs = Programs(pathlib.Path(tmp))
        kinds = {"tutor": programs.tutor, "smallest": programs.smallest, "app": programs.app_alone}
        for launch_one in kinds.values():  # warm the file cache and bytecode
            launch_one()
        times: dict[str, list[float]] = {k: [] for k in kinds}
        ratios: dict[str, list[float]] = {"tutor": [], "app": []}
        order = list(kinds)
        for i in range(rounds):
            this_round = {}
            for kind in order[i % 3:] + order[:i % 3]:
                this_round[kind] = kinds[kind]()[0]
                times[kind].append(this_round[kind])
            for kind in ratios:
                ratios[kind].append(this_round[kind] / this_round["smallest"])
        sympy, heavy = imports_before_paint(programs)
    out = {k: statistics.median(v) for k, v in times.items()}
    out.update(ratio=statistics.median(ratios["tutor"]), app_ratio=statistics.median(ratios["app"]),
               sympy=sympy, heavy=heavy, rounds=rounds)
    return out


def run(quick: bool = False) -> list[dict]:
    """Rows for the combined table (benchmarks/run.py)."""
    r = measure(5 if quick else 15)
    print(f"start-up: {r['rounds']} rounds; costliest imports before first paint: "
          + ", ".join(f"{name} {sec * 1e3:.0f} ms" for sec, name in r["heavy"]))
    row = {"bench": "start-up", "unit": "ms", "baseline": r["smallest"] * 1e3}
    return [
        {**row, "measure": "backprop-tutor: launch to first paint", "value": r["tutor"] * 1e3,
         "ratio": r["ratio"], "budget": f"≤ {BUDGET}x", "ok": r["ratio"] <= BUDGET},
        {**row, "measure": "the app alone, without the CLI", "value": r["app"] * 1e3, "ratio": r["app_ratio"],
         "budget": "", "ok": None},
        {"bench": "start-up", "measure": "sympy imported before first paint", "value": "yes" if r["sympy"] else "no",
         "unit": "", "baseline": None, "ratio": None, "budget": "no", "ok": not r["sympy"]},
    ]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer launches")
    args = parser.parse_args(argv)
    rows = run(args.quick)
    for r in rows:
        base = f"  smallest app {r['baseline']:.0f} ms  ratio {r['ratio']:.2f}" if r["ratio"] else ""
        value = f"{r['value']:.0f} ms" if isinstance(r["value"], float) else r["value"]
        verdict = {True: "ok", False: "OVER", None: ""}[r["ok"]]
        print(f"{r['measure']:<38} {value:>8}{base}  {'budget ' + r['budget'] if r['budget'] else ''}  {verdict}")
    return 0 if all(r["ok"] is not False for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
