"""Decks rendered by LibreOffice: no text outside the slide, outside its frame, or on other text.

Each deck is rendered to PDF once per session; ``pdftotext -bbox`` then gives every
word's box. A word outside every text frame of its slide means text overflowed its
box (the builder writes ``noAutofit`` so LibreOffice cannot quietly shrink it); two
word boxes that intersect mean two texts are drawn on each other.
"""

from __future__ import annotations

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
from tests.tools import need_tool

pytestmark = pytest.mark.render

TOLERANCE = 1.5  # points: glyph boxes may poke out of a frame by a hair
PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
WORD = re.compile(
    r'<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">(.*?)</word>'
)


def _render(decks: list[Path], directory: Path) -> dict[Path, Path]:
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


def _collect(decks: dict[str, Path], tmp: Path) -> dict[str, tuple[Path, list]]:
    named = []
    for label, deck in decks.items():
        copy = tmp / f"{label}.pptx"
        shutil.copyfile(deck, copy)
        named.append(copy)
    pdfs = _render(named, tmp)
    return {label: (tmp / f"{label}.pptx", _words(pdfs[tmp / f"{label}.pptx"])) for label in decks}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, tuple[Path, list]]:
    """The fixture course's deck, the same with the test template, and the shipped course's."""
    tmp = tmp_path_factory.mktemp("render")
    course = load_course(make_course(tmp / "course"))
    build_course(course, tmp / "built")
    build_course(course, tmp / "templated", template=TEMPLATE)
    decks = {
        "fixture": tmp / "built" / "decks" / "theme-1.pptx",
        "template": tmp / "templated" / "decks" / "theme-1.pptx",
    }
    decks["control"] = _broken_deck(tmp / "control.source.pptx")
    try:
        shipped = load_course(REPO_ROOT)
    except ContentErrors:
        shipped = None  # test_cli_content reports the shipped course's problems
    if shipped is not None:
        for path in build_course(shipped, tmp / "shipped"):
            if path.suffix == ".pptx":
                decks[f"shipped-{path.stem}"] = path
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


def _overlapping(label, pages) -> list[str]:
    problems = []
    for number, (_, _, words) in enumerate(pages, start=1):
        for i, a in enumerate(words):
            for b in words[i + 1 :]:
                if _overlap(a, b):
                    problems.append(f"{label} slide {number}: « {a[4]} » on « {b[4]} »")
    return problems


def _frames_pt(slide) -> list[tuple[float, float, float, float]]:
    return [
        (Emu(s.left).pt, Emu(s.top).pt, Emu(s.left + s.width).pt, Emu(s.top + s.height).pt)
        for s in text_shapes(slide.shapes)
    ]


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
    assert {"fixture", "template", "control"} <= set(rendered)
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
