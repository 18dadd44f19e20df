"""``coopkit build``: decks and guides read back from the saved files.

The fixture course starts from ``coopkit new`` and is enriched with what stresses a
deck: a slide with many long bullets, a process with a long member list, a timeline
of close years, a quote, a table, an activity and a quiz of every question type.
"""

from __future__ import annotations

import gc
import hashlib
import json
import re
import shutil
from pathlib import Path

import pytest
from docx import Document
from pptx import Presentation
from pptx.util import Emu

from coopkit.cli import main
from course import load_course
from course.countries import all_countries, country_name, is_country_code
from course.presenting import process_title
from course.scaffold import scaffold
from slides_builder import fit, theme
from slides_builder.build import build_course
from tests.conftest import REPO_ROOT

TEMPLATE = Path(__file__).parent / "data" / "templates" / "organisation.pptx"
LONG_MEMBERS = [c for c in all_countries() if is_country_code(c)][:160]  # needs 2 slides
TIMELINE = {  # id: (acronym, founding year): close years force labels into lanes
    "p1985": ("IGC-T", 1985),
    "p1986": ("ALPHA", 1986),
    "p1996": ("APC-T", 1996),
    "p1996b": ("CRM-T", 1996),
    "p1999": ("MIDSA-T", 1999),
    "p2000": ("CSM-T", 2000),
    "p2001": ("MIDWA-T", 2001),
    "p2002": ("BALI-T", 2002),
    "p2003": ("COLOMBO-T", 2003),
}
LONG_BULLETS = [
    f"Point numéro {n} : la coopération régionale réunit des États qui partagent des défis "
    f"migratoires et cherchent des réponses communes, sans obligation juridique ({n})"
    for n in range(1, 15)
]


def _process_yaml(pid: str, acronym: str, year: int, members: list[str]) -> str:
    codes = ", ".join(members)
    return f"""
  - id: {pid}
    acronym: {acronym}
    name: Processus {acronym} de démonstration pour les essais du générateur de diapositives
    kind: regional
    region: Région d'essai
    summary: Un processus d'essai créé en {year}.
    founded: {{year: {year}, source: ma-source, as_of: 2024}}
    memberships:
      - {{source: ma-source, as_of: 2024, count: {len(members)}, members: [{codes}]}}
    topics:
      source: ma-source
      as_of: 2024
      items: [migration de travail, protection des migrants, gestion des frontières]
    sources: [ma-source]
"""


