"""LMS exports parsed back and compared with the source questions: Moodle XML, GIFT, QTI 2.1.

The readers below follow each format's own rules (GIFT: split on unescaped ``~ =``,
``####`` before the closing brace; Moodle: fractions from its allowed list; QTI:
the manifest lists every file), so an escaping or structure mistake shows up here.
"""

from __future__ import annotations

import html
import io
import posixpath
import re
import xml.etree.ElementTree as ET
import zipfile
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coopkit.cli import main
from course import load_course, models
from course.attempts import bank
from course.grading import grade, normalise_text
from course.interchange import FORMATS, export, write_lms
from course.interchange.common import MOODLE_FRACTIONS
from course.interchange.gift import escape, question_block
from tests.quiz_helpers import QUIZ_COURSE, REPO_ROOT, quiz_course

QTI = "{http://www.imsglobal.org/xsd/imsqti_v2p1}"
CP = "{http://www.imsglobal.org/xsd/imscp_v1p1}"


def source_questions(quiz_id: str = "theme-1") -> dict[str, object]:
    return {q.id: q for q in bank(quiz_course(), quiz_id, seed=0)}


def paragraphs(text: str | None) -> str:
    """Moodle HTML text back to plain lines."""
    return html.unescape(re.sub(r"</p><p>", "\n", (text or "")).replace("<p>", "")).replace(
        "</p>", ""
    )


def compare(source, parsed: dict) -> None:
    """The fields every format must carry over exactly."""
    if isinstance(source, models.Numeric):
        assert parsed["prompt"].startswith(source.prompt)
        assert parsed["answer"] == pytest.approx(source.answer)
        assert parsed["tolerance"] == pytest.approx(source.tolerance)
    else:
        assert parsed["prompt"] == source.prompt
    if "feedback" in parsed:
        assert parsed["feedback"].startswith(source.explanation)
        assert "diapositive" in parsed["feedback"]
    if isinstance(source, models.SingleChoice):
        assert parsed["choices"] == [c.text for c in source.choices]
        assert parsed["right"] == [c.text for c in source.choices if c.id == source.answer]
    elif isinstance(source, models.MultipleChoice):
        assert parsed["choices"] == [c.text for c in source.choices]
        assert parsed["right"] == [c.text for c in source.choices if c.id in source.answers]
    elif isinstance(source, models.TrueFalse):
        assert parsed["answer"] is source.answer
    elif isinstance(source, models.Matching):
        assert parsed["pairs"] == [(p.left, p.right) for p in source.pairs]
        assert parsed["distractors"] == source.distractors
    elif isinstance(source, models.Ordering):
        assert parsed["items"] == source.items
    elif isinstance(source, models.ShortText):
        assert set(source.accepted) <= set(parsed["accepted"])
        # Extra spellings are only accent/apostrophe variants of accepted answers.
        accepted = {normalise_text(a) for a in source.accepted}
        assert {normalise_text(a) for a in parsed["accepted"]} == accepted


# --- Moodle XML -------------------------------------------------------------------------


def read_moodle(data: bytes) -> tuple[list[str], dict[str, dict]]:
    root = ET.fromstring(data)
    assert root.tag == "quiz"
    categories, questions = [], {}
    for element in root.findall("question"):
        kind = element.get("type")
        if kind == "category":
            categories.append(element.findtext("category/text"))
            continue
        parsed = {
            "type": kind,
            "prompt": paragraphs(element.findtext("questiontext/text")),
            "feedback": paragraphs(element.findtext("generalfeedback/text")),
            "points": float(element.findtext("defaultgrade")),
        }
        answers = [
            (paragraphs(a.findtext("text")), float(a.get("fraction")), a)
            for a in element.findall("answer")
        ]
        for _text, fraction, _a in answers:
            if kind in ("multichoice", "truefalse", "shortanswer", "numerical"):
                assert any(abs(abs(fraction) / 100 - f) < 0.00001 for f in MOODLE_FRACTIONS)
        if kind == "multichoice":
            parsed["choices"] = [text for text, _f, _a in answers]
            parsed["right"] = [text for text, f, _a in answers if f > 0]
            parsed["fractions"] = [f for _t, f, _a in answers]
            parsed["single"] = element.findtext("single") == "true"
        elif kind == "truefalse":
            parsed["answer"] = next(text for text, f, _a in answers if f == 100) == "true"
        elif kind == "matching":
            rows = [
                (paragraphs(s.findtext("text")), s.findtext("answer/text"))
                for s in element.findall("subquestion")
            ]
            parsed["pairs"] = [(left, right) for left, right in rows if left]
            parsed["distractors"] = [right for left, right in rows if not left]
        elif kind == "ordering":
            assert element.findtext("gradingtype") == "RELATIVE_ALL_PREVIOUS_AND_NEXT"
            assert element.findtext("selecttype") == "ALL"
            parsed["items"] = [text for text, _f, _a in answers]
        elif kind == "numerical":
            (text, _f, answer), *_ = answers
            parsed["answer"] = float(text)
            parsed["tolerance"] = float(answer.findtext("tolerance"))
        elif kind == "shortanswer":
            assert element.findtext("usecase") == "0"
            parsed["accepted"] = [text.replace(r"\*", "*") for text, _f, _a in answers]
        questions[element.findtext("name/text")] = parsed
    return categories, questions


