"""An independent check of the worksheet, as an outside checker would run it.

Its own random sigmoid networks with squared error (depth 2 and 3, biases, a learning rate, any
weights, not the practice draws), its own forward and backward pass written out in plain Python,
its own formula for each misconception the issue lists, and nothing from the engine but the API
under test: Worksheet(spec), .cells (addresses) and .grade(address, answer, earlier=...).
"""

from __future__ import annotations

import math
import random

import pytest

from engine.worksheet import Worksheet

REL = 2e-3
NETWORKS = 24  # per depth


def sig(x):
    return 1 / (1 + math.exp(-x))


def near(x, y, factor=1.0):
    return abs(x - y) <= factor * REL * max(abs(x), abs(y)) + 1e-12


class Oracle:
    """One network's pass and every cell's rules, by hand: W[l][k][j], b[l][k], x, t, eta."""

    def __init__(self, rng: random.Random, depth: int):
        self.sizes = [rng.randint(1, 4) for _ in range(depth + 1)]
        self.sizes[-1] = max(self.sizes[-1], 1)
        S = self.sizes
        self.W = [[[rng.uniform(-1.5, 1.5) for _ in range(S[l])] for _ in range(S[l + 1])] for l in range(depth)]
        self.b = [[rng.uniform(-1, 1) for _ in range(S[l + 1])] for l in range(depth)]
        self.x = [rng.uniform(0, 1) for _ in range(S[0])]
        self.t = [rng.uniform(0, 1) for _ in range(S[-1])]
        self.eta = rng.uniform(0.05, 0.9)
        self.L = depth
        self.v = self.run({})

    def spec(self) -> dict:
        return {"layers": self.sizes, "activations": ["sigmoid"] * self.L, "loss": "sse", "weights": self.W,
                "biases": self.b, "input": self.x, "target": self.t, "learning_rate": self.eta}

    def A(self, v, l, j):  # activation feeding layer l
        return self.x[j] if l == 0 else v[f"a[{l - 1}][{j}]"]

    # the right rule of each cell, reading the numbers `v`
    def rule(self, v, kind, l=None, k=None, j=None):
        S, W, b = self.sizes, self.W, self.b
        if kind == "net":
            return sum(W[l][k][i] * self.A(v, l, i) for i in range(S[l])) + b[l][k]
        if kind == "a":
            return sig(v[f"net[{l}][{k}]"])
        if kind == "E":
            return 0.5 * sum((self.t[i] - v[f"a[{self.L - 1}][{i}]"]) ** 2 for i in range(S[-1]))
        if kind == "delta":
            a = v[f"a[{l}][{k}]"]
            if l == self.L - 1:
                return (a - self.t[k]) * a * (1 - a)
            return a * (1 - a) * sum(W[l + 1][i][k] * v[f"delta[{l + 1}][{i}]"] for i in range(S[l + 2]))
        if kind == "grad_weights":
            return v[f"delta[{l}][{k}]"] * self.A(v, l, j)
        if kind == "grad_biases":
            return v[f"delta[{l}][{k}]"]
        if kind == "updated_weights":
            return W[l][k][j] - self.eta * v[f"grad_weights[{l}][{k}][{j}]"]
        return b[l][k] - self.eta * v[f"grad_biases[{l}][{k}]"]

    def cells(self):
        """(address, kind, l, k, j) in the order the pass is worked."""
        S, out = self.sizes, []
        for l in range(self.L):
            out += [(f"net[{l}][{k}]", "net", l, k, None) for k in range(S[l + 1])]
            out += [(f"a[{l}][{k}]", "a", l, k, None) for k in range(S[l + 1])]
        out.append(("E", "E", None, None, None))
        for l in range(self.L - 1, -1, -1):
            out += [(f"delta[{l}][{k}]", "delta", l, k, None) for k in range(S[l + 1])]
        for kind, bkind in (("grad_weights", "grad_biases"), ("updated_weights", "updated_biases")):
            for l in range(self.L):
                for k in range(S[l + 1]):
                    out += [(f"{kind}[{l}][{k}][{j}]", kind, l, k, j) for j in range(S[l])]
                    out.append((f"{bkind}[{l}][{k}]", bkind, l, k, None))
        return out

    def inputs(self, kind, l, k, j):
        S = self.sizes
        if kind == "net":
            return [f"a[{l - 1}][{i}]" for i in range(S[l])] if l else []
        if kind == "a":
            return [f"net[{l}][{k}]"]
        if kind == "E":
            return [f"a[{self.L - 1}][{i}]" for i in range(S[-1])]
        if kind == "delta":
            own = [f"a[{l}][{k}]"]
            return own if l == self.L - 1 else own + [f"delta[{l + 1}][{i}]" for i in range(S[l + 2])]
        if kind == "grad_weights":
            return [f"delta[{l}][{k}]"] + ([f"a[{l - 1}][{j}]"] if l else [])
        if kind == "grad_biases":
            return [f"delta[{l}][{k}]"]
        return [f"grad_weights[{l}][{k}][{j}]"] if kind == "updated_weights" else [f"grad_biases[{l}][{k}]"]

    def run(self, given):
        v = {}
        for addr, kind, l, k, j in self.cells():
            v[addr] = given[addr] if addr in given else self.rule(v, kind, l, k, j)
        return v

    def mistakes(self, kind, l, k, j):
        """{id: [values]} of the issue's misconceptions at one cell, from the true numbers."""
        v, S, W, b, t = self.v, self.sizes, self.W, self.b, self.t
        out: dict[str, list[float]] = {}
        if kind in ("net", "a"):
            no_bias = sum(W[l][k][i] * self.A(v, l, i) for i in range(S[l]))
            f = (lambda z: z) if kind == "net" else sig
            out["bias-forgotten"] = [f(no_bias)]
            if S[l] == S[l + 1]:
                out["transposed-weights"] = [f(sum(W[l][i][k] * self.A(v, l, i) for i in range(S[l])) + b[l][k])]
            if kind == "a":
                n = v[f"net[{l}][{k}]"]
                out["net-for-a"] = [n]
                out["exponent-sign"] = [sig(-n)]
        elif kind == "E":
            outs = [v[f"a[{self.L - 1}][{i}]"] for i in range(S[-1])]
            out["half-dropped"] = [sum((ti - a) ** 2 for ti, a in zip(t, outs))]
            out["not-squared"] = [0.5 * sum(ti - a for ti, a in zip(t, outs))]
            if S[-1] > 1:
                out["one-output-only"] = [0.5 * (ti - a) ** 2 for ti, a in zip(t, outs)]
        elif kind == "delta":
            a, n, d = v[f"a[{l}][{k}]"], v[f"net[{l}][{k}]"], v[f"delta[{l}][{k}]"]
            if l == self.L - 1:
                e = a - t[k]
                out = {"sign-flipped": [-d], "sigma-prime-dropped": [e], "sigma-for-sigma-prime": [e * a],
                       "half-dropped": [2 * d], "net-for-a": [e * n * (1 - n)]}
            else:
                nxt = range(S[l + 2])
                dk = [v[f"delta[{l + 1}][{i}]"] for i in nxt]
                ak = [v[f"a[{l + 1}][{i}]"] for i in nxt]
                s = sum(W[l + 1][i][k] * dk[i] for i in nxt)
                out["sigma-prime-dropped"] = [s]
                out["sigma-for-sigma-prime"] = [a * s]
                if S[l + 2] > 1:
                    out["one-path-only"] = [a * (1 - a) * W[l + 1][i][k] * dk[i] for i in nxt]
                if S[l + 2] == S[l + 1]:
                    out["transposed-weights"] = [a * (1 - a) * sum(W[l + 1][k][i] * dk[i] for i in nxt)]
                if l + 1 == self.L - 1:
                    out["errors-for-deltas"] = [a * (1 - a) * sum(W[l + 1][i][k] * (ak[i] - t[i]) for i in nxt)]
                out["wrong-unit-slope"] = [sum(W[l + 1][i][k] * dk[i] * ak[i] * (1 - ak[i]) for i in nxt)]
                new_w = [W[l + 1][i][k] - self.eta * dk[i] * a for i in nxt]
                out["updated-weights"] = [a * (1 - a) * sum(new_w[i] * dk[i] for i in nxt)]
        elif kind in ("grad_weights", "grad_biases"):
            d = v[f"delta[{l}][{k}]"]
            g = v[f"{kind}[{l}][{k}]" + (f"[{j}]" if j is not None else "")]
            out["sign-flipped"] = [-g]
            out["wrong-activation"] = [d * v[f"a[{l}][{k}]"]]
            if kind == "grad_weights":
                out["weight-for-activation"] = [d * W[l][k][j]]
                if l:
                    out["net-for-a"] = [d * v[f"net[{l - 1}][{j}]"]]
        else:
            p, g = (W[l][k][j], v[f"grad_weights[{l}][{k}][{j}]"]) if j is not None else (b[l][k], v[f"grad_biases[{l}][{k}]"])
            out = {"plus-eta": [p + self.eta * g], "eta-forgotten": [p - g], "change-only": [-self.eta * g]}
        return out


