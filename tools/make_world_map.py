"""Regenerate course/data/world-110m.json from Natural Earth (npm's world-atlas package).

Run only when the outlines should change (not at build or test time):

    npm pack world-atlas@2.0.2          # fetches world-atlas-2.0.2.tgz from the npm registry
    .venv/bin/python tools/make_world_map.py world-atlas-2.0.2.tgz

world-atlas holds Natural Earth's admin-0 countries (public domain) as TopoJSON keyed by
ISO 3166-1 numeric code. This script decodes the 1:110m file (no Antarctica, no holes:
countries are drawn largest first, so an enclave is drawn over its neighbour), simplifies
each ring (Douglas–Peucker, 0.08°), rounds to 0.01°, and keys each country by its alpha-2
code (numeric → alpha-2 from CLDR's territory aliases, through Babel). Countries and
territories too small for 1:110m get a point instead (the centroid of their largest polygon
at 1:10m), so that every state can be shown as a dot. Only the standard library and Babel.
"""

from __future__ import annotations

import json
import sys
import tarfile
from pathlib import Path

from babel.core import get_global

OUT = Path(__file__).resolve().parent.parent / "course" / "data" / "world-110m.json"
TOLERANCE = 0.08  # degrees: below what a slide or a page can show at 1:110m
NAMED = {"Kosovo": "XK"}  # no numeric code in ISO 3166-1; CLDR uses XK


def _arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """Decode the quantized, delta-encoded arcs into longitude/latitude points."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    decoded = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        decoded.append(points)
    return decoded


def _ring(arcs, indexes: list[int]) -> list[tuple[float, float]]:
    ring: list[tuple[float, float]] = []
    for index in indexes:
        points = arcs[index] if index >= 0 else arcs[~index][::-1]
        ring.extend(points[1:] if ring else points)  # arcs share their end points
    return ring


def _polygons(geometry: dict, arcs) -> list[list[tuple[float, float]]]:
    """The outer ring of each polygon of a geometry."""
    if geometry["type"] == "Polygon":
        return [_ring(arcs, geometry["arcs"][0])]
    if geometry["type"] == "MultiPolygon":
        return [_ring(arcs, polygon[0]) for polygon in geometry["arcs"]]
    return []


def _area(ring) -> float:
    return (
        abs(
            sum(
                x0 * y1 - x1 * y0
                for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True)
            )
        )
        / 2
    )


def _centroid(ring) -> tuple[float, float]:
    cross = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
        c = x0 * y1 - x1 * y0
        cross, cx, cy = cross + c, cx + (x0 + x1) * c, cy + (y0 + y1) * c
    if abs(cross) < 1e-12:
        return sum(x for x, _ in ring) / len(ring), sum(y for _, y in ring) / len(ring)
    return cx / (3 * cross), cy / (3 * cross)


def _simplify(points, tolerance: float):
    """Douglas–Peucker on an open polyline."""
    if len(points) < 3:
        return list(points)
    (x0, y0), (x1, y1) = points[0], points[-1]
    dx, dy = x1 - x0, y1 - y0
    norm = (dx * dx + dy * dy) ** 0.5
    far, index = -1.0, 0
    for i, (x, y) in enumerate(points[1:-1], start=1):
        d = (
            abs(dy * (x - x0) - dx * (y - y0)) / norm
            if norm
            else ((x - x0) ** 2 + (y - y0) ** 2) ** 0.5
        )
        if d > far:
            far, index = d, i
    if far <= tolerance:
        return [points[0], points[-1]]
    return _simplify(points[: index + 1], tolerance)[:-1] + _simplify(points[index:], tolerance)


def _simplified_ring(ring) -> list[list[float]]:
    half = len(ring) // 2  # a closed ring: simplify its two halves so both ends are kept
    points = _simplify(ring[: half + 1], TOLERANCE)[:-1] + _simplify(ring[half:], TOLERANCE)
    rounded = [[round(x, 2), round(y, 2)] for x, y in points]
    unique = [p for i, p in enumerate(rounded) if i == 0 or p != rounded[i - 1]]
    if unique[0] == unique[-1]:
        unique.pop()
    return unique


def _countries(topology: dict):
    """(alpha-2 code or None, name, outer rings) for each country of a topology."""
    aliases = get_global("territory_aliases")
    arcs = _arcs(topology)
    for geometry in topology["objects"]["countries"]["geometries"]:
        name = geometry["properties"]["name"]
        numeric = geometry.get("id")
        code = aliases[numeric][0] if numeric in aliases else NAMED.get(name)
        yield code, name, _polygons(geometry, arcs)


def main(package: Path) -> None:
    with tarfile.open(package) as tar:
        version = json.load(tar.extractfile("package/package.json"))["version"]
        coarse = json.load(tar.extractfile("package/countries-110m.json"))
        fine = json.load(tar.extractfile("package/countries-10m.json"))
    countries: dict[str, list] = {}
    unnamed: list[list] = []
    for code, name, rings in _countries(coarse):
        if code == "AQ":
            continue  # Antarctica: never a member, and its ring runs along the antimeridian
        shapes = [s for s in (_simplified_ring(r) for r in rings) if len(s) >= 3]
        if code is None:
            unnamed += shapes  # N. Cyprus, Somaliland: land, never a member
            print(f"no code for {name}: drawn as land only", file=sys.stderr)
        else:
            countries[code] = shapes
    points = {}
    for code, _name, rings in _countries(fine):
        if code and code not in countries and code != "AQ" and rings:
            x, y = _centroid(max(rings, key=_area))
            points[code] = [round(x, 2), round(y, 2)]
    data = {
        "about": (
            "Country outlines from Natural Earth 1:110m admin-0 (public domain, "
            "naturalearthdata.com), via npm's world-atlas "
            f"{version} (ISC licence, Mike Bostock); points for states too small at 1:110m "
            "are centroids at 1:10m. Made by tools/make_world_map.py."
        ),
        "countries": dict(sorted(countries.items())),
        "land": unnamed,
        "points": dict(sorted(points.items())),
    }
    OUT.write_text(json.dumps(data, separators=(",", ":"), ensure_ascii=False) + "\n")
    print(f"{OUT}: {len(countries)} countries, {len(points)} points, {OUT.stat().st_size} bytes")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: make_world_map.py world-atlas-2.0.2.tgz")
    main(Path(sys.argv[1]))
