"""What real LMSs require of the exports, checked on the shipped course and the test course.

- QTI 2.1: every item and test valid against IMS's QTI 2.1 schema, the manifest against
  IMS CP 1.1 (``tests/data/xsd/``, see its README); every item's right response, scored by
  reading the item's own response processing, reaches the item's maximum exactly (a player
  compares SCORE with MAXSCORE), an upper-case right short answer too, and partial responses
  score what ``course.grading`` gives.
- Moodle XML: what Moodle 4.5's importer needs of each question type (found by importing
  into Moodle 4.5.6; see ``course/interchange/moodle.py``), and the right answer of every
  question graded from the XML the way Moodle does reaching full marks.
"""

from __future__ import annotations

import io
import itertools
import subprocess
import zipfile
from functools import cache
from pathlib import Path

import pytest
from lxml import etree

from course import load_course, models
from course.attempts import bank
from course.grading import grade
from course.interchange import export
from course.interchange.common import MOODLE_FRACTIONS
from course.interchange.qti import item_identifier
from tests.quiz_helpers import REPO_ROOT, quiz_course
from tests.tools import need_tool

XSD = Path(__file__).parent / "data" / "xsd"
Q = "{http://www.imsglobal.org/xsd/imsqti_v2p1}"
COURSES = {"test course": quiz_course, "shipped course": lambda: shipped_course()}


@cache
def shipped_course():
    return load_course(REPO_ROOT)


@cache
def schema(relative: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(XSD / relative)))


@cache
def qti_files(course_name: str) -> dict[str, bytes]:
    archive = zipfile.ZipFile(io.BytesIO(export(COURSES[course_name](), "all", "qti")))
    return {name: archive.read(name) for name in archive.namelist()}


def questions(course) -> dict[str, object]:
    """Every exported question by its QTI item file name."""
    return {
        f"items/{item_identifier(quiz_id, q)}.xml": q
        for quiz_id in course.quizzes
        for q in bank(course, quiz_id, seed=0)
    }


# --- QTI 2.1: schemas -------------------------------------------------------------------


@pytest.mark.parametrize("course_name", COURSES)
def test_every_qti_file_is_valid_against_the_qti_and_cp_schemas(course_name):
    files = qti_files(course_name)
    qti = schema("qtiv2p1/imsqti_v2p1.xsd")
    manifest = schema("qti21_manifest.xsd")  # IMS CP 1.1 with the metadata schemas
    problems = []
    for name, data in files.items():
        checker = manifest if name == "imsmanifest.xml" else qti
        if not checker.validate(etree.fromstring(data)):
            problems += [f"{name}:{e.line}: {e.message}" for e in checker.error_log]
    assert not problems, "\n".join(problems[:20])
    assert len([n for n in files if n.startswith("items/")]) == len(
        questions(COURSES[course_name]())
    )


def test_xmllint_agrees_that_the_qti_package_is_valid(tmp_path):
    """The same check with libxml2's own command, as the schemas' README gives it."""
    xmllint = need_tool("xmllint", "libxml2-utils")
    for name, data in qti_files("shipped course").items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(data)
    qti_paths = sorted(str(p) for p in tmp_path.glob("*/*.xml"))
    for schema_file, paths in (
        ("qtiv2p1/imsqti_v2p1.xsd", qti_paths),
        ("qti21_manifest.xsd", [str(tmp_path / "imsmanifest.xml")]),
    ):
        run = subprocess.run(
            [xmllint, "--nonet", "--noout", "--schema", str(XSD / schema_file), *paths],
            capture_output=True,
            text=True,
            check=False,
        )
        assert run.returncode == 0, run.stderr[-2000:]


def test_the_schema_check_catches_what_moodle_and_qti_sdk_refused():
    """An attribute out of place (``caseSensitive`` on ``<mapping>``) is a schema error."""
    name, data = next(
        (n, d) for n, d in qti_files("shipped course").items() if b"caseSensitive" in d
    )
    root = etree.fromstring(data)
    mapping = root.find(f".//{Q}mapping")
    mapping.set("caseSensitive", "false")
    assert not schema("qtiv2p1/imsqti_v2p1.xsd").validate(root), name


# --- QTI 2.1: scoring from the item's own XML ----------------------------------------------


