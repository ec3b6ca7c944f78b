"""Spec validation: good specs become networks, bad ones give one line naming the field."""

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.spec import SpecError, load_spec, parse_spec, parse_spec_text

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


def with_(**changes):
    spec = json.loads(json.dumps(GOOD))
    for key, value in changes.items():
        if value is ...:
            del spec[key]
        else:
            spec[key] = value
    return spec


def test_good_spec_builds_the_network_with_weights_indexed_k_j():
    spec = parse_spec(GOOD)
    # weights[0][1][0] = 0.3 is the weight from input 1 to hidden unit 2: net_h2 = 0.3·0.5 + 0.4·0.9 + 0.1
    net_h2 = spec.network.forward(spec.input).nets[0][1]
    assert net_h2 == pytest.approx(0.3 * 0.5 + 0.4 * 0.9 + 0.1)
    assert spec.learning_rate == 0.5
    np.testing.assert_array_equal(spec.target, [0.0, 1.0])


def test_optional_fields_may_be_left_out():
    spec = parse_spec(with_(biases=..., learning_rate=..., loss=...))
    assert spec.network.biases is None and spec.learning_rate is None and spec.network.loss == "sse"
    assert parse_spec(with_(biases=None)).network.biases is None


BAD = [
    (with_(weights=[[[0.1, 0.2], [0.3, 0.4]], [[0.5, 0.6]]]), "weights[1] must have 2 rows"),
    (with_(weights=[[[0.1, 0.2, 0.3], [0.3, 0.4, 0.5]], [[0.5, 0.6], [0.7, 0.8]]]), "weights[0][0] must have 2 numbers"),
    (with_(weights=[[[0.1, 0.2], [0.3, 0.4]]]), "weights must be a list of 2 matrices"),
    (with_(weights=[[[0.1, "0.2"], [0.3, 0.4]], [[0.5, 0.6], [0.7, 0.8]]]), "weights[0][0][1] must be a number"),
    (with_(weights=[[[0.1, True], [0.3, 0.4]], [[0.5, 0.6], [0.7, 0.8]]]), "weights[0][0][1] must be a number"),
    (with_(weights=[[[0.1, None], [0.3, 0.4]], [[0.5, 0.6], [0.7, 0.8]]]), "weights[0][0][1] must be a number"),
    (with_(biases=[[0.1, 0.1], [0.2]]), "biases[1] must have 2 numbers"),
    (with_(activations=["sigmoid", "sigmoidal"]), "activations[1]: unknown activation \"sigmoidal\""),
    (with_(activations=["sigmoid"]), "activations must be a list of 2"),
    (with_(activations=["softmax", "sigmoid"]), "activations[0]: softmax is only allowed in the output layer"),
    (with_(loss="mse"), "loss: unknown loss \"mse\""),
    (with_(loss="cross_entropy"), "loss: cross_entropy needs a softmax output layer"),
    (with_(loss="cross_entropy", activations=["sigmoid", "softmax"], target=[0.5, 0.6]), "target: cross_entropy needs targets"),
    (with_(loss="cross_entropy", activations=["sigmoid", "softmax"], target=[1.5, -0.5]), "target: cross_entropy needs targets"),
    (with_(input=[0.5]), "input must have 2 numbers"),
    (with_(input=0.5), "input must be a list of 2 numbers"),
    (with_(target=[0.0, 1.0, 0.0]), "target must have 2 numbers"),
    (with_(learning_rate="fast"), "learning_rate must be a number"),
    (with_(learning_rate=-0.1), "learning_rate must be positive"),
    (with_(layers=[2]), "layers must be a list of at least two"),
    (with_(layers=[2, 0, 2]), "layers[1] must be a whole number"),
    (with_(layers=[2, 2.5, 2]), "layers[1] must be a whole number"),
    (with_(weights=...), "missing field 'weights'"),
    (with_(learningrate=0.5), "unknown field 'learningrate'"),
    ([1, 2, 3], "a spec must be a JSON object"),
]


@pytest.mark.parametrize("data,message", BAD, ids=[m for _, m in BAD])
def test_bad_specs_name_the_field(data, message):
    with pytest.raises(SpecError) as err:
        parse_spec(data)
    assert message in str(err.value)
    assert "\n" not in str(err.value)


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_non_finite_numbers_are_refused(literal):
    text = json.dumps(GOOD).replace("0.9]", f"{literal}]", 1)
    with pytest.raises(SpecError, match=r"input\[1\] must be a finite number, got " + literal.replace("-", "-")):
        parse_spec_text(text, "s.json")


@pytest.mark.parametrize("text,message", [
    ('{"layers": [2, 2,', "s.json: not valid JSON"),
    ("", "s.json: not valid JSON"),
    ('{"layers": [2, 2], "layers": [2, 2]}', "field 'layers' is given twice"),
    ('{"a": 1' + "0" * 5000 + "}", "s.json: not usable JSON"),
    ("[" * 100000 + "]" * 100000, "s.json: not valid JSON"),
])
def test_malformed_json(text, message):
    with pytest.raises(SpecError) as err:
        parse_spec_text(text, "s.json")
    assert message in str(err.value)
    assert "\n" not in str(err.value)


def test_file_problems(tmp_path):
    with pytest.raises(SpecError, match="no such file"):
        load_spec(tmp_path / "missing.json")
    with pytest.raises(SpecError, match="is a directory"):
        load_spec(tmp_path)
    bad = tmp_path / "latin1.json"
    bad.write_bytes(b"\xff\xfe{}")
    with pytest.raises(SpecError, match="not UTF-8"):
        load_spec(bad)

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(JSON_VALUES)
def test_any_json_value_is_a_spec_error_or_a_spec(value):
    try:
        parse_spec(value)
    except SpecError as err:
        assert "\n" not in str(err)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(sorted(GOOD)), JSON_VALUES)
def test_any_single_field_replacement_is_handled(field, value):
    try:
        spec = parse_spec(with_(**{field: value}))
    except SpecError as err:
        assert "\n" not in str(err) and str(err)
    else:
        spec.network.forward(spec.input)


def test_nul_byte_in_path():
    with pytest.raises(SpecError, match="not a usable file name"):
        load_spec("bad\0name.json")
