"""Decks on an organisation's template: layouts chosen by their placeholders, its theme's fonts
and colours, its 4:3 slide size, and clear errors for a template that lacks something."""

from __future__ import annotations

from pathlib import Path

import pytest
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.util import Emu

from coopkit.cli import main
from course import load_course
from slides_builder.build import build_course
from slides_builder.deck import module_deck
from slides_builder.layouts import LayoutParts, TemplateError, pick_layouts, template_look
from slides_builder.theme import contrast_ratio
from tests.conftest import REPO_ROOT
from tests.test_build import TIMELINE, make_course, slide_title

# PowerPoint's layouts as an organisation renamed them; « Texte » is the content layout.
ORG_NAMES = {
    "Title Slide": "ORG – Titre",
    "Title and Content": "ORG – Texte",
    "Section Header": "ORG – Intercalaire",
    "Title Only": "ORG – Titre seul",
}
HEADING_FONT, BODY_FONT = "Times New Roman", "Arial"  # Liberation Serif and Sans render them
DARK_GREEN, DARK_RED = "14532D", "7F1D1D"


def make_org_template(path: Path, names: dict[str, str] = ORG_NAMES) -> Path:
    """A 4:3 template with the organisation's layout names, theme fonts and colours."""
    prs = Presentation()  # python-pptx's default template is 4:3
    for number, layout in enumerate(prs.slide_layouts):
        layout.name = names.get(layout.name, f"ORG – Mise en page {number}")
    theme = prs.slide_masters[0].part.part_related_by(RT.THEME)
    xml = theme.blob.decode("utf-8")
    xml = xml.replace(
        '<a:majorFont><a:latin typeface="Calibri"/>',
        f'<a:majorFont><a:latin typeface="{HEADING_FONT}"/>',
    ).replace(
        '<a:minorFont><a:latin typeface="Calibri"/>',
        f'<a:minorFont><a:latin typeface="{BODY_FONT}"/>',
    )
    xml = xml.replace('<a:dk2><a:srgbClr val="1F497D"/>', f'<a:dk2><a:srgbClr val="{DARK_GREEN}"/>')
    xml = xml.replace(
        '<a:accent1><a:srgbClr val="4F81BD"/>', f'<a:accent1><a:srgbClr val="{DARK_RED}"/>'
    )
    assert HEADING_FONT in xml and BODY_FONT in xml and DARK_RED in xml
    theme._blob = xml.encode("utf-8")
    prs.save(path)
    return path


@pytest.fixture(scope="module")
def org_template(tmp_path_factory) -> Path:
    return make_org_template(tmp_path_factory.mktemp("org") / "org.pptx")


