"""GIFT, Moodle's text format: one block per question, a ``$CATEGORY`` per bank.

Special characters ``~ = # { } :`` and the backslash are escaped with a backslash,
new lines written ``\\n`` (as Moodle's own exporter does), except in ordering items
(see ``_ordering_item``). GIFT has no question weight, so ``points`` are not exported.
Ordering uses the qtype_ordering syntax ``{>N ALL VERTICAL RELATIVE_ALL_PREVIOUS_AND_NEXT
SHOW none`` with one item a line.
"""

from __future__ import annotations

import re

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
    numeric_prompt,
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
    prompt = numeric_prompt(question) if isinstance(question, models.Numeric) else question.prompt
    head = f"// {quiz_id}/{question.id}\n::{escape(question.id)}::{escape(prompt)}"
    general = f"####{escape(feedback(course, question))}"
    if isinstance(question, models.TrueFalse):
        return f"{head}{{{'TRUE' if question.answer else 'FALSE'}{general}}}\n"
    lines = _WRITERS[type(question)](question)
    body = "".join(f"\t{line}\n" for line in lines)
    opening = "{#\n" if isinstance(question, models.Numeric) else "{\n"
    return f"{head}{opening}{body}\t{general}\n}}\n"


def _single(question: models.SingleChoice) -> list[str]:
    return [("=" if c.id == question.answer else "~") + escape(c.text) for c in question.choices]


def _multiple(question: models.MultipleChoice) -> list[str]:
    right = 1 / len(question.answers)
    return [
        f"~%{moodle_percent(right if c.id in question.answers else -right)}%{escape(c.text)}"
        for c in question.choices
    ]


def _matching(question: models.Matching) -> list[str]:
    rows = [(p.left, p.right) for p in question.pairs] + [("", d) for d in question.distractors]
    return [f"={escape(left)} -> {escape(right)}" for left, right in rows]


def _ordering(question: models.Ordering) -> list[str]:
    options = f">{len(question.items)} ALL VERTICAL RELATIVE_ALL_PREVIOUS_AND_NEXT SHOW none"
    return [options, *(_ordering_item(item) for item in question.items)]


def _ordering_item(text: str) -> str:
    """An ordering item: Moodle hands items to qtype_ordering still holding its escape
    placeholders and the plugin never restores them, so only what would break the
    question (braces, new lines) is escaped; ``: = ~ #`` stay as typed."""
    escaped = text.replace("\\", "\\\\").replace("{", "\\{").replace("}", "\\}")
    return re.sub(r"[\r\n]+", " ", escaped)  # not str.split: keep the no-break spaces


def _numeric(question: models.Numeric) -> list[str]:
    return [f"=%100%{number_text(question.answer)}:{number_text(question.tolerance)}#"]


def _short_text(question: models.ShortText) -> list[str]:
    return [f"=%100%{escape(v)}#" for v in answer_variants(question.accepted)]


_WRITERS = {
    models.SingleChoice: _single,
    models.MultipleChoice: _multiple,
    models.Matching: _matching,
    models.Ordering: _ordering,
    models.Numeric: _numeric,
    models.ShortText: _short_text,
}
