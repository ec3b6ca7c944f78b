"""`backprop-tutor practice`: what it opens, one-line errors with exit 2, and the file's worksheet in the app."""

from __future__ import annotations

import json
import os

import pytest
from worksheet_helpers import answer, hand_pass, open_worksheet, six

from tutor.app import make_app
from tutor.cli import build_parser, main
from tutor.practice_cmd import start

GOOD = {
    "layers": [2, 2, 2],
    "activations": ["sigmoid", "sigmoid"],
    "weights": [[[0.1, 0.2], [0.3, 0.4]], [[0.5, 0.6], [0.7, 0.8]]],
    "biases": [[0.1, 0.1], [0.2, 0.2]],
    "input": [0.5, 0.9],
    "target": [0.0, 1.0],
    "learning_rate": 0.5,
}


def write(tmp_path, data, name="spec.json") -> str:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return str(path)


def one_line_error(capsys, argv, code=2) -> str:
    assert main(argv) == code
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("backprop-tutor: error: "), err
    assert "Traceback" not in err
    return err


def parsed(argv):
    return build_parser().parse_args(argv)


def test_no_file_draws_a_network():
    assert start(parsed(["practice"])) == ("practice",)
    assert start(parsed(["practice", "--seed", "5"])) == ("practice",)


def test_a_file_and_an_example_open_their_own_network(tmp_path):
    path = write(tmp_path, GOOD)
    kind, name, text = start(parsed(["practice", path]))
    assert kind == "practice-spec" and json.loads(text) == GOOD
    kind, name, text = start(parsed(["practice", "--example", "mazur"]))
    assert kind == "practice-spec" and name == "mazur" and json.loads(text)["weights"][0][0] == [0.15, 0.2]


@pytest.mark.parametrize("make, needle", [
    (lambda d: ["practice", write(d, GOOD), "--example", "mazur"], "not both"),
    (lambda d: ["practice", str(d / "missing.json")], "no such file"),
    (lambda d: ["practice", str(d)], "directory"),
    (lambda d: ["practice", write(d, "{ not json")], "spec.json"),
    (lambda d: ["practice", write(d, dict(GOOD, layers=[2, 3, 2]))], "spec.json"),
    (lambda d: ["practice", "--example", "nope"], "no example 'nope'"),
    (lambda d: ["practice", write(d, GOOD), "--seed", "3"], "--seed"),
    (lambda d: ["practice", "--seed", "x"], "whole number"),
    (lambda d: ["practice", "a.json", "b.json"], "unrecognized"),
])
def test_bad_arguments_and_files_are_one_line_and_exit_2(tmp_path, capsys, make, needle):
    err = one_line_error(capsys, make(tmp_path))
    assert needle in err


def test_a_fifo_is_refused_without_waiting(tmp_path, capsys):
    fifo = tmp_path / "spec.json"
    os.mkfifo(fifo)
    assert "not a regular file" in one_line_error(capsys, ["practice", str(fifo)])


def test_a_network_too_big_to_work_by_hand_is_refused(tmp_path, capsys):
    big = {"layers": [20, 20], "activations": ["sigmoid"], "weights": [[[0.1] * 20] * 20],
           "input": [0.5] * 20, "target": [0.5] * 20}
    err = one_line_error(capsys, ["practice", write(tmp_path, big)])
    assert "cells" in err and "solve" in err


def test_hostile_text_in_the_file_name_is_not_echoed_raw(tmp_path, capsys):
    err = one_line_error(capsys, ["practice", str(tmp_path / "a\x1b[2Jb.json")])
    assert "\x1b" not in err


def test_without_a_terminal_practice_says_so(tmp_path, capsys):
    err = one_line_error(capsys, ["practice", "--data-dir", str(tmp_path)])
    assert "terminal" in err


async def test_the_file_network_is_the_one_graded_and_its_answers_come_back(tmp_path):
    text = json.dumps(GOOD)
    truth = hand_pass(GOOD)
    app = make_app(data_dir=tmp_path, start=("practice-spec", "spec.json", text))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_worksheet(pilot)
        assert screen.check_action("renew", ()) is False  # the learner's own network keeps its numbers
        await answer(pilot, screen, "delta[1][1]", six(truth["delta[1][1]"]))
        assert screen.session.verdicts["delta[1][1]"].correct
    # the same numbers written differently are the same network
    again = json.dumps(GOOD, indent=4, sort_keys=True)
    app = make_app(data_dir=tmp_path, start=("practice-spec", "other.json", again))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_worksheet(pilot)
        assert screen.session.answers == {"delta[1][1]": six(truth["delta[1][1]"])}
    # other numbers: a fresh worksheet
    other = json.dumps(dict(GOOD, input=[0.4, 0.9]))
    app = make_app(data_dir=tmp_path, start=("practice-spec", "spec.json", other))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_worksheet(pilot)
        assert screen.session.answers == {}
