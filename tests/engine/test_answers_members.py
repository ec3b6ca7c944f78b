"""A sum over k may be written out term by term, and a term left out is a wrong answer like any other."""

from engine import answers
from engine.answers import Mistake

REF = "sum_k(w_jk*delta_k)"
NAMES = ["w_jk", "delta_k"]


def test_a_sum_written_out_term_by_term_is_the_sum():
    assert answers.check("w_j1*delta_1 + w_j2*delta_2", REF, NAMES, indices={"k": 2}).correct
    assert answers.check("w_j1 δ_1 + w_j2 δ_2 + w_j3 δ_3", REF, NAMES, indices={"k": 3}).correct


def test_a_missing_or_mismatched_term_is_wrong_and_can_be_named():
    one_path = Mistake("one-path", "w_j1*delta_1", "A path is left out.")
    verdict = answers.check("w_j1*delta_1", REF, NAMES, indices={"k": 2}, mistakes=[one_path])
    assert not verdict.correct and verdict.mistake == "one-path"
    assert not answers.check("w_j1*delta_2 + w_j2*delta_1", REF, NAMES, indices={"k": 2}).correct
    # only k = 1 … size exist: a third term is an unknown symbol, not a silent zero
    beyond = answers.check("w_j1*delta_1 + w_j2*delta_2 + w_j3*delta_3", REF, NAMES, indices={"k": 2})
    assert not beyond.correct and "w_j3" in beyond.feedback


def test_names_only_a_mistake_uses_are_not_suggested():
    transposed = Mistake("transposed", "sum_k(w_kj*delta_k)", "Mind the order of the indices.")
    verdict = answers.check("w_ij", REF, NAMES, indices={"k": 2}, mistakes=[transposed])
    assert "w_kj" not in verdict.feedback and "w_jk" in verdict.feedback
