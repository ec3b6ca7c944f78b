"""The worksheet screen driven by keys: moving, marks (right, named mistake, carried), summary, resume, probe, 80×24."""

from __future__ import annotations

import tomllib

from worksheet_helpers import answer, hand_pass, open_worksheet, six

from lessons.loader import CONTENT
from tutor.app import make_app
from tutor.progress import Progress
from tutor.worksheet_session import DRAW_KEY, PRACTICE

WORDS = tomllib.loads((CONTENT / "misconceptions.toml").read_text(encoding="utf-8"))["misconceptions"]
SIGMA_PRIME_LEFT_OUT = WORDS["sigma-prime-dropped"]["label"]


def spec_of(screen) -> dict:
    """The drawn network as a plain spec dict, read from the screen's worksheet."""
    s = screen.session.ws.setting
    return {"weights": [list(map(list, w)) for w in s.weights], "biases": [list(b) for b in s.biases],
            "input": list(s.x), "target": list(s.t), "learning_rate": s.eta}


def mark_text(screen, address: str) -> str:
    return str(screen.query_one("#ws-table").get_cell(address, "mark"))


def sum_only(spec: dict, truth: dict, j: int) -> float:
    """Σ_k w_jk δ_k for hidden unit j: the hidden δ with the unit's slope a_j(1 − a_j) left out."""
    W2 = spec["weights"][1]
    return sum(W2[k][j] * truth[f"delta[1][{k}]"] for k in range(len(W2)))


async def test_moving_and_a_right_answer(tmp_path):
    app = make_app(data_dir=tmp_path, seed=11, start=("practice",))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_worksheet(pilot)
        assert screen.row == 0
        await pilot.press("down", "down")
        assert screen.row == 2 and screen.cell.address == "a[0][0]"
        await pilot.press("up")
        assert screen.row == 1
        truth = hand_pass(spec_of(screen))
        await answer(pilot, screen, "net[0][0]", six(truth["net[0][0]"]))
        assert screen.session.verdicts["net[0][0]"].correct
        assert "right" in mark_text(screen, "net[0][0]")
        assert screen.row == 1  # on to the next cell not yet answered
        # coming back shows the stored answer in the box
        await pilot.press("up")
        assert screen.query_one("#ws-input").value == six(truth["net[0][0]"])


async def test_a_named_mistake_a_carried_cell_and_a_plain_wrong_one(tmp_path):
    app = make_app(data_dir=tmp_path, seed=12, start=("practice",))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_worksheet(pilot)
        spec = spec_of(screen)
        truth = hand_pass(spec)
        # a hidden δ with σ′ left out: named, in the lesson data's words
        await answer(pilot, screen, "delta[0][0]", six(sum_only(spec, truth, 0)))
        verdict = screen.session.verdicts["delta[0][0]"]
        assert verdict.mistake == "sigma-prime-dropped" and not verdict.correct
        assert SIGMA_PRIME_LEFT_OUT in mark_text(screen, "delta[0][0]")
        # an activation that is off, then δ_o1 worked the right way from it: carried from a_o1
        a_off = truth["a[1][0]"] + 0.05
        await answer(pilot, screen, "a[1][0]", six(a_off))
        t0 = spec["target"][0]
        await answer(pilot, screen, "delta[1][0]", six((a_off - t0) * a_off * (1 - a_off)))
        carried = screen.session.verdicts["delta[1][0]"]
        assert not carried.correct and carried.carried == ("a[1][0]",)
        assert "carried from a_o1" in mark_text(screen, "delta[1][0]")
        # putting a_o1 right marks δ_o1 again from the new number: no longer carried, now plain wrong
        await answer(pilot, screen, "a[1][0]", six(truth["a[1][0]"]))
        assert screen.session.verdicts["a[1][0]"].correct
        assert "carried" not in mark_text(screen, "delta[1][0]")
        assert not screen.session.verdicts["delta[1][0]"].correct
        # something unreadable changes nothing and says why
        before = dict(screen.session.answers)
        await answer(pilot, screen, "E", "0.3*")
        assert screen.session.answers == before and "E" not in screen.session.verdicts


async def test_the_summary_names_the_misconception_and_where(tmp_path):
    app = make_app(data_dir=tmp_path, seed=13, start=("practice",))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_worksheet(pilot)
        spec = spec_of(screen)
        truth = hand_pass(spec)
        own = dict(truth)
        for j in (0, 1):
            own[f"delta[0][{j}]"] = sum_only(spec, truth, j)
        # one gradient worked the right way from the learner's own δ_h1: carried, not a new mistake
        own["grad_weights[0][0][0]"] = own["delta[0][0]"] * spec["input"][0]
        for c in screen.session.ws.cells:
            await answer(pilot, screen, c.address, six(own[c.address]))
        assert screen.session.complete
        assert screen.report == "summary"
        text = str(screen.query_one("#ws-report").render())
        assert f"{SIGMA_PRIME_LEFT_OUT} at both hidden units" in text
        assert "34 of 37 cells right, 1 carried forward, 2 wrong" in text
        hidden_grad = screen.session.verdicts["grad_weights[0][0][0]"]
        assert hidden_grad.carried == ("delta[0][0]",) and not hidden_grad.correct and hidden_grad.mistake is None
        assert "∂E/∂w_i1h1, from your δ_h1" in text


