"""Grading: pure functions from a question and a learner's response to a ``Grade``.

Rules (score is a share of the question's ``points``):

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

``None`` or an empty response means unanswered (score 0). A response that does not fit
what was offered (unknown choice id, right item not offered, an ordering that is not a
permutation, the wrong shape) raises ``InvalidResponse``: it is a bug or a forged form,
not a wrong answer.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from itertools import combinations
from typing import TYPE_CHECKING

from course import models

if TYPE_CHECKING:
    from course.attempts import Attempt

ConcreteQuestion = (
    models.SingleChoice
    | models.MultipleChoice
    | models.TrueFalse
    | models.Matching
    | models.Ordering
    | models.Numeric
    | models.ShortText
)

TRUE_LABEL, FALSE_LABEL = "Vrai", "Faux"
PICKED, NOT_PICKED = "cochée", "non cochée"
# Float noise (0.1 + 0.2) must not turn a right numeric answer wrong.
_EPSILON = 1e-9


class InvalidResponse(ValueError):
    """A response that does not fit what the question offered."""


@dataclass(frozen=True)
class PartResult:
    """One gradable part of a question: a choice, a pair, a position or the single answer."""

    label: str
    correct: bool
    given: str | None
    expected: str


@dataclass(frozen=True)
class Grade:
    """The result of one question: score out of maximum, its parts and the explanation."""

    score: float
    maximum: float
    parts: tuple[PartResult, ...]
    explanation: str

    @property
    def correct(self) -> bool:
        """True when the full score was earned."""
        return self.maximum > 0 and self.score >= self.maximum - _EPSILON


@dataclass(frozen=True)
class AttemptResult:
    """The result of an attempt: totals, percentage, pass or fail, and each item's grade."""

    score: float
    maximum: float
    percent: float
    passed: bool
    grades: dict[str, Grade]


def grade(question: ConcreteQuestion, response: object) -> Grade:
    """Grade one response to one concrete question (see the module docstring for rules)."""
    grader = _GRADERS.get(type(question))
    if grader is None:
        raise TypeError(f"cannot grade a {type(question).__name__} (generate it first)")
    share, parts = grader(question, response)
    return Grade(
        score=question.points * share,
        maximum=question.points,
        parts=tuple(parts),
        explanation=question.explanation,
    )


def grade_attempt(attempt: Attempt, responses: dict[str, object]) -> AttemptResult:
    """Grade every item of an attempt; a missing response is unanswered."""
    keys = {item.key for item in attempt.items}
    unknown = sorted(set(responses) - keys)
    if unknown:
        raise InvalidResponse(
            f"responses for items not in quiz '{attempt.quiz_id}' (seed {attempt.seed}): "
            f"{', '.join(map(str, unknown))}"
        )
    grades = {item.key: grade(item.question, responses.get(item.key)) for item in attempt.items}
    score = sum(g.score for g in grades.values())
    maximum = sum(g.maximum for g in grades.values())
    percent = 100 * score / maximum if maximum else 0.0
    return AttemptResult(
        score=score,
        maximum=maximum,
        percent=percent,
        passed=percent >= attempt.pass_percent - _EPSILON,
        grades=grades,
    )


# --- Normalising responses -------------------------------------------------------

# Plain replacements: str.translate with a table is 50 times slower on accented text,
# and the giveaway check reads whole question texts through here as attempts are drawn.
_REPLACEMENTS = [(c, "'") for c in "’‘‛ʼʹ`´′"] + [("œ", "oe"), ("æ", "ae")]
_SPACES = re.compile(r"\s+")


def normalise_text(text: str) -> str:
    """Text as short answers compare it: no accents, casefolded, one plain space, ' apostrophe."""
    decomposed = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    for variant, plain in _REPLACEMENTS:
        folded = folded.replace(variant, plain)
    return " ".join(folded.split())  # str.split's whitespace is the regex \s's


