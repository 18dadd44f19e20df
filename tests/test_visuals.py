"""Visuals drawn from the data: membership maps (deck and web) and process profiles."""

from __future__ import annotations

import re

import pytest
from pptx.enum.shapes import MSO_SHAPE_TYPE

from course import load_course
from course.countries import country_name
from course.models import Membership
from course.presenting import (
    PROFILE_LABELS,
    UNKNOWN,
    member_counts,
    member_names,
    profile_rows,
    profile_sources,
    short_source_title,
)
from course.worldmap import _clip, member_map
from slides_builder import theme
from slides_builder.deck import module_deck
from tests.conftest import REPO_ROOT

WIDTH, HEIGHT = 800.0, 450.0


@pytest.fixture(scope="module")
def shipped():
    return load_course(REPO_ROOT)


def listed(course):
    """Every membership list of every process: (process, list of codes)."""
    return [
        (process, figure.members)
        for process in course.processes.values()
        for figure in process.memberships
        if figure.members
    ]


# --- geometry -----------------------------------------------------------------------


def test_every_member_list_is_on_its_map_and_nothing_else_is_filled(shipped):
    lists = listed(shipped)
    assert len(lists) >= 10
    for process, members in lists:
        drawn = member_map(members, WIDTH, HEIGHT)
        assert not drawn.missing, (process.id, drawn.missing)
        assert drawn.shown_members == set(members), process.id
        for area in drawn.areas:
            for ring in area.rings:
                for x, y in ring:  # clipped to the frame
                    assert -0.01 <= x <= WIDTH + 0.01 and -0.01 <= y <= HEIGHT + 0.01


def test_members_in_one_region_get_a_regional_map_others_the_world():
    assert not member_map(["AR", "BR", "PY", "UY"], WIDTH, HEIGHT).world
    assert not member_map(["FR", "DE", "IT", "MT"], WIDTH, HEIGHT).world
    assert member_map(["AU", "CA", "FR", "US"], WIDTH, HEIGHT).world
    europe = member_map(["FR", "DE"], WIDTH, HEIGHT)
    codes = {a.code for a in europe.areas}
    assert {"FR", "DE", "BE", "CH"} <= codes and "BR" not in codes and "AU" not in codes
    assert {d.code for d in member_map(["AD", "SG"], WIDTH, HEIGHT).dots} == {"AD", "SG"}


def test_a_code_without_outline_or_point_is_reported_not_dropped_silently():
    drawn = member_map(["FR", "AC"], WIDTH, HEIGHT)  # Ascension: not in Natural Earth
    assert drawn.missing == ("AC",) and drawn.shown_members == {"FR"}


def test_clipping_keeps_the_part_inside_the_frame():
    square = [(-5.0, -5.0), (5.0, -5.0), (5.0, 5.0), (-5.0, 5.0)]
    clipped = _clip(square, (0.0, 0.0, 10.0, 10.0))
    assert sorted(set(clipped)) == [(0.0, 0.0), (0.0, 5.0), (5.0, 0.0), (5.0, 5.0)]
    assert _clip([(20.0, 20.0), (30.0, 20.0), (30.0, 30.0)], (0.0, 0.0, 10.0, 10.0)) == []


# --- decks --------------------------------------------------------------------------


def _descr(shape) -> str:
    return shape._element.xpath("./*[1]/p:cNvPr")[0].get("descr") or ""


def test_each_profile_of_a_listed_process_is_followed_by_its_map(shipped):
    checked = 0
    for module in shipped.modules:
        prs, records = module_deck(shipped, module)
        slides = list(prs.slides)
        for number, record in enumerate(records):
            if record.kind != "process":
                continue
            process = shipped.processes[shipped.slides[record.slide_id].slide.process]
            if not process.members or records[number + 1].kind == "process":
                continue  # a « (suite) » slide of the profile comes first
            after = records[number + 1]
            assert after.kind == "map" and after.slide_id == record.slide_id, after
            slide = slides[number + 1]
            group = next(s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.GROUP)
            filled = {
                shape.name
                for shape in group.shapes
                if shape.fill.type == 1 and shape.fill.fore_color.rgb == theme.ACCENT
            }
            assert filled == set(process.members), process.id
            alt = _descr(group)
            assert process.acronym in alt
            for name in member_names(process.members):
                assert name in alt, (process.id, name)
            key = " ".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)
            assert "Membres" in key and "Source" in key
            checked += 1
    assert checked >= 10


# --- profiles -----------------------------------------------------------------------


def test_every_profile_has_the_same_rows_and_no_source_in_a_cell(shipped):
    labels = {short_source_title(shipped, s) for s in shipped.sources}
    for process in shipped.processes.values():
        rows = profile_rows(shipped, process)
        assert tuple(label for label, _ in rows) == PROFILE_LABELS, process.id
        for _, value in rows:
            assert value.strip()
            assert not any(label in value for label in labels), (process.id, value)
        assert profile_sources(shipped, process).startswith("Source")
    bali = dict(profile_rows(shipped, shipped.processes["bali"]))
    assert bali["Membres"] == "45 (2023) ; 40 en 2005"  # dated counts, latest first, one row
    assert bali["Liste des membres"].endswith("(2005)")


def test_member_counts_read_like_the_sources(shipped):
    def figure(year, count=None, label=None, members=()):
        return Membership(
            source="slides-2005", as_of=year, count=count, count_label=label, members=members
        )

    process = shipped.processes["apc"].model_copy(
        update={
            "memberships": [
                figure(2005, 10, "10 États"),
                figure(2026, 12, "12 membres"),
                figure(2005, 11, "11 États"),
                figure(2023, 50, "plus de 50 gouvernements"),
            ]
        }
    )
    assert member_counts(shipped, process) == "12 (2026) ; plus de 50 en 2023 ; 10 ou 11 en 2005"
    assert member_counts(shipped, process.model_copy(update={"memberships": []})) == UNKNOWN


# --- web ----------------------------------------------------------------------------


def _accent_titles(page: str) -> set[str]:
    svg = re.search(r'<svg class="member-map".*?</svg>', page, re.S)
    assert svg, "no membership map on the page"
    return set(re.findall(r'fill="#b45309"[^>]*>(?:<title>([^<]*)</title>)', svg.group(0)))


def test_explorer_process_and_country_pages_show_the_map(client, shipped):
    for process_id in ("apc", "mercosur", "igc"):
        process = shipped.processes[process_id]
        page = client.get(f"/processus/{process_id}").get_data(as_text=True)
        assert _accent_titles(page) == {country_name(c) for c in process.members}
        assert f'aria-label="Carte des membres — {process.acronym}' in page
    page = client.get("/processus/pays/FR").get_data(as_text=True)
    assert _accent_titles(page) == {country_name("FR")}
