"""Fuzzing the grader with generated input: always a verdict, never an exception, nothing executed.

A seeded generator makes random text, random well-formed formulas, mutations of real answers,
nasty Unicode, very long input and code-injection attempts aimed at a canary file. While grading,
an audit hook records anything that would run code or touch the outside world (exec, compile,
os.system, subprocess, writing files, sockets, importing sympy). The quick tests run in the
normal suite; the long run (10⁵ inputs) is marked slow and runs with --run-slow.
"""

from __future__ import annotations

import os
import random
import sys
import time
from collections.abc import Callable, Iterator

import pytest

from engine.answers import Mistake, Preview, Verdict, check, preview

HANG_GUARD = 10.0  # seconds per call: catches a hang, far above any real grading time; not a budget
INTERNAL = "internal error while checking"
QUICK = 2500
LONG = 100_000

# -- the generator -------------------------------------------------------------------------------

VARIABLES = ("x", "a_j", "a_k", "t_k", "net_j", "net_k", "w_jk", "delta_k", "E", "eta")
KW = dict(definitions={"a_j": "sigmoid(net_j)"}, indices={"k": 3},
          mistakes=(Mistake("sigma-not-prime", "sigmoid(net_j)*sum_k(w_jk*delta_k)", "σ for σ′"),
                    Mistake("one-term", "a_j*(1-a_j)*w_jk*delta_k", "one term")))
EXPECTED = "a_j*(1-a_j)*sum_k(w_jk*delta_k)"
ALPHABET = ("axtwkjn_e()+-*/^ .,0123456789σΣδη′'²³⁻¹·−×÷√∂=!<>[]{}|&%$#@~`\"\\;:?"
            "sigmoidexplntahrluqrtdeltaE")
NAMES = ("x", "a_j", "a_k", "t_k", "net_j", "w_jk", "delta_k", "δ_k", "a_i", "y", "e", "pi", "π", "E", "η")
FUNCS = ("exp", "log", "ln", "sqrt", "sigmoid", "σ", "tanh", "relu", "sigmoid'", "σ'", "σ′", "tanh'", "relu'",
         "sin", "factorial", "abs", "__import__", "open", "eval")
OPS = ("+", "-", "*", "/", "^", "**", " ", "·", "−", "×", "÷", "")
NUMBERS = ("0", "1", "2", "0.5", "1e-3", "1e308", "1e999999", "9" * 40, "-0", ".5", "5.", "1e", "0x10", "1_000",
           "10**7", "9**9**9", "2³", "½")
SEEDS = ("a_j*(1-a_j)*sum_k(w_jk*delta_k)", "-(t_k - a_k)*a_k*(1-a_k)", "σ(x)(1−σ(x))", "exp(-x)/(1+exp(-x))^2",
         "Σ_k w_jk δ_k σ'(net_j)", "0.1385*0.5933", "1/4", "-0.08217", "(a_k-t_k)σ′(net_k)", "a_j - a_j^2",
         "sum_k(w_jk*delta_k)*a_j*(1-a_j)", "2σ(2x)−1", "tanh(x)^2", "e^-x/(1+e^-x)^2", "η*δ_k*a_j",
         "sigmoid(net_j)*sum_k(w_jk*delta_k)", "a_j*(1-a_j)*w_jk*delta_k")
NASTY = ("\x00", "\x07", "\x1b[31m", "\ud800", "\udfff", "\u202e", "\u200b", "\ufeff", "\u2028", "\u0301",
         "\u00a0", "\u3000", "１", "ｘ", "𝑥", "𝟏", "😀", "👩‍👩‍👧", "ﷺ", "\U0010ffff", "\uffff", "Ⅻ", "٣", "०",
         "ß", "İ", "ǅ", "Ω", "µ", "∞", "NaN", "inf", "None", "True", "%s%n", "{0}", "${x}", "\\u0041")


def _expression(rng: random.Random, depth: int) -> str:
    roll = rng.random()
    if depth <= 0 or roll < 0.25:
        return rng.choice(NAMES) if rng.random() < 0.6 else rng.choice(NUMBERS)
    if roll < 0.55:
        return f"{_expression(rng, depth - 1)}{rng.choice(OPS)}{_expression(rng, depth - 1)}"
    if roll < 0.75:
        return f"{rng.choice(FUNCS)}({_expression(rng, depth - 1)})"
    if roll < 0.85:
        return f"({_expression(rng, depth - 1)})"
    if roll < 0.92:
        return f"-{_expression(rng, depth - 1)}"
    idx = rng.choice(("k", "j", "i", "q"))
    return f"{rng.choice(('sum_', 'Σ_'))}{idx}({_expression(rng, depth - 1)})"


