"""The course without a server: SCORM 1.2 packages and the offline site (``webapp.offline``).

- every package's ``imsmanifest.xml`` valid against ADL's SCORM 1.2 schemas
  (``tests/data/xsd/``), every file of the package listed, every link inside the package;
- the offline site: the lessons, quizzes, glossary and explorer as files whose links
  all resolve, nothing fetched from the network;
- in Chromium: the in-browser grader gives ``course.grading``'s scores on the same answers;
  a package inside a fake LMS (a parent page defining ``window.API`` and recording the
  calls) reports its location, score and status; the site from ``file://`` with the
  network blocked: a lesson, a quiz scored, the explorer, no console error.
"""

from __future__ import annotations

import functools
import http.server
import io
import itertools
import json
import posixpath
import re
import shutil
import subprocess
import threading
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from coopkit.cli import main
from course import load_course, models
from course.attempts import bank, draw, grade_attempt
from course.grading import InvalidResponse, grade
from course.interchange.common import strip_accents
from tests.quiz_helpers import QUIZ_COURSE, REPO_ROOT, quiz_course, right_response
from tests.test_browser_learner import (  # noqa: F401 (browser: a fixture)
    DESKTOP,
    answer,
    browser,
    shoot,
)
from tests.tools import need_tool
from webapp.offline import scorm_packages, site_files
from webapp.offline.routes import SEED

XSD = Path(__file__).parent / "data" / "xsd"
CP = "{http://www.imsproject.org/xsd/imscp_rootv1p1p2}"
ADLCP = "{http://www.adlnet.org/xsd/adlcp_rootv1p2}"
LINK = re.compile(r'\b(?:href|src)="([^"]*)"')


@pytest.fixture(scope="module")
def course():
    return load_course(REPO_ROOT)


@pytest.fixture(scope="module")
def packages(course) -> dict[str, dict[str, bytes]]:
    """Every package's files, by package name."""
    found = {}
    for name, data in scorm_packages(course).items():
        archive = zipfile.ZipFile(io.BytesIO(data))
        assert archive.testzip() is None
        found[name] = {n: archive.read(n) for n in archive.namelist()}
    return found


@pytest.fixture(scope="module")
def site(course, tmp_path_factory) -> Path:
    """The offline site written to a folder."""
    folder = tmp_path_factory.mktemp("site")
    for name, data in site_files(course).items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    return folder


@functools.cache
def scorm_schema() -> etree.XMLSchema:
    """ADL's SCORM 1.2 schemas; libxml2 ≥ 2.12 (lxml's) refuses ADL's imsmd wildcard
    ``##any`` as non-deterministic, so lxml gets a copy with ``##other`` (tests/data/xsd/
    README.md); ``xmllint`` checks the files as they are."""
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="scorm12-xsd-"))
    for part in ("scorm12", "w3"):
        shutil.copytree(XSD / part, folder / part)
    shutil.copy(XSD / "scorm12_manifest.xsd", folder)
    imsmd = folder / "scorm12" / "imsmd_rootv1p2p1.xsd"
    imsmd.chmod(0o644)
    imsmd.write_text(imsmd.read_text().replace('namespace="##any"', 'namespace="##other"'))
    return etree.XMLSchema(etree.parse(str(folder / "scorm12_manifest.xsd")))


def links(html: str) -> list[str]:
    """Every href and src of a page, but fragments and other sites."""
    return [
        link
        for link in LINK.findall(html)
        if not link.startswith(("#", "http://", "https://", "mailto:", "data:"))
    ]


def dangling(files: dict[str, bytes]) -> list[str]:
    """Links of the HTML files that lead to no file of the set."""
    problems = []
    for name, data in files.items():
        if not name.endswith(".html"):
            continue
        for link in links(data.decode("utf-8")):
            target = posixpath.normpath(posixpath.join(posixpath.dirname(name), link.split("#")[0]))
            if link.startswith("/") or target not in files:
                problems.append(f"{name}: {link}")
    return problems


# --- SCORM packages -----------------------------------------------------------------------


def test_one_package_per_theme_and_one_for_the_course_quiz(course, packages):
    themes = [f"{m.id}.scorm.zip" for m in course.modules]
    loose = [
        f"{q.id}.scorm.zip" for q in course.quizzes.values() if q.module is None and not q.fixed
    ]
    assert list(packages) == themes + loose
    assert loose == ["final.scorm.zip"]


