"""Grading latency: typical answers and hostile input, beside a same-run baseline.

Run: python benchmarks/bench_grading.py [--repeat N]
Budgets (DESIGN.md): typical median < 20 ms, worst < 100 ms; hostile worst < 250 ms.
The corpus and the timing harness are plain functions so later measurements can reuse them.
"""

from __future__ import annotations

import argparse
import pathlib
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

from engine.answers import Mistake, check, evaluate  # noqa: E402

BUDGETS_MS = {"typical median": 20.0, "typical worst": 100.0, "hostile worst": 250.0}


@dataclass(frozen=True)
class Case:
    """One grading call: the learner's answer and the exercise it answers."""

    answer: str
    expected: str
    variables: tuple[str, ...] = ()
    options: dict = field(default_factory=dict)

    def grade(self):
        """Run check() on this case."""
        return check(self.answer, self.expected, self.variables, **self.options)


OUTPUT_DELTA = dict(
    definitions={"a_k": "sigmoid(net_k)"},
    mistakes=(
        Mistake("sign", "(t_k - a_k)*a_k*(1 - a_k)", "sign"),
        Mistake("no-sigma-prime", "-(t_k - a_k)", "missing σ′"),
        Mistake("sigma-not-prime", "-(t_k - a_k)*sigmoid(net_k)", "σ for σ′"),
        Mistake("net-for-a", "-(t_k - net_k)*a_k*(1 - a_k)", "net for a"),
    ),
)
HIDDEN_DELTA = dict(
    definitions={"a_j": "sigmoid(net_j)"},
    indices={"k": 3},
    mistakes=(
        Mistake("sigma-not-prime", "sigmoid(net_j)*sum_k(w_jk*delta_k)", "σ for σ′"),
        Mistake("no-sigma-prime", "sum_k(w_jk*delta_k)", "missing σ′"),
        Mistake("one-term", "a_j*(1-a_j)*w_j1*delta_1", "one term"),
    ),
)
NUMBER = dict(mistakes=(Mistake("wrong-unit", "0.08266785", "wrong unit"), Mistake("sign", "-0.082167041", "sign")))


def typical_corpus() -> list[Case]:
    """Answers learners really type: right ones in many forms, near misses, typos, numbers."""
    sig = ("sigmoid(x)*(1-sigmoid(x))", ("x",))
    cases = [Case(a, *sig) for a in (
        "sigmoid(x)*(1-sigmoid(x))", "σ(x)(1−σ(x))", "exp(-x)/(1+exp(-x))^2", "1/(exp(x)+2+exp(-x))",
        "σ'(x)", "sigmoid(x)", "exp(-x)/(1+exp(-x))", "e^-x/(1+e^-x)^2", "sigmoid(x)(1-sigmoid(x)",
        "-exp(-x)/(1+exp(-x))^2")]
    od = ("-(t_k - a_k)*a_k*(1 - a_k)", ("t_k", "a_k", "net_k"), OUTPUT_DELTA)
    cases += [Case(a, *od) for a in (
        "(a_k - t_k)*a_k*(1-a_k)", "(t_k - a_k)*a_k*(1-a_k)", "a_k - t_k", "(a_k-t_k)σ'(net_k)",
        "(a_k - t_k)*a_k", "(net_k - t_k)*a_k*(1-a_k)", "(a_i - t_i)*a_i*(1-a_i)", "(a_k-t_k)a_k(1-a_k")]
    hd = ("sigmoid'(net_j)*sum_k(w_jk*delta_k)", ("w_jk", "delta_k", "a_j", "net_j", "w_j1", "delta_1"),
          HIDDEN_DELTA)
    cases += [Case(a, *hd) for a in (
        "a_j*(1-a_j)*sum_k(w_jk*delta_k)", "Σ_k w_jk δ_k σ'(net_j)", "sum_k(w_jk*delta_k)",
        "w_jk*sum_k(delta_k)", "a_j*(1-a_j)*w_j1*delta_1", "σ(net_j) Σ_k w_jk δ_k")]
    num = ("0.082167041", (), NUMBER)
    cases += [Case(a, *num) for a in ("0.08217", "0.1385*0.5933", "0.0827", "-0.08217", "0.1385*0.5969",
                                      "0.08", "a_j*0.5", "0,0821")]
    cases += [Case(a, "a*(1-a)", ("a",)) for a in ("a*(1-a)", "a - a^2", "a(1+a)", "a_j(1-a_j)")]
    cases += [Case(a, "tanh(x)", ("x",)) for a in ("2σ(2x)−1", "2*sigmoid(2*x)-1", "tanh(x)^2")]
    return cases


