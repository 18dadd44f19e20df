"""Grading: from a question and a learner's response to a ``Grade``.

The rules of each type of question live with its kind (``course.kinds``); what a
response is and how texts and numbers compare, in ``course.responses`` (re-exported
here for the renderers that word grades).
"""

from __future__ import annotations

from dataclasses import dataclass

from course.kinds import ConcreteQuestion, kind_of
from course.responses import (
    EPSILON,
    FALSE_LABEL,
    TRUE_LABEL,
    InvalidResponse,
    PartResult,
    format_number,
    normalise_text,
    parse_number,
)

__all__ = [
    "FALSE_LABEL",
    "TRUE_LABEL",
    "ConcreteQuestion",
    "Grade",
    "InvalidResponse",
    "PartResult",
    "format_number",
    "grade",
    "normalise_text",
    "parse_number",
]


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
        return self.maximum > 0 and self.score >= self.maximum - EPSILON


def grade(question: ConcreteQuestion, response: object) -> Grade:
    """Grade one response to one concrete question (the rules: ``course.kinds``)."""
    share, parts = kind_of(question).grade(question, response)
    return Grade(
        score=question.points * share,
        maximum=question.points,
        parts=tuple(parts),
        explanation=question.explanation,
    )
