"""From a submitted phone form to the response shape ``course.grading.grade`` expects.

Field names are the item key (``q3``) or the key and a position (``q3-1``), so they
are safe in HTML. A person's mistake (two items given the same rank, a word where
a number was asked) raises ``AnswerFormError`` with a French message and nothing is
stored; a value that was never offered is left to ``grade`` to refuse as forged.
"""

from __future__ import annotations

from collections.abc import Mapping

from werkzeug.datastructures import MultiDict

from course import models
from course.attempts import Item
from course.grading import InvalidResponse, parse_number

TRUE_VALUE, FALSE_VALUE = "vrai", "faux"
LETTERS = "ABCDEFGHIJ"


class AnswerFormError(ValueError):
    """A mistake the participant can correct, worded for them."""


def field(item: Item, position: int) -> str:
    """The name of a part's field (``q3-1``): a matching row or an ordering item."""
    return f"{item.key}-{position}"


def choice_letters(item: Item) -> list[tuple[str, str, str]]:
    """(letter, choice id, text) of a choice question, in the order participants see them."""
    question = item.question
    texts = {c.id: c.text for c in question.choices}
    return [(LETTERS[n], cid, texts[cid]) for n, cid in enumerate(item.order)]


def left_items(item: Item) -> list[str]:
    """The left-hand items of a matching question, in the course's order."""
    return [pair.left for pair in item.question.pairs]


def parse_response(item: Item, form: MultiDict | Mapping) -> object:
    """The response an item's fields carry, or ``AnswerFormError`` for a fixable mistake."""
    question = item.question
    key = item.key
    if isinstance(question, models.SingleChoice):
        return form.get(key) or None
    if isinstance(question, models.MultipleChoice):
        return list(dict.fromkeys(form.getlist(key)))
    if isinstance(question, models.TrueFalse):
        value = form.get(key)
        if value in (None, ""):
            return None
        if value not in (TRUE_VALUE, FALSE_VALUE):
            raise InvalidResponse(f"'{value}' is neither {TRUE_VALUE} nor {FALSE_VALUE}")
        return value == TRUE_VALUE
    if isinstance(question, models.Matching):
        response = {}
        for n, left in enumerate(left_items(item), start=1):
            right = form.get(field(item, n)) or ""
            if right:
                response[left] = right
        return response
    if isinstance(question, models.Ordering):
        return _ordering(item, form)
    if isinstance(question, models.Numeric):
        text = (form.get(key) or "").strip()[:50]
        try:
            parse_number(text)
        except InvalidResponse:
            raise AnswerFormError("Saisissez un nombre, par exemple 12 ou 1,5.") from None
        return text or None
    text = (form.get(key) or "").strip()[:200]
    return text or None


def _ordering(item: Item, form: MultiDict | Mapping) -> list[str]:
    """Items sorted by the rank given to each; every rank used once, or none at all."""
    count = len(item.order)
    ranks: dict[str, int] = {}
    for n, text in enumerate(item.order, start=1):
        value = form.get(field(item, n)) or ""
        if not value:
            continue
        if not value.isdigit() or not 1 <= int(value) <= count:
            raise InvalidResponse(f"rank '{value}' is not between 1 and {count}")
        ranks[text] = int(value)
    if not ranks:
        return []
    if len(ranks) < count:
        raise AnswerFormError("Donnez un rang à chaque élément.")
    if len(set(ranks.values())) < count:
        raise AnswerFormError("Chaque rang ne peut servir qu’une fois.")
    return sorted(ranks, key=ranks.__getitem__)
