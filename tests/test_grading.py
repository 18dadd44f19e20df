"""Grading of every question type: full, partial and no credit, and responses that do not fit."""

from __future__ import annotations

from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course import models
from course.attempts import draw, grade_attempt
from course.grading import InvalidResponse, grade, normalise_text, parse_number
from tests.quiz_helpers import quiz_course, right_response

BASE = {"prompt": "Question ?", "explanation": "Parce que.", "slide": "t1-pcr"}


def single(**extra) -> models.SingleChoice:
    return models.SingleChoice.model_validate(
        BASE
        | {
            "id": "s",
            "type": "single",
            "choices": [{"id": "a", "text": "Oui"}, {"id": "b", "text": "Non"}],
            "answer": "a",
        }
        | extra
    )


def multiple() -> models.MultipleChoice:
    choices = [{"id": c, "text": f"Choix {c}"} for c in "abcdef"]
    return models.MultipleChoice.model_validate(
        BASE | {"id": "m", "type": "multiple", "choices": choices, "answers": ["a", "b", "c"]}
    )


def matching() -> models.Matching:
    pairs = [{"left": "IGC", "right": "1985"}, {"left": "APC", "right": "1996"}]
    pairs.append({"left": "Processus de Colombo", "right": "2003"})
    return models.Matching.model_validate(
        BASE | {"id": "x", "type": "matching", "pairs": pairs, "distractors": ["1999"]}
    )


def ordering(items=("IGC", "APC", "Bali", "Colombo")) -> models.Ordering:
    return models.Ordering.model_validate(
        BASE | {"id": "o", "type": "ordering", "items": list(items)}
    )


def numeric(answer=2007, tolerance=1) -> models.Numeric:
    return models.Numeric.model_validate(
        BASE | {"id": "n", "type": "numeric", "answer": answer, "tolerance": tolerance}
    )


def short(accepted=("Bali", "île de Bali")) -> models.ShortText:
    return models.ShortText.model_validate(
        BASE | {"id": "t", "type": "short_text", "accepted": list(accepted)}
    )


def true_false(answer=False) -> models.TrueFalse:
    return models.TrueFalse.model_validate(
        BASE | {"id": "v", "type": "true_false", "answer": answer}
    )


# --- single choice and true/false ---------------------------------------------------


def test_single_choice_right_wrong_and_unanswered():
    question = single(points=2)
    right = grade(question, "a")
    assert (right.score, right.maximum, right.correct) == (2, 2, True)
    assert right.parts[0].given == "Oui" and right.parts[0].expected == "Oui"
    assert right.explanation == "Parce que."
    wrong = grade(question, "b")
    assert (wrong.score, wrong.correct, wrong.parts[0].given) == (0, False, "Non")
    for blank in (None, "", "  "):
        unanswered = grade(question, blank)
        assert unanswered.score == 0 and unanswered.parts[0].given is None


@pytest.mark.parametrize("response", ["z", "A", ["a"], 1])
def test_single_choice_refuses_what_was_not_offered(response):
    with pytest.raises(InvalidResponse):
        grade(single(), response)


def test_true_false():
    question = true_false(answer=False)
    assert grade(question, False).correct
    assert not grade(question, True).correct
    assert grade(question, None).score == 0
    assert grade(question, True).parts[0].expected == "Faux"
    with pytest.raises(InvalidResponse):
        grade(question, "false")
    with pytest.raises(InvalidResponse):
        grade(question, 0)


# --- multiple choice ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("picks", "share"),
    [
        (["a", "b", "c"], 1),
        (["a", "b"], 2 / 3),
        (["a", "b", "d"], 1 / 3),  # one wrong pick cancels one right pick
        (["a", "b", "c", "d"], 2 / 3),
        (["a", "d", "e"], 0),  # floored at 0, not negative
        (["d", "e", "f"], 0),
        ([], 0),
        (None, 0),
    ],
)
def test_multiple_choice_partial_credit(picks, share):
    assert grade(multiple(), picks).score == pytest.approx(share)


def test_multiple_choice_duplicate_picks_count_once():
    assert grade(multiple(), ["a", "a", "a"]).score == pytest.approx(1 / 3)