def test_moodle_xml_round_trip():
    categories, parsed = read_moodle(export(quiz_course(), "theme-1", "moodle-xml"))
    sources = source_questions()
    assert categories == ["$course$/top/Cours d’essai des quiz/Quiz des processus"]
    assert set(parsed) == set(sources)
    expected_type = {
        "single": "multichoice",
        "multiple": "multichoice",
        "true_false": "truefalse",
        "matching": "matching",
        "ordering": "ordering",
        "numeric": "numerical",
        "short_text": "shortanswer",
    }
    for question_id, source in sources.items():
        assert parsed[question_id]["type"] == expected_type[source.type]
        assert parsed[question_id]["points"] == source.points
        compare(source, parsed[question_id])
    assert parsed["pcr-traits"]["fractions"] == [33.33333, 33.33333, 33.33333, -33.33333]
    assert parsed["pcr-nature"]["single"] and not parsed["pcr-traits"]["single"]


@settings(deadline=None)
@given(st.sets(st.sampled_from(["a", "b", "c", "d"])))
def test_moodle_multiple_choice_fractions_give_our_grade(picks):
    """Moodle sums the picked fractions and floors at 0: the same as our rule."""
    parsed = moodle_theme_1()
    fractions = dict(zip("abcd", parsed["pcr-traits"]["fractions"], strict=True))
    moodle_share = max(0.0, sum(fractions[p] for p in picks) / 100)
    ours = grade(source_questions()["pcr-traits"], sorted(picks)).score
    assert moodle_share == pytest.approx(ours, abs=1e-6)


@cache
def moodle_theme_1() -> dict[str, dict]:
    return read_moodle(export(quiz_course(), "theme-1", "moodle-xml"))[1]


def test_moodle_xml_all_writes_each_bank_once():
    categories, parsed = read_moodle(export(quiz_course(), "all", "moodle-xml"))
    assert [c.rsplit("/", 1)[1] for c in categories] == ["Quiz final", "Quiz des processus"]
    assert len(parsed) == 1 + len(source_questions())


# --- GIFT -------------------------------------------------------------------------------

GIFT_ESCAPES = {"n": "\n", "\\": "\\", "~": "~", "=": "=", "#": "#", "{": "{", "}": "}", ":": ":"}


def split_unescaped(text: str, separators: str) -> list[tuple[str, str]]:
    """Split on unescaped separators; each part keeps the separator that opened it."""
    parts, current, opener, index = [], "", "", 0
    while index < len(text):
        char = text[index]
        if char == "\\":
            current += text[index : index + 2]
            index += 2
            continue
        if char in separators:
            parts.append((opener, current))
            opener, current = char, ""
        else:
            current += char
        index += 1
    parts.append((opener, current))
    return parts


def unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: GIFT_ESCAPES.get(m.group(1), "\\" + m.group(1)), text)


def find_unescaped(text: str, target: str, start: int = 0) -> int:
    index = start
    while index < len(text):
        if text[index] == "\\":
            index += 2
            continue
        if text.startswith(target, index):
            return index
        index += 1
    return -1