def test_every_manifest_is_valid_against_the_scorm_12_schemas(packages):
    for name, files in packages.items():
        document = etree.fromstring(files["imsmanifest.xml"])
        assert scorm_schema().validate(document), f"{name}: {scorm_schema().error_log}"


def test_xmllint_agrees_that_the_manifests_are_valid(packages, tmp_path):
    xmllint = need_tool("xmllint", "libxml2-utils")
    for name, files in packages.items():
        path = tmp_path / f"{name}.imsmanifest.xml"
        path.write_bytes(files["imsmanifest.xml"])
        run = subprocess.run(
            [xmllint, "--nonet", "--noout", "--schema", str(XSD / "scorm12_manifest.xsd"), path],
            capture_output=True,
            text=True,
            check=False,
        )
        assert run.returncode == 0, run.stderr[-2000:]


def test_the_schema_check_catches_a_wrong_manifest(packages):
    document = etree.fromstring(packages["theme-1.scorm.zip"]["imsmanifest.xml"])
    resource = document.find(f".//{CP}resource")
    resource.set(f"{ADLCP}scormtype", "lesson")  # not "sco" or "asset"
    assert not scorm_schema().validate(document)


def test_every_file_is_listed_and_every_link_stays_in_the_package(course, packages):
    for name, files in packages.items():
        manifest = etree.fromstring(files["imsmanifest.xml"])
        (resource,) = manifest.iter(f"{CP}resource")
        listed = [f.get("href") for f in resource.iter(f"{CP}file")]
        assert sorted(listed) == sorted(set(files) - {"imsmanifest.xml"}), name
        assert resource.get("href") == "scorm.html" and resource.get(f"{ADLCP}scormtype") == "sco"
        assert not dangling(files), (name, dangling(files)[:5])


def test_a_theme_package_holds_its_slides_notes_glossary_and_quiz(course, packages):
    module = course.module("theme-2")
    quiz = course.quiz_for_module("theme-2")
    files = packages["theme-2.scorm.zip"]
    pages = {n for n in files if n.endswith(".html")}
    slides = {f"themes/theme-2/{n}.html" for n in range(1, len(module.slides) + 1)}
    assert slides <= pages
    assert {"themes/theme-2/index.html", "themes/theme-2/notes.html"} <= pages
    assert f"quiz/{quiz.id}/hors-ligne.html" in pages
    assert not any(n.startswith(("themes/theme-1/", "processus/")) for n in pages)
    launch = files["scorm.html"].decode()
    assert 'data-start="themes/theme-2/index.html"' in launch
    assert f'data-complete-at="themes/theme-2/{len(module.slides)}.html"' in launch
    manifest = etree.fromstring(files["imsmanifest.xml"])
    assert manifest.findtext(f".//{ADLCP}masteryscore") == str(quiz.pass_percent)
    slide = files["themes/theme-2/5.html"].decode()
    assert "Les termes de cette page" in slide  # the glossary, where a term is used
    overview = files["themes/theme-2/index.html"].decode()
    assert "Glossaire du thème" in overview
    assert "Facilitateur" not in slide  # never the facilitator notes


def test_packages_are_reproducible(course, packages):
    again = scorm_packages(course)
    for name, data in again.items():
        archive = zipfile.ZipFile(io.BytesIO(data))
        assert {n: archive.read(n) for n in archive.namelist()} == packages[name]


# --- The offline site --------------------------------------------------------------------


def site_map(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}


def test_the_site_holds_lessons_quizzes_glossary_and_explorer(course, site):
    files = site_map(site)
    assert "index.html" in files and "glossaire.html" in files
    for module in course.modules:
        for number in range(1, len(module.slides) + 1):
            assert f"themes/{module.id}/{number}.html" in files
    for quiz_id in course.quizzes:
        assert f"quiz/{quiz_id}/hors-ligne.html" in files
    assert "processus/index.html" in files
    for process_id in course.processes:
        assert any(n.startswith("processus/") and process_id in n for n in files), process_id
    assert not any(n.startswith(("atelier", "telechargements", "parcours")) for n in files)
    assert not dangling(files), dangling(files)[:5]


