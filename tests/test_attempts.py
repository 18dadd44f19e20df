"""Attempts: reproducible from their seed, shuffled with their own RNG, filtered on request."""

from __future__ import annotations

import random
import re
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coopkit.cli import main
from course import load_course, models
from course.attempts import UnknownQuiz, bank, draw, grade_attempt
from tests.quiz_helpers import QUIZ_COURSE, REPO_ROOT, quiz_course, right_response

SEEDS = st.integers(min_value=0, max_value=2**63)


def recipe_of(question_id: str) -> str:
    """The recipe a generated question comes from (``gen-annees-2`` → ``gen-annees``)."""
    return re.sub(r"-\d+$", "", question_id) if question_id.startswith("gen-") else question_id


def test_bank_materialises_every_recipe_and_its_variants():
    questions = bank(quiz_course(), "theme-1", seed=4)
    ids = [q.id for q in questions]
    assert "gen-annees-1" in ids and "gen-annees-2" in ids  # variants: 2
    assert not any(isinstance(q, models.Generated) for q in questions)
    assert len(ids) == len(set(ids)) == 8 + 2 + 5
    assert bank(quiz_course(), "theme-1", seed=4) == questions


def test_draw_is_reproducible_from_its_seed():
    course = quiz_course()
    first = draw(course, "theme-1", seed=2024)
    assert draw(course, "theme-1", seed=2024) == first
    others = [draw(course, "theme-1", seed=s) for s in range(2025, 2035)]
    assert any(o.items != first.items for o in others)


def test_draw_never_touches_the_global_random_generator():
    random.seed(7)
    state = random.getstate()
    draw(quiz_course(), "final", seed=3)
    assert random.getstate() == state


def test_draw_uses_the_quiz_count_and_pass_mark():
    attempt = draw(quiz_course(), "theme-1", seed=1)
    assert len(attempt.items) == 6  # draw: 6 in the bank file
    assert attempt.pass_percent == 60 and attempt.quiz_id == "theme-1" and attempt.seed == 1
    assert [item.key for item in attempt.items] == [f"q{n}" for n in range(1, 7)]
    assert len(draw(quiz_course(), "theme-1", seed=1, count=3).items) == 3


@pytest.mark.parametrize("count", [0, 15, 100])
def test_draw_refuses_counts_it_cannot_honour(count):
    with pytest.raises(ValueError, match="question"):
        draw(quiz_course(), "theme-1", seed=1, count=count)


def test_draw_by_tag_and_type():
    course = quiz_course()
    tagged = draw(course, "theme-1", seed=5, count=3, tags=["pcr"])
    assert all("pcr" in item.question.tags for item in tagged.items)
    typed = draw(course, "theme-1", seed=5, count=4, types=["matching", "ordering"])
    assert {item.question.type for item in typed.items} <= {"matching", "ordering"}
    with pytest.raises(ValueError, match="unknown question type essay"):
        draw(course, "theme-1", seed=5, types=["essay"])
    with pytest.raises(ValueError, match="has 3 questions that fit"):
        draw(course, "theme-1", seed=5, count=4, tags=["pcr"])


def test_unknown_quiz_names_the_known_ones():
    with pytest.raises(UnknownQuiz, match=r"no quiz 'theme-9' \(quizzes: final, theme-1\)"):
        draw(quiz_course(), "theme-9", seed=0)


def test_final_quiz_draws_from_the_theme_bank():
    course = quiz_course()
    attempt = draw(course, "final", seed=8)
    ids = [item.question.id for item in attempt.items]
    assert "final-fmmd" in ids and len(ids) == 6  # its own question + 5 from theme-1
    theme_ids = {q.id for q in bank(course, "theme-1", seed=8)}
    assert len(set(ids) & theme_ids) == 5
    assert attempt.pass_percent == 75


@settings(max_examples=80, deadline=None)
@given(seed=SEEDS, quiz_id=st.sampled_from(["theme-1", "final"]))
def test_every_attempt_is_well_formed(seed, quiz_id):
    check_attempt(quiz_course(), quiz_id, seed)


@settings(max_examples=60, deadline=None)
@given(seed=SEEDS, quiz_id=st.sampled_from(["theme-1", "theme-2", "theme-3", "final"]))
def test_every_attempt_of_the_shipped_quizzes_is_well_formed(seed, quiz_id):
    attempt = check_attempt(shipped_course(), quiz_id, seed)
    quiz = shipped_course().quizzes[quiz_id]
    expected = quiz.draw or len(quiz.questions) + sum(p.count for p in quiz.draw_from)
    assert len(attempt.items) == expected


@cache
def shipped_course():
    return load_course(REPO_ROOT)


def check_attempt(course, quiz_id: str, seed: int):
    """Draw an attempt and check everything an attempt promises; return it."""
    attempt = draw(course, quiz_id, seed)
    assert draw(course, quiz_id, seed) == attempt
    recipes = [recipe_of(item.question.id) for item in attempt.items]
    assert len(recipes) == len(set(recipes)), "two variants of one recipe in an attempt"
    for item in attempt.items:
        question = item.question
        if isinstance(question, models.SingleChoice | models.MultipleChoice):
            assert sorted(item.order) == sorted(c.id for c in question.choices)
        elif isinstance(question, models.Matching):
            offered = {p.right for p in question.pairs} | set(question.distractors)
            assert sorted(item.order) == sorted(offered)
        elif isinstance(question, models.Ordering):
            assert sorted(item.order) == sorted(question.items)
            assert list(item.order) != question.items, "ordering shown already in order"
        else:
            assert item.order == ()
    right = {item.key: right_response(item.question) for item in attempt.items}
    assert grade_attempt(attempt, right).percent == pytest.approx(100)
    return attempt


def test_generated_questions_follow_the_attempt_seed():
    course = quiz_course()

    def generated(seed: int) -> list[str]:
        attempt = draw(course, "theme-1", seed, types=["matching", "ordering", "single"], count=6)
        return [i.question.model_dump_json() for i in attempt.items if i.question.id[:4] == "gen-"]

    assert generated(12) == generated(12)
    assert len({tuple(generated(s)) for s in range(12)}) > 6


def test_cli_preview_prints_the_attempt_with_its_answers(runner):
    args = ["quiz", "preview", "theme-1", "--root", str(QUIZ_COURSE), "--seed", "3"]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    attempt = draw(quiz_course(), "theme-1", seed=3)
    for item in attempt.items:
        assert f"{item.key}. [{item.question.type}] {item.question.prompt}" in result.stdout
    assert "pass mark 60 %" in result.stdout
    result = runner.invoke(main, ["quiz", "preview", "nope", "--root", str(QUIZ_COURSE)])
    assert result.exit_code == 1 and "Error: no quiz 'nope'" in result.stderr