async def test_answers_are_kept_and_resumed_after_a_restart(tmp_path):
    app = make_app(data_dir=tmp_path, seed=14, start=("practice",))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_worksheet(pilot)
        spec = spec_of(screen)
        truth = hand_pass(spec)
        await answer(pilot, screen, "net[0][0]", six(truth["net[0][0]"]))
        await answer(pilot, screen, "delta[0][0]", six(sum_only(spec, truth, 0)))
    # the same seed again: the same network, the answers and marks back
    app = make_app(data_dir=tmp_path, seed=14, start=("practice",))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_worksheet(pilot)
        assert spec_of(screen) == spec
        assert screen.session.answers == {"net[0][0]": six(truth["net[0][0]"]),
                                          "delta[0][0]": six(sum_only(spec, truth, 0))}
        assert screen.session.verdicts["delta[0][0]"].mistake == "sigma-prime-dropped"
        assert SIGMA_PRIME_LEFT_OUT in mark_text(screen, "delta[0][0]")
        assert screen.row == 1  # opens at the first cell not answered
    # without --seed the kept network opens, with its answers
    app = make_app(data_dir=tmp_path, start=("practice",))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_worksheet(pilot)
        assert spec_of(screen) == spec and len(screen.session.answers) == 2
        # F4 draws new numbers, with nothing filled in
        await pilot.press("f4")
        await pilot.pause()
        assert spec_of(screen) != spec and screen.session.answers == {}
    with Progress.open(tmp_path) as store:
        attempts = store.attempts(PRACTICE)
        assert [a.step_id for a in attempts] == ["net[0][0]", "delta[0][0]"]
        assert attempts[1].mistake == "sigma-prime-dropped" and not attempts[1].correct
        assert store.seed(PRACTICE, DRAW_KEY, lambda: 0) != attempts[0].seed  # F4's numbers are the kept ones now


async def test_the_probe_shows_where_a_gradient_disagrees(tmp_path):
    app = make_app(data_dir=tmp_path, seed=15, start=("practice",))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_worksheet(pilot)
        truth = hand_pass(spec_of(screen))
        await pilot.press("f5")
        await pilot.pause(0.2)
        assert "answer one first" in str(screen.query_one("#ws-report").render())
        right, wrong = "grad_weights[1][0][0]", "grad_weights[0][1][1]"
        await answer(pilot, screen, right, six(truth[right]))
        await answer(pilot, screen, wrong, six(2 * truth[wrong]))
        await pilot.press("f5")
        for _ in range(100):
            await pilot.pause(0.02)
            if "gradients disagree" in str(screen.query_one("#ws-report").render()):
                break
        text = str(screen.query_one("#ws-report").render())
        rows = {r.address: r for r in screen.session.probe()}
        assert set(rows) == {right, wrong}  # only the learner's own cells are probed
        # the probe's number is the gradient the hand pass gives (central differences are that exact here)
        for address, row in rows.items():
            assert abs(row.probe - truth[address]) <= 1e-7 * max(1.0, abs(truth[address]))
        assert rows[right].agrees and not rows[wrong].agrees
        label = screen.session.ws.cell(wrong).label
        assert "1 of your 2 gradients disagree" in text and label in text.splitlines()[-2]


async def test_fits_80_by_24(tmp_path):
    app = make_app(data_dir=tmp_path, seed=16, start=("practice",))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_worksheet(pilot)
        spec = spec_of(screen)
        truth = hand_pass(spec)
        a_off = truth["a[1][1]"] * 1.2
        await answer(pilot, screen, "a[1][1]", six(a_off))
        await answer(pilot, screen, "delta[1][1]", six((a_off - spec["target"][1]) * a_off * (1 - a_off)))
        await answer(pilot, screen, "delta[0][1]", six(sum_only(spec, truth, 1)))
        await pilot.pause()
        for wid in ("#ws-title", "#ws-pane", "#ws-table", "#ws-entry", "#ws-feedback-pane", "KeysBar"):
            region = screen.query_one(wid).region
            assert region.width > 0 and region.height > 0, wid
            assert region.right <= 80 and region.bottom <= 24, (wid, region)
        table = screen.query_one("#ws-table")
        assert table.region.height >= 5 and screen.query_one("#ws-pane").region.height >= 5
        # the longest mark shown fits the table without scrolling sideways
        assert table.virtual_size.width <= table.scrollable_content_region.width, table.virtual_size
        # the table scrolls to the last cell
        await pilot.press("pagedown", "pagedown", "pagedown", "pagedown", "pagedown", "pagedown")
        assert screen.row == len(screen.session.ws.cells) - 1
        assert table.scroll_y > 0
        footer = screen.query_one("KeysBar").text()
        for key in ("F2", "F4", "F5", "F6"):
            assert key in footer