def read_gift(text: str) -> tuple[list[str], dict[str, dict]]:
    categories, questions = [], {}
    for block in re.split(r"\n\s*\n", text):
        lines = [line for line in block.splitlines() if not line.strip().startswith("//")]
        if not lines:
            continue
        if lines[0].startswith("$CATEGORY:"):
            categories.append(lines[0].removeprefix("$CATEGORY: "))
            continue
        whole = "\n".join(lines)
        assert whole.startswith("::")
        name_end = find_unescaped(whole, "::", 2)
        name = unescape(whole[2:name_end])
        opening = find_unescaped(whole, "{", name_end)
        closing = whole.rstrip().rfind("}")
        assert find_unescaped(whole, "}", opening) == closing, f"stray brace in {name}"
        body = whole[opening + 1 : closing]
        cut = find_unescaped(body, "####")
        parsed = {
            "prompt": unescape(whole[name_end + 2 : opening]),
            "feedback": unescape(body[cut + 4 :].strip()),
        }
        parsed.update(_gift_answers(body[:cut]))
        questions[name] = parsed
    return categories, questions


def _gift_answers(body: str) -> dict:
    stripped = body.strip()
    if stripped in ("TRUE", "FALSE"):
        return {"answer": stripped == "TRUE"}
    if stripped.startswith(">"):
        options, *items = [line.strip() for line in stripped.splitlines()]
        assert options.split()[1:4] == ["ALL", "VERTICAL", "RELATIVE_ALL_PREVIOUS_AND_NEXT"]
        return {"items": [unescape(item) for item in items]}
    if stripped.startswith("#"):
        (_, value), *_ = [p for p in split_unescaped(stripped[1:], "=~") if p[0]]
        answer, tolerance = value.removeprefix("%100%").strip().rstrip("#").split(":")
        return {"answer": float(answer), "tolerance": float(tolerance)}
    parts = [(opener, part.strip()) for opener, part in split_unescaped(body, "=~") if opener]
    if find_unescaped(body, "->") >= 0:
        rows = [tuple(unescape(s.strip()) for s in part.split("->")) for _o, part in parts]
        return {
            "pairs": [(left, right) for left, right in rows if left],
            "distractors": [right for left, right in rows if not left],
        }
    choices, right, fractions = [], [], []
    for opener, part in parts:
        weight = re.match(r"%(-?[\d.]+)%", part)
        text = unescape(part[weight.end() :] if weight else part).removesuffix("#")
        fraction = float(weight.group(1)) if weight else (100.0 if opener == "=" else 0.0)
        choices.append(text)
        fractions.append(fraction)
        if fraction > 0:
            right.append(text)
    if all(opener == "=" for opener, _p in parts) and all(f == 100 for f in fractions):
        return {"accepted": choices}
    return {"choices": choices, "right": right, "fractions": fractions}


def test_gift_round_trip():
    categories, parsed = read_gift(export(quiz_course(), "theme-1", "gift").decode("utf-8"))
    sources = source_questions()
    assert categories == ["$course$/top/Cours d’essai des quiz/Quiz des processus"]
    assert set(parsed) == set(sources)
    for question_id, source in sources.items():
        compare(source, parsed[question_id])
    assert parsed["pcr-traits"]["fractions"] == [33.33333, 33.33333, 33.33333, -33.33333]


def test_gift_escapes_special_characters():
    assert escape("a~b=c#d{e}f:g\\h\ni") == "a\\~b\\=c\\#d\\{e\\}f\\:g\\\\h\\ni"
    text = export(quiz_course(), "theme-1", "gift").decode("utf-8")
    assert "Un traité \\= une obligation" in text
    assert "Une organisation \\~ internationale \\#1" in text
    assert "un forum \\{informel\\}" in text
    assert "PCR\u00a0\\: un forum" in text  # French no-break space kept, colon escaped
    assert "’" in text and "'" not in text.replace("$course$", "")


def test_gift_ordering_items_escape_only_what_breaks_the_question():
    """Moodle passes ordering items to qtype_ordering with its escape placeholders still in
    (it never restores them), so ``: = ~ #`` stay as typed; braces must still be escaped."""
    question = models.Ordering.model_validate(
        {
            "id": "etapes",
            "type": "ordering",
            "prompt": "Dans l'ordre ?",
            "items": ["Étape : un", "Étape {deux}", "Étape = trois ~ #4"],
            "explanation": "Ainsi.",
            "slide": "t1-pcr",
        }
    )
    block = question_block(quiz_course(), question, "theme-1")
    assert "\tÉtape\u00a0: un\n" in block
    assert "\tÉtape \\{deux\\}\n" in block
    assert "\tÉtape = trois ~ #4\n" in block
    assert block.count("{") - block.count("\\{") == 1  # the answer section's brace only


