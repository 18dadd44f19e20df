"""The facilitator guide of a module, as a Word file trainers can edit (python-docx).

A4 pages with the course and theme in the header and « Page X sur Y » in the footer
(``wordpage``); a timing table with the running clock (``timing``); a checklist of
the equipment, the materials and the handouts to print; then the slide-by-slide notes,
the activities (their steps numbered from 1 in each), the quiz's answer key, the
glossary and the sources.
"""

from __future__ import annotations

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_BREAK
from docx.shared import Cm

from course import models
from course.course import Course
from course.presenting import source_entry
from course.typography import french
from slides_builder import wordpage
from slides_builder.handouts import Sheet, course_sheets, module_sheets
from slides_builder.questions import module_questions, split_for_the_room, word
from slides_builder.timing import Part, clock, theme_timing
from slides_builder.writer import SlideRecord

SLIDE_TABLE_WIDTHS = (Cm(1.2), Cm(5.4), Cm(10.0))  # number, slide, notes: the 16.6 cm text width
TIMING_WIDTHS = (Cm(2.0), Cm(1.8), Cm(9.6), Cm(3.2))  # start, minutes, part, slides
KIND_LABELS = {
    "cover": "Titre",
    "objectives": "Objectifs",
    "agenda": "Programme",
    "divider": "Intercalaire",
    "content": "Contenu",
    "process": "Profil de processus",
    "timeline": "Frise chronologique",
    "quote": "Citation",
    "table": "Tableau",
    "activity": "Activité",
    "question": french("Quiz : question"),
    "answer": french("Quiz : réponse"),
    "summary": "À retenir",
    "sources": "Sources",
}


def module_guide(course: Course, module: models.Module, records: list[SlideRecord]) -> Document:
    """The guide of one theme, from its model and the slides its deck was built with."""
    doc = Document()
    info = course.info
    wordpage.set_up(
        doc,
        header_left=french(f"{info.title} — guide de l’animateur"),
        header_right=french(f"Thème {module.number} : {module.title}"),
        title=french(f"Guide de l’animateur — {info.title} — Thème {module.number}"),
        author=info.organisation or info.title,
    )
    doc.add_heading(french(f"Guide de l’animateur — Thème {module.number}"), level=0)
    doc.add_paragraph(module.title, style="Subtitle")
    parts = theme_timing(course, module)
    when = "".join(f" · {day} : {clock(start)} – {clock(end)}" for day, start, end in _days(parts))
    doc.add_paragraph(french(f"{info.title} · durée : {module.duration_minutes} min{when}"))
    if module.summary:
        doc.add_paragraph(module.summary)

    doc.add_heading("Objectifs", level=1)
    for objective in module.objectives:
        doc.add_paragraph(objective, style="List Bullet")

    doc.add_heading("Programme", level=1)
    _timing_table(doc, parts, records)

    sheets = module_sheets(course, module)
    doc.add_heading(french("Matériel et préparation"), level=1)
    _checklist(doc, course, module, parts, sheets)
    workshop = [s for s in course_sheets(course) if s.module is None]
    if workshop and module is course.modules[0]:  # prepared with the first theme
        doc.add_heading(french("Documents de l’atelier (les deux jours)"), level=2)
        wordpage.checklist(doc, [_to_print(s) for s in workshop])

    _on_new_page(doc.add_heading("Déroulé diapositive par diapositive", level=1))
    table = doc.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, heading in zip(table.rows[0].cells, ("N°", "Diapositive", "Notes"), strict=True):
        cell.text = heading
    wordpage.header_row(table)
    for record in records:
        cells = table.add_row().cells
        cells[0].text = str(record.number)
        cells[1].text = f"{record.title}\n({KIND_LABELS.get(record.kind, record.kind)})"
        cells[2].text = record.notes or "—"
    wordpage.column_widths(table, SLIDE_TABLE_WIDTHS)

    if module.activities:
        _on_new_page(doc.add_heading("Activités", level=1))
        starts = {p.slides[0]: p for p in parts if p.kind == "activity" and p.slides}
        for activity in module.activities:
            mine = [s for s in sheets if s.activity is activity]
            _activity(doc, activity, starts.get(activity.id), mine, bool(course_programme(course)))

    room, appendix = split_for_the_room(module_questions(course, module))
    if room:
        _on_new_page(doc.add_heading(french("Quiz en salle : corrigé"), level=1))
        # Numbered as the deck numbers them: the room's questions, then the appendix's.
        numbered = [(f"Question {n}", q) for n, q in enumerate(room, start=1)]
        numbered += [(f"Question supplémentaire {n}", q) for n, q in enumerate(appendix, start=1)]
        for heading, question in numbered:
            worded = word(question)
            doc.add_heading(heading, level=2)
            doc.add_paragraph(question.prompt)
            for option in worded.options:
                doc.add_paragraph(option, style="List Bullet")
            answer = doc.add_paragraph()
            answer.add_run(french("Réponse : ")).bold = True
            answer.add_run(french(" ; ".join(worded.answer)))
            doc.add_paragraph(question.explanation)

    if module.glossary:
        doc.add_heading("Glossaire", level=1)
        for entry in sorted(module.glossary, key=lambda e: e.term.casefold()):
            paragraph = doc.add_paragraph()
            paragraph.add_run(entry.term).bold = True
            if entry.expansion:
                paragraph.add_run(f" ({entry.expansion})")
            paragraph.add_run("\u00a0: " + entry.definition)  # french() keeps a leading space

    doc.add_heading("Sources", level=1)
    for source_id in module.sources:
        source = course.sources[source_id]
        doc.add_paragraph(source_entry(source), style="List Bullet")
    return doc


