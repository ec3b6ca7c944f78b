"""Nothing a step asks for is on screen before the learner has answered it or asked for its solution.

A learner who skips every step (the next key, never answering) walks each lesson here. At every step
the visible text — prompt, prose, picture, choices — must not contain the answer of any question on
the same numbers that is still open, whether it comes before (skipped), now, or later; and no formula
a step asks for may be printed on that step or before it. What has been shown stays: a δ the network
picture drew is still drawn on the next step with the same numbers. Ctrl+R on a solved step draws new
numbers, and the picture must not show the new answer either.
"""

from __future__ import annotations

import re

from pilot_helpers import ready
from textual.widgets import OptionList, Static

from engine.answers import format_number
from tutor.app import make_app
from tutor.screens import lesson_parts
from tutor.screens.lesson import LessonScreen
from tutor.widgets.step_page import StepPage


def visible_text(screen: LessonScreen) -> dict[str, str]:
    """What the learner can read before answering, by place."""
    places = {}
    places["prompt"] = str(screen.query_one("#prompt", Static).visual.plain) if screen.exercise is not None else ""
    page = screen.query_one("#lesson-body", StepPage)
    prose = page.part("prose")
    places["prose"] = prose.markdown if prose is not None else ""
    places["picture"] = "\n".join(page.given(part) for part in page.parts if part.name.startswith("picture"))
    choices = screen.query_one("#choices", OptionList)
    places["choices"] = "\n".join(str(choices.get_option_at_index(i).prompt) for i in range(choices.option_count)) \
        if choices.display else ""
    return places


def number_shown(number: str, text: str) -> bool:
    """`number` (as displayed, 4 significant figures) appears in `text` as a whole number, not inside another."""
    return re.search(rf"(?<![\d.]){re.escape(number)}(?![\d])", text.replace("−", "-")) is not None


def normal_formula(text: str) -> str:
    """A formula with the differences between typing and printing taken out (× and ·, spaces, σ, δ, ′, and
    brackets, which print leaves out where typing needs them: Σ_k w_jk δ_k for sum_k(w_jk*delta_k))."""
    for typed, printed in (("**", "^"), ("sigmoid'", "σ′"), ("sigmoid", "σ"), ("delta", "δ"), ("sum_", "Σ_"),
                           ("-", "−"), ("'", "′")):
        text = text.replace(typed, printed)
    return re.sub(r"[\s*·×()]", "", text)


def test_no_lesson_title_states_an_answer_of_its_lesson():
    # the title is on screen at every step, in the header and on the home list
    from tutor import catalog

    curriculum, _ = catalog.load()
    for lesson in curriculum.lessons:
        title = normal_formula(lesson.title)
        for step in lesson.exercise_steps:
            if step.exercise.kind != "expression":
                continue
            for form in (step.exercise.answer, *step.exercise.accept):
                f = normal_formula(form)
                assert "=" + f not in title and not (len(f) >= 10 and f in title), \
                    f"the title of {lesson.id} gives the answer of {step.id}: {lesson.title}"


def picture_deltas(picture: str) -> set[str]:
    """The δ numbers drawn in a network picture."""
    return set(re.findall(r"δ\s+(-?\d[\d.]*(?:e[-+]?\d+)?)", picture.replace("−", "-")))


def softmax_partners(screen, asked: set) -> set[str]:
    """The outputs of a softmax layer, while one of them is still asked for: they sum to 1, so none is
    shown (a question that uses one gives what it is computed from, the weighted inputs)."""
    context = getattr(screen.draw, "context", None)
    network = context.get("network") if isinstance(context, dict) else None
    if network is None or (network.activations or [""])[-1] != "softmax":
        return set()
    outputs = {f"a_o{j + 1}" for j in range(network.sizes[-1])}
    return outputs if outputs & asked & screen.withheld else set()


def formula_forms(step) -> list[str]:
    """The answer of an expression step and the forms it accepts, long enough not to match by accident."""
    spec = step.exercise
    forms = [normal_formula(f) for f in (spec.answer, *spec.accept)]
    return [f for f in forms if len(f) >= 10]


