"""The worksheet API: cells named as `solve --json` names them, grading that never raises, errors
carried forward along chains, the summary, and reproducible practice draws."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.answers import Verdict, check
from engine.practice import distinguishable, draw_spec, draw_worksheet
from engine.spec import SpecError
from engine.worksheet import Worksheet

ROOT = Path(__file__).resolve().parents[2]
MAZUR = json.loads((ROOT / "tutor" / "examples" / "mazur.json").read_text())


def sig(x):
    return 1 / (1 + math.exp(-x))


@pytest.fixture(scope="module")
def ws():
    return Worksheet(MAZUR)


def test_the_verdict_has_a_carried_field_that_defaults_to_empty():
    assert Verdict(True, "Correct.", "1").carried == ()
    assert check("2", "2").carried == ()


def test_cells_are_addressed_as_solve_json_names_them(ws):
    out = subprocess.run([sys.executable, "-m", "tutor.cli", "solve", str(ROOT / "tutor" / "examples" / "mazur.json"), "--json"],
                         capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    flat = {"E": data["E"]}
    for kind in ("net", "a", "delta", "grad_biases", "updated_biases"):
        for l, row in enumerate(data[kind]):
            for k, v in enumerate(row):
                flat[f"{kind}[{l}][{k}]"] = v
    for kind in ("grad_weights", "updated_weights"):
        for l, m in enumerate(data[kind]):
            for k, row in enumerate(m):
                for j, v in enumerate(row):
                    flat[f"{kind}[{l}][{k}][{j}]"] = v
    assert {c.address: c.value for c in ws.cells} == flat


def test_cells_come_in_working_order_with_labels_inputs_and_formulas(ws):
    addresses = [c.address for c in ws.cells]
    assert addresses[:4] == ["net[0][0]", "net[0][1]", "a[0][0]", "a[0][1]"]
    assert addresses.index("E") < addresses.index("delta[1][0]") < addresses.index("delta[0][0]")
    assert addresses.index("delta[0][1]") < addresses.index("grad_weights[1][0][0]")
    assert addresses[-1] == "updated_biases[0][1]"
    for c in ws.cells:
        assert all(addresses.index(i) < addresses.index(c.address) for i in c.inputs), c.address
    h1 = ws.cell("delta[0][0]")
    assert h1.label == "δ_h1" and h1.name == "delta_h1"
    assert h1.inputs == ("delta[1][0]", "delta[1][1]", "a[0][0]")
    assert h1.formula == "δ_h1 = a_h1·(1 − a_h1)·(w_h1o1·δ_o1 + w_h1o2·δ_o2)"
    assert ws.cell("grad_weights[1][1][0]").label == "∂E/∂w_h1o2"
    assert ws.cell("updated_weights[1][0][0]").label == "w_h1o1⁺"
    # a hand derivation of Mazur's well-known numbers: δ_o1 = (a_o1 − t_o1)·a_o1·(1 − a_o1)
    a_h1 = sig(0.15 * 0.05 + 0.2 * 0.1 + 0.35)
    a_h2 = sig(0.25 * 0.05 + 0.3 * 0.1 + 0.35)
    a_o1 = sig(0.4 * a_h1 + 0.45 * a_h2 + 0.6)
    assert ws.value("delta[1][0]") == pytest.approx((a_o1 - 0.01) * a_o1 * (1 - a_o1), rel=1e-12)
    assert ws.value("updated_weights[1][0][0]") == pytest.approx(0.4 - 0.5 * (a_o1 - 0.01) * a_o1 * (1 - a_o1) * a_h1)


def test_the_givens_are_labelled_for_the_screen(ws):
    givens = {label: (value, where) for label, value, where in ws.givens}
    assert givens["a_i2"] == (0.1, "input[1]") and givens["w_h2o1"] == (0.45, "weights[1][0][1]")
    assert givens["b_o2"] == (0.6, "biases[1][1]") and givens["t_o2"] == (0.99, "target[1]")
    assert givens["η"] == (0.5, "learning_rate") and len(givens) == 2 + 8 + 4 + 2 + 1


def test_no_learning_rate_means_no_update_cells_and_no_biases_no_bias_cells():
    spec = dict(MAZUR)
    del spec["learning_rate"], spec["biases"]
    kinds = {c.kind for c in Worksheet(spec).cells}
    assert kinds == {"net", "a", "E", "delta", "grad_weights"}


def test_unknown_addresses_and_bad_specs_are_clear_errors(ws):
    for bad in ("delta[5][0]", "delta[0]", "w_h1o1", "", "grad_weights[0][0]"):
        with pytest.raises(ValueError, match="cell"):
            ws.grade(bad, "0.1")
    with pytest.raises(ValueError, match="no cell"):
        ws.grade("delta[0][0]", "0.1", earlier={"delta[9][9]": 0.2})
    with pytest.raises(SpecError):
        Worksheet({"layers": [2]})


def test_arithmetic_is_read_and_typos_get_a_message(ws):
    d_o1 = ws.value("delta[1][0]")
    assert ws.grade("grad_weights[1][0][0]", f"{d_o1:.4f}*{ws.value('a[0][0]'):.4f}").correct
    for typo in ("0.13.8", "(0.1", "", "abc", "1/0", "δ_o1", "9" * 400, "\x00"):
        verdict = ws.grade("delta[1][0]", typo)
        assert not verdict.correct and verdict.feedback and verdict.error, typo


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60), st.sampled_from([c.address for c in Worksheet(MAZUR).cells]),
       st.dictionaries(st.sampled_from(["net[0][0]", "a[0][0]", "delta[1][0]", "grad_weights[1][0][0]"]),
                       st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=12)), max_size=3))
def test_grade_never_raises(text, address, earlier):
    verdict = Worksheet(MAZUR).grade(address, text, earlier=earlier)
    assert isinstance(verdict, Verdict) and verdict.feedback


SHEETS = [Worksheet(MAZUR), Worksheet(draw_spec(2, (2, 3, 3), activations=["relu", "softmax"], loss="cross_entropy")),
          Worksheet(draw_spec(4, (3, 2, 2, 1), activations=["tanh", "sigmoid", "linear"]))]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(SHEETS), st.data(),
       st.one_of(st.floats(width=64).map(repr), st.text(alphabet="0123456789.-+*/^()e ", max_size=20)))
def test_grade_never_raises_on_any_network(ws, data, text):
    address = data.draw(st.sampled_from([c.address for c in ws.cells]))
    inputs = ws.cell(address).inputs
    earlier = data.draw(st.dictionaries(st.sampled_from(inputs), st.floats(width=64), max_size=len(inputs))) if inputs else {}
    verdict = ws.grade(address, text, earlier=earlier)
    assert isinstance(verdict, Verdict) and verdict.feedback
    assert set(verdict.carried) <= set(earlier)


@pytest.mark.parametrize("ws", SHEETS)
def test_huge_earlier_numbers_overflow_nothing(ws):
    """A learner's own output activation of 1e154: (t − a)² overflows a float, and the grade still stands."""
    last = [c.address for c in ws.cells if c.kind == "a"][-1]
    verdict = ws.grade("E", "0.0", earlier={last: 1.3407807929942597e154})
    assert not verdict.correct and verdict.feedback
    assert set(verdict.carried) <= {last}


