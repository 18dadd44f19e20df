"""The workshop room in Debian's Chromium: a projector that fits, answers shown within a
second, points and a podium, and no step that ends on a mis-click.

The shipped course is served on 127.0.0.1; its quizzes hold the longest prompts and
answers a room will see (matching questions whose pairs are whole sentences). The projector
is measured at 1366×768 and 1920×1080 on every question of theme quizzes 1 to 3 (seed 1
draws all seven question types), asking and revealed; screenshots land in
build/screenshots/ for people to look at.
"""

from __future__ import annotations

import threading
import time

import pytest
from werkzeug.datastructures import MultiDict
from werkzeug.serving import make_server

from tests.conftest import REPO_ROOT, _web_settings, test_app
from tests.test_workshop_browser import CHROMIUM_ARGS, PHONE, PROJECTOR, WAIT_MS, watch_errors
from tests.test_workshop_flow import PASSWORD, right_fields, wrong_fields
from tests.tools import need_tool
from webapp import db
from webapp.answers import read_answer
from webapp.workshop import services
from webapp.workshop.routes import session_attempt

pytestmark = pytest.mark.browser

SCREENSHOTS = REPO_ROOT / "build" / "screenshots"
SMALL = {"width": 1366, "height": 768}
NAMES = ("Awa", "Bruno", "Chloé")


@pytest.fixture(scope="module")
def room(tmp_path_factory):
    """The app on the shipped course, served over HTTP, with one facilitator."""
    settings = _web_settings(tmp_path_factory.mktemp("room"), REPO_ROOT)
    app = test_app({**settings, "TESTING": False, "SESSION_COOKIE_SECURE": False})
    with app.app_context():
        services.add_facilitator(db.session(), "anim@example.org", PASSWORD)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield app, f"http://127.0.0.1:{server.server_port}"
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


def logged_in(browser, base: str, viewport: dict):
    """A facilitator's browser context, logged in."""
    context = browser.new_context(viewport=viewport, locale="fr-FR")
    page = context.new_page()
    page.goto(base + "/atelier/connexion")
    page.get_by_label("Adresse électronique").fill("anim@example.org")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/atelier/sessions")
    return context, page


def open_live(app, quiz: str, seed: int | None = None, **options):
    """A live session on ``quiz`` with three participants; (public id, items, participants)."""
    with app.app_context():
        dbs = db.session()
        owner = services.authenticate(dbs, "anim@example.org", PASSWORD)
        workshop = services.open_session(dbs, owner, quiz, f"Salle {quiz}", **options)
        if seed is not None:
            workshop.seed = seed
            dbs.commit()
        people = [services.join(dbs, workshop, name) for name in NAMES]
        return workshop.public_id, session_attempt(workshop).items, [p.id for p in people]


def step(app, key: str, action: str, answers: bool = False) -> None:
    """Move the live quiz on; with ``answers``, the three participants answer first (right,
    wrong, right)."""
    with app.app_context():
        dbs = db.session()
        workshop = services.workshop_by_key(dbs, key)
        items = session_attempt(workshop).items
        if answers:
            item = items[workshop.current_index]
            for participant, fields in zip(
                workshop.participants[: len(NAMES)],
                (right_fields(item), wrong_fields(item), right_fields(item)),
                strict=True,
            ):
                response = read_answer(item, MultiDict(fields))
                services.record_answer(
                    dbs, workshop, participant, workshop.current_index, item, response
                )
        services.move_live(dbs, workshop, action, len(items))


MEASURE = """() => {
  const bottom = (sel) => Math.max(0, ...[...document.querySelectorAll(sel)]
      .map((e) => e.getBoundingClientRect().bottom));
  return {
    height: document.documentElement.scrollHeight, width: document.documentElement.scrollWidth,
    viewHeight: window.innerHeight, viewWidth: window.innerWidth,
    controls: bottom('.ws-projector-controls'), reveal: bottom('.ws-reveal, .ws-parts'),
  };
}"""