def _on_new_page(heading) -> None:
    """The guide's long parts (notes, activities, answer key) each start a page."""
    heading.paragraph_format.page_break_before = True


def course_programme(course: Course) -> list:
    """The course's two-day programme, or an empty list when it has none."""
    return list(course.info.programme)


def _timing_table(doc: Document, parts: list[Part], records: list[SlideRecord]) -> None:
    """Start (running clock), minutes, part and its slides; a row per programme day."""
    table = doc.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, heading in zip(
        table.rows[0].cells, ("Début", "Durée", "Séquence", "Diapositives"), strict=True
    ):
        cell.text = heading
    wordpage.header_row(table)
    numbers: dict[str, list[int]] = {}
    for record in records:
        if record.slide_id:
            numbers.setdefault(record.slide_id, []).append(record.number)
    day = ""
    for part in parts:
        if part.day != day:
            day = part.day
            row = table.add_row()
            merged = row.cells[0].merge(row.cells[3])
            merged.text = day
            merged.paragraphs[0].runs[0].bold = True
            merged.paragraphs[0].paragraph_format.keep_with_next = True  # not alone at a page end
        cells = table.add_row().cells
        cells[0].text = clock(part.start)
        cells[1].text = f"{part.minutes} min"
        cells[2].text = part.title
        if part.kind in ("break", "lunch", "margin"):
            cells[2].paragraphs[0].runs[0].italic = True
        shown = sorted(n for slide_id in part.slides for n in numbers.get(slide_id, []))
        if part.kind == "quiz":  # the theme's quiz slides, questions and answers
            shown = [r.number for r in records if r.kind in ("question", "answer")]
        cells[3].text = _slide_range(shown)
    wordpage.column_widths(table, TIMING_WIDTHS)
    wordpage.rows_unbroken(table)
    if parts:
        end = doc.add_paragraph()
        end.add_run(french(f"Fin : {clock(parts[-1].end)}")).bold = True
        total = sum(p.minutes for p in parts if p.kind not in ("break", "lunch"))
        end.add_run(french(f" — {total} min de travail, pauses non comprises."))


def _days(parts: list[Part]) -> list[tuple[str, int, int]]:
    """(day, start, end) of the theme on each programme day (none without a programme)."""
    days: dict[str, list[Part]] = {}
    for part in parts:
        if part.day:
            days.setdefault(part.day, []).append(part)
    return [(day, rows[0].start, rows[-1].end) for day, rows in days.items()]


def _to_print(sheet: Sheet) -> tuple[str, str]:
    """A handout to print: its title and copies, and the file under it."""
    return french(f"{sheet.title} — {sheet.copies}"), f"build/handouts/{sheet.name}"


def _slide_range(numbers: list[int]) -> str:
    if not numbers:
        return ""
    if numbers[0] == numbers[-1]:
        return str(numbers[0])
    return f"{numbers[0]} à {numbers[-1]}"


def _checklist(
    doc: Document, course: Course, module: models.Module, parts: list[Part], sheets: list[Sheet]
) -> None:
    """The equipment, each activity's materials and the handouts to print, as ☐ items."""
    doc.add_heading(french("Équipement"), level=2)
    equipment = [
        french(
            f"Vidéoprojecteur, écran et ordinateur ; le diaporama « {module.id}.pptx » "
            "(build/decks/) essayé sur le vidéoprojecteur"
        ),
        "Tableau de papier (paperboard), marqueurs et ruban adhésif",
    ]
    if module_questions(course, module):
        equipment.append(
            french(
                "Mode atelier de l’application web (/atelier/) : un compte animateur "
                "(coopkit facilitator add), une séance ouverte pour le quiz du thème, "
                "le réseau (Wi-Fi) pour les téléphones des participants"
            )
        )
    if any("explorateur" in m for a in module.activities for m in a.materials):
        equipment.append(
            french(
                "L’application web ouverte sur l’explorateur des processus, "
                "accessible aux participants (ordinateurs ou téléphones)"
            )
        )
    wordpage.checklist(doc, equipment)
    if sheets:
        doc.add_heading(french("Documents à imprimer (A4)"), level=2)
        wordpage.checklist(doc, [_to_print(s) for s in sheets])
    with_materials = [a for a in module.activities if a.materials]
    if with_materials:
        doc.add_heading(french("Matériel des activités"), level=2)
        starts = {p.slides[0]: p.start for p in parts if p.kind == "activity" and p.slides}
        for activity in with_materials:
            when = f" ({clock(starts[activity.id])})" if activity.id in starts else ""
            paragraph = doc.add_paragraph()
            paragraph.paragraph_format.keep_with_next = True
            paragraph.add_run(f"{activity.title}{when}").bold = True
            wordpage.checklist(doc, list(activity.materials))