@settings(max_examples=200, deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=False, width=64))
def test_any_number_gets_a_verdict(x):
    verdict = Worksheet(MAZUR).grade("delta[0][0]", repr(x))
    assert verdict.feedback and (not verdict.correct or abs(x - 0.00877) < 1e-4)


def test_a_two_cell_chain_on_a_depth_two_network(ws):
    """The learner's δ_o1 is off; δ_h1 worked rightly from it is carried, with the hand formula."""
    d_o1 = 0.2  # wrong: the truth is 0.1385
    d_o2, a_h1 = ws.value("delta[1][1]"), ws.value("a[0][0]")
    own = a_h1 * (1 - a_h1) * (0.4 * d_o1 + 0.5 * d_o2)  # δ_h1 = a_h1(1 − a_h1)(w_h1o1 δ_o1 + w_h1o2 δ_o2)
    verdict = ws.grade("delta[0][0]", f"{own:.4g}", earlier={"delta[1][0]": d_o1, "delta[1][1]": d_o2})
    assert not verdict.correct and verdict.carried == ("delta[1][0]",) and verdict.mistake is None
    assert "δ_o1" in verdict.feedback and "method is right" in verdict.feedback
    # and then ∂E/∂w_i1h1 = δ_h1·x_i1 from that carried δ_h1
    verdict = ws.grade("grad_weights[0][0][0]", repr(own * 0.05), earlier={"delta[1][0]": d_o1, "delta[0][0]": own})
    assert verdict.carried == ("delta[0][0]",)


