"""Moodle XML: every question type Moodle imports, with categories per bank.

Types: single and multiple choice as ``multichoice`` (multiple: right picks +100/k %,
wrong picks −100/k %, so Moodle's sum, floored at 0, is our rule), ``truefalse``,
``matching`` (distractors are sub-questions with empty text, as Moodle expects),
``ordering`` (the core qtype_ordering, graded RELATIVE_ALL_PREVIOUS_AND_NEXT, which
is our pairs-in-order rule), ``numerical`` with tolerance and ``shortanswer``
(case-insensitive; accent-free spellings added as accepted answers).
"""

from __future__ import annotations

import html
import xml.etree.ElementTree as ET

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

SubElement = ET.SubElement


def moodle_xml(course: Course, quiz_sections: list[Section]) -> bytes:
    """A Moodle XML question file (UTF-8) holding every section as a category."""
    root = ET.Element("quiz")
    for section in quiz_sections:
        category = SubElement(root, "question", type="category")
        _text(SubElement(category, "category"), category_path(course, section))
        _text(SubElement(category, "info", format="html"), "")
        for question in section.questions:
            root.append(question_element(course, question, section.quiz_id))
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def question_element(course: Course, question: ConcreteQuestion, quiz_id: str) -> ET.Element:
    """One ``<question>`` element."""
    kind, fill = _WRITERS[type(question)]
    element = ET.Element("question", type=kind)
    _text(SubElement(element, "name"), question.id)
    prompt = numeric_prompt(question) if isinstance(question, models.Numeric) else question.prompt
    _html(SubElement(element, "questiontext", format="html"), prompt)
    _html(SubElement(element, "generalfeedback", format="html"), feedback(course, question))
    SubElement(element, "defaultgrade").text = number_text(question.points)
    SubElement(element, "penalty").text = "0"
    SubElement(element, "hidden").text = "0"
    SubElement(element, "idnumber").text = f"{quiz_id}/{question.id}"
    fill(element, question)
    tags = SubElement(element, "tags")
    for tag in question.tags:
        _text(SubElement(tags, "tag"), tag)
    return element


def _text(parent: ET.Element, value: str) -> ET.Element:
    SubElement(parent, "text").text = value
    return parent


def _html(parent: ET.Element, value: str) -> ET.Element:
    """Plain text as an HTML paragraph per line (so < and & stay literal)."""
    paragraphs = "".join(f"<p>{html.escape(line)}</p>" for line in value.splitlines() if line)
    return _text(parent, paragraphs)


def _answer(parent: ET.Element, percent: str, text: str, fmt: str = "html") -> ET.Element:
    answer = SubElement(parent, "answer", fraction=percent, format=fmt)
    if fmt == "html":
        _html(answer, text)
    else:
        _text(answer, text)
    _text(SubElement(answer, "feedback", format="html"), "")
    return answer


def _choices(element: ET.Element, question, right: set[str], wrong_share: float) -> None:
    single = isinstance(question, models.SingleChoice)
    SubElement(element, "single").text = "true" if single else "false"
    SubElement(element, "shuffleanswers").text = "true"
    SubElement(element, "answernumbering").text = "abc"
    for choice in question.choices:
        share = 1 / len(right) if choice.id in right else wrong_share
        _answer(element, moodle_percent(share), choice.text)


def _single(element: ET.Element, question: models.SingleChoice) -> None:
    _choices(element, question, {question.answer}, 0.0)


def _multiple(element: ET.Element, question: models.MultipleChoice) -> None:
    _choices(element, question, set(question.answers), -1 / len(question.answers))


def _true_false(element: ET.Element, question: models.TrueFalse) -> None:
    _answer(element, "100" if question.answer else "0", "true", fmt="moodle_auto_format")
    _answer(element, "0" if question.answer else "100", "false", fmt="moodle_auto_format")


def _matching(element: ET.Element, question: models.Matching) -> None:
    SubElement(element, "shuffleanswers").text = "true"
    rows = [(p.left, p.right) for p in question.pairs] + [("", d) for d in question.distractors]
    for left, right in rows:
        sub = _html(SubElement(element, "subquestion", format="html"), left)
        _text(SubElement(sub, "answer"), right)


def _ordering(element: ET.Element, question: models.Ordering) -> None:
    SubElement(element, "layouttype").text = "VERTICAL"
    SubElement(element, "selecttype").text = "ALL"
    SubElement(element, "selectcount").text = str(len(question.items))
    SubElement(element, "gradingtype").text = "RELATIVE_ALL_PREVIOUS_AND_NEXT"
    SubElement(element, "showgrading").text = "SHOW"
    SubElement(element, "numberingstyle").text = "none"
    for position, item in enumerate(question.items, start=1):
        _answer(element, str(position), item)  # the fraction holds the right position


def _numeric(element: ET.Element, question: models.Numeric) -> None:
    answer = _answer(element, "100", number_text(question.answer), fmt="moodle_auto_format")
    answer.insert(1, ET.Element("tolerance"))
    answer[1].text = number_text(question.tolerance)
    SubElement(element, "unitgradingtype").text = "0"
    SubElement(element, "unitpenalty").text = "0"
    SubElement(element, "showunits").text = "3"  # no unit input: the prompt names it
    SubElement(element, "unitsleft").text = "0"


def _short_text(element: ET.Element, question: models.ShortText) -> None:
    SubElement(element, "usecase").text = "0"
    for variant in answer_variants(question.accepted):
        # A bare * is Moodle's wildcard; \* is a literal asterisk.
        _answer(element, "100", variant.replace("*", r"\*"), fmt="moodle_auto_format")


_WRITERS = {
    models.SingleChoice: ("multichoice", _single),
    models.MultipleChoice: ("multichoice", _multiple),
    models.TrueFalse: ("truefalse", _true_false),
    models.Matching: ("matching", _matching),
    models.Ordering: ("ordering", _ordering),
    models.Numeric: ("numerical", _numeric),
    models.ShortText: ("shortanswer", _short_text),
}
