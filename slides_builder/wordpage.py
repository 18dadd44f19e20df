"""What every Word file of the course shares: A4 pages, header, « Page X sur Y » footer,
French styles, numbered lists that restart, lines to write on (python-docx).

python-docx has no API for fields or list restarts, so the few XML elements they need
are written here, each with a comment saying what Word and LibreOffice read from it.
"""

from __future__ import annotations

from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from course.typography import french
from slides_builder.theme import FONT, NAVY
from slides_builder.writer import document_date

A4 = (Cm(21), Cm(29.7))
MARGINS = {"top": Cm(2.2), "bottom": Cm(2.0), "left": Cm(2.2), "right": Cm(2.2)}
TEXT_WIDTH = A4[0] - MARGINS["left"] - MARGINS["right"]  # 16.6 cm
CHECKBOX = "☐"  # U+2610 BALLOT BOX: ticked with a pen on the printed guide
GREY = RGBColor(0x59, 0x59, 0x59)


def set_up(doc: Document, header_left: str, header_right: str, title: str, author: str) -> None:
    """A4 pages with margins, the header's two texts, the page footer, styles, properties."""
    _styles(doc)
    for section in doc.sections:
        section.page_width, section.page_height = A4
        for side, value in MARGINS.items():
            setattr(section, f"{side}_margin", value)
        section.header_distance = section.footer_distance = Cm(1.0)
        _header(section.header.paragraphs[0], header_left, header_right)
        _page_footer(section.footer.paragraphs[0])
    props = doc.core_properties
    props.title = title
    props.language = "fr-FR"
    props.author = author
    props.last_modified_by = "coopkit"
    props.revision = 1
    props.created = props.modified = props.last_printed = document_date()


def _header(paragraph: Paragraph, left: str, right: str) -> None:
    """« left <tab> right » on one line, right-aligned at the text's edge, over a thin rule."""
    # The template's Header style has Letter-sized stops (centre 8.25 cm, right 16.5 cm):
    # the centre one would catch the tab, so the style keeps only a right stop, at A4's edge.
    tabs = paragraph.style.paragraph_format.tab_stops
    tabs.clear_all()
    tabs.add_tab_stop(TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT)
    run = paragraph.add_run(f"{left}\t{right}")
    run.font.size = Pt(9)
    run.font.color.rgb = GREY
    bottom_rule(paragraph)


def _page_footer(paragraph: Paragraph) -> None:
    """« Page X sur Y », centred: X and Y are Word fields, updated by Word and LibreOffice."""
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for text, field in (("Page ", "PAGE"), (" sur ", "NUMPAGES"), ("", None)):
        if text:
            run = paragraph.add_run(text)
            run.font.size = Pt(9)
            run.font.color.rgb = GREY
        if field:
            paragraph._p.append(_simple_field(field))