async def test_the_picture_shows_only_the_learners_own_numbers(tmp_path):
    app = make_app(data_dir=tmp_path, seed=17, start=("practice",))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_worksheet(pilot)
        truth = hand_pass(spec_of(screen))
        picture = str(screen.query_one("#ws-picture").render())
        for address in ("net[0][0]", "a[0][0]", "net[1][0]", "a[1][1]", "delta[0][0]", "E"):
            assert f"{truth[address]:.4g}" not in picture, address
        mine = truth["net[0][1]"] + 0.3
        await answer(pilot, screen, "net[0][1]", six(mine))
        picture = str(screen.query_one("#ws-picture").render())
        assert f"{mine:.4f}" in picture
        assert f"{truth['net[0][1]']:.4f}" not in picture


async def test_the_numbers_at_hand_are_givens_and_the_learners_own_never_the_answer(tmp_path):
    """Under an unanswered cell: the givens it needs (to 4 figures) and the learner's own earlier
    numbers, "?" where none is typed; for a hidden δ every weight out of its layer, so the list does
    not point at the right ones."""
    app = make_app(data_dir=tmp_path, seed=11, start=("practice",))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_worksheet(pilot)
        spec = spec_of(screen)
        truth = hand_pass(spec)
        W1, W2 = spec["weights"]
        said = str(screen.query_one("#ws-feedback").render())
        for j, x in enumerate(spec["input"]):
            assert f"a_i{j + 1} {x:.4g}".replace("-", "−") in said
        assert f"w_i2h1 {W1[0][1]:.4g}".replace("-", "−") in said  # weights[0][k=0][j=1]: from i2 into h1
        await answer(pilot, screen, "net[0][0]", "0.5")  # a wrong net_h1 of the learner's own
        screen.go(next(i for i, c in enumerate(screen.session.ws.cells) if c.address == "delta[0][0]"))
        await pilot.pause()
        said = str(screen.query_one("#ws-feedback").render())
        for k in range(2):
            for j in range(2):
                assert f"w_h{j + 1}o{k + 1} {W2[k][j]:.4g}".replace("-", "−") in said
        assert "δ_o1 ?" in said and "δ_o2 ?" in said and "a_h1 ?" in said
        for address in ("delta[1][0]", "delta[1][1]", "a[0][0]", "delta[0][0]"):
            for form in (six(truth[address]), f"{truth[address]:.4g}"):
                assert form not in said and form.replace("-", "−") not in said
        screen.go(next(i for i, c in enumerate(screen.session.ws.cells) if c.address == "a[0][0]"))
        await pilot.pause()
        assert "net_h1 0.5" in str(screen.query_one("#ws-feedback").render())  # the learner's own, not the true one


async def test_new_numbers_and_an_empty_answer_are_said_in_the_feedback_line_not_a_toast(tmp_path):
    app = make_app(data_dir=tmp_path, seed=11, start=("practice",))
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = await open_worksheet(pilot)
        before = spec_of(screen)
        await pilot.press("enter")
        await pilot.pause()
        assert "Type a number first" in str(screen.query_one("#ws-feedback").render())
        await pilot.press("f4")
        await pilot.pause()
        said = str(screen.query_one("#ws-feedback").render())
        assert spec_of(screen) != before and "New numbers" in said and "Numbers: a_i1" in said
        assert not app.screen.query("Toast")


async def test_a_click_on_a_row_moves_there_and_the_answer_box_keeps_the_focus(tmp_path):
    app = make_app(data_dir=tmp_path, seed=18, start=("practice",))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_worksheet(pilot)
        table = screen.query_one("#ws-table")
        assert screen.row == 0
        await pilot.click("#ws-table", offset=(3, 3))  # the header, then rows 0, 1, 2: the third row
        await pilot.pause()
        assert screen.row == 2 and screen.cell.address == "a[0][0]"
        assert app.focused is screen.query_one("#ws-input")
        assert "a_h1" in str(screen.query_one("#ws-cell").render())
        await pilot.click("#ws-table", offset=(3, 0))  # the header row is no row: nothing moves
        await pilot.pause()
        assert screen.row == 2 and table.cursor_row == 2


async def test_a_click_on_a_key_in_the_footer_presses_it(tmp_path):
    app = make_app(data_dir=tmp_path, seed=18, start=("practice",))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_worksheet(pilot)
        bar = screen.query_one("KeysBar")
        x = bar.text().index("F6")
        await pilot.click("KeysBar", offset=(x, 0))
        await pilot.pause()
        assert screen.report == "summary" and "The pass so far" in str(screen.query_one("#ws-report").render())
