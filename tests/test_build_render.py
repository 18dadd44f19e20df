"""Decks rendered by LibreOffice: no text outside the slide, outside its frame, or on other text.

Each deck is rendered to PDF once per session; ``pdftotext -bbox`` then gives every
word's box. A word outside every text frame of its slide means text overflowed its
box (the builder writes ``noAutofit`` so LibreOffice cannot quietly shrink it); two
word boxes that intersect mean two texts are drawn on each other.

The decks name Calibri, which LibreOffice renders with Carlito (same metrics). They are
rendered a second time as on a machine without either: a private fontconfig file hides
Carlito and maps Calibri to Liberation Sans (Arial's metrics, about 10 % wider). Then no
text may leave the slide, reach the footer or be drawn on other text.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from html import unescape
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.util import Emu, Inches

from course import ContentErrors, load_course
from slides_builder.build import build_course
from tests.conftest import REPO_ROOT
from tests.test_build import TEMPLATE, make_course, text_shapes
from tests.test_build_template import make_org_template
from tests.tools import need_tool

pytestmark = pytest.mark.render

TOLERANCE = 1.5  # points: glyph boxes may poke out of a frame by a hair
PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
WORD = re.compile(
    r'<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">(.*?)</word>'
)


WIDE_FONTS_CONF = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <selectfont><rejectfont>
    <pattern><patelt name="family"><string>Carlito</string></patelt></pattern>
  </rejectfont></selectfont>
  <match target="pattern">
    <test name="family"><string>Calibri</string></test>
    <edit name="family" mode="assign" binding="strong"><string>Liberation Sans</string></edit>
  </match>
</fontconfig>
"""


def _wide_font_env(directory: Path) -> dict[str, str]:
    """The environment of a LibreOffice that renders Calibri with Liberation Sans."""
    if not any("Liberation Sans" in line for line in _font_families()):
        need_tool("fc-list-liberation-sans", "fonts-liberation")  # skips, or fails under CI
    conf = directory / "fonts.conf"
    conf.write_text(WIDE_FONTS_CONF, encoding="utf-8")
    return {**os.environ, "FONTCONFIG_FILE": str(conf)}


def _font_families() -> list[str]:
    fc_list = need_tool("fc-list", "fontconfig")
    result = subprocess.run([fc_list, ":", "family"], capture_output=True, text=True, check=True)
    return result.stdout.splitlines()


def _pdf_fonts(pdf: Path) -> str:
    return subprocess.run(
        ["pdffonts", str(pdf)], capture_output=True, text=True, check=True, timeout=60
    ).stdout


def _render(decks: list[Path], directory: Path, env: dict | None = None) -> dict[Path, Path]:
    """Render decks to PDF in one LibreOffice run (a private profile: parallel runs never clash)."""
    soffice = need_tool("soffice", "libreoffice-impress")
    need_tool("pdftotext", "poppler-utils")
    profile = directory / "lo-profile"
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(directory),
            *map(str, decks),
        ],
        check=True,
        capture_output=True,
        timeout=300,
        env=env,
    )
    pdfs = {deck: directory / f"{deck.stem}.pdf" for deck in decks}
    missing = [str(d) for d, pdf in pdfs.items() if not pdf.is_file()]
    assert not missing, f"LibreOffice did not render {missing}"
    return pdfs


def _words(pdf: Path) -> list[tuple[float, float, list[tuple[float, float, float, float, str]]]]:
    """Per page: width, height and word boxes (points, origin top left)."""
    html = pdf.with_suffix(".html")
    subprocess.run(["pdftotext", "-bbox", str(pdf), str(html)], check=True, timeout=120)
    pages = []
    for width, height, body in PAGE.findall(html.read_text(encoding="utf-8")):
        words = [
            (float(a), float(b), float(c), float(d), unescape(text))
            for a, b, c, d, text in WORD.findall(body)
        ]
        pages.append((float(width), float(height), words))
    return pages


def _collect(
    decks: dict[str, Path], tmp: Path, env: dict | None = None
) -> dict[str, tuple[Path, list]]:
    named = []
    tmp.mkdir(exist_ok=True)
    for label, deck in decks.items():
        copy = tmp / f"{label}.pptx"
        shutil.copyfile(deck, copy)
        named.append(copy)
    pdfs = _render(named, tmp, env)
    return {label: (tmp / f"{label}.pptx", _words(pdfs[tmp / f"{label}.pptx"])) for label in decks}


@pytest.fixture(scope="module")
def built_decks(tmp_path_factory) -> dict[str, Path]:
    """The fixture course's deck, the same with the test template, and the shipped course's."""
    tmp = tmp_path_factory.mktemp("decks")
    course = load_course(make_course(tmp / "course"))
    build_course(course, tmp / "built")
    build_course(course, tmp / "templated", template=TEMPLATE)
    org = make_org_template(tmp / "org.pptx")
    build_course(course, tmp / "org", template=org, parts=["decks"])
    decks = {
        "fixture": tmp / "built" / "decks" / "theme-1.pptx",
        "template": tmp / "templated" / "decks" / "theme-1.pptx",
        "org-4x3": tmp / "org" / "decks" / "theme-1.pptx",
    }
    try:
        shipped = load_course(REPO_ROOT)
    except ContentErrors:
        shipped = None  # test_cli_content reports the shipped course's problems
    if shipped is not None:
        for path in build_course(shipped, tmp / "shipped", parts=["decks"]):
            decks[f"shipped-{path.stem}"] = path
    return decks


