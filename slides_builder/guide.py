"""The facilitator guide of a module, as a Word file trainers can edit (python-docx)."""

from __future__ import annotations

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_BREAK
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from course import models
from course.course import Course
from course.presenting import source_entry
from course.typography import french
from slides_builder.deck import agenda_lines
from slides_builder.questions import module_questions, word
from slides_builder.theme import FONT, NAVY
from slides_builder.writer import SlideRecord, document_date

SLIDE_TABLE_WIDTHS = (Cm(1.2), Cm(5.3), Cm(9.5))  # number, slide, notes: 16 cm of text width
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
    """The guide: objectives, timed agenda, slide-by-slide notes, activities, answer keys,
    glossary and sources."""
    doc = Document()
    _style(doc)
    info = course.info
    doc.add_heading(french(f"Guide de l’animateur — Thème {module.number}"), level=0)
    doc.add_paragraph(module.title, style="Subtitle")
    doc.add_paragraph(french(f"{info.title} · durée : {module.duration_minutes} min"))
    if module.summary:
        doc.add_paragraph(module.summary)

    doc.add_heading("Objectifs", level=1)
    for objective in module.objectives:
        doc.add_paragraph(objective, style="List Bullet")

    doc.add_heading("Programme", level=1)
    for line in agenda_lines(module):
        doc.add_paragraph(line, style="List Bullet")

    doc.add_heading("Déroulé diapositive par diapositive", level=1)
    table = doc.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    header = table.rows[0]
    header._tr.get_or_add_trPr().append(header._tr.makeelement(qn("w:tblHeader"), {}))
    for cell, heading in zip(header.cells, ("N°", "Diapositive", "Notes"), strict=True):
        cell.text = heading
        cell.paragraphs[0].runs[0].bold = True
    for record in records:
        cells = table.add_row().cells
        cells[0].text = str(record.number)
        cells[1].text = f"{record.title}\n({KIND_LABELS.get(record.kind, record.kind)})"
        cells[2].text = record.notes or "—"
    for column, width in zip(table.columns, SLIDE_TABLE_WIDTHS, strict=True):
        for cell in column.cells:  # Word reads cell widths, LibreOffice the grid's
            cell.width = width
        column.width = width

    if module.activities:
        doc.add_heading("Activités", level=1)
        for activity in module.activities:
            _activity(doc, activity)

    questions = module_questions(course, module)
    if questions:
        doc.add_heading(french("Quiz en salle : corrigé"), level=1)
        for number, question in enumerate(questions, start=1):
            worded = word(question)
            doc.add_heading(f"Question {number}", level=2)
            doc.add_paragraph(question.prompt)
            for option in worded.options:
                doc.add_paragraph(option, style="List Bullet")
            answer = doc.add_paragraph()
            answer.add_run(french("Réponse : ")).bold = True
            answer.add_run(" ; ".join(worded.answer))
            doc.add_paragraph(question.explanation)

    if module.glossary:
        doc.add_heading("Glossaire", level=1)
        for entry in sorted(module.glossary, key=lambda e: e.term.casefold()):
            paragraph = doc.add_paragraph()
            paragraph.add_run(entry.term).bold = True
            if entry.expansion:
                paragraph.add_run(f" ({entry.expansion})")
            paragraph.add_run(french(f" : {entry.definition}"))

    doc.add_heading("Sources", level=1)
    for source_id in module.sources:
        source = course.sources[source_id]
        doc.add_paragraph(source_entry(source), style="List Bullet")

    props = doc.core_properties
    props.title = french(f"Guide de l’animateur — {info.title} — Thème {module.number}")
    props.language = "fr-FR"
    props.author = info.organisation or info.title
    props.last_modified_by = "coopkit"
    props.revision = 1
    props.created = props.modified = props.last_printed = document_date()
    return doc


def _activity(doc: Document, activity: models.Activity) -> None:
    doc.add_heading(french(f"{activity.title} ({activity.duration_minutes} min)"), level=2)
    for label, value in (("Format", activity.format), ("Objectif", activity.goal)):
        paragraph = doc.add_paragraph()
        paragraph.add_run(french(f"{label} : ")).bold = True
        paragraph.add_run(value)
    if activity.materials:
        paragraph = doc.add_paragraph()
        paragraph.add_run(french("Matériel : ")).bold = True
        paragraph.add_run(" ; ".join(activity.materials))
    doc.add_paragraph("Consignes", style="Heading 3")
    for step in activity.instructions:
        doc.add_paragraph(step, style="List Number")
    doc.add_paragraph("Débriefing", style="Heading 3")
    for point in activity.debrief:
        doc.add_paragraph(point, style="List Bullet")
    doc.paragraphs[-1].add_run().add_break(WD_BREAK.LINE)


def _style(doc: Document) -> None:
    """French language, the deck's font and colour for headings."""
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(11)
    rpr = normal.element.get_or_add_rPr()
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = rpr.makeelement(qn("w:lang"), {})
        rpr.append(lang)
    lang.set(qn("w:val"), "fr-FR")
    for name in ("Title", "Heading 1", "Heading 2", "Heading 3"):
        style = doc.styles[name]
        style.font.name = FONT
        style.font.color.rgb = RGBColor(*NAVY)
