"""The built-in look: colours, font, sizes and margins of the decks.

Sizes are in points and lengths in inches (converted to EMU where shapes are made).
Colours are chosen for contrast: every text colour reaches 4.5:1 on its background
(``contrast_ratio`` computes it, a test checks it).
"""

from __future__ import annotations

from dataclasses import dataclass

from pptx.dml.color import RGBColor

# The font the decks name: PowerPoint users have Calibri, and LibreOffice substitutes
# Carlito (same metrics, OFL) for it. Text is measured with Carlito and, for a machine that
# falls back to a wider font, Arimo (Arial's metrics), both shipped in slides_builder/fonts/
# (``fit.FONT_FILES``).
FONT = "Calibri"

NAVY = RGBColor(0x1F, 0x3A, 0x5F)  # title bar, dividers
INK = RGBColor(0x1F, 0x29, 0x37)  # body text on white
WHITE = RGBColor(0xFF, 0xFF, 0xFF)
MIST = RGBColor(0xDC, 0xE6, 0xF2)  # subtitles on navy
MUTED = RGBColor(0x4B, 0x55, 0x63)  # footer and captions on white
ACCENT = RGBColor(0xB4, 0x53, 0x09)  # markers and rules (amber, 4.9:1 on white)
PALE = RGBColor(0xEE, 0xF2, 0xF7)  # table label column


@dataclass(frozen=True)
class Sizes:
    """Font sizes in points."""

    title: tuple[int, ...] = (32, 28, 24, 20)  # tried in turn until the title fits
    cover_title: tuple[int, ...] = (40, 36, 32, 28)
    cover_subtitle: int = 24
    body: int = 22
    sub: int = 20
    small_body: int = 20  # tried before continuing a slide on a « (suite) » slide
    small_sub: int = 18
    table: int = 18
    footer: int = 12
    caption: int = 14  # a source line under a table, a map or a chart
    line: float = 1.2  # exact line spacing, as a multiple of the font size


SIZES = Sizes()
# Body and sub-bullet sizes tried first for a text slide that fits one slide at them: a
# short slide is set large rather than left in a corner of white space.
ROOMY_SIZES = ((28, 24), (24, 22))

# The built-in 16:9 geometry, in inches.
SLIDE_WIDTH = 12192000 / 914400  # exactly 16:9 with the 7.5 in height
SLIDE_HEIGHT = 7.5
MARGIN = 0.6
TITLE_BAR_HEIGHT = 1.25
BODY_TOP = 1.5
BODY_BOTTOM = 6.7
FOOTER_TOP = 6.9
FOOTER_HEIGHT = 0.4


def relative_luminance(colour: RGBColor) -> float:
    """WCAG relative luminance of a colour."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(foreground: RGBColor, background: RGBColor) -> float:
    """WCAG contrast ratio between two colours (1 to 21)."""
    a, b = sorted((relative_luminance(foreground), relative_luminance(background)), reverse=True)
    return (a + 0.05) / (b + 0.05)


# (text colour, background) pairs the built-in theme uses.
TEXT_ON_BACKGROUND = [(INK, WHITE), (WHITE, NAVY), (MIST, NAVY), (MUTED, WHITE), (INK, PALE)]