def _simple_field(instruction: str) -> OxmlElement:
    """<w:fldSimple w:instr="PAGE"><w:r><w:t>1</w:t></w:r></w:fldSimple>: a field whose
    result (the run) is a placeholder the application replaces when it lays out pages."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), f" {instruction} ")
    run = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), "18")  # half-points: 9 pt, as the text around it
    color = OxmlElement("w:color")
    color.set(qn("w:val"), str(GREY))
    rpr.extend([color, size])
    text = OxmlElement("w:t")
    text.text = "1"
    run.extend([rpr, text])
    field.append(run)
    return field


def bottom_rule(paragraph: Paragraph) -> None:
    """A thin grey rule under the paragraph (<w:pBdr><w:bottom/></w:pBdr>)."""
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("val", "single"), ("sz", "4"), ("space", "4"), ("color", str(GREY))):
        bottom.set(qn(f"w:{key}"), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def numbered_list(doc: Document, items: list[str]) -> list[Paragraph]:
    """Paragraphs numbered 1, 2, 3… from 1 whatever lists came before.

    The « List Number » style points at one numbering instance (<w:num>), which Word
    continues across the whole document. Each call adds a new instance of the same
    list definition whose level 0 starts over at 1 (<w:lvlOverride><w:startOverride>),
    and its paragraphs point at it (<w:numPr>).
    """
    numbering = doc.part.numbering_part.element
    style_num = doc.styles["List Number"].element.pPr.numPr.numId.val
    abstract = next(n for n in numbering.num_lst if n.numId == style_num).abstractNumId.val
    num = numbering.add_num(abstract)
    num.add_lvlOverride(ilvl=0).add_startOverride(1)
    paragraphs = []
    for item in items:
        paragraph = doc.add_paragraph(item, style="List Number")
        numpr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
        numpr.get_or_add_ilvl().val = 0
        numpr.get_or_add_numId().val = num.numId
        paragraphs.append(paragraph)
    return paragraphs


def checklist(
    doc: Document, items: list[str | tuple[str, str]], keep_together: bool = False
) -> None:
    """One « ☐ item » paragraph per item, hanging under its box; an item given as (text,
    detail) has the detail on a second line, small and grey (a file name). With
    ``keep_together`` the items stay on one page (a question's options)."""
    for number, entry in enumerate(items, start=1):
        item, detail = entry if isinstance(entry, tuple) else (entry, "")
        paragraph = doc.add_paragraph()
        paragraph.paragraph_format.keep_with_next = keep_together and number < len(items)
        paragraph.paragraph_format.left_indent = Cm(0.8)
        paragraph.paragraph_format.first_line_indent = Cm(-0.8)
        paragraph.paragraph_format.space_after = Pt(3)
        paragraph.paragraph_format.tab_stops.add_tab_stop(Cm(0.8))
        paragraph.add_run(f"{CHECKBOX}\t{item}")
        if detail:
            paragraph.add_run().add_break()
            run = paragraph.add_run(detail)
            run.font.size = Pt(9)
            run.font.color.rgb = GREY


def writing_lines(doc: Document, count: int) -> None:
    """``count`` lines to write on by hand, about 0.9 cm apart.

    Each line is a tab to a stop at the right margin with an underscore leader: a border
    under each paragraph would not do, as Word and LibreOffice draw one border around
    consecutive paragraphs that have the same borders.
    """
    for number in range(1, count + 1):
        paragraph = doc.add_paragraph()
        paragraph.paragraph_format.keep_with_next = number < count  # one block, one page
        # Space above rather than an exact line height, which LibreOffice ignores here.
        paragraph.paragraph_format.space_before = Pt(12)
        paragraph.paragraph_format.space_after = Pt(0)
        paragraph.paragraph_format.tab_stops.add_tab_stop(
            TEXT_WIDTH, WD_TAB_ALIGNMENT.RIGHT, WD_TAB_LEADER.LINES
        )
        run = paragraph.add_run("\t")
        run.font.color.rgb = GREY


def labelled(doc: Document, label: str, value: str) -> Paragraph:
    """« Label : value » with the label in bold."""
    paragraph = doc.add_paragraph()
    paragraph.add_run(french(f"{label} : ")).bold = True
    paragraph.add_run(value)
    return paragraph


def header_row(table) -> None:
    """Bold first row, repeated at the top of each page the table runs onto (<w:tblHeader>)."""
    row = table.rows[0]
    row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    for cell in row.cells:
        for run in cell.paragraphs[0].runs:
            run.bold = True


def rows_unbroken(table) -> None:
    """No row split across two pages (<w:cantSplit/>, first in <w:trPr>: none of the
    elements the schema puts before it is written here)."""
    for row in table.rows:
        row._tr.get_or_add_trPr().insert(0, OxmlElement("w:cantSplit"))


def column_widths(table, widths) -> None:
    """Fixed column widths (Word reads the cells' widths, LibreOffice the grid's)."""
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        for cell in column.cells:
            cell.width = width
        column.width = width


def _styles(doc: Document) -> None:
    """French language, the deck's font, navy headings."""
    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(11)
    normal.paragraph_format.space_after = Pt(4)
    rpr = normal.element.get_or_add_rPr()
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "fr-FR")
    for name in ("Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3"):
        style = doc.styles[name]
        style.font.name = FONT
        style.font.color.rgb = RGBColor(*NAVY)
