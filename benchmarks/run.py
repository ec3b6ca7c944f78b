"""Run every benchmark and print one table: each figure beside a baseline measured in the same run.

Run: python benchmarks/run.py [--quick] [--only NAME ...]
Exit status 0 when every budget is met, 1 when one is over or a benchmark could not run.
"""

from __future__ import annotations

import argparse
import importlib
import pathlib
import platform
import sys
import time
import traceback

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

#: name on the command line -> module with run(quick) -> rows
BENCHMARKS = {
    "startup": "bench_startup",
    "keys": "bench_keys",
    "grading": "grading_corpus",
    "engine": "bench_engine",
    "memory": "bench_memory",
    "worksheet": "bench_worksheet",
    "classroom": "bench_classroom",
}


def _fmt(value, unit: str) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if unit == "ms":
        return f"{value:.3f} ms" if value < 10 else f"{value:.1f} ms"
    if unit == "MiB":
        return f"{value:.1f} MiB"
    return f"{value:.2f}"


def table(rows: list[dict]) -> str:
    """The rows as one plain-text table."""
    head = ("benchmark", "measure", "value", "same-run baseline", "ratio", "budget", "")
    body = [(r["bench"], r["measure"], _fmt(r["value"], r["unit"]), _fmt(r["baseline"], r["unit"]),
             f"{r['ratio']:.2f}x" if r["ratio"] is not None else "", r["budget"],
             {True: "ok", False: "OVER", None: ""}[r["ok"]]) for r in rows]
    widths = [max(len(str(row[i])) for row in [head, *body]) for i in range(len(head))]
    right = {2, 3, 4}
    lines = []
    for n, row in enumerate([head, *body]):
        cells = [str(c).rjust(w) if i in right else str(c).ljust(w) for i, (c, w) in enumerate(zip(row, widths))]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions: a smoke run, noisier figures")
    parser.add_argument("--only", nargs="+", choices=sorted(BENCHMARKS), help="run only these benchmarks")
    args = parser.parse_args(argv)
    rows: list[dict] = []
    failed = []
    started = time.perf_counter()
    for name, module_name in BENCHMARKS.items():
        if args.only and name not in args.only:
            continue
        print(f"== {name}", flush=True)
        try:
            rows += importlib.import_module(module_name).run(args.quick)
        except Exception as err:  # one broken benchmark must not hide the others' figures
            traceback.print_exc()
            failed.append(name)
            rows.append({"bench": name, "measure": f"could not run: {err}"[:70], "value": None, "unit": "",
                         "baseline": None, "ratio": None, "budget": "", "ok": False})
    print()
    print(f"python benchmarks/run.py{' --quick' if args.quick else ''} — Python {platform.python_version()}, "
          f"{platform.machine()}, {time.perf_counter() - started:.0f} s")
    print(table(rows))
    return 0 if not failed and all(r["ok"] is not False for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