@pytest.fixture(scope="module")
def wide(built_decks, tmp_path_factory) -> dict[str, tuple[Path, list]]:
    """The same decks rendered with Liberation Sans for Calibri (no Carlito installed)."""
    tmp = tmp_path_factory.mktemp("wide")
    return _collect(built_decks, tmp, _wide_font_env(tmp))


@pytest.fixture(scope="module")
def rendered(built_decks, tmp_path_factory) -> dict[str, tuple[Path, list]]:
    """The built decks and a control deck, rendered with the fonts they name (Carlito)."""
    tmp = tmp_path_factory.mktemp("render")
    decks = {**built_decks, "control": _broken_deck(tmp / "control.source.pptx")}
    return _collect(decks, tmp)


def _broken_deck(path: Path) -> Path:
    """A deck with the faults the checks look for: text overflowing its box, boxes overlapping."""
    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[5])
    slide.shapes.title.text = "Contrôle"
    box = slide.shapes.add_textbox(Inches(1), Inches(2), Inches(4), Inches(0.5))
    box.text_frame.word_wrap = True
    box.text_frame.text = "Un texte bien trop long pour sa boîte, qui déborde en dessous. " * 6
    other = slide.shapes.add_textbox(Inches(5.5), Inches(2), Inches(3), Inches(0.5))
    other.text_frame.text = "Premier texte"
    again = slide.shapes.add_textbox(Inches(5.5), Inches(2), Inches(3), Inches(0.5))
    again.text_frame.text = "Second texte"
    prs.save(path)
    return path


def _checked(rendered):
    """The decks the builder made (not the control deck)."""
    return {label: value for label, value in rendered.items() if label != "control"}


def _outside(label, deck_path, pages) -> list[str]:
    problems = []
    deck = Presentation(str(deck_path))
    for number, (slide, (width, _, words)) in enumerate(
        zip(deck.slides, pages, strict=True), start=1
    ):
        height = Emu(deck.slide_height).pt
        assert abs(width - Emu(deck.slide_width).pt) < 1, label
        frames = _frames_pt(slide)
        for word in words:
            x0, y0, x1, y1, text = word
            if x0 < 0 or y0 < 0 or x1 > width or y1 > height:
                problems.append(f"{label} slide {number}: « {text} » outside the slide")
            elif not any(_inside(word, frame) for frame in frames):
                problems.append(f"{label} slide {number}: « {text} » outside its text frame")
    return problems


def _off_slide_or_on_footer(label, deck_path, pages) -> list[str]:
    """Words outside the slide, or below the top of the footer but not in a footer box."""
    problems = []
    deck = Presentation(str(deck_path))
    height = Emu(deck.slide_height).pt
    for number, (slide, (width, _, words)) in enumerate(
        zip(deck.slides, pages, strict=True), start=1
    ):
        footer = _footer_frames(slide)
        footer_top = min((frame[1] for frame in footer), default=height)
        for word in words:
            x0, y0, x1, y1 = _core(word)
            if x0 < -TOLERANCE or y0 < -TOLERANCE or x1 > width + TOLERANCE or y1 > height:
                problems.append(f"{label} slide {number}: « {word[4]} » outside the slide")
            elif y1 > footer_top + TOLERANCE and not any(_inside(word, f) for f in footer):
                problems.append(f"{label} slide {number}: « {word[4]} » reaches the footer")
    return problems


FOOTER_NUMBER = re.compile(r"^\d+ / \d+$")


def _footer_frames(slide) -> list[tuple[float, float, float, float]]:
    """The footer's boxes: the slide number « n / N » and the boxes level with it."""
    texts = [s for s in slide.shapes if getattr(s, "has_text_frame", False)]
    tops = {s.top for s in texts if FOOTER_NUMBER.match(s.text_frame.text.strip())}
    return [_frame_pt(s) for s in texts if s.top in tops]


def _frame_pt(shape) -> tuple[float, float, float, float]:
    return (
        Emu(shape.left).pt,
        Emu(shape.top).pt,
        Emu(shape.left + shape.width).pt,
        Emu(shape.top + shape.height).pt,
    )


def _overlapping(label, pages) -> list[str]:
    problems = []
    for number, (_, _, words) in enumerate(pages, start=1):
        for i, a in enumerate(words):
            for b in words[i + 1 :]:
                if _overlap(a, b):
                    problems.append(f"{label} slide {number}: « {a[4]} » on « {b[4]} »")
    return problems


def _frames_pt(slide) -> list[tuple[float, float, float, float]]:
    # A chart draws its own words (axes, data labels, key) inside its graphic frame.
    charts = [s for s in slide.shapes if getattr(s, "has_chart", False)]
    return [_frame_pt(s) for s in [*text_shapes(slide.shapes), *charts]]