def test_multiple_choice_parts_say_which_choice_is_wrong():
    result = grade(multiple(), ["a", "d"])
    wrong = {p.label for p in result.parts if not p.correct}
    assert wrong == {"Choix b", "Choix c", "Choix d"}


@pytest.mark.parametrize("response", [["a", "zz"], "a", {"a": 1}, [1, 2]])
def test_multiple_choice_refuses_unknown_ids_and_wrong_shapes(response):
    with pytest.raises(InvalidResponse):
        grade(multiple(), response)


@settings(deadline=None)
@given(st.sets(st.sampled_from("abcdef")))
def test_multiple_choice_score_stays_between_zero_and_maximum(picks):
    result = grade(multiple(), sorted(picks))
    right, wrong = len(picks & set("abc")), len(picks - set("abc"))
    assert result.score == pytest.approx(max(0, right - wrong) / 3)
    assert 0 <= result.score <= result.maximum


# --- matching ---------------------------------------------------------------------------


def test_matching_per_pair_credit():
    question = matching()
    full = {"IGC": "1985", "APC": "1996", "Processus de Colombo": "2003"}
    assert grade(question, full).correct
    one_right = {"IGC": "1985", "APC": "2003", "Processus de Colombo": "1999"}
    result = grade(question, one_right)
    assert result.score == pytest.approx(1 / 3)
    assert [p.correct for p in result.parts] == [True, False, False]
    assert result.parts[2].given == "1999" and result.parts[2].expected == "2003"


def test_matching_missing_pairs_are_unanswered():
    result = grade(matching(), {"IGC": "1985", "APC": ""})
    assert result.score == pytest.approx(1 / 3)
    assert result.parts[1].given is None and result.parts[2].given is None
    assert grade(matching(), None).score == 0
    assert grade(matching(), {}).score == 0


@pytest.mark.parametrize(
    "response",
    [{"Bali": "2002"}, {"IGC": "2002"}, ["IGC", "1985"], "IGC"],
    ids=["unknown left", "right not offered", "list", "text"],
)
def test_matching_refuses_what_was_not_offered(response):
    with pytest.raises(InvalidResponse):
        grade(matching(), response)


# --- ordering ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given_order", "share"),
    [
        (["IGC", "APC", "Bali", "Colombo"], 1),
        (["Colombo", "Bali", "APC", "IGC"], 0),
        (["APC", "IGC", "Bali", "Colombo"], 5 / 6),  # one swapped pair among six
        (["Colombo", "IGC", "APC", "Bali"], 3 / 6),  # the last one moved first
    ],
)
def test_ordering_credits_pairs_in_the_right_relative_order(given_order, share):
    assert grade(ordering(), given_order).score == pytest.approx(share)


def test_ordering_parts_are_positions():
    result = grade(ordering(), ["APC", "IGC", "Bali", "Colombo"])
    assert [(p.label, p.correct) for p in result.parts] == [
        ("1", False),
        ("2", False),
        ("3", True),
        ("4", True),
    ]


@pytest.mark.parametrize(
    "response",
    [
        ["IGC", "APC", "Bali"],
        ["IGC", "APC", "Bali", "Bali"],
        ["IGC", "APC", "Bali", "Prague"],
        ["IGC", "APC", "Bali", "Colombo", "Colombo"],
        "IGC APC Bali Colombo",
    ],
    ids=["missing item", "duplicate", "unknown item", "extra item", "text"],
)
def test_ordering_must_be_a_permutation(response):
    with pytest.raises(InvalidResponse):
        grade(ordering(), response)


def test_ordering_unanswered():
    assert grade(ordering(), []).score == 0
    assert grade(ordering(), None).parts[0].given is None


@settings(deadline=None)
@given(st.permutations(["a", "b", "c", "d", "e", "f"]))
def test_ordering_score_is_one_minus_inversions_share(permutation):
    question = ordering(["a", "b", "c", "d", "e", "f"])
    inversions = sum(x > y for x, y in combinations(permutation, 2))
    assert grade(question, permutation).score == pytest.approx(1 - inversions / 15)


