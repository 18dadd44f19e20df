"""Membership maps: which outlines to draw where, shared by the decks and the web pages.

The outlines are Natural Earth's 1:110m countries (public domain), shipped simplified in
``course/data/world-110m.json`` (made by ``tools/make_world_map.py``); states too small
for that scale are points there and are drawn as dots. ``member_map`` projects them with
the Equal Earth projection (equal-area, so no country looks bigger than it is), crops to
the members when they lie in one part of the world (a regional map) and shows the world
otherwise, clips every outline to the frame and scales it to the caller's width and
height. Renderers only turn the result into shapes (python-pptx) or paths (SVG).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "world-110m.json"

Point = tuple[float, float]

WORLD_LATITUDES = (-57.0, 84.0)  # no Antarctica: the world map is the inhabited world
REGIONAL_MAX_SPAN = (200.0, 110.0)  # degrees of longitude, latitude: beyond them, the world
PADDING = 0.12  # share of the members' extent added around a regional crop
MIN_SPAN = (0.28, 0.22)  # a regional crop's least width and height, in projected units
TINY = 0.012  # a member smaller than this share of the map's width also gets a dot


@dataclass(frozen=True)
class Area:
    """A country's outlines, in the caller's units (y down), clipped to the frame."""

    code: str | None  # None: land with no ISO code (N. Cyprus, Somaliland)
    member: bool
    rings: tuple[tuple[Point, ...], ...]


@dataclass(frozen=True)
class Dot:
    """A member too small to see at this scale, drawn as a dot at its place."""

    code: str
    x: float
    y: float


@dataclass(frozen=True)
class MemberMap:
    """A map ready to draw: non-members first, members over them, dots on top."""

    width: float
    height: float
    world: bool
    areas: tuple[Area, ...]
    dots: tuple[Dot, ...]
    missing: tuple[str, ...] = ()  # members with neither an outline nor a point in the data

    @property
    def shown_members(self) -> set[str]:
        """Codes drawn as members (filled outline or dot)."""
        return {a.code for a in self.areas if a.member} | {d.code for d in self.dots}


@cache
def _data() -> dict:
    return json.loads(DATA.read_text(encoding="utf-8"))


def has_outline_or_point(code: str) -> bool:
    """Whether a country can be shown on a map (an outline or a dot)."""
    data = _data()
    return code in data["countries"] or code in data["points"]


# --- projection ---------------------------------------------------------------------

_A1, _A2, _A3, _A4 = 1.340264, -0.081106, 0.000893, 0.003796
_M = math.sqrt(3) / 2


def equal_earth(lam: float, phi: float) -> Point:
    """Equal Earth projection of a longitude (from the central meridian) and a latitude,
    in degrees; returns x (east) and y (north) in units of the Earth's radius."""
    theta = math.asin(_M * math.sin(math.radians(phi)))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = (
        2
        * math.sqrt(3)
        * math.radians(lam)
        * math.cos(theta)
        / (3 * (9 * _A4 * t6 * t2 + 7 * _A3 * t6 + 3 * _A2 * t2 + _A1))
    )
    y = theta * (_A4 * t6 * t2 + _A3 * t6 + _A2 * t2 + _A1)
    return x, y


def _unwrapped(ring, centre: float) -> list[tuple[float, float]]:
    """Longitudes relative to ``centre``, kept continuous along the ring."""
    out: list[tuple[float, float]] = []
    for lon, lat in ring:
        lam = (lon - centre + 180.0) % 360.0 - 180.0
        if out:
            previous = out[-1][0]
            lam += 360.0 * round((previous - lam) / 360.0)
        out.append((lam, lat))
    return out


# --- the members' extent ------------------------------------------------------------


def _ring_area(ring) -> float:
    return abs(
        sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True))
    )


NEAR = 25.0  # degrees: outlines this close to a country's largest one count for cropping


def _anchor(code: str) -> list[tuple[float, float]]:
    """Where a member is, for cropping: its outlines near its largest one (Java with Borneo,
    not French Guiana with France) or its point."""
    data = _data()
    if code in data["countries"]:
        rings = data["countries"][code]
        largest = max(rings, key=_ring_area)
        cx, cy = _middle(largest)
        near = [r for r in rings if math.dist(_middle(r), (cx, cy)) <= NEAR]
        return [tuple(p) for ring in near for p in ring]
    if code in data["points"]:
        return [tuple(data["points"][code])]
    return []  # not in Natural Earth (e.g. AC, Ascension): listed as missing


