"""A learner's response: how texts and numbers are compared, and what refusing one means.

``None`` or an empty response means unanswered. A response that does not fit what was
offered (unknown choice id, a right item not offered, an ordering that is not a
permutation, the wrong shape) raises ``InvalidResponse``: it is a bug or a forged form,
not a wrong answer. A mistake a person can fix (two items given the same rank, a word
where a number was asked) raises ``AnswerMistake``, worded for them in French.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

TRUE_LABEL, FALSE_LABEL = "Vrai", "Faux"
# Float noise (0.1 + 0.2) must not turn a right numeric answer wrong.
EPSILON = 1e-9


class InvalidResponse(ValueError):
    """A response that does not fit what the question offered."""


class AnswerMistake(ValueError):
    """A mistake the person can correct, worded for them in French."""


@dataclass(frozen=True)
class PartResult:
    """One gradable part of a question: a choice, a pair, a position or the single answer."""

    label: str
    correct: bool
    given: str | None
    expected: str


def is_blank(response: object) -> bool:
    """True for a response that answers nothing (no choice, no text, no row)."""
    return no_text(response) or response in ([], {})


def no_text(value: object) -> bool:
    """True for None or text of white space only."""
    return value is None or (isinstance(value, str) and not value.strip())


# Plain replacements: str.translate with a table is far slower on accented text,
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
        raise InvalidResponse(f"a numeric answer must be a number or text, not {kind(value)}")
    if not math.isfinite(number):
        raise InvalidResponse(f"'{value}' is not a finite number")
    return number


def format_number(value: float) -> str:
    """A number the French way: no useless ".0", a decimal comma."""
    text = f"{value:.10g}" if value != int(value) else str(int(value))
    return text.replace(".", ",")


def kind(value: object) -> str:
    """The name of a value's type, for messages."""
    return type(value).__name__


def texts(value: object, what: str) -> list[str]:
    """A list of strings from a list or tuple; anything else is the wrong shape."""
    if value is None:
        return []
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise InvalidResponse(f"{what} must be a list of strings, not {kind(value)}")
    return list(value)
