"""The app in Debian's Chromium: a learner's journey through theme 2, accessibility, screenshots.

The app runs in a thread on 127.0.0.1 (a random port); Playwright drives
/usr/bin/chromium. Screenshots land in build/screenshots/ for people to look at.
"""

from __future__ import annotations

import re
import threading

import pytest
from werkzeug.serving import make_server

from course import load_course, models
from course.attempts import Item, draw
from tests.conftest import REPO_ROOT, _web_settings, test_app
from tests.tools import need_tool

pytestmark = pytest.mark.browser

SCREENSHOTS = REPO_ROOT / "build" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def course():
    return load_course(REPO_ROOT)


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    """The app on the shipped course, served over plain HTTP on a free local port."""
    settings = _web_settings(tmp_path_factory.mktemp("browser"), REPO_ROOT)
    app = test_app({**settings, "TESTING": False, "SESSION_COOKIE_SECURE": False})
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)
    server.server_close()
    app.extensions["coopkit.db"].close()


@pytest.fixture(scope="module")
def browser():
    executable = need_tool("chromium", "chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=DESKTOP, locale="fr-FR")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    yield page
    context.close()
    assert errors == [], f"console errors (a CSP violation?): {errors}"


def shoot(page, name: str) -> None:
    """Full-page screenshots of the current page at desktop and phone widths."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for device, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{device}.png"), full_page=True)
    page.set_viewport_size(DESKTOP)


def answer(page, item: Item) -> None:
    """Answer one question right, with the controls a learner uses."""
    q = item.question
    box = page.locator(f"#{item.key}-question")
    if isinstance(q, models.SingleChoice):
        text = next(c.text for c in q.choices if c.id == q.answer)
        box.get_by_label(text, exact=True).check()
    elif isinstance(q, models.MultipleChoice):
        for choice in q.choices:
            if choice.id in q.answers:
                box.get_by_label(choice.text, exact=True).check()
    elif isinstance(q, models.TrueFalse):
        box.get_by_label("Vrai" if q.answer else "Faux", exact=True).check()
    elif isinstance(q, models.Matching):
        for pair in q.pairs:
            box.get_by_label(pair.left, exact=True).select_option(pair.right)
    elif isinstance(q, models.Ordering):
        for position, text in enumerate(q.items, start=1):
            box.get_by_label(text, exact=True).select_option(str(position))
    elif isinstance(q, models.Numeric):
        box.get_by_label(re.compile("Votre réponse")).fill(f"{q.answer:g}".replace(".", ","))
    else:
        box.get_by_label("Votre réponse").fill(q.accepted[0])


def test_a_learner_reads_theme_2_takes_its_quiz_and_reviews_an_explanation(
    page, live_server, course
):
    module = course.module("theme-2")
    total = len(module.slides)
    page.goto(live_server + "/")
    shoot(page, "home")
    page.get_by_role("link", name="Commencer le thème 2").click()
    page.wait_for_url("**/themes/theme-2/1")
    shoot(page, "lesson-first-slide")
    for number in range(2, total + 1):  # the keyboard shortcut, as a learner would
        page.keyboard.press("ArrowRight")
        page.wait_for_url(f"**/themes/theme-2/{number}")
        assert page.locator("#slide-progress").get_attribute("value") == str(number)
    shoot(page, "lesson-last-slide")
    page.keyboard.press("ArrowRight")  # the last slide leads to the quiz
    page.wait_for_url("**/quiz/theme-2/")
    page.get_by_role("button", name="Commencer le quiz").click()
    page.wait_for_url(re.compile(r"/quiz/theme-2/tentative/\d+$"))
    seed = int(page.url.rsplit("/", 1)[1])
    attempt = draw(course, "theme-2", seed)
    if not any(i.question.type == "matching" for i in attempt.items):
        # This draw has no matching question: take the next one that does.
        seed = next(
            s
            for s in range(seed, seed + 500)
            if any(i.question.type == "matching" for i in draw(course, "theme-2", s).items)
        )
        attempt = draw(course, "theme-2", seed)
        page.goto(f"{live_server}/quiz/theme-2/tentative/{seed}")
    shoot(page, "quiz")
    for item in attempt.items:
        answer(page, item)
    page.get_by_role("button", name="Valider mes réponses").click()
    page.wait_for_url(re.compile(r"/quiz/resultats/\d+$"))
    heading = page.get_by_role("heading", level=1).inner_text()
    assert heading.startswith("Réussi") and "100\u00a0%" in heading
    shoot(page, "result")
    matching = next(i for i in attempt.items if i.question.type == "matching")
    review = page.locator(".review-item").nth(attempt.items.index(matching))
    assert matching.question.explanation in review.inner_text()
    review.get_by_role("link", name=re.compile("Revoir la diapositive")).click()
    place = course.slides[matching.question.slide]
    page.wait_for_url(f"**/themes/{place.module.id}/{place.number}")
    # The review returned the learner to the slide that teaches the answer.
    assert page.locator("#slide-progress").get_attribute("value") == str(place.number)


def test_ordering_can_be_answered_with_the_keyboard_only(page, live_server, course):
    seed = next(
        s
        for s in range(500)
        if any(i.question.type == "ordering" for i in draw(course, "theme-2", s).items)
    )
    attempt = draw(course, "theme-2", seed)
    page.goto(f"{live_server}/quiz/theme-2/tentative/{seed}")
    item = next(i for i in attempt.items if i.question.type == "ordering")
    first = page.locator(f"#{item.key}-question select").first
    first.focus()
    page.keyboard.press("ArrowDown")
    assert first.input_value() == "1"
    assert page.evaluate("document.activeElement.tagName") == "SELECT"


PAGES = {
    "home": "/",
    "lesson": "/themes/theme-2/1",
    "lesson-timeline": None,  # found in the course
    "notes": "/themes/theme-2/notes",
    "quiz-start": "/quiz/theme-2/",
    "quiz": "/quiz/theme-2/tentative/7",
    "explorer": "/processus/",
    "process": "/processus/apc",
    "timeline": "/processus/chronologie",
    "country": "/processus/pays/FR",
    "matrix": "/processus/matrice",
    "downloads": "/telechargements/",
}


def test_pages_have_no_serious_accessibility_violation(page, live_server, course):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    urls = dict(PAGES)
    timeline = next(p for p in course.slides.values() if isinstance(p.slide, models.TimelineSlide))
    urls["lesson-timeline"] = f"/themes/{timeline.module.id}/{timeline.number}"
    # A result page: submit the quiz page with nothing answered.
    page.goto(live_server + PAGES["quiz"])
    page.get_by_role("button", name="Valider mes réponses").click()
    urls["quiz-blank-warning"] = None  # checked here: the warning step's page
    problems = axe_problems(axe, page, "quiz-blank-warning")
    page.get_by_role("button", name="Valider quand même").click()
    page.wait_for_url(re.compile(r"/quiz/resultats/\d+$"))
    urls["result"] = page.url.removeprefix(live_server)
    for name, url in urls.items():
        if url is None:
            continue
        page.goto(live_server + url)
        problems += axe_problems(axe, page, name)
        shoot(page, f"page-{name}")
    assert problems == []


def axe_problems(axe, page, name: str) -> list[str]:
    """axe's serious and critical violations on the current page, at desktop and phone widths."""
    problems = []
    for device, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        results = axe.run(page)
        for violation in results.response["violations"]:
            if violation["impact"] in {"serious", "critical"}:
                targets = [n["target"] for n in violation["nodes"]][:3]
                problems.append(f"{name} ({device}): {violation['id']} {targets}")
    page.set_viewport_size(DESKTOP)
    return problems


def test_keyboard_focus_is_visible(page, live_server):
    page.goto(live_server + "/")
    page.keyboard.press("Tab")  # the skip link comes first
    focused = page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "Aller au contenu"
    page.keyboard.press("Tab")  # then the brand link
    outline = page.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, s.outlineWidth, s.boxShadow]; })()"
    )
    assert outline[0] != "none" or outline[2] != "none"


def test_a_glossary_term_opens_its_definition_in_place(page, live_server, course):
    module = course.module("theme-2")
    for number in range(1, len(module.slides) + 1):
        page.goto(f"{live_server}/themes/theme-2/{number}")
        if page.locator("a.term").count():
            break
    else:
        pytest.fail("no slide of theme 2 uses a glossary term")
    term = page.locator("a.term").first
    entry = course_term(course, term.inner_text())
    term.click()
    tip = page.locator(".term-tip:visible")
    assert tip.count() == 1
    assert entry.definition[:40] in tip.inner_text()
    assert term.get_attribute("aria-expanded") == "true"
    assert page.url.endswith(f"/themes/theme-2/{number}")  # no jump: explained in place
    shoot(page, "lesson-term")
    page.keyboard.press("Escape")
    assert page.locator(".term-tip:visible").count() == 0


def course_term(course, text: str):
    """The glossary entry a marked word stands for (marks ignore the case of ordinary words)."""
    return next(e for e in course.glossary if e.term.casefold() == text.casefold())
