"""No question of an attempt shows the answer another one asks the learner to write."""

from __future__ import annotations

import dataclasses
import shutil
from itertools import permutations

import pytest
from pydantic import TypeAdapter

from coopkit.cli import main
from course import giveaways, models
from course.attempts import draw
from tests.quiz_helpers import QUIZ_COURSE, quiz_course
from tests.test_attempts import shipped_course
from tests.test_quiz_validation import line_of

QUESTION = TypeAdapter(models.QuestionOrGenerated)
COMMON = {"explanation": "Voir la diapositive.", "slide": "s1"}


def question(id: str, **fields) -> models.Question:
    return QUESTION.validate_python({"id": id, **COMMON, **fields})


LIMA = question(
    "lima", type="short_text", prompt="Quelle ville donne son nom à la CSM ?", accepted=["Lima"]
)
SHOWS_LIMA = question(
    "montre-lima",
    type="single",
    prompt="Quel processus réunit l’Amérique du Sud ?",
    choices=[
        {"id": "a", "text": "Le Processus de Lima"},
        {"id": "b", "text": "Le Processus de Bali"},
    ],
    answer="a",
)
PARTICIPANTS = question(
    "participants",
    type="numeric",
    prompt="Combien d’États ont pris part au Dialogue ?",
    answer=132,
    tolerance=5,
)


def shows(text: str, explanation: str = "Rien.") -> models.Question:
    return question("autre", type="true_false", prompt=text, answer=True, explanation=explanation)


def gives_away(shown: models.Question, asked: models.Question) -> bool:
    return giveaways.read(shown).reveals(giveaways.read(asked))


def test_a_written_answer_shown_by_another_question_is_a_giveaway():
    assert gives_away(SHOWS_LIMA, LIMA)
    assert not gives_away(LIMA, SHOWS_LIMA)  # a choice question asks nothing to write
    # As grading compares answers: accents, case, apostrophes and spaces aside.
    volonte = question("v", type="short_text", prompt="Une … de coopérer ?", accepted=["volonté"])
    assert gives_away(shows("UNE VOLONTE\u00a0DE COOPÉRER est le premier fondement."), volonte)


def test_only_whole_words_and_what_is_shown_before_answering_count():
    assert not gives_away(shows("Le climat change."), LIMA)
    assert not gives_away(shows("Rien ici.", explanation="Le Processus de Lima."), LIMA)


@pytest.mark.parametrize(
    ("text", "given_away"),
    [
        ("En 2006, 130 États étaient présents.", True),  # within the tolerance of 5
        ("132 États.", True),
        ("138 États.", False),
        ("Le rapport de 2008, 12 pages, 1 320 lecteurs.", False),
        ("Le chiffre 13,2 ne compte pas.", False),
    ],
)
def test_a_number_is_given_away_within_its_tolerance(text, given_away):
    assert gives_away(shows(text), PARTICIPANTS) is given_away


def test_numbers_are_read_as_french_text_writes_them():
    thousand = question("mille", type="numeric", prompt="Combien ?", answer=1000)
    assert gives_away(shows("Environ 1\u202f000 personnes."), thousand)
    half = question("demi", type="numeric", prompt="Combien ?", answer=2.5, tolerance=0)
    assert gives_away(shows("Un taux de 2,5 %."), half)
    assert not gives_away(shows("Les années 2, 5 et 7."), half)
    assert gives_away(
        shows("Les années 2, 5 et 7."), question("d", type="numeric", prompt="?", answer=2)
    )


def course_with(**quizzes: dict) -> object:
    """The test course with only these quizzes (id → Quiz fields)."""
    built = {
        quiz_id: models.Quiz.model_validate({"id": quiz_id, "title": quiz_id, **fields})
        for quiz_id, fields in quizzes.items()
    }
    return dataclasses.replace(quiz_course(), quizzes=built)


NEUTRAL = [shows(f"Affirmation neutre {n}.").model_copy(update={"id": f"n{n}"}) for n in range(3)]
BANK = [LIMA, SHOWS_LIMA, *NEUTRAL]


def ids(attempt) -> set[str]:
    return {item.question.id for item in attempt.items}


def test_a_draw_leaves_out_a_question_whose_answer_another_shows():
    course = course_with(bank={"questions": BANK, "draw": 4})
    drawn = [ids(draw(course, "bank", seed)) for seed in range(60)]
    assert all(len(d) == 4 and not {"lima", "montre-lima"} <= d for d in drawn)
    assert any("lima" in d for d in drawn) and any("montre-lima" in d for d in drawn)


def test_draw_from_takes_a_question_in_reserve_instead_of_a_giveaway():
    course = course_with(
        bank={"questions": BANK, "draw": 4},
        final={
            "questions": [NEUTRAL[0].model_copy(update={"id": "own"})],
            "draw_from": [{"quiz": "bank", "count": 4}],
        },
    )
    for seed in range(60):
        attempt = draw(course, "final", seed)
        assert len(attempt.items) == 5 and not {"lima", "montre-lima"} <= ids(attempt)


def test_a_quiz_that_asks_every_question_still_asks_them_all():
    """Better a giveaway than a question the author wrote and nobody is ever asked."""
    course = course_with(bank={"questions": BANK})
    for seed in range(20):
        assert ids(draw(course, "bank", seed)) == {q.id for q in BANK}