def make_course(root: Path) -> Path:
    """The scaffolded course, enriched to stress the deck builder."""
    scaffold(root)
    processes = "processes:\n" + _process_yaml("longue", "LONG", 1991, LONG_MEMBERS)
    for pid, (acronym, year) in TIMELINE.items():
        processes += _process_yaml(pid, acronym, year, ["FR", "BE"])
    (root / "modules" / "processes.yaml").write_text(processes, encoding="utf-8")
    subs = "\n            sub: [Un détail du point, Un autre détail]"
    bullets = "\n".join(
        f"          - text: {json.dumps(text, ensure_ascii=False)}{subs}" for text in LONG_BULLETS
    )
    timeline = ", ".join(TIMELINE)
    (root / "modules" / "theme-1.yaml").write_text(
        f"""\
id: theme-1
number: 1
title: Premier thème
subtitle: Un thème d'essai
duration_minutes: 90
summary: Un thème pour éprouver le générateur.
objectives:
  - Expliquer l'idée principale du thème
  - Situer les processus sur une frise
sources: [ma-source]
sections:
  - id: introduction
    title: Introduction
    duration_minutes: 20
    slides:
      - id: premiere-diapositive
        title: Première diapositive
        bullets:
          - Un point
          - text: Un point détaillé
            sub: [Un détail]
        notes: Ce que l'animateur dit ; une question à poser à la salle.
      - id: longue-liste
        title: Une diapositive beaucoup trop longue pour tenir sur une seule page
        subtitle: Elle continue sur une diapositive « suite »
        bullets:
{bullets}
        notes: Des notes pour la longue diapositive.
  - id: processus
    title: Les processus
    slides:
      - id: profil-long
        process: longue
        notes: Présenter le processus et la longueur de sa liste de membres.
      - id: profil-exemple
        process: p1985
      - id: frise
        title: Les dates de création des processus
        timeline: [{timeline}]
        notes: Faire situer chaque processus sur la frise.
      - id: citation
        title: Une citation
        quote:
          {{text: La coopération est un choix des États., author: Un auteur, source: ma-source}}
        notes: Lire la citation.
      - id: tableau
        title: Un tableau
        table:
          columns: [Forme, Exemple, Année]
          rows:
            - [bilatérale, un accord de main-d'œuvre entre deux États voisins, "1990"]
            - [régionale, un processus consultatif régional, "1996"]
        notes: Commenter le tableau.
activities:
  - id: tour-de-table
    title: Tour de table
    format: plénière
    duration_minutes: 10
    goal: Faire connaissance
    instructions: [Chacun se présente en une phrase., Chacun dit ce qu'il attend.]
    materials: [Des post-it]
    debrief: [Relever les attentes exprimées.]
    after_slide: premiere-diapositive
key_points: [Les États coopèrent quand ils y ont intérêt.]
glossary:
  - term: EX
    expansion: Processus d'exemple
    definition: Un processus inventé pour montrer la forme du fichier.
""",
        encoding="utf-8",
    )
    (root / "quizzes" / "theme-1.yaml").write_text(
        """\
id: theme-1
title: Quiz du premier thème
module: theme-1
questions:
  - id: q-single
    type: single
    prompt: Quel processus a la plus longue liste de membres ?
    choices: [{id: a, text: LONG}, {id: b, text: IGC-T}]
    answer: a
    explanation: LONG compte le plus de membres.
    slide: profil-long
  - id: q-multiple
    type: multiple
    prompt: Quels processus ont été créés en 1996 ?
    choices: [{id: a, text: APC-T}, {id: b, text: CRM-T}, {id: c, text: BALI-T}]
    answers: [a, b]
    explanation: APC-T et CRM-T datent de 1996.
    slide: frise
  - id: q-vrai
    type: true_false
    prompt: La coopération régionale est juridiquement contraignante.
    answer: false
    explanation: Les processus consultatifs sont informels et non contraignants.
    slide: longue-liste
  - id: q-assoc
    type: matching
    prompt: Associez chaque processus à son année de création.
    pairs:
      - {left: IGC-T, right: "1985"}
      - {left: APC-T, right: "1996"}
      - {left: BALI-T, right: "2002"}
    distractors: ["2010"]
    explanation: Voir la frise.
    slide: frise
  - id: q-ordre
    type: ordering
    prompt: Classez ces processus du plus ancien au plus récent.
    items: [IGC-T, APC-T, BALI-T]
    explanation: 1985, 1996, 2002.
    slide: frise
  - id: q-nombre
    type: numeric
    prompt: En quelle année IGC-T a-t-il été créé ?
    answer: 1985
    explanation: IGC-T date de 1985.
    slide: frise
  - id: q-texte
    type: short_text
    prompt: Quel sigle désigne le processus créé en 2002 ?
    accepted: [BALI-T, Bali]
    explanation: BALI-T date de 2002.
    slide: frise
""",
        encoding="utf-8",
    )
    return root


@pytest.fixture(scope="module")
def course_root(tmp_path_factory) -> Path:
    return make_course(tmp_path_factory.mktemp("course") / "course")