def test_a_three_cell_chain_on_a_depth_three_network():
    spec = draw_spec(3, (2, 3, 3, 2))
    ws = Worksheet(spec)
    W, b = spec["weights"], spec["biases"]
    net_h1 = ws.value("net[0][0]") + 0.3  # the first slip
    a_h1 = sig(net_h1)
    a1 = [a_h1] + [ws.value(f"a[0][{j}]") for j in (1, 2)]
    net_2 = sum(W[1][0][j] * a1[j] for j in range(3)) + b[1][0]
    earlier = {"net[0][0]": net_h1}
    v = ws.grade("a[0][0]", repr(a_h1), earlier=earlier)
    assert not v.correct and v.carried == ("net[0][0]",)
    earlier["a[0][0]"] = a_h1
    v = ws.grade("net[1][0]", repr(net_2), earlier=earlier)
    assert not v.correct and v.carried == ("a[0][0]",)
    earlier["net[1][0]"] = net_2
    v = ws.grade("a[1][0]", f"{sig(net_2):.5g}", earlier=earlier)
    assert not v.correct and v.carried == ("net[1][0]",)


def test_a_misconception_worked_from_the_learners_own_numbers_is_named_and_carried(ws):
    d_o1 = 0.2
    s = 0.4 * d_o1 + 0.5 * ws.value("delta[1][1]")  # σ′ left out, from the learner's own δ_o1
    verdict = ws.grade("delta[0][0]", repr(s), earlier={"delta[1][0]": d_o1})
    assert verdict.mistake == "sigma-prime-dropped" and verdict.carried == ("delta[1][0]",)


def test_right_numbers_rounded_by_the_learner_carry_nothing(ws):
    rounded = {a: float(f"{ws.value(a):.4g}") for a in ("delta[1][0]", "delta[1][1]", "a[0][0]")}
    own = rounded["a[0][0]"] * (1 - rounded["a[0][0]"]) * (0.4 * rounded["delta[1][0]"] + 0.5 * rounded["delta[1][1]"])
    verdict = ws.grade("delta[0][0]", repr(own), earlier=rounded)
    assert verdict.correct and verdict.carried == ()


def test_feedback_without_words_is_honest_and_with_words_is_theirs():
    class Words:
        def label(self, mistake, quantity):
            return f"L:{mistake}:{quantity}"

        def feedback(self, mistake, quantity):
            return f"F:{mistake}:{quantity}"

    plain, worded = Worksheet(MAZUR), Worksheet(MAZUR, words=Words())
    s = 0.4 * plain.value("delta[1][0]") + 0.5 * plain.value("delta[1][1]")
    assert "sigma prime dropped" in plain.grade("delta[0][0]", repr(s)).feedback
    assert worded.grade("delta[0][0]", repr(s)).feedback == "F:sigma-prime-dropped:hidden-delta"


def test_the_summary_says_which_misconception_and_where(ws):
    verdicts = {c.address: ws.grade(c.address, repr(c.value)) for c in ws.cells}
    for j in (0, 1):
        a = f"delta[0][{j}]"
        s = sum(MAZUR["weights"][1][k][j] * ws.value(f"delta[1][{k}]") for k in (0, 1))
        verdicts[a] = ws.grade(a, repr(s))
    verdicts["delta[1][1]"] = ws.grade("delta[1][1]", repr(-ws.value("delta[1][1]")))
    summary = ws.summary(verdicts)
    assert summary.lines() == ["sign-flipped at δ_o2", "sigma-prime-dropped at both hidden units"]
    assert not summary.complete and summary.missing == ()
    assert ws.summary({c.address: ws.grade(c.address, repr(c.value)) for c in ws.cells}).complete


