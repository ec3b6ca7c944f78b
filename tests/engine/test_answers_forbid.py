"""A step that asks for a derivation can refuse the shortcut that names the result."""

from engine import answers

# σ′(x) written out by hand: d/dx (1 + e^(−x))^(−1) = e^(−x)/(1 + e^(−x))².
DERIVED = "exp(-x)/(1+exp(-x))^2"


def test_the_shortcut_is_refused_where_forbidden_and_accepted_elsewhere():
    refused = answers.check("sigmoid'(x)", DERIVED, ["x"], forbid=["sigmoid'"])
    assert not refused.correct and "σ′" in refused.feedback
    assert answers.check("σ′(x)", DERIVED, ["x"], forbid=["sigmoid'"]).correct is False
    assert answers.check("sigmoid'(x)", DERIVED, ["x"]).correct


def test_forbidding_the_derivative_still_allows_the_function_itself():
    assert answers.check("sigmoid(x)*(1-sigmoid(x))", DERIVED, ["x"], forbid=["sigmoid'"]).correct
    assert not answers.check("sigmoid(x)*(1-sigmoid(x))", DERIVED, ["x"], forbid=["sigmoid"]).correct
