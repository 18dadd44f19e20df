"""What every LMS format needs: the questions of a quiz grouped in sections, and text helpers."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal
from functools import singledispatch

from course import models
from course.attempts import bank, quiz_of
from course.course import Course
from course.grading import ConcreteQuestion, format_number
from course.typography import plain

# Moodle accepts only these answer fractions (question_bank::fraction_options_full),
# compared within 0.00001; written as percentages.
MOODLE_FRACTIONS = (
    1.0, 0.9, 0.8333333, 0.8, 0.75, 0.7, 0.6666667, 0.6, 0.5, 0.4, 0.3333333,
    0.3, 0.25, 0.2, 0.1666667, 0.1428571, 0.125, 0.1111111, 0.1, 0.05, 0.0,
)  # fmt: skip


@dataclass(frozen=True)
class Section:
    """Questions from one bank, and how many an attempt draws from them (None: all)."""

    quiz_id: str
    title: str
    questions: tuple[ConcreteQuestion, ...]
    select: int | None


def sections(course: Course, quiz_id: str, seed: int = 0) -> list[Section]:
    """A quiz as sections: its own questions, then one section per ``draw_from`` bank."""
    quiz = quiz_of(course, quiz_id)
    found = []
    own = tuple(bank(course, quiz_id, seed))
    if own:
        found.append(Section(quiz.id, quiz.title, own, quiz.draw))
    for part in quiz.draw_from:
        source = quiz_of(course, part.quiz)
        found.append(
            Section(source.id, source.title, tuple(bank(course, source.id, seed)), part.count)
        )
    return found


def quiz_ids(course: Course, which: str) -> list[str]:
    """The quiz ids ``which`` names: one id, or every quiz for ``all``."""
    if which == "all":
        return sorted(course.quizzes)
    return [quiz_of(course, which).id]


def category_path(course: Course, section: Section) -> str:
    """Moodle's category path for a section: course title / bank title ("/" doubled)."""
    names = (course.info.title, section.title)
    return "$course$/top/" + "/".join(name.replace("/", "//") for name in names)


def slide_reference(course: Course, slide_id: str) -> str:
    """« Voir : <module>, diapositive N (<title>) », where a question's answer is taught."""
    place = course.slides.get(slide_id)
    if place is None:
        return ""
    title = getattr(place.slide, "title", None)
    if title is None and isinstance(place.slide, models.ProcessSlide):
        process = course.processes.get(place.slide.process)
        title = process.name if process else place.slide.process
    return f"Voir : {place.module.title}, diapositive {place.number} ({title})."


def feedback(course: Course, question: ConcreteQuestion) -> str:
    """The explanation followed by the slide that teaches the answer."""
    reference = slide_reference(course, question.slide)
    return f"{question.explanation}\n{reference}" if reference else question.explanation


@singledispatch
def prompt(question: ConcreteQuestion) -> str:
    """The prompt as an LMS shows it."""
    return question.prompt


@prompt.register
def _(question: models.Numeric) -> str:
    # No unit field in the LMS formats: the prompt names the unit the answer is counted in.
    return f"{question.prompt} ({question.unit})" if question.unit else question.prompt


def strip_accents(text: str) -> str:
    """``text`` without combining accents, œ and æ written out."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return bare.replace("œ", "oe").replace("Œ", "Oe").replace("æ", "ae").replace("Æ", "Ae")


def answer_variants(accepted: list[str]) -> list[str]:
    """Accepted answers plus their plain and accent-free spellings, for LMSs that compare
    case-insensitively but not accent- or apostrophe-insensitively (Moodle's short answer)."""
    variants: dict[str, str] = {}
    for answer in accepted:
        for form in (answer, plain(answer), strip_accents(answer), strip_accents(plain(answer))):
            variants.setdefault(" ".join(form.split()).casefold(), " ".join(form.split()))
    return list(variants.values())


def moodle_percent(share: float) -> str:
    """A share of the mark as a Moodle fraction percentage; ValueError if Moodle refuses it."""
    for allowed in MOODLE_FRACTIONS:
        if abs(abs(share) - allowed) < 0.00001:
            value = round(allowed * 100, 5) * (1 if share >= 0 else -1)
            return format_number(value).replace(",", ".") if value else "0"
    raise ValueError(f"Moodle has no answer fraction {share:.7f}")


def share_weight(points: float, count: int) -> float:
    """The weight of one of ``count`` equal shares of ``points``, for LMSs that add weights and
    cap the sum at the maximum (QTI's mapping ``upperBound``): rounded *up* to 7 decimals,
    so that ``count`` of them, added as floats, never fall short of ``points`` (three
    weights of 0.3333333 add up to 0.9999999, which a player calls "not fully right")."""
    step = Decimal("0.0000001")
    weight = (Decimal(repr(points)) / count).quantize(step, rounding=ROUND_CEILING)
    while _added(float(weight), count) < points:
        weight += step
    return float(weight)


def _added(value: float, count: int) -> float:
    """``count`` times ``value`` added one by one, as a player does (not ``sum``, which
    compensates rounding from Python 3.12 on)."""
    total = 0.0
    for _ in range(count):
        total += value
    return total


def number_text(value: float) -> str:
    """A number with a decimal point, as LMS formats read it."""
    return format_number(value).replace(",", ".")