def _oracles():
    rng = random.Random(20240917)
    return [Oracle(rng, depth) for depth in (2, 3) for _ in range(NETWORKS)]


ORACLES = _oracles()


@pytest.fixture(scope="module")
def sheets():
    return [(o, Worksheet(o.spec())) for o in ORACLES]


def test_the_cells_are_the_oracles_cells_in_order(sheets):
    for o, ws in sheets:
        assert sorted(c.address for c in ws.cells) == sorted(a for a, *_ in o.cells())
        for c in ws.cells:
            assert c.value == pytest.approx(o.v[c.address], rel=1e-9, abs=1e-12), c.address


def test_every_true_value_is_accepted(sheets):
    for o, ws in sheets:
        for addr, *_ in o.cells():
            for typed in (repr(o.v[addr]), f"{o.v[addr]:.4g}"):
                verdict = ws.grade(addr, typed)
                assert verdict.correct, f"{addr} = {typed}: {verdict.feedback}"


def _rates(sheets):
    named = distinguishable = accepted = 0
    misses = []
    for o, ws in sheets:
        for addr, kind, l, k, j in o.cells():
            truth = o.v[addr]
            table = o.mistakes(kind, l, k, j)
            for mid, values in table.items():
                for x in values:
                    others = [y for other, ys in table.items() if other != mid for y in ys]
                    if near(x, truth, 2) or any(near(x, y, 2) for y in others):
                        continue
                    distinguishable += 1
                    verdict = ws.grade(addr, repr(x))
                    accepted += verdict.correct
                    if verdict.mistake == mid:
                        named += 1
                    else:
                        misses.append((addr, mid, verdict.mistake))
    return named, distinguishable, accepted, misses