def _mutate(rng: random.Random, text: str) -> str:
    chars = list(text)
    for _ in range(rng.randint(1, 4)):
        op = rng.choice((0, 0, 1, 1, 2, 3, 4))  # mostly edits a learner could make; sometimes nasty
        pos = rng.randint(0, len(chars))
        if op == 0:
            chars.insert(pos, rng.choice(ALPHABET))
        elif op == 1 and chars:
            del chars[min(pos, len(chars) - 1)]
        elif op == 2 and chars:
            chars[min(pos, len(chars) - 1)] = rng.choice(ALPHABET + "".join(NASTY))
        elif op == 3 and chars:
            lo = rng.randrange(len(chars))
            chars[pos:pos] = chars[lo:lo + rng.randint(1, 8)]
        else:
            chars.insert(pos, rng.choice(NASTY))
    return "".join(chars)


def _attack(rng: random.Random, canary: str) -> str:
    attacks = (
        f"__import__('os').system('touch {canary}')",
        f"open('{canary}','w').write('x')",
        f"exec(\"open('{canary}','w')\")",
        f"eval('__import__(\"os\").system(\"touch {canary}\")')",
        "().__class__.__base__.__subclasses__()",
        f"__builtins__.open('{canary}','w')",
        f"sympify(\"__import__('os').system('touch {canary}')\")",
        f"x; import os; os.system('touch {canary}')",
        f"$(touch {canary})", f"`touch {canary}`", f"x && touch {canary}",
        f"lambda: open('{canary}','w')", f"[open('{canary}','w') for _ in (1,)]",
        f"Symbol('x').__class__.__init__.__globals__['os'].system('touch {canary}')",
    )
    text = rng.choice(attacks)
    return _mutate(rng, text) if rng.random() < 0.3 else text


