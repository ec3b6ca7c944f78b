"""The misconceptions' words: one entry for every engine id and none for an id the engine lacks;
malformed data is refused with a LessonError that says where."""

from __future__ import annotations

import re

import pytest

from engine.cells import QUANTITIES
from engine.misconceptions import ids, pairs
from lessons import LessonError
from lessons.misconceptions import load_words, misconception_words, parse_words

WORDS = misconception_words()


def test_every_engine_id_has_words_and_every_entry_names_a_real_id():
    assert WORDS.ids == ids()
    for entry in WORDS.entries.values():
        for quantity in entry.at:
            assert (entry.id, quantity) in pairs()


def test_words_name_the_idea_without_a_number():
    for mid, quantity in pairs():
        label, feedback = WORDS.label(mid, quantity), WORDS.feedback(mid, quantity)
        assert label and feedback and len(label) < 40 and len(feedback) > 40, (mid, quantity)
        assert not re.search(r"\d\.\d", feedback), f"{mid} at {quantity} gives a number away"
        assert "{" not in feedback


def test_a_quantity_override_is_used_where_it_exists():
    out = WORDS.feedback("sigma-prime-dropped", "output-delta")
    hidden = WORDS.feedback("sigma-prime-dropped", "hidden-delta")
    assert out != hidden and "hidden" in hidden
    assert WORDS.label("net-for-a", "activation") != WORDS.label("net-for-a", "output-delta")
    assert WORDS.label("no-such-id", "net") is None and WORDS.feedback("no-such-id", "net") is None


GOOD = {"label": "a label", "feedback": "feedback long enough to read"}


@pytest.mark.parametrize(("data", "message"), [
    ({"misconceptions": {}}, "format_version"),
    ({"format_version": 1, "extra": 1}, "unknown field"),
    ({"format_version": 1, "misconceptions": {"no-such-idea": GOOD}}, "no misconception 'no-such-idea'"),
    ({"format_version": 1, "misconceptions": {"plus-eta": {"label": "x"}}}, "missing field 'feedback'"),
    ({"format_version": 1, "misconceptions": {"plus-eta": {**GOOD, "hint": "h"}}}, "unknown field"),
    ({"format_version": 1, "misconceptions": {"plus-eta": {**GOOD, "label": ""}}}, "non-empty"),
    ({"format_version": 1, "misconceptions": {"plus-eta": {**GOOD, "at": {"hidden-delta": GOOD}}}}, "never diagnoses"),
    ({"format_version": 1, "misconceptions": {"plus-eta": {**GOOD, "at": {"somewhere": GOOD}}}}, "unknown field"),
    ({"format_version": 1, "misconceptions": {"plus-eta": {**GOOD, "at": {"weight-update": {}}}}}, "give a label"),
    ({"format_version": 1, "misconceptions": ["plus-eta"]}, "table"),
])
def test_malformed_words_are_refused(data, message):
    with pytest.raises(LessonError, match=message):
        parse_words(data)


def test_an_unreadable_file_is_a_lesson_error(tmp_path):
    bad = tmp_path / "misconceptions.toml"
    bad.write_text("format_version = [", encoding="utf-8")
    with pytest.raises(LessonError, match="misconceptions.toml"):
        load_words(bad)
    with pytest.raises(LessonError, match="no such file"):
        load_words(tmp_path / "missing.toml")


def test_quantities_are_the_engines():
    assert {q for _, q in pairs()} <= set(QUANTITIES)


def _where_shown() -> dict[tuple[str, str], set[tuple[str, str]]]:
    """(id, quantity) -> every (activation of the cell's own layer, loss) at which the engine names it."""
    import numpy as np

    from engine.misconceptions import variants
    from engine.practice import random_spec
    from engine.worksheet import Worksheet

    shapes = [((2, 2, 2), ("sigmoid", "sigmoid"), "sse"), ((2, 2, 2), ("tanh", "tanh"), "sse"),
              ((2, 2, 2), ("relu", "relu"), "sse"), ((2, 2, 2), ("linear", "linear"), "sse"),
              ((2, 2, 3), ("tanh", "softmax"), "sse"), ((2, 2, 3), ("sigmoid", "softmax"), "cross_entropy"),
              ((2, 3, 3, 2), ("tanh", "relu", "sigmoid"), "sse")]
    rng = np.random.default_rng(7)
    out: dict[tuple[str, str], set[tuple[str, str]]] = {}
    for layers, acts, loss in shapes:
        for _ in range(3):
            ws = Worksheet(random_spec(rng, layers, acts, loss, biases=True, learning_rate=True))
            truth = {c.address: c.value for c in ws.cells}
            for c in ws.cells:
                act = ws.setting.activations[c.layer] if c.layer is not None else "-"
                for mid, _value in variants(ws.setting, truth, c):
                    out.setdefault((mid, c.quantity), set()).add((act, loss))
    return out


def test_feedback_holds_at_every_unit_it_is_shown_for():
    # A sigmoid-only statement (σ′ = a(1 − a), "the sigmoid's slope") is false at a tanh unit, where
    # the slope is 1 − a²; reasoning with σ(net) says nothing about a softmax unit; ½(t − a)² is not
    # the error with cross-entropy. Each misconception's words must hold wherever the engine names it.
    shown = _where_shown()
    assert ("sigma-for-sigma-prime", "hidden-delta") in shown and ("exponent-sign", "activation") in shown
    for (mid, quantity), places in sorted(shown.items()):
        text = WORDS.feedback(mid, quantity)
        acts = {act for act, _ in places}
        losses = {loss for _, loss in places}
        sigmoid_talk = re.search(r"sigmoid|σ′|σ\(|a\(1 − a\)", text)
        if "tanh" in acts and sigmoid_talk:
            assert "tanh" in text, f"{mid} at {quantity} is shown at tanh units but speaks of the sigmoid only"
        if "softmax" in acts and quantity == "activation" and sigmoid_talk:
            assert "softmax" in text, f"{mid} at {quantity} is shown at softmax units but speaks of σ only"
        if "cross_entropy" in losses and "½(t" in text:
            assert "squared error" in text, f"{mid} at {quantity} is shown with cross-entropy but speaks of ½(t − a)²"