def test_practice_draws_are_reproducible_and_keep_misconceptions_apart():
    a, b = draw_spec(11, (2, 3, 3, 2)), draw_spec(11, (2, 3, 3, 2))
    assert a == b and draw_spec(12, (2, 3, 3, 2)) != a
    for seed in range(4):
        spec = draw_spec(seed)
        ws = Worksheet(spec)
        assert distinguishable(ws)
        for c in ws.cells:
            for _, x in ws.misconceptions(c.address):
                assert not ws.grade(c.address, repr(x)).correct
    soft = draw_spec(1, (2, 3, 3), activations=["tanh", "softmax"], loss="cross_entropy")
    assert abs(sum(soft["target"]) - 1) < 1e-9 and Worksheet(soft).cells


def test_earlier_numbers_given_as_numbers_grade_as_the_same_numbers_typed(ws):
    """A learner's earlier number may come as text or already read: the verdict is the same, and a
    number that is not finite counts as no number at all, as unreadable text does."""
    d_o1, d_o2, a_h1 = 0.2, ws.value("delta[1][1]"), ws.value("a[0][0]")
    own = a_h1 * (1 - a_h1) * (0.4 * d_o1 + 0.5 * d_o2)  # δ_h1 worked rightly from the wrong δ_o1
    as_text = ws.grade("delta[0][0]", f"{own:.4g}", earlier={"delta[1][0]": "0.2", "delta[1][1]": repr(d_o2)})
    as_numbers = ws.grade("delta[0][0]", f"{own:.4g}", earlier={"delta[1][0]": 0.2, "delta[1][1]": d_o2})
    assert as_text == as_numbers and as_numbers.carried == ("delta[1][0]",)
    for nothing in (float("nan"), float("inf"), "0.2*"):
        assert ws.grade("delta[0][0]", f"{own:.4g}", earlier={"delta[1][0]": nothing}) == \
            ws.grade("delta[0][0]", f"{own:.4g}")


def test_a_drawn_worksheet_is_the_worksheet_of_the_drawn_spec():
    spec, drawn = draw_worksheet(5, (2, 3, 2))
    assert spec == draw_spec(5, (2, 3, 2))
    fresh = Worksheet(spec)
    assert [(c.address, c.value) for c in drawn.cells] == [(c.address, c.value) for c in fresh.cells]
    for c in fresh.cells:  # its misconceptions, worked out by the draw, are the ones a new worksheet finds
        assert drawn.misconceptions(c.address) == fresh.misconceptions(c.address)


def test_the_engine_modules_import_neither_lessons_nor_ui():
    code = ("import sys, engine.worksheet, engine.practice, engine.summary; "
            "bad = [m for m in ('lessons', 'tutor', 'textual', 'rich', 'sympy') if m in sys.modules]; "
            "print(bad); raise SystemExit(1 if bad else 0)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_summary_tells_two_kinds_of_cell_at_one_place_apart(ws):
    # Mazur's network. Bias forgotten by hand: net_h1 = 0.15·0.05 + 0.20·0.10 = 0.0275,
    # net_h2 = 0.25·0.05 + 0.30·0.10 = 0.0425, and a = σ of those nets without b = 0.35.
    def sig(x):
        return 1 / (1 + math.exp(-x))

    verdicts = {
        "net[0][0]": ws.grade("net[0][0]", "0.0275"), "net[0][1]": ws.grade("net[0][1]", "0.0425"),
        "a[0][0]": ws.grade("a[0][0]", repr(sig(0.0275))), "a[0][1]": ws.grade("a[0][1]", repr(sig(0.0425))),
    }
    # δ_o and ∂E/∂b_o with the sign reversed: −(a_o − t_o)·a_o(1 − a_o), and ∂E/∂b_o = δ_o
    for k in (0, 1):
        a, t = ws.value(f"a[1][{k}]"), MAZUR["target"][k]
        flipped = -(a - t) * a * (1 - a)
        verdicts[f"delta[1][{k}]"] = ws.grade(f"delta[1][{k}]", repr(flipped))
        verdicts[f"grad_biases[1][{k}]"] = ws.grade(f"grad_biases[1][{k}]", repr(flipped))
    assert ws.summary(verdicts).lines() == [
        "bias-forgotten at both hidden units (net and a)",
        "sign-flipped at both output units (δ and ∂E/∂b)",
    ]