def _long(rng: random.Random) -> str:
    piece = rng.choice(("(", ")", "x", "1", "-", "x*", "σ(", "sum_k(", "^9", "a_j+", "𝑥", "\u0301", " ", "((x))"))
    return piece * rng.randint(200, 12_000 // len(piece))


def inputs(seed: int, n: int, canary: str) -> Iterator[str]:
    """n generated answers, the same for the same seed."""
    rng = random.Random(seed)
    for i in range(n):
        family = i % 10
        if family in (0, 1):
            yield "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 60)))
        elif family in (2, 3, 4):
            yield _expression(rng, rng.randint(1, 7))
        elif family == 5:
            yield _mutate(rng, rng.choice(SEEDS))
        elif family == 6:  # real answers, spaced out or swapped into Unicode: reach the comparison
            text = rng.choice(SEEDS)
            for a, b in (("*", rng.choice(("*", "·", " ", "×"))), ("-", rng.choice(("-", "−"))), ("(", " (")):
                text = text.replace(a, b) if rng.random() < 0.5 else text
            yield text
        elif family == 7:
            yield "".join(rng.choice(NASTY) if rng.random() < 0.5 else chr(rng.randint(0, 0x10FFFF))
                          for _ in range(rng.randint(1, 30)))
        elif family == 8:
            yield _attack(rng, canary)
        else:
            yield _long(rng) if rng.random() < 0.5 else _expression(rng, 12)


# -- nothing executed: an audit hook watches while the grader runs --------------------------------

_WATCH: list = []  # when non-empty, _WATCH[0] is the list that records forbidden events
FORBIDDEN = ("exec", "compile", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork", "os.forkpty",
             "subprocess.Popen", "socket.connect", "socket.bind", "ctypes.dlopen", "os.remove", "os.rename",
             "os.mkdir", "shutil.rmtree", "pty.spawn")


def _audit(event: str, args: tuple) -> None:
    if not _WATCH:
        return
    hit = event in FORBIDDEN
    if event == "open" and args:
        mode = args[1] if len(args) > 1 else "r"
        hit = isinstance(mode, str) and any(c in mode for c in "wax+")
    if event == "import" and args and str(args[0]).startswith("sympy"):
        hit = True
    if hit:
        _WATCH[0].append((event, repr(args)[:200]))
        raise RuntimeError(f"forbidden while grading: {event}")


sys.addaudithook(_audit)


class Watched:
    """Grade with the audit hook armed, a hang guard on every call, and a canary file to stay absent."""

    def __init__(self, canary):
        self.canary = canary
        self.events: list = []

    def __call__(self, fn: Callable, text: str, *args, **kwargs):
        _WATCH.append(self.events)
        raised = None
        start = time.perf_counter()
        try:
            result = fn(text, *args, **kwargs)
        except Exception as err:  # reported below, after what the hook saw
            raised = err
        finally:
            _WATCH.clear()
        elapsed = time.perf_counter() - start
        assert not self.events, f"{text!r} led to {self.events}"
        if raised is not None:
            raise AssertionError(f"{text!r} raised {raised!r}") from raised
        assert elapsed < HANG_GUARD, f"{text!r} took {elapsed:.1f} s"
        assert not self.canary.exists(), f"{text!r} created the canary file"
        return result


def _assert_verdict(v, text: str) -> None:
    assert isinstance(v, Verdict), text
    assert v.feedback and v.error != INTERNAL, f"{text!r}: {v}"
    assert isinstance(v.interpreted, str) and all(isinstance(w, str) for w in v.warnings), text


def _assert_preview(p, text: str) -> None:
    assert isinstance(p, Preview), text
    assert p.ok or p.error, f"{text!r}: {p}"


def fuzz_check_and_preview(tmp_path, seed: int, n: int) -> None:
    canary = tmp_path / "canary"
    grade = Watched(canary)
    for text in inputs(seed, n, str(canary)):
        _assert_verdict(grade(check, text, EXPECTED, VARIABLES, **KW), text)
        _assert_verdict(grade(check, text, "0.082167041", (), kind="number",
                              mistakes=(Mistake("sign", "-0.082167041", "sign"),)), text)
        _assert_preview(grade(preview, text, VARIABLES, definitions=KW["definitions"], indices=KW["indices"]), text)


def fuzz_lesson_exercises(tmp_path, seed: int, n: int) -> None:
    from lessons import curriculum

    exercises = [lesson.exercise(step.id, seed) for lesson in curriculum().lessons for step in lesson.exercise_steps]
    assert exercises, "no lesson exercises to fuzz"
    canary = tmp_path / "canary"
    grade = Watched(canary)
    for i, text in enumerate(inputs(seed + 1, n, str(canary))):
        ex = exercises[i % len(exercises)]
        _assert_verdict(grade(ex.grade, text), text)
        _assert_preview(grade(ex.preview, text), text)


@pytest.fixture(autouse=True)
def _warm():
    # First calls import and cache what the grader needs; the hook watches only what follows.
    check("x", "x", ["x"]), check("1", "1"), preview("x", ["x"])


# -- the tests -----------------------------------------------------------------------------------


def test_the_watch_catches_execution(tmp_path):
    """The audit hook must be able to fail: running code under it is caught."""
    grade = Watched(tmp_path / "canary")
    with pytest.raises(AssertionError, match="compile"):
        grade(exec, "1 + 1")
    with pytest.raises(AssertionError, match="os.system"):
        grade(os.system, f"touch {tmp_path / 'canary'}")
    assert not (tmp_path / "canary").exists()  # the hook refused before the shell ran
    with pytest.raises(AssertionError, match="open"):
        grade(open, str(tmp_path / "other"), "w")


def test_the_generator_covers_every_family(tmp_path):
    sample = list(inputs(0, 500, str(tmp_path / "canary")))
    assert len(set(sample)) > 400
    assert any("__import__" in s for s in sample) and any(len(s) > 1000 for s in sample)
    assert any(not s.isascii() for s in sample) and any("sum_" in s or "Σ_" in s for s in sample)


def test_fuzz_check_and_preview_quick(tmp_path):
    fuzz_check_and_preview(tmp_path, seed=1, n=QUICK)


def test_fuzz_lesson_exercises_quick(tmp_path):
    fuzz_lesson_exercises(tmp_path, seed=2, n=QUICK // 2)


@pytest.mark.slow
def test_fuzz_check_and_preview_long(tmp_path):
    fuzz_check_and_preview(tmp_path, seed=1000, n=LONG)


@pytest.mark.slow
def test_fuzz_lesson_exercises_long(tmp_path):
    fuzz_lesson_exercises(tmp_path, seed=2000, n=LONG // 4)