@pytest.fixture(scope="module")
def built(course_root: Path, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("build")
    build_course(load_course(course_root), out)
    return out


@pytest.fixture(scope="module")
def deck(built: Path):
    return Presentation(str(built / "decks" / "theme-1.pptx"))


def slide_title(slide) -> str:
    return slide.shapes.title.text_frame.text if slide.shapes.title is not None else ""


def text_shapes(shapes):
    """Every shape holding text, group members included (their coordinates are the slide's)."""
    for shape in shapes:
        if shape.shape_type is not None and shape.shape_type == 6:  # group
            yield from text_shapes(shape.shapes)
        elif getattr(shape, "has_table", False) or (
            getattr(shape, "has_text_frame", False) and shape.text_frame.text.strip()
        ):
            yield shape


def table_texts(deck, title_start: str) -> str:
    cells = []
    for slide in deck.slides:
        if slide_title(slide).startswith(title_start):
            for shape in slide.shapes:
                if shape.has_table:
                    cells += [cell.text for row in shape.table.rows for cell in row.cells]
    return "\n".join(cells)


def test_deck_has_one_slide_per_planned_part_and_continues_long_slides(deck, course_root):
    course = load_course(course_root)
    module = course.module("theme-1")
    titles = [slide_title(s) for s in deck.slides]
    suite = [t for t in titles if t.endswith("(suite)")]
    # cover, objectives, agenda, 2 dividers, 7 model slides, 1 activity, quiz divider,
    # 5 questions × 2, summary, sources, appendix divider, 2 questions × 2 — plus every
    # « (suite) » slide, and a membership map after each profile of a process with a member list.
    planned = 3 + len(module.sections) + len(module.slides) + 1 + 1 + 2 * 5 + 2 + 1 + 2 * 2
    maps = [
        s
        for s in module.slides
        if getattr(s, "process", None) and course.processes[s.process].members
    ]
    assert len(titles) == planned + len(maps) + len(suite)
    assert titles[:3] == ["Thème 1\u00a0: Premier thème", "Objectifs", "Programme"]
    assert "Une diapositive beaucoup trop longue pour tenir sur une seule page (suite)" in titles
    appendix = titles.index("Annexe\u00a0: questions supplémentaires")
    assert titles[appendix - 2 : appendix] == ["À retenir", "Sources"]
    assert titles[appendix + 1 :] == [
        "Question supplémentaire 1 sur 2",
        "Réponse supplémentaire 1 sur 2",
        "Question supplémentaire 2 sur 2",
        "Réponse supplémentaire 2 sur 2",
    ]
    assert titles.index("Activité\u00a0: Tour de table") == titles.index("Première diapositive") + 1


def test_every_slide_has_a_title_first_in_reading_order(deck):
    for number, slide in enumerate(deck.slides, start=1):
        assert slide_title(slide).strip(), f"slide {number} has no title"
        first = next(iter(slide.shapes))
        assert first.is_placeholder and first.shape_id == slide.shapes.title.shape_id, number


def test_long_bullets_all_appear_once_in_order_across_the_continuation(deck):
    bodies = []
    for slide in deck.slides:
        if slide_title(slide).startswith("Une diapositive beaucoup trop longue"):
            bodies += [p.text for p in slide.placeholders[1].text_frame.paragraphs]
    expected = [b.replace("'", "’").replace(" :", "\u00a0:") for b in LONG_BULLETS]
    assert [b for b in bodies if b.startswith("Point numéro")] == expected
    assert bodies.count("Un détail du point") == len(LONG_BULLETS)


def test_notes_on_every_content_slide(deck, course_root):
    course = load_course(course_root)
    by_title = {}
    for slide in deck.slides:
        by_title.setdefault(slide_title(slide).removesuffix(" (suite)"), []).append(slide)
    for model in course.module("theme-1").slides:
        if getattr(model, "notes", None) and getattr(model, "title", None):
            for slide in by_title[model.title]:
                assert slide.has_notes_slide
                assert slide.notes_slide.notes_text_frame.text == model.notes
    for slide in deck.slides:
        if slide_title(slide).startswith(("Question", "Réponse", "Activité")):
            assert slide.notes_slide.notes_text_frame.text.strip()


def test_profile_table_matches_the_dataset(deck, course_root):
    course = load_course(course_root)
    process = course.processes["longue"]
    text = table_texts(deck, process.name)
    assert "1991" in text
    assert f"{len(LONG_MEMBERS)} (2024)" in text  # the dated count
    for topic in process.topics.items:
        assert topic in text
    flat = " ".join(text.split())
    for code in LONG_MEMBERS:
        assert country_name(code) in flat, code
    assert "Titre du document source" not in text  # no source inside a cell…
    profile = next(s for s in deck.slides if slide_title(s).startswith(process.name))
    foot = [s.text_frame.text for s in profile.shapes if s.has_text_frame]
    assert any(t.startswith("Source") and "Titre du document source, 2024" in t for t in foot)
    titles = [slide_title(s) for s in deck.slides]
    assert f"{process_title(process)} (suite)" in titles  # the list continues


def test_timeline_is_drawn_with_alt_text_naming_every_process(deck):
    slide = next(s for s in deck.slides if slide_title(s).startswith("Les dates de création"))
    group = next(s for s in slide.shapes if s.shape_type == 6)
    descr = group._element.xpath("./p:nvGrpSpPr/p:cNvPr")[0].get("descr")
    for acronym, year in TIMELINE.values():
        assert f"{year}\u00a0: {acronym}" in descr


def test_quiz_slides_ask_then_answer(deck):
    titles = [slide_title(s) for s in deck.slides]
    question = titles.index("Question 3 sur 5")  # the matching question, 4th of 7 in the bank
    assert titles[question + 1] == "Réponse 3 sur 5"
    answer = deck.slides[question + 1]
    body = "\n".join(s.text_frame.text for s in answer.shapes if s.has_text_frame)
    assert "IGC-T" in body and "1985" in body
    # The explanation is said, not read: in the answer's notes, not on the slide.
    assert "Voir la frise." not in body
    assert "Voir la frise." in answer.notes_slide.notes_text_frame.text


def test_deck_is_16_9_with_readable_french_text(deck):
    assert (deck.slide_width, deck.slide_height) == (Emu(12192000), Emu(6858000))
    assert deck.core_properties.language == "fr-FR"
    assert deck.core_properties.title.startswith("Mon cours")
    for number, slide in enumerate(deck.slides, start=1):
        for shape in text_shapes(slide.shapes):
            frames = (
                [c.text_frame for r in shape.table.rows for c in r.cells]
                if getattr(shape, "has_table", False)
                else [shape.text_frame]
            )
            for frame in frames:
                for run in (r for p in frame.paragraphs for r in p.runs):
                    assert run.font.name == "Calibri"  # named for PowerPoint users
                    assert run.font.language_id == 1036  # French (France)
                    small = shape.top >= Emu(int(theme.FOOTER_TOP * 914400))
                    if frame.text.startswith("Source") and run.font.size.pt >= theme.SIZES.caption:
                        continue  # the one source line at the foot, in small type
                    if run.text.strip() and not small:
                        assert run.font.size.pt >= 18, (number, run.text)


def test_built_in_colours_have_enough_contrast():
    for foreground, background in theme.TEXT_ON_BACKGROUND:
        assert theme.contrast_ratio(foreground, background) >= 4.5, (foreground, background)


def _boxes_do_not_overlap_and_stay_on_the_slide(deck):
    width, height = deck.slide_width, deck.slide_height
    for number, slide in enumerate(deck.slides, start=1):
        boxes = [
            (s.left, s.top, s.left + s.width, s.top + s.height) for s in text_shapes(slide.shapes)
        ]
        for left, top, right, bottom in boxes:
            assert min(left, top) >= 0 and right <= width and bottom <= height, number
        for i, a in enumerate(boxes):
            for b in boxes[i + 1 :]:
                apart = a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]
                assert apart, f"slide {number}: text boxes {a} and {b} overlap"


