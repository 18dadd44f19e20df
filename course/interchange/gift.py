"""GIFT, Moodle's text format: one block per question, a ``$CATEGORY`` per bank.

Special characters ``~ = # { } :`` and the backslash are escaped with a backslash,
new lines written ``\\n`` (as Moodle's own exporter does), except in ordering items
(see ``_ordering_item``). GIFT has no question weight, so ``points`` are not exported.
Ordering uses the qtype_ordering syntax ``{>N ALL VERTICAL RELATIVE_ALL_PREVIOUS_AND_NEXT
SHOW none`` with one item a line. Each question type is written by one ``_answers``
overload.
"""

from __future__ import annotations

import re
from functools import singledispatch

from course import models
from course.course import Course
from course.grading import ConcreteQuestion
from course.interchange.common import (
    Section,
    answer_variants,
    category_path,
    feedback,
    moodle_percent,
    number_text,
    prompt,
)

_RESERVED = {"\\": "\\\\", "~": "\\~", "=": "\\=", "#": "\\#", "{": "\\{", "}": "\\}", ":": "\\:"}


def escape(text: str) -> str:
    """``text`` with GIFT's special characters escaped and new lines as ``\\n``."""
    escaped = "".join(_RESERVED.get(c, c) for c in text)
    return escaped.replace("\r", "").replace("\n", "\\n")


def gift(course: Course, quiz_sections: list[Section]) -> str:
    """A GIFT file holding every section as a category."""
    blocks = []
    for section in quiz_sections:
        blocks.append(f"$CATEGORY: {category_path(course, section)}\n")
        blocks += [question_block(course, q, section.quiz_id) for q in section.questions]
    return "\n".join(blocks)


def question_block(course: Course, question: ConcreteQuestion, quiz_id: str) -> str:
    """One question in GIFT, laid out as Moodle's own exporter writes it."""
    head = f"// {quiz_id}/{question.id}\n::{escape(question.id)}::{escape(prompt(question))}"
    general = f"####{escape(feedback(course, question))}"
    opening, lines = _answers(question)
    if not opening:  # one line inside the braces (true/false)
        return f"{head}{{{lines[0]}{general}}}\n"
    body = "".join(f"\t{line}\n" for line in lines)
    return f"{head}{opening}\n{body}\t{general}\n}}\n"


@singledispatch
def _answers(question: ConcreteQuestion) -> tuple[str, list[str]]:
    """The answer section's opening brace ("" for a one-line section) and its lines."""
    raise TypeError(f"no GIFT for a {type(question).__name__}")


@_answers.register
def _(question: models.SingleChoice) -> tuple[str, list[str]]:
    return "{", [
        ("=" if c.id == question.answer else "~") + escape(c.text) for c in question.choices
    ]


@_answers.register
def _(question: models.MultipleChoice) -> tuple[str, list[str]]:
    right = 1 / len(question.answers)
    return "{", [
        f"~%{moodle_percent(right if c.id in question.answers else -right)}%{escape(c.text)}"
        for c in question.choices
    ]


@_answers.register
def _(question: models.TrueFalse) -> tuple[str, list[str]]:
    return "", ["TRUE" if question.answer else "FALSE"]


@_answers.register
def _(question: models.Matching) -> tuple[str, list[str]]:
    rows = [(p.left, p.right) for p in question.pairs] + [("", d) for d in question.distractors]
    return "{", [f"={escape(left)} -> {escape(right)}" for left, right in rows]


@_answers.register
def _(question: models.Ordering) -> tuple[str, list[str]]:
    options = f">{len(question.items)} ALL VERTICAL RELATIVE_ALL_PREVIOUS_AND_NEXT SHOW none"
    return "{", [options, *(_ordering_item(item) for item in question.items)]


def _ordering_item(text: str) -> str:
    """An ordering item: Moodle hands items to qtype_ordering still holding its escape
    placeholders and the plugin never restores them, so only what would break the
    question (braces, new lines) is escaped; ``: = ~ #`` stay as typed."""
    escaped = text.replace("\\", "\\\\").replace("{", "\\{").replace("}", "\\}")
    return re.sub(r"[\r\n]+", " ", escaped)  # not str.split: keep the no-break spaces


@_answers.register
def _(question: models.Numeric) -> tuple[str, list[str]]:
    return "{#", [f"=%100%{number_text(question.answer)}:{number_text(question.tolerance)}#"]


@_answers.register
def _(question: models.ShortText) -> tuple[str, list[str]]:
    return "{", [f"=%100%{escape(v)}#" for v in answer_variants(question.accepted)]
