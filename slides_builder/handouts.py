"""Participant handouts: one A4 Word file per handout, to print and write on (python-docx).

The handouts are the model's: each activity's ``handouts`` and the course's own
(evaluation form, personal action plan, pre/post test sheet). An activity with
paper among its materials (a grid, a blank table, a card per group) but no handout of
its own gets a worksheet made from its goal, steps and materials.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.shared import Cm, Pt

from course import models
from course.attempts import bank
from course.course import Course
from course.typography import french
from slides_builder import wordpage
from slides_builder.questions import word

WRITING_ROW = Cm(1.4)  # the height of a table row to write in by hand
RATING_ROW = Cm(0.9)  # a statement to rate: room for a tick
# Materials that are paper for the participants (not the facilitator's board or the app).
PAPER = re.compile(r"\bpar (participant|binôme|groupe|délégation)\b|fiche|grille|vierge", re.I)
KIND_LABELS = {
    "role-card": "Carte de rôle",
    "case-sheet": "Fiche de cas",
    "worksheet": "Fiche de travail",
    "form": "Formulaire",
}


@dataclass(frozen=True)
class Sheet:
    """A handout to build: where it goes and what it is for."""

    name: str  # file name in build/handouts/
    title: str
    kind: str
    copies: str  # how many to print, in words (« 1 par participant »)
    module: models.Module | None  # None for the course's own handouts
    activity: models.Activity | None
    handout: object | None  # the model's handout; None for a worksheet made from materials


def course_sheets(course: Course) -> list[Sheet]:
    """Every handout of the course: each theme's, then the course's own."""
    sheets = [sheet for module in course.modules for sheet in module_sheets(course, module)]
    for handout in course.info.handouts:
        copies = _copies(handout, None)
        # A test sheet is printed once per sitting the programme holds (before and after).
        quizzes = {b.quiz for b in handout.blocks if isinstance(b, models.QuizBlock)}
        sittings = sum(
            item.kind == "test" and item.quiz in quizzes
            for day in course.info.programme
            for item in day.items
        )
        if sittings > 1:
            copies = f"{copies} et par passation ({sittings} passations)"
        sheets.append(
            Sheet(
                f"{course.info.id}-{handout.id}.docx",
                handout.title,
                handout.kind,
                copies,
                None,
                None,
                handout,
            )
        )
    return sheets


def module_sheets(course: Course, module: models.Module) -> list[Sheet]:
    """The handouts of a theme's activities, in activity order."""
    sheets = []
    for activity in module.activities:
        handouts = list(activity.handouts)
        for handout in handouts:
            sheets.append(
                Sheet(
                    f"{module.id}-{handout.id}.docx",
                    handout.title,
                    handout.kind,
                    _copies(handout, activity),
                    module,
                    activity,
                    handout,
                )
            )
        if not handouts and any(PAPER.search(item) for item in activity.materials):
            sheets.append(
                Sheet(
                    f"{module.id}-{activity.id}.docx",
                    french(f"Fiche de travail : {activity.title}"),
                    "worksheet",
                    _copies(None, activity),
                    module,
                    activity,
                    None,
                )
            )
    return sheets


COPIES = {  # Handout.copies, in words
    "participant": "1 par participant",
    "group": "1 par groupe",
    "role": "1 par participant tenant ce rôle",
}


def _copies(handout, activity: models.Activity | None) -> str:
    """How many copies to print: the handout's word, else (a worksheet made from an
    activity's materials) what the activity's format says about who works together."""
    if handout is not None:
        return COPIES[handout.copies]
    text = activity.format.casefold()
    for marker, copies in (
        ("individuel", "1 par participant"),
        ("binôme", "1 par binôme"),
        ("groupe", "1 par groupe"),
    ):
        if marker in text:
            return copies
    return "1 par participant"


def handout_document(course: Course, sheet: Sheet) -> Document:
    """The Word file of one handout."""
    doc = Document()
    info = course.info
    where = french(f"Thème {sheet.module.number} : {sheet.module.title}") if sheet.module else ""
    wordpage.set_up(
        doc,
        header_left=info.title,
        header_right=where,
        title=french(f"{sheet.title} — {info.title}"),
        author=info.organisation or info.title,
    )
    doc.styles["Title"].font.size = Pt(22)
    kind = KIND_LABELS.get(sheet.kind, "Document")
    context = doc.add_paragraph()
    context.add_run(
        french(kind + (f" · activité « {sheet.activity.title} »" if sheet.activity else ""))
    )
    context.runs[0].font.color.rgb = wordpage.GREY
    doc.add_heading(sheet.title, level=0)
    if sheet.handout is None or _group_work(sheet.handout):
        _name_lines(doc, "Nom", "Groupe")
    if sheet.handout is None:
        _worksheet_from_activity(doc, sheet.activity)
    else:
        if sheet.handout.intro:
            doc.add_paragraph(sheet.handout.intro)
        for block in sheet.handout.blocks:
            _block(doc, course, block)
    return doc


def _group_work(handout: models.Handout) -> bool:
    """A worksheet or case sheet with room to write in: it gets « Nom / Groupe » lines.
    Role cards are read; forms carry their own fields (an evaluation is anonymous, a
    test asks for a name or a code)."""
    if handout.kind not in ("worksheet", "case-sheet"):
        return False
    for block in handout.blocks:
        if isinstance(block, models.PromptsBlock) and block.lines:
            return True
        if isinstance(block, models.TableBlock) and (
            block.table.blank_rows or any("" in row for row in block.table.rows)
        ):
            return True
    return False


