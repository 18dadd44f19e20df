"""Visuals drawn from the data as native, editable shapes: membership maps (freeform
outlines grouped as one picture-like object), with their legend and alt text."""

from __future__ import annotations

from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.util import Emu, Inches, Pt

from course.worldmap import MemberMap, member_map
from slides_builder import theme
from slides_builder.fit import Para, line_height, wrap
from slides_builder.layouts import Look
from slides_builder.shapes import INSET_X, INSET_Y, prepare_frame, set_alt_text, write_paragraphs
from slides_builder.timeline import Rect

MILLI_INCH = 914.4  # EMU: the maps' outlines are computed in thousandths of an inch
LAND = RGBColor(0xC9, 0xD0, 0xD9)  # countries that are not members
SEA = theme.PALE
BORDER = theme.WHITE
DOT = 0.16  # inches: a small member state's dot


def fill_accent(shape, look: Look) -> None:
    """The deck's accent: the built-in amber, or the template theme's (``Look.accent``)."""
    shape.fill.solid()
    shape.fill.fore_color.rgb = look.accent


def draw_member_map(slide, rect: Rect, members: list[str], alt_text: str, look: Look):
    """Draw the map of ``members`` filling ``rect`` as one group; returns the group and the
    map that was drawn."""
    drawn = member_map(members, rect.width / MILLI_INCH, rect.height / MILLI_INCH)
    shapes = slide.shapes
    sea = shapes.add_shape(MSO_SHAPE.RECTANGLE, rect.left, rect.top, rect.width, rect.height)
    sea.fill.solid()
    sea.fill.fore_color.rgb = SEA
    sea.line.fill.background()
    sea.name = "mer"
    sea.shadow.inherit = False
    parts = [sea]
    for area in drawn.areas:
        first, *others = area.rings
        builder = shapes.build_freeform(*first[0], scale=MILLI_INCH)
        builder.add_line_segments(first[1:], close=True)
        for ring in others:
            builder.move_to(*ring[0])
            builder.add_line_segments(ring[1:], close=True)
        shape = builder.convert_to_shape(rect.left, rect.top)
        shape.name = area.code or "terre"
        shape.shadow.inherit = False
        if area.member:
            fill_accent(shape, look)
        else:
            shape.fill.solid()
            shape.fill.fore_color.rgb = LAND
        shape.line.color.rgb = BORDER
        shape.line.width = Pt(0.5)
        parts.append(shape)
    size = Inches(DOT)
    for dot in drawn.dots:
        x = rect.left + Emu(int(dot.x * MILLI_INCH)) - size // 2
        y = rect.top + Emu(int(dot.y * MILLI_INCH)) - size // 2
        marker = shapes.add_shape(MSO_SHAPE.OVAL, x, y, size, size)
        marker.name = dot.code
        marker.shadow.inherit = False
        fill_accent(marker, look)
        marker.line.color.rgb = BORDER
        marker.line.width = Pt(1)
        parts.append(marker)
    group = shapes.add_group_shape(parts)
    group.name = "Carte des membres"
    set_alt_text(group, alt_text)
    return group, drawn


def _text_box(slide, left, top, width, paras, colour, typeface: str = theme.FONT) -> int:
    """A measured, unwrapped-by-the-renderer text box; returns its height in EMU."""
    inner = Emu(width).pt - 2 * INSET_X.pt
    height = sum(len(wrap(p.text, inner, p.size, p.bold)) * line_height(p.size) for p in paras)
    height = Pt(height + 2 * INSET_Y.pt + 2)
    box = slide.shapes.add_textbox(left, top, width, height)
    prepare_frame(box.text_frame)
    write_paragraphs(box.text_frame, paras, colour, typeface=typeface)
    return height


def map_key(slide, rect: Rect, members: str, drawn: MemberMap, source: str, look: Look):
    """The key beside a map: swatches with their meaning, then the source at the foot."""
    size = theme.SIZES.table
    swatch = Inches(0.3)
    entries = [("square", True, f"Membres : {members}")]
    if drawn.dots:
        entries.append(("dot", True, "Petits États membres"))
    entries.append(("square", False, "Autres pays"))
    if drawn.missing:
        entries.append((None, True, f"Hors carte (pas de tracé) : {len(drawn.missing)}"))
    top = rect.top
    text_left = rect.left + swatch + Inches(0.1)
    text_width = rect.right - text_left
    ink = look.ink
    for form, member, text in entries:
        height = _text_box(
            slide,
            text_left,
            top,
            text_width,
            [Para(text, size=size, bullet=None)],
            ink,
            look.body_font,  # the template's body font, like the source line below
        )
        first_line = Pt(line_height(size)) + INSET_Y
        y = top + (first_line + INSET_Y - swatch) // 2
        if form is None:
            top += height + Inches(0.12)
            continue
        if form == "dot":
            inset = (swatch - Inches(DOT)) // 2
            mark = slide.shapes.add_shape(
                MSO_SHAPE.OVAL, rect.left + inset, y + inset, Inches(DOT), Inches(DOT)
            )
        else:
            mark = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, rect.left, y, swatch, swatch)
        mark.line.fill.background()
        mark.shadow.inherit = False
        if member:
            fill_accent(mark, look)
        else:
            mark.fill.solid()
            mark.fill.fore_color.rgb = LAND
        set_alt_text(mark, "")
        top += height + Inches(0.12)
    small = theme.SIZES.caption
    inner = Emu(rect.width).pt - 2 * INSET_X.pt
    source_h = Pt(len(wrap(source, inner, small)) * line_height(small) + 2 * INSET_Y.pt + 2)
    _text_box(
        slide,
        rect.left,
        rect.bottom - source_h,
        rect.width,
        [Para(source, size=small, bullet=None)],
        look.muted,
        look.body_font,
    )


KEY_WIDTH = 3.0  # inches: the column beside a map that holds its key and source


def member_map_slide(
    deck,
    title: str,
    members: list[str],
    alt_text: str,
    count: str,
    source: str,
    notes: str,
    slide_id: str | None,
) -> None:
    """A slide holding a membership map, with its key and source in a column beside it."""
    slide = deck.visual_slide(title, "map", notes, slide_id)
    body = deck.body_rect
    key_w = Inches(KEY_WIDTH)
    gap = Inches(0.25)
    area = Rect(body.left, body.top, body.width - key_w - gap, body.height)
    _group, drawn = draw_member_map(slide, area, members, alt_text, deck.look)
    key = Rect(area.right + gap, body.top, key_w, body.height)
    map_key(slide, key, count, drawn, source, deck.look)
