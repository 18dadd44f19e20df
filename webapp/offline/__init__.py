"""The course without a server: an offline site and SCORM 1.2 packages, from the app's pages.

Pages are the web app's own: the app is built on the course (``create_app``, with a
throw-away instance folder) and its pages are requested through Flask's test client, as
Frozen-Flask does, then written as files whose links are relative, so they work from a
folder (``file://``), any static host or inside a SCORM package. Quiz pages are the one
exception, since a server grades the app's quizzes: ``offline.quiz`` renders a drawn attempt
with the shared question macros and puts its questions into the page as JSON, and
``static/offline.js`` grades them in the browser with ``course.grading``'s rules.

What a page links to but the set of pages does not hold (the learner's profile, the
workshop, downloads; the explorer from inside a SCORM package) is dropped from the
navigation or left as plain text; forms that need a server are dropped.

- ``site_files(course)``: every file of the offline site (lessons, notes, glossary, quizzes,
  the processes explorer), by relative path;
- ``scorm_packages(course)``: one SCORM 1.2 zip per theme (its slides, notes, glossary and
  quiz) and one for the course quiz (``scorm.py``).
"""

from __future__ import annotations

from pathlib import Path

from course.course import Course
from course.files import write_atomically
from webapp.offline.pages import site_files
from webapp.offline.scorm import scorm_packages

__all__ = ["scorm_packages", "site_files", "write_scorm", "write_site"]


def write_site(course: Course, out: Path | str) -> list[Path]:
    """Write the offline site into ``out``; every file rendered before the first is written."""
    out = Path(out)
    files = site_files(course)
    return [write_atomically(out / name, data) for name, data in files.items()]


def write_scorm(course: Course, out: Path | str) -> list[Path]:
    """Write every SCORM package into ``out`` (``theme-1.scorm.zip``…, ``final.scorm.zip``)."""
    out = Path(out)
    packages = scorm_packages(course)
    return [write_atomically(out / name, data) for name, data in packages.items()]