def test_single_misconceptions_are_named_and_never_accepted(sheets):
    named, distinguishable, accepted, misses = _rates(sheets)
    assert distinguishable > 1000
    assert accepted == 0
    assert named / distinguishable >= 0.95, (named, distinguishable, misses[:20])


def test_other_wrong_numbers_are_never_accepted(sheets):
    rng = random.Random(5)
    for o, ws in sheets:
        for addr, *_ in o.cells():
            truth = o.v[addr]
            for factor in (1.05, 0.95, -1.0, 1.02):
                wrong = truth * factor + (0.0 if truth else 0.01)
                if near(wrong, truth, 2):
                    continue
                assert not ws.grade(addr, repr(wrong)).correct, (addr, truth, wrong)
            assert not ws.grade(addr, repr(truth + rng.choice((-1, 1)) * 0.05)).correct


def off(x: float) -> float:
    """A clearly wrong version of x: a fifth (at least 0.02) further from 0."""
    return x + math.copysign(max(0.2 * abs(x), 0.02), x)


def _carried_cases(o: Oracle):
    """(address, wrong input, its value, what the right rule gives from it) for every cell with inputs."""
    for addr, kind, l, k, j in o.cells():
        for inp in o.inputs(kind, l, k, j):
            wrong = off(o.v[inp])
            world = dict(o.v)
            world[inp] = wrong
            answer = o.rule(world, kind, l, k, j)
            if not near(answer, o.v[addr], 2):
                yield addr, inp, wrong, answer


def test_every_carried_forward_answer_is_flagged(sheets):
    count = 0
    for o, ws in sheets:
        for addr, inp, wrong, answer in _carried_cases(o):
            verdict = ws.grade(addr, repr(answer), earlier={inp: wrong})
            assert not verdict.correct, (addr, inp)
            assert inp in verdict.carried, (addr, inp, verdict)
            count += 1
    assert count > 1000


def test_chains_of_two_and_three_cells_carry_forward(sheets):
    """A wrong first number, then each later cell worked rightly from the learner's latest numbers."""
    chains = 0
    for o, ws in sheets:
        for start, kind, *_ in o.cells():
            if kind not in ("net", "delta"):
                continue
            # follow one road: each next cell reads the previous one
            path = [start]
            for _ in range(2):
                nxt = next((a for a, kd, l, k, j in o.cells() if path[-1] in o.inputs(kd, l, k, j)), None)
                if nxt is None:
                    break
                path.append(nxt)
            if len(path) < 2:
                continue
            learner = o.run({start: off(o.v[start])})  # the learner works every later cell rightly
            order = [a for a, *_ in o.cells()]
            for prev, cell in zip(path, path[1:]):
                if near(learner[cell], o.v[cell], 2):
                    break
                earlier = {a: learner[a] for a in order[: order.index(cell)]}
                verdict = ws.grade(cell, repr(learner[cell]), earlier=earlier)
                assert not verdict.correct and prev in verdict.carried, (path, cell, verdict)
                chains += 1
    assert chains > 200
