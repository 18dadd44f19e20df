"""Small python-pptx helpers for what 1.0.2 has no API for (alt text, bullets, deleting slides)."""

from __future__ import annotations

import re
from copy import deepcopy
from dataclasses import replace

from pptx.enum.lang import MSO_LANGUAGE_ID
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.enum.text import PP_ALIGN
from pptx.opc.constants import CONTENT_TYPE as CT
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.opc.packuri import PackURI
from pptx.oxml import parse_xml
from pptx.oxml.ns import nsdecls, qn
from pptx.oxml.text import CT_RegularTextRun
from pptx.parts.slide import NotesSlidePart
from pptx.presentation import Presentation
from pptx.shapes.base import BaseShape
from pptx.slide import Slide, SlideLayout
from pptx.text.text import TextFrame, _Paragraph
from pptx.util import Emu, Pt

from slides_builder.fit import Para, line_height
from slides_builder.theme import FONT

INSET_X = Pt(7.2)  # text frame insets, set explicitly so measurement and rendering agree
INSET_Y = Pt(3.6)
BULLET_HANG = 20.0  # points between a bullet and its text


def set_alt_text(shape: BaseShape, text: str) -> None:
    """Set a shape's alternative text (``descr`` of its ``cNvPr``: what screen readers say)."""
    shape._element.xpath("./*[1]/p:cNvPr")[0].set("descr", text)


def remove_shape(shape: BaseShape) -> None:
    """Delete a shape from its slide."""
    element = shape._element
    element.getparent().remove(element)


def move_to_front_of_reading_order(shape: BaseShape) -> None:
    """Make a shape the first one of its slide (screen readers read shapes in tree order)."""
    element = shape._element
    tree = element.getparent()
    tree.remove(element)
    tree.insert(2, element)  # after nvGrpSpPr and grpSpPr


def delete_all_slides(prs: Presentation) -> None:
    """Remove every slide (a template's samples); python-pptx has no delete API."""
    id_list = prs.slides._sldIdLst
    for slide_id in list(id_list):
        prs.part.drop_rel(slide_id.get(qn("r:id")))
        id_list.remove(slide_id)


def prepare_frame(frame: TextFrame, inset_x: int = INSET_X, inset_y: int = INSET_Y) -> None:
    """Fixed insets, word wrap, no autofit: the builder has measured the text already."""
    frame.word_wrap = True
    frame.margin_left = frame.margin_right = inset_x
    frame.margin_top = frame.margin_bottom = inset_y
    body = frame._txBody.bodyPr
    for child in list(body):
        if child.tag in (qn("a:normAutofit"), qn("a:spAutoFit"), qn("a:noAutofit")):
            body.remove(child)
    body.append(body.makeelement(qn("a:noAutofit"), {}))


def style_run(run, size: float, bold: bool = False, colour=None, typeface: str = FONT) -> None:
    """Font, size, weight, colour and French language of a run."""
    font = run.font
    font.name = typeface
    font.size = Pt(size)
    font.bold = bold
    font.language_id = MSO_LANGUAGE_ID.FRENCH
    run._r.get_or_add_rPr().set("cap", "none")  # some layouts capitalise titles
    if colour is not None:
        font.color.rgb = colour


def _set_bullet(paragraph: _Paragraph, para: Para, colour, typeface: str) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    ppr.set("marL", str(Emu(Pt(para.indent))))
    hanging = min(para.indent, BULLET_HANG)  # the bullet hangs left of the text
    ppr.set("indent", str(-Emu(Pt(hanging)) if para.bullet else 0))
    for tag in ("a:buClr", "a:buFont", "a:buChar", "a:buNone", "a:buAutoNum"):
        for old in ppr.findall(qn(tag)):
            ppr.remove(old)
    if not para.bullet:
        ppr.append(ppr.makeelement(qn("a:buNone"), {}))
        return
    if colour is not None:
        clr = ppr.makeelement(qn("a:buClr"), {})
        clr.append(clr.makeelement(qn("a:srgbClr"), {"val": str(colour)}))
        ppr.append(clr)
    ppr.append(ppr.makeelement(qn("a:buFont"), {"typeface": typeface}))
    ppr.append(ppr.makeelement(qn("a:buChar"), {"char": para.bullet}))


def write_paragraphs(
    frame: TextFrame,
    paras: list[Para],
    colour=None,
    bullet_colour=None,
    align=PP_ALIGN.LEFT,
    typeface: str = FONT,
) -> None:
    """Replace a frame's text with measured paragraphs (exact spacing, explicit bullets)."""
    tx_body = frame._txBody
    paragraphs = tx_body.findall(_P)
    style = (colour, bullet_colour, align, typeface)
    if paragraphs and len(paragraphs[0]):  # the first paragraph has properties to keep
        _write_paragraphs_slowly(frame, paras, *style)
        return
    for paragraph in paragraphs:
        tx_body.remove(paragraph)
    for number, para in enumerate(paras):
        tx_body.append(_paragraph_element(para, number == 0, style))


_P = qn("a:p")
_T = qn("a:t")
_PROTOTYPES: dict[tuple, object] = {}


def _paragraph_element(para: Para, first: bool, style: tuple):
    """A new ``a:p`` for ``para``: a copy of one written once by python-pptx for the same
    style (the property setters are slow and the XML must not change), with its text."""
    key = (replace(para, text=""), first, style)
    prototype = _PROTOTYPES.get(key)
    if prototype is None:
        scratch = TextFrame(parse_xml(_SCRATCH_BODY), None)
        paras = [Para("", size=para.size)] * (not first) + [replace(para, text="")]
        _write_paragraphs_slowly(scratch, paras, *style)
        prototype = _PROTOTYPES[key] = scratch._txBody.findall(_P)[-1]
    paragraph = deepcopy(prototype)
    paragraph.find(f"{qn('a:r')}/{_T}").text = CT_RegularTextRun._escape_ctrl_chars(para.text)
    return paragraph