@pytest.fixture(scope="module")
def org_deck(org_template, tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("org-build")
    course = load_course(make_course(tmp / "course"))
    build_course(course, tmp / "out", template=org_template, parts=["decks"])
    return tmp / "out" / "decks" / "theme-1.pptx"


def test_layouts_are_chosen_by_their_placeholders_not_their_names(org_template):
    layouts = pick_layouts(Presentation(str(org_template)))
    assert {role: layout.name for role, layout in layouts.items()} == {
        "cover": "ORG – Titre",
        "section": "ORG – Intercalaire",
        "content": "ORG – Texte",
        "title_only": "ORG – Titre seul",
    }


def test_names_without_any_hint_still_give_the_right_layouts(tmp_path):
    plain = {name: f"Mise en page {n}" for n, name in enumerate(ORG_NAMES)}
    template = make_org_template(tmp_path / "plain.pptx", plain)
    layouts = pick_layouts(Presentation(str(template)))
    kinds = {role: LayoutParts.of(layout) for role, layout in layouts.items()}
    content = kinds["content"]
    assert [p.placeholder_format.type for p in content.bodies] == [PP_PLACEHOLDER.OBJECT]
    assert content.layout.name == "Mise en page 1"  # the largest body: not the section header
    assert kinds["cover"].subtitles and not kinds["cover"].bodies
    assert not kinds["title_only"].bodies and not kinds["title_only"].subtitles


def test_a_subtitle_is_not_a_body(tmp_path):
    prs = Presentation()
    for layout in list(prs.slide_layouts):
        if layout.name != "Title Slide":  # title and subtitle only
            prs.slide_layouts.remove(layout)
    with pytest.raises(TemplateError, match="a subtitle is not a body"):
        pick_layouts(prs)


def test_the_deck_takes_the_template_size_layouts_fonts_and_colours(org_deck):
    deck = Presentation(str(org_deck))
    assert (deck.slide_width, deck.slide_height) == (Emu(9144000), Emu(6858000))
    assert set(ORG_NAMES.values()) == {s.slide_layout.name for s in deck.slides}
    fonts = {"title": set(), "other": set()}
    fills = set()
    for slide in deck.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                role = "title" if shape == slide.shapes.title else "other"
                fonts[role] |= {r.font.name for p in shape.text_frame.paragraphs for r in p.runs}
            if getattr(shape, "has_table", False):
                fills |= {str(c.fill.fore_color.rgb) for row in shape.table.rows for c in row.cells}
    assert fonts == {"title": {HEADING_FONT}, "other": {BODY_FONT}}
    assert DARK_RED in fills  # the header row in the theme's first accent


def test_a_timeline_is_not_split_on_a_4_3_slide(org_deck):
    deck = Presentation(str(org_deck))
    titles = [slide_title(s) for s in deck.slides]
    assert titles.count("Les dates de création des processus") == 1
    assert not any(t.startswith("Les dates de création des processus (suite)") for t in titles)
    slide = deck.slides[titles.index("Les dates de création des processus")]
    group = next(s for s in slide.shapes if s.shape_type == 6)
    assert len([s for s in group.shapes if s.has_text_frame and s.text_frame.text]) == len(TIMELINE)
    markers = [s for s in group.shapes if s.shape_type == 1]  # the dots
    assert {str(m.fill.fore_color.rgb) for m in markers} == {DARK_RED}


def test_theme_colours_are_chosen_for_contrast(org_template):
    look = template_look(Presentation(str(org_template)))
    assert look.heading_font == HEADING_FONT and look.body_font == BODY_FONT
    assert str(look.header_fill) == DARK_RED
    assert contrast_ratio(look.header_text, look.header_fill) >= 4.5
    assert contrast_ratio(look.label_text, look.label_fill) >= 4.5
    assert contrast_ratio(look.muted, look.background) >= 4.5
    assert look.background == RGBColor(0xFF, 0xFF, 0xFF)


def _build(runner, tmp_path, template: Path, *extra: str):
    root = make_course(tmp_path / "course")
    args = ["build", "--root", str(root), "--out", str(tmp_path / "out"), "--only", "decks"]
    return runner.invoke(main, [*args, "--template", str(template), *extra])


def _errors(result) -> list[str]:
    """The error lines of a command's stderr (the fixture course also has a warning)."""
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert all(": warning: " in line for line in lines if not line.startswith("Error: "))
    return [line for line in lines if line.startswith("Error: ")]


def test_layout_map_picks_a_layout_by_name(org_template, tmp_path, runner):
    result = _build(runner, tmp_path, org_template, "--layout-map", "section=ORG – Titre")
    assert result.exit_code == 0, result.output
    deck = Presentation(str(tmp_path / "out" / "decks" / "theme-1.pptx"))
    dividers = [s for s in deck.slides if slide_title(s) == "Introduction"]
    assert dividers and {s.slide_layout.name for s in dividers} == {"ORG – Titre"}


@pytest.mark.parametrize(
    ("mapping", "message"),
    [
        (
            "content=ORG – Titre",
            "--layout-map content: layout « ORG – Titre » (title, subtitle) does not hold a "
            "title and a body placeholder (a subtitle is not a body)",
        ),
        ("content=ORG – Inconnu", "--layout-map content: no layout named « ORG – Inconnu »"),
        ("corps=ORG – Texte", "--layout-map: unknown role « corps »"),
    ],
)
def test_layout_map_errors_name_the_template_and_the_problem(
    org_template, tmp_path, runner, mapping, message
):
    result = _build(runner, tmp_path, org_template, "--layout-map", mapping)
    assert result.exit_code == 1
    [error] = _errors(result)
    assert error.startswith(f"Error: template {org_template}: {message}")
    assert not (tmp_path / "out").exists()


def test_a_template_without_a_body_layout_says_what_each_layout_holds(tmp_path, runner):
    prs = Presentation()
    for layout in list(prs.slide_layouts):
        if layout.name not in ("Title Slide", "Title Only"):
            prs.slide_layouts.remove(layout)
    bad = prs.save(tmp_path / "bad.pptx") or tmp_path / "bad.pptx"
    result = _build(runner, tmp_path, bad)
    assert result.exit_code == 1
    [line] = _errors(result)
    assert line.startswith(f"Error: template {bad}: no layout with a title and a body placeholder")
    assert "« Title Slide » (title, subtitle)" in line and "« Title Only » (title)" in line


def test_layout_map_needs_a_template(tmp_path, runner):
    root = make_course(tmp_path / "course")
    args = ["build", "--root", str(root), "--layout-map", "content=Texte"]
    result = runner.invoke(main, args)
    assert result.exit_code == 2
    assert "--layout-map needs --template" in result.stderr


def test_the_footer_is_whole_in_the_template_footer_row(org_template):
    """The template's footer box is narrow (3.2 in, between date and number): the footer
    takes the date's room too, so the course's footer is written whole."""
    course = load_course(REPO_ROOT)
    prs, _ = module_deck(course, course.modules[0], org_template)
    footer = course.info.footer or course.info.title
    for number, slide in enumerate(list(prs.slides)[1:], start=2):
        texts = [s.text_frame.text for s in slide.shapes if s.has_text_frame]
        assert footer in texts, (number, texts[-2:])
        assert f"{number} / {len(prs.slides)}" in texts
