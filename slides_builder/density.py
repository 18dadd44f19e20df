"""How much text the built slides carry: words per text slide and thin « (suite) » slides.

A deck is read back as it was written (title, body placeholders, table cells — never the
notes, the footer or a drawing's labels), so the figures are those of the slides a room
sees. The targets: a text slide carries its point in about 50 words (median) and never
more than 90; a continuation carries at least 40 % of the slide it continues.
"""

from __future__ import annotations

import itertools
import statistics
from collections.abc import Iterable
from dataclasses import dataclass

from pptx.enum.shapes import MSO_SHAPE_TYPE, PP_PLACEHOLDER

from slides_builder.fit import count_words
from slides_builder.shapes import placeholder_elements

MEDIAN_TARGET = 50
MAX_WORDS = 90
THIN_SHARE = 0.4  # a continuation carrying less than this share of the slide before is thin
# The slide kinds made of a title and a body of text (slides_builder.writer.SlideRecord.kind).
TEXT_KINDS = frozenset(
    {"objectives", "agenda", "programme", "content", "quote", "activity", "question", "answer"}
    | {"summary", "sources"}
    | {"grid", "forms"}  # cards and the forms diagram: words in shapes, read like a text slide
)
_TEXT = "{http://schemas.openxmlformats.org/drawingml/2006/main}t"
_BODY_TYPES = (PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT)
SUITE_SUFFIX = "(suite)"


@dataclass(frozen=True)
class SlideWords:
    """The words one built slide shows."""

    deck: str
    number: int
    kind: str
    title: str
    words: int

    @property
    def body_words(self) -> int:
        """Words besides the title's."""
        return self.words - count_words(self.title)

    @property
    def continued(self) -> bool:
        """Whether the slide continues the one before it (a « (suite) » slide)."""
        return self.title.endswith(SUITE_SUFFIX)


def slide_words(deck: str, prs, records) -> list[SlideWords]:
    """Every slide of a built deck with the words it shows (title, body, table cells)."""
    counted = []
    for slide, record in zip(prs.slides, records, strict=True):
        texts = []
        for element, kind in placeholder_elements(slide):
            if kind in (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE, *_BODY_TYPES):
                texts += [t.text or "" for t in element.iter(_TEXT)]
        for shape in slide.shapes:
            if getattr(shape, "has_table", False) or shape.shape_type == MSO_SHAPE_TYPE.GROUP:
                texts += [t.text or "" for t in shape._element.iter(_TEXT)]
        counted.append(
            SlideWords(deck, record.number, record.kind, record.title, count_words(" ".join(texts)))
        )
    return counted


@dataclass(frozen=True)
class Density:
    """The density figures of one or more decks."""

    text_slides: list[SlideWords]
    thin: list[tuple[SlideWords, SlideWords]]  # (continuation, the slide it continues)

    @property
    def median(self) -> float:
        """Median words per text slide."""
        return statistics.median(s.words for s in self.text_slides) if self.text_slides else 0

    @property
    def most(self) -> int:
        """Words of the densest text slide."""
        return max((s.words for s in self.text_slides), default=0)

    @property
    def over(self) -> list[SlideWords]:
        """Text slides over the maximum."""
        return [s for s in self.text_slides if s.words > MAX_WORDS]

    @property
    def meets_targets(self) -> bool:
        """Median at most 50 words, none over 90, no thin continuation."""
        return self.median <= MEDIAN_TARGET and not self.over and not self.thin

    def summary(self) -> str:
        """One line: text slides, median, max, over 90, thin continuations."""
        return (
            f"{len(self.text_slides)} text slides: median {self.median:g} words, "
            f"max {self.most}, {len(self.over)} over {MAX_WORDS}, "
            f"{len(self.thin)} thin « (suite) » slides"
        )


def density(slides: Iterable[SlideWords]) -> Density:
    """Density figures of built slides (one deck's or several decks', in deck order)."""
    slides = list(slides)
    text = [s for s in slides if s.kind in TEXT_KINDS]
    thin = [
        (after, before)
        for before, after in itertools.pairwise(slides)
        if after.continued
        and after.deck == before.deck
        and after.body_words < THIN_SHARE * before.body_words
    ]
    return Density(text, thin)


def course_density(course, template=None) -> dict[str, Density]:
    """Each module's deck built in memory, and its density figures, by module id."""
    from slides_builder.deck import module_deck  # the builder, only when measuring

    figures = {}
    for module in course.modules:
        prs, records = module_deck(course, module, template)
        figures[module.id] = density(slide_words(module.id, prs, records))
    return figures