# --- QTI 2.1 --------------------------------------------------------------------------------


def read_qti(data: bytes) -> tuple[dict[str, ET.Element], dict[str, dict]]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.testzip() is None
    names = set(archive.namelist())
    manifest = ET.fromstring(archive.read("imsmanifest.xml"))
    assert manifest.tag == f"{CP}manifest"
    hrefs = {f.get("href") for r in manifest.iter(f"{CP}resource") for f in r.iter(f"{CP}file")}
    assert hrefs == names - {"imsmanifest.xml"}, "manifest and package disagree"
    identifiers = {r.get("identifier") for r in manifest.iter(f"{CP}resource")}
    for dependency in manifest.iter(f"{CP}dependency"):
        assert dependency.get("identifierref") in identifiers
    tests, items = {}, {}
    for name in sorted(names - {"imsmanifest.xml"}):
        root = ET.fromstring(archive.read(name))
        if root.tag == f"{QTI}assessmentTest":
            tests[root.get("identifier")] = root
            for ref in root.iter(f"{QTI}assessmentItemRef"):
                target = posixpath.normpath(
                    posixpath.join(posixpath.dirname(name), ref.get("href"))
                )
                assert target in names, target
        else:
            assert root.tag == f"{QTI}assessmentItem"
            assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "fr"
            items[root.get("title")] = _qti_item(root)
    return tests, items


def _qti_item(root: ET.Element) -> dict:
    declaration = root.find(f"{QTI}responseDeclaration")
    correct = [v.text for v in declaration.iter(f"{QTI}value")]
    body = root.find(f"{QTI}itemBody")
    feedback = "\n".join(p.text for p in root.find(f"{QTI}modalFeedback").iter(f"{QTI}p"))
    maximum = float(root.find(f"{QTI}outcomeDeclaration[@identifier='MAXSCORE']//{QTI}value").text)
    parsed = {"feedback": feedback, "points": maximum}
    interaction = next(iter(body))
    if interaction.tag == f"{QTI}p":  # a text entry inside its paragraph
        entry = interaction.find(f"{QTI}textEntryInteraction")
        parsed["prompt"] = interaction.text.strip()
        if declaration.get("baseType") == "float":
            equal = root.find(f".//{QTI}equal")
            assert equal.get("toleranceMode") == "absolute"
            parsed.update(answer=float(correct[0]), tolerance=float(equal.get("tolerance")))
        else:
            mapping = declaration.find(f"{QTI}mapping")
            assert [e.get("caseSensitive") for e in mapping] == ["false"] * len(mapping)
            parsed["accepted"] = [e.get("mapKey") for e in mapping]
        assert entry is not None
        return parsed
    parsed["prompt"] = interaction.findtext(f"{QTI}prompt")
    if interaction.tag == f"{QTI}choiceInteraction":
        choices = {c.get("identifier"): c.text for c in interaction.iter(f"{QTI}simpleChoice")}
        if set(choices) == {"true", "false"}:
            parsed["answer"] = correct == ["true"]
        else:
            parsed["choices"] = list(choices.values())
            parsed["right"] = [text for key, text in choices.items() if key in correct]
    elif interaction.tag == f"{QTI}matchInteraction":
        lefts, rights = (
            {c.get("identifier"): c.text for c in s}
            for s in interaction.iter(f"{QTI}simpleMatchSet")
        )
        pairs = [value.split() for value in correct]
        parsed["pairs"] = [(lefts[left], rights[right]) for left, right in pairs]
        used = {right for _left, right in pairs}
        parsed["distractors"] = [text for key, text in rights.items() if key not in used]
        mapped = [float(e.get("mappedValue")) for e in declaration.iter(f"{QTI}mapEntry")]
        assert sum(mapped) == pytest.approx(maximum, abs=1e-5)
    elif interaction.tag == f"{QTI}orderInteraction":
        texts = {c.get("identifier"): c.text for c in interaction.iter(f"{QTI}simpleChoice")}
        parsed["items"] = [texts[key] for key in correct]
    return parsed


