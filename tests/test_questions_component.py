"""One question component: every type has its kind, its macro and its reader, and the
fields the macros write are the fields ``webapp.answers`` reads, with or without a prefix,
in plain Jinja (no Flask, as SCORM pages and the offline site use them)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from jinja2 import Environment, FileSystemLoader, select_autoescape
from werkzeug.datastructures import MultiDict

import webapp
from course import load_course, models
from course.attempts import Item, draw
from course.grading import grade
from course.kinds import KINDS, kind_of
from tests.conftest import REPO_ROOT
from webapp.answers import (
    AnswerMistake,
    InvalidResponse,
    field_name,
    field_names,
    read_answer,
)

TEMPLATES = Path(webapp.__file__).parent / "templates"


@pytest.fixture(scope="module")
def questions():
    """The macros, imported in a plain Jinja environment."""
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape())
    return env.get_template("questions/_macros.html").module


@pytest.fixture(scope="module")
def items() -> list[Item]:
    """Items of every type, from many draws of the shipped quizzes."""
    course = load_course(REPO_ROOT)
    found = {}
    for quiz_id in course.quizzes:
        for seed in range(30):
            for item in draw(course, quiz_id, seed).items:
                found.setdefault((item.question.type, len(found) % 3), item)
    return list(found.values())


CONCRETE = models.QUESTION_TYPES - {"generated"}


def _type_of(model) -> str:
    return model.model_fields["type"].annotation.__args__[0]


def test_every_concrete_type_has_a_kind_and_a_macro(questions):
    assert {_type_of(model) for model in KINDS} == CONCRETE
    for type_name in CONCRETE:
        assert callable(getattr(questions, type_name)), type_name


def right_fields(item: Item, prefix: str) -> MultiDict:
    """The form values that answer ``item`` right, named by the one rule."""
    question = item.question
    right = kind_of(question).right_response(question)
    rows = kind_of(question).rows(question, item.order)
    if isinstance(question, models.Matching):
        values = [(field_name(item, prefix, n), right[left]) for n, left in enumerate(rows, 1)]
    elif isinstance(question, models.Ordering):
        ranks = {text: str(n) for n, text in enumerate(right, 1)}
        values = [(field_name(item, prefix, n), ranks[text]) for n, text in enumerate(rows, 1)]
    elif isinstance(question, models.MultipleChoice):
        values = [(field_name(item, prefix), choice) for choice in right]
    elif isinstance(question, models.TrueFalse):
        values = [(field_name(item, prefix), "vrai" if right else "faux")]
    else:
        values = [(field_name(item, prefix), str(right))]
    return MultiDict(values)


@pytest.mark.parametrize("prefix", ["", "scorm-"])
def test_the_macros_write_the_fields_the_reader_reads(questions, items, prefix):
    assert {item.question.type for item in items} == CONCRETE
    for item in items:
        html = str(questions.question(item, 1, 1, prefix=prefix))
        written = set(re.findall(r' name="([^"]+)"', html))
        assert written == set(field_names(item, prefix)), item.question.type
        response = read_answer(item, right_fields(item, prefix), prefix)
        assert grade(item.question, response).correct, item.question.type


def test_answers_shown_again_are_checked_and_filled_in(questions, items):
    for item in items:
        values = right_fields(item, "")
        html = str(questions.question(item, 2, 5, values=values, mistake="À corriger"))
        assert 'class="error"' in html and "À corriger" in html
        if item.question.type in ("single", "multiple", "true_false"):
            assert "checked " in html
        elif item.question.type in ("matching", "ordering"):
            assert "selected " in html
        else:
            assert f'value="{values[item.key]}"' in html.replace("&#39;", "'")


def test_a_fixable_mistake_and_a_forged_value_are_told_apart(items):
    ordering = next(i for i in items if i.question.type == "ordering")
    rows = range(1, len(ordering.order) + 1)
    same = MultiDict({field_name(ordering, "", n): "1" for n in rows})
    with pytest.raises(AnswerMistake, match="Chaque rang ne peut servir qu’une fois"):
        read_answer(ordering, same)
    with pytest.raises(AnswerMistake, match="Donnez un rang à chaque élément"):
        read_answer(ordering, MultiDict({field_name(ordering, "", 1): "1"}))
    with pytest.raises(InvalidResponse):
        read_answer(ordering, MultiDict({field_name(ordering, "", 1): "99"}))
