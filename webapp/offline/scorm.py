"""SCORM 1.2 packages: one per theme (its overview with the theme's glossary, its slides with
their terms explained, the learner's notes and the quiz) and one per quiz that belongs to no
theme (the course quiz; not the pre/post test, a fixed bank taken on paper in the room).

A package is one SCO: ``scorm.html`` (the launch page, ``static/scorm.js``) keeps the LMS
session and shows the package's pages, the same files as the offline site's, in a frame.
``imsmanifest.xml`` follows ADL's SCORM 1.2 content packaging (IMS CP 1.1.2 with the
``adlcp`` extension and IMS metadata 1.2.1), lists every file of the package in the SCO's
resource and gives the quiz's pass mark as ``adlcp:masteryscore``.
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
import zipfile

from flask import render_template

from course.course import Course
from webapp.offline.pages import Pages, app_pages, as_files, file_path, only_quizzes

IMSCP = "http://www.imsproject.org/xsd/imscp_rootv1p1p2"
ADLCP = "http://www.adlnet.org/xsd/adlcp_rootv1p2"
IMSMD = "http://www.imsglobal.org/xsd/imsmd_rootv1p2p1"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
LAUNCH = "scorm.html"
RUNTIME = ("scorm.js", "scorm.css", "favicon.svg")  # the launch page's static files
ZIP_DATE = (2000, 1, 1, 0, 0, 0)  # fixed, so the same course gives the same bytes


def scorm_packages(course: Course) -> dict[str, bytes]:
    """Every package, by file name: ``theme-1.scorm.zip``…, then ``final.scorm.zip``."""
    packages = {}
    with app_pages(course) as pages:
        for module in course.modules:
            quiz = course.quiz_for_module(module.id)
            title = f"Thème {module.number}\u00a0: {module.title}"
            packages[f"{module.id}.scorm.zip"] = _package(
                pages,
                course,
                module.id,
                title,
                _theme_pages(module.id, quiz and quiz.id),
                start=pages.url("lessons.module", module_id=module.id),
                complete_at=pages.url(
                    "lessons.slide", module_id=module.id, number=len(module.slides)
                ),
                mastery=quiz.pass_percent if quiz else None,
                extra=[pages.url("offline.quiz", quiz_id=quiz.id)] if quiz else [],
            )
        for quiz in course.quizzes.values():
            if quiz.module is None and not quiz.fixed:  # a fixed test is taken on paper
                start = pages.url("offline.quiz", quiz_id=quiz.id)
                packages[f"{quiz.id}.scorm.zip"] = _package(
                    pages,
                    course,
                    quiz.id,
                    quiz.title,
                    _quiz_pages(quiz.id),
                    start=start,
                    complete_at=None,
                    mastery=quiz.pass_percent,
                    extra=[],
                )
    return packages


def _theme_pages(module_id: str, quiz_id: str | None):
    def keep(endpoint: str, values: dict) -> bool:
        if endpoint in ("lessons.module", "lessons.slide", "lessons.notes"):
            return values.get("module_id") == module_id
        return endpoint == "offline.quiz" and values.get("quiz_id") == quiz_id

    return keep


def _quiz_pages(quiz_id: str):
    def keep(endpoint: str, values: dict) -> bool:
        return endpoint == "offline.quiz" and values.get("quiz_id") == quiz_id

    return keep


def _package(
    pages: Pages,
    course: Course,
    identifier: str,
    title: str,
    keep,
    start: str,
    complete_at: str | None,
    mastery: int | None,
    extra: list[str],
) -> bytes:
    # The package's first page stands for the course's home (the header's brand, the
    # breadcrumb's « Accueil »), which the package does not hold.
    pages.aliases = {pages.url("lessons.home"): start}
    try:
        found = pages.crawl([start, *extra], keep)
        files = as_files(pages, found, only_quizzes)
    finally:
        pages.aliases = {}
    with pages.app.test_request_context():
        launch = render_template(
            "offline/scorm.html",
            title=title,
            start=file_path(start),
            complete_at=file_path(complete_at) if complete_at else "",
        )
    files[LAUNCH] = launch.encode("utf-8")
    static = pages.app.static_folder
    for name in RUNTIME:
        with open(f"{static}/{name}", "rb") as handle:
            files[f"static/{name}"] = handle.read()
    ordered = {LAUNCH: files.pop(LAUNCH), **dict(sorted(files.items()))}
    document = manifest(course, identifier, title, ordered, mastery)
    return _zip({"imsmanifest.xml": document, **ordered})


def manifest(
    course: Course, identifier: str, title: str, files: dict[str, bytes], mastery: int | None
) -> bytes:
    """``imsmanifest.xml``: one organisation, one item, one SCO listing every file."""
    root = ET.Element(
        "manifest",
        {
            "identifier": f"coopkit-{course.info.id}-{identifier}",
            "version": "1.0",
            "xmlns": IMSCP,
            "xmlns:adlcp": ADLCP,
            "xmlns:imsmd": IMSMD,
            f"{{{XSI}}}schemaLocation": (
                f"{IMSCP} imscp_rootv1p1p2.xsd {IMSMD} imsmd_rootv1p2p1.xsd "
                f"{ADLCP} adlcp_rootv1p2.xsd"
            ),
        },
    )
    metadata = ET.SubElement(root, "metadata")
    ET.SubElement(metadata, "schema").text = "ADL SCORM"
    ET.SubElement(metadata, "schemaversion").text = "1.2"
    general = ET.SubElement(ET.SubElement(metadata, "imsmd:lom"), "imsmd:general")
    _langstring(ET.SubElement(general, "imsmd:title"), f"{course.info.title} — {title}")
    ET.SubElement(general, "imsmd:language").text = "fr"
    organizations = ET.SubElement(root, "organizations", default=f"org-{identifier}")
    organization = ET.SubElement(organizations, "organization", identifier=f"org-{identifier}")
    ET.SubElement(organization, "title").text = course.info.title
    item = ET.SubElement(
        organization,
        "item",
        identifier=f"item-{identifier}",
        identifierref=f"sco-{identifier}",
        isvisible="true",
    )
    ET.SubElement(item, "title").text = title
    if mastery is not None:
        ET.SubElement(item, "adlcp:masteryscore").text = str(mastery)
    resources = ET.SubElement(root, "resources")
    resource = ET.SubElement(
        resources,
        "resource",
        {
            "identifier": f"sco-{identifier}",
            "type": "webcontent",
            "adlcp:scormtype": "sco",
            "href": LAUNCH,
        },
    )
    for name in files:
        ET.SubElement(resource, "file", href=name)
    ET.register_namespace("xsi", XSI)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def _langstring(parent: ET.Element, text: str) -> None:
    ET.SubElement(parent, "imsmd:langstring", {XML_LANG: "fr"}).text = text


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(zipfile.ZipInfo(name, ZIP_DATE), data, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()