def test_the_site_needs_no_network(site):
    for name, data in site_map(site).items():
        if name.endswith((".html", ".css", ".js")):
            text = data.decode("utf-8")
            assert not re.search(r'<(script|link|img)\b[^>]*(src|href)="(https?:)?//', text), name
            assert not re.search(r"url\(\s*['\"]?(https?:)?//", text), name
            assert "@import" not in text, name


def test_server_forms_are_left_out_and_quiz_forms_kept(site):
    explorer = (site / "processus" / "index.html").read_text()
    assert "<form" not in explorer
    quiz = (site / "quiz" / "theme-1" / "hors-ligne.html").read_text()
    assert 'id="offline-quiz"' in quiz and 'id="quiz-data"' in quiz


def test_the_quiz_page_carries_the_attempt_the_server_would_grade(course, site):
    html = (site / "quiz" / "theme-1" / "hors-ligne.html").read_text()
    data = json.loads(re.search(r'id="quiz-data">(.*?)</script>', html, re.S).group(1))
    attempt = draw(course, "theme-1", SEED)
    assert data["pass_percent"] == attempt.pass_percent
    assert [i["key"] for i in data["items"]] == [i.key for i in attempt.items]
    for sent, item in zip(data["items"], attempt.items, strict=True):
        assert sent["question"] == item.question.model_dump(mode="json")
        assert sent["order"] == list(item.order)
        assert f'id="{item.key}-question"' in html


def test_cli_exports_scorm_and_site(runner, tmp_path):
    result = runner.invoke(
        main, ["export", "scorm", "--root", str(REPO_ROOT), "--out", str(tmp_path / "lms")]
    )
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in (tmp_path / "lms").iterdir())
    assert names == [
        "final.scorm.zip",
        "theme-1.scorm.zip",
        "theme-2.scorm.zip",
        "theme-3.scorm.zip",
    ]
    result = runner.invoke(
        main, ["export", "site", "--root", str(REPO_ROOT), "--out", str(tmp_path / "site")]
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "site" / "index.html").is_file()
    assert "open " in result.output
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the site's folder would go")
    result = runner.invoke(
        main, ["export", "site", "--root", str(REPO_ROOT), "--out", str(blocked / "site")]
    )
    assert result.exit_code == 1
    assert "Error:" in result.stderr and "Traceback" not in result.output
    assert blocked.read_text() == "a file where the site's folder would go"


