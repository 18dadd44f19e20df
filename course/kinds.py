"""What differs per question type, in one place per type: one ``Kind`` for each.

A kind knows, for its type of question: how its parts are shuffled for an attempt
(``order``), what it shows before it is answered (``shown``, for the giveaway check), how
a response is read back from a form's fields (``read``), graded (``grade``, the rules
below) and worded for people (``response_label``, ``right_answer``, ``answer_lines``), and
the response that earns full marks (``right_response``). Elsewhere, one place per type
too: the Jinja macro that shows it (``webapp/templates/questions/_macros.html``, named
after the ``type``), its exports (``course/interchange/``), its recipes
(``course/generate.py``).

Grading rules (score is a share of the question's ``points``):

- single choice, true/false: all or nothing.
- multiple choice: (right picks − wrong picks) / number of right answers, floored at 0;
  a choice picked twice counts once.
- matching: right pairs / pairs (per-pair credit).
- ordering: pairs of items in the right relative order / all pairs (Kendall-style), so
  one item out of place costs less than a reversed list.
- numeric: right when within ± tolerance of the answer; "1,5" (French decimal comma)
  and "1 000" (spaced thousands) are read as numbers.
- short text: right when equal to an accepted answer after NFKD accent stripping,
  casefold, œ/æ unfolded, apostrophe variants unified and whitespace collapsed.

``None`` or an empty response means unanswered (score 0); see ``course.responses`` for
``InvalidResponse`` (a forged or buggy response) and ``AnswerMistake`` (a fixable one).
"""

from __future__ import annotations

import random
from itertools import combinations
from typing import Protocol

from course import models
from course.responses import (
    EPSILON,
    FALSE_LABEL,
    TRUE_LABEL,
    AnswerMistake,
    InvalidResponse,
    PartResult,
    format_number,
    kind,
    no_text,
    normalise_text,
    parse_number,
    texts,
)

ConcreteQuestion = (
    models.SingleChoice
    | models.MultipleChoice
    | models.TrueFalse
    | models.Matching
    | models.Ordering
    | models.Numeric
    | models.ShortText
)
Parts = list[PartResult]
UNANSWERED = "(sans réponse)"
PICKED, NOT_PICKED = "cochée", "non cochée"
TRUE_VALUE, FALSE_VALUE = "vrai", "faux"  # what a true/false field sends


class Fields(Protocol):
    """The submitted values of one question's fields (``webapp.answers`` gives them)."""

    def one(self, row: int | None = None) -> str:
        """The field's value, or its ``row``-th row's (from 1), stripped; "" when absent."""

    def all(self) -> list[str]:
        """Every value sent under the field's name (check boxes)."""


class Kind:
    """The behaviour of one type of question; each method is overridden where it differs."""

    def order(self, question, rng: random.Random) -> tuple[str, ...]:
        """The shuffled order of the parts shown (choice ids, right-hand texts, items)."""
        return ()

    def rows(self, question, order: tuple[str, ...]) -> list[str] | None:
        """The rows of a question answered row by row (matching, ordering), else None."""
        return None

    def shown(self, question) -> list[str]:
        """Every text the question shows before it is answered."""
        return [question.prompt]

    def written(self, question) -> tuple[tuple[str, ...], tuple[float, float] | None]:
        """The answer a learner must write, for the giveaway check: (accepted phrases,
        normalised; (lowest, highest) accepted number). Nothing for picked answers."""
        return (), None

    def read(self, question, order: tuple[str, ...], fields: Fields) -> object:
        """The response the question's form fields carry, in the shape ``grade`` takes."""
        return fields.one() or None

    def grade(self, question, response: object) -> tuple[float, Parts]:
        """(share of the points earned, the graded parts) for ``response``."""
        raise NotImplementedError

    def response_label(self, question, response: object) -> str:
        """A short French text for a response (distributions, exports)."""
        return str(response).strip()

    def right_answer(self, question) -> str:
        """The right answer in words, as the projector and the phones reveal it."""
        return self.grade(question, None)[1][0].expected

    def answer_lines(self, question, order: tuple[str, ...]) -> list[str]:
        """The parts in the order shown, right answers marked (``coopkit quiz preview``)."""
        return [f"= {self.right_answer(question)}"]

    def right_response(self, question) -> object:
        """The response that earns full marks."""
        raise NotImplementedError

    def offered(self, question, order: tuple[str, ...]) -> list[tuple[object, str, bool]] | None:
        """(value, label, right) of each answer offered, in the order shown, for a question
        answered by picking (one bar each in a distribution); None for written answers."""
        return None

    def picked(self, response: object) -> list[object]:
        """The values ``offered`` that a response picks."""
        return []

    def same_answer(self, label: str) -> str:
        """A key that two labels of the same answer share (« Bali » and « bali »)."""
        return label