def fits(page) -> dict:
    """What overflows the screen, if anything (empty: the view fits)."""
    m = page.evaluate(MEASURE)
    problems = {}
    if m["height"] > m["viewHeight"]:
        problems["page height"] = m["height"]
    if m["width"] > m["viewWidth"]:
        problems["page width"] = m["width"]
    if m["controls"] > m["viewHeight"] or m["reveal"] > m["viewHeight"]:
        problems["below the fold"] = (m["controls"], m["reveal"])
    return problems


def serious_problems(page, name: str) -> list[str]:
    """axe's serious and critical violations on the page."""
    from axe_playwright_python.sync_playwright import Axe

    found = []
    for violation in Axe().run(page).response["violations"]:
        if violation["impact"] in {"serious", "critical"}:
            targets = [node["target"] for node in violation["nodes"]][:3]
            found.append(f"{name}: {violation['id']} {targets}")
    return found


def test_the_projector_fits_every_question_asking_and_revealed(browser, room):
    app, base = room
    screens = {}
    contexts = []
    for name, viewport in (("1366", SMALL), ("1920", PROJECTOR)):
        context, page = logged_in(browser, base, viewport)
        contexts.append(context)
        screens[name] = page
    overflow, seen, problems_found = [], set(), []
    shots = set()
    for quiz in ("theme-1", "theme-2", "theme-3"):
        key, items, _ = open_live(app, quiz, seed=1)
        url = f"{base}/atelier/sessions/{key}/projection"
        for name, page in screens.items():
            page.goto(url)
            if problems := fits(page):
                overflow.append((quiz, "lobby", name, problems))
        step(app, key, "start")
        for number, item in enumerate(items, start=1):
            kind = item.question.type
            seen.add(kind)
            for phase in ("asking", "revealed"):
                if phase == "revealed":
                    step(app, key, "close", answers=True)
                    step(app, key, "reveal")
                for name, page in screens.items():
                    page.goto(url)
                    if problems := fits(page):
                        overflow.append((quiz, number, kind, phase, name, problems))
                    if (kind, phase, name) not in shots:  # one of each, to look at
                        shots.add((kind, phase, name))
                        if name == "1366":
                            problems_found += serious_problems(page, f"{kind} {phase}")
                        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
                        page.screenshot(path=str(SCREENSHOTS / f"room-{name}-{kind}-{phase}.png"))
            step(app, key, "next")
        for name, page in screens.items():  # the results
            page.goto(url)
            if problems := fits(page):
                overflow.append((quiz, "results", name, problems))
    for context in contexts:
        context.close()
    assert seen == {
        "single",
        "multiple",
        "true_false",
        "matching",
        "ordering",
        "numeric",
        "short_text",
    }
    assert overflow == [], "\n".join(map(str, overflow))
    assert problems_found == []


def test_an_answer_reaches_the_projector_within_a_second(browser, room):
    app, base = room
    key, items, _ = open_live(app, "theme-1", seed=1)
    errors: list[str] = []
    context, projector = logged_in(browser, base, SMALL)
    watch_errors(projector, errors)
    step(app, key, "start")
    projector.goto(f"{base}/atelier/sessions/{key}/projection")
    delays = []
    with app.app_context():
        dbs = db.session()
        workshop = services.workshop_by_key(dbs, key)
        item = items[0]
        for n, participant in enumerate(workshop.participants, start=1):
            time.sleep(0.37 * n)  # not in step with the projector's polls
            started = time.perf_counter()
            response = read_answer(item, MultiDict(right_fields(item)))
            services.record_answer(dbs, workshop, participant, 0, item, response)
            projector.get_by_text(f"{n} réponse{'s' if n > 1 else ''} sur 3").wait_for(
                timeout=WAIT_MS
            )
            delays.append(time.perf_counter() - started)
    context.close()
    # The projector polls every 0.4 s and loads the page again: under a second. The machine
    # is shared (2 cores, other test runs): the median must meet it, no answer may take 2 s.
    assert sorted(delays)[1] < 1.0 and max(delays) < 2.0, delays
    assert errors == []