def _middle(ring) -> Point:
    xs, ys = [x for x, _ in ring], [y for _, y in ring]
    return (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2


def _centre_and_span(longitudes: list[float]) -> tuple[float, float]:
    """The shortest arc of the circle holding every longitude: its middle and its width."""
    ordered = sorted(lon % 360.0 for lon in longitudes)
    gaps = [
        ((ordered[(i + 1) % len(ordered)] - ordered[i]) % 360.0, i) for i in range(len(ordered))
    ]
    gap, after = max(gaps)
    if len(ordered) == 1:
        gap = 360.0
    span = 360.0 - gap
    start = ordered[(after + 1) % len(ordered)]
    centre = (start + span / 2 + 180.0) % 360.0 - 180.0
    return centre, span


# --- clipping -----------------------------------------------------------------------


def _clip(ring: list[Point], box: tuple[float, float, float, float]) -> list[Point]:
    """Sutherland–Hodgman: the part of a polygon inside a rectangle (x0, y0, x1, y1)."""
    x0, y0, x1, y1 = box
    edges = (
        (lambda p: p[0] >= x0, lambda a, b: _cross_x(a, b, x0)),
        (lambda p: p[0] <= x1, lambda a, b: _cross_x(a, b, x1)),
        (lambda p: p[1] >= y0, lambda a, b: _cross_y(a, b, y0)),
        (lambda p: p[1] <= y1, lambda a, b: _cross_y(a, b, y1)),
    )
    points = ring
    for inside, cross in edges:
        if not points:
            break
        clipped = []
        previous = points[-1]
        for point in points:
            if inside(point):
                if not inside(previous):
                    clipped.append(cross(previous, point))
                clipped.append(point)
            elif inside(previous):
                clipped.append(cross(previous, point))
            previous = point
        points = clipped
    return points


def _cross_x(a: Point, b: Point, x: float) -> Point:
    t = (x - a[0]) / (b[0] - a[0])
    return x, a[1] + t * (b[1] - a[1])


def _cross_y(a: Point, b: Point, y: float) -> Point:
    t = (y - a[1]) / (b[1] - a[1])
    return a[0] + t * (b[0] - a[0]), y


# --- the map --------------------------------------------------------------------------


def member_map(members: list[str] | set[str], width: float, height: float) -> MemberMap:
    """A map of ``members`` (ISO alpha-2 codes) fitted to ``width`` × ``height``: regional
    when the members lie within REGIONAL_MAX_SPAN, the world otherwise."""
    data = _data()
    members = set(members)
    missing = tuple(sorted(c for c in members if not has_outline_or_point(c)))
    members -= set(missing)
    anchors = [point for code in sorted(members) for point in _anchor(code)]
    world = not anchors
    centre = 0.0
    if anchors:
        centre, lon_span = _centre_and_span([lon for lon, _ in anchors])
        lats = [lat for _, lat in anchors]
        world = lon_span > REGIONAL_MAX_SPAN[0] or max(lats) - min(lats) > REGIONAL_MAX_SPAN[1]
    if world:
        centre = 0.0
        low, high = WORLD_LATITUDES
        edge = [equal_earth(lam, lat) for lam in (-180.0, 180.0) for lat in (low, 0.0, high)]
        x0, x1 = min(x for x, _ in edge), max(x for x, _ in edge)
        y0, y1 = min(y for _, y in edge), max(y for _, y in edge)
    else:
        projected = [equal_earth(lam, lat) for lam, lat in _unwrapped(anchors, centre)]
        xs, ys = [x for x, _ in projected], [y for _, y in projected]
        pad_x = max((max(xs) - min(xs)) * PADDING, (MIN_SPAN[0] - (max(xs) - min(xs))) / 2)
        pad_y = max((max(ys) - min(ys)) * PADDING, (MIN_SPAN[1] - (max(ys) - min(ys))) / 2)
        x0, x1 = min(xs) - pad_x, max(xs) + pad_x
        y0, y1 = min(ys) - pad_y, max(ys) + pad_y
    # Widen the shorter side so the map fills the frame without stretching.
    if (x1 - x0) / (y1 - y0) < width / height:
        grow = ((y1 - y0) * width / height - (x1 - x0)) / 2
        x0, x1 = x0 - grow, x1 + grow
    else:
        grow = ((x1 - x0) * height / width - (y1 - y0)) / 2
        y0, y1 = y0 - grow, y1 + grow
    scale = width / (x1 - x0)
    box = (x0, y0, x1, y1)

    def to_frame(points: list[Point]) -> tuple[Point, ...]:
        return tuple((round((x - x0) * scale, 3), round((y1 - y) * scale, 3)) for x, y in points)

    def rings_of(outlines) -> list[tuple[list[Point], float]]:
        kept = []
        for ring in outlines:
            projected = [equal_earth(lam, lat) for lam, lat in _unwrapped(ring, centre)]
            xs, ys = [x for x, _ in projected], [y for _, y in projected]
            if max(xs) < x0 or min(xs) > x1 or max(ys) < y0 or min(ys) > y1:
                continue
            clipped = _clip(projected, box)
            if len(clipped) >= 3:
                kept.append((clipped, _ring_area(clipped)))
        return kept

    areas: list[tuple[float, Area]] = []
    dots: list[Dot] = []
    for code, outlines in data["countries"].items():
        kept = rings_of(outlines)
        if not kept:
            continue
        member = code in members
        area = Area(code, member, tuple(to_frame(r) for r, _ in kept))
        areas.append((sum(a for _, a in kept), area))
        if member:
            largest = max(kept, key=lambda k: k[1])[0]
            xs, ys = [x for x, _ in largest], [y for _, y in largest]
            if max(max(xs) - min(xs), max(ys) - min(ys)) * scale < TINY * width:
                ((x, y),) = to_frame([((min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2)])
                dots.append(Dot(code, x, y))
    for outline in rings_of(data["land"]):
        areas.append((outline[1], Area(None, False, (to_frame(outline[0]),))))
    for code in sorted(members - data["countries"].keys()):
        lon, lat = data["points"][code]
        ((lam, _),) = _unwrapped([(lon, lat)], centre)
        ((x, y),) = to_frame([equal_earth(lam, lat)])
        dots.append(Dot(code, x, y))
    # Non-members, then members; largest first, so an enclave is drawn over its neighbour.
    areas.sort(key=lambda item: (item[1].member, -item[0]))
    return MemberMap(width, height, world, tuple(a for _, a in areas), tuple(dots), missing)
