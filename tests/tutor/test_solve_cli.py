"""`backprop-tutor solve`: worked output, JSON, --check, and one-line errors for bad specs."""

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from tutor.cli import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "tutor" / "examples"
MAZUR = str(EXAMPLES / "mazur.json")

GOOD = {
    "layers": [2, 2, 2],
    "activations": ["sigmoid", "sigmoid"],
    "loss": "sse",
    "weights": [[[0.1, 0.2], [0.3, 0.4]], [[0.5, 0.6], [0.7, 0.8]]],
    "biases": [[0.1, 0.1], [0.2, 0.2]],
    "input": [0.5, 0.9],
    "target": [0.0, 1.0],
    "learning_rate": 0.5,
}


def write(tmp_path, data, name="spec.json"):
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return str(path)


def test_mazur_json_reproduces_the_published_numbers(capsys):
    assert main(["solve", MAZUR, "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    # Matt Mazur, "A Step by Step Backpropagation Example": published values, written in by hand
    assert d["a"][0] == pytest.approx([0.593269992, 0.596884378], abs=1e-8)
    assert d["a"][1] == pytest.approx([0.75136507, 0.772928465], abs=1e-8)
    assert d["E"] == pytest.approx(0.298371109, abs=1e-8)
    assert d["grad_weights"][1][0][0] == pytest.approx(0.082167041, abs=1e-8)  # ∂E/∂w5
    # w5..w8 = h1→o1, h2→o1, h1→o2, h2→o2 = [1][0][0], [1][0][1], [1][1][0], [1][1][1]
    np.testing.assert_allclose(d["updated_weights"][1], [[0.35891648, 0.408666186], [0.511301270, 0.561370121]], atol=1e-8, rtol=0)
    # w1..w4 = i1→h1, i2→h1, i1→h2, i2→h2
    np.testing.assert_allclose(d["updated_weights"][0], [[0.149780716, 0.19956143], [0.24975114, 0.29950229]], atol=1e-8, rtol=0)


def test_human_output_is_a_worked_solution(capsys):
    assert main(["solve", MAZUR]) == 0
    out = capsys.readouterr().out
    assert "δ_o1 = (a_o1 − t_o1)·a_o1·(1 − a_o1) = (0.7514 − 0.01)·0.7514·0.2486 = 0.1385" in out
    assert "∂E/∂w_h1o1 = δ_o1·a_h1" in out
    assert "w_h1o1⁺" in out
    assert "finite difference" not in out


def test_check_shows_relative_errors(capsys):
    assert main(["solve", MAZUR, "--check"]) == 0
    out = capsys.readouterr().out
    assert out.count("rel. error") == 12  # 8 weights and 4 biases
    assert "Finite differences agree" in out
    assert main(["solve", MAZUR, "--check", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["check"]["max_rel_error"] < 1e-6
    assert d["check"]["numeric_grad_weights"][1][0][0] == pytest.approx(0.082167041, abs=1e-8)


@pytest.mark.parametrize("name", ["mazur", "no_biases", "softmax_cross_entropy", "deep_relu"])
def test_shipped_examples_solve(name, capsys):
    assert main(["solve", str(EXAMPLES / f"{name}.json"), "--check", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["check"]["max_rel_error"] < 1e-5
    assert ("grad_biases" in d) == (name != "no_biases")


def test_softmax_cross_entropy_example_delta_is_a_minus_t(capsys):
    assert main(["solve", str(EXAMPLES / "softmax_cross_entropy.json"), "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    a, target = d["a"][-1], [0.0, 1.0, 0.0]
    assert sum(a) == pytest.approx(1.0)
    assert d["delta"][-1] == pytest.approx([x - t for x, t in zip(a, target)])


def test_no_learning_rate_means_no_update(tmp_path, capsys):
    spec = dict(GOOD)
    del spec["learning_rate"], spec["biases"]
    assert main(["solve", write(tmp_path, spec), "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert "updated_weights" not in d and "grad_biases" not in d and "updated_biases" not in d


def bad(**changes):
    spec = json.loads(json.dumps(GOOD))
    spec.update(changes)
    return spec


BAD_SPECS = [
    ("malformed JSON", '{"layers": [2, 2, 2],', "not valid JSON"),
    ("wrong matrix shape", bad(weights=[[[0.1, 0.2]], [[0.5, 0.6], [0.7, 0.8]]]), "weights[0] must have 2 rows"),
    ("unknown activation", bad(activations=["sigmoid", "softplus"]), "activations[1]: unknown activation"),
    ("unknown loss", bad(loss="hinge"), "loss: unknown loss"),
    ("non-number", bad(input=[0.5, "x"]), "input[1] must be a number"),
    ("boolean", bad(target=[0.0, True]), "target[1] must be a number"),
    ("NaN", json.dumps(GOOD).replace("0.9]", "NaN]"), "input[1] must be a finite number"),
    ("Infinity", json.dumps(GOOD).replace("0.9]", "Infinity]"), "input[1] must be a finite number"),
    ("softmax hidden", bad(activations=["softmax", "sigmoid"]), "softmax is only allowed in the output layer"),
    ("CE without softmax", bad(loss="cross_entropy"), "cross_entropy needs a softmax output layer"),
    ("CE targets", bad(loss="cross_entropy", activations=["sigmoid", "softmax"], target=[0.3, 0.3]),
     "targets in [0, 1] summing to 1"),
    ("input length", bad(input=[1.0, 2.0, 3.0]), "input must have 2 numbers"),
    ("target length", bad(target=[1.0]), "target must have 2 numbers"),
    ("not an object", "[1, 2]", "must be a JSON object"),
    ("overflow", bad(weights=[[[1e300, 1e300], [0.3, 0.4]], [[0.5, 0.6], [0.7, 0.8]]], activations=["linear", "linear"],
                     input=[1e300, 1e300]), "overflow"),
]


@pytest.mark.parametrize("label,data,message", BAD_SPECS, ids=[b[0] for b in BAD_SPECS])
def test_bad_specs_get_one_line_and_status_2(label, data, message, tmp_path, capsys):
    path = write(tmp_path, data)
    assert main(["solve", path]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("backprop-tutor: error: ")
    assert message in lines[0]
    assert "Traceback" not in captured.err


def test_missing_file(tmp_path, capsys):
    assert main(["solve", str(tmp_path / "nope.json")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("backprop-tutor: error: ") and "no such file" in err and err.count("\n") == 1


def test_a_network_past_the_parameter_limit_is_refused_with_the_limit(tmp_path, capsys):
    from engine.spec import MAX_PARAMETERS

    n = 150  # 150·150 + 150·2 = 22,800 weights: past the limit, far past any network worked by hand
    spec = {"layers": [n, n, 2], "activations": ["relu", "linear"], "weights": [[[0.0] * n] * n, [[0.0] * n] * 2],
            "input": [0.0] * n, "target": [0.0, 0.0]}
    assert main(["solve", write(tmp_path, spec), "--json"]) == 2
    err = capsys.readouterr().err
    assert "22800 weights and biases" in err and f"at most {MAX_PARAMETERS}" in err and err.count("\n") == 1
    n = 60  # 60·60 + 60·2 = 3,720: within it, and --check still runs
    spec = {"layers": [n, n, 2], "activations": ["relu", "linear"], "weights": [[[0.0] * n] * n, [[0.0] * n] * 2],
            "input": [0.0] * n, "target": [0.0, 0.0]}
    assert main(["solve", write(tmp_path, spec), "--check", "--json"]) == 0


def test_help_explains_the_format(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["solve", "--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert "½" in out and "weights[l][k][j]" in out and "cross_entropy" in out


def test_real_subprocess(tmp_path):
    ok = subprocess.run([sys.executable, "-m", "tutor", "solve", MAZUR, "--json"], capture_output=True, text=True,
                        encoding="utf-8", cwd=tmp_path)
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["E"] == pytest.approx(0.298371109, abs=1e-8)
    human = subprocess.run([sys.executable, "-m", "tutor", "solve", MAZUR], capture_output=True, text=True,
                           encoding="utf-8", cwd=tmp_path)
    assert human.returncode == 0 and "δ_o1" in human.stdout
    path = write(tmp_path, bad(activations=["softmax", "sigmoid"]))
    proc = subprocess.run([sys.executable, "-m", "tutor", "solve", path], capture_output=True, text=True,
                          encoding="utf-8", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr.strip().splitlines() == [
        f"backprop-tutor: error: {path}: activations[0]: softmax is only allowed in the output layer"
    ]