def test_finishing_closing_and_archiving_ask_first(browser, room):
    app, base = room
    key, _, _ = open_live(app, "theme-1", seed=1)
    step(app, key, "start")
    context, desk = logged_in(browser, base, SMALL)
    desk.goto(f"{base}/atelier/sessions/{key}/projection")
    desk.get_by_text("Terminer maintenant…").click()
    confirm = desk.get_by_role("button", name="Oui, terminer le quiz")
    assert confirm.is_visible()
    assert fits(desk) == {}  # the question opens upwards, on the screen
    desk.get_by_text("Terminer maintenant…").click()  # changed my mind: nothing happened
    assert not confirm.is_visible()
    with app.app_context():
        assert services.workshop_by_key(db.session(), key).phase == "asking"
    desk.get_by_text("Terminer maintenant…").click()
    confirm.click()
    desk.get_by_role("heading", name="Quiz terminé").wait_for(timeout=WAIT_MS)

    desk.goto(f"{base}/atelier/sessions/{key}")
    assert desk.get_by_role("button", name="Oui, fermer la session").is_hidden()
    desk.get_by_text("Fermer la session…").click()
    desk.get_by_role("button", name="Oui, fermer la session").click()
    desk.get_by_text("Session fermée.").wait_for(timeout=WAIT_MS)
    desk.get_by_text("Archiver…").click()
    desk.get_by_role("button", name="Oui, archiver").click()
    desk.get_by_text("Session archivée.").wait_for(timeout=WAIT_MS)
    context.close()


def test_phones_see_points_rank_and_the_room_a_podium(browser, room):
    app, base = room
    key, items, _ = open_live(app, "theme-1", seed=1, leaderboard=True, timer_seconds=60)
    with app.app_context():
        code = services.workshop_by_key(db.session(), key).code
    errors: list[str] = []
    context = browser.new_context(viewport=PHONE, locale="fr-FR", is_mobile=True, has_touch=True)
    phone = context.new_page()
    watch_errors(phone, errors)
    phone.goto(f"{base}/atelier/?code={code}")
    phone.get_by_label("Votre prénom ou pseudonyme").fill("Dieynaba")
    phone.get_by_role("button", name="Rejoindre").click()
    step(app, key, "start")
    form = phone.locator("form.ws-answer")
    form.wait_for(timeout=WAIT_MS)
    # Tiles: a shape with each letter, so colour is never the only cue.
    if items[0].question.type in ("single", "multiple"):
        shape = phone.locator(".option .letter").first.evaluate(
            "e => getComputedStyle(e, '::before').content"
        )
        assert "▲" in shape
    timer = phone.locator(".ws-timer")
    first = int(timer.inner_text().split()[0])
    phone.wait_for_timeout(2200)
    assert int(timer.inner_text().split()[0]) < first  # it counts down
    step(app, key, "close", answers=True)
    step(app, key, "reveal")
    points = phone.locator(".ws-points")
    points.wait_for(timeout=WAIT_MS)
    assert "+0 point" in points.inner_text()  # Dieynaba did not answer
    assert "rang" in points.inner_text() and "sur 4" in points.inner_text()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    phone.screenshot(path=str(SCREENSHOTS / "room-phone-points.png"), full_page=True)
    assert serious_problems(phone, "phone after a reveal") == []

    desk_context, projector = logged_in(browser, base, SMALL)
    step(app, key, "finish")
    projector.goto(f"{base}/atelier/sessions/{key}/projection")
    podium = projector.locator(".ws-podium li")
    assert podium.count() == 3
    # Awa and Chloé answered right (tied: both first), Bruno wrong, Dieynaba nothing.
    assert projector.locator(".ws-podium .ws-rank").all_inner_texts()[:2] == ["1er", "1er"]
    assert "1 question posée sur 10" in projector.locator(".ws-subtitle").inner_text()
    assert fits(projector) == {}
    projector.screenshot(path=str(SCREENSHOTS / "room-1366-podium.png"))
    assert serious_problems(projector, "podium") == []
    desk_context.close()
    context.close()
    assert errors == []
