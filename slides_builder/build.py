"""Build every deck and facilitator guide of a course, writing each file atomically.

Everything is rendered in memory first; only then are files written, each to a
temporary file in the target folder and renamed over the old one, so a failure
never leaves a half-written or mixed build behind.
"""

from __future__ import annotations

import io
import os
import tempfile
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path

from course.course import Course
from slides_builder.deck import module_deck
from slides_builder.fit import FitError

_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


PARTS = ("decks", "guides", "lms")


def build_course(
    course: Course,
    out: Path,
    template: Path | None = None,
    progress: Callable[[str], None] | None = None,
    parts: Iterable[str] = PARTS,
) -> list[Path]:
    """Build the decks, guides and LMS exports of a course (or only ``parts``); return the paths.

    Nothing is written until every deck and guide has been built in memory; each file is
    then written atomically (temporary file + rename). ``progress`` gets a line per module.
    """
    out = Path(out)
    parts = set(parts)
    outputs: dict[Path, bytes] = {}
    for module in course.modules:
        if not parts & {"decks", "guides"}:
            break
        try:
            prs, records = module_deck(course, module, template)
        except FitError as exc:
            raise FitError(f"{module.id}: {exc}") from exc
        built = []
        if "decks" in parts:
            built.append(out / "decks" / f"{module.id}.pptx")
            outputs[built[-1]] = _saved(prs)
        if "guides" in parts:
            from slides_builder.guide import module_guide  # python-docx: only when needed

            built.append(out / "guides" / f"{module.id}-guide.docx")
            outputs[built[-1]] = _saved(module_guide(course, module, records))
        if progress:
            progress(f"{module.id}: {len(records)} slides → {', '.join(map(str, built))}")
    # The LMS exports are rendered before they write anything, like the decks: a quiz that
    # cannot be exported stops the build before any deck or guide is replaced.
    written = []
    if "lms" in parts:
        from course.interchange import write_lms  # only when needed (start-up time)

        written = write_lms(course, out / "lms")
    return written + [write_atomically(path, data) for path, data in outputs.items()]


def _saved(document) -> bytes:
    """A python-pptx/python-docx document as reproducible bytes (fixed zip entry dates)."""
    buffer = io.BytesIO()
    document.save(buffer)
    return normalise_zip(buffer.getvalue())


def normalise_zip(data: bytes) -> bytes:
    """Rewrite a zip with a fixed date on every entry, so the same input gives the same bytes."""
    result = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(result, "w") as target:
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(entry.filename))
    return result.getvalue()


def write_atomically(path: Path, data: bytes) -> Path:
    """Write bytes to a temporary file beside ``path``, then rename it over ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path
