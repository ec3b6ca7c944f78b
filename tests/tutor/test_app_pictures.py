"""The pictures: δ's revealed as the learner reaches them, fan-out lit, the graph's shared nodes, σ′ ≤ ¼."""

from __future__ import annotations

import numpy as np
import pytest

from engine.graph import Value
from engine.network import Network
from tutor import catalog
from tutor.screens import lesson_parts
from tutor.widgets.curves import PRIME, SIGMA, curves_picture
from tutor.widgets.graph import graph_drawing, graph_picture
from tutor.widgets.network import network_picture


def small_network():
    # 2-2-2 sigmoid network; numbers chosen by hand
    w1 = np.array([[0.15, 0.20], [0.25, 0.30]])
    w2 = np.array([[0.40, 0.45], [0.50, 0.55]])
    return Network([w1, w2], None, ["sigmoid", "sigmoid"], "sse"), np.array([0.05, 0.10]), np.array([0.01, 0.99])


def unit_box_line(picture: str, unit: str, row: str) -> str:
    """The text of one row (net, a, δ) inside the box of `unit`."""
    lines = picture.splitlines()
    top = next(i for i, l in enumerate(lines) if f" {unit} " in l)
    col = lines[top].index(f" {unit} ")
    start = lines[top].rfind("┌", 0, col)
    for line in lines[top + 1:]:
        cell = line[start:start + 16]
        if cell.startswith("└"):
            break
        if cell[1:].lstrip().startswith(row):
            return cell
    raise AssertionError(f"no {row} row in {unit}")


def test_network_picture_shows_forward_values_and_hides_deltas_until_known():
    net, x, t = small_network()
    # a_h1 = σ(0.15·0.05 + 0.20·0.10) = σ(0.0275) = 0.50687 (by hand: 1/(1+e^−0.0275))
    pic = network_picture(net, x, t).plain
    assert "0.5069" in unit_box_line(pic, "h1", "a")
    assert "·" in unit_box_line(pic, "o1", "δ")
    shown = network_picture(net, x, t, {"delta_o1": True}, fan_from="h1", asked="delta_h1")
    assert "?" in unit_box_line(shown.plain, "h1", "δ")
    assert "·" not in unit_box_line(shown.plain, "o1", "δ")
    assert "every path out of h1" in shown.plain


def test_deltas_fill_in_step_by_step_in_the_backward_pass_lesson():
    curriculum, _ = catalog.load()
    lesson = next((l for l in curriculum.lessons if any(s.visual == "network" for s in l.steps)
                   and any(lesson_parts.asked_quantity(s) == "delta_h1" for s in l.steps)), None)
    if lesson is None:
        pytest.fail("no lesson asks for delta_h1 beside a network picture, which this test needs")
    ids = [s.id for s in lesson.steps]
    at_h1 = next(i for i, s in enumerate(lesson.steps) if lesson_parts.asked_quantity(s) == "delta_h1")
    known, fan, asked = lesson_parts.network_reveal(lesson, at_h1, solved=set())
    assert asked == "delta_h1" and fan == "h1"
    assert known["delta_h1"] is False
    # walking past the step without answering it reveals nothing: δ_h1 stays blank, no longer asked
    known_after, _, asked_after = lesson_parts.network_reveal(lesson, at_h1 + 1, solved=set())
    assert known_after["delta_h1"] is False and asked_after != "delta_h1"
    # solving the step reveals it even before moving on
    known_solved, _, asked_solved = lesson_parts.network_reveal(lesson, at_h1, solved={ids[at_h1]})
    assert known_solved["delta_h1"] is True and asked_solved is None


def test_graph_marks_a_node_that_feeds_two_others():
    t = Value(1.5, label="t")
    x1 = t ** 2
    x1.label = "x_1"
    x2 = 3 * t + 2
    x2.label = "x_2"
    F = x1 * x2
    F.label = "F"
    text = graph_picture(F).plain
    assert "x_1 = t²" in text
    assert "F = x_1·x_2" in text
    feeds = next(l for l in text.splitlines() if "feeds" in l)
    assert "x_1" in feeds and "x_2" in feeds and "adds what arrives" in feeds
    assert sum("feeds" in l for l in text.splitlines()) == 1  # only t fans out


def test_graph_shows_the_gradients_arriving_at_a_fan_out_node_and_their_sum():
    # F = x_1·x_2 with x_1 = t², x_2 = 3t + 2, at t = 1.5 (by hand): x_1 = 2.25, x_2 = 6.5;
    # ∂F/∂x_1 = x_2 = 6.5, ∂F/∂x_2 = x_1 = 2.25; from x_1: 6.5·2t = 19.5, from x_2: 2.25·3 = 6.75;
    # dF/dt = 19.5 + 6.75 = 26.25, which is d(3t³ + 2t²)/dt = 9t² + 4t at t = 1.5.
    t = Value(1.5, label="t")
    x1 = t ** 2
    x1.label = "x_1"
    x2 = 3 * t + 2
    x2.label = "x_2"
    F = x1 * x2
    F.label = "F"
    F.backward()
    lines = graph_picture(F).plain.splitlines()
    assert any("∂F/∂x_1 = 6.500" in l for l in lines) and any("∂F/∂x_2 = 2.250" in l for l in lines)
    assert any("from x_1" in l and l.endswith("= 19.50") for l in lines)
    assert any("from x_2" in l and l.endswith("= 6.750") for l in lines)
    assert any("sum" in l and l.endswith("19.50 + 6.750 = 26.25") for l in lines)
    assert "∇ 26.25" in graph_drawing(F).plain
    # the same picture while the learner still has to find the road through x_1 and the total
    hidden = graph_picture(F, withheld=[19.5, 26.25]).plain
    assert "19.50" not in hidden and "26.25" not in hidden and "6.750" in hidden  # the other road is not asked
    both = graph_picture(F, withheld=[26.25]).plain  # only the total is asked: its parts would give it away
    assert "26.25" not in both and "19.50" not in both and "6.750" not in both
    assert "∇ ?" in graph_drawing(F, withheld=[26.25]).plain
    # the gradient is the same as the engine's own accumulation
    assert t.grad == pytest.approx(26.25)


def test_sigmoid_prime_never_rises_above_a_quarter():
    pic = curves_picture(width=60, height=12)
    lines = pic.plain.splitlines()
    quarter = next(i for i, l in enumerate(lines) if l.lstrip().startswith("¼"))
    starts = np.cumsum([0] + [len(l) + 1 for l in lines])
    prime_rows, sigma_rows = set(), set()
    for span in pic.spans:
        row = int(np.searchsorted(starts, span.start, side="right") - 1)
        if span.style == PRIME and "━" not in pic.plain[span.start:span.end]:
            prime_rows.add(row)
        if span.style == SIGMA and "━" not in pic.plain[span.start:span.end]:
            sigma_rows.add(row)
    assert prime_rows and min(prime_rows) >= quarter - 1  # the peak touches the ¼ line, never the ½ line
    assert min(sigma_rows) == 0  # σ climbs to the top row


def test_graph_drawing_puts_inputs_left_of_their_users():
    t = Value(0.5, label="t")
    x1 = t * 2
    x1.label = "x_1"
    x2 = t + 1
    x2.label = "x_2"
    F = x1 * x2
    F.label = "F"
    lines = graph_drawing(F).plain.splitlines()

    def column(name):
        return next(l.index(name + " ") for l in lines if name + " " in l)

    assert column("t") < column("x_1") == column("x_2") < column("F")
