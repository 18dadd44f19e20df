"""Build every deck, facilitator guide and handout of a course, writing each file atomically.

Everything is rendered in memory first; only then are files written, each to a
temporary file in the target folder and renamed over the old one, so a failure
never leaves a half-written or mixed build behind.
"""

from __future__ import annotations

import gc
import io
import multiprocessing
import zipfile
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from pptx.opc.serialized import PackageWriter

from course.course import Course
from course.files import write_atomically
from slides_builder.deck import module_deck
from slides_builder.fit import FitError

_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


PARTS = ("decks", "guides", "handouts", "lms")


def build_course(
    course: Course,
    out: Path,
    template: Path | None = None,
    progress: Callable[[str], None] | None = None,
    parts: Iterable[str] = PARTS,
    jobs: int = 1,
    layout_map: dict[str, str] | None = None,
) -> list[Path]:
    """Build the decks, guides, handouts and LMS exports of a course (or only ``parts``);
    return the paths.

    Nothing is written until every deck, guide and handout has been built in memory; each
    file is then written atomically (temporary file + rename). ``progress`` gets a line per
    module (and one for the handouts).
    With ``jobs`` > 1 the modules are rendered in that many forked processes (the decks are
    independent); use it from a command, not from a threaded server. ``layout_map`` names
    the template's layout of a role (``slides_builder.layouts.pick_layouts``).
    """
    out = Path(out)
    parts = set(parts)
    outputs: dict[Path, bytes] = {}
    if parts & {"decks", "guides"}:
        rendered = _render_modules(course, (template, layout_map), parts, jobs)
        for module_id, files, slides in rendered:
            outputs.update((out / name, data) for name, data in files.items())
            if progress:
                names = ", ".join(str(out / name) for name in files)
                progress(f"{module_id}: {slides} slides → {names}")
    if "guides" in parts and course.info.programme:
        from slides_builder.guide import PROGRAMME_GUIDE, programme_guide

        outputs[out / "guides" / PROGRAMME_GUIDE] = _saved(programme_guide(course))
    if "handouts" in parts:
        from slides_builder.handouts import course_sheets, handout_document  # python-docx

        sheets = course_sheets(course)
        for sheet in sheets:
            outputs[out / "handouts" / sheet.name] = _saved(handout_document(course, sheet))
        if progress and sheets:
            progress(f"handouts: {len(sheets)} files → {out / 'handouts'}")
    # The LMS exports are rendered before they write anything, like the decks: a quiz that
    # cannot be exported stops the build before any deck or guide is replaced.
    written = []
    if "lms" in parts:
        from course.interchange import write_lms  # only when needed (start-up time)

        written = write_lms(course, out / "lms")
    return written + [write_atomically(path, data) for path, data in outputs.items()]


_Rendered = tuple[str, dict[str, bytes], int]  # module id, {relative path: bytes}, slide count
_Template = tuple[Path | None, dict[str, str] | None]  # a template and its layout map

# The course and options a forked renderer works on: inherited through fork, not pickled.
_forked: tuple[Course, _Template, set[str]] | None = None


def _render_modules(
    course: Course, template: _Template, parts: set[str], jobs: int
) -> list[_Rendered]:
    """Every module's files, in module order, rendered in ``jobs`` processes at most."""
    jobs = min(jobs, len(course.modules))
    if jobs <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return [_render_module(course, module, template, parts) for module in course.modules]
    global _forked
    _forked = (course, template, parts)
    # Objects alive now are shared with the children: frozen, their collections skip them
    # (and leave their pages unwritten, so copy-on-write does not copy them). The gc docs
    # advise it before a fork.
    gc.freeze()
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(jobs, mp_context=context) as pool:
            # Largest first, so the longest deck does not start last.
            order = sorted(range(len(course.modules)), key=lambda i: -_size(course.modules[i]))
            futures = {index: pool.submit(_render_forked, index) for index in order}
            return [futures[index].result() for index in range(len(course.modules))]
    finally:
        _forked = None
        gc.unfreeze()


def _size(module) -> int:
    return sum(len(section.slides) for section in module.sections)


def _render_forked(index: int) -> _Rendered:
    course, template, parts = _forked
    return _render_module(course, course.modules[index], template, parts)


def _render_module(course: Course, module, template: _Template, parts: set[str]) -> _Rendered:
    """One module's deck and/or guide as bytes, by path relative to the output folder."""
    try:
        prs, records = module_deck(course, module, *template)
    except FitError as exc:
        raise FitError(f"{module.id}: {exc}") from exc
    files: dict[str, bytes] = {}
    if "decks" in parts:
        files[f"decks/{module.id}.pptx"] = _saved_deck(prs)
    if "guides" in parts:
        from slides_builder.guide import module_guide  # python-docx: only when needed

        files[f"guides/{module.id}-guide.docx"] = _saved(module_guide(course, module, records))
    return module.id, files, len(records)


def _saved(document) -> bytes:
    """A python-pptx/python-docx document as reproducible bytes (fixed zip entry dates)."""
    buffer = io.BytesIO()
    document.save(buffer)
    return normalise_zip(buffer.getvalue())


def _saved_deck(prs) -> bytes:
    """A presentation as reproducible bytes: ``_saved``'s result, zipped once instead of twice."""
    buffer = io.BytesIO()
    package = prs.part.package
    _ReproduciblePackageWriter.write(buffer, package._rels, tuple(package.iter_parts()))
    return buffer.getvalue()


class _ReproduciblePackageWriter(PackageWriter):
    """python-pptx's package writer (pinned 1.0.2) writing through ``_FixedDateZip``."""

    def _write(self) -> None:
        with _FixedDateZip(self._pkg_file) as zip_writer:
            self._write_content_types_stream(zip_writer)
            self._write_pkg_rels(zip_writer)
            self._write_parts(zip_writer)


class _FixedDateZip:
    """Zip entries written as ``normalise_zip`` rewrites them (fixed date, mode 644)."""

    def __init__(self, stream) -> None:
        self.zip = zipfile.ZipFile(stream, "w")

    def __enter__(self) -> _FixedDateZip:
        return self

    def __exit__(self, *exc) -> None:
        self.zip.close()

    def write(self, pack_uri, blob: bytes) -> None:
        """Write one part (python-pptx's physical writer interface)."""
        self.zip.writestr(_entry(pack_uri.membername), blob)


def _entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=_ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    return info


def normalise_zip(data: bytes) -> bytes:
    """Rewrite a zip with a fixed date on every entry, so the same input gives the same bytes."""
    result = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(result, "w") as target:
        for entry in source.infolist():
            target.writestr(_entry(entry.filename), source.read(entry.filename))
    return result.getvalue()