class QtiItem:
    """The response processing of one item, run as a QTI player runs it (the subset of
    expressions the exports use: match, equal, isNull, mapResponse, baseValue)."""

    def __init__(self, data: bytes):
        self.root = etree.fromstring(data)
        self.declaration = self.root.find(f"{Q}responseDeclaration")
        self.cardinality = self.declaration.get("cardinality")
        self.base_type = self.declaration.get("baseType")
        maximum = self.root.find(f"{Q}outcomeDeclaration[@identifier='MAXSCORE']//{Q}value")
        self.maximum = float(maximum.text)

    def correct(self) -> list[str]:
        return [v.text for v in self.declaration.find(f"{Q}correctResponse")]

    def score(self, response) -> float:
        """SCORE after response processing, for a response given as QTI values (a string or
        a list of strings; None for no response)."""
        self.response = self._typed(response)
        self.outcomes = {"SCORE": 0.0}
        for rule in self.root.find(f"{Q}responseProcessing"):
            self._run(rule)
        return self.outcomes["SCORE"]

    def _typed(self, value):
        if value is None:
            return None
        values = [value] if isinstance(value, str) else list(value)
        values = [float(v) if self.base_type == "float" else v for v in values]
        if self.base_type == "directedPair":
            values = [tuple(v.split()) for v in values]
        return values[0] if self.cardinality == "single" else values

    def _run(self, rule) -> None:
        tag = etree.QName(rule).localname
        if tag == "setOutcomeValue":
            self.outcomes[rule.get("identifier")] = self._value(rule[0])
        elif tag == "responseCondition":
            for branch in rule:
                kind = etree.QName(branch).localname
                if kind == "responseElse" or self._value(branch[0]):
                    for inner in branch[0 if kind == "responseElse" else 1 :]:
                        self._run(inner)
                    return
        else:
            raise AssertionError(f"response rule {tag} not understood")

    def _value(self, expression):
        tag = etree.QName(expression).localname
        if tag == "baseValue":
            base = expression.get("baseType")
            return float(expression.text) if base == "float" else expression.text
        if tag == "variable":
            return self.response
        if tag == "correct":
            return self._typed(self.correct())
        if tag == "isNull":
            value = self._value(expression[0])
            return value is None or value == [] or value == ""
        if tag == "match":
            left, right = (self._value(e) for e in expression)
            if left is None or right is None:
                return False
            if self.cardinality == "multiple":
                return sorted(left) == sorted(right)
            return left == right
        if tag == "equal":
            assert expression.get("toleranceMode") == "absolute"
            left, right = (self._value(e) for e in expression)
            return left is not None and abs(left - right) <= float(expression.get("tolerance"))
        if tag == "mapResponse":
            return self._mapped()
        raise AssertionError(f"expression {tag} not understood")

    def _mapped(self) -> float:
        """QTI 2.1 mapResponse: each distinct value mapped (default when not in the map),
        added, then bounded by lowerBound and upperBound."""
        mapping = self.declaration.find(f"{Q}mapping")
        values = [self.response] if self.cardinality == "single" else self.response
        total = 0.0
        for value in dict.fromkeys(values):
            for entry in mapping:
                key = entry.get("mapKey")
                if self.base_type == "directedPair":
                    hit = tuple(key.split()) == value
                elif entry.get("caseSensitive") == "false":
                    hit = key.lower() == value.lower()
                else:
                    hit = key == value
                if hit:
                    total += float(entry.get("mappedValue"))
                    break
            else:
                total += float(mapping.get("defaultValue", "0"))
        if mapping.get("lowerBound") is not None:
            total = max(total, float(mapping.get("lowerBound")))
        if mapping.get("upperBound") is not None:
            total = min(total, float(mapping.get("upperBound")))
        return total


def qti_items(course_name: str) -> list[tuple[str, QtiItem, object]]:
    course = COURSES[course_name]()
    files = qti_files(course_name)
    return [(name, QtiItem(files[name]), q) for name, q in questions(course).items()]


@pytest.mark.parametrize("course_name", COURSES)
def test_every_qti_item_scores_its_maximum_when_answered_right(course_name):
    short_answers = 0
    for name, item, question in qti_items(course_name):
        assert item.maximum == question.points, name
        # Exactly the maximum: a player compares SCORE with MAXSCORE.
        assert item.score(item.correct()) == item.maximum, name
        assert item.score(None) == 0, name
        if isinstance(question, models.ShortText):
            short_answers += 1
            for accepted in question.accepted:
                assert item.score(accepted.upper()) == item.maximum, (name, accepted)
                assert item.score(accepted.lower()) == item.maximum, (name, accepted)
    assert short_answers > 0


