"""IMS QTI 2.1 content package: one ``assessmentItem`` file per question, one
``assessmentTest`` per quiz and ``imsmanifest.xml``, zipped.

Interactions: ``choiceInteraction`` (single, multiple, true/false), ``matchInteraction``
(directed pairs, one mapped point share per right pair), ``orderInteraction`` (QTI's
response templates cannot express pairs-in-order credit, so ordering is all or
nothing here), ``textEntryInteraction`` for numbers (``equal`` with an absolute
tolerance) and short answers (a mapping whose entries are case-insensitive, accent-free
spellings added). SCORE counts the question's points; the explanation is modal feedback
shown after the response. A quiz's draw is the test section's ``selection``.

Shares of points (multiple choice, matching) are mapped values rounded up, capped by the
mapping's ``upperBound``: a fully right response scores exactly the maximum, which players
compare SCORE with. Each question type is built by one ``_build`` overload.
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
import zipfile
from functools import singledispatch

from course import models
from course.course import Course
from course.grading import ConcreteQuestion
from course.interchange.common import (
    Section,
    answer_variants,
    feedback,
    number_text,
    prompt,
    share_weight,
)

QTI = "http://www.imsglobal.org/xsd/imsqti_v2p1"
CP = "http://www.imsglobal.org/xsd/imscp_v1p1"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
QTI_XSD = "http://www.imsglobal.org/xsd/qti/qtiv2p1/imsqti_v2p1.xsd"
CP_XSD = "http://www.imsglobal.org/xsd/imscp_v1p1.xsd"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
ZIP_DATE = (2000, 1, 1, 0, 0, 0)  # fixed, so the same course gives the same bytes

ET.register_namespace("xsi", XSI)


def _q(tag: str) -> str:
    # Unqualified tags under a literal xmlns: ElementTree cannot mix a default
    # namespace with the unqualified attributes QTI uses.
    return tag


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, _q(tag), attrs)
    if text is not None:
        element.text = text
    return element


def item_identifier(quiz_id: str, question: ConcreteQuestion) -> str:
    """An NCName for a question (ids may start with a digit; NCNames may not)."""
    return f"item-{quiz_id}-{question.id}"


def qti_package(course: Course, quizzes: dict[str, list[Section]]) -> bytes:
    """A zipped QTI 2.1 content package holding every quiz's test and items."""
    files: dict[str, bytes] = {}
    tests: dict[str, list[str]] = {}
    for quiz_id, quiz_sections in quizzes.items():
        for section in quiz_sections:
            for question in section.questions:
                identifier = item_identifier(section.quiz_id, question)
                files.setdefault(
                    f"items/{identifier}.xml", _xml(item(course, question, identifier))
                )
        test_path = f"tests/test-{quiz_id}.xml"
        files[test_path] = _xml(assessment_test(course, quiz_id, quiz_sections))
        tests[test_path] = [
            f"items/{item_identifier(s.quiz_id, q)}.xml" for s in quiz_sections for q in s.questions
        ]
    files = {"imsmanifest.xml": _xml(manifest(course, files, tests), CP), **files}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(zipfile.ZipInfo(name, ZIP_DATE), data, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def _xml(element: ET.Element, namespace: str = QTI) -> bytes:
    element.set("xmlns", namespace)
    ET.indent(element)
    return ET.tostring(element, encoding="utf-8", xml_declaration=True) + b"\n"


# --- Items -------------------------------------------------------------------------


def item(course: Course, question: ConcreteQuestion, identifier: str) -> ET.Element:
    """One ``assessmentItem``."""
    root = ET.Element(
        _q("assessmentItem"),
        {
            "identifier": identifier,
            "title": question.id,
            "adaptive": "false",
            "timeDependent": "false",
            XML_LANG: "fr",
            f"{{{XSI}}}schemaLocation": f"{QTI} {QTI_XSD}",
        },
    )
    declaration = _sub(root, "responseDeclaration", identifier="RESPONSE")
    for name, base in (("SCORE", "float"), ("MAXSCORE", "float")):
        outcome = _sub(root, "outcomeDeclaration", identifier=name, cardinality="single")
        outcome.set("baseType", base)
        if name == "MAXSCORE":
            _sub(_sub(outcome, "defaultValue"), "value", number_text(question.points))
    _sub(
        root,
        "outcomeDeclaration",
        identifier="FEEDBACK",
        cardinality="single",
        baseType="identifier",
    )
    body = _sub(root, "itemBody")
    scoring = _build(question, declaration, body)
    processing = _sub(root, "responseProcessing")
    processing.append(scoring)
    _set(processing, "FEEDBACK", "identifier", "EXPLANATION")
    modal = _sub(
        root,
        "modalFeedback",
        outcomeIdentifier="FEEDBACK",
        showHide="show",
        identifier="EXPLANATION",
    )
    modal.set("title", "Explication")
    for line in feedback(course, question).splitlines():
        _sub(modal, "p", line)
    return root


def _set(parent: ET.Element, outcome: str, base: str, value: str) -> ET.Element:
    setter = _sub(parent, "setOutcomeValue", identifier=outcome)
    _sub(setter, "baseValue", value, baseType=base)
    return setter


def _if_else(condition: ET.Element, then_score: str, else_score: str = "0") -> ET.Element:
    """responseCondition: SCORE = then_score when ``condition`` holds, else else_score."""
    rc = ET.Element(_q("responseCondition"))
    branch = _sub(rc, "responseIf")
    branch.append(condition)
    _set(branch, "SCORE", "float", then_score)
    _set(_sub(rc, "responseElse"), "SCORE", "float", else_score)
    return rc


def _match_correct(points: float) -> ET.Element:
    match = ET.Element(_q("match"))
    _sub(match, "variable", identifier="RESPONSE")
    _sub(match, "correct", identifier="RESPONSE")
    return _if_else(match, number_text(points))


def _map_response() -> ET.Element:
    """SCORE = the mapped response, 0 when unanswered (the map_response template)."""
    rc = ET.Element(_q("responseCondition"))
    branch = _sub(rc, "responseIf")
    _sub(_sub(branch, "isNull"), "variable", identifier="RESPONSE")
    _set(branch, "SCORE", "float", "0")
    otherwise = _sub(_sub(rc, "responseElse"), "setOutcomeValue", identifier="SCORE")
    _sub(otherwise, "mapResponse", identifier="RESPONSE")
    return rc


def _correct(declaration: ET.Element, values: list[str]) -> None:
    correct = _sub(declaration, "correctResponse")
    for value in values:
        _sub(correct, "value", value)


def _mapping(declaration: ET.Element, points: float, entries: dict[str, float], **extra) -> None:
    """A mapping from responses to points, its sum capped at ``points``; ``extra`` are
    attributes of each entry (``caseSensitive`` belongs on ``mapEntry``, not ``mapping``)."""
    mapping = _sub(
        declaration, "mapping", lowerBound="0", upperBound=number_text(points), defaultValue="0"
    )
    for key, value in entries.items():
        _sub(mapping, "mapEntry", mapKey=key, mappedValue=number_text(value), **extra)


def _choice_id(choice_id: str) -> str:
    return f"c-{choice_id}"


def _choices(question, declaration: ET.Element, body: ET.Element, max_choices: int) -> None:
    declaration.set("baseType", "identifier")
    interaction = _sub(
        body,
        "choiceInteraction",
        responseIdentifier="RESPONSE",
        shuffle="true",
        maxChoices=str(max_choices),
    )
    _sub(interaction, "prompt", question.prompt)
    for choice in question.choices:
        _sub(interaction, "simpleChoice", choice.text, identifier=_choice_id(choice.id))


@singledispatch
def _build(question: ConcreteQuestion, declaration: ET.Element, body: ET.Element) -> ET.Element:
    """Fill the response declaration and the item body; return the response processing."""
    raise TypeError(f"no QTI item for a {type(question).__name__}")


@_build.register
def _(question: models.SingleChoice, declaration: ET.Element, body: ET.Element) -> ET.Element:
    declaration.set("cardinality", "single")
    _correct(declaration, [_choice_id(question.answer)])
    _choices(question, declaration, body, 1)
    return _match_correct(question.points)


@_build.register
def _(question: models.MultipleChoice, declaration: ET.Element, body: ET.Element) -> ET.Element:
    declaration.set("cardinality", "multiple")
    _correct(declaration, [_choice_id(a) for a in question.answers])
    share = share_weight(question.points, len(question.answers))
    entries = {
        _choice_id(c.id): share if c.id in question.answers else -share for c in question.choices
    }
    _mapping(declaration, question.points, entries)
    _choices(question, declaration, body, 0)
    return _map_response()


@_build.register
def _(question: models.TrueFalse, declaration: ET.Element, body: ET.Element) -> ET.Element:
    declaration.set("cardinality", "single")
    declaration.set("baseType", "identifier")
    _correct(declaration, ["true" if question.answer else "false"])
    interaction = _sub(
        body, "choiceInteraction", responseIdentifier="RESPONSE", shuffle="false", maxChoices="1"
    )
    _sub(interaction, "prompt", question.prompt)
    _sub(interaction, "simpleChoice", "Vrai", identifier="true")
    _sub(interaction, "simpleChoice", "Faux", identifier="false")
    return _match_correct(question.points)


@_build.register
def _(question: models.Matching, declaration: ET.Element, body: ET.Element) -> ET.Element:
    declaration.set("cardinality", "multiple")
    declaration.set("baseType", "directedPair")
    rights = list(dict.fromkeys([p.right for p in question.pairs] + question.distractors))
    right_id = {text: f"R{n}" for n, text in enumerate(rights, start=1)}
    pairs = [f"L{n} {right_id[p.right]}" for n, p in enumerate(question.pairs, start=1)]
    _correct(declaration, pairs)
    share = share_weight(question.points, len(question.pairs))
    _mapping(declaration, question.points, dict.fromkeys(pairs, share))
    interaction = _sub(
        body,
        "matchInteraction",
        responseIdentifier="RESPONSE",
        shuffle="true",
        maxAssociations=str(len(question.pairs)),
    )
    _sub(interaction, "prompt", question.prompt)
    lefts = _sub(interaction, "simpleMatchSet")
    for n, pair in enumerate(question.pairs, start=1):
        _sub(lefts, "simpleAssociableChoice", pair.left, identifier=f"L{n}", matchMax="1")
    right_set = _sub(interaction, "simpleMatchSet")
    uses = {text: sum(p.right == text for p in question.pairs) for text in rights}
    for text in rights:
        # A right item shared by several left items may be matched that many times.
        matches = str(max(1, uses[text]))
        _sub(right_set, "simpleAssociableChoice", text, identifier=right_id[text], matchMax=matches)
    return _map_response()


@_build.register
def _(question: models.Ordering, declaration: ET.Element, body: ET.Element) -> ET.Element:
    declaration.set("cardinality", "ordered")
    declaration.set("baseType", "identifier")
    ids = [f"I{n}" for n in range(1, len(question.items) + 1)]
    _correct(declaration, ids)
    interaction = _sub(body, "orderInteraction", responseIdentifier="RESPONSE", shuffle="true")
    _sub(interaction, "prompt", question.prompt)
    for identifier, text in zip(ids, question.items, strict=True):
        _sub(interaction, "simpleChoice", text, identifier=identifier)
    return _match_correct(question.points)


def _text_entry(body: ET.Element, prompt: str, length: int) -> None:
    paragraph = _sub(body, "p", prompt + " ")
    _sub(
        paragraph, "textEntryInteraction", responseIdentifier="RESPONSE", expectedLength=str(length)
    )


@_build.register
def _(question: models.Numeric, declaration: ET.Element, body: ET.Element) -> ET.Element:
    declaration.set("cardinality", "single")
    declaration.set("baseType", "float")
    _correct(declaration, [number_text(question.answer)])
    _text_entry(body, prompt(question), 10)
    equal = ET.Element(_q("equal"), toleranceMode="absolute")
    equal.set("tolerance", number_text(question.tolerance))
    _sub(equal, "variable", identifier="RESPONSE")
    _sub(equal, "correct", identifier="RESPONSE")
    return _if_else(equal, number_text(question.points))


@_build.register
def _(question: models.ShortText, declaration: ET.Element, body: ET.Element) -> ET.Element:
    declaration.set("cardinality", "single")
    declaration.set("baseType", "string")
    variants = answer_variants(question.accepted)
    _correct(declaration, [question.accepted[0]])
    _mapping(
        declaration,
        question.points,
        dict.fromkeys(variants, question.points),
        caseSensitive="false",  # our rule ignores case; accent-free spellings are entries
    )
    _text_entry(body, question.prompt, max(20, *(len(v) for v in variants)))
    return _map_response()


# --- Tests and manifest -------------------------------------------------------------


def assessment_test(course: Course, quiz_id: str, quiz_sections: list[Section]) -> ET.Element:
    """An ``assessmentTest``: one section per bank, drawing ``select`` items in random order."""
    quiz = course.quizzes[quiz_id]
    root = ET.Element(
        _q("assessmentTest"),
        {
            "identifier": f"test-{quiz_id}",
            "title": quiz.title,
            f"{{{XSI}}}schemaLocation": f"{QTI} {QTI_XSD}",
        },
    )
    part = _sub(root, "testPart", identifier="part-1", navigationMode="nonlinear")
    part.set("submissionMode", "simultaneous")
    for n, section in enumerate(quiz_sections, start=1):
        element = _sub(part, "assessmentSection", identifier=f"section-{n}", visible="true")
        element.set("title", section.title)
        if section.select is not None:
            _sub(element, "selection", select=str(section.select))
        _sub(element, "ordering", shuffle="true")
        for question in section.questions:
            identifier = item_identifier(section.quiz_id, question)
            _sub(
                element,
                "assessmentItemRef",
                identifier=identifier,
                href=f"../items/{identifier}.xml",
            )
    return root


def manifest(course: Course, files: dict[str, bytes], tests: dict[str, list[str]]) -> ET.Element:
    """``imsmanifest.xml`` listing every item and test as a resource."""
    root = ET.Element(
        "manifest",
        {
            "identifier": f"manifest-{course.info.id}",
            f"{{{XSI}}}schemaLocation": f"{CP} {CP_XSD} {QTI} {QTI_XSD}",
        },
    )

    def cp(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
        element = ET.SubElement(parent, tag, attrs)
        element.text = text
        return element

    metadata = cp(root, "metadata")
    cp(metadata, "schema", "QTIv2.1 Package")
    cp(metadata, "schemaversion", "1.0.0")
    cp(root, "organizations")
    resources = cp(root, "resources")
    for path in files:
        if path.startswith("items/"):
            identifier = path.removeprefix("items/").removesuffix(".xml")
            resource = cp(resources, "resource", identifier=identifier, href=path)
            resource.set("type", "imsqti_item_xmlv2p1")
            cp(resource, "file", href=path)
    for path, item_paths in tests.items():
        identifier = path.removeprefix("tests/").removesuffix(".xml")
        resource = cp(resources, "resource", identifier=identifier, href=path)
        resource.set("type", "imsqti_test_xmlv2p1")
        cp(resource, "file", href=path)
        for item_path in dict.fromkeys(item_paths):
            ref = item_path.removeprefix("items/").removesuffix(".xml")
            cp(resource, "dependency", identifierref=ref)
    return root