def _choice_texts(question) -> dict[str, str]:
    return {c.id: c.text for c in question.choices}


def _shuffled(parts: list[str], rng: random.Random) -> tuple[str, ...]:
    rng.shuffle(parts)
    return tuple(parts)


class SingleChoice(Kind):
    """One choice among several; all or nothing."""

    def order(self, question, rng):
        return _shuffled([c.id for c in question.choices], rng)

    def shown(self, question):
        return [question.prompt, *(c.text for c in question.choices)]

    def grade(self, question, response):
        choices = _choice_texts(question)
        if not no_text(response) and not isinstance(response, str):
            raise InvalidResponse(
                f"a single-choice answer must be a choice id, not {kind(response)}"
            )
        given = None if no_text(response) else str(response)
        if given is not None and given not in choices:
            raise InvalidResponse(f"'{given}' is not a choice of question '{question.id}'")
        right = given == question.answer
        part = PartResult(
            label=question.prompt,
            correct=right,
            given=choices[given] if given else None,
            expected=choices[question.answer],
        )
        return (1.0 if right else 0.0), [part]

    def response_label(self, question, response):
        return _choice_texts(question).get(str(response), str(response))

    def right_answer(self, question):
        return _choice_texts(question)[question.answer]

    def answer_lines(self, question, order):
        choices = _choice_texts(question)
        return [f"{'*' if cid == question.answer else '-'} {choices[cid]}" for cid in order]

    def right_response(self, question):
        return question.answer

    def offered(self, question, order):
        choices = _choice_texts(question)
        return [(cid, choices[cid], cid == question.answer) for cid in order]

    def picked(self, response):
        return [str(response)]


class MultipleChoice(Kind):
    """Several right choices; a wrong tick takes a right one's credit away."""

    def order(self, question, rng):
        return _shuffled([c.id for c in question.choices], rng)

    def shown(self, question):
        return [question.prompt, *(c.text for c in question.choices)]

    def read(self, question, order, fields):
        return list(dict.fromkeys(fields.all()))

    def grade(self, question, response):
        picks = set(texts(response, "a multiple-choice answer"))
        unknown = sorted(picks - {c.id for c in question.choices})
        if unknown:
            raise InvalidResponse(f"not choices of question '{question.id}': {', '.join(unknown)}")
        answers = set(question.answers)
        share = max(0.0, (len(picks & answers) - len(picks - answers)) / len(answers))
        parts = [
            PartResult(
                label=choice.text,
                correct=(choice.id in picks) == (choice.id in answers),
                given=PICKED if choice.id in picks else NOT_PICKED,
                expected=PICKED if choice.id in answers else NOT_PICKED,
            )
            for choice in question.choices
        ]
        return share, parts

    def response_label(self, question, response):
        picked = set(response) if isinstance(response, list) else set()
        return " + ".join(c.text for c in question.choices if c.id in picked) or UNANSWERED

    def right_answer(self, question):
        return " + ".join(c.text for c in question.choices if c.id in question.answers)

    def answer_lines(self, question, order):
        choices = _choice_texts(question)
        return [f"{'*' if cid in question.answers else '-'} {choices[cid]}" for cid in order]

    def right_response(self, question):
        return list(question.answers)

    def offered(self, question, order):
        choices = _choice_texts(question)
        return [(cid, choices[cid], cid in question.answers) for cid in order]

    def picked(self, response):
        return list(response) if isinstance(response, list) else []