async def test_a_learner_who_skips_every_step_is_never_shown_an_answer(tmp_path):
    app = make_app(data_dir=tmp_path, seed=5)
    found: list[str] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, close_welcome=True)
        for lesson in app.curriculum.lessons:
            app.open_lesson(lesson.id)
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, LessonScreen) and screen.index == 0
            questions = [(i, s) for i, s in enumerate(lesson.steps) if s.exercise is not None]
            earlier: tuple[str, set[str]] | None = None  # the last network picture's numbers and its δ's
            for index, step in enumerate(lesson.steps):
                assert screen.index == index
                text = visible_text(screen)
                seed = screen.seed
                if step.visual == "network" and text["picture"]:
                    # walking on without answering settles nothing, so a δ the picture has shown (the
                    # givens of a question reached) stays shown on the same numbers
                    deltas = picture_deltas(text["picture"])
                    if earlier is not None and earlier[0] == step.seed_key and earlier[1] - deltas:
                        found.append(f"{lesson.id}/{step.id}: the picture no longer shows the δ's "
                                     f"{sorted(earlier[1] - deltas)} it showed a step before")
                    earlier = (step.seed_key, deltas)
                for q_index, question in questions:
                    bare = question.exercise.answer.strip()
                    reading = re.fullmatch(r"[A-Za-z_]\w*", bare) is not None and \
                        bare not in {lesson_parts.asked_quantity(s) for s in lesson.exercise_steps}
                    if reading:
                        continue  # the question asks to find a given among others (the rows of W^(2) are n_2)
                    if question.exercise.kind == "number" and seed is not None and question.seed_key == step.seed_key:
                        answer = format_number(lesson.exercise(question.id, seed).expected_value)
                        for place, content in text.items():
                            if number_shown(answer, content):
                                found.append(f"{lesson.id}/{step.id}: the {place} shows {answer}, the answer "
                                             f"of {question.id}")
                    elif question.exercise.kind == "expression" and q_index >= index:
                        for form in formula_forms(question):
                            for place in ("prompt", "prose", "choices"):
                                if form in normal_formula(text[place]):
                                    found.append(f"{lesson.id}/{step.id}: the {place} prints {form}, the answer "
                                                 f"of {question.id}")
                if step.exercise is not None and screen.draw is not None:
                    # and the question stays answerable: what it is worked out from is shown, unless it
                    # is itself what another question asks (then "?" until that one is answered)
                    asked = {lesson_parts.asked_quantity(s) for s in lesson.exercise_steps}
                    used = set(re.findall(r"[A-Za-z_]\w*", step.exercise.answer)) & set(screen.draw.values)
                    hidden = (used & screen.withheld) - asked - softmax_partners(screen, asked)
                    # a given that is the same number as what another open question asks is "?" too
                    # (∂E/∂b_o2 is δ_o2): a skipped value shows "?" in the steps that need it
                    others = {format_number(lesson.exercise(s.id, seed).expected_value)
                              for s in lesson.exercise_steps
                              if s.seed_key == step.seed_key and s is not step and s.exercise.kind == "number"}
                    hidden = {g for g in hidden if format_number(screen.draw.values[g]) not in others}
                    if hidden:
                        found.append(f"{lesson.id}/{step.id}: the question hides its own givens {sorted(hidden)}")
                if step.exercise is not None and step.visual == "network":
                    asked = lesson_parts.asked_quantity(step)
                    if asked is not None and asked.startswith(("delta_", "a_", "net_")):
                        assert "?" in text["picture"], f"{lesson.id}/{step.id}: the picture does not mark {asked}"
                screen.action_next()  # the next key, without answering
                await pilot.pause()
            await pilot.pause()
    assert not found, "\n".join(found)


async def test_new_numbers_on_a_solved_step_hide_the_new_answer_in_the_picture(tmp_path):
    app = make_app(data_dir=tmp_path, seed=3)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot, close_welcome=True)
        def drawn_delta(s) -> bool:
            return s.visual == "network" and s.exercise.kind == "number" and \
                (lesson_parts.asked_quantity(s) or "").startswith("delta_")
        lesson = next(l for l in app.curriculum.lessons if any(drawn_delta(s) for s in l.exercise_steps))
        step = next(s for s in lesson.exercise_steps if drawn_delta(s))
        app.progress.set_position(lesson.id, step.id)
        app.open_lesson(lesson.id)
        await pilot.pause()
        screen = app.screen
        assert screen.step.id == step.id
        old = format_number(screen.exercise.expected_value)
        assert not number_shown(old, visible_text(screen)["picture"])
        await pilot.press(*format_number(screen.exercise.expected_value), "enter")
        await pilot.pause()
        assert screen.solved_now
        assert number_shown(old, visible_text(screen)["picture"]), "a solved δ should be drawn"
        screen.action_another()  # Ctrl+R: the same question on new numbers
        await pilot.pause()
        new = format_number(screen.exercise.expected_value)
        assert new != old
        picture = visible_text(screen)["picture"]
        assert not number_shown(new, picture) and "?" in picture
        # and a later step on these numbers does not quote it either
        screen.action_next()
        await pilot.pause()
        if screen.step.group == step.group:
            assert not any(number_shown(new, t) for t in visible_text(screen).values())