def test_qti_package_round_trip():
    tests, parsed = read_qti(export(quiz_course(), "all", "qti"))
    sources = source_questions()
    assert set(parsed) == set(sources) | {"final-fmmd"}
    for question_id, source in sources.items():
        compare(source, parsed[question_id])
        assert parsed[question_id]["points"] == source.points
    final = tests["test-final"]
    selections = [s.get("select") for s in final.iter(f"{QTI}selection")]
    assert selections == ["5"]  # 5 drawn from theme-1; its own question always shown
    assert tests["test-theme-1"].find(f".//{QTI}selection").get("select") == "6"


def test_exports_are_reproducible():
    for fmt in FORMATS:
        assert export(quiz_course(), "all", fmt) == export(quiz_course(), "all", fmt)
    assert export(quiz_course(), "theme-1", "gift", seed=1) != export(
        quiz_course(), "theme-1", "gift", seed=2
    )


# --- write_lms and the command line ----------------------------------------------------


def test_write_lms_writes_every_bank_in_every_format(tmp_path):
    written = write_lms(quiz_course(), tmp_path / "lms")
    names = sorted(p.name for p in written)
    assert names == sorted(f"{q}{s}" for q in ("final", "theme-1") for s in FORMATS.values())
    assert sorted(p.name for p in (tmp_path / "lms").iterdir()) == names  # no temp files
    read_moodle((tmp_path / "lms" / "theme-1.moodle.xml").read_bytes())
    read_gift((tmp_path / "lms" / "theme-1.gift").read_text(encoding="utf-8"))


def test_write_lms_leaves_earlier_outputs_when_a_quiz_fails(tmp_path, monkeypatch):
    write_lms(quiz_course(), tmp_path)
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}

    def broken(course, which, fmt, seed=0):
        raise ValueError("broken bank")

    monkeypatch.setattr("course.interchange.export", broken)
    with pytest.raises(ValueError, match="broken bank"):
        write_lms(quiz_course(), tmp_path)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_cli_export_quiz_to_stdout_and_file(runner, tmp_path):
    result = runner.invoke(
        main, ["export", "quiz", "theme-1", "--root", str(QUIZ_COURSE), "--format", "gift"]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes == export(quiz_course(), "theme-1", "gift")
    out = tmp_path / "quiz.zip"
    result = runner.invoke(
        main,
        ["export", "quiz", "all", "--root", str(QUIZ_COURSE), "--format", "qti", "--out", str(out)],
    )
    assert result.exit_code == 0, result.output
    assert zipfile.is_zipfile(out)


def test_cli_export_quiz_errors(runner):
    args = ["export", "quiz", "theme-7", "--root", str(QUIZ_COURSE), "--format", "moodle-xml"]
    result = runner.invoke(main, args)
    assert result.exit_code == 1
    assert "Error: no quiz 'theme-7' (quizzes: final, theme-1)" in result.stderr
    result = runner.invoke(
        main, ["export", "quiz", "theme-1", "--root", str(QUIZ_COURSE), "--format", "qti"]
    )
    assert result.exit_code == 2 and "give --out" in result.stderr
    result = runner.invoke(
        main, ["export", "quiz", "theme-1", "--root", str(QUIZ_COURSE), "--format", "pdf"]
    )
    assert result.exit_code == 2 and "'pdf' is not one of" in result.stderr


def test_the_shipped_quizzes_round_trip_in_every_format():
    course = load_course(REPO_ROOT)
    sources = {
        (quiz_id, q.id): q for quiz_id in course.quizzes for q in bank(course, quiz_id, seed=0)
    }
    _categories, moodle = read_moodle(export(course, "all", "moodle-xml"))
    _categories, gift_questions = read_gift(export(course, "all", "gift").decode("utf-8"))
    _tests, qti = read_qti(export(course, "all", "qti"))
    # Question ids are unique within a bank; the shipped banks keep them unique overall.
    assert len({question_id for _quiz, question_id in sources}) == len(sources)
    for (_quiz_id, question_id), source in sources.items():
        for parsed in (moodle, gift_questions, qti):
            compare(source, parsed[question_id])
