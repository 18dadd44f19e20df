"""Where a timeline's labels go: each in the nearest lane, above or below the axis, that is free.

Pure geometry in EMU, so it can be tested without a deck: a label never overlaps another
label, and no stem (the line from the axis to its label) runs through another label.
"""

from __future__ import annotations

from dataclasses import dataclass

from pptx.util import Inches, Pt

from slides_builder.fit import line_height, text_width
from slides_builder.shapes import INSET_X, INSET_Y
from slides_builder.theme import SIZES

STEM = Inches(0.25)  # from the axis to the nearest lane
GAP = Inches(0.08)  # between lanes, and between labels of a lane
LABEL_SIZES = (SIZES.table, 16, 14)  # tried in turn, so a narrow (4:3) slide needs no split


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
class Placed:
    """A label's box and the x of its marker on the axis."""

    box: Rect
    marker_x: int


def label_size(year: int, label: str, size: int = SIZES.table) -> tuple[int, int]:
    """Width and height (EMU) of a two-line label: the year in bold, then the label."""
    width = max(text_width(str(year), size, True), text_width(label, size)) + 2 * INSET_X.pt + 6
    height = 2 * line_height(size) + 2 * INSET_Y.pt + 4
    return int(Pt(width)), int(Pt(height))


def place_labels(
    entries: list[tuple[int, str]], area: Rect, size: int = SIZES.table
) -> tuple[int, list[Placed]] | None:
    """The axis y and each entry's label placement, or None when they cannot all fit ``area``.

    ``entries`` are (year, label) sorted by year; markers are spread in proportion to the
    years; labels are set in ``size`` points.
    """
    sizes = [label_size(year, label, size) for year, label in entries]
    widest = max(width for width, _ in sizes)
    label_h = sizes[0][1]
    axis_y = area.top + area.height // 2
    lanes_per_side = int((area.height // 2 - STEM) // (label_h + GAP))
    if widest > area.width or lanes_per_side < 1:
        return None
    first, last = entries[0][0], entries[-1][0]
    pad = widest // 2
    usable = area.width - 2 * pad
    taken: dict[tuple[int, int], list[Placed]] = {}  # (side, depth) -> labels in that lane
    placed = []
    for (year, _), (width, _) in zip(entries, sizes, strict=True):
        x = area.left + pad + usable * (year - first) // max(last - first, 1)
        left = min(max(x - width // 2, area.left), area.right - width)
        spot = next(
            (
                (side, depth, box)
                for depth in range(lanes_per_side)
                for side in (-1, 1)
                for box in [Rect(left, _lane_top(axis_y, side, depth, label_h), width, label_h)]
                if _free(box, x, side, depth, taken)
            ),
            None,
        )
        if spot is None:
            return None
        side, depth, box = spot
        label = Placed(box, x)
        taken.setdefault((side, depth), []).append(label)
        placed.append(label)
    return axis_y, placed


def _lane_top(axis_y: int, side: int, depth: int, label_h: int) -> int:
    offset = STEM + depth * (label_h + GAP)
    return axis_y - offset - label_h if side < 0 else axis_y + offset


def _free(box: Rect, x: int, side: int, depth: int, taken: dict) -> bool:
    """True when the box overlaps no label of its lane, its stem crosses no nearer label, and
    no stem of a further label crosses it."""
    for (other_side, other_depth), labels in taken.items():
        if other_side != side:
            continue
        for other in labels:
            if other_depth == depth and not _apart(box, other.box):
                return False
            if other_depth < depth and _spans(other.box, x):
                return False
            if other_depth > depth and _spans(box, other.marker_x):
                return False
    return True


def _apart(a: Rect, b: Rect) -> bool:
    return a.right + GAP <= b.left or b.right + GAP <= a.left


def _spans(box: Rect, x: int) -> bool:
    return box.left - GAP <= x <= box.right + GAP
