"""Issue 20 items 5–7 in Debian's Chromium on a phone (360×740, touch): ordering and matching
by dragging with a finger, the quiz review (no broken word, no second attempt of one draw),
a one-line header, folded explorer filters, a vertical timeline; axe on every workshop page.

Touch drags are real touch events (Chrome DevTools' Input.dispatchTouchEvent), as a finger
sends them. Screenshots land in build/screenshots/ (phone-*.png) for people to look at.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from course.attempts import draw
from tests.test_browser_learner import (  # noqa: F401  (fixtures)
    CHROMIUM_ARGS,
    DESKTOP,
    SCREENSHOTS,
    answer,
    axe_problems,
    browser,
    course,
    live_server,
)
from tests.test_workshop_browser import served  # noqa: F401  (fixture)
from tests.test_workshop_flow import PASSWORD
from webapp import db
from webapp.models import Attempt
from webapp.workshop import services
from webapp.workshop.routes import session_attempt

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}


@pytest.fixture
def phone(browser):  # noqa: F811
    context = browser.new_context(
        viewport=PHONE, locale="fr-FR", is_mobile=True, has_touch=True, device_scale_factor=2
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page
    context.close()
    assert errors == [], f"console errors: {errors}"


def shoot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"phone-{name}.png"), full_page=True)


def touch_drag(page, source, target, part: float = 0.5) -> None:
    """Press ``source`` with a finger, slide onto ``target`` (``part`` of its height down), lift."""
    cdp = page.context.new_cdp_session(page)
    target.evaluate("el => el.scrollIntoView({block: 'center', behavior: 'instant'})")
    start = source.bounding_box()
    x, y = start["x"] + start["width"] / 2, start["y"] + start["height"] / 2
    assert 0 < y < PHONE["height"], "the finger starts on something in sight"
    box = target.bounding_box()
    tx = box["x"] + box["width"] / 2
    ty = box["y"] + box["height"] * part
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    steps = 8
    for step in range(1, steps + 1):
        point = {"x": x + (tx - x) * step / steps, "y": y + (ty - y) * step / steps}
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [point]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    cdp.detach()


def seed_with(course, quiz_id: str, *types: str) -> int:  # noqa: F811
    return next(
        s
        for s in range(2000)
        if set(types) <= {i.question.type for i in draw(course, quiz_id, s).items}
    )


def drag_ordering_right(page, item) -> None:
    """Put an ordering question's items in the right order, dragging a row by its grip
    onto the row above it until each item is in its place."""
    box = page.locator(f"#{item.key}-question")
    rows = box.locator(".order-item")

    def shown() -> list[str]:
        return [rows.nth(n).locator("label").inner_text() for n in range(rows.count())]

    wanted = list(item.question.items)
    for position, text in enumerate(wanted):
        while (at := shown().index(text)) > position:
            touch_drag(page, rows.nth(at).locator(".grip"), rows.nth(at - 1), part=0.3)
            assert shown().index(text) == at - 1  # one row up per drag
    assert shown() == wanted


def test_ordering_and_matching_are_answered_by_dragging_with_a_finger(
    phone,
    live_server,  # noqa: F811
    course,  # noqa: F811
):
    seed = seed_with(course, "theme-2", "ordering", "matching")
    attempt = draw(course, "theme-2", seed)
    phone.goto(f"{live_server}/quiz/theme-2/tentative/{seed}")
    ordering = next(i for i in attempt.items if i.question.type == "ordering")
    matching = next(i for i in attempt.items if i.question.type == "matching")
    # The grips and chips are enhancements: the selects are still there, one per row.
    assert phone.locator(f"#{ordering.key}-question select").count() == len(ordering.order)
    drag_ordering_right(phone, ordering)
    selects = phone.locator(f"#{ordering.key}-question .order-item select")
    assert [selects.nth(n).input_value() for n in range(selects.count())] == [
        str(n) for n in range(1, selects.count() + 1)
    ]
    box = phone.locator(f"#{matching.key}-question")
    for row, pair in enumerate(matching.question.pairs):
        chip = box.locator(".chip", has_text=re.compile(rf"^{re.escape(pair.right)}$"))
        touch_drag(phone, chip, box.locator(".pair").nth(row))
        assert box.get_by_label(pair.left, exact=True).input_value() == pair.right
    shoot(phone, "quiz-dragged")
    for item in attempt.items:
        if item not in (ordering, matching):
            answer(phone, item)
    phone.get_by_role("button", name="Valider mes réponses").click()
    phone.wait_for_url(re.compile(r"/quiz/resultats/\d+$"))
    assert "100\u00a0%" in phone.get_by_role("heading", level=1).inner_text()


def test_a_tap_on_a_chip_then_on_a_row_matches_them(phone, live_server, course):  # noqa: F811
    seed = seed_with(course, "theme-2", "matching")
    matching = next(i for i in draw(course, "theme-2", seed).items if i.question.type == "matching")
    phone.goto(f"{live_server}/quiz/theme-2/tentative/{seed}")
    box = phone.locator(f"#{matching.key}-question")
    pair = matching.question.pairs[-1]
    box.locator(".chip", has_text=re.compile(rf"^{re.escape(pair.right)}$")).tap()
    box.locator(".pair").nth(len(matching.question.pairs) - 1).locator("label").tap()
    assert box.get_by_label(pair.left, exact=True).input_value() == pair.right


def no_broken_words(page) -> list[str]:
    """Elements of the review whose text is cut mid-word or overflows its box."""
    return page.evaluate(
        """() => {
        const bad = [];
        for (const el of document.querySelectorAll('.review *, .question-grid *')) {
          if (el.closest('thead, .visually-hidden')) continue;  // read out, not shown
          const style = getComputedStyle(el);
          if (style.overflowWrap === 'anywhere' || style.wordBreak === 'break-all') {
            bad.push(el.tagName + ': ' + style.overflowWrap + '/' + style.wordBreak);
          }
          if (el.scrollWidth > el.clientWidth + 1 && style.overflowX === 'visible'
              && el.clientWidth > 0 && style.display !== 'inline') {
            bad.push(el.tagName + ' overflows: ' + el.textContent.slice(0, 40));
          }
        }
        if (document.documentElement.scrollWidth > window.innerWidth) {
          bad.push('the page scrolls sideways: ' + document.documentElement.scrollWidth);
        }
        return bad;
    }"""
    )


def test_a_learner_on_a_phone_reviews_a_quiz_and_cannot_submit_it_twice(
    phone,
    live_server,  # noqa: F811
    course,  # noqa: F811
    browser,  # noqa: F811
):
    seed = seed_with(course, "theme-2", "matching", "multiple")
    attempt = draw(course, "theme-2", seed)
    url = f"{live_server}/quiz/theme-2/tentative/{seed}"
    phone.goto(url)
    for item in attempt.items[2:]:
        answer(phone, item)
    phone.get_by_role("button", name="Valider mes réponses").click()
    # The warning step: two questions unanswered, nothing stored yet.
    alert = phone.get_by_role("alert")
    assert "2 questions sans réponse" in alert.inner_text()
    assert "/resultats/" not in phone.url
    shoot(phone, "quiz-blank-warning")
    alert.get_by_role("link", name="Question 1").click()
    answer(phone, attempt.items[0])
    phone.get_by_role("button", name="Valider mes réponses").click()
    phone.get_by_role("alert").get_by_text("1 question sans réponse").wait_for()
    phone.get_by_role("button", name="Valider quand même").click()
    phone.wait_for_url(re.compile(r"/quiz/resultats/\d+"))  # (the #fragment stays)
    result_url = phone.url.split("#")[0]
    review = phone.locator(".review-item")
    assert review.nth(1).locator(".badge").inner_text() == "Sans réponse"
    assert phone.get_by_role("button", name="Réessayer avec de nouvelles questions").count() == 2
    assert no_broken_words(phone) == []
    shoot(phone, "quiz-review")
    # The grid jumps to a question.
    last = len(attempt.items)
    phone.locator(".question-grid a").nth(last - 1).click()
    assert phone.url.endswith(f"#reponse-{last}")
    assert phone.locator(f"#reponse-{last}").is_visible()
    # The questions page of a submitted draw leads to its result.
    phone.goto(url)
    assert phone.url.split("#")[0] == result_url
    # The same draw posted again from a page the browser kept.
    phone.goto(result_url)
    token = phone.locator('input[name="csrf_token"]').first.get_attribute("value")
    again = phone.request.post(url, form={"csrf_token": token, "confirm_blank": "1"})
    assert again.url.split("#")[0] == result_url
    assert "déjà validée" in again.text()


def test_the_header_is_one_line_and_the_menu_opens(phone, live_server):  # noqa: F811
    phone.goto(live_server + "/")
    header = phone.locator(".site-header")
    assert header.bounding_box()["height"] < 80
    links = phone.get_by_role("navigation", name="Navigation principale").get_by_role("link")
    assert not links.first.is_visible()
    menu = phone.get_by_role("button", name="Menu")
    menu.tap()
    assert menu.get_attribute("aria-expanded") == "true"
    assert links.nth(5).is_visible()
    shoot(phone, "header-menu")
    phone.set_viewport_size(DESKTOP)
    assert links.first.is_visible() and not menu.is_visible()


def test_explorer_filters_fold_on_a_phone(phone, live_server):  # noqa: F811
    phone.goto(live_server + "/processus/")
    region = phone.get_by_label("Région")
    assert not region.is_visible()
    phone.get_by_text("Filtrer les processus").tap()
    assert region.is_visible()
    shoot(phone, "explorer-filters")
    # A filter in use stays in sight.
    phone.goto(live_server + "/processus/?kind=global")
    assert phone.get_by_label("Type").is_visible()


def test_the_timeline_reads_vertically_on_a_phone(phone, live_server, course):  # noqa: F811
    phone.goto(live_server + "/processus/chronologie")
    assert not phone.locator("svg.timeline").is_visible()
    items = phone.locator(".timeline-text li")
    founded = [p for p in course.processes.values() if p.founded]
    assert items.count() == len(founded)
    tops = [items.nth(n).bounding_box()["y"] for n in range(3)]
    assert tops == sorted(tops) and len(set(tops)) == 3  # one under another
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shoot(phone, "timeline")


def test_every_workshop_page_has_no_serious_accessibility_violation(browser, served):  # noqa: F811
    from axe_playwright_python.sync_playwright import Axe

    app, base = served
    with app.app_context():
        dbs = db.session()
        owner = services.authenticate(dbs, "anim@example.org", PASSWORD)
        workshop = services.open_session(dbs, owner, "theme-1", "Atelier d’essai")
        key, code = workshop.public_id, workshop.code
        count = len(session_attempt(workshop).items)
    axe = Axe()
    problems: list[str] = []
    facilitator = browser.new_context(viewport=DESKTOP, locale="fr-FR")
    desk = facilitator.new_page()
    desk.goto(base + "/atelier/connexion")
    problems += axe_problems(axe, desk, "login")
    desk.get_by_label("Adresse électronique").fill("anim@example.org")
    desk.get_by_label("Mot de passe").fill("pas le bon")
    desk.get_by_role("button", name="Se connecter").click()
    problems += axe_problems(axe, desk, "login-error")
    desk.get_by_label("Adresse électronique").fill("anim@example.org")
    desk.get_by_label("Mot de passe").fill(PASSWORD)
    desk.get_by_role("button", name="Se connecter").click()
    desk.wait_for_url("**/atelier/sessions")
    problems += axe_problems(axe, desk, "sessions")
    desk.get_by_role("button", name="Ouvrir la session").click()  # no title: an error shown
    problems += axe_problems(axe, desk, "sessions-error")
    desk.goto(base + "/atelier/mot-de-passe")
    problems += axe_problems(axe, desk, "password")
    context = browser.new_context(viewport=PHONE, locale="fr-FR", is_mobile=True, has_touch=True)
    phone = context.new_page()
    phone.goto(base + "/atelier/")
    problems += axe_problems(axe, phone, "join")
    phone.get_by_label("Code de la session").fill(code)
    phone.get_by_label("Votre prénom ou pseudonyme").fill("Awa")
    phone.get_by_role("button", name="Rejoindre").click()
    phone.get_by_text("Le quiz va commencer").wait_for()
    problems += axe_problems(axe, phone, "phone-lobby")
    pages = {
        "dashboard": f"/atelier/sessions/{key}",
        "projector": f"/atelier/sessions/{key}/projection",
        "summary": f"/atelier/sessions/{key}/synthese",
    }
    for step in ("start", "close", "reveal"):
        if step:
            with app.app_context():
                dbs = db.session()
                services.move_live(dbs, services.workshop_by_key(dbs, key), step, count)
        phone.reload()
        problems += axe_problems(axe, phone, f"phone-{step}")
        for name, url in pages.items():
            desk.goto(base + url)
            problems += axe_problems(axe, desk, f"{name}-{step}")
    assert problems == []
    with app.app_context():
        assert db.session().scalar(select(func.count()).select_from(Attempt)) == 0
    context.close()
    facilitator.close()
