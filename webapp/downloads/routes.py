"""Downloads: the decks, facilitator guides, handouts and LMS exports, built on demand."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from flask import Blueprint, abort, current_app, render_template, send_file

from course import Course
from webapp.content import current_course

bp = Blueprint("downloads", __name__)

# One build at a time per process: two learners asking for a missing deck wait for one build.
_BUILD_LOCK = threading.Lock()


@dataclass(frozen=True)
class Kind:
    """A family of files: its folder under the build directory and how to build it."""

    folder: str
    title: str
    names: Callable[[Course], list[str]]
    build: Callable[[Course, Path], object]


def _deck_names(course: Course) -> list[str]:
    return [f"{module.id}.pptx" for module in course.modules]


def _guide_names(course: Course) -> list[str]:
    names = [f"{module.id}-guide.docx" for module in course.modules]
    return names + (["programme-guide.docx"] if course.info.programme else [])


def _handout_names(course: Course) -> list[str]:
    from slides_builder.handouts import course_sheets

    return [sheet.name for sheet in course_sheets(course)]


def _build_handouts(course: Course, build_dir: Path) -> object:
    from slides_builder.build import build_course

    return build_course(course, build_dir, parts=["handouts"])


def _lms_names(course: Course) -> list[str]:
    from course.interchange import FORMATS

    suffixes = FORMATS.values()
    return [f"{quiz_id}{suffix}" for quiz_id in sorted(course.quizzes) for suffix in suffixes]


def _build_decks_and_guides(course: Course, build_dir: Path) -> object:
    from slides_builder.build import build_course

    return build_course(course, build_dir)


def _build_lms(course: Course, build_dir: Path) -> object:
    from course.interchange import write_lms

    return write_lms(course, build_dir / "lms")


KINDS = {
    "diaporamas": Kind("decks", "Diaporamas (PowerPoint)", _deck_names, _build_decks_and_guides),
    "guides": Kind("guides", "Guides de l’animateur (Word)", _guide_names, _build_decks_and_guides),
    "documents": Kind(
        "handouts", "Documents des participants (Word, A4)", _handout_names, _build_handouts
    ),
    "lms": Kind("lms", "Quiz pour plateformes (Moodle XML, GIFT, QTI)", _lms_names, _build_lms),
}

LABELS = {
    ".pptx": "PowerPoint",
    ".docx": "Word",
    ".moodle.xml": "Moodle XML",
    ".gift": "GIFT",
    ".qti.zip": "QTI 2.1",
}


def build_dir() -> Path:
    """Where built files live (``BUILD_DIR``, default ``build/`` under the course)."""
    return Path(current_app.config["BUILD_DIR"])


def file_label(name: str) -> str:
    """The format of a file name, in words."""
    return next((label for suffix, label in LABELS.items() if name.endswith(suffix)), name)


@bp.get("/")
def index():
    """Every downloadable file, with its size when already built."""
    course = current_course()
    groups = []
    for key, kind in KINDS.items():
        files = []
        for name in kind.names(course):
            path = build_dir() / kind.folder / name
            files.append((name, path.stat().st_size if path.is_file() else None))
        if files:
            groups.append((key, kind, files))
    return render_template("downloads/index.html", groups=groups, file_label=file_label)


@bp.get("/<kind>/<name>")
def download(kind: str, name: str):
    """One file, built first when it is missing."""
    family = KINDS.get(kind)
    if family is None or name not in family.names(current_course()):
        abort(404)
    path = build_dir() / family.folder / name
    if not path.is_file():
        with _BUILD_LOCK:
            if not path.is_file():
                try:
                    family.build(current_course(), build_dir())
                except ImportError:
                    current_app.logger.exception("No builder for %s", kind)
                    abort(503)
        if not path.is_file():
            current_app.logger.error("Building %s did not write %s", kind, path)
            abort(503)
    return send_file(path, as_attachment=True, download_name=name)