class TrueFalse(Kind):
    """A statement, true or false; all or nothing."""

    def read(self, question, order, fields):
        value = fields.one()
        if not value:
            return None
        if value not in (TRUE_VALUE, FALSE_VALUE):
            raise InvalidResponse(f"'{value}' is neither {TRUE_VALUE} nor {FALSE_VALUE}")
        return value == TRUE_VALUE

    def grade(self, question, response):
        if response is not None and not isinstance(response, bool):
            raise InvalidResponse(
                f"a true/false answer must be true or false, not {kind(response)}"
            )
        right = response is question.answer
        label = {True: TRUE_LABEL, False: FALSE_LABEL}
        part = PartResult(
            label=question.prompt,
            correct=right,
            given=None if response is None else label[response],
            expected=label[question.answer],
        )
        return (1.0 if right else 0.0), [part]

    def response_label(self, question, response):
        return TRUE_LABEL if response is True else FALSE_LABEL

    def right_answer(self, question):
        return TRUE_LABEL if question.answer else FALSE_LABEL

    def right_response(self, question):
        return question.answer

    def offered(self, question, order):
        return [
            (True, TRUE_LABEL, question.answer is True),
            (False, FALSE_LABEL, not question.answer),
        ]

    def picked(self, response):
        return [response] if isinstance(response, bool) else []


class Matching(Kind):
    """Left items matched to right-hand texts (and distractors); credit per pair."""

    def order(self, question, rng):
        rights = [p.right for p in question.pairs] + question.distractors
        return _shuffled(list(dict.fromkeys(rights)), rng)

    def rows(self, question, order):
        return [pair.left for pair in question.pairs]

    def shown(self, question):
        pairs = [text for pair in question.pairs for text in (pair.left, pair.right)]
        return [question.prompt, *pairs, *question.distractors]

    def read(self, question, order, fields):
        chosen = {left: fields.one(n) for n, left in enumerate(self.rows(question, order), 1)}
        return {left: right for left, right in chosen.items() if right}

    def grade(self, question, response):
        if response is None:
            response = {}
        if not isinstance(response, dict):
            raise InvalidResponse(f"a matching answer must map left to right, not {kind(response)}")
        lefts = {p.left for p in question.pairs}
        offered = {p.right for p in question.pairs} | set(question.distractors)
        for left, right in response.items():
            if left not in lefts:
                raise InvalidResponse(f"'{left}' is not a left item of question '{question.id}'")
            if not no_text(right) and right not in offered:
                raise InvalidResponse(f"'{right}' was not offered in question '{question.id}'")
        parts = []
        for pair in question.pairs:
            given = response.get(pair.left)
            given = None if no_text(given) else given
            parts.append(PartResult(pair.left, given == pair.right, given, pair.right))
        return sum(p.correct for p in parts) / len(parts), parts

    def response_label(self, question, response):
        if not isinstance(response, dict):
            return str(response).strip()
        return " ; ".join(f"{p.left} → {response.get(p.left) or '—'}" for p in question.pairs)

    def right_answer(self, question):
        return " ; ".join(f"{p.left} → {p.right}" for p in question.pairs)

    def answer_lines(self, question, order):
        pairs = [f"{p.left} → {p.right}" for p in question.pairs]
        return pairs + [f"(leurre) {d}" for d in question.distractors]

    def right_response(self, question):
        return {p.left: p.right for p in question.pairs}