@pytest.mark.parametrize("course_name", COURSES)
def test_qti_partial_credit_is_the_servers(course_name):
    """Multiple choice and matching: every response scored from the XML is what
    ``course.grading`` gives (within the 7-decimal rounding of the weights)."""
    checked = 0
    for name, item, question in qti_items(course_name):
        if isinstance(question, models.MultipleChoice):
            choices = [c.id for c in question.choices]
            responses = [
                list(picks)
                for size in range(len(choices) + 1)
                for picks in itertools.combinations(choices, size)
            ]
            for picks in responses:
                qti_score = item.score([f"c-{p}" for p in picks])
                assert qti_score == pytest.approx(grade(question, picks).score, abs=1e-5), (
                    name,
                    picks,
                )
                checked += 1
        elif isinstance(question, models.Matching):
            correct = item.correct()
            wrong_right = f"R{len(correct) + len(question.distractors) + 9}"  # never right
            for right_count in range(len(correct) + 1):
                pairs = correct[:right_count] + [
                    f"{p.split()[0]} {wrong_right}" for p in correct[right_count:]
                ]
                answer = {p.left: p.right for p in question.pairs[:right_count]}
                assert item.score(pairs) == pytest.approx(
                    grade(question, answer).score, abs=1e-5
                ), (name, right_count)
                checked += 1
    assert checked > 0


def test_qti_weights_that_do_not_add_up_would_be_caught():
    """Three weights of 0.3333333 (as the exports once had) fall short of the maximum."""
    name, item, _question = next(
        (n, i, q)
        for n, i, q in qti_items("shipped course")
        if isinstance(q, models.MultipleChoice) and len(q.answers) == 3
    )
    for entry in item.declaration.iter(f"{Q}mapEntry"):
        if float(entry.get("mappedValue")) > 0:
            entry.set("mappedValue", "0.3333333")
    assert item.score(item.correct()) < item.maximum, name


# --- Moodle XML: what Moodle 4.5's importer needs -------------------------------------------


def moodle_questions(course) -> list[etree._Element]:
    root = etree.fromstring(export(course, "all", "moodle-xml"))
    return [q for q in root.findall("question") if q.get("type") != "category"]


def moodle_grade(question: etree._Element, response) -> float:
    """The share of marks Moodle gives the right response, graded from the XML as Moodle's
    question types do (multichoice: picked fractions added, floored at 0; matching: right
    sub-questions; ordering RELATIVE_ALL_PREVIOUS_AND_NEXT; numerical with tolerance;
    shortanswer case-insensitive)."""
    kind = question.get("type")
    answers = question.findall("answer")
    if kind in ("multichoice", "truefalse"):
        picked = [a for a in answers if a.findtext("text") in response]
        return max(0.0, sum(float(a.get("fraction")) for a in picked) / 100)
    if kind == "matching":
        rows = [s for s in question.findall("subquestion") if s.findtext("text")]
        right = sum(response.get(s.findtext("text")) == s.findtext("answer/text") for s in rows)
        return right / len(rows)
    if kind == "ordering":
        position = {a.findtext("text"): int(a.get("fraction")) for a in answers}
        ranks = [position[item] for item in response]
        pairs = list(itertools.combinations(ranks, 2))
        return sum(a < b for a, b in pairs) / len(pairs)
    if kind == "numerical":
        (answer,) = answers
        tolerance = float(answer.findtext("tolerance"))
        return float(abs(float(response) - float(answer.findtext("text"))) <= tolerance)
    if kind == "shortanswer":
        accepted = {a.findtext("text").replace(r"\*", "*").casefold() for a in answers}
        return float(response.casefold() in accepted)
    raise AssertionError(kind)