def _core(word) -> tuple[float, float, float, float]:
    """A word's box trimmed to its glyphs' core.

    pdftotext boxes span the font's whole ascent and descent (1.3 em for Carlito), more
    than the line pitch: untrimmed, neighbouring lines would touch and a title's last
    line would poke out of its frame. Real overflow is a whole line out, well beyond this.
    """
    x0, y0, x1, y1 = word[:4]
    trim = (y1 - y0) * 0.2
    return x0 + 0.5, y0 + trim, x1 - 0.5, y1 - trim


def _inside(word, frame) -> bool:
    x0, y0, x1, y1 = _core(word)
    return (
        x0 >= frame[0] - TOLERANCE
        and y0 >= frame[1] - TOLERANCE
        and x1 <= frame[2] + TOLERANCE
        and y1 <= frame[3] + TOLERANCE
    )


def _overlap(a, b) -> bool:
    a, b = _core(a), _core(b)
    return not (a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1])


def test_the_shipped_course_and_the_fixtures_are_rendered(rendered):
    assert {"fixture", "template", "org-4x3", "control"} <= set(rendered)
    for label, (deck_path, pages) in rendered.items():
        assert len(pages) == len(Presentation(str(deck_path)).slides), label


def test_the_checks_catch_overflow_and_overlap(rendered):
    deck_path, pages = rendered["control"]
    assert any("déborde" in p for p in _outside("control", deck_path, pages))
    assert any("Premier" in p and "Second" in p for p in _overlapping("control", pages))


def test_no_text_outside_the_slide_or_its_frame(rendered):
    problems = []
    for label, (deck_path, pages) in _checked(rendered).items():
        problems += _outside(label, deck_path, pages)
    assert not problems, "\n".join(problems[:20])


def test_no_two_words_are_drawn_on_each_other(rendered):
    problems = []
    for label, (_, pages) in _checked(rendered).items():
        problems += _overlapping(label, pages)
    assert not problems, "\n".join(problems[:20])


def test_no_frame_asks_the_renderer_to_shrink_text(rendered):
    for label, (deck_path, _) in _checked(rendered).items():
        for slide in Presentation(str(deck_path)).slides:
            assert b"normAutofit" not in slide.part.blob, label


def test_continuation_slides_render_with_their_titles(rendered):
    _, pages = rendered["fixture"]
    texts = [" ".join(w[4] for w in words) for _, _, words in pages]
    assert any("trop longue" in t and "(suite)" in t for t in texts)


def test_the_wide_font_render_uses_liberation_sans_and_no_carlito(wide):
    for label, (deck_path, _) in wide.items():
        fonts = _pdf_fonts(deck_path.with_suffix(".pdf"))
        assert "LiberationSans" in fonts, (label, fonts)
        assert "Carlito" not in fonts, (label, fonts)


def test_with_a_wider_font_no_text_leaves_the_slide_or_reaches_the_footer(wide):
    problems = []
    for label, (deck_path, pages) in wide.items():
        problems += _off_slide_or_on_footer(label, deck_path, pages)
        problems += _overlapping(label, pages)
    assert not problems, "\n".join(problems[:20])


def test_the_footer_check_catches_text_on_the_footer(tmp_path):
    deck = Presentation()
    slide = deck.slides.add_slide(deck.slide_layouts[6])
    number = slide.shapes.add_textbox(Inches(8), Inches(7), Inches(1.5), Inches(0.4))
    number.text_frame.text = "2 / 9"
    low = slide.shapes.add_textbox(Inches(1), Inches(6.8), Inches(5), Inches(0.6))
    low.text_frame.text = "Une ligne qui descend sur le pied de page"
    path = deck.save(tmp_path / "low.pptx") or tmp_path / "low.pptx"
    pages = _words(_render([path], tmp_path)[path])
    problems = _off_slide_or_on_footer("low", path, pages)
    assert any("reaches the footer" in p for p in problems), problems


@pytest.mark.parametrize("fonts", ["own", "wide"])
def test_every_footer_is_drawn_whole_with_its_slide_number(rendered, wide, fonts):
    problems = []
    for label, (deck_path, pages) in (rendered if fonts == "own" else wide).items():
        if label == "control":
            continue
        deck = Presentation(str(deck_path))
        total = len(deck.slides)
        footer = _footer_text(deck.slides[1])
        for number, (_, _, words) in enumerate(pages[1:], start=2):
            text = " ".join(word[4] for word in words)
            if f"{number} / {total}" not in text or footer not in text:
                problems.append(f"{label} slide {number}: footer « {footer} » not drawn whole")
    assert not problems, "\n".join(problems[:20])


def _footer_text(slide) -> str:
    """The footer's text (the box level with the slide number), as pdftotext words."""
    texts = [s for s in slide.shapes if getattr(s, "has_text_frame", False)]
    numbers = [s for s in texts if FOOTER_NUMBER.match(s.text_frame.text.strip())]
    [footer] = [s for s in texts if s.top == numbers[0].top and s not in numbers]
    return " ".join(footer.text_frame.text.split())
