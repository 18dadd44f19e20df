"""A question's answer read back from the fields of a submitted form: one rule for every page.

Field names (the macros of ``webapp/templates/questions/_macros.html`` write the same):

- a question answered in one field is named after its item's key: ``q3``;
- each row of a matching (its left items, in the course's order) or of an ordering (its
  items, in the order shown) is the key, a hyphen and the row's number from 1: ``q3-1``;
- a page may put a prefix before every name (``field_name(item, prefix)``), for a
  SCORM page or several forms on one page.

The values are the ones the page offers: choice ids, ``vrai``/``faux``, a matching's
right-hand texts, an ordering's ranks from 1, typed text. ``read_answer`` returns the
response in the shape ``course.grading.grade`` expects; what each type reads is its
kind's ``read`` (``course.kinds``). A person's mistake (two items
given the same rank, a word where a number was asked) raises ``AnswerMistake`` with a
French message; a value no page offers (a rank out of range, ``peut-être`` for a
true/false, text longer than the field allows) raises ``InvalidResponse``: a forged
submission. Choices and matching texts that were not offered are refused by ``grade``.

No Flask here: ``form`` is any mapping of names to values, or a werkzeug ``MultiDict``
(several values under one name: check boxes).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from course.attempts import Item
from course.kinds import kind_of
from course.responses import AnswerMistake, InvalidResponse, is_blank

__all__ = [
    "MAX_TEXT",
    "AnswerMistake",
    "Answers",
    "InvalidResponse",
    "field_name",
    "field_names",
    "is_blank",
    "read_answer",
    "read_answers",
    "unexpected_fields",
]

MAX_TEXT = 200  # the maxlength of every text field


@dataclass
class Answers:
    """The responses read from a form, by item key, and the person's mistakes to fix."""

    values: dict[str, object]
    mistakes: dict[str, str]


def field_name(item: Item, prefix: str = "", row: int | None = None) -> str:
    """The name of an item's field, or of its ``row``-th row (from 1)."""
    return f"{prefix}{item.key}" if row is None else f"{prefix}{item.key}-{row}"


def field_names(item: Item, prefix: str = "") -> list[str]:
    """Every field name of an item: one, or one per row of a matching or an ordering."""
    rows = kind_of(item.question).rows(item.question, item.order)
    if rows is None:
        return [field_name(item, prefix)]
    return [field_name(item, prefix, n) for n in range(1, len(rows) + 1)]


def read_answer(item: Item, form: Mapping, prefix: str = "") -> object:
    """The response an item's fields carry (``AnswerMistake``, ``InvalidResponse``)."""
    question = item.question
    return kind_of(question).read(question, item.order, _Fields(form, item, prefix))


def read_answers(items: Iterable[Item], form: Mapping, prefix: str = "") -> Answers:
    """Every item's response, and the mistakes of the items that have one."""
    answers = Answers({}, {})
    for item in items:
        try:
            answers.values[item.key] = read_answer(item, form, prefix)
        except AnswerMistake as mistake:
            answers.mistakes[item.key] = str(mistake)
    return answers


def unexpected_fields(
    items: Iterable[Item], form: Mapping, prefix: str = "", allowed: Iterable[str] = ()
) -> set[str]:
    """Names in ``form`` that are neither a field of ``items`` nor ``allowed``."""
    expected = {name for item in items for name in field_names(item, prefix)}
    return set(form) - expected - set(allowed)


class _Fields:
    """The submitted values of one item's fields (``course.kinds.Fields``)."""

    def __init__(self, form: Mapping, item: Item, prefix: str) -> None:
        self.form, self.item, self.prefix = form, item, prefix

    def all(self, row: int | None = None) -> list[str]:
        """Every value sent under the field's name (check boxes send several)."""
        name = field_name(self.item, self.prefix, row)
        if hasattr(self.form, "getlist"):
            values = self.form.getlist(name)
        else:
            value = self.form.get(name)
            values = [] if value is None else value if isinstance(value, list) else [value]
        return [str(value) for value in values]

    def one(self, row: int | None = None) -> str:
        """The field's value, stripped ("" when absent); longer than a field allows: forged."""
        values = self.all(row)
        text = values[0].strip() if values else ""
        if len(text) > MAX_TEXT:
            raise InvalidResponse(f"an answer longer than {MAX_TEXT} characters")
        return text