def test_build_only_scorm_and_site_on_another_course(runner, tmp_path):
    """``--root`` serves any course in the format: the small test course here."""
    out = tmp_path / "out"
    args = ["build", "--root", str(QUIZ_COURSE), "--out", str(out), "--only", "scorm"]
    result = runner.invoke(main, [*args, "--only", "site"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["lms", "site"]
    assert sorted(p.name for p in (out / "lms").iterdir()) == [
        "final.scorm.zip",
        "theme-1.scorm.zip",
    ]
    files = site_map(out / "site")
    assert "quiz/theme-1/hors-ligne.html" in files and not dangling(files)


# --- In Chromium ----------------------------------------------------------------------------


def responses_to_try(question) -> list[object]:
    """Right, blank, wrong and partial responses in the shape ``grade`` expects."""
    tries: list[object] = [right_response(question), None]
    if isinstance(question, models.SingleChoice):
        tries += [c.id for c in question.choices]
    elif isinstance(question, models.MultipleChoice):
        ids = [c.id for c in question.choices]
        tries += [list(s) for n in range(len(ids) + 1) for s in itertools.combinations(ids, n)]
    elif isinstance(question, models.TrueFalse):
        tries += [True, False]
    elif isinstance(question, models.Matching):
        rights = [p.right for p in question.pairs]
        shifted = rights[1:] + rights[:1]
        tries += [
            {},
            dict(zip([p.left for p in question.pairs], shifted, strict=True)),
            {question.pairs[0].left: question.pairs[0].right},
            {question.pairs[0].left: ""},
        ]
    elif isinstance(question, models.Ordering):
        items = list(question.items)
        tries += [[], items[::-1]]
        tries += [
            [*items[:i], items[i + 1], items[i], *items[i + 2 :]] for i in range(len(items) - 1)
        ]
    elif isinstance(question, models.Numeric):
        value = question.answer
        tries += [
            "",
            f"{value:g}".replace(".", ","),
            f"{value + question.tolerance:g}",
            f"{value + question.tolerance + 1:g}",
            f" {value:,.0f} ".replace(",", "\u202f"),
            "douze",
            "1,5,2",
        ]
    elif isinstance(question, models.ShortText):
        for accepted in question.accepted:
            tries += [
                accepted.upper(),
                strip_accents(accepted),
                f"  {accepted.replace('’', chr(39))}  ",
                accepted.replace("oe", "œ"),
                accepted + " x",
            ]
        tries += ["", "   "]
    return tries


def python_grade(question, response) -> object:
    try:
        return grade(question, response).score
    except InvalidResponse:
        return "invalid"


@pytest.mark.browser
def test_the_in_browser_grader_gives_the_servers_scores(browser, site):  # noqa: F811
    questions = [
        q
        for course in (load_course(REPO_ROOT), quiz_course())
        for quiz_id in course.quizzes
        for q in bank(course, quiz_id, seed=0)
    ]
    cases = [
        {"question": q.model_dump(mode="json"), "response": r, "expected": python_grade(q, r)}
        for q in questions
        for r in responses_to_try(q)
    ]
    page = browser.new_page()
    page.goto((site / "quiz" / "theme-1" / "hors-ligne.html").as_uri())
    got = page.evaluate(
        """cases => cases.map(c => {
            try { return CoopkitGrader.grade(c.question, c.response).score; }
            catch (e) { if (e instanceof CoopkitGrader.Invalid) return "invalid"; throw e; }
        })""",
        cases,
    )
    page.close()
    wrong = [
        (c["question"]["id"], c["response"], c["expected"], g)
        for c, g in zip(cases, got, strict=True)
        if g != (c["expected"] if c["expected"] == "invalid" else pytest.approx(c["expected"]))
    ]
    assert not wrong, wrong[:10]
    assert len(cases) > 1000
    assert {c["question"]["type"] for c in cases} >= {
        "single", "multiple", "true_false", "matching", "ordering", "numeric", "short_text"
    }  # fmt: skip


def form_values(item, response) -> dict[str, list[str]]:
    """The fields a learner fills in for ``response``, named as the macros name them."""
    q, key = item.question, item.key
    if isinstance(q, models.Matching):
        return {f"{key}-{n}": [response.get(p.left, "")] for n, p in enumerate(q.pairs, 1)}
    if isinstance(q, models.Ordering):
        rank = {text: str(response.index(text) + 1) for text in response}
        return {f"{key}-{n}": [rank.get(text, "")] for n, text in enumerate(item.order, 1)}
    if isinstance(q, models.MultipleChoice):
        return {key: list(response)}
    if isinstance(q, models.TrueFalse):
        return {key: ["vrai" if response else "faux"]}
    return {key: [str(response)]}


def fields_to_try(item) -> list[dict[str, list[str]]]:
    """Right fields, blank fields, and the mistakes a person makes (a rank given twice or
    left out, a word for a number)."""
    tries = [form_values(item, right_response(item.question)), {}]
    if isinstance(item.question, models.Ordering):
        ranks = form_values(item, right_response(item.question))
        tries.append({**ranks, f"{item.key}-2": ranks[f"{item.key}-1"]})
        tries.append({**ranks, f"{item.key}-1": [""]})
    if isinstance(item.question, models.Numeric):
        tries += [{item.key: ["douze"]}, {item.key: [" 1 000,5 "]}]
    return tries


@pytest.mark.browser
def test_the_in_browser_form_reader_reads_what_the_server_reads(browser, site, course):  # noqa: F811
    from werkzeug.datastructures import MultiDict

    from course.responses import AnswerMistake
    from webapp.answers import read_answer

    cases = []
    for quiz_id in course.quizzes:
        for item in draw(course, quiz_id, SEED).items:
            for values in fields_to_try(item):
                try:
                    expected = read_answer(item, MultiDict(list(_pairs(values))))
                except AnswerMistake as mistake:
                    expected = {"mistake": str(mistake)}
                cases.append(
                    {
                        "item": {"key": item.key, "order": list(item.order),
                                 "question": item.question.model_dump(mode="json")},
                        "values": values,
                        "expected": expected,
                    }
                )  # fmt: skip
    page = browser.new_page()
    page.goto((site / "quiz" / "theme-1" / "hors-ligne.html").as_uri())
    got = page.evaluate(
        """cases => cases.map(c => {
            const form = document.createElement("form");
            for (const [name, values] of Object.entries(c.values)) {
                for (const value of values) {
                    const input = document.createElement("input");
                    input.type = "hidden";
                    input.name = name;
                    input.value = value;
                    form.appendChild(input);
                }
            }
            try { return CoopkitGrader.readAnswer(c.item, form); }
            catch (e) {
                if (e instanceof CoopkitGrader.Mistake) return {mistake: e.message};
                throw e;
            }
        })""",
        cases,
    )
    page.close()
    wrong = [
        (c["item"]["key"], c["values"], c["expected"], g)
        for c, g in zip(cases, got, strict=True)
        if g != c["expected"]
    ]
    assert not wrong, wrong[:5]
    assert any("mistake" in str(c["expected"]) for c in cases)


def _pairs(values: dict[str, list[str]]):
    for name, items in values.items():
        for value in items:
            yield name, value


def answer_some(frame, attempt, every: int) -> dict[str, object]:
    """Answer right the items whose number is a multiple of ``every`` (the others blank);
    return the responses, as ``grade_attempt`` takes them."""
    responses = {}
    for item in attempt.items:
        if int(item.key[1:]) % every == 0:
            answer(frame, item)
            responses[item.key] = right_response(item.question)
    return responses


@pytest.fixture(scope="module")
def lms_server(packages, tmp_path_factory):
    """A fake LMS on 127.0.0.1: ``lms.html`` defines window.API, records every call in
    ``window.calls`` and shows the package (``pkg/NAME/``) in a frame; ``#resume=PAGE`` gives
    the LMS a lesson_location to hand back."""
    root = tmp_path_factory.mktemp("lms")
    for name, files in packages.items():
        for path, data in files.items():
            target = root / "pkg" / name.removesuffix(".scorm.zip") / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    (root / "lms.html").write_text(FAKE_LMS, encoding="utf-8")
    handler = functools.partial(QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)
    server.server_close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # pytest shows failures; no log per request
        pass


FAKE_LMS = """<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>LMS d’essai</title>
<link rel="icon" href="data:,">
<script>
  window.calls = [];
  var params = new URLSearchParams(location.hash.slice(1));
  var cmi = {"cmi.core.lesson_status": params.get("status") || "not attempted",
             "cmi.core.lesson_location": params.get("resume") || ""};
  function record(name, result) {
    return function (a, b) {
      calls.push([name, a, b === undefined ? null : b]);
      return result(a, b);
    };
  }
  window.API = {
    LMSInitialize: record("LMSInitialize", function () { return "true"; }),
    LMSFinish: record("LMSFinish", function () { return "true"; }),
    LMSGetValue: record("LMSGetValue", function (n) { return cmi[n] || ""; }),
    LMSSetValue: record("LMSSetValue", function (n, v) { cmi[n] = v; return "true"; }),
    LMSCommit: record("LMSCommit", function () { return "true"; }),
    LMSGetLastError: function () { return "0"; },
    LMSGetErrorString: function () { return ""; },
    LMSGetDiagnostic: function () { return ""; }
  };
  window.addEventListener("DOMContentLoaded", function () {
    var frame = document.createElement("iframe");
    frame.id = "content";
    frame.style.width = "100%";
    frame.style.height = "900px";
    frame.src = "pkg/" + (params.get("package") || "theme-1") + "/scorm.html";
    document.body.appendChild(frame);
  });
</script></head><body></body></html>
"""


def console_errors(page) -> list[str]:
    """The page's console errors and uncaught exceptions, as they come."""
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return errors


def sets(calls) -> list[tuple[str, str]]:
    return [(c[1], c[2]) for c in calls if c[0] == "LMSSetValue"]


@pytest.fixture
def lms_page(browser):  # noqa: F811
    context = browser.new_context(viewport=DESKTOP, locale="fr-FR")
    page = context.new_page()
    errors = console_errors(page)
    yield page
    context.close()
    assert errors == [], errors


def package_frame(page):
    """The frame of the package's pages (inside the launch page, inside the LMS)."""
    page.wait_for_function("window.calls.some(c => c[0] === 'LMSInitialize')")
    return page.frame_locator("#content").frame_locator("#sco")


@pytest.mark.browser
def test_a_package_in_an_lms_reports_location_score_and_status(lms_page, lms_server, course):
    page = lms_page
    page.goto(f"{lms_server}/lms.html#package=theme-1")
    sco = package_frame(page)
    sco.get_by_role("heading", level=1).wait_for()
    page.wait_for_function("window.calls.some(c => c[1] === 'cmi.core.lesson_location')")
    calls = page.evaluate("window.calls")
    assert calls[0][0] == "LMSInitialize"
    assert ("cmi.core.lesson_status", "incomplete") in sets(calls)
    assert ("cmi.core.lesson_location", "themes/theme-1/index.html") in sets(calls)
    assert [c[0] for c in calls].count("LMSInitialize") == 1

    last = f"themes/theme-1/{len(course.module('theme-1').slides)}.html"
    launch = next(f for f in page.frames if f.url.endswith("/scorm.html"))
    launch.evaluate(f"document.getElementById('sco').src = '{last}'")
    sco.get_by_role("link", name=re.compile("passer le quiz")).wait_for()
    page.wait_for_function(f"window.calls.some(c => c[2] === '{last}')")
    assert ("cmi.core.lesson_status", "completed") in sets(page.evaluate("window.calls"))

    sco.get_by_role("link", name=re.compile("passer le quiz")).click()
    sco.locator("#offline-quiz").wait_for()
    attempt = draw(course, "theme-1", SEED)
    for item in attempt.items:
        answer(sco, item)
    sco.get_by_role("button", name="Valider mes réponses").click()
    sco.locator("#offline-score").wait_for()
    assert "Réussi" in sco.locator("#offline-score-title").inner_text()
    calls = page.evaluate("window.calls")
    reported = dict(sets(calls))
    assert reported["cmi.core.lesson_location"] == "quiz/theme-1/hors-ligne.html"
    assert (reported["cmi.core.score.raw"], reported["cmi.core.score.min"]) == ("100", "0")
    assert reported["cmi.core.score.max"] == "100"
    assert reported["cmi.core.lesson_status"] == "passed"
    assert calls[-1][0] == "LMSCommit"

    page.evaluate("document.getElementById('content').remove()")  # the LMS closes the SCO
    page.wait_for_function("window.calls.some(c => c[0] === 'LMSFinish')")
    calls = page.evaluate("window.calls")
    assert calls[-1][0] == "LMSFinish"
    assert re.fullmatch(r"\d{4}:\d\d:\d\d\.\d\d", dict(sets(calls))["cmi.core.session_time"])
    assert dict(sets(calls))["cmi.core.exit"] == ""  # passed: nothing to resume


@pytest.mark.browser
def test_a_learner_who_leaves_before_the_quiz_can_resume(lms_page, lms_server):
    page = lms_page
    page.goto(f"{lms_server}/lms.html#package=theme-2")
    sco = package_frame(page)
    sco.get_by_role("link", name="Commencer la lecture").click()
    page.wait_for_function("window.calls.some(c => c[2] === 'themes/theme-2/1.html')")
    page.evaluate("document.getElementById('content').remove()")
    page.wait_for_function("window.calls.some(c => c[0] === 'LMSFinish')")
    reported = dict(sets(page.evaluate("window.calls")))
    assert reported["cmi.core.exit"] == "suspend"
    assert reported["cmi.core.lesson_status"] == "incomplete"
    assert reported["cmi.core.lesson_location"] == "themes/theme-2/1.html"


@pytest.mark.browser
def test_a_package_resumes_where_the_learner_left_and_reports_a_fail(lms_page, lms_server, course):
    page = lms_page
    page.goto(
        f"{lms_server}/lms.html#package=final&status=incomplete&resume=quiz/final/hors-ligne.html"
    )
    sco = package_frame(page)
    sco.locator("#offline-quiz").wait_for()  # resumed on the quiz page
    attempt = draw(course, "final", SEED)
    responses = answer_some(sco, attempt, 3)
    sco.get_by_role("button", name="Valider mes réponses").click()
    sco.locator("#offline-score").wait_for()
    expected = grade_attempt(attempt, responses)
    assert not expected.passed
    reported = dict(sets(page.evaluate("window.calls")))
    assert float(reported["cmi.core.score.raw"]) == pytest.approx(expected.percent, abs=0.01)
    assert reported["cmi.core.lesson_status"] == "failed"
    calls = page.evaluate("window.calls")
    assert ("cmi.core.lesson_status", "incomplete") not in sets(calls)  # already begun


@pytest.mark.browser
def test_the_offline_site_from_a_folder_with_no_network(browser, site, course):  # noqa: F811
    context = browser.new_context(viewport=DESKTOP, locale="fr-FR", offline=True)
    requested: list[str] = []

    def only_files(route) -> None:
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            requested.append(route.request.url)
            route.abort()

    context.route("**/*", only_files)
    page = context.new_page()
    errors = console_errors(page)

    page.goto((site / "index.html").as_uri())
    shoot(page, "offline-home")
    module = course.module("theme-2")
    page.get_by_role("link", name="Commencer le thème 2").click()
    page.wait_for_url("**/themes/theme-2/1.html")
    page.keyboard.press("ArrowRight")  # app.js works from file:// too
    page.wait_for_url("**/themes/theme-2/2.html")
    shoot(page, "offline-lesson")
    page.goto((site / "themes" / "theme-2" / f"{len(module.slides)}.html").as_uri())
    page.get_by_role("link", name=re.compile("passer le quiz")).click()
    page.wait_for_url("**/quiz/theme-2/hors-ligne.html")

    attempt = draw(course, "theme-2", SEED)
    responses = answer_some(page, attempt, 2)
    page.get_by_role("button", name="Valider mes réponses").click()
    score = page.locator("#offline-score")
    score.wait_for()
    expected = grade_attempt(attempt, responses)
    assert float(score.get_attribute("data-percent")) == pytest.approx(expected.percent)
    assert f"{expected.percent:.0f}\u00a0%" in page.locator("#offline-score-title").inner_text()
    assert page.locator(".review-item:visible").count() == len(attempt.items)
    shoot(page, "offline-quiz-result")

    page.goto((site / "processus" / "index.html").as_uri())
    rows = page.locator("table tbody tr")
    assert rows.count() == len(course.processes)
    rows.first.get_by_role("link").click()
    page.get_by_role("heading", level=1).wait_for()
    assert page.url.startswith("file://") and page.url.endswith(".html")
    shoot(page, "offline-explorer-process")
    page.goto((site / "glossaire.html").as_uri())
    assert page.locator("dl.glossary dt").count() == len(course.glossary)
    context.close()
    assert requested == []
    assert errors == []


@pytest.mark.browser
def test_a_package_opened_from_a_folder_works_without_an_lms(browser, packages, tmp_path):  # noqa: F811
    for path, data in packages["theme-3.scorm.zip"].items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_bytes(data)
    context = browser.new_context(viewport=DESKTOP, locale="fr-FR", offline=True)
    page = context.new_page()
    errors = console_errors(page)
    page.goto((tmp_path / "scorm.html").as_uri())
    sco = page.frame_locator("#sco")
    sco.get_by_role("heading", level=1).wait_for()
    shoot(page, "scorm-launch-no-lms")
    sco.get_by_role("link", name="Passer le quiz").click()
    sco.get_by_role("button", name="Valider mes réponses").click()  # all blank: 0 %
    assert "0\u00a0%" in sco.locator("#offline-score-title").inner_text()
    context.close()
    assert errors == []


@pytest.mark.browser
def test_offline_pages_have_no_serious_accessibility_violation(browser, site, packages, tmp_path):  # noqa: F811
    from axe_playwright_python.sync_playwright import Axe

    for path, data in packages["theme-1.scorm.zip"].items():
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_bytes(data)
    pages = {
        "home": site / "index.html",
        "slide": site / "themes" / "theme-1" / "3.html",
        "quiz": site / "quiz" / "theme-1" / "hors-ligne.html",
        "explorer": site / "processus" / "index.html",
        "package-slide": tmp_path / "themes" / "theme-1" / "3.html",  # without the site's nav
    }
    axe = Axe()
    context = browser.new_context(viewport=DESKTOP, locale="fr-FR", offline=True)
    page = context.new_page()
    problems = []
    for name, path in pages.items():
        page.goto(path.as_uri())
        if name == "quiz":  # graded: the score and the explanations shown
            page.get_by_role("button", name="Valider mes réponses").click()
            page.locator("#offline-score").wait_for()
        for violation in axe.run(page).response["violations"]:
            if violation["impact"] in {"serious", "critical"}:
                targets = [n["target"] for n in violation["nodes"]][:3]
                problems.append(f"{name}: {violation['id']} {targets}")
    context.close()
    assert problems == []