def test_text_boxes_stay_on_the_slide_and_never_overlap(deck):
    _boxes_do_not_overlap_and_stay_on_the_slide(deck)


def test_template_layouts_are_used_and_its_sample_slides_dropped(course_root, tmp_path):
    build_course(load_course(course_root), tmp_path, template=TEMPLATE)
    deck = Presentation(str(tmp_path / "decks" / "theme-1.pptx"))
    titles = [slide_title(s) for s in deck.slides]
    assert "Diapositive d’exemple à supprimer" not in titles
    assert (deck.slide_width, deck.slide_height) == (
        Emu(9144000),
        Emu(6858000),
    )  # the template's 4:3
    layouts = {s.slide_layout.name for s in deck.slides}
    assert {"Titre", "Titre et contenu", "En-tête de section", "Titre seul"} <= layouts
    for slide in deck.slides:
        first = next(iter(slide.shapes))
        assert first.shape_id == slide.shapes.title.shape_id
    _boxes_do_not_overlap_and_stay_on_the_slide(deck)


def test_guide_holds_agenda_notes_activities_answer_keys_glossary_and_sources(built):
    doc = Document(str(built / "guides" / "theme-1-guide.docx"))
    text = "\n".join(p.text for p in doc.paragraphs)
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    for heading in (
        "Objectifs",
        "Programme",
        "Déroulé diapositive par diapositive",
        "Activités",
        "Quiz en salle\u00a0: corrigé",
        "Glossaire",
        "Sources",
    ):
        assert heading in headings
    timing = [[c.text for c in row.cells] for row in doc.tables[0].rows]
    # The 20 min introduction, cut by the activity run after its first slide.
    assert timing[1:4] == [
        ["0 h 00", "10 min", "Introduction", "4 à 5"],  # its divider and first slide
        ["0 h 10", "10 min", "Activité\u00a0: Tour de table", "6"],
        ["0 h 20", "10 min", "Introduction (suite)", "7 à 11"],
    ]
    assert "Chacun dit ce qu’il attend." in text
    assert "Relever les attentes exprimées." in text  # debrief
    assert "Réponse\u00a0: A. LONG" in text
    notes = "\n".join(c.text for c in doc.tables[1].columns[2].cells)
    assert "Des notes pour la longue diapositive." in notes
    assert doc.core_properties.language == "fr-FR"


