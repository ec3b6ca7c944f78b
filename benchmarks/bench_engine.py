"""Engine speed: Network forward + backward against a hand-written numpy pass of the same arithmetic.

Run: python benchmarks/bench_engine.py [--quick]
Budget (DESIGN.md): at 784-256-10 with a batch of 64 the engine takes at most 1.2x the plain pass.
Each round times the engine and the plain pass back to back (which goes first alternates); the
ratio reported is the median over rounds of the per-round ratio, so slow spells on a shared
machine hit both sides of a ratio alike.
"""

from __future__ import annotations

import argparse
import pathlib
import statistics
import sys
import time
from collections.abc import Callable

import numpy as np

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))

from engine.network import Network  # noqa: E402

BATCH = 64
BUDGET = 1.2
SIZES = [(2, 2, 2), (4, 8, 4), (16, 32, 10), (64, 64, 10), (128, 128, 10), (784, 64, 10), (784, 128, 10),
         (784, 256, 10)]
BUDGET_SIZE = (784, 256, 10)


def _sigmoid(net: np.ndarray) -> np.ndarray:
    # The engine's overflow-free form, so the two sides do the same arithmetic and the gap is overhead.
    z = np.exp(-np.abs(net))
    return np.where(net >= 0, 1.0 / (1.0 + z), z / (1.0 + z))


def plain_pass(weights, biases, x, t):
    """Forward + backward of a sigmoid network with squared error, written out layer by layer."""
    acts, a = [x], x
    for w, b in zip(weights, biases):
        a = _sigmoid(a @ w.T + b)
        acts.append(a)
    E = 0.5 * float(np.sum((t - a) ** 2))
    delta = (a - t) * a * (1.0 - a)  # δ_k = (a_k − t_k)·σ′(net_k)
    grads_w, grads_b = [], []
    for l in range(len(weights) - 1, -1, -1):
        grads_w.append(delta.T @ acts[l])
        grads_b.append(delta.sum(axis=0))
        if l > 0:
            delta = (delta @ weights[l]) * acts[l] * (1.0 - acts[l])  # δ_j = Σ_k w_jk δ_k · σ′(net_j)
    return E, grads_w[::-1], grads_b[::-1]


def _setup(sizes, seed=0):
    net = Network.random(list(sizes), rng=seed, scale=0.1)
    rng = np.random.default_rng(seed + 1)
    x = rng.uniform(-1, 1, (BATCH, sizes[0]))
    t = rng.uniform(0, 1, (BATCH, sizes[-1]))
    return net, x, t


def _agree(sizes) -> None:
    """Refuse to time two passes that do not compute the same gradients."""
    net, x, t = _setup(sizes)
    g = net.backward(net.forward(x), t)
    E, gw, gb = plain_pass(net.weights, net.biases, x, t)
    assert np.isclose(g.E, E, rtol=1e-12)
    for a, b in zip(g.grad_weights + g.grad_biases, gw + gb):
        assert np.allclose(a, b, rtol=1e-10, atol=1e-14)


def _per_call(fn: Callable[[], object], inner: int) -> float:
    start = time.perf_counter()
    for _ in range(inner):
        fn()
    return (time.perf_counter() - start) / inner


def measure(sizes, rounds: int, target_s: float = 0.01) -> dict:
    """Median seconds per forward+backward for the engine and the plain pass, and the median ratio."""
    _agree(sizes)
    net, x, t = _setup(sizes)
    weights, biases = net.weights, net.biases
    engine = lambda: net.backward(net.forward(x), t)  # noqa: E731
    plain = lambda: plain_pass(weights, biases, x, t)  # noqa: E731
    for _ in range(3):  # warm caches and BLAS threads
        engine(), plain()
    once = _per_call(plain, 3)
    inner = max(1, int(target_s / max(once, 1e-7)))
    t_eng, t_plain, ratios = [], [], []
    for r in range(rounds):
        if r % 2 == 0:
            e, p = _per_call(engine, inner), _per_call(plain, inner)
        else:
            p, e = _per_call(plain, inner), _per_call(engine, inner)
        t_eng.append(e)
        t_plain.append(p)
        ratios.append(e / p)
    params = sum(w.size for w in weights) + sum(b.size for b in biases)
    return {"sizes": sizes, "params": params, "engine": statistics.median(t_eng),
            "plain": statistics.median(t_plain), "ratio": statistics.median(ratios)}


def growth_exponent(results: list[dict]) -> float:
    """Slope of log(time) against log(parameters) over the networks with at least 10⁴ parameters."""
    big = [r for r in results if r["params"] >= 10_000]
    if len(big) < 2:
        return float("nan")
    slope, _ = np.polyfit(np.log([r["params"] for r in big]), np.log([r["engine"] for r in big]), 1)
    return float(slope)


def run(quick: bool = False) -> list[dict]:
    """Measure every size; rows for the combined table (benchmarks/run.py)."""
    rounds = 7 if quick else 21
    results = [measure(s, rounds) for s in SIZES]
    print_sizes(results)
    rows = []
    for r in results:
        name = "-".join(map(str, r["sizes"]))
        budgeted = r["sizes"] == BUDGET_SIZE
        rows.append({
            "bench": "engine", "measure": f"fwd+bwd {name} ({r['params']} params)",
            "value": r["engine"] * 1e3, "unit": "ms", "baseline": r["plain"] * 1e3, "ratio": r["ratio"],
            "budget": f"≤ {BUDGET}x" if budgeted else "", "ok": r["ratio"] <= BUDGET if budgeted else None,
        })
    rows.append({"bench": "engine", "measure": "time ∝ params^k over ≥ 10⁴ params: k",
                 "value": growth_exponent(results), "unit": "", "baseline": None, "ratio": None,
                 "budget": "", "ok": None})
    return rows


def print_sizes(results: list[dict]) -> None:
    """How cost grows with the number of parameters (batch of 64)."""
    print(f"engine, batch {BATCH}: {'network':<14} {'params':>8} {'engine ms':>10} {'plain ms':>10} "
          f"{'ratio':>6} {'ns/param':>9}")
    for r in results:
        name = "-".join(map(str, r["sizes"]))
        print(f"{'':<17} {name:<14} {r['params']:>8} {r['engine'] * 1e3:>10.4f} {r['plain'] * 1e3:>10.4f} "
              f"{r['ratio']:>6.2f} {r['engine'] * 1e9 / r['params']:>9.2f}")
    print(f"{'':<17} time grows as params^{growth_exponent(results):.2f} above 10⁴ parameters")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds")
    args = parser.parse_args(argv)
    rows = run(args.quick)
    return 0 if all(r["ok"] is not False for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