def hostile_corpus() -> list[Case]:
    """Input meant to hang, exhaust or execute: each must be answered promptly."""
    ex = ("a*(1-a)", ("a", "x", "z", "t_k", "w_jk"), {"indices": {"j": 3, "k": 3}})
    answers = [
        "9**9**9**9", "1e999999", "factorial(10**7)", "(a+x+z+t_k)^100", "((x+1)^10+(a+1)^10)^10",
        "sqrt((tanh(0.5))^((99)^(1e-300)))", "__import__('os').system('true')", "x^x^x^x^x^x^x^x",
        "exp(exp(exp(exp(x))))", "sum_j(sum_k(" + "+".join(["w_jk*x"] * 20) + "))",
        "(" * 500, "x" * 10_000, "1" * 5000, "-" * 299 + "x", "sigmoid(" * 29 + "x" + ")" * 29,
        "x*" * 99 + "x", "+".join(["sigmoid(x)*tanh(a)"] * 15), "((((((((((x))))))))))" * 10,
    ]
    return [Case(a, *ex) for a in answers]


def baseline_corpus() -> list[Callable[[], object]]:
    """The cost of evaluating each typical reference alone at one point: what grading is compared with."""
    values = {"x": 0.3, "a": 0.4, "t_k": 0.9, "a_k": 0.6, "net_k": 0.4, "a_j": 0.55, "net_j": 0.2,
              "w_jk": [0.1, -0.3, 0.5], "delta_k": [0.02, -0.01, 0.03]}
    refs = {c.expected: c.options.get("indices") for c in typical_corpus()}
    return [lambda e=e, i=i: evaluate(e, values, indices=i) for e, i in refs.items()]


def time_calls(calls: Sequence[Callable[[], object]], repeat: int = 5) -> list[float]:
    """Wall time of every call, `repeat` rounds over the list (seconds)."""
    times = []
    for _ in range(repeat):
        for call in calls:
            start = time.perf_counter()
            call()
            times.append(time.perf_counter() - start)
    return times


def summarize(times: Sequence[float]) -> dict[str, float]:
    """Median, 99th percentile and worst, in milliseconds."""
    ordered = sorted(times)
    p99 = ordered[min(len(ordered) - 1, int(round(0.99 * (len(ordered) - 1))))]
    return {"median": statistics.median(ordered) * 1e3, "p99": p99 * 1e3, "worst": ordered[-1] * 1e3}


def report(name: str, stats: dict[str, float], n: int) -> str:
    """One line of the table."""
    return f"{name:<28} {n:>6} {stats['median']:>10.3f} {stats['p99']:>10.3f} {stats['worst']:>10.3f}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    typical = [c.grade for c in typical_corpus()]
    hostile = [c.grade for c in hostile_corpus()]
    baseline = baseline_corpus()
    time_calls(typical + hostile + baseline, repeat=1)  # warm-up
    rows = {
        "baseline: evaluate reference": summarize(t_base := time_calls(baseline, args.repeat)),
        "typical answers: check": summarize(t_typ := time_calls(typical, args.repeat)),
        "hostile answers: check": summarize(t_host := time_calls(hostile, args.repeat)),
    }
    print(f"{'(milliseconds)':<28} {'calls':>6} {'median':>10} {'p99':>10} {'worst':>10}")
    for (name, stats), times in zip(rows.items(), (t_base, t_typ, t_host)):
        print(report(name, stats, len(times)))
    t, h = rows["typical answers: check"], rows["hostile answers: check"]
    checks = {
        "typical median": t["median"], "typical worst": t["worst"], "hostile worst": h["worst"],
    }
    print()
    ok = True
    for key, value in checks.items():
        within = value < BUDGETS_MS[key]
        ok &= within
        print(f"{key:<16} {value:8.3f} ms   budget {BUDGETS_MS[key]:6.1f} ms   {'ok' if within else 'OVER'}")
    ratio = t["median"] / rows["baseline: evaluate reference"]["median"]
    print(f"typical check median is {ratio:.1f}x the baseline median")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