def test_build_course_reports_progress_once_per_deck(course_root, tmp_path):
    lines: list[str] = []
    written = build_course(load_course(course_root), tmp_path, progress=lines.append)
    assert len(lines) == 1 and lines[0].startswith("theme-1: ") and "slides" in lines[0]
    assert tmp_path / "decks" / "theme-1.pptx" in written
    assert tmp_path / "guides" / "theme-1-guide.docx" in written


def test_same_input_gives_the_same_files(course_root, tmp_path):
    first = build_course(load_course(course_root), tmp_path / "a")
    second = build_course(load_course(course_root), tmp_path / "b")
    digests = [
        [
            hashlib.sha256(p.read_bytes()).hexdigest()
            for p in paths
            if p.suffix in (".pptx", ".docx")
        ]
        for paths in (first, second)
    ]
    assert digests[0] == digests[1] and len(digests[0]) == 2


def test_cli_build_writes_decks_and_guides_and_leaves_no_temp_files(course_root, tmp_path, runner):
    out = tmp_path / "out"
    result = runner.invoke(main, ["build", "--root", str(course_root), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "decks" / "theme-1.pptx").is_file()
    assert (out / "guides" / "theme-1-guide.docx").is_file()
    assert sorted(p.name for p in (out / "lms").iterdir()) == [
        "theme-1.gift",
        "theme-1.moodle.xml",
        "theme-1.qti.zip",
        "theme-1.scorm.zip",  # SCORM 1.2 package (webapp.offline)
    ]
    assert (out / "site" / "index.html").is_file()  # the offline site
    assert not list(out.rglob("*.tmp"))


def test_cli_build_with_invalid_content_writes_nothing(course_root, tmp_path, runner):
    root = tmp_path / "broken"
    make_course(root)
    path = root / "modules" / "theme-1.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("number: 1", "number: un"), "utf-8")
    out = tmp_path / "out"
    result = runner.invoke(main, ["build", "--root", str(root), "--out", str(out)])
    assert result.exit_code == 1
    assert "theme-1.yaml:2:" in result.stderr and "Aborted with 1 error." in result.stderr
    assert not out.exists()


def test_cli_build_stops_cleanly_on_a_title_that_cannot_fit(tmp_path, runner):
    root = make_course(tmp_path / "course")
    path = root / "modules" / "theme-1.yaml"
    endless = "Un titre interminable " * 40
    text = path.read_text(encoding="utf-8").replace(
        "title: Première diapositive", f"title: {endless}"
    )
    path.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(main, ["build", "--root", str(root), "--out", str(out)])
    assert result.exit_code == 1
    assert "Error: theme-1: title too long for its box even at 20 pt" in result.stderr
    assert not out.exists()


def test_cli_build_rejects_a_template_without_usable_layouts(course_root, tmp_path, runner):
    prs = Presentation()
    for layout in list(prs.slide_layouts):
        if layout.name != "Blank":
            prs.slide_layouts.remove(layout)
    bad = tmp_path / "bad.pptx"
    prs.save(bad)
    out = tmp_path / "out"
    (out / "decks").mkdir(parents=True)
    earlier = out / "decks" / "theme-1.pptx"
    earlier.write_bytes(b"earlier build")
    args = ["build", "--root", str(course_root), "--out", str(out), "--template", str(bad)]
    result = runner.invoke(main, args)
    assert result.exit_code == 1
    assert "no layout with a title and a body placeholder" in result.stderr
    assert earlier.read_bytes() == b"earlier build"  # a failed build leaves earlier outputs


@pytest.mark.parametrize("content", [b"not a presentation", b""])
def test_cli_build_rejects_a_file_that_is_not_a_presentation(
    course_root, tmp_path, runner, content
):
    bad = tmp_path / "modele.potx"
    bad.write_bytes(content)
    out = tmp_path / "out"
    args = ["build", "--root", str(course_root), "--out", str(out), "--template", str(bad)]
    result = runner.invoke(main, args)
    assert result.exit_code == 1
    assert f"Error: template {bad}: cannot open it as a PowerPoint presentation" in result.stderr
    assert not out.exists()


def test_wrap_measures_with_the_font_and_keeps_no_break_spaces():
    text = "Les processus consultatifs régionaux\u00a0: un dialogue informel " * 4
    lines = fit.wrap(text, 300, 22)
    assert len(lines) > 1
    assert all(fit.text_width(line, 22) <= 300 for line in lines)
    assert not any(line.startswith("\u00a0:") or line.startswith(":") for line in lines)
    assert fit.text_width("WWWW", 22) > fit.text_width("iiii", 22)  # real metrics, not a count


def test_build_only_decks_writes_nothing_else(tmp_path, runner):
    out = tmp_path / "out"
    args = ["build", "--root", str(REPO_ROOT), "--out", str(out), "--only", "decks"]
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (out / "decks").iterdir()) == [
        "theme-1.pptx",
        "theme-2.pptx",
        "theme-3.pptx",
    ]
    assert not (out / "guides").exists() and not (out / "lms").exists()


