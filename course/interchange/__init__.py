"""LMS interchange: quizzes as Moodle XML, GIFT and QTI 2.1 packages.

Generated questions are exported as the concrete questions ``bank`` makes with
the given seed (0 by default), so an export is reproducible. A quiz drawing from
other banks (``draw_from``) exports those banks' questions as extra categories
(sections in QTI, with the number to draw); when several quizzes are exported
together, a bank is written once.
"""

from __future__ import annotations

from pathlib import Path

from course.course import Course
from course.files import write_atomically
from course.interchange.common import Section, quiz_ids, sections
from course.interchange.gift import gift
from course.interchange.moodle import moodle_xml
from course.interchange.qti import qti_package

FORMATS = {"moodle-xml": ".moodle.xml", "gift": ".gift", "qti": ".qti.zip"}

__all__ = ["FORMATS", "export", "quiz_ids", "sections", "write_lms"]


def export(course: Course, which: str, fmt: str, seed: int = 0) -> bytes:
    """Quiz ``which`` (an id or ``all``) in format ``fmt`` (a key of ``FORMATS``), as bytes."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format '{fmt}'; expected one of {', '.join(FORMATS)}")
    ids = quiz_ids(course, which)
    by_quiz = {quiz_id: sections(course, quiz_id, seed) for quiz_id in ids}
    if fmt == "qti":
        return qti_package(course, by_quiz)
    flat = _once_each(by_quiz)
    if fmt == "gift":
        return gift(course, flat).encode("utf-8")
    return moodle_xml(course, flat)


def _once_each(by_quiz: dict[str, list[Section]]) -> list[Section]:
    """Every section, a bank's questions only once (the final quiz repeats the theme banks)."""
    seen: set[str] = set()
    flat = []
    for quiz_sections in by_quiz.values():
        for section in quiz_sections:
            if section.quiz_id not in seen:
                seen.add(section.quiz_id)
                flat.append(section)
    return flat


def write_lms(course: Course, directory: Path | str, seed: int = 0) -> list[Path]:
    """Write every quiz bank in every format into ``directory``; return the paths written.

    Every file is built in memory first, so a failing quiz writes nothing.
    """
    directory = Path(directory)
    outputs = {
        directory / f"{quiz_id}{suffix}": export(course, quiz_id, fmt, seed)
        for quiz_id in sorted(course.quizzes)
        for fmt, suffix in FORMATS.items()
    }
    return [write_atomically(path, data) for path, data in outputs.items()]
