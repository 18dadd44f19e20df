"""Facilitator guides and participant handouts, read back from the built Word files.

The course in ``modules/`` is built once (guides and handouts only); the checks read
the saved .docx files' XML, and one renders a guide with LibreOffice to see the page
numbers as a reader does.
"""

from __future__ import annotations

import re
import subprocess
from itertools import pairwise
from pathlib import Path
from types import SimpleNamespace

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Cm

from course import load_course
from slides_builder.build import build_course
from slides_builder.guide import PROGRAMME_GUIDE
from slides_builder.handouts import PAPER, course_sheets
from slides_builder.timing import clock, theme_flow, theme_timing
from tests.conftest import REPO_ROOT
from tests.tools import need_tool

A4 = (Cm(21), Cm(29.7))


@pytest.fixture(scope="module")
def course():
    return load_course(REPO_ROOT)


@pytest.fixture(scope="module")
def built(course, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("build")
    build_course(course, out, parts=["guides", "handouts"])
    return out


def _guides(built: Path) -> list[Path]:
    return sorted((built / "guides").glob("*.docx"))


def _handouts(built: Path) -> list[Path]:
    return sorted((built / "handouts").glob("*.docx"))


def _a4_with_page_footer(path: Path) -> None:
    doc = Document(str(path))
    for section in doc.sections:
        size = (section.page_width, section.page_height)
        assert all(abs(got - want) < Cm(0.01) for got, want in zip(size, A4, strict=True)), (
            path.name
        )
        assert section.left_margin >= Cm(2) and section.right_margin >= Cm(2)
        footer = section.footer._element
        fields = [f.get(qn("w:instr")).strip() for f in footer.iter(qn("w:fldSimple"))]
        assert fields == ["PAGE", "NUMPAGES"], path.name
        words = "".join(t.text for t in footer.iter(qn("w:t")))
        assert words == "Page 1 sur 1"  # the fields' placeholders between the words
        assert "Coopération internationale" in section.header.paragraphs[0].text


def test_guides_are_a4_with_a_header_and_page_x_of_y_in_the_footer(course, built):
    guides = _guides(built)
    themes = [f"{m.id}-guide.docx" for m in course.modules]
    assert sorted(g.name for g in guides) == sorted([*themes, PROGRAMME_GUIDE])
    for guide in guides:
        _a4_with_page_footer(guide)
        header = Document(str(guide)).sections[0].header.paragraphs[0].text
        if guide.name in themes:
            assert re.search(r"Thème \d\u00a0: ", header)


def test_the_programme_guide_lists_every_slot_its_notes_and_the_workshop_handouts(course, built):
    doc = Document(str(built / "guides" / PROGRAMME_GUIDE))
    days = course.info.programme
    assert len(doc.tables) == len(days)
    for day, table in zip(days, doc.tables, strict=True):
        rows = [[c.text for c in row.cells] for row in table.rows[1:]]
        assert [r[:3] for r in rows] == [
            [clock(i.start_minutes), f"{i.minutes} min", i.title] for i in day.items
        ]
        for item, row in zip(day.items, rows, strict=True):
            if item.kind == "module":
                number = course.module(item.module).number
                assert row[3] == f"Guide du thème {number}"
    text = "\n".join(p.text for p in doc.paragraphs)
    for day in days:
        for item in day.items:
            for line in filter(None, (item.notes or "").split("\n")):
                assert line.strip() in text
    for sheet in course_sheets(course):
        if sheet.module is None:
            assert sheet.name in text


def test_every_handout_of_the_model_is_built_on_a4(course, built):
    sheets = course_sheets(course)
    assert sorted(p.name for p in _handouts(built)) == sorted(s.name for s in sheets)
    # Read from the model itself: each activity's handouts, then the course's own.
    model = [(m.id, h.id) for m in course.modules for a in m.activities for h in a.handouts]
    model += [(course.info.id, h.id) for h in course.info.handouts]
    assert course.info.handouts and len(model) > len(course.info.handouts)
    names = {p.name for p in _handouts(built)}
    assert {f"{owner}-{handout}.docx" for owner, handout in model} <= names
    # Every activity that hands out paper has at least one sheet.
    for module in course.modules:
        for activity in module.activities:
            paper = activity.handouts or [m for m in activity.materials if PAPER.search(m)]
            if paper:
                assert any(s.activity is activity for s in sheets), activity.id
    for path in _handouts(built):
        _a4_with_page_footer(path)
    for sheet in sheets:
        doc = Document(str(built / "handouts" / sheet.name))
        text = "\n".join(p.text for p in doc.paragraphs)
        assert sheet.title in text
        if sheet.activity is not None:
            assert f"«\u00a0{sheet.activity.title}\u00a0»" in text
            header = doc.sections[0].header.paragraphs[0].text
            assert f"Thème {sheet.module.number}" in header


def test_numbered_steps_restart_at_one_in_each_activity(course, built):
    for module in course.modules:
        doc = Document(str(built / "guides" / f"{module.id}-guide.docx"))
        numbering = doc.part.numbering_part.element
        nums = {n.numId: n for n in numbering.num_lst}
        style_num = doc.styles["List Number"].element.pPr.numPr.numId.val
        style_abstract = nums[style_num].abstractNumId.val
        lists: dict[int, list[str]] = {}
        for paragraph in doc.paragraphs:
            if paragraph.style.name == "List Number":
                num_id = paragraph._p.pPr.numPr.numId.val
                lists.setdefault(num_id, []).append(paragraph.text)
        steps = [list(a.instructions) for a in module.activities]
        assert list(lists.values()) == steps  # one list per activity, in order
        for num_id in lists:
            num = nums[num_id]
            assert num_id != style_num and num.abstractNumId.val == style_abstract
            overrides = num.findall(qn("w:lvlOverride"))
            assert [o.get(qn("w:ilvl")) for o in overrides] == ["0"]
            start = overrides[0].find(qn("w:startOverride")).get(qn("w:val"))
            assert start == "1"


def _timing_rows(doc) -> list[tuple[str, str, str, str]]:
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["Début", "Durée", "Séquence", "Diapositives"]
    rows = []
    for row in table.rows[1:]:
        cells = [c.text for c in row.cells]
        if len(set(cells)) > 1:  # not a day's title row (one merged cell)
            rows.append(tuple(cells))
    return rows


def test_the_timing_table_runs_the_clock_through_the_theme(course, built):
    for module in course.modules:
        parts = theme_timing(course, module)
        doc = Document(str(built / "guides" / f"{module.id}-guide.docx"))
        rows = _timing_rows(doc)
        assert [(r[0], r[1], r[2]) for r in rows] == [
            (clock(p.start), f"{p.minutes} min", p.title) for p in parts
        ]
        for before, after in pairwise(parts):
            if before.day == after.day:
                assert after.start == before.end, (module.id, after.title)
        # Every section and activity is on the clock for its whole duration.
        flow = theme_flow(module)
        for kind in ("section", "activity"):
            assert sum(p.minutes for p in parts if p.kind == kind) == sum(
                s.minutes for s in flow if s.kind == kind
            )
        activities = [p for p in parts if p.kind == "activity"]
        assert len(activities) == len(module.activities)
        text = "\n".join(p.text for p in doc.paragraphs)
        assert f"Fin\u00a0: {clock(parts[-1].end)}" in text


def test_the_running_clock_adds_up_to_the_programme(course, built):
    assert course.info.programme, "the shipped course has a two-day programme"
    for module in course.modules:
        parts = theme_timing(course, module)
        slots = [
            (day.title, item)
            for day in course.info.programme
            for item in day.items
            if item.module == module.id
        ]
        assert slots, module.id
        for day, item in slots:  # each slot filled from its start to its end, no more
            inside = [
                p
                for p in parts
                if p.day == day and item.start_minutes <= p.start < item.end_minutes
            ]
            assert inside[0].start == item.start_minutes, (module.id, item.title)
            assert inside[-1].end == item.end_minutes, (module.id, item.title)
        pauses = [p for p in parts if p.kind in ("break", "lunch")]
        for pause in pauses:  # a pause of the day, between two of the theme's slots
            assert any(p.end == pause.start for p in parts)
            assert any(p.start == pause.end for p in parts)
        # The rows' minutes are the programme's: the theme's slots and the pauses between.
        assert sum(p.minutes for p in parts) == sum(item.minutes for _, item in slots) + sum(
            p.minutes for p in pauses
        )
        quizzes = [item for _, item in slots if item.kind == "quiz"]
        assert [p.title for p in parts if p.kind == "quiz"] == [q.title for q in quizzes]
        doc = Document(str(built / "guides" / f"{module.id}-guide.docx"))
        table = doc.tables[0]
        assert table.rows[1].cells[0].text == slots[0][0]  # the day's row opens the table
        assert _timing_rows(doc)[0][0] == clock(slots[0][1].start_minutes)
        text = "\n".join(p.text for p in doc.paragraphs)
        assert f"Fin\u00a0: {clock(slots[-1][1].end_minutes)}" in text
        first_day, first = slots[0]
        assert f"{first_day}\u00a0: {clock(first.start_minutes)} – " in doc.paragraphs[2].text


def test_activities_run_after_their_slide_and_sections_are_shared_by_slides(course):
    module = course.module("theme-1")
    flow = theme_flow(module)
    for activity in module.activities:
        index = next(i for i, s in enumerate(flow) if s.slides == (activity.id,))
        assert activity.after_slide in flow[index - 1].slides
    for section in module.sections:
        pieces = [s for s in flow if s.kind == "section" and set(s.slides) & {section.id}]
        following = [s for s in flow if s.title.startswith(section.title)]
        assert pieces and sum(s.minutes for s in following) == section.duration_minutes


def _item(start, minutes, kind, title, module=None, sections=(), activity=None):
    return SimpleNamespace(
        start=start,
        minutes=minutes,
        kind=kind,
        title=title,
        module=module,
        sections=list(sections),
        activity=activity,
    )


def test_on_a_programme_the_clock_follows_the_theme_slots_pauses_and_quiz(course):
    """The programme's shape (``CourseInfo.programme``): days of back-to-back slots."""
    module = course.module("theme-1")
    first = module.sections[0]
    # Each slot 10 min longer than what it holds (whatever the theme's timings), so a
    # margin ends it.
    early = sum(s.minutes for s in theme_flow(module, [first])) + 10
    late = sum(s.minutes for s in theme_flow(module, module.sections[1:])) + 10
    start = 9 * 60 + 30
    times = [start, start + early, start + early + 15, start + early + 15 + late]
    quiz_end = times[3] + 20
    days = [
        SimpleNamespace(
            title="Jour 1",
            items=[
                _item("09:00", 30, "opening", "Ouverture"),
                _item(_hhmm(times[0]), early, "module", "Thème 1, début", "theme-1", [first.id]),
                _item(_hhmm(times[1]), 15, "break", "Pause"),
                _item(_hhmm(times[2]), late, "module", "Thème 1, suite", "theme-1"),
                _item(_hhmm(times[3]), 20, "quiz", "Quiz du thème 1", "theme-1"),
                _item(_hhmm(quiz_end), 60, "lunch", "Déjeuner"),
            ],
        )
    ]
    programmed = SimpleNamespace(
        info=SimpleNamespace(programme=days), modules=course.modules, module=course.module
    )
    parts = theme_timing(programmed, module)
    assert parts[0].start == start and parts[0].day == "Jour 1"
    others = [(p.kind, p.minutes) for p in parts if p.kind not in ("section", "activity")]
    assert others == [("margin", 10), ("break", 15), ("margin", 10), ("quiz", 20)]
    for before, after in pairwise(parts):
        assert after.start == before.end
    assert parts[-1].end == quiz_end  # the quiz slot's end: no lunch, not the day's
    pause = next(p for p in parts if p.kind == "break")
    before_pause = {s for p in parts[: parts.index(pause)] for s in p.slides}
    assert {slide.id for slide in first.slides} <= before_pause
    assert not before_pause & {slide.id for s in module.sections[1:] for slide in s.slides}


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def test_checklist_lists_equipment_materials_and_handouts_to_print(course, built):
    for module in course.modules:
        doc = Document(str(built / "guides" / f"{module.id}-guide.docx"))
        lines = [p.text for p in doc.paragraphs]
        boxes = [line[2:] for line in lines if line.startswith("☐\t")]
        assert any("Vidéoprojecteur" in b for b in boxes)
        for activity in module.activities:
            for item in activity.materials:
                assert item in boxes, item
        for sheet in course_sheets(course):
            if sheet.module is module:
                assert any(sheet.name in b and sheet.copies in b for b in boxes)


@pytest.mark.render
def test_rendered_guide_and_handout_show_page_x_of_y_on_a4(built, tmp_path):
    soffice = need_tool("soffice", "libreoffice-writer")
    need_tool("pdftotext", "poppler-utils")
    guide = built / "guides" / "theme-1-guide.docx"
    handout = _handouts(built)[0]
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={(tmp_path / 'lo-profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(guide),
            str(handout),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    for docx in (guide, handout):
        pdf = tmp_path / f"{docx.stem}.pdf"
        info = subprocess.run(
            ["pdfinfo", str(pdf)], check=True, capture_output=True, text=True
        ).stdout
        pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
        assert "(A4)" in info
        text = subprocess.run(
            ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
        ).stdout
        numbers = re.findall(r"Page (\d+) sur (\d+)", text)
        assert numbers == [(str(n), str(pages)) for n in range(1, pages + 1)], docx.name
    assert pages >= 1


# French typography: no plain space before ; : ! ? or inside « » (the loader's ``french``
# puts no-break spaces there; a renderer's own words must go through it too).
PLAIN_SPACE = re.compile(r" [;:!?»]|« ")


def test_guides_and_handouts_use_french_typography(built):
    for path in _guides(built) + _handouts(built):
        doc = Document(str(path))
        texts = [p.text for p in doc.paragraphs]
        texts += [c.text for t in doc.tables for row in t.rows for c in row.cells]
        texts += [p.text for p in doc.sections[0].header.paragraphs]
        bad = [t for t in texts if PLAIN_SPACE.search(t)]
        assert not bad, (path.name, bad[:3])


def test_cli_builds_only_the_handouts_when_asked(course, tmp_path, runner):
    from coopkit.cli import main

    out = tmp_path / "out"
    result = runner.invoke(
        main, ["build", "--root", str(REPO_ROOT), "--out", str(out), "--only", "handouts"]
    )
    assert result.exit_code == 0, result.output
    assert [p.name for p in out.iterdir()] == ["handouts"]
    built = sorted(p.name for p in (out / "handouts").iterdir())
    assert built == sorted(s.name for s in course_sheets(course))  # no temporary file left


def test_handouts_are_the_same_bytes_from_the_same_input(course, built, tmp_path):
    again = build_course(course, tmp_path, parts=["handouts"])
    assert again and all(
        p.read_bytes() == (built / "handouts" / p.name).read_bytes() for p in again
    )


def test_the_downloads_page_lists_the_handouts_and_builds_them_on_demand(course, make_app):
    app = make_app(root=REPO_ROOT)
    html = app.test_client().get("/telechargements/").get_data(as_text=True)
    assert "Documents des participants" in html
    names = [sheet.name for sheet in course_sheets(course)]
    for name in names:
        assert f">{name}</a>" in html
    with app.test_client().get(f"/telechargements/documents/{names[0]}") as response:
        assert response.status_code == 200
        assert "attachment" in response.headers["Content-Disposition"]
        assert response.data[:2] == b"PK"  # a .docx is a zip
    assert app.test_client().get("/telechargements/documents/secret.docx").status_code == 404


HANDOUTS_ACTIVITY = """\
    materials: [une carte de rôle par délégation]
    handouts:
      - id: carte-etat-a
        kind: role-card
        title: Délégation de l'État A
        copies: role
        intro: Vous représentez l'État A.
        blocks:
          - heading: Vos intérêts
          - bullets: [Ouvrir des voies régulières, Protéger vos travailleurs]
          - paragraph: Vous ne pouvez pas accepter de quota.
      - id: grille
        kind: worksheet
        title: Grille d'analyse
        copies: group
        blocks:
          - prompts: [Quel problème commun ?, Quel intérêt divergent ?]
            lines: 4
          - table:
              columns: [Critère, Note, Preuve observée]
              rows: [[Confiance, "", ""]]
              blank_rows: 3
"""
HANDOUTS_COURSE = """\
handouts:
  - id: evaluation
    kind: form
    title: Évaluation de l'atelier
    blocks:
      - ratings: [Les objectifs ont été atteints, Le rythme était adapté]
        scale: [Pas du tout, Plutôt non, Plutôt oui, Tout à fait]
  - id: test
    kind: form
    title: Test de début et de fin
    blocks:
      - quiz: test-fixe
programme:
  - title: Jour 1
    items:
      - {start: "09:00", minutes: 15, kind: test, quiz: test-fixe, title: Test de début}
      - {start: "09:15", minutes: 60, kind: module, module: theme-1, title: Thème 1}
      - {start: "10:15", minutes: 15, kind: test, quiz: test-fixe, title: Test de fin}
"""
FIXED_QUIZ = """\
id: test-fixe
title: Test de début et de fin
fixed: true
questions:
  - id: f1
    type: single
    prompt: Quel processus sert d'exemple ?
    choices:
      - {id: a, text: EX}
      - {id: b, text: Aucun}
    answer: a
    explanation: Le fichier des processus décrit EX.
    slide: profil-exemple
  - id: f2
    type: true_false
    prompt: EX est un processus régional.
    answer: true
    explanation: Le fichier le dit.
    slide: profil-exemple
  - id: f3
    type: short_text
    prompt: Quel est le sigle du processus d'exemple ?
    accepted: [EX]
    explanation: Le fichier le dit.
    slide: profil-exemple
"""


@pytest.fixture(scope="module")
def handout_course(tmp_path_factory) -> Path:
    """The scaffolded course with handouts of every block kind and a fixed quiz."""
    from course.scaffold import scaffold

    root = tmp_path_factory.mktemp("handouts") / "course"
    scaffold(root)
    theme = root / "modules" / "theme-1.yaml"
    text = theme.read_text(encoding="utf-8")
    anchor = "    debrief: [Relever les attentes exprimées.]\n"
    assert anchor in text
    theme.write_text(text.replace(anchor, anchor + HANDOUTS_ACTIVITY), encoding="utf-8")
    info = root / "modules" / "course.yaml"
    info.write_text(info.read_text(encoding="utf-8") + HANDOUTS_COURSE, encoding="utf-8")
    (root / "quizzes" / "test-fixe.yaml").write_text(FIXED_QUIZ, encoding="utf-8")
    return root


def _ruled_lines(paragraphs) -> int:
    """Paragraphs that are a line to write on: one tab to an underscore-leader stop."""
    count = 0
    for paragraph in paragraphs:
        tabs = paragraph._p.findall(f".//{qn('w:tab')}[@{qn('w:leader')}='underscore']")
        if tabs and paragraph.text == "\t":
            count += 1
    return count


def test_every_block_of_a_handout_is_rendered(handout_course, tmp_path):
    course = load_course(handout_course)
    written = build_course(course, tmp_path, parts=["handouts", "guides"])
    names = sorted(p.name for p in written if p.parent.name == "handouts")
    assert names == [
        "mon-cours-evaluation.docx",
        "mon-cours-test.docx",
        "theme-1-carte-etat-a.docx",
        "theme-1-grille.docx",
    ]  # the model's handouts replace the worksheet made from the materials

    card = Document(str(tmp_path / "handouts" / "theme-1-carte-etat-a.docx"))
    text = [p.text for p in card.paragraphs]
    assert "Vous représentez l’État A." in text and "Vos intérêts" in text
    bullets = [p.text for p in card.paragraphs if p.style.name == "List Bullet"]
    assert bullets == ["Ouvrir des voies régulières", "Protéger vos travailleurs"]
    assert not any(t.startswith("Nom") for t in text)  # a role card is not handed back

    sheet = Document(str(tmp_path / "handouts" / "theme-1-grille.docx"))
    assert _ruled_lines(sheet.paragraphs) == 2 * 4
    # A prompt and its lines stay on one page: each keeps with the next but the last line.
    prompt = next(i for i, p in enumerate(sheet.paragraphs) if p.text.startswith("Quel problème"))
    block = sheet.paragraphs[prompt : prompt + 5]
    assert [bool(p.paragraph_format.keep_with_next) for p in block] == [True] * 4 + [False]
    assert any(p.text.startswith("Nom\u00a0:") for p in sheet.paragraphs)
    table = sheet.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["Critère", "Note", "Preuve observée"]
    assert [c.text for c in table.rows[1].cells] == ["Confiance", "", ""]
    assert len(table.rows) == 1 + 1 + 3  # headings, the given row, the blank rows

    form = Document(str(tmp_path / "handouts" / "mon-cours-evaluation.docx"))
    assert not any(p.text.startswith("Nom") for p in form.paragraphs)  # forms are anonymous
    ratings = form.tables[0]
    assert [c.text for c in ratings.rows[0].cells][1:] == [
        "Pas du tout",
        "Plutôt non",
        "Plutôt oui",
        "Tout à fait",
    ]
    assert all(c.text == "☐" for row in ratings.rows[1:] for c in row.cells[1:])
    assert len(ratings.rows) == 3
    test = Document(str(tmp_path / "handouts" / "mon-cours-test.docx"))
    lines = [p.text for p in test.paragraphs]
    assert "1. Quel processus sert d’exemple\u202f?" in lines
    assert "☐\tA. EX" in lines and "☐\tVrai" in lines and "☐\tFaux" in lines
    assert _ruled_lines(test.paragraphs) == 2  # the short answer's lines
    assert "EX est un processus régional." in "\n".join(lines)
    assert "Le fichier le dit." not in "\n".join(lines)  # no answer key for participants
    header = form.sections[0].header.paragraphs[0].text
    assert header.startswith("Mon cours")

    guide = Document(str(tmp_path / "guides" / "theme-1-guide.docx"))
    boxes = [p.text for p in guide.paragraphs if p.text.startswith("☐")]
    assert any("Délégation de l’État A — 1 par participant tenant ce rôle" in b for b in boxes)
    assert any("Grille d’analyse — 1 par groupe" in b for b in boxes)
    assert any("Évaluation de l’atelier — 1 par participant" in b for b in boxes)
    assert any(
        "Test de début et de fin — 1 par participant et par passation (2" in b for b in boxes
    )
