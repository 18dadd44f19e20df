"""Making slides: named layouts, measured text, tables, timelines, footers.

``DeckWriter`` knows layouts, geometry and styling (the built-in theme or an
organisation's template) and nothing of the course's structure (``deck.py`` decides
which slides to make). Every slide gets a title in its title placeholder, first in
reading order, and text that does not fit continues on a « (suite) » slide.
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Callable
from copy import deepcopy
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_CONNECTOR, MSO_SHAPE, PP_PLACEHOLDER
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.exc import PackageNotFoundError
from pptx.slide import Slide
from pptx.text.text import TextFrame
from pptx.util import Emu, Inches, Pt

from course.course import Course
from course.typography import french
from slides_builder import theme
from slides_builder.density import MAX_WORDS
from slides_builder.fit import (
    FitError,
    Para,
    count_words,
    fit_lines,
    line_height,
    text_width,
    wrap,
)
from slides_builder.fit import paginate as fit_pages
from slides_builder.layouts import (
    BUILTIN_LOOK,
    TemplateError,
    pick_layouts,
    template_look,
)
from slides_builder.shapes import (
    INSET_X,
    INSET_Y,
    SlideMaker,
    add_textbox_copy,
    delete_all_slides,
    has_visible_text,
    move_to_front_of_reading_order,
    placeholder_elements,
    prepare_frame,
    set_alt_text,
    set_single_run_text,
    write_paragraphs,
)
from slides_builder.theme import ROOMY_SIZES, SIZES
from slides_builder.timeline import LABEL_SIZES, Rect, place_labels

TITLE_TYPES = (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)
# The text placeholder under a slide's title: a body, or a cover's or divider's subtitle.
BODY_TYPES = (PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT, PP_PLACEHOLDER.SUBTITLE)
SUITE = french(" (suite)")
CELL_MARGIN_X = Pt(5.8)
CELL_MARGIN_Y = Pt(3.6)
BALANCE_STEP = 12.0  # points: how much less per slide each try of a balanced table split


def document_date() -> datetime:
    """The fixed date written into documents: SOURCE_DATE_EPOCH if set, else 2000-01-01."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC).replace(tzinfo=None)
    return datetime(2000, 1, 1)


