"""The shipped quiz banks: no question asked twice, scenarios, the final quiz's weights."""

from __future__ import annotations

import difflib
import itertools
import math
import re
from pathlib import Path

import pytest

from course import giveaways, load_course, models
from course.grading import normalise_text

REPO_ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def course():
    return load_course(REPO_ROOT)


def expected_answer(question: models.Question) -> str:
    """The right answer as text, to compare two questions by what they ask for."""
    if isinstance(question, models.SingleChoice):
        return next(c.text for c in question.choices if c.id == question.answer)
    if isinstance(question, models.MultipleChoice):
        return " ; ".join(c.text for c in question.choices if c.id in question.answers)
    if isinstance(question, models.Numeric):
        return f"{question.answer:g}"
    if isinstance(question, models.ShortText):
        return question.accepted[0]
    if isinstance(question, models.Matching):
        return " ; ".join(f"{p.left} = {p.right}" for p in question.pairs)
    if isinstance(question, models.Ordering):
        return " ; ".join(question.items)
    return ""  # true/false: the statement is the prompt


def similarity(first: str, second: str) -> float:
    return difflib.SequenceMatcher(None, normalise_text(first), normalise_text(second)).ratio()


def asked_twice(first: models.Question, second: models.Question) -> bool:
    """The same question twice: nearly the same prompt for a similar answer; the same
    answer (numbers: the same number) to a prompt on the same subject; or a question
    whose wording shows the other's answer, on nearly the same prompt or as a statement
    to judge true or false."""
    prompts = similarity(first.prompt, second.prompt)
    first_answer, second_answer = expected_answer(first), expected_answer(second)
    if first_answer and second_answer:
        if isinstance(first, models.Numeric) and isinstance(second, models.Numeric):
            answers = 1.0 if first.answer == second.answer else 0.0
        else:
            answers = similarity(first_answer, second_answer)
        if (prompts >= 0.8 and answers >= 0.5) or (prompts >= 0.45 and answers >= 0.8):
            return True
    elif prompts >= 0.8:
        return True
    first_read, second_read = giveaways.read(first), giveaways.read(second)
    if prompts >= 0.7 and (first_read.reveals(second_read) or second_read.reveals(first_read)):
        return True
    # A statement to judge that states a choice question's right option, on its subject.
    pairs = ((first, first_read, second_read), (second, second_read, first_read))
    return any(
        isinstance(question, models.TrueFalse) and other.option_keys and read.reveals(other)
        for question, read, other in pairs
    )


def written_questions(course) -> list[tuple[str, models.Question]]:
    return [
        (quiz.id, question)
        for quiz in course.quizzes.values()
        for question in quiz.questions
        if not isinstance(question, models.Generated)
    ]


def test_the_check_finds_a_question_asked_twice():
    """The duplicates the review found (issue 19) are caught by the rule."""
    common = {"explanation": "Voir.", "slide": "s"}
    first = models.Numeric(
        id="a",
        type="numeric",
        prompt="Selon le rapport du Secrétaire général (2008), combien d'États Membres ont "
        "pris part au Dialogue de haut niveau des 14 et 15 septembre 2006 ?",
        answer=132,
        **common,
    )
    second = models.Numeric(
        id="b",
        type="numeric",
        prompt="Combien d'États Membres ont pris part au Dialogue de haut niveau de "
        "septembre 2006, selon le rapport du Secrétaire général de 2008 ?",
        answer=132,
        **common,
    )
    other = models.Numeric(
        id="c",
        type="numeric",
        prompt="Combien de processus consultatifs régionaux dénombre-t-on en 2008 ?",
        answer=13,
        **common,
    )
    assert asked_twice(first, second)
    assert not asked_twice(first, other)
    statement = models.TrueFalse(
        id="d",
        type="true_false",
        prompt="Le Dialogue d'Abou Dhabi réunit les pays d'origine du Processus de Colombo et "
        "les pays du Conseil de coopération du Golfe.",
        answer=True,
        **common,
    )
    choice = models.SingleChoice(
        id="e",
        type="single",
        prompt="Entre qui le Dialogue d'Abou Dhabi est-il organisé ?",
        choices=[
            {
                "id": "a",
                "text": "Les participants au Processus de Colombo et le Conseil de "
                "coopération du Golfe",
            },
            {"id": "b", "text": "L'Union européenne et la CEDEAO"},
        ],
        answer="a",
        **common,
    )
    assert asked_twice(statement, choice)
    assert not asked_twice(statement, other)


def test_no_question_is_asked_twice_across_banks(course):
    questions = written_questions(course)
    twice = [
        f"{qa}/{a.id} and {qb}/{b.id}"
        for (qa, a), (qb, b) in itertools.combinations(questions, 2)
        if asked_twice(a, b)
    ]
    assert not twice, twice


@pytest.mark.parametrize("quiz_id", ["theme-1", "theme-2", "theme-3", "pre-post"])
def test_a_third_of_each_bank_asks_to_apply_not_recall(course, quiz_id):
    """Questions tagged ``scenario`` put the learner in a situation to act on."""
    questions = course.quizzes[quiz_id].questions
    scenarios = [q for q in questions if "scenario" in q.tags]
    assert 3 * len(scenarios) >= len(questions), f"{len(scenarios)} of {len(questions)}"
    for question in scenarios:
        assert not isinstance(question, models.Generated), question.id


def test_the_final_quiz_weighs_the_themes_by_their_duration(course):
    final = course.quizzes["final"]
    counts = {part.quiz: part.count for part in final.draw_from}
    total = sum(counts.values())
    minutes = {m.id: m.duration_minutes for m in course.modules}
    course_minutes = sum(minutes.values())
    for module_id, module_minutes in minutes.items():
        quiz = course.quiz_for_module(module_id)
        share = total * module_minutes / course_minutes
        # Rounded down or up, never further from the theme's share of the course.
        assert math.floor(share) <= counts[quiz.id] <= math.ceil(share), (module_id, share)


def significant_words(text: str) -> set[str]:
    return {w for w in re.findall(r"\w+", normalise_text(text)) if len(w) > 3}


@pytest.mark.parametrize("quiz_id", ["theme-1", "theme-2", "theme-3", "pre-post"])
def test_the_right_option_does_not_stand_out_by_its_wording(course, quiz_id):
    """A single-answer question whose right option alone is long and detailed, or alone
    repeats the prompt's words, is answered without knowing anything."""
    for question in course.quizzes[quiz_id].questions:
        if not isinstance(question, models.SingleChoice):
            continue
        right = next(c for c in question.choices if c.id == question.answer)
        wrong = [c for c in question.choices if c.id != question.answer]
        mean = sum(len(c.text) for c in wrong) / len(wrong)
        assert len(right.text) <= 1.6 * mean, f"{question.id}: the right option is the long one"
        prompt = significant_words(question.prompt)
        echo = len(prompt & significant_words(right.text))
        most = max(len(prompt & significant_words(c.text)) for c in wrong)
        assert echo - most < 2, f"{question.id}: only the right option repeats the prompt"
