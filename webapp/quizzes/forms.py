"""Quiz forms, built from the question models of one attempt.

Every field offers exactly what the attempt showed: a value outside the offered
choices, an over-long text or a field the attempt does not have is a forged
submission (400), never a wrong answer. Mistakes a learner can make (a number
that is not a number, two items given the same position) are reported on the
form, which is shown again with the answers kept.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_wtf import FlaskForm
from wtforms import (
    Field,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
)
from wtforms.validators import Length, Optional

from course import models
from course.attempts import Attempt, Item
from course.grading import InvalidResponse, parse_number

TRUE_FALSE = {"vrai": True, "faux": False}
CHOOSE = SelectChoice("", "— choisir —")
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


def _fields_for(item: Item) -> dict[str, Field]:
    question = item.question
    optional = [Optional()]
    if isinstance(question, models.SingleChoice):
        texts = {c.id: c.text for c in question.choices}
        choices = [SelectChoice(cid, texts[cid]) for cid in item.order]
        return {item.key: RadioField(question.prompt, choices=choices, validators=optional)}
    if isinstance(question, models.MultipleChoice):
        texts = {c.id: c.text for c in question.choices}
        choices = [SelectChoice(cid, texts[cid]) for cid in item.order]
        return {
            item.key: SelectMultipleField(question.prompt, choices=choices, validators=optional)
        }
    if isinstance(question, models.TrueFalse):
        choices = [SelectChoice("vrai", "Vrai"), SelectChoice("faux", "Faux")]
        return {item.key: RadioField(question.prompt, choices=choices, validators=optional)}
    if isinstance(question, models.Matching):
        choices = [CHOOSE] + [SelectChoice(text) for text in item.order]
        return {
            name: SelectField(pair.left, choices=choices, default="")
            for name, pair in zip(field_names(item), question.pairs, strict=True)
        }
    if isinstance(question, models.Ordering):
        positions = [SelectChoice("", "—")]
        positions += [SelectChoice(str(n)) for n in range(1, len(item.order) + 1)]
        return {
            name: SelectField(text, choices=positions, default="")
            for name, text in zip(field_names(item), item.order, strict=True)
        }
    if isinstance(question, models.Numeric | models.ShortText):
        return {
            item.key: StringField(
                question.prompt, validators=[Optional(), Length(max=MAX_TEXT)], filters=[_strip]
            )
        }
    raise TypeError(f"no form field for {type(question).__name__}")  # pragma: no cover


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def quiz_form(attempt: Attempt, formdata=None) -> FlaskForm:
    """A form with the fields of every item of ``attempt``."""

    class QuizForm(FlaskForm):
        submit = SubmitField("Valider mes réponses")

    for item in attempt.items:
        for name, field in _fields_for(item).items():
            setattr(QuizForm, name, field)
    return QuizForm() if formdata is None else QuizForm(formdata=formdata)


@dataclass
class Responses:
    """The responses read from a submitted form, and the learner's fixable mistakes."""

    values: dict[str, object]
    mistakes: dict[str, str]


def read_responses(form: FlaskForm, attempt: Attempt) -> Responses:
    """Turn the form's data into the grading engine's response shapes (see course.grading)."""
    values: dict[str, object] = {}
    mistakes: dict[str, str] = {}
    for item in attempt.items:
        try:
            values[item.key] = _response(form, item)
        except LearnerMistake as exc:
            mistakes[item.key] = str(exc)
    return Responses(values, mistakes)


def _response(form: FlaskForm, item: Item) -> object:
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


def _ordering(form: FlaskForm, names: list[str], shown: tuple[str, ...]) -> list[str]:
    positions = {text: form[name].data for name, text in zip(names, shown, strict=True)}
    chosen = {text: int(p) for text, p in positions.items() if p}
    if not chosen:
        return []
    if len(chosen) < len(shown) or len(set(chosen.values())) < len(shown):
        raise LearnerMistake(
            f"Donnez à chaque élément une position différente, de 1 à {len(shown)}."
        )
    return sorted(chosen, key=chosen.get)
