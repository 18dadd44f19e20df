"""Moodle XML: every question type Moodle imports, with categories per bank.

Types: single and multiple choice as ``multichoice`` (multiple: right picks +100/k %,
wrong picks −100/k %, so Moodle's sum, floored at 0, is our rule), ``truefalse``,
``matching`` (distractors are sub-questions with empty text, as Moodle expects),
``ordering`` (the core qtype_ordering, graded RELATIVE_ALL_PREVIOUS_AND_NEXT, which
is our pairs-in-order rule), ``numerical`` with tolerance and ``shortanswer``
(case-insensitive; accent-free spellings added as accepted answers).

What Moodle 4.5's importer needs beyond the format (checked by importing into Moodle 4.5.6):
an ordering question carries ``<shownumcorrect>`` (without it the importer writes hints with
no format, the database refuses them and the whole import stops), multichoice fractions come
from Moodle's list, and ordering items are not wrapped in a lone ``<p>`` (Moodle strips it).
Each question type is written by one ``_fill`` overload.
"""

from __future__ import annotations

import html
import xml.etree.ElementTree as ET
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
    element = ET.Element("question")
    _text(SubElement(element, "name"), question.id)
    _html(SubElement(element, "questiontext", format="html"), prompt(question))
    _html(SubElement(element, "generalfeedback", format="html"), feedback(course, question))
    SubElement(element, "defaultgrade").text = number_text(question.points)
    SubElement(element, "penalty").text = "0"
    SubElement(element, "hidden").text = "0"
    SubElement(element, "idnumber").text = f"{quiz_id}/{question.id}"
    element.set("type", _fill(question, element))
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
    """An answer; "html" text in paragraphs, "inline" as escaped HTML without a <p>."""
    answer = SubElement(
        parent, "answer", fraction=percent, format="html" if fmt == "inline" else fmt
    )
    if fmt == "html":
        _html(answer, text)
    else:
        _text(answer, html.escape(text) if fmt == "inline" else text)
    _text(SubElement(answer, "feedback", format="html"), "")
    return answer


def _choices(
    element: ET.Element, question, single: bool, right: set[str], wrong_share: float
) -> str:
    SubElement(element, "single").text = "true" if single else "false"
    SubElement(element, "shuffleanswers").text = "true"
    SubElement(element, "answernumbering").text = "abc"
    for choice in question.choices:
        share = 1 / len(right) if choice.id in right else wrong_share
        _answer(element, moodle_percent(share), choice.text)
    return "multichoice"


@singledispatch
def _fill(question: ConcreteQuestion, element: ET.Element) -> str:
    """Write what is particular to the question's type into ``element``; return Moodle's
    name for the type."""
    raise TypeError(f"no Moodle XML for a {type(question).__name__}")


@_fill.register
def _(question: models.SingleChoice, element: ET.Element) -> str:
    return _choices(element, question, True, {question.answer}, 0.0)


@_fill.register
def _(question: models.MultipleChoice, element: ET.Element) -> str:
    return _choices(element, question, False, set(question.answers), -1 / len(question.answers))


@_fill.register
def _(question: models.TrueFalse, element: ET.Element) -> str:
    _answer(element, "100" if question.answer else "0", "true", fmt="moodle_auto_format")
    _answer(element, "0" if question.answer else "100", "false", fmt="moodle_auto_format")
    return "truefalse"


@_fill.register
def _(question: models.Matching, element: ET.Element) -> str:
    SubElement(element, "shuffleanswers").text = "true"
    rows = [(p.left, p.right) for p in question.pairs] + [("", d) for d in question.distractors]
    for left, right in rows:
        sub = _html(SubElement(element, "subquestion", format="html"), left)
        _text(SubElement(sub, "answer"), right)
    return "matching"


@_fill.register
def _(question: models.Ordering, element: ET.Element) -> str:
    SubElement(element, "layouttype").text = "VERTICAL"
    SubElement(element, "selecttype").text = "ALL"
    SubElement(element, "selectcount").text = str(len(question.items))
    SubElement(element, "gradingtype").text = "RELATIVE_ALL_PREVIOUS_AND_NEXT"
    SubElement(element, "showgrading").text = "SHOW"
    SubElement(element, "numberingstyle").text = "none"
    SubElement(element, "shownumcorrect")  # required by Moodle's importer (see the docstring)
    for position, item in enumerate(question.items, start=1):
        _answer(element, str(position), item, fmt="inline")  # the fraction: its right place
    return "ordering"


@_fill.register
def _(question: models.Numeric, element: ET.Element) -> str:
    answer = _answer(element, "100", number_text(question.answer), fmt="moodle_auto_format")
    answer.insert(1, ET.Element("tolerance"))
    answer[1].text = number_text(question.tolerance)
    SubElement(element, "unitgradingtype").text = "0"
    SubElement(element, "unitpenalty").text = "0"
    SubElement(element, "showunits").text = "3"  # no unit input: the prompt names it
    SubElement(element, "unitsleft").text = "0"
    return "numerical"


@_fill.register
def _(question: models.ShortText, element: ET.Element) -> str:
    SubElement(element, "usecase").text = "0"
    for variant in answer_variants(question.accepted):
        # A bare * is Moodle's wildcard; \* is a literal asterisk.
        _answer(element, "100", variant.replace("*", r"\*"), fmt="moodle_auto_format")
    return "shortanswer"
