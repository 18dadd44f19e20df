"""Visuals drawn from the data as native, editable shapes: membership maps (freeform
outlines grouped as one picture-like object), with their legend and alt text."""

from __future__ import annotations

import io
import re
import zipfile

from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION, XL_MARKER_STYLE
from pptx.enum.shapes import MSO_CONNECTOR, MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from course.typography import french
from course.worldmap import MemberMap, member_map
from slides_builder import theme
from slides_builder.fit import FitError, Para, line_height, text_width, wrap
from slides_builder.layouts import Look
from slides_builder.shapes import INSET_X, INSET_Y, prepare_frame, set_alt_text, write_paragraphs
from slides_builder.timeline import Rect
from slides_builder.writer import document_date

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
    label_width = rect.right - text_left
    ink = look.ink
    for form, member, text in entries:
        height = _text_box(
            slide,
            text_left,
            top,
            label_width,
            [Para(text, size=size, bullet=None)],
            ink,
            look.body_font,
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


# --- the forms diagram, the grid of cards, the membership chart ------------------------

GROUP_COLOURS = (  # (strong: bars, numbers; light: card fill, INK text on it ≥ 4.5:1)
    (theme.ACCENT, RGBColor(0xFD, 0xEB, 0xD7)),
    (theme.NAVY, theme.MIST),
    (RGBColor(0x2F, 0x6B, 0x3A), RGBColor(0xDF, 0xF0, 0xE3)),
    (RGBColor(0x5B, 0x3C, 0x88), RGBColor(0xEC, 0xE4, 0xF5)),
)
SERIES_COLOURS = (theme.ACCENT, theme.NAVY, GROUP_COLOURS[2][0], GROUP_COLOURS[3][0])


def _plain_shape(slide, kind, left, top, width, height, fill: RGBColor | None):
    shape = slide.shapes.add_shape(kind, left, top, width, height)
    if fill is None:
        shape.fill.background()
    else:
        shape.fill.solid()
        shape.fill.fore_color.rgb = fill
    shape.line.fill.background()
    shape.shadow.inherit = False
    return shape


def _write(
    shape, paras: list[Para], colour, typeface: str, anchor=MSO_ANCHOR.TOP, align=PP_ALIGN.LEFT
):
    frame = shape.text_frame
    prepare_frame(frame)
    frame.vertical_anchor = anchor
    write_paragraphs(frame, paras, colour, align=align, typeface=typeface)


def _lines_height(paras: list[Para], width_pt: float) -> float:
    """Points the paragraphs take in a frame ``width_pt`` wide (insets included)."""
    inner = width_pt - 2 * INSET_X.pt
    lines = sum(len(wrap(p.text, inner, p.size, p.bold)) * line_height(p.size) for p in paras)
    spaces = sum(p.space_before for p in paras[1:])
    return lines + spaces + 2 * INSET_Y.pt + 2


def forms_slide(deck, title: str, steps: list[tuple[str, str, str]], notes: str, slide_id: str):
    """Boxes left to right with arrows between (bilateral → … → global): each box holds the
    form's name, its few words and a line drawn from the dataset."""
    slide = deck.visual_slide(title, "forms", notes, slide_id)
    font = deck.look.body_font
    body = deck.body_rect
    count = len(steps)
    arrow_w = Inches(0.45)
    box_w = (body.width - (count - 1) * arrow_w) // count
    size = theme.SIZES.sub
    head_size = theme.SIZES.body
    width_pt = Emu(box_w).pt
    head_h = max(_lines_height([Para(n, size=head_size, bold=True)], width_pt) for n, _, _ in steps)
    text_h = max(
        _lines_height(
            [Para(t, size=size, bullet=None), Para(d, size=size - 2, space_before=10)], width_pt
        )
        for _, t, d in steps
    )
    box_h = Pt(head_h + text_h + 8)
    top = body.top + (body.height - box_h) // 2
    drawn = []
    shades = [GROUP_COLOURS[1][1], GROUP_COLOURS[1][1], theme.PALE, theme.PALE]
    for number, (name, text, data) in enumerate(steps):
        left = body.left + number * (box_w + arrow_w)
        box = _plain_shape(slide, MSO_SHAPE.RECTANGLE, left, top, box_w, box_h, shades[number % 4])
        head = _plain_shape(slide, MSO_SHAPE.RECTANGLE, left, top, box_w, Pt(head_h), theme.NAVY)
        _write(
            head,
            [Para(name, size=head_size, bold=True, bullet=None)],
            theme.WHITE,
            font,
            MSO_ANCHOR.MIDDLE,
            PP_ALIGN.CENTER,
        )
        text_box = slide.shapes.add_textbox(left, top + Pt(head_h) + Pt(4), box_w, Pt(text_h))
        _write(
            text_box,
            [
                Para(text, size=size, bullet=None),
                Para(data, size=size - 2, bullet=None, space_before=10),
            ],
            theme.INK,
            font,
        )
        drawn += [box, head, text_box]
        if number < count - 1:
            arrow = _plain_shape(
                slide,
                MSO_SHAPE.RIGHT_ARROW,
                left + box_w + Inches(0.06),
                top + box_h // 2 - Inches(0.22),
                arrow_w - Inches(0.12),
                Inches(0.44),
                theme.ACCENT,
            )
            drawn.append(arrow)
    group = slide.shapes.add_group_shape(drawn)
    group.name = "Schéma des formes"
    described = " → ".join(f"{name} ({text})" for name, text, _ in steps)
    set_alt_text(group, french(f"Schéma : {described}"))


def grid_slide(
    deck,
    title: str,
    cards: list[tuple[str, str | None, str | None]],
    notes: str,
    slide_id: str,
    numbered: bool = True,
):
    """Numbered cards in a grid (four columns for seven or more), coloured by group, with
    the groups' key under the grid."""
    slide = deck.visual_slide(title, "grid", notes, slide_id)
    font = deck.look.body_font
    body = deck.body_rect
    groups = list(dict.fromkeys(g for _, _, g in cards if g))
    colours = {g: GROUP_COLOURS[i % len(GROUP_COLOURS)] for i, g in enumerate(groups)}
    count = len(cards)
    columns = 4 if count >= 7 else 3 if count >= 5 else count
    rows = -(-count // columns)
    gap = Inches(0.2)
    key_h = Pt(line_height(theme.SIZES.table) + 2 * INSET_Y.pt + 2) if groups else 0
    card_w = (body.width - (columns - 1) * gap) // columns
    card_h = (body.height - key_h - (Inches(0.15) if groups else 0) - (rows - 1) * gap) // rows
    badge = Inches(0.46)
    text_w = Emu(card_w - Inches(0.3)).pt  # the words under the number, across the card
    fitted = None
    for with_numbers in dict.fromkeys([numbered, False]):  # numbers dropped if they crowd
        head = badge + Inches(0.2) if with_numbers else Inches(0.15)  # the number's band
        text_room = card_h - head - Inches(0.05)
        for size in (24, theme.SIZES.body, theme.SIZES.sub, theme.SIZES.small_sub, 16, 14):
            tallest = max(
                _lines_height(
                    [Para(t, size=size, bold=True)] + ([Para(x, size=size - 2)] if x else []),
                    text_w,
                )
                for t, x, _ in cards
            )
            if Pt(tallest) <= text_room:
                fitted = (with_numbers, head, text_room, size)
                break
        if fitted:
            break
    if fitted is None:
        raise FitError(f"a card's words are too long for the grid: « {title} »")
    numbered, head, text_room, size = fitted
    drawn = []
    for number, (card_title, text, group) in enumerate(cards):
        strong, light = colours.get(group, (theme.NAVY, theme.PALE))
        row, column = divmod(number, columns)
        left = body.left + column * (card_w + gap)
        top = body.top + row * (card_h + gap)
        card = _plain_shape(slide, MSO_SHAPE.RECTANGLE, left, top, card_w, card_h, light)
        bar = _plain_shape(slide, MSO_SHAPE.RECTANGLE, left, top, Inches(0.08), card_h, strong)
        drawn += [card, bar]
        if numbered:
            circle = _plain_shape(
                slide, MSO_SHAPE.OVAL, left + Inches(0.2), top + Inches(0.12), badge, badge, strong
            )
            _write(
                circle,
                [Para(str(number + 1), size=size, bold=True, bullet=None)],
                theme.WHITE,
                font,
                MSO_ANCHOR.MIDDLE,
                PP_ALIGN.CENTER,
            )
            circle.text_frame.margin_left = circle.text_frame.margin_right = 0
            drawn.append(circle)
        words = slide.shapes.add_textbox(
            left + Inches(0.18),
            top + head,
            card_w - Inches(0.3),
            text_room,
        )
        paras = [Para(card_title, size=size, bold=True, bullet=None)]
        if text:
            paras.append(Para(text, size=size - 2, bullet=None, space_before=4))
        _write(words, paras, theme.INK, font)
        drawn.append(words)
    group_shape = slide.shapes.add_group_shape(drawn)
    group_shape.name = "Grille"
    described = " ; ".join(f"{n}. {t}" for n, (t, _, _) in enumerate(cards, start=1))
    set_alt_text(group_shape, french(f"Grille de {count} cartes : {described}"))
    if groups:
        left = body.left
        top = body.bottom - key_h
        for name in groups:
            strong, _ = colours[name]
            swatch = Inches(0.25)
            _plain_shape(
                slide,
                MSO_SHAPE.RECTANGLE,
                left,
                top + (key_h - swatch) // 2,
                swatch,
                swatch,
                strong,
            )
            width = Pt(text_width(name, theme.SIZES.table) + 2 * INSET_X.pt + 6)
            label = slide.shapes.add_textbox(left + swatch + Inches(0.05), top, width, key_h)
            _write(
                label,
                [Para(name, size=theme.SIZES.table, bullet=None)],
                theme.INK,
                font,
                MSO_ANCHOR.MIDDLE,
            )
            left += swatch + width + Inches(0.35)


def _chart_option(parent, tag: str, value: str, before: tuple[str, ...] = ()) -> None:
    """Set ``<c:tag val=value>`` under ``parent`` (python-pptx has no API for it), placed
    before the first of ``before`` present (the schema's order)."""
    element = parent.find(qn(tag))
    if element is None:
        element = parent.makeelement(qn(tag), {})
        anchor = next((parent.find(qn(b)) for b in before if parent.find(qn(b)) is not None), None)
        if anchor is None:
            parent.append(element)
        else:
            anchor.addprevious(element)
    element.set("val", value)


def _reproducible_workbook(frame) -> None:
    """Give the chart's embedded workbook the documents' fixed date (XlsxWriter stamps the
    time of the build), so that the same input gives the same bytes."""
    part = frame.chart_part.chart_workbook.xlsx_part
    stamp = document_date().strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    source = zipfile.ZipFile(io.BytesIO(part.blob))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", stamp, data)
            target.writestr(info, data)
    part._blob = out.getvalue()


def chart_slide(
    deck,
    title: str,
    series: list[tuple[str, list[tuple[int, int]]]],
    caption: str,
    notes: str,
    slide_id: str,
):
    """Member counts over time: one line per process on a native (editable) line chart whose
    categories are every year of the span, so that the years keep their distances; a line
    spans the years with no figure."""
    slide = deck.visual_slide(title, "chart", notes, slide_id)
    body = deck.body_rect
    years = [y for _, points in series for y, _ in points]
    first, last = min(years) // 5 * 5, max(years)
    data = CategoryChartData(number_format="0")
    # Every year is a category (so years keep their distances); only every fifth is named,
    # as LibreOffice ignores the axis's « tickLblSkip » that PowerPoint honours.
    data.categories = [str(y) if y % 5 == 0 else "" for y in range(first, last + 1)]
    for name, points in series:
        counts = dict(points)
        data.add_series(name, [counts.get(year) for year in range(first, last + 1)])
    caption_h = deck._caption_height(caption, theme.SIZES.caption) if caption else 0
    frame = slide.shapes.add_chart(
        XL_CHART_TYPE.LINE_MARKERS,
        body.left,
        body.top,
        body.width,
        body.height - caption_h - Inches(0.1),
        data,
    )
    _reproducible_workbook(frame)
    chart = frame.chart
    chart.font.size = Pt(theme.SIZES.table)
    chart.font.name = deck.look.body_font
    chart.has_legend = True
    chart.legend.position = XL_LEGEND_POSITION.BOTTOM
    chart.legend.include_in_layout = False
    _chart_option(
        chart._chartSpace.chart, "c:dispBlanksAs", "span", ("c:showDLblsOverMax", "c:extLst")
    )
    x_axis, y_axis = chart.category_axis, chart.value_axis
    x_axis.has_major_gridlines = False
    for tag in ("c:tickLblSkip", "c:tickMarkSkip"):
        _chart_option(x_axis._element, tag, "5", ("c:noMultiLvlLbl", "c:extLst"))
    y_axis.minimum_scale = 0
    y_axis.has_major_gridlines = True
    y_axis.major_gridlines.format.line.color.rgb = LAND
    y_axis.tick_labels.number_format = "0"
    y_axis.tick_labels.number_format_is_linked = False
    for number, plot_series in enumerate(chart.plots[0].series):
        colour = SERIES_COLOURS[number % len(SERIES_COLOURS)]
        plot_series.format.line.color.rgb = colour
        plot_series.format.line.width = Pt(3)
        plot_series.smooth = False
        marker = plot_series.marker
        marker.style = XL_MARKER_STYLE.CIRCLE
        marker.size = 10
        marker.format.fill.solid()
        marker.format.fill.fore_color.rgb = colour
        marker.format.line.color.rgb = colour
        labels = plot_series.data_labels
        labels.show_value = True
        labels.position = XL_LABEL_POSITION.ABOVE
        labels.font.size = Pt(theme.SIZES.table)
        labels.font.bold = True
        labels.font.color.rgb = colour
    described = " ; ".join(
        f"{name} : " + ", ".join(f"{count} en {year}" for year, count in points)
        for name, points in series
    )
    set_alt_text(frame, french(f"Graphique du nombre de membres : {described}"))
    if caption:
        deck._caption(slide, caption, theme.SIZES.caption)


def events_slide(
    deck, title: str, events: list[tuple[int, str]], caption: str, notes: str, slide_id: str
):
    """A chronology: events evenly spaced on an axis, in date order, labels alternately above
    and below, each as wide as two steps and wrapped (so ten events fit one slide)."""
    slide = deck.visual_slide(title, "chronology", notes, slide_id)
    font = deck.look.body_font
    body = deck.body_rect
    caption_h = deck._caption_height(caption, theme.SIZES.caption) if caption else 0
    events = sorted(events)
    count = len(events)
    step = body.width // (count + 1)  # a step of margin at each end holds half a label
    label_w = min(2 * step - Inches(0.15), Inches(3.2))
    year_size, size = theme.SIZES.sub, theme.SIZES.table
    width_pt = Emu(label_w).pt
    label_h = Pt(
        max(
            _lines_height([Para(str(y), size=year_size, bold=True), Para(t, size=size)], width_pt)
            for y, t in events
        )
    )
    stem = Inches(0.3)
    area_h = body.height - caption_h - Inches(0.1)
    axis_y = body.top + area_h // 2
    if 2 * (label_h + stem) > area_h:
        raise FitError(f"a chronology's labels are too long for the slide: « {title} »")
    shapes = slide.shapes
    axis = shapes.add_connector(MSO_CONNECTOR.STRAIGHT, body.left, axis_y, body.right, axis_y)
    axis.line.color.rgb = deck.look.ink
    axis.line.width = Pt(2.5)
    drawn = [axis]
    dot = Inches(0.2)
    for number, (year, label) in enumerate(events):
        x = body.left + step * (number + 1)
        above = number % 2 == 0
        top = axis_y - stem - label_h if above else axis_y + stem
        left = min(max(x - label_w // 2, body.left), body.right - label_w)
        stem_line = shapes.add_connector(
            MSO_CONNECTOR.STRAIGHT, x, axis_y, x, axis_y - stem if above else axis_y + stem
        )
        stem_line.line.color.rgb = deck.look.muted
        stem_line.line.width = Pt(1.25)
        marker = _plain_shape(
            slide, MSO_SHAPE.OVAL, x - dot // 2, axis_y - dot // 2, dot, dot, deck.look.accent
        )
        box = shapes.add_textbox(left, top, label_w, label_h)
        _write(
            box,
            [
                Para(str(year), size=year_size, bold=True, bullet=None),
                Para(label, size=size, bullet=None, space_before=0),
            ],
            deck.look.ink,
            font,
            MSO_ANCHOR.BOTTOM if above else MSO_ANCHOR.TOP,
            PP_ALIGN.CENTER,
        )
        drawn += [stem_line, marker, box]
    group = shapes.add_group_shape(drawn)
    group.name = "Chronologie"
    described = " ; ".join(f"{year} : {label}" for year, label in events)
    set_alt_text(group, french(f"Chronologie : {described}"))
    if caption:
        deck._caption(slide, caption, theme.SIZES.caption)