def parse_number(value: object) -> float | None:
    """A number from a float, an int or French-style text ("1,5", "1 000"); None if empty."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise InvalidResponse("a numeric answer cannot be true or false")
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        text = _SPACES.sub("", value).replace(",", ".")
        if not text:
            return None
        try:
            number = float(text)
        except ValueError:
            raise InvalidResponse(f"'{value}' is not a number") from None
    else:
        raise InvalidResponse(f"a numeric answer must be a number or text, not {_kind(value)}")
    if not math.isfinite(number):
        raise InvalidResponse(f"'{value}' is not a finite number")
    return number


def _kind(value: object) -> str:
    return type(value).__name__


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _texts(value: object, what: str) -> list[str]:
    """A list of strings from a list or tuple; anything else is the wrong shape."""
    if value is None:
        return []
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise InvalidResponse(f"{what} must be a list of strings, not {_kind(value)}")
    return list(value)


# --- One grader per question type: each returns (share of points, parts) ---------

Parts = list[PartResult]


def _single(question: models.SingleChoice, response: object) -> tuple[float, Parts]:
    texts = {c.id: c.text for c in question.choices}
    if not _is_blank(response) and not isinstance(response, str):
        raise InvalidResponse(f"a single-choice answer must be a choice id, not {_kind(response)}")
    given = None if _is_blank(response) else str(response)
    if given is not None and given not in texts:
        raise InvalidResponse(f"'{given}' is not a choice of question '{question.id}'")
    right = given == question.answer
    part = PartResult(
        label=question.prompt,
        correct=right,
        given=texts[given] if given else None,
        expected=texts[question.answer],
    )
    return (1.0 if right else 0.0), [part]


def _multiple(question: models.MultipleChoice, response: object) -> tuple[float, Parts]:
    picks = set(_texts(response, "a multiple-choice answer"))
    unknown = sorted(picks - {c.id for c in question.choices})
    if unknown:
        raise InvalidResponse(f"not choices of question '{question.id}': {', '.join(unknown)}")
    answers = set(question.answers)
    right_picks = len(picks & answers)
    wrong_picks = len(picks - answers)
    share = max(0.0, (right_picks - wrong_picks) / len(answers))
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


def _true_false(question: models.TrueFalse, response: object) -> tuple[float, Parts]:
    if response is not None and not isinstance(response, bool):
        raise InvalidResponse(f"a true/false answer must be true or false, not {_kind(response)}")
    right = response is question.answer
    label = {True: TRUE_LABEL, False: FALSE_LABEL}
    part = PartResult(
        label=question.prompt,
        correct=right,
        given=None if response is None else label[response],
        expected=label[question.answer],
    )
    return (1.0 if right else 0.0), [part]


def _matching(question: models.Matching, response: object) -> tuple[float, Parts]:
    if response is None:
        response = {}
    if not isinstance(response, dict):
        raise InvalidResponse(f"a matching answer must map left to right, not {_kind(response)}")
    lefts = {p.left for p in question.pairs}
    offered = {p.right for p in question.pairs} | set(question.distractors)
    for left, right in response.items():
        if left not in lefts:
            raise InvalidResponse(f"'{left}' is not a left item of question '{question.id}'")
        if not _is_blank(right) and right not in offered:
            raise InvalidResponse(f"'{right}' was not offered in question '{question.id}'")
    parts = []
    for pair in question.pairs:
        given = response.get(pair.left)
        given = None if _is_blank(given) else given
        parts.append(PartResult(pair.left, given == pair.right, given, pair.right))
    return sum(p.correct for p in parts) / len(parts), parts


def _ordering(question: models.Ordering, response: object) -> tuple[float, Parts]:
    given = _texts(response, "an ordering answer")
    if not given:
        parts = [PartResult(str(n), False, None, item) for n, item in enumerate(question.items, 1)]
        return 0.0, parts
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


def _numeric(question: models.Numeric, response: object) -> tuple[float, Parts]:
    number = parse_number(response)
    right = number is not None and abs(number - question.answer) <= question.tolerance + (
        _EPSILON * max(1.0, abs(question.answer))
    )
    expected = format_number(question.answer)
    if question.tolerance:
        expected += f" ± {format_number(question.tolerance)}"
    if question.unit:
        expected += f" {question.unit}"
    given = None if number is None else format_number(number)
    return (1.0 if right else 0.0), [PartResult(question.prompt, right, given, expected)]


def _short_text(question: models.ShortText, response: object) -> tuple[float, Parts]:
    if not _is_blank(response) and not isinstance(response, str):
        raise InvalidResponse(f"a short-text answer must be text, not {_kind(response)}")
    given = None if _is_blank(response) else str(response).strip()
    accepted = {normalise_text(a) for a in question.accepted}
    right = given is not None and normalise_text(given) in accepted
    return (1.0 if right else 0.0), [
        PartResult(question.prompt, right, given, question.accepted[0])
    ]


def format_number(value: float) -> str:
    """A number the French way: no useless ".0", a decimal comma."""
    text = f"{value:.10g}" if value != int(value) else str(int(value))
    return text.replace(".", ",")


_GRADERS = {
    models.SingleChoice: _single,
    models.MultipleChoice: _multiple,
    models.TrueFalse: _true_false,
    models.Matching: _matching,
    models.Ordering: _ordering,
    models.Numeric: _numeric,
    models.ShortText: _short_text,
}
