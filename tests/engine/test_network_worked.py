"""The worked solution text and JSON, checked against Mazur's published example worked by hand."""

import numpy as np
import pytest

from engine.network import Network
from engine.worked import fmt, solve, to_json, worked_lines


def mazur():
    net = Network([[[0.15, 0.20], [0.25, 0.30]], [[0.40, 0.45], [0.50, 0.55]]], [[0.35, 0.35], [0.60, 0.60]])
    return solve(net, [0.05, 0.10], [0.01, 0.99], learning_rate=0.5)


def test_fmt_four_significant_figures():
    assert fmt(0.138498562) == "0.1385"
    assert fmt(-0.0380982) == "−0.03810"
    assert fmt(0.05) == "0.05"  # exact at 4 figures: no padding
    assert fmt(0.0000123456) == "1.235e−5"
    assert fmt(0.1 + 0.2 + 0.03) == "0.33"


def test_mazur_worked_lines():
    text = "\n".join(worked_lines(mazur()))
    # Mazur: net_h1 = 0.15·0.05 + 0.2·0.1 + 0.35·1 = 0.3775, out_h1 = 0.593269992
    assert "net_h1 = w_i1h1·a_i1 + w_i2h1·a_i2 + b_h1 = 0.15·0.05 + 0.2·0.1 + 0.35 = 0.3775" in text
    assert "a_h1 = σ(net_h1) = σ(0.3775) = 0.5933" in text
    # Mazur: E_total = 0.298371109
    assert "= 0.2984" in text
    # Mazur: ∂E/∂out_o1 = 0.74136507, ∂out_o1/∂net_o1 = 0.186815602, product 0.138498562
    assert "δ_o1 = (a_o1 − t_o1)·a_o1·(1 − a_o1) = (0.7514 − 0.01)·0.7514·0.2486 = 0.1385" in text
    # Mazur: ∂E/∂out_h1 = 0.036350306 = 0.4·0.138498562 + 0.5·(−0.0380982), times 0.241300709
    assert ("δ_h1 = a_h1·(1 − a_h1)·(w_h1o1·δ_o1 + w_h1o2·δ_o2) = 0.5933·0.4067·(0.4·0.1385 + 0.5·(−0.03810))"
            " = 0.008771") in text
    # Mazur: ∂E/∂w5 = 0.082167041, w5+ = 0.35891648, w1+ = 0.149780716
    assert "∂E/∂w_h1o1 = δ_o1·a_h1 = 0.1385·0.5933 = 0.08217" in text
    assert "w_h1o1⁺ = w_h1o1 − η·∂E/∂w_h1o1 = 0.4 − 0.5·0.08217 = 0.3589" in text
    assert "w_i1h1⁺ = w_i1h1 − η·∂E/∂w_i1h1 = 0.15 − 0.5·0.0004386 = 0.1498" in text
    assert "old weights" in text


def test_json_keys_and_shapes():
    d = to_json(mazur())
    assert set(d) == {"net", "a", "E", "delta", "grad_weights", "grad_biases", "learning_rate",
                      "updated_weights", "updated_biases"}
    assert np.shape(d["grad_weights"][1]) == (2, 2)
    assert d["E"] == pytest.approx(0.298371109, abs=1e-8)  # Mazur's E_total
    net = Network([[[1.0, 2.0]]], None, ["linear"])
    d = to_json(solve(net, [1.0, 1.0], [0.0]))
    assert set(d) == {"net", "a", "E", "delta", "grad_weights"}


def test_worked_softmax_and_deep_labels():
    net = Network.random([2, 3, 2, 3], ["tanh", "sigmoid", "softmax"], "cross_entropy", rng=2)
    text = "\n".join(worked_lines(solve(net, [0.3, 0.4], [0.2, 0.3, 0.5], check=True)))
    assert "δ_1^(3) = a_1^(3) − t_1^(3)" in text
    assert "w_11^(2)" in text and "a_1^(2) = σ(net_1^(2))" in text
    assert "Finite differences agree" in text


def test_worked_softmax_with_squared_error():
    net = Network([[[1.0, 0.0], [0.0, 1.0]]], None, ["softmax"], "sse")
    sol = solve(net, [0.0, 0.0], [1.0, 0.0])
    # a = (½, ½); S = Σ(a − t)a = (−½)(½) + (½)(½) = 0; δ_1 = ½·(−½ − 0) = −¼
    assert sol.grads.deltas[0][0] == pytest.approx(-0.25)
    text = "\n".join(worked_lines(sol))
    assert "δ_o1 = a_o1·((a_o1 − t_o1) − S)" in text and "= −0.25" in text


def test_check_at_a_relu_corner_is_explained():
    # net_h1 = 1 − 1 = 0: backprop uses relu′(0) = 0, finite differences see half a slope
    net = Network([[[1.0, -1.0]], [[2.0]]], None, ["relu", "linear"])
    text = "\n".join(worked_lines(solve(net, [1.0, 1.0], [1.0], check=True)))
    assert "Finite differences DISAGREE" in text and "relu has a corner" in text
