"""Measuring text with the font's real metrics, wrapping it and splitting it into pages.

Neither PowerPoint nor python-pptx shrinks text reliably (a bare ``normAutofit`` is
only honoured by LibreOffice), so the builder decides itself what fits: it measures
every word with the wider of Carlito's and Arimo's advance widths (Pillow), so lines
break alike in Calibri and in an Arial-width fallback, uses an exact line spacing, and
moves what does not fit to a follow-on slide.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from PIL import ImageFont

from slides_builder.theme import SIZES

FONT_DIR = Path(__file__).parent / "fonts"
_UNITS = 1000  # fonts are loaded at 1000 px per em: lengths scale linearly to points
# A word is as wide as the wider of Carlito (Calibri's metrics, the font the decks name)
# and Arimo (Arial's metrics, OFL), so a machine that has neither Calibri nor Carlito and
# falls back to an Arial-width font breaks the same lines: Arial is 9 % wider than Calibri
# on the decks' paragraphs, up to 19 % on a word in capitals (and 15 % in bold).
FONT_FILES = {
    False: ("Carlito-Regular.ttf", "Arimo-Regular.ttf"),
    True: ("Carlito-Bold.ttf", "Arimo-Bold.ttf"),
}
WIDTH_SAFETY = 1.015  # measured within 0.1 % of LibreOffice's widths; a margin for others


class FitError(ValueError):
    """Content that cannot fit a slide even on a slide of its own (it must be shortened)."""


@cache
def _fonts(bold: bool) -> tuple[ImageFont.FreeTypeFont, ...]:
    return tuple(ImageFont.truetype(str(FONT_DIR / name), _UNITS) for name in FONT_FILES[bold])


@cache
def _word_units(word: str, bold: bool) -> float:
    return max(font.getlength(word) for font in _fonts(bold))


def text_width(text: str, size: float, bold: bool = False) -> float:
    """The width of one line of text in points (words measured once, then summed)."""
    words = text.split(" ")
    return _points(sum(_word_units(w, bold) for w in words if w), len(words), size, bold)


def _points(units: float, words: int, size: float, bold: bool) -> float:
    """The width in points of ``words`` words (and the spaces between them) whose own
    widths sum to ``units``: the one formula of ``text_width`` and ``wrap``."""
    units += (words - 1) * _word_units(" ", bold)
    return units * size / _UNITS * WIDTH_SAFETY


def line_height(size: float) -> float:
    """The exact line spacing used for a font size, in points."""
    return round(size * SIZES.line, 1)


def wrap(text: str, width: float, size: float, bold: bool = False) -> list[str]:
    """Break text into lines no wider than ``width`` points (words longer than a line are cut)."""
    lines: list[str] = []
    for hard_line in text.split("\n"):
        current, units, count = "", 0, 0  # the line so far, its words' widths, its words
        # Only ordinary spaces break: French no-break spaces keep « : » with its word.
        for word in filter(None, hard_line.split(" ")):
            word_units = _word_units(word, bold)
            # The candidate line's width, summed word by word as text_width sums it.
            if _points(units + word_units, count + 1, size, bold) <= width:
                current = f"{current} {word}" if current else word
                units, count = units + word_units, count + 1
                continue
            if current:
                lines.append(current)
            current = word
            while text_width(current, size, bold) > width and len(current) > 1:
                cut = _longest_prefix(current, width, size, bold)
                lines.append(current[:cut])
                current = current[cut:]
            units, count = _word_units(current, bold), 1
        lines.append(current)
    return lines


def _longest_prefix(word: str, width: float, size: float, bold: bool) -> int:
    cut = len(word) - 1
    while cut > 1 and text_width(word[:cut], size, bold) > width:
        cut -= 1
    return cut


@dataclass(frozen=True)
class Para:
    """A paragraph to lay out: its text, level (0 bullet, 1 sub-bullet) and style."""

    text: str
    level: int = 0
    size: float = SIZES.body
    bold: bool = False
    bullet: str | None = "•"
    space_before: float = 6.0
    indent: float = 0.0  # left margin in points (room for the bullet)


@cache
def para_height(para: Para, width: float) -> float:
    """The height of a paragraph in a frame ``width`` points wide (inner width)."""
    lines = wrap(para.text, width - para.indent, para.size, para.bold)
    return para.space_before + len(lines) * line_height(para.size)


def block_height(paras: list[Para], width: float) -> float:
    """The height of consecutive paragraphs (the first one's space before is dropped)."""
    if not paras:
        return 0.0
    return sum(para_height(p, width) for p in paras) - paras[0].space_before


def paginate(
    blocks: list[list[Para]], width: float, height: float, max_words: int | None = None
) -> list[list[Para]]:
    """Pages of blocks (a bullet and its sub-bullets): as few as the text needs, balanced.

    Pages are counted by filling each in turn; the text is then shared out so the pages
    are about equally full, and a continuation never carries a sliver: blocks stay whole
    unless splitting between their paragraphs balances the pages better. With
    ``max_words``, a page also carries at most that many words (for the builder's own
    lists). Raises ``FitError`` when a single paragraph is taller than a page.
    """

    def fits(paras: list[Para]) -> bool:
        if max_words is not None and sum(count_words(p.text) for p in paras) > max_words:
            return False
        return block_height(paras, width) <= height

    filled = _fill(blocks, fits, width, height)
    if len(filled) < 2:
        return filled
    whole = _balanced(blocks, len(filled), fits, width)
    if whole is not None and _evenness(whole, width) >= THIN_SHARE:
        return whole
    loose = _balanced([[p] for block in blocks for p in block], len(filled), fits, width)
    candidates = [pages for pages in (whole, loose, filled) if pages is not None]
    return max(candidates, key=lambda pages: _evenness(pages, width))


THIN_SHARE = 0.4  # a continuation should carry at least this share of the fullest page
_WORD = re.compile(r"\w")


def count_words(text: str) -> int:
    """Words of a text: whitespace-separated pieces holding a letter or digit (so « – »,
    « : » and bullets are not words)."""
    return sum(1 for piece in text.split() if _WORD.search(piece))


def _fill(blocks: list[list[Para]], fits, width: float, height: float) -> list[list[Para]]:
    """Fill pages in turn, splitting a block only if it does not fit a page of its own."""
    pages: list[list[Para]] = [[]]
    for block in blocks:
        if pages[-1] and not fits(pages[-1] + block):
            pages.append([])
        if fits(pages[-1] + block):
            pages[-1].extend(block)
            continue
        for para in block:  # a block taller than a page: split it between paragraphs
            if pages[-1] and not fits([*pages[-1], para]):
                pages.append([])
            if block_height([para], width) > height:
                raise FitError(f"a paragraph is taller than a whole slide: « {para.text[:60]}… »")
            pages[-1].append(para)
    return [page for page in pages if page]


def _balanced(units: list[list[Para]], count: int, fits, width: float) -> list[list[Para]] | None:
    """``units`` shared out in order over ``count`` pages that each ``fits``, with the
    smallest sum of squared page heights (so about equal pages); None if they cannot fit."""
    n = len(units)
    if n < count:
        return None

    def page(start: int, end: int) -> list[Para]:
        return [p for unit in units[start:end] for p in unit]

    # best[k][i]: (cost, previous cut) of the first i units on k pages
    inf = float("inf")
    best = [[(inf, 0)] * (n + 1) for _ in range(count + 1)]
    best[0][0] = (0.0, 0)
    for k in range(1, count + 1):
        for i in range(k, n - (count - k) + 1):
            for j in range(k - 1, i):
                if best[k - 1][j][0] == inf:
                    continue
                paras = page(j, i)
                if not fits(paras):
                    continue
                h = block_height(paras, width)
                cost = best[k - 1][j][0] + h * h
                if cost < best[k][i][0]:
                    best[k][i] = (cost, j)
    if best[count][n][0] == inf:
        return None
    cuts, i = [], n
    for k in range(count, 0, -1):
        j = best[k][i][1]
        cuts.append((j, i))
        i = j
    return [page(j, i) for j, i in reversed(cuts)]


def _evenness(pages: list[list[Para]], width: float) -> float:
    """The emptiest page's height as a share of the fullest's."""
    heights = [block_height(page, width) for page in pages]
    return min(heights) / max(heights)


def fit_lines(
    text: str, width: float, height: float, sizes: tuple[int, ...], bold: bool = False
) -> tuple[int, list[str]]:
    """The largest size (of ``sizes``) at which ``text`` fits the box, and its lines.

    Falls back to the smallest size when none fits (the caller's box is then too small).
    """
    for size in sizes:
        lines = wrap(text, width, size, bold)
        if len(lines) * line_height(size) <= height:
            return size, lines
    return sizes[-1], wrap(text, width, sizes[-1], bold)