_SCRATCH_BODY = f"<a:txBody {nsdecls('a')}><a:bodyPr/><a:lstStyle/><a:p/></a:txBody>"


def _write_paragraphs_slowly(
    frame: TextFrame, paras: list[Para], colour, bullet_colour, align, typeface: str
) -> None:
    """The same paragraphs written with python-pptx's property setters."""
    frame.clear()
    for number, para in enumerate(paras):
        paragraph = frame.paragraphs[0] if number == 0 else frame.add_paragraph()
        paragraph.level = para.level
        paragraph.line_spacing = Pt(line_height(para.size))
        paragraph.space_before = Pt(0 if number == 0 else para.space_before)
        paragraph.space_after = Pt(0)
        _set_bullet(paragraph, para, bullet_colour or colour, typeface)
        paragraph.alignment = align
        run = paragraph.add_run()
        run.text = para.text
        style_run(run, para.size, para.bold, colour, typeface)


class SlideMaker:
    """Adds slides and notes slides the way python-pptx does, but copies the placeholders
    python-pptx cloned for the first slide of each layout (and the first notes slide)
    instead of cloning them again, which took half the build time."""

    def __init__(self, prs: Presentation):
        self.prs = prs
        self._placeholders: dict[object, list] = {}  # layout part → placeholder elements
        self._notes: tuple | None = None  # (prototype element, notes master part, last number)

    def add_slide(self, layout: SlideLayout) -> Slide:
        """A new slide with the layout's placeholders, appended to the presentation."""
        placeholders = self._placeholders.get(layout.part)
        if placeholders is None:
            slide = self.prs.slides.add_slide(layout)
            tree = slide.shapes._spTree
            self._placeholders[layout.part] = [deepcopy(sp) for sp in tree[_FRESH_TREE_LENGTH:]]
            return slide
        rid, slide = self.prs.part.add_slide(layout)
        tree = slide.shapes._spTree
        for placeholder in placeholders:
            tree.append(deepcopy(placeholder))
        self.prs.slides._sldIdLst.add_sldId(rid)
        return slide

    def set_notes(self, slide: Slide, text: str) -> None:
        """Give a slide its notes slide, holding ``text``."""
        if self._notes is None:
            notes = slide.notes_slide
            part = notes.part
            number = int(re.search(r"(\d+)\.xml$", part.partname).group(1))
            master = part.part_related_by(RT.NOTES_MASTER)
            self._notes = (deepcopy(notes._element), master, number)
        else:
            prototype, master, number = self._notes
            number += 1
            self._notes = (prototype, master, number)
            partname = PackURI(f"/ppt/notesSlides/notesSlide{number}.xml")
            package = slide.part.package
            part = NotesSlidePart(partname, CT.PML_NOTES_SLIDE, package, deepcopy(prototype))
            part.relate_to(master, RT.NOTES_MASTER)
            part.relate_to(slide.part, RT.SLIDE)
            slide.part.relate_to(part, RT.NOTES_SLIDE)
            notes = part.notes_slide
        body = next(
            (e for e, kind in placeholder_elements(notes) if kind == PP_PLACEHOLDER.BODY), None
        )
        if body is None:  # python-pptx's own look-up (and error)
            notes.notes_text_frame.text = text
        else:  # the notes placeholder, as ``notes_text_frame`` finds it
            TextFrame(body.get_or_add_txBody(), None).text = text


_FRESH_TREE_LENGTH = 2  # a new slide's shape tree: nvGrpSpPr and grpSpPr


def add_textbox_copy(slide: Slide, prototype, text: str) -> None:
    """Add a copy of a one-run text box (``prototype``, an ``add_textbox`` shape element)
    holding ``text``, numbered and named as ``add_textbox`` would."""
    shape = deepcopy(prototype)
    shape_id = slide.shapes._next_shape_id
    properties = shape.find(f"{qn('p:nvSpPr')}/{qn('p:cNvPr')}")
    properties.set("id", str(shape_id))
    properties.set("name", f"TextBox {shape_id - 1}")
    slide.shapes._spTree.insert_element_before(set_single_run_text(shape, text), "p:extLst")


def set_single_run_text(element, text: str):
    """Set the text of the one run of a shape or table cell element; return the element."""
    runs = list(element.iter(qn("a:r")))
    if len(runs) != 1:
        raise ValueError(f"expected one text run, found {len(runs)}")
    runs[0].find(_T).text = CT_RegularTextRun._escape_ctrl_chars(text)
    return element


_PLACEHOLDER_PATH = f"*/{qn('p:nvPr')}/{qn('p:ph')}"  # under a shape's non-visual properties


def placeholder_elements(slide) -> list[tuple[object, PP_PLACEHOLDER]]:
    """Each placeholder shape element of a slide (or notes slide) with its type, in tree
    order (what ``slide.placeholders`` yields, read without building a proxy per shape)."""
    found = []
    for shape in slide.shapes._spTree.iter_shape_elms():
        ph = shape.find(_PLACEHOLDER_PATH)
        if ph is not None:
            found.append((shape, PP_PLACEHOLDER.from_xml(ph.get("type", "obj"))))
    return found


def has_visible_text(shape) -> bool:
    """Whether a shape element is a text shape holding some non-blank text."""
    if shape.tag != qn("p:sp"):
        return False
    return any(t.text and t.text.strip() for t in shape.iter(_T))
