"""Membership maps drawn on the server as inline SVG, from the same geometry as the decks'
maps (``course.worldmap``): member states filled in the accent colour, others grey."""

from __future__ import annotations

from functools import lru_cache

from markupsafe import Markup, escape

from course.countries import country_name
from course.worldmap import has_outline_or_point, member_map

WIDTH, HEIGHT = 800, 440
ACCENT, LAND, SEA = "#b45309", "#c9d0d9", "#eef2f7"  # the decks' colours (slides_builder.theme)
DOT = 5


@lru_cache(maxsize=512)
def _svg(codes: tuple[str, ...], label: str) -> str:
    drawn = member_map(codes, WIDTH, HEIGHT)
    parts = [
        f'<svg class="member-map" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{escape(label)}" xmlns="http://www.w3.org/2000/svg">',
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="{SEA}"/>',
        '<g stroke="#fff" stroke-width="0.6" stroke-linejoin="round">',
    ]
    for area in drawn.areas:
        path = "".join(
            "M" + "L".join(f"{x:.1f} {y:.1f}" for x, y in ring) + "Z" for ring in area.rings
        )
        fill = ACCENT if area.member else LAND
        name = escape(country_name(area.code)) if area.code else ""
        parts.append(f'<path d="{path}" fill="{fill}"><title>{name}</title></path>')
    parts += [
        f'<circle cx="{d.x:.1f}" cy="{d.y:.1f}" r="{DOT}" fill="{ACCENT}" stroke-width="1.2">'
        f"<title>{escape(country_name(d.code))}</title></circle>"
        for d in drawn.dots
    ]
    parts.append("</g></svg>")
    return "".join(parts)


def member_map_svg(codes: list[str], label: str) -> Markup:
    """The map of ``codes`` (regional or world) as inline SVG labelled for screen readers;
    empty when no code has an outline or a point to draw."""
    if not any(has_outline_or_point(c) for c in codes):
        return Markup("")
    return Markup(_svg(tuple(sorted(codes)), label))