@pytest.mark.parametrize("quiz_id", ["theme-1", "theme-2", "theme-3", "final"])
def test_no_attempt_of_the_shipped_quizzes_gives_an_answer_away(quiz_id):
    """Before this check, 40 to 59 % of the shipped quizzes' attempts did (300 seeds)."""
    for seed in range(150):
        reads = [
            giveaways.read(item.question) for item in draw(shipped_course(), quiz_id, seed).items
        ]
        leaks = [(a.shown, b.shown) for a, b in permutations(reads, 2) if a.reveals(b)]
        assert not leaks, f"seed {seed}: « {leaks[0][0]} » gives away « {leaks[0][1]} »"


def test_authors_are_warned_of_giveaways_no_draw_can_avoid(tmp_path, runner):
    root = tmp_path / "course"
    shutil.copytree(QUIZ_COURSE, root)
    bank = root / "quizzes" / "theme-1.yaml"
    written = """
  - id: lima
    type: short_text
    slide: t1-pcr
    prompt: Quelle ville donne son nom à la CSM ?
    accepted: [Lima]
    explanation: Voir la diapositive.
  - id: montre-lima
    type: true_false
    slide: t1-pcr
    prompt: Le Processus de Lima réunit l'Amérique du Sud.
    answer: true
    explanation: Voir la diapositive.
"""
    bank.write_text(bank.read_text(encoding="utf-8").rstrip() + written, encoding="utf-8")
    result = runner.invoke(main, ["validate", "--root", str(root)])
    assert result.exit_code == 0, result.output
    assert "warning" not in result.stderr  # the bank draws 6: draws keep them apart

    bank.write_text(bank.read_text(encoding="utf-8").replace("draw: 6\n", ""), encoding="utf-8")
    result = runner.invoke(main, ["validate", "--root", str(root)])
    assert result.exit_code == 0, result.output
    line = line_of(bank, "- id: lima")
    assert (
        f"{bank}:{line}: warning: questions[14]: 'montre-lima' shows the answer to 'lima', "
        "and every attempt asks both: draw fewer questions or reword one" in result.stderr
    )


# --- Choice questions -----------------------------------------------------------

ABOU_DHABI = question(
    "abou-dhabi",
    type="single",
    prompt="Entre qui le Dialogue d’Abou Dhabi est-il organisé ?",
    choices=[
        {
            "id": "a",
            "text": "Les participants au Processus de Colombo et le Conseil de coopération "
            "du Golfe",
        },
        {"id": "b", "text": "L’Union européenne et la CEDEAO"},
        {"id": "c", "text": "Les membres de l’APC et ceux du Processus de Bali"},
    ],
    answer="a",
)
MESSAGES = question(
    "messages",
    type="multiple",
    prompt="Quels messages le Dialogue de haut niveau de 2006 a-t-il réaffirmés ?",
    choices=[
        {"id": "a", "text": "Les migrations peuvent contribuer au développement"},
        {"id": "b", "text": "Le respect des droits fondamentaux des migrants est essentiel"},
        {"id": "c", "text": "Il faut intensifier la coopération internationale"},
        {"id": "d", "text": "Les migrations remplacent les stratégies de développement"},
    ],
    answers=["a", "b", "c"],
)


def test_a_prompt_that_states_the_right_option_gives_a_choice_question_away():
    statement = shows(
        "Le Dialogue d’Abou Dhabi réunit les pays d’origine du Processus de Colombo et les "
        "pays du Conseil de coopération du Golfe."
    )
    assert gives_away(statement, ABOU_DHABI)
    # Options show as much as a prompt does.
    choice = question(
        "golfe",
        type="single",
        prompt="Quel dialogue est organisé entre qui ?",
        choices=[
            {
                "id": "a",
                "text": "Le Dialogue d’Abou Dhabi : le Processus de Colombo et le Conseil de "
                "coopération du Golfe",
            },
            {"id": "b", "text": "Le Processus de Rabat"},
        ],
        answer="b",
    )
    assert gives_away(choice, ABOU_DHABI)


def test_a_name_on_another_subject_gives_nothing_away():
    assert not gives_away(
        shows("Le Processus de Colombo réunit des pays d’origine d’Asie."), ABOU_DHABI
    )
    # The subject without the right option's own words.
    assert not gives_away(shows("Le Dialogue d’Abou Dhabi se réunit depuis 2008."), ABOU_DHABI)
    # Words every option has (« Processus ») tell nothing.
    assert not gives_away(shows("Le Dialogue d’Abou Dhabi est un processus."), ABOU_DHABI)


def test_a_multiple_choice_question_is_given_away_by_half_its_right_options():
    one = shows(
        "Le Dialogue de haut niveau de 2006 a rappelé que les migrations peuvent "
        "contribuer au développement."
    )
    assert not gives_away(one, MESSAGES)
    two = shows(
        "Au Dialogue de haut niveau de 2006, les États ont réaffirmé que les migrations "
        "peuvent contribuer au développement et qu’il faut intensifier la coopération "
        "internationale."
    )
    assert gives_away(two, MESSAGES)


def test_a_draw_keeps_a_choice_question_apart_from_the_one_that_states_its_answer():
    statement = shows(
        "Le Dialogue d’Abou Dhabi réunit les participants au Processus de Colombo et le "
        "Conseil de coopération du Golfe."
    ).model_copy(update={"id": "enonce"})
    course = course_with(bank={"questions": [ABOU_DHABI, statement, *NEUTRAL], "draw": 4})
    drawn = [ids(draw(course, "bank", seed)) for seed in range(60)]
    assert all(len(d) == 4 and not {"abou-dhabi", "enonce"} <= d for d in drawn)
    assert any("abou-dhabi" in d for d in drawn) and any("enonce" in d for d in drawn)
