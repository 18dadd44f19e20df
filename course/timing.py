"""How long a section takes to present, counted from its slides.

A section's ``duration_minutes`` is what the programme plans; this estimate is what
presenting its slides costs, so a test can hold the two together. The rates are those
of a facilitator who presents, not reads: a text slide about two minutes, a profile,
table or timeline three (the room reads it too), and each question to the room three
more unless it is marked optional (``room_questions`` with ``essential: false``, or
« Question à la salle (facultative) » in older notes): the facilitator drops those
when late.
"""

from __future__ import annotations

import math
import re

from course import models

TEXT_SLIDE_MINUTES = 2
READ_SLIDE_MINUTES = 3  # profiles, tables and timelines: the room reads them too
QUESTION_MINUTES = 3

_QUESTION = re.compile(r"Question à la salle(?P<mark>\s*\((?P<kind>[^)]*)\))?", re.IGNORECASE)
_OPTIONAL = ("facultati", "optionnel")


def room_questions(slide: object) -> tuple[int, int]:
    """(essential, optional) questions to the room of a slide: its ``room_questions``
    when it has some, else those its facilitator notes announce."""
    listed = getattr(slide, "room_questions", None)
    if listed:
        essential = sum(1 for question in listed if question.essential)
        return essential, len(listed) - essential
    essential = optional = 0
    for match in _QUESTION.finditer(getattr(slide, "notes", None) or ""):
        kind = (match.group("kind") or "").casefold()
        if any(word in kind for word in _OPTIONAL):
            optional += 1
        else:
            essential += 1
    return essential, optional


def slide_minutes(slide: object) -> int:
    """Minutes to present one slide, its essential questions to the room included."""
    reading = isinstance(
        slide,
        models.ProcessSlide
        | models.TableSlide
        | models.TimelineSlide
        | models.ChronologySlide
        | models.ChartSlide,
    )
    essential, _ = room_questions(slide)
    base = READ_SLIDE_MINUTES if reading else TEXT_SLIDE_MINUTES
    return base + QUESTION_MINUTES * essential


def section_minutes(section: models.Section) -> int:
    """Minutes to present a section's slides, rounded up to five."""
    total = sum(slide_minutes(slide) for slide in section.slides)
    return 5 * math.ceil(total / 5)
