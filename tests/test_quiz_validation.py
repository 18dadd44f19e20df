"""Bad quizzes are reported by ``coopkit validate`` with file, line and message; the
shipped banks and the quiz-level checks (``check_quiz``) agree with the dataset."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from coopkit.cli import main
from course import load_course
from course.attempts import check_quiz
from course.scaffold import scaffold
from tests.quiz_helpers import QUIZ_COURSE, REPO_ROOT, quiz_course

MATCHING_WITH_TWO_PAIRS = """\
  - id: q2
    type: matching
    prompt: Associez chaque sigle à son nom.
    pairs:
      - {left: EX, right: Processus d'exemple}
      - {left: PCR, right: Processus consultatif régional}
    explanation: Deux paires seulement.
    slide: premiere-diapositive
"""


@pytest.fixture
def course_copy(tmp_path: Path) -> Path:
    root = tmp_path / "cours"
    scaffold(root)
    return root


def corrupt(root: Path, old: str, new: str) -> Path:
    """Replace ``old`` (which must be there) by ``new`` in the scaffold's quiz."""
    path = root / "quizzes" / "theme-1.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def validate(runner, root: Path):
    return runner.invoke(main, ["validate", "--root", str(root)])


def line_of(path: Path, text: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if text in line)


def test_the_scaffold_quiz_validates(runner, course_copy):
    result = validate(runner, course_copy)
    assert result.exit_code == 0, result.stderr


def test_answer_key_pointing_to_a_missing_choice(runner, course_copy):
    path = corrupt(course_copy, "    answer: a\n", "    answer: c\n")
    result = validate(runner, course_copy)
    assert result.exit_code == 1
    line = line_of(path, "answer: c")
    assert (
        f"{path}:{line}: questions[0].answer: answer 'c' is not one of the choices (a, b)"
        in result.stderr
    )
    assert result.stderr.rstrip().endswith("Aborted with 1 error.")


def test_matching_with_fewer_than_three_pairs(runner, course_copy):
    path = course_copy / "quizzes" / "theme-1.yaml"
    with path.open("a", encoding="utf-8") as stream:
        stream.write(MATCHING_WITH_TWO_PAIRS)
    result = validate(runner, course_copy)
    assert result.exit_code == 1
    line = line_of(path, "    pairs:")
    assert (
        f"{path}:{line}: questions[1].pairs: List should have at least 3 items after "
        "validation, not 2" in result.stderr
    )


def test_reference_to_an_unknown_slide(runner, course_copy):
    path = corrupt(course_copy, "    slide: profil-exemple\n", "    slide: profil-exempel\n")
    result = validate(runner, course_copy)
    assert result.exit_code == 1
    line = line_of(path, "slide: profil-exempel")
    assert (
        f"{path}:{line}: questions[0].slide: unknown slide 'profil-exempel'; "
        "did you mean 'profil-exemple'?" in result.stderr
    )


def test_a_question_without_explanation(runner, course_copy):
    path = corrupt(course_copy, "    explanation: Le fichier des processus décrit EX.\n", "")
    result = validate(runner, course_copy)
    assert result.exit_code == 1
    line = line_of(path, "- id: q1")
    assert f"{path}:{line}: questions[0]: missing required key 'explanation'" in result.stderr


def test_every_error_is_reported_at_once(runner, course_copy):
    path = corrupt(course_copy, "    answer: a\n", "    answer: c\n")
    with path.open("a", encoding="utf-8") as stream:
        stream.write(MATCHING_WITH_TWO_PAIRS)
    result = validate(runner, course_copy)
    assert result.exit_code == 1
    assert "answer 'c' is not one of the choices" in result.stderr
    assert "at least 3 items" in result.stderr
    assert "Aborted with 2 errors." in result.stderr
    assert "Traceback" not in result.output


# --- check_quiz: what only the dataset and the banks together can tell ----------------------


def test_check_quiz_accepts_the_fixture_banks():
    course = quiz_course()
    assert {quiz_id: check_quiz(course, quiz_id) for quiz_id in course.quizzes} == {
        "final": [],
        "theme-1": [],
    }


def test_check_quiz_reports_impossible_recipes_and_draws(tmp_path, runner):
    root = tmp_path / "course"
    shutil.copytree(QUIZ_COURSE, root)
    bank = root / "quizzes" / "theme-1.yaml"
    text = bank.read_text(encoding="utf-8")
    text = text.replace("draw: 6", "draw: 40")
    text = text.replace(
        "    generator: members\n    items: 3",
        "    generator: members\n    processes: [apc, bali, colombo]\n    items: 3",
    )
    text = text.replace(
        "    generator: chronology\n    items: 5", "    generator: chronology\n    items: 2"
    )
    bank.write_text(text, encoding="utf-8")
    final = root / "quizzes" / "final.yaml"
    final.write_text(
        final.read_text(encoding="utf-8").replace("count: 5", "count: 15"), encoding="utf-8"
    )
    # `coopkit validate` runs the same checks: every problem with its file and line.
    result = runner.invoke(main, ["validate", "--root", str(root)])
    assert result.exit_code == 1
    recipe_line = line_of(bank, "- id: gen-chrono")
    assert (
        f"{bank}:{recipe_line}: questions[9]: generated question 'gen-chrono': a chronology "
        "question needs items: 3 or more (matchings and orderings have 3 at least), not 2"
        in result.stderr
    )
    assert "members belonging to none of the others" in result.stderr
    count_line = line_of(final, "count: 15")
    assert (
        f"{final}:{count_line}: draw_from[0].count: draws 15 questions from 'theme-1', which "
        "has 14 (a recipe counts as one)" in result.stderr
    )
    assert "draw: draws 40 questions but offers only 14" in result.stderr
    assert result.stderr.splitlines()[-1] == "Aborted with 4 errors."
    fixed = root / "quizzes" / "theme-1.yaml"
    fixed.write_text(
        fixed.read_text(encoding="utf-8")
        .replace("    processes: [apc, bali, colombo]\n", "")
        .replace("items: 2", "items: 5")
        .replace("draw: 40", "draw: 6"),
        encoding="utf-8",
    )
    final.write_text(
        final.read_text(encoding="utf-8").replace("count: 15", "count: 5"), encoding="utf-8"
    )
    assert check_quiz(load_course(root), "theme-1") == []


def test_shipped_banks_pass_check_quiz():
    """The real banks (written by the content engineers) work with the real dataset."""
    course = load_course(REPO_ROOT)
    assert {"theme-1", "theme-2", "theme-3", "final"} <= set(course.quizzes)
    for quiz_id in course.quizzes:
        assert check_quiz(course, quiz_id, seeds=20) == [], quiz_id
