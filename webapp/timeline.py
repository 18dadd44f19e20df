"""A timeline of founding years, drawn on the server as SVG (no script, styled by app.css)."""

from __future__ import annotations

import math

from markupsafe import Markup, escape

from course.models import Process

WIDTH = 720
ROW = 28
TOP = 36
SIDE = 24
STEP = 5  # years between ticks


def timeline_svg(processes: list[Process], title: str, svg_id: str = "chronologie") -> Markup:
    """One row per process, a dot at its founding year on a shared axis, its acronym beside it."""
    dated = sorted((p for p in processes if p.founded), key=lambda p: (p.founded.year, p.acronym))
    if not dated:
        return Markup("")
    first = math.floor(dated[0].founded.year / STEP) * STEP
    last = max(math.ceil(dated[-1].founded.year / STEP) * STEP, first + STEP)
    height = TOP + ROW * len(dated) + 8

    def x(year: float) -> float:
        return SIDE + (year - first) / (last - first) * (WIDTH - 2 * SIDE)

    parts = [
        f'<svg class="timeline" id="{svg_id}" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="{svg_id}-title" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{svg_id}-title">{escape(title)}</title>',
    ]
    for year in range(first, last + 1, STEP):
        parts.append(
            f'<line class="tick" x1="{x(year):.1f}" y1="{TOP - 10}" x2="{x(year):.1f}" '
            f'y2="{height - 4}"/>'
            f'<text class="tick-label" x="{x(year):.1f}" y="{TOP - 16}" '
            f'text-anchor="middle">{year}</text>'
        )
    for row, process in enumerate(dated):
        year = process.founded.year
        cx, cy = x(year), TOP + ROW * row + ROW / 2
        right_side = cx < WIDTH * 0.62
        label_x = cx + 10 if right_side else cx - 10
        anchor = "start" if right_side else "end"
        parts.append(
            f'<g class="event kind-{process.kind}">'
            f'<line class="stem" x1="{x(first):.1f}" y1="{cy:.1f}" x2="{cx:.1f}" y2="{cy:.1f}"/>'
            f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="6"/>'
            f'<text x="{label_x:.1f}" y="{cy + 5:.1f}" text-anchor="{anchor}">'
            f"{escape(process.acronym)} ({year})</text></g>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))