def _shipped_copy(target: Path) -> Path:
    """The shipped course (three modules) copied to ``target``."""
    for folder in ("modules", "quizzes"):
        shutil.copytree(REPO_ROOT / folder, target / folder)
    return target


def test_parallel_build_gives_the_same_decks_in_module_order(tmp_path):
    course = load_course(_shipped_copy(tmp_path / "course"))
    one, three = [], []
    alone = build_course(course, tmp_path / "one", progress=one.append, parts=["decks"])
    forked = build_course(
        course, tmp_path / "three", progress=three.append, parts=["decks"], jobs=3
    )
    assert (
        [p.name for p in alone]
        == [p.name for p in forked]
        == [f"{m.id}.pptx" for m in course.modules]
    )
    assert [p.read_bytes() for p in alone] == [p.read_bytes() for p in forked]
    assert [line.split(":")[0] for line in three] == [m.id for m in course.modules]
    # The objects frozen for the fork are handed back to the collector afterwards.
    assert gc.get_freeze_count() == 0


def test_parallel_build_reports_a_deck_that_cannot_fit_and_writes_nothing(tmp_path, runner):
    root = _shipped_copy(tmp_path / "course")
    path = root / "modules" / "theme-3.yaml"
    endless = "Un titre interminable " * 40
    text = path.read_text(encoding="utf-8")
    # the title of one slide, found by its id (its wording may change)
    text, found = re.subn(r"(id: t3-ctm-pourquoi\n\s+title: )[^\n]+", rf"\g<1>{endless}", text)
    assert found == 1
    path.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(main, ["build", "--root", str(root), "--out", str(out), "-j", "2"])
    assert result.exit_code == 1
    assert "Error: theme-3: title too long for its box" in result.stderr
    assert not out.exists()