def moodle_right_response(question: etree._Element, source) -> object:
    """The source question's right response in the Moodle XML's own texts."""
    import html

    def text(element) -> str:
        inner = element.findtext("text")
        return html.unescape(inner.removeprefix("<p>").removesuffix("</p>"))

    kind = question.get("type")
    answers = question.findall("answer")
    if kind == "multichoice":
        return {a.findtext("text") for a in answers if float(a.get("fraction")) > 0}
    if kind == "truefalse":
        return {"true" if source.answer else "false"}
    if kind == "matching":
        return {s.findtext("text"): s.findtext("answer/text") for s in question.iter("subquestion")}
    if kind == "ordering":
        by_text = {text(a): a.findtext("text") for a in answers}
        return [by_text[item] for item in source.items]
    if kind == "numerical":
        return str(source.answer)
    return source.accepted[0]


ALLOWED_PERCENTS = {round(f * 100, 5) for f in MOODLE_FRACTIONS}


def importer_problems(question: etree._Element) -> list[str]:
    """What Moodle 4.5's importer would refuse or spoil in one question (empty: none)."""
    kind = question.get("type")
    answers = question.findall("answer")
    problems = []

    def need(condition: bool, message: str) -> None:
        if not condition:
            problems.append(f"{question.findtext('name/text')}: {message}")

    need(bool(question.findtext("name/text")), "no name")
    need(question.find("questiontext").get("format") == "html", "question text format")
    need(float(question.findtext("defaultgrade")) > 0, "no mark")
    if kind == "ordering":
        # Without it the importer writes hints with no format and the import stops.
        need(question.find("shownumcorrect") is not None, "ordering without <shownumcorrect>")
        positions = [int(a.get("fraction")) for a in answers]
        need(positions == list(range(1, len(answers) + 1)), "ordering positions")
        need(question.findtext("selectcount") == str(len(answers)), "selectcount")
        for answer in answers:  # Moodle strips a lone <p>: the exported text would change
            need(not answer.findtext("text").startswith("<p>"), "ordering item in a <p>")
            need(answer.get("format") == "html", "ordering item format")
    if kind in ("multichoice", "truefalse", "shortanswer", "numerical"):
        for answer in answers:
            fraction = abs(float(answer.get("fraction")))
            need(fraction in ALLOWED_PERCENTS, f"fraction {fraction} not in Moodle's list")
    if kind == "multichoice":
        need(question.findtext("single") in ("true", "false"), "single")
    if kind == "matching":  # Moodle's rule: at least two questions and three answers
        subquestions = question.findall("subquestion")
        need(len([s for s in subquestions if s.findtext("text")]) >= 2, "two questions")
        need(len(subquestions) >= 3, "three answers")
    if kind == "numerical":
        need(answers[0].find("tolerance") is not None, "no tolerance")
    if kind == "shortanswer":
        need(question.findtext("usecase") == "0", "case-sensitive short answer")
    return problems


@pytest.mark.parametrize("course_name", COURSES)
def test_moodle_xml_has_what_moodles_importer_needs_of_each_type(course_name):
    course = COURSES[course_name]()
    elements = moodle_questions(course)
    sources = {f"{quiz}/{q.id}": q for quiz in course.quizzes for q in bank(course, quiz, 0)}
    assert len(elements) == len({q.id for q in sources.values()})
    idnumbers = [q.findtext("idnumber") for q in elements]
    assert len(set(idnumbers)) == len(idnumbers)
    problems = [p for question in elements for p in importer_problems(question)]
    assert not problems, "\n".join(problems)
    for question in elements:
        source = sources[question.findtext("idnumber")]
        right = moodle_right_response(question, source)
        share = moodle_grade(question, right)
        assert share == pytest.approx(1.0, abs=1e-6), question.findtext("name/text")
    types = {q.get("type") for q in elements}
    assert {"multichoice", "truefalse", "matching", "ordering", "shortanswer"} <= types


def test_the_moodle_check_catches_what_stopped_the_import():
    """The export that Moodle 4.5.6 refused: an ordering question without <shownumcorrect>,
    its items in paragraphs."""
    ordering = next(q for q in moodle_questions(quiz_course()) if q.get("type") == "ordering")
    assert importer_problems(ordering) == []
    ordering.remove(ordering.find("shownumcorrect"))
    for answer in ordering.findall("answer"):
        answer.find("text").text = f"<p>{answer.findtext('text')}</p>"
    problems = importer_problems(ordering)
    assert any("<shownumcorrect>" in p for p in problems)
    assert any("in a <p>" in p for p in problems)
