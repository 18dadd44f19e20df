"""One module → one deck: slides placed in named layouts, text measured to fit.

``DeckWriter`` knows layouts, geometry and styling (the built-in theme or an
organisation's template); ``module_deck`` walks the module and says which slides
to make. Every slide gets a title in its title placeholder (first in reading order),
and text that does not fit continues on a « (suite) » slide.
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_CONNECTOR, MSO_SHAPE, PP_PLACEHOLDER
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.exc import PackageNotFoundError
from pptx.slide import Slide, SlideLayout
from pptx.util import Emu, Inches, Pt

from course import models
from course.course import Course
from course.presenting import cite, profile_rows, short_source_title
from course.typography import french
from slides_builder import theme
from slides_builder.fit import (
    FitError,
    Para,
    fit_lines,
    line_height,
    paginate,
    text_width,
    wrap,
)
from slides_builder.questions import module_questions, word
from slides_builder.shapes import (
    INSET_X,
    INSET_Y,
    delete_all_slides,
    move_to_front_of_reading_order,
    prepare_frame,
    remove_shape,
    set_alt_text,
    write_paragraphs,
)
from slides_builder.theme import SIZES

LAYOUT_NAMES = {
    "cover": ("Title Slide", "Diapositive de titre", "Titre"),
    "section": ("Section Header", "En-tête de section", "Titre de section"),
    "content": ("Title and Content", "Titre et contenu"),
    "title_only": ("Title Only", "Titre seul"),
}
TITLE_TYPES = (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)
BODY_TYPES = (PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT, PP_PLACEHOLDER.SUBTITLE)
SUITE = french(" (suite)")
BULLET_INDENT = 20.0  # points from the frame's edge to a bullet's text
SUB_INDENT = 46.0
LEAD_EXTRA = 4  # points added to a lead line
CELL_MARGIN_X = Pt(5.8)
CELL_MARGIN_Y = Pt(3.6)


def document_date() -> datetime:
    """The fixed date written into documents: SOURCE_DATE_EPOCH if set, else 2000-01-01."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC).replace(tzinfo=None)
    return datetime(2000, 1, 1)


def _pt(emu: int) -> float:
    return Emu(emu).pt


class TemplateError(ValueError):
    """A template lacks what the builder needs (a layout with a title and a body)."""