# --- numeric ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("response", "right"),
    [
        (2007, True),
        (2006, True),
        (2008.0, True),
        ("2008", True),
        (" 2 007 ", True),
        (2008.5, False),
        (2005, False),
    ],
)
def test_numeric_tolerance(response, right):
    assert grade(numeric(), response).correct is right


def test_numeric_reads_a_french_decimal_comma():
    question = numeric(answer=1.5, tolerance=0)
    assert grade(question, "1,5").correct
    assert grade(question, "1.5").correct
    assert not grade(question, "15").correct
    assert grade(question, "1,5").parts[0].expected == "1,5"


def test_numeric_is_not_fooled_by_float_noise():
    assert grade(numeric(answer=0.3, tolerance=0), 0.1 + 0.2).correct
    assert grade(numeric(answer=10, tolerance=0.1), 10.1).correct


def test_numeric_unanswered_and_invalid():
    assert grade(numeric(), None).score == 0
    assert grade(numeric(), "  ").score == 0
    for bad in ("deux mille", "nan", "inf", True, [2007]):
        with pytest.raises(InvalidResponse):
            grade(numeric(), bad)
    assert parse_number("1 000,25") == 1000.25


# --- short text ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "response", ["Bali", "bali", "  BALI ", "ile de bali", "Île   de\tBali", "ÎLE DE BALI"]
)
def test_short_text_ignores_case_accents_and_spacing(response):
    assert grade(short(), response).correct


def test_short_text_unifies_apostrophes_and_ligatures():
    question = short(["Dialogue d'Abu Dhabi", "main-d'œuvre"])
    assert question.accepted[0] == "Dialogue d’Abu Dhabi"  # the loader's typography
    assert grade(question, "dialogue d'abu dhabi").correct
    assert grade(question, "Dialogue d`Abu Dhabi").correct
    assert grade(question, "main-d'oeuvre").correct
    assert not grade(question, "Dialogue Abu Dhabi").correct


def test_short_text_wrong_unanswered_invalid():
    assert not grade(short(), "Java").correct
    assert grade(short(), "").parts[0].given is None
    with pytest.raises(InvalidResponse):
        grade(short(), 12)


def test_normalise_text():
    assert normalise_text("  Cœur   d’État\u00a0! ") == "coeur d'etat !"


# --- attempts -----------------------------------------------------------------------------


def test_grade_attempt_totals_and_pass_mark():
    course = quiz_course()
    attempt = draw(course, "theme-1", seed=11)
    right = {item.key: right_response(item.question) for item in attempt.items}
    result = grade_attempt(attempt, right)
    assert result.percent == pytest.approx(100) and result.passed
    assert set(result.grades) == {item.key for item in attempt.items}
    nothing = grade_attempt(attempt, {})
    assert (nothing.score, nothing.percent, nothing.passed) == (0, 0, False)
    assert nothing.maximum == result.maximum == sum(i.question.points for i in attempt.items)


def test_grade_attempt_pass_mark_is_inclusive():
    course = quiz_course()
    attempt = draw(course, "theme-1", seed=5, count=5, types=["true_false", "numeric", "single"])
    # theme-1 passes at 60 %: three right answers out of five pass, two do not.
    three = {item.key: right_response(item.question) for item in attempt.items[:3]}
    assert grade_attempt(attempt, three).percent == pytest.approx(60)
    assert grade_attempt(attempt, three).passed
    two = dict(list(three.items())[:2])
    assert not grade_attempt(attempt, two).passed


def test_grade_attempt_refuses_answers_for_a_different_quiz():
    course = quiz_course()
    attempt = draw(course, "theme-1", seed=1, count=4)
    other = draw(course, "final", seed=1)
    assert len(other.items) > len(attempt.items)
    responses = {item.key: right_response(item.question) for item in other.items}
    with pytest.raises(InvalidResponse, match="not in quiz 'theme-1'"):
        grade_attempt(attempt, responses)
    with pytest.raises(InvalidResponse, match="q99"):
        grade_attempt(attempt, {"q99": "a"})


def test_generated_questions_cannot_be_graded_before_generation():
    recipe = quiz_course().quizzes["theme-1"].questions[-1]
    assert isinstance(recipe, models.Generated)
    with pytest.raises(TypeError, match="generate it first"):
        grade(recipe, None)
