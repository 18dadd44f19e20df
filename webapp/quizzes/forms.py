"""Quiz forms, built from the question models of one attempt.

Every field offers exactly what the attempt showed: a value outside the offered
choices, an over-long text or a field the attempt does not have is a forged
submission (400), never a wrong answer. Mistakes a learner can make (a number
that is not a number, two items given the same position) are reported on the
form, which is shown again with the answers kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import Field, SubmitField
from wtforms.fields.core import UnboundField
from wtforms.form import BaseForm
from wtforms.validators import Length, Optional, ValidationError

from course import models
from course.attempts import Attempt, Item
from course.grading import InvalidResponse, parse_number

TRUE_FALSE = {"vrai": True, "faux": False}
MAX_TEXT = 200


class StartForm(FlaskForm):
    """Start (or retry) a quiz: a new seed draws new questions."""

    submit = SubmitField("Commencer")


class LearnerMistake(ValueError):
    """A response the learner can correct (shown on the form, nothing stored)."""


def field_names(item: Item) -> list[str]:
    """The form fields of one item: one per matching pair or ordering item, else one."""
    question = item.question
    if isinstance(question, models.Matching):
        return [f"{item.key}-{n}" for n in range(len(question.pairs))]
    if isinstance(question, models.Ordering):
        return [f"{item.key}-{n}" for n in range(len(item.order))]
    return [item.key]


def quiz_form(attempt: Attempt, formdata: MultiDict[str, str]) -> BaseForm:
    """A WTForms form with the fields of every item of ``attempt``, filled from ``formdata``.

    A ``BaseForm`` (WTForms' class for forms made at run time) over fields made once
    per kind of question: declaring a ``FlaskForm`` class per attempt cost twice as
    much on every submission. Flask-WTF's ``CSRFProtect`` has already checked the
    CSRF token before the view runs (every POST), so the form does not check it again.
    """
    form = BaseForm([pair for item in attempt.items for pair in _fields_for(item)])
    form.process(formdata)
    return form


def release(form: BaseForm) -> None:
    """Let go of ``form``'s fields once the submission is read.

    Each bound field points back to its form, so a form and its fields (about 115
    objects for 10 questions) were left for the garbage collector, which then ran every
    six submissions: 0.55 ms a run, 3 % of a submission's CPU under load. Taken out of
    the form, they are freed as soon as the request lets go of them.
    """
    for name in [field.name for field in form]:
        del form[name]


def _fields_for(item: Item) -> tuple[tuple[str, UnboundField], ...]:
    """The (name, field) pairs of one item: a field accepts exactly the values offered.

    The order the attempt showed does not change what is accepted, so the fields are
    made once per item key and set of offered values (one seed's matching options,
    sorted, are another seed's).
    """
    question = item.question
    names = tuple(field_names(item))
    if isinstance(question, models.SingleChoice):
        return _fields("radio", names, tuple(c.id for c in question.choices))
    if isinstance(question, models.MultipleChoice):
        return _fields("checkboxes", names, tuple(c.id for c in question.choices))
    if isinstance(question, models.TrueFalse):
        return _fields("radio", names, tuple(TRUE_FALSE))
    if isinstance(question, models.Matching):
        return _fields("selects", names, ("", *sorted(item.order)))
    if isinstance(question, models.Ordering):
        positions = tuple(str(n) for n in range(1, len(item.order) + 1))
        return _fields("selects", names, ("", *positions))
    if isinstance(question, models.Numeric | models.ShortText):
        return _fields("text", names, ())
    raise TypeError(f"no form field for {type(question).__name__}")  # pragma: no cover


@lru_cache(maxsize=4096)
def _fields(kind: str, names: tuple[str, ...], values: tuple[str, ...]):
    # Plain fields, checked by Offered: render.py writes the page, so WTForms' choice
    # fields (choices, widgets and coercion, set up on every submission) only added a
    # fifth to the time a form takes to be built, checked and read (365 -> 285 µs).
    if kind == "radio":
        field = Field(validators=[Optional(), Offered(values)])
    elif kind == "checkboxes":
        field = ValuesField(validators=[Optional(), Offered(values)])
    elif kind == "selects":
        field = Field(validators=[Offered(values)], default="")
    else:
        field = Field(validators=[Optional(), Length(max=MAX_TEXT)], filters=[_strip])
    return tuple((name, field) for name in names)


class ValuesField(Field):
    """Every value submitted under the field's name (check boxes), as a list."""

    def process_formdata(self, valuelist):
        self.data = list(valuelist)


class Offered:
    """A WTForms validator: every value submitted is one of ``values``."""

    def __init__(self, values: tuple[str, ...]) -> None:
        self.values = frozenset(values)

    def __call__(self, _form, field) -> None:
        submitted = field.data if isinstance(field.data, list) else [field.data]
        if not self.values.issuperset(submitted):
            raise ValidationError("Cette réponse ne fait pas partie des choix proposés.")


def _strip(value):
    return value.strip() if isinstance(value, str) else value


@dataclass
class Responses:
    """The responses read from a submitted form, and the learner's fixable mistakes."""

    values: dict[str, object]
    mistakes: dict[str, str]


def read_responses(form: BaseForm, attempt: Attempt) -> Responses:
    """Turn the form's data into the grading engine's response shapes (see course.grading)."""
    values: dict[str, object] = {}
    mistakes: dict[str, str] = {}
    for item in attempt.items:
        try:
            values[item.key] = _response(form, item)
        except LearnerMistake as exc:
            mistakes[item.key] = str(exc)
    return Responses(values, mistakes)


def _response(form: BaseForm, item: Item) -> object:
    question = item.question
    names = field_names(item)
    if isinstance(question, models.SingleChoice):
        return form[item.key].data or None
    if isinstance(question, models.MultipleChoice):
        return list(form[item.key].data or [])
    if isinstance(question, models.TrueFalse):
        return TRUE_FALSE.get(form[item.key].data or "")
    if isinstance(question, models.Matching):
        return {
            pair.left: form[name].data
            for name, pair in zip(names, question.pairs, strict=True)
            if form[name].data
        }
    if isinstance(question, models.Ordering):
        return _ordering(form, names, item.order)
    if isinstance(question, models.Numeric):
        text = form[item.key].data or None
        if text is not None:
            try:
                parse_number(text)
            except InvalidResponse:
                raise LearnerMistake(
                    f"« {text} » n’est pas un nombre. Écrivez par exemple 1985 ou 1,5."
                ) from None
        return text
    return form[item.key].data or None


def _ordering(form: BaseForm, names: list[str], shown: tuple[str, ...]) -> list[str]:
    positions = {text: form[name].data for name, text in zip(names, shown, strict=True)}
    chosen = {text: int(p) for text, p in positions.items() if p}
    if not chosen:
        return []
    if len(chosen) < len(shown) or len(set(chosen.values())) < len(shown):
        raise LearnerMistake(
            f"Donnez à chaque élément une position différente, de 1 à {len(shown)}."
        )
    return sorted(chosen, key=chosen.get)