class Ordering(Kind):
    """Items put in order; credit for each pair of items in the right relative order."""

    def order(self, question, rng):
        parts = list(question.items)
        if len(parts) > 1:
            # An ordering shown already in order would give the answer away.
            while parts == question.items:
                rng.shuffle(parts)
        return tuple(parts)

    def rows(self, question, order):
        return list(order)

    def shown(self, question):
        return [question.prompt, *question.items]

    def read(self, question, order, fields):
        shown = self.rows(question, order)
        count = len(shown)
        ranks: dict[str, int] = {}
        for n, text in enumerate(shown, start=1):
            value = fields.one(n)
            if not value:
                continue
            if not value.isdigit() or not 1 <= int(value) <= count:
                raise InvalidResponse(f"rank '{value}' is not between 1 and {count}")
            ranks[text] = int(value)
        if not ranks:
            return []
        if len(ranks) < count:
            raise AnswerMistake(f"Donnez un rang à chaque élément. Les rangs vont de 1 à {count}.")
        if len(set(ranks.values())) < count:
            raise AnswerMistake(
                "Chaque rang ne peut servir qu’une fois. Donnez à chaque élément une position "
                f"différente, de 1 à {count}."
            )
        return sorted(ranks, key=ranks.__getitem__)

    def grade(self, question, response):
        given = texts(response, "an ordering answer")
        if not given:
            items = enumerate(question.items, 1)
            return 0.0, [PartResult(str(n), False, None, item) for n, item in items]
        if sorted(given) != sorted(question.items):
            raise InvalidResponse(
                f"an ordering answer must list each item of question '{question.id}' once"
            )
        rank = {item: position for position, item in enumerate(given)}
        pairs = list(combinations(question.items, 2))  # (earlier, later) in the right order
        in_order = sum(rank[earlier] < rank[later] for earlier, later in pairs)
        # Parts are positions: what the learner put there and what belongs there.
        parts = [
            PartResult(str(n), mine == right, mine, right)
            for n, (mine, right) in enumerate(zip(given, question.items, strict=True), 1)
        ]
        return in_order / len(pairs), parts

    def response_label(self, question, response):
        if not isinstance(response, list):
            return str(response).strip()
        return " → ".join(map(str, response))

    def right_answer(self, question):
        return " → ".join(question.items)

    def answer_lines(self, question, order):
        return [f"{n}. {item}" for n, item in enumerate(question.items, start=1)]

    def right_response(self, question):
        return list(question.items)


class Numeric(Kind):
    """A number, right within a tolerance."""

    def shown(self, question):
        return [question.prompt, question.unit] if question.unit else [question.prompt]

    def written(self, question):
        spread = question.tolerance
        return (), (question.answer - spread, question.answer + spread)

    def read(self, question, order, fields):
        text = fields.one()
        try:
            parse_number(text)
        except InvalidResponse:
            raise AnswerMistake(
                f"«\u00a0{text}\u00a0» n’est pas un nombre. Saisissez un nombre, par exemple "
                "1985 ou 1,5."
            ) from None
        return text or None

    def grade(self, question, response):
        number = parse_number(response)
        right = number is not None and abs(number - question.answer) <= question.tolerance + (
            EPSILON * max(1.0, abs(question.answer))
        )
        expected = format_number(question.answer)
        if question.tolerance:
            expected += f" ± {format_number(question.tolerance)}"
        if question.unit:
            expected += f" {question.unit}"
        given = None if number is None else format_number(number)
        return (1.0 if right else 0.0), [PartResult(question.prompt, right, given, expected)]

    def response_label(self, question, response):
        try:
            number = parse_number(response)
        except InvalidResponse:
            return str(response)
        return UNANSWERED if number is None else format_number(number)

    def answer_lines(self, question, order):
        return [f"= {format_number(question.answer)} ± {format_number(question.tolerance)}"]

    def right_response(self, question):
        return question.answer


class ShortText(Kind):
    """A few words, compared without accents, case or apostrophe variants."""

    def written(self, question):
        return tuple(normalise_text(answer) for answer in question.accepted), None

    def grade(self, question, response):
        if not no_text(response) and not isinstance(response, str):
            raise InvalidResponse(f"a short-text answer must be text, not {kind(response)}")
        given = None if no_text(response) else str(response).strip()
        accepted = {normalise_text(a) for a in question.accepted}
        right = given is not None and normalise_text(given) in accepted
        return (1.0 if right else 0.0), [
            PartResult(question.prompt, right, given, question.accepted[0])
        ]

    def right_answer(self, question):
        return question.accepted[0]

    def same_answer(self, label):
        return normalise_text(label)

    def answer_lines(self, question, order):
        return [f"= {answer}" for answer in question.accepted]

    def right_response(self, question):
        return question.accepted[0]


KINDS: dict[type, Kind] = {
    models.SingleChoice: SingleChoice(),
    models.MultipleChoice: MultipleChoice(),
    models.TrueFalse: TrueFalse(),
    models.Matching: Matching(),
    models.Ordering: Ordering(),
    models.Numeric: Numeric(),
    models.ShortText: ShortText(),
}


def kind_of(question: ConcreteQuestion) -> Kind:
    """The kind of a concrete question (a recipe must be generated first)."""
    found = KINDS.get(type(question))
    if found is None:
        raise TypeError(f"no kind of question for a {type(question).__name__} (generate it first)")
    return found
