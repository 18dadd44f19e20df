"""Visuals drawn from the data: membership maps (deck and web) and process profiles."""

from __future__ import annotations

import re

import pytest
from pptx.enum.shapes import MSO_SHAPE, MSO_SHAPE_TYPE

from course import load_course
from course.countries import country_name
from course.markdown import module_markdown
from course.models import ChartSlide, ChronologySlide, FormsSlide, GridSlide, Membership
from course.presenting import (
    FORM_NAMES,
    PROFILE_LABELS,
    UNKNOWN,
    member_counts,
    member_names,
    membership_points,
    profile_rows,
    profile_sources,
    short_source_title,
)
from course.typography import french
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


# --- diagram, grid, chronology, chart --------------------------------------------------


@pytest.fixture(scope="module")
def visual_decks(shipped):
    """Each shipped module's deck with its records, built once."""
    return {m.id: module_deck(shipped, m) for m in shipped.modules}


def _slide_for(visual_decks, slide_id: str, kind: str):
    for prs, records in visual_decks.values():
        for number, record in enumerate(records):
            if record.slide_id == slide_id and record.kind == kind:
                return list(prs.slides)[number]
    raise AssertionError(f"no {kind} slide for {slide_id}")


def _group(slide, name: str):
    return next(s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.GROUP and s.name == name)


def _texts(shapes) -> list[str]:
    return [s.text_frame.text for s in shapes if s.has_text_frame and s.text_frame.text]


def test_every_visual_slide_kind_is_used_and_read_from_yaml(shipped):
    kinds = {type(p.slide) for p in shipped.slides.values()}
    assert {GridSlide, FormsSlide, ChronologySlide, ChartSlide} <= kinds


def test_the_foundations_grid_has_one_numbered_card_per_foundation(shipped, visual_decks):
    model = shipped.slides["t1-fondements"].slide
    assert isinstance(model, GridSlide) and len(model.cards) == 8
    group = _group(_slide_for(visual_decks, "t1-fondements", "grid"), "Grille")
    texts = _texts(group.shapes)
    for number, card in enumerate(model.cards, start=1):
        assert card.title in texts and (str(number) in texts) == model.numbered
    alt = _descr(group)
    assert all(card.title in alt for card in model.cards)


def test_the_forms_diagram_goes_from_bilateral_to_global_with_arrows(shipped, visual_decks):
    slide = _slide_for(visual_decks, "t2-synthese", "forms")
    group = _group(slide, "Schéma des formes")
    texts = _texts(group.shapes)
    names = [t for t in texts if t in FORM_NAMES.values()]
    assert names == ["Bilatérale", "Régionale", "Interrégionale", "Mondiale"]
    arrows = [
        s
        for s in group.shapes
        if s.shape_type == MSO_SHAPE_TYPE.AUTO_SHAPE and s.auto_shape_type == MSO_SHAPE.RIGHT_ARROW
    ]
    assert len(arrows) == 3
    regional = sum(1 for p in shipped.processes.values() if p.kind == "regional")
    assert any(f"{regional} processus" in t for t in texts)
    assert "Bilatérale" in _descr(group) and "Mondiale" in _descr(group)


def test_every_chronology_is_drawn_on_one_slide_with_every_event(shipped, visual_decks):
    chronologies = [p for p in shipped.slides.values() if isinstance(p.slide, ChronologySlide)]
    assert chronologies
    for place in chronologies:
        model = place.slide
        slide = _slide_for(visual_decks, model.id, "chronology")
        group = _group(slide, "Chronologie")
        texts = " ".join(_texts(group.shapes))
        markers = [
            s
            for s in group.shapes
            if s.shape_type == MSO_SHAPE_TYPE.AUTO_SHAPE and s.auto_shape_type == MSO_SHAPE.OVAL
        ]
        assert len(markers) == len(model.events)
        for event in model.events:
            assert str(event.year) in texts and event.label in texts
            assert french(f"{event.year} : {event.label}") in _descr(group)


def test_the_membership_chart_is_a_native_chart_of_the_dated_counts(shipped, visual_decks):
    place = next(p for p in shipped.slides.values() if isinstance(p.slide, ChartSlide))
    slide = _slide_for(visual_decks, place.slide.id, "chart")
    frame = next(s for s in slide.shapes if s.has_chart)
    chart = frame.chart
    processes = [shipped.processes[p] for p in place.slide.chart.processes]
    assert [s.name for s in chart.plots[0].series] == [p.acronym for p in processes]
    years = [int(c) for c in chart.plots[0].categories if str(c).isdigit()]  # blanks: <c:v/>
    first = int(next(c for c in chart.plots[0].categories))
    for series, process in zip(chart.plots[0].series, processes, strict=True):
        plotted = {first + i: v for i, v in enumerate(series.values) if v is not None}
        assert plotted == dict(membership_points(process)), process.id
    assert years and all(y % 5 == 0 for y in years)
    assert "Graphique du nombre de membres" in _descr(frame)
    assert any(t.startswith("Source") for t in _texts(slide.shapes))


def test_a_grid_with_too_many_groups_is_refused():
    cards = [{"title": f"Carte {n}", "group": f"G{n}"} for n in range(5)]
    with pytest.raises(ValueError, match="at most 4 groups"):
        GridSlide(id="g", title="Grille", cards=cards)


def test_lesson_pages_and_markdown_show_the_visual_slides(client, shipped):
    for slide_id, expected in [
        ("t1-fondements", "Un minimum de confiance"),
        ("t2-synthese", "Interrégionale"),
        ("t2-reperes-mondiaux", "Initiative de Berne"),
        ("t2-elargissement", "45 (2023)"),
    ]:
        place = shipped.slides[slide_id]
        page = client.get(f"/themes/{place.module.id}/{place.number}").get_data(as_text=True)
        assert expected in page, slide_id
    text = module_markdown(shipped, shipped.modules[1])
    assert "| Processus de Bali | 40 (2005) → 45 (2023) |" in text
    assert "**Interrégionale**" in text and "| 2001 | Initiative de Berne |" in text