def _activity(
    doc: Document,
    activity: models.Activity,
    part: Part | None,
    sheets: list[Sheet],
    on_the_clock: bool,
) -> None:
    doc.add_heading(french(f"{activity.title} ({activity.duration_minutes} min)"), level=2)
    if part is not None:
        label = "Horaire" if on_the_clock else french("Début (depuis le début du thème)")
        wordpage.labelled(doc, label, f"{clock(part.start)} – {clock(part.end)}")
    wordpage.labelled(doc, "Format", activity.format)
    wordpage.labelled(doc, "Objectif", activity.goal)
    if activity.materials:
        wordpage.labelled(doc, "Matériel", french(" ; ".join(activity.materials)))
    if sheets:
        documents = " ; ".join(f"{s.title} ({s.copies})" for s in sheets)
        wordpage.labelled(doc, "Documents", french(documents))
    if activity.grouping:
        wordpage.labelled(doc, "Groupes", activity.grouping)
    doc.add_paragraph("Consignes", style="Heading 3")
    wordpage.numbered_list(doc, list(activity.instructions))
    doc.add_paragraph("Débriefing", style="Heading 3")
    for point in activity.debrief:
        doc.add_paragraph(point, style="List Bullet")
    doc.paragraphs[-1].add_run().add_break(WD_BREAK.LINE)


PROGRAMME_GUIDE = "programme-guide.docx"  # in build/guides/, when the course has a programme
PROGRAMME_WIDTHS = (Cm(2.0), Cm(1.8), Cm(8.0), Cm(4.8))  # start, minutes, part, support


def programme_guide(course: Course) -> Document:
    """The workshop's programme for the facilitator: both days slot by slot, what each
    slot uses (a theme's guide, the workshop mode, a handout), the programme's notes on
    running the slots no theme's guide covers, and the workshop's own handouts."""
    doc = Document()
    info = course.info
    title = french(f"Programme de l’atelier — {info.title}")
    wordpage.set_up(
        doc,
        header_left=french(f"{info.title} — guide de l’animateur"),
        header_right="Programme de l’atelier",
        title=title,
        author=info.organisation or info.title,
    )
    doc.add_heading("Programme de l’atelier", level=0)
    doc.add_paragraph(info.title, style="Subtitle")
    days = info.programme
    doc.add_paragraph(
        french(
            " · ".join(
                f"{day.title} : {clock(day.items[0].start_minutes)} – "
                f"{clock(day.items[-1].end_minutes)}"
                for day in days
            )
        )
    )
    sheets = [s for s in course_sheets(course) if s.module is None]
    for day in days:
        doc.add_heading(day.title, level=1)
        table = doc.add_table(rows=1, cols=4)
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        for cell, heading in zip(
            table.rows[0].cells, ("Début", "Durée", "Séquence", "Support"), strict=True
        ):
            cell.text = heading
        wordpage.header_row(table)
        for item in day.items:
            cells = table.add_row().cells
            cells[0].text = clock(item.start_minutes)
            cells[1].text = f"{item.minutes} min"
            cells[2].text = item.title
            if item.kind in ("break", "lunch"):
                cells[2].paragraphs[0].runs[0].italic = True
            cells[3].text = _support(course, item, sheets)
        wordpage.column_widths(table, PROGRAMME_WIDTHS)
        wordpage.rows_unbroken(table)
    noted = [(day, item) for day in days for item in day.items if item.notes]
    if noted:
        doc.add_heading(french("Notes d’animation"), level=1)
        for day, item in noted:
            doc.add_heading(french(f"{item.title} ({day.title}, {clock(item.start_minutes)})"), 2)
            for paragraph in item.notes.split("\n"):
                if paragraph.strip():
                    doc.add_paragraph(paragraph.strip())
    if sheets:
        doc.add_heading(french("Documents de l’atelier à imprimer (A4)"), level=1)
        wordpage.checklist(doc, [_to_print(s) for s in sheets])
    return doc


def _support(course: Course, item: models.ProgrammeItem, sheets: list[Sheet]) -> str:
    """What a programme slot uses: a theme's guide, the workshop mode, handouts."""
    module = course.modules_by_id.get(item.module) if item.module else None
    if item.kind in ("module", "activity") and module is not None:
        return f"Guide du thème {module.number}"
    if item.kind in ("quiz", "test"):
        tested = [s.title for s in sheets if item.quiz in _quizzes(s)]
        return french(" ; ".join(["Mode atelier (/atelier/)", *tested]))
    if item.kind == "evaluation":
        forms = [s.title for s in sheets if s.kind == "form" and not _quizzes(s)]
        return french(" ; ".join(forms))
    return ""


def _quizzes(sheet: Sheet) -> set[str]:
    """The quiz banks a handout prints (a test sheet)."""
    blocks = sheet.handout.blocks if sheet.handout else []
    return {b.quiz for b in blocks if isinstance(b, models.QuizBlock)}