def _name_lines(doc: Document, first: str, second: str) -> None:
    """« Nom : ____ Groupe : ____ » on one line (tabs with underscore leaders)."""
    paragraph = doc.add_paragraph()
    paragraph.paragraph_format.space_before = Pt(6)
    paragraph.paragraph_format.space_after = Pt(12)
    for position in (Cm(10.5), wordpage.TEXT_WIDTH):
        paragraph.paragraph_format.tab_stops.add_tab_stop(
            position, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.LINES
        )
    paragraph.add_run(french(f"{first} : ")).bold = True
    paragraph.add_run("\t   ")
    paragraph.add_run(french(f"{second} : ")).bold = True
    paragraph.add_run("\t")


def _worksheet_from_activity(doc: Document, activity: models.Activity) -> None:
    """A sheet for an activity without handouts: its goal, steps and materials, and room
    to take notes."""
    wordpage.labelled(doc, "Objectif", activity.goal)
    wordpage.labelled(doc, french("Durée"), f"{activity.duration_minutes} min")
    doc.add_heading("Consignes", level=1)
    wordpage.numbered_list(doc, list(activity.instructions))
    doc.add_heading(french("Matériel"), level=1)
    for item in activity.materials:
        doc.add_paragraph(item, style="List Bullet")
    doc.add_heading("Vos notes", level=1)
    wordpage.writing_lines(doc, 12)


def _block(doc: Document, course: Course, block: models.HandoutBlock) -> None:
    """One block of a handout: a heading, text, prompts with lines, a table, ratings or a quiz."""
    if isinstance(block, models.HeadingBlock):
        doc.add_heading(block.heading, level=1)
    elif isinstance(block, models.ParagraphBlock):
        doc.add_paragraph(block.paragraph)
    elif isinstance(block, models.BulletsBlock):
        for item in block.bullets:
            doc.add_paragraph(item, style="List Bullet")
    elif isinstance(block, models.PromptsBlock):
        for prompt in block.prompts:
            paragraph = doc.add_paragraph()
            paragraph.paragraph_format.keep_with_next = bool(block.lines)
            paragraph.paragraph_format.space_before = Pt(14)
            paragraph.add_run(prompt).bold = True
            wordpage.writing_lines(doc, block.lines)
    elif isinstance(block, models.TableBlock):
        _table(doc, block.table)
    elif isinstance(block, models.RatingsBlock):
        _ratings(doc, block.ratings, block.scale)
    elif isinstance(block, models.QuizBlock):
        _quiz(doc, course, block.quiz)
    else:  # pragma: no cover - the model admits no other block
        raise TypeError(f"unknown handout block {type(block).__name__}")


def _table(doc: Document, table_model: models.HandoutTable) -> None:
    """Headings, the given rows, then the blank rows to write in (tall enough for a hand)."""
    columns = list(table_model.columns)
    table = doc.add_table(rows=1, cols=len(columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, heading in zip(table.rows[0].cells, columns, strict=True):
        cell.text = heading
    wordpage.header_row(table)
    blank = [[""] * len(columns)] * table_model.blank_rows
    for row in [list(r) for r in table_model.rows] + blank:
        new = table.add_row()
        new.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
        new.height = WRITING_ROW
        for cell, text in zip(new.cells, row, strict=True):
            cell.text = text
    width = wordpage.TEXT_WIDTH // len(columns)
    wordpage.column_widths(table, [width] * len(columns))
    wordpage.rows_unbroken(table)
    doc.add_paragraph()


def _ratings(doc: Document, statements: list[str], scale: list[str]) -> None:
    """A statement per row and a box to tick under each level of the scale."""
    table = doc.add_table(rows=1, cols=1 + len(scale))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, heading in zip(table.rows[0].cells, ["", *scale], strict=True):
        cell.text = heading
    wordpage.header_row(table)
    for statement in statements:
        row = table.add_row()
        row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
        row.height = RATING_ROW
        row.cells[0].text = statement
        for cell in row.cells:
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        for cell in row.cells[1:]:
            paragraph = cell.paragraphs[0]
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            paragraph.add_run(wordpage.CHECKBOX).font.size = Pt(16)
    level = Cm(2.0) if len(scale) <= 5 else Cm(1.6)
    first = wordpage.TEXT_WIDTH - level * len(scale)
    wordpage.column_widths(table, [first] + [level] * len(scale))
    wordpage.rows_unbroken(table)
    doc.add_paragraph()


def _quiz(doc: Document, course: Course, quiz_id: str) -> None:
    """Every question of a fixed bank, numbered, with boxes to tick or lines to write on."""
    for number, question in enumerate(bank(course, quiz_id), start=1):
        worded = word(question)
        paragraph = doc.add_paragraph()
        paragraph.paragraph_format.keep_with_next = True
        paragraph.paragraph_format.space_before = Pt(8)
        paragraph.add_run(f"{number}. ").bold = True
        paragraph.add_run(question.prompt).bold = True
        if worded.instruction:
            hint = doc.add_paragraph()
            hint.paragraph_format.keep_with_next = True
            hint.add_run(worded.instruction).italic = True
        if isinstance(question, models.TrueFalse):
            boxes = ["Vrai", "Faux"]
        elif isinstance(question, models.SingleChoice | models.MultipleChoice):
            boxes = worded.options
        else:  # matching, ordering, numbers, words: the options to read, lines to answer on
            for option in worded.options:
                doc.add_paragraph(option, style="List Bullet")
            wordpage.writing_lines(doc, 2)
            continue
        wordpage.checklist(doc, boxes, keep_together=True)