def _open_template(path: Path):
    """Open an organisation's template, or say why it cannot be used."""
    try:
        return Presentation(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise TemplateError(
            f"cannot open it as a PowerPoint presentation ({exc}); "
            "a .potx template must first be saved as .pptx"
        ) from None


@dataclass(frozen=True)
class Rect:
    """A box on the slide, in EMU."""

    left: int
    top: int
    width: int
    height: int

    @property
    def right(self) -> int:
        return self.left + self.width

    @property
    def bottom(self) -> int:
        return self.top + self.height


@dataclass(frozen=True)
class SlideRecord:
    """What a built slide holds, for the facilitator guide and for tests."""

    number: int
    title: str
    kind: str
    notes: str
    slide_id: str | None = None


def _rect(shape) -> Rect:
    return Rect(int(shape.left), int(shape.top), int(shape.width), int(shape.height))


def _placeholder(container, types) -> object | None:
    return next((p for p in container.placeholders if p.placeholder_format.type in types), None)


class DeckWriter:
    """Makes the slides of one deck in the built-in theme or in an organisation's template."""

    def __init__(self, course: Course, template: Path | None = None):
        self.course = course
        self.builtin = template is None
        self.prs = _open_template(template) if template else Presentation()
        if self.builtin:
            self._restyle_default_template()
        else:
            delete_all_slides(self.prs)
        self.layouts = self._pick_layouts()
        self.body_rect = _rect(_placeholder(self.layouts["content"], BODY_TYPES))
        self.footer_rect, self.number_rect = self._footer_rects()
        self.records: list[SlideRecord] = []

    # --- layouts and geometry ------------------------------------------------------

    def _restyle_default_template(self) -> None:
        """16:9 and the built-in geometry, set on the default template's layouts."""
        prs = self.prs
        prs.slide_width, prs.slide_height = Inches(theme.SLIDE_WIDTH), Inches(theme.SLIDE_HEIGHT)
        width = theme.SLIDE_WIDTH
        inner = width - 2 * theme.MARGIN
        bar = (0, 0, width, theme.TITLE_BAR_HEIGHT)
        body = (theme.MARGIN, theme.BODY_TOP, inner, theme.BODY_BOTTOM - theme.BODY_TOP)
        footer = (theme.MARGIN, theme.FOOTER_TOP, inner - 2.2, theme.FOOTER_HEIGHT)
        number = (width - theme.MARGIN - 2.0, theme.FOOTER_TOP, 2.0, theme.FOOTER_HEIGHT)
        geometry = {
            "Title Slide": {0: (0.8, 1.9, width - 1.6, 2.0), 1: (0.8, 4.2, width - 1.6, 1.6)},
            "Section Header": {0: (0.8, 2.2, width - 1.6, 1.8), 1: (0.8, 4.2, width - 1.6, 1.2)},
            "Title and Content": {0: bar, 1: body},
            "Title Only": {0: bar},
        }
        for layout in prs.slide_layouts:
            boxes = {**geometry.get(layout.name, {}), 11: footer, 12: number}
            for placeholder in layout.placeholders:
                box = boxes.get(placeholder.placeholder_format.idx)
                if box is None:
                    box = (theme.MARGIN, theme.BODY_TOP, inner, theme.BODY_BOTTOM - theme.BODY_TOP)
                left, top, w, h = (Inches(v) for v in box)
                placeholder.left, placeholder.top, placeholder.width, placeholder.height = (
                    left,
                    top,
                    w,
                    h,
                )

    def _pick_layouts(self) -> dict[str, SlideLayout]:
        by_name = {layout.name.casefold(): layout for layout in self.prs.slide_layouts}
        found = {
            role: next((by_name[n.casefold()] for n in names if n.casefold() in by_name), None)
            for role, names in LAYOUT_NAMES.items()
        }
        if found["content"] is None:
            found["content"] = next(
                (
                    layout
                    for layout in self.prs.slide_layouts
                    if _placeholder(layout, TITLE_TYPES) and _placeholder(layout, BODY_TYPES)
                ),
                None,
            )
        if found["content"] is None:
            names = ", ".join(f"« {layout.name} »" for layout in self.prs.slide_layouts)
            raise TemplateError(
                "the template has no layout with a title and a body placeholder "
                f"(expected « Title and Content » or « Titre et contenu »; it has {names})"
            )
        return {role: layout or found["content"] for role, layout in found.items()}

    def _footer_rects(self) -> tuple[Rect, Rect]:
        layout = self.layouts["content"]
        footer = _placeholder(layout, (PP_PLACEHOLDER.FOOTER,))
        number = _placeholder(layout, (PP_PLACEHOLDER.SLIDE_NUMBER,))
        if footer is not None and number is not None:
            return _rect(footer), _rect(number)
        # No footer placeholders: a strip under the body, inside the slide.
        top = self.body_rect.bottom + Inches(0.1)
        height = max(Inches(0.3), min(Inches(0.4), self.prs.slide_height - top - Inches(0.05)))
        body = self.body_rect
        return (
            Rect(body.left, top, body.width - Inches(2.2), height),
            Rect(body.right - Inches(2.0), top, Inches(2.0), height),
        )

    # --- slides ----------------------------------------------------------------------

    def _new_slide(
        self, role: str, title: str, kind: str, notes: str, slide_id: str | None
    ) -> Slide:
        slide = self.prs.slides.add_slide(self.layouts[role])
        shape = slide.shapes.title
        if shape is None:  # a layout chosen by name may still lack a title placeholder
            raise TemplateError(f"layout « {self.layouts[role].name} » has no title placeholder")
        move_to_front_of_reading_order(shape)
        self._write_title(shape, title, role)
        if notes:
            slide.notes_slide.notes_text_frame.text = notes
        self.records.append(SlideRecord(len(self.prs.slides), title, kind, notes, slide_id))
        return slide

    def _write_title(self, shape, title: str, role: str) -> None:
        frame = shape.text_frame
        prepare_frame(
            frame,
            inset_x=Inches(theme.MARGIN)
            if role in ("content", "title_only") and self.builtin
            else INSET_X,
        )
        inner_w = _pt(shape.width - frame.margin_left - frame.margin_right)
        inner_h = _pt(shape.height - frame.margin_top - frame.margin_bottom)
        sizes = SIZES.cover_title if role in ("cover", "section") else SIZES.title
        size, lines = fit_lines(title, inner_w, inner_h, sizes, bold=True)
        if len(lines) * line_height(size) > inner_h:
            raise FitError(f"title too long for its box even at {size} pt: « {title} »")
        colour = None
        if self.builtin:
            colour = theme.WHITE if role != "cover" else theme.NAVY
            if role in ("content", "title_only"):
                shape.fill.solid()
                shape.fill.fore_color.rgb = theme.NAVY
        frame.vertical_anchor = MSO_ANCHOR.MIDDLE if role != "section" else MSO_ANCHOR.BOTTOM
        write_paragraphs(frame, [Para(title, size=size, bold=True, bullet=None)], colour)

    def _body(self, slide: Slide):
        return _placeholder(slide, BODY_TYPES)

    def _drop_empty_placeholders(self, slide: Slide) -> None:
        for placeholder in list(slide.placeholders):
            if placeholder.placeholder_format.type in TITLE_TYPES:
                continue
            if not (placeholder.has_text_frame and placeholder.text_frame.text.strip()):
                remove_shape(placeholder)

    def _background(self, slide: Slide, colour: RGBColor) -> None:
        if self.builtin:
            slide.background.fill.solid()
            slide.background.fill.fore_color.rgb = colour

    def cover(self, title: str, subtitle: str, notes: str) -> None:
        """The title slide."""
        slide = self._new_slide("cover", title, "cover", notes, None)
        body = self._body(slide)
        if body is not None:
            frame = body.text_frame
            prepare_frame(frame)
            inner_w = _pt(body.width) - 2 * INSET_X.pt
            size, _ = fit_lines(
                subtitle, inner_w, _pt(body.height) - 2 * INSET_Y.pt, (SIZES.cover_subtitle, 20, 18)
            )
            paras = [Para(line, size=size, bullet=None) for line in subtitle.split("\n")]
            write_paragraphs(frame, paras, theme.INK if self.builtin else None)
            frame.vertical_anchor = MSO_ANCHOR.TOP
        if self.builtin:
            rule = slide.shapes.add_shape(
                MSO_SHAPE.RECTANGLE, Inches(0.9), Inches(4.0), Inches(1.6), Inches(0.08)
            )
            rule.fill.solid()
            rule.fill.fore_color.rgb = theme.ACCENT
            rule.line.fill.background()
            set_alt_text(rule, "")
        self._drop_empty_placeholders(slide)

    def divider(self, title: str, subtitle: str, notes: str, slide_id: str | None) -> None:
        """A section divider."""
        slide = self._new_slide("section", title, "divider", notes, slide_id)
        self._background(slide, theme.NAVY)
        body = self._body(slide)
        if body is not None and subtitle:
            prepare_frame(body.text_frame)
            write_paragraphs(
                body.text_frame,
                [Para(subtitle, size=SIZES.cover_subtitle, bullet=None)],
                theme.MIST if self.builtin else None,
            )
            body.text_frame.vertical_anchor = MSO_ANCHOR.TOP
        self._drop_empty_placeholders(slide)

    def bullets(
        self,
        title: str,
        make_blocks: Callable[[int, int], list[list[Para]]],
        notes: str,
        kind: str,
        slide_id: str | None = None,
    ) -> None:
        """Bullet slides: shrunk a little if that makes them fit one slide, else continued."""
        width = _pt(self.body_rect.width) - 2 * INSET_X.pt
        height = _pt(self.body_rect.height) - 2 * INSET_Y.pt
        pages = paginate(make_blocks(SIZES.body, SIZES.sub), width, height)
        if len(pages) > 1:
            smaller = paginate(make_blocks(SIZES.small_body, SIZES.small_sub), width, height)
            if len(smaller) == 1:
                pages = smaller
        for number, page in enumerate(pages):
            page_title = title if number == 0 else title + SUITE
            slide = self._new_slide("content", page_title, kind, notes, slide_id)
            body = self._body(slide)
            if body is None:
                raise TemplateError(f"layout « {self.layouts['content'].name} » has no body")
            body.left, body.top = self.body_rect.left, self.body_rect.top
            body.width, body.height = self.body_rect.width, self.body_rect.height
            prepare_frame(body.text_frame)
            body.text_frame.vertical_anchor = MSO_ANCHOR.TOP
            write_paragraphs(
                body.text_frame,
                page,
                theme.INK if self.builtin else None,
                theme.ACCENT if self.builtin else None,
            )
            self._drop_empty_placeholders(slide)

    def table(
        self,
        title: str,
        rows: list[list[str]],
        notes: str,
        kind: str,
        slide_id: str | None = None,
        header: list[str] | None = None,
        widths: list[float] | None = None,
        label_column: bool = False,
    ) -> list[int]:
        """Table slides (header repeated, rows split across « (suite) » slides when needed).

        ``widths`` are shares of the body width. Returns the numbers of the slides made.
        """
        size = SIZES.table
        columns = len(header or rows[0])
        shares = widths or _column_shares(header, rows, size)
        col_widths = [int(self.body_rect.width * share) for share in shares]
        inner = [_pt(w - 2 * CELL_MARGIN_X) for w in col_widths]
        pad = 2 * CELL_MARGIN_Y.pt + 2

        def cell_lines(row: list[str], bold_first: bool) -> list[list[str]]:
            return [
                wrap(text, inner[i], size, bold=bold_first and i == 0) for i, text in enumerate(row)
            ]

        def row_height(lines: list[list[str]]) -> float:
            return max(len(c) for c in lines) * line_height(size) + pad

        available = _pt(self.body_rect.height)
        head_lines = [wrap(t, inner[i], size, True) for i, t in enumerate(header)] if header else []
        head_h = row_height(head_lines) if header else 0.0
        pages: list[list[tuple[list[str], float]]] = [[]]
        used = head_h
        for row in rows:
            label = row[0]
            lines = cell_lines(row, label_column)
            while lines:
                room = available - used
                height = row_height(lines)
                if height <= room:
                    pages[-1].append((row, height))
                    used += height
                    break
                fit = int((room - pad) // line_height(size))
                fits_alone = height <= available - head_h
                if pages[-1] and (fits_alone or fit < 2):  # whole rows move to the next slide
                    pages.append([])
                    used = head_h
                    continue
                if fit < 1:
                    raise FitError(f"a table row is too tall for a slide: « {row[0]} »")
                first = [" ".join(c[:fit]) for c in lines]
                rest = [c[fit:] for c in lines]
                pages[-1].append((first, row_height([c[:fit] for c in lines])))
                row = [
                    " ".join(c) if c else (label + SUITE if i == 0 else "")
                    for i, c in enumerate(rest)
                ]
                lines = cell_lines(row, label_column)
                pages.append([])
                used = head_h
        made = []
        for number, page in enumerate(p for p in pages if p):
            page_title = title if number == 0 else title + SUITE
            slide = self._new_slide("title_only", page_title, kind, notes, slide_id)
            self._drop_empty_placeholders(slide)
            all_rows = ([(header, head_h)] if header else []) + page
            total = sum(h for _, h in all_rows)
            shape = slide.shapes.add_table(
                len(all_rows),
                columns,
                self.body_rect.left,
                self.body_rect.top,
                self.body_rect.width,
                Pt(total),
            )
            table = shape.table
            table.first_row = bool(header)
            table.horz_banding = False
            for i, width in enumerate(col_widths):
                table.columns[i].width = width
            for r, (cells, height) in enumerate(all_rows):
                table.rows[r].height = Pt(height)
                is_header = bool(header) and r == 0
                for c, text in enumerate(cells):
                    self._fill_cell(
                        table.cell(r, c), text, size, is_header, label_column and c == 0
                    )
            set_alt_text(shape, french(f"Tableau : {page_title}"))
            made.append(len(self.prs.slides))
        return made

    def _fill_cell(self, cell, text: str, size: int, header: bool, label: bool) -> None:
        cell.margin_left = cell.margin_right = CELL_MARGIN_X
        cell.margin_top = cell.margin_bottom = CELL_MARGIN_Y
        cell.vertical_anchor = MSO_ANCHOR.TOP
        fill, colour = (
            (theme.NAVY, theme.WHITE)
            if header
            else ((theme.PALE, theme.INK) if label else (theme.WHITE, theme.INK))
        )
        cell.fill.solid()
        cell.fill.fore_color.rgb = fill
        write_paragraphs(
            cell.text_frame, [Para(text, size=size, bold=header or label, bullet=None)], colour
        )

    def timeline(
        self, title: str, entries: list[tuple[int, str]], caption: str, notes: str, slide_id: str
    ) -> None:
        """A drawn timeline (axis, markers, labels in non-overlapping lanes) with alt text."""
        entries = sorted(entries)
        placed = _place_labels(entries, self._timeline_area(caption))
        if placed is None:
            half = len(entries) // 2
            if half < 1:
                raise FitError(f"a timeline label is wider than the slide: {entries}")
            self.timeline(title, entries[:half], caption, notes, slide_id)
            self.timeline(title + SUITE, entries[half:], caption, notes, slide_id)
            return
        slide = self._new_slide("title_only", title, "timeline", notes, slide_id)
        self._drop_empty_placeholders(slide)
        area, axis_y, labels = placed
        group = slide.shapes.add_group_shape()
        axis = group.shapes.add_connector(
            MSO_CONNECTOR.STRAIGHT, area.left, axis_y, area.right, axis_y
        )
        _line(axis, theme.INK, 2)
        for (year, label), (box, marker_x) in zip(entries, labels, strict=True):
            stem_y = box.bottom if box.bottom <= axis_y else box.top
            stem = group.shapes.add_connector(
                MSO_CONNECTOR.STRAIGHT, marker_x, axis_y, marker_x, stem_y
            )
            _line(stem, theme.MUTED, 1)
            dot = Inches(0.18)
            marker = group.shapes.add_shape(
                MSO_SHAPE.OVAL, marker_x - dot // 2, axis_y - dot // 2, dot, dot
            )
            marker.fill.solid()
            marker.fill.fore_color.rgb = theme.ACCENT
            marker.line.fill.background()
            text = group.shapes.add_textbox(box.left, box.top, box.width, box.height)
            prepare_frame(text.text_frame)
            write_paragraphs(
                text.text_frame,
                [
                    Para(str(year), size=SIZES.table, bold=True, bullet=None),
                    Para(label, size=SIZES.table, bullet=None, space_before=0),
                ],
                theme.INK,
                align=PP_ALIGN.CENTER,
            )
        described = " ; ".join(f"{year} : {label}" for year, label in entries)
        set_alt_text(group, french(f"Frise chronologique des dates de création : {described}"))
        if caption:
            self._caption(slide, caption)

    def _caption_height(self, caption: str) -> int:
        width = _pt(self.body_rect.width) - 2 * INSET_X.pt
        lines = wrap(caption, width, SIZES.table)
        return Pt(len(lines) * line_height(SIZES.table) + 2 * INSET_Y.pt + 2)

    def _timeline_area(self, caption: str) -> Rect:
        body = self.body_rect
        reserved = self._caption_height(caption) + Inches(0.1) if caption else 0
        return Rect(body.left, body.top, body.width, body.height - reserved)

    def _caption(self, slide: Slide, caption: str) -> None:
        height = self._caption_height(caption)
        body = self.body_rect
        box = slide.shapes.add_textbox(body.left, body.bottom - height, body.width, height)
        prepare_frame(box.text_frame)
        write_paragraphs(
            box.text_frame,
            [Para(caption, size=SIZES.table, bullet=None)],
            theme.MUTED if self.builtin else None,
        )

    # --- finishing ---------------------------------------------------------------------

    def finish(self, footer: str, title: str) -> None:
        """Footer and slide number on every slide but the cover; document properties."""
        total = len(self.prs.slides)
        for number, slide in enumerate(self.prs.slides, start=1):
            if number == 1:
                continue
            dark = self.builtin and self.records[number - 1].kind == "divider"
            colour = theme.MIST if dark else (theme.MUTED if self.builtin else None)
            self._footer_box(slide, self.footer_rect, footer, PP_ALIGN.LEFT, colour)
            self._footer_box(slide, self.number_rect, f"{number} / {total}", PP_ALIGN.RIGHT, colour)
        props = self.prs.core_properties
        props.title = title
        props.language = "fr-FR"
        props.author = self.course.info.organisation or self.course.info.title
        props.last_modified_by = "coopkit"
        props.revision = 1
        props.created = props.modified = props.last_printed = document_date()

    def _footer_box(self, slide: Slide, rect: Rect, text: str, align, colour) -> None:
        inner_w = _pt(rect.width) - 2 * INSET_X.pt
        size = SIZES.footer
        while text_width(text, size) > inner_w and len(text) > 1:
            text = text[:-2].rstrip() + "…"
        box = slide.shapes.add_textbox(rect.left, rect.top, rect.width, rect.height)
        prepare_frame(box.text_frame)
        box.text_frame.word_wrap = False
        box.text_frame.vertical_anchor = MSO_ANCHOR.MIDDLE
        write_paragraphs(box.text_frame, [Para(text, size=size, bullet=None)], colour, align=align)


def _line(connector, colour: RGBColor, width_pt: float) -> None:
    connector.line.color.rgb = colour
    connector.line.width = Pt(width_pt)


def _column_shares(header: list[str] | None, rows: list[list[str]], size: int) -> list[float]:
    """Column widths proportional to their longest text (capped), none below a fifth of even."""
    columns = len(header or rows[0])
    wants = []
    for c in range(columns):
        texts = ([header[c]] if header else []) + [row[c] for row in rows]
        wants.append(max(min(text_width(t, size), 400.0) for t in texts) + 12)
    total = sum(wants)
    floor = 0.2 / columns
    shares = [max(w / total, floor) for w in wants]
    scale = sum(shares)
    return [s / scale for s in shares]


def _place_labels(entries: list[tuple[int, str]], area: Rect):
    """Put each label in the nearest lane (above, below, further…) where it overlaps nothing.

    Returns (area, axis y, [(label box, marker x)]) or None when the labels cannot all fit.
    """
    size = SIZES.table
    label_h = Pt(2 * line_height(size) + 2 * INSET_Y.pt + 4)
    widths = [
        Pt(max(text_width(str(y), size, True), text_width(label, size)) + 2 * INSET_X.pt + 6)
        for y, label in entries
    ]
    if max(widths) > area.width:
        return None
    axis_y = area.top + area.height // 2
    stem = Inches(0.25)
    gap = Inches(0.08)
    lanes_per_side = int((area.height // 2 - stem) // (label_h + gap))
    if lanes_per_side < 1:
        return None
    years = [y for y, _ in entries]
    first, last = min(years), max(years)
    pad = max(widths) // 2
    span = max(last - first, 1)
    usable = area.width - 2 * pad
    lanes: dict[tuple[int, int], list[Rect]] = {}
    stems: list[tuple[int, int, int]] = []  # x, side, lane: a stem crosses nearer lanes
    placed = []
    for (year, _), width in zip(entries, widths, strict=True):
        x = area.left + pad + int(usable * (year - first) / span)
        left = min(max(x - width // 2, area.left), area.right - width)
        choice = None
        for depth in range(lanes_per_side):
            for side in (-1, 1):
                top = (
                    axis_y - stem - (depth + 1) * label_h - depth * gap
                    if side < 0
                    else axis_y + stem + depth * (label_h + gap)
                )
                box = Rect(left, top, width, label_h)
                clear = all(
                    box.right + gap <= other.left or other.right + gap <= box.left
                    for d in range(depth + 1)
                    for other in lanes.get((side, d), [])
                    if d == depth or other.left - gap <= x <= other.right + gap
                ) and not any(
                    s == side and d < depth and left - gap <= sx <= left + width + gap
                    for sx, s, d in stems
                )
                if clear:
                    choice = (side, depth, box)
                    break
            if choice:
                break
        if choice is None:
            return None
        side, depth, box = choice
        lanes.setdefault((side, depth), []).append(box)
        stems.append((x, side, depth))
        placed.append((box, x))
    return area, axis_y, placed


# --- the module, slide by slide --------------------------------------------------------


def _bullet_blocks(bullets: list[models.Bullet], subtitle: str | None = None):
    def make(body: int, sub: int) -> list[list[Para]]:
        blocks = []
        if subtitle:
            blocks.append([Para(subtitle, size=body, bold=True, bullet=None)])
        for bullet in bullets:
            block = [Para(bullet.text, size=body, indent=BULLET_INDENT)]
            block += [
                Para(text, level=1, size=sub, bullet="–", indent=SUB_INDENT, space_before=3)
                for text in bullet.sub
            ]
            blocks.append(block)
        return blocks

    return make


def _plain_blocks(lines: list[tuple[str, bool, bool]], lead: bool = False):
    """Blocks from (text, bold, bulleted) lines; with ``lead``, the first line is larger
    (a quiz question, a quotation)."""

    def make(body: int, sub: int) -> list[list[Para]]:
        return [
            [
                Para(
                    text,
                    size=body + LEAD_EXTRA if lead and number == 0 else body,
                    bold=bold,
                    bullet="•" if bulleted else None,
                    indent=BULLET_INDENT if bulleted else 0.0,
                    space_before=12.0 if number == 1 and lead else 6.0,
                )
            ]
            for number, (text, bold, bulleted) in enumerate(lines)
        ]

    return make


def _minutes(value: int) -> str:
    return f"{value // 60} h {value % 60:02d}"


def agenda(module: models.Module) -> list[tuple[str, int]]:
    """The workshop's parts in order with their minutes (sections without a duration share
    what the module's duration leaves)."""
    after: dict[str, list[models.Activity]] = {}
    loose = []
    slide_ids = {slide.id: section.id for section in module.sections for slide in section.slides}
    for activity in module.activities:
        if activity.after_slide in slide_ids:
            after.setdefault(slide_ids[activity.after_slide], []).append(activity)
        else:
            loose.append(activity)
    known = sum(s.duration_minutes or 0 for s in module.sections)
    known += sum(a.duration_minutes for a in module.activities)
    unknown = [s for s in module.sections if s.duration_minutes is None]
    share = max(module.duration_minutes - known, 0) // len(unknown) if unknown else 0
    parts = []
    for section in module.sections:
        parts.append((section.title, section.duration_minutes or share))
        parts += [
            (french(f"Activité : {a.title}"), a.duration_minutes) for a in after.get(section.id, [])
        ]
    parts += [(french(f"Activité : {a.title}"), a.duration_minutes) for a in loose]
    return parts


def agenda_lines(module: models.Module) -> list[str]:
    """Agenda lines with clock times from the start, e.g. « 0 h 00 – 0 h 20 · Introduction »."""
    lines, start = [], 0
    for title, minutes in agenda(module):
        end = start + minutes
        lines.append(f"{_minutes(start)} – {_minutes(end)} · {title} ({minutes} min)")
        start = end
    return lines


def _activity_lines(activity: models.Activity) -> list[tuple[str, bool, bool]]:
    lines = [
        (french(f"Objectif : {activity.goal}"), False, False),
        (
            french(f"Format : {activity.format} — durée : {activity.duration_minutes} min"),
            False,
            False,
        ),
        ("Consignes", True, False),
    ]
    lines += [(f"{n}. {step}", False, False) for n, step in enumerate(activity.instructions, 1)]
    if activity.materials:
        lines.append((french("Matériel : " + " ; ".join(activity.materials)), False, False))
    return lines


def _activity_notes(activity: models.Activity) -> str:
    debrief = "\n".join(f"– {point}" for point in activity.debrief)
    return french(f"Objectif : {activity.goal}\nDébriefing :\n{debrief}")


def _timeline_caption(course: Course, processes: list[models.Process]) -> str:
    cited = list(dict.fromkeys(cite(course, p.founded) for p in processes if p.founded))
    return french("Source : " + " ; ".join(cited)) if cited else ""


def module_deck(
    course: Course, module: models.Module, template: Path | None = None
) -> tuple[Presentation, list[SlideRecord]]:
    """Build the deck of one module; returns the presentation and what each slide holds."""
    deck = DeckWriter(course, template)
    info = course.info
    deck.cover(
        french(f"Thème {module.number} : {module.title}"),
        "\n".join(
            filter(
                None,
                [
                    module.subtitle,
                    info.title,
                    info.organisation,
                    french(f"Durée : {module.duration_minutes} min"),
                ],
            )
        ),
        module.summary or "",
    )
    deck.bullets(
        "Objectifs",
        _plain_blocks([(o, False, True) for o in module.objectives]),
        french("Présenter les objectifs ; demander aux participants leurs attentes."),
        "objectives",
    )
    deck.bullets(
        "Programme",
        _plain_blocks([(line, False, True) for line in agenda_lines(module)]),
        french(f"Durée totale prévue : {module.duration_minutes} min."),
        "agenda",
    )
    shown_sources: list[str] = list(module.sources)
    after: dict[str, list[models.Activity]] = {}
    for activity in module.activities:
        after.setdefault(activity.after_slide or "", []).append(activity)
    timed = dict(agenda(module))
    for number, section in enumerate(module.sections, start=1):
        deck.divider(
            section.title,
            f"Partie {number} · {timed.get(section.title, 0)} min",
            french(f"Partie {number} : {section.title}."),
            section.id,
        )
        for slide in section.slides:
            shown_sources += _slide(deck, course, slide)
            for activity in after.pop(slide.id, []):
                _activity(deck, activity)
    for activities in after.values():
        for activity in activities:
            _activity(deck, activity)
    _quiz(deck, course, module)
    points = module.key_points or module.objectives
    deck.bullets(
        "À retenir",
        _plain_blocks([(p, False, True) for p in points]),
        french("Reprendre les points clés ; répondre aux dernières questions."),
        "summary",
    )
    sources = [course.sources[s] for s in dict.fromkeys(shown_sources) if s in course.sources]
    deck.bullets(
        "Sources",
        _plain_blocks(
            [
                (
                    ", ".join(filter(None, [s.title, s.publisher, s.date or str(s.year)])),
                    False,
                    True,
                )
                for s in sources
            ]
        ),
        "Les chiffres datés indiquent leur source et leur année sur chaque diapositive.",
        "sources",
    )
    deck.finish(
        info.footer or info.title, french(f"{info.title} — Thème {module.number} : {module.title}")
    )
    return deck.prs, deck.records


def _slide(deck: DeckWriter, course: Course, slide) -> list[str]:
    """Make the slides of one content-model slide; returns the source ids it shows."""
    notes = slide.notes or ""
    if isinstance(slide, models.ContentSlide):
        deck.bullets(
            slide.title, _bullet_blocks(slide.bullets, slide.subtitle), notes, "content", slide.id
        )
        return list(slide.sources)
    if isinstance(slide, models.ProcessSlide):
        process = course.processes[slide.process]
        named = f"({process.acronym})" in process.name  # « … (Processus de Bali) » already
        title = slide.title or (process.name if named else f"{process.name} ({process.acronym})")
        rows = [list(row) for row in profile_rows(course, process)]
        deck.table(
            title,
            rows,
            notes or process.summary or "",
            "process",
            slide.id,
            widths=[0.3, 0.7],
            label_column=True,
        )
        return [*slide.sources, *process.sources]
    if isinstance(slide, models.TimelineSlide):
        processes = [course.processes[p] for p in slide.timeline]
        entries = [(p.founded.year, p.acronym) for p in processes if p.founded]
        deck.timeline(slide.title, entries, _timeline_caption(course, processes), notes, slide.id)
        return [*slide.sources, *(p.founded.source for p in processes if p.founded)]
    if isinstance(slide, models.QuoteSlide):
        quote = slide.quote
        lines = [(f"« {quote.text} »", False, False)]
        attribution = ", ".join(
            filter(None, [quote.author, short_source_title(course, quote.source)])
        )
        lines.append((f"— {attribution}", True, False))
        deck.bullets(
            slide.title,
            _plain_blocks([(french(t), b, u) for t, b, u in lines], lead=True),
            notes,
            "quote",
            slide.id,
        )
        return [*slide.sources, quote.source]
    if isinstance(slide, models.TableSlide):
        deck.table(
            slide.title,
            [list(r) for r in slide.table.rows],
            notes,
            "table",
            slide.id,
            header=list(slide.table.columns),
        )
        return list(slide.sources)
    raise TypeError(f"unknown slide {slide!r}")  # pragma: no cover


def _activity(deck: DeckWriter, activity: models.Activity) -> None:
    deck.bullets(
        french(f"Activité : {activity.title}"),
        _plain_blocks(_activity_lines(activity)),
        _activity_notes(activity),
        "activity",
        activity.id,
    )


def _quiz(deck: DeckWriter, course: Course, module: models.Module) -> None:
    questions = module_questions(course, module)
    if not questions:
        return
    total = len(questions)
    deck.divider(
        "Quiz",
        f"{total} question{'s' if total > 1 else ''}",
        french("Quiz en salle : lire chaque question, laisser répondre, puis montrer la réponse."),
        None,
    )
    for number, question in enumerate(questions, start=1):
        worded = word(question)
        lines = [(question.prompt, True, False)]
        if worded.instruction:
            lines.append((worded.instruction, False, False))
        lines += [(option, False, False) for option in worded.options]
        key = " ; ".join(worded.answer)
        deck.bullets(
            f"Question {number} sur {total}",
            _plain_blocks(lines, lead=True),
            french(f"Réponse : {key}\n{question.explanation}"),
            "question",
            question.id,
        )
        answer_lines = [(question.prompt, True, False)]
        answer_lines += [(line, False, True) for line in worded.answer]
        answer_lines += [(question.explanation, False, False)]
        taught = course.slides.get(question.slide)
        back = getattr(taught.slide, "title", None) if taught else None
        deck.bullets(
            f"Réponse {number} sur {total}",
            _plain_blocks(answer_lines),
            french(
                f"{question.explanation}" + (f"\nVoir la diapositive « {back} »." if back else "")
            ),
            "answer",
            question.id,
        )