def _pt(emu: int) -> float:
    return Emu(emu).pt


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

    def __init__(
        self,
        course: Course,
        template: Path | None = None,
        layout_map: dict[str, str] | None = None,
    ):
        self.course = course
        self.builtin = template is None
        self.prs = _open_template(template) if template else Presentation()
        if self.builtin:
            self._restyle_default_template()
            self.look = BUILTIN_LOOK
        else:
            delete_all_slides(self.prs)
            self.look = template_look(self.prs)
        self.layouts = pick_layouts(self.prs, layout_map)
        self.slide_maker = SlideMaker(self.prs)
        self._footer_prototypes: dict[tuple, object] = {}
        self._cell_prototypes: dict[tuple, object] = {}
        self._prepared_titles: dict[str, tuple] = {}  # role → (title element, inner size)
        self._prepared_body = None  # the content layout's body, placed and prepared
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

    def _footer_rects(self) -> tuple[Rect, Rect]:
        layout = self.layouts["content"]
        footer = _placeholder(layout, (PP_PLACEHOLDER.FOOTER,))
        number = _placeholder(layout, (PP_PLACEHOLDER.SLIDE_NUMBER,))
        if footer is not None and number is not None:
            return self._widened(layout, _rect(footer), _rect(number)), _rect(number)
        # No footer placeholders: a strip under the body, inside the slide.
        top = self.body_rect.bottom + Inches(0.1)
        height = max(Inches(0.3), min(Inches(0.4), self.prs.slide_height - top - Inches(0.05)))
        body = self.body_rect
        return (
            Rect(body.left, top, body.width - Inches(2.2), height),
            Rect(body.right - Inches(2.0), top, Inches(2.0), height),
        )

    def _widened(self, layout, footer: Rect, number: Rect) -> Rect:
        """The footer's box widened over the date's (the decks write no date) up to the
        slide number, so the footer's text is not cut in a template's narrow box."""
        date = _placeholder(layout, (PP_PLACEHOLDER.DATE,))
        left = footer.left
        if date is not None and _rect(date).left < left and _same_row(_rect(date), footer):
            left = _rect(date).left
        right = footer.right
        if number.left >= footer.right and _same_row(number, footer):
            right = number.left - Inches(0.1)
        return Rect(left, footer.top, max(right - left, footer.width), footer.height)

    # --- slides ----------------------------------------------------------------------

    def _new_slide(
        self, role: str, title: str, kind: str, notes: str, slide_id: str | None
    ) -> Slide:
        slide = self.slide_maker.add_slide(self.layouts[role])
        shape = slide.shapes.title
        if shape is None:  # a layout chosen by name may still lack a title placeholder
            raise TemplateError(f"layout « {self.layouts[role].name} » has no title placeholder")
        move_to_front_of_reading_order(shape)
        self._write_title(shape, title, role)
        if notes:
            self.slide_maker.set_notes(slide, notes)
        self.records.append(SlideRecord(len(self.prs.slides), title, kind, notes, slide_id))
        return slide

    def _write_title(self, shape, title: str, role: str) -> None:
        prepared = self._prepared_titles.get(role)
        if prepared is None:
            inner = self._prepare_title(shape, role)
            element = shape._element
            self._prepared_titles[role] = (deepcopy(element), inner)
        else:  # a copy of the first title of this role, prepared the same way
            prototype, inner = prepared
            element = deepcopy(prototype)
            shape._element.getparent().replace(shape._element, element)
        inner_w, inner_h = inner
        sizes = SIZES.cover_title if role in ("cover", "section") else SIZES.title
        size, lines = fit_lines(title, inner_w, inner_h, sizes, bold=True)
        if len(lines) * line_height(size) > inner_h:
            raise FitError(f"title too long for its box even at {size} pt: « {title} »")
        colour = None
        if self.builtin:
            colour = theme.WHITE if role != "cover" else theme.NAVY
        paras = [Para(title, size=size, bold=True, bullet=None)]
        write_paragraphs(
            TextFrame(element.txBody, None), paras, colour, typeface=self.look.heading_font
        )

    def _prepare_title(self, shape, role: str) -> tuple[float, float]:
        """Insets, fill and anchor of a title placeholder; returns its inner width and height."""
        frame = shape.text_frame
        prepare_frame(
            frame,
            inset_x=Inches(theme.MARGIN)
            if role in ("content", "title_only") and self.builtin
            else INSET_X,
        )
        inner_w = _pt(shape.width - frame.margin_left - frame.margin_right)
        inner_h = _pt(shape.height - frame.margin_top - frame.margin_bottom)
        if self.builtin and role in ("content", "title_only"):
            shape.fill.solid()
            shape.fill.fore_color.rgb = theme.NAVY
        frame.vertical_anchor = MSO_ANCHOR.MIDDLE if role != "section" else MSO_ANCHOR.BOTTOM
        return inner_w, inner_h

    def _body(self, slide: Slide):
        for element, kind in placeholder_elements(slide):
            if kind in BODY_TYPES:
                return slide.shapes._shape_factory(element)
        return None

    def _drop_empty_placeholders(self, slide: Slide) -> None:
        for element, kind in placeholder_elements(slide):
            if kind not in TITLE_TYPES and not has_visible_text(element):
                element.getparent().remove(element)

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
            write_paragraphs(
                frame, paras, theme.INK if self.builtin else None, typeface=self.look.body_font
            )
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
                typeface=self.look.body_font,
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
        limit_words: bool = False,
    ) -> None:
        """Bullet slides: shrunk a little if that saves a slide, else continued on balanced
        « (suite) » slides (``fit.paginate``). With ``limit_words`` (the builder's own lists:
        sources, programme), no slide carries more than ``density.MAX_WORDS`` words."""
        width = _pt(self.body_rect.width) - 2 * INSET_X.pt
        height = _pt(self.body_rect.height) - 2 * INSET_Y.pt
        budget = MAX_WORDS - count_words(title + SUITE) if limit_words else None

        def paginate(blocks: list[list[Para]]) -> list[list[Para]]:
            return fit_pages(blocks, width, height, budget)

        for body_size, sub_size in ROOMY_SIZES:  # a short slide in larger type
            pages = paginate(make_blocks(body_size, sub_size))
            if len(pages) == 1:
                break
        else:
            pages = paginate(make_blocks(SIZES.body, SIZES.sub))
        if len(pages) > 1:  # the next smaller size first, if it saves a slide
            smaller = paginate(make_blocks(SIZES.small_body, SIZES.small_sub))
            if len(smaller) < len(pages):
                pages = smaller
        for number, page in enumerate(pages):
            page_title = title if number == 0 else title + SUITE
            slide = self._new_slide("content", page_title, kind, notes, slide_id)
            body = self._body(slide)
            if body is None:
                raise TemplateError(f"layout « {self.layouts['content'].name} » has no body")
            if self._prepared_body is None:
                body.left, body.top = self.body_rect.left, self.body_rect.top
                body.width, body.height = self.body_rect.width, self.body_rect.height
                prepare_frame(body.text_frame)
                body.text_frame.vertical_anchor = MSO_ANCHOR.TOP
                self._prepared_body = deepcopy(body._element)
                element = body._element
            else:  # a copy of the first body, placed and prepared the same way
                element = deepcopy(self._prepared_body)
                body._element.getparent().replace(body._element, element)
            write_paragraphs(
                TextFrame(element.txBody, None),
                page,
                theme.INK if self.builtin else None,
                theme.ACCENT if self.builtin else None,
                typeface=self.look.body_font,
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
        caption: str | None = None,
    ) -> list[int]:
        """Table slides (header repeated, rows split across « (suite) » slides when needed).

        ``widths`` are shares of the body width; ``caption`` (the sources) goes at the foot
        of each slide in small type. Returns the numbers of the slides made.
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
        if caption:
            available -= _pt(self._caption_height(caption, SIZES.caption) + Inches(0.1))
        head_lines = [wrap(t, inner[i], size, True) for i, t in enumerate(header)] if header else []
        head_h = row_height(head_lines) if header else 0.0

        def paginate_rows(limit: float) -> list[list[tuple[list[str], float]]]:
            """Rows (or parts of a long row) per slide, each slide at most ``limit`` high."""
            available = limit
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
                    pieces = [_split_list_text(c, fit) for c in lines]
                    first = [head for head, _ in pieces]
                    pages[-1].append((first, row_height(cell_lines(first, label_column))))
                    row = [
                        tail or (label + SUITE if i == 0 else "")
                        for i, (_, tail) in enumerate(pieces)
                    ]
                    lines = cell_lines(row, label_column)
                    pages.append([])
                    used = head_h
            return [page for page in pages if page]

        pages = paginate_rows(available)
        # Balanced slides: the least height per slide that needs no more slides, so that a
        # continuation never holds a lone row.
        limit = available
        while len(pages) > 1 and limit - BALANCE_STEP > available / len(pages):
            try:
                trial = paginate_rows(limit - BALANCE_STEP)
            except FitError:
                break
            if len(trial) > len(pages):
                break
            limit -= BALANCE_STEP
            pages = trial
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
            if caption:
                self._caption(slide, caption, SIZES.caption)
            made.append(len(self.prs.slides))
        return made

    def _fill_cell(self, cell, text: str, size: int, header: bool, label: bool) -> None:
        key = (size, header, label)
        if key in self._cell_prototypes:  # a cell styled as before but for its text
            copy = set_single_run_text(deepcopy(self._cell_prototypes[key]), text)
            cell._tc.getparent().replace(cell._tc, copy)
            return
        self._style_cell(cell, text, size, header, label)
        self._cell_prototypes[key] = deepcopy(cell._tc)

    def _style_cell(self, cell, text: str, size: int, header: bool, label: bool) -> None:
        cell.margin_left = cell.margin_right = CELL_MARGIN_X
        cell.margin_top = cell.margin_bottom = CELL_MARGIN_Y
        cell.vertical_anchor = MSO_ANCHOR.TOP
        look = self.look
        fill, colour = (
            (look.header_fill, look.header_text)
            if header
            else ((look.label_fill, look.label_text) if label else (look.background, look.ink))
        )
        cell.fill.solid()
        cell.fill.fore_color.rgb = fill
        write_paragraphs(
            cell.text_frame,
            [Para(text, size=size, bold=header or label, bullet=None)],
            colour,
            typeface=look.body_font,
        )

    def timeline(
        self, title: str, entries: list[tuple[int, str]], caption: str, notes: str, slide_id: str
    ) -> None:
        """A drawn timeline (axis, markers, labels in non-overlapping lanes) with alt text.

        Labels are made smaller (down to ``LABEL_SIZES[-1]``) before a timeline is split.
        """
        entries = sorted(entries)
        area = self._timeline_area(caption)
        placed, size = None, LABEL_SIZES[0]
        for size in LABEL_SIZES:
            placed = place_labels(entries, area, size)
            if placed is not None:
                break
        if placed is None:
            half = len(entries) // 2
            if half < 1:
                raise FitError(f"a timeline label is wider than the slide: {entries}")
            self.timeline(title, entries[:half], caption, notes, slide_id)
            self.timeline(title + SUITE, entries[half:], caption, notes, slide_id)
            return
        slide = self._new_slide("title_only", title, "timeline", notes, slide_id)
        self._drop_empty_placeholders(slide)
        axis_y, labels = placed
        # Drawn on the slide, then grouped at once: a shape added to a group makes
        # python-pptx measure the whole group again, which took most of a timeline's time.
        shapes = slide.shapes
        axis = shapes.add_connector(MSO_CONNECTOR.STRAIGHT, area.left, axis_y, area.right, axis_y)
        _line(axis, self.look.ink, 2)
        drawn = [axis]
        for (year, label), spot in zip(entries, labels, strict=True):
            box, marker_x = spot.box, spot.marker_x
            stem_y = box.bottom if box.bottom <= axis_y else box.top
            stem = shapes.add_connector(MSO_CONNECTOR.STRAIGHT, marker_x, axis_y, marker_x, stem_y)
            _line(stem, self.look.muted, 1)
            dot = Inches(0.18)
            marker = shapes.add_shape(
                MSO_SHAPE.OVAL, marker_x - dot // 2, axis_y - dot // 2, dot, dot
            )
            marker.fill.solid()
            marker.fill.fore_color.rgb = self.look.accent
            marker.line.fill.background()
            text = shapes.add_textbox(box.left, box.top, box.width, box.height)
            prepare_frame(text.text_frame)
            write_paragraphs(
                text.text_frame,
                [
                    Para(str(year), size=size, bold=True, bullet=None),
                    Para(label, size=size, bullet=None, space_before=0),
                ],
                self.look.ink,
                align=PP_ALIGN.CENTER,
                typeface=self.look.body_font,
            )
            drawn += [stem, marker, text]
        group = shapes.add_group_shape(drawn)
        described = " ; ".join(f"{year} : {label}" for year, label in entries)
        set_alt_text(group, french(f"Frise chronologique des dates de création : {described}"))
        if caption:
            self._caption(slide, caption)

    def visual_slide(self, title: str, kind: str, notes: str, slide_id: str | None) -> Slide:
        """A slide with only its title, for a drawing (map, diagram, chart) placed in the
        body's area (``body_rect``)."""
        slide = self._new_slide("title_only", title, kind, notes, slide_id)
        self._drop_empty_placeholders(slide)
        return slide

    def _caption_height(self, caption: str, size: int = SIZES.table) -> int:
        width = _pt(self.body_rect.width) - 2 * INSET_X.pt
        lines = wrap(caption, width, size)
        return Pt(len(lines) * line_height(size) + 2 * INSET_Y.pt + 2)

    def _timeline_area(self, caption: str) -> Rect:
        body = self.body_rect
        reserved = self._caption_height(caption) + Inches(0.1) if caption else 0
        return Rect(body.left, body.top, body.width, body.height - reserved)

    def _caption(self, slide: Slide, caption: str, size: int = SIZES.table) -> None:
        height = self._caption_height(caption, size)
        body = self.body_rect
        box = slide.shapes.add_textbox(body.left, body.bottom - height, body.width, height)
        prepare_frame(box.text_frame)
        write_paragraphs(
            box.text_frame,
            [Para(caption, size=size, bullet=None)],
            self.look.muted,
            typeface=self.look.body_font,
        )

    # --- finishing ---------------------------------------------------------------------

    def finish(self, footer: str, title: str) -> None:
        """Footer and slide number on every slide but the cover; document properties."""
        total = len(self.prs.slides)
        for number, slide in enumerate(self.prs.slides, start=1):
            if number == 1:
                continue
            dark = self.builtin and self.records[number - 1].kind == "divider"
            colour = theme.MIST if dark else self.look.muted
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
        # A smaller size before the text is cut.
        size = next((n for n in FOOTER_SIZES if text_width(text, n) <= inner_w), FOOTER_SIZES[-1])
        while text_width(text, size) > inner_w and len(text) > 1:
            text = text[:-2].rstrip() + "…"
        key = (rect, align, colour, size)
        if key in self._footer_prototypes:  # the same box as before but for its text
            add_textbox_copy(slide, self._footer_prototypes[key], text)
            return
        box = slide.shapes.add_textbox(rect.left, rect.top, rect.width, rect.height)
        prepare_frame(box.text_frame)
        box.text_frame.word_wrap = False
        box.text_frame.vertical_anchor = MSO_ANCHOR.MIDDLE
        write_paragraphs(
            box.text_frame,
            [Para(text, size=size, bullet=None)],
            colour,
            align=align,
            typeface=self.look.body_font,
        )
        self._footer_prototypes[key] = deepcopy(box._element)


FOOTER_SIZES = (SIZES.footer, 11, 10, 9)


def _same_row(a: Rect, b: Rect) -> bool:
    return a.top < b.bottom and b.top < a.bottom


def _split_list_text(lines: list[str], fit: int) -> tuple[str, str]:
    """Split a cell's wrapped lines after ``fit`` lines, at the last « , » or « ; » before the
    cut when there is one, so that no list item (a country's name) is cut in two."""
    head, tail = " ".join(lines[:fit]), " ".join(lines[fit:])
    if not tail or head.endswith((",", ";")):
        return head, tail
    cut = max(head.rfind(", "), head.rfind("; "))
    if cut <= 0:
        return head, tail
    return head[: cut + 1], f"{head[cut + 2 :]} {tail}".strip()


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
