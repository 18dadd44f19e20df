"""Workshop mode in Debian's Chromium: one facilitator and three phones through a live quiz.

The app is served on 127.0.0.1 (a random port). The facilitator drives the quiz
from the projector view (1920×1080); three participant contexts (390×844 phones)
join, answer every question type, and see the next step arrive without reloading
(polling). Screenshots land in build/screenshots/ for people to look at; axe
checks the pages for serious accessibility problems.
"""

from __future__ import annotations

import re
import threading

import pytest
from werkzeug.serving import make_server

from course import models
from tests.conftest import REPO_ROOT, _web_settings, test_app
from tests.test_workshop_flow import PASSWORD, workshop_course
from tests.tools import need_tool
from webapp import db
from webapp.workshop import services
from webapp.workshop.routes import session_attempt

pytestmark = pytest.mark.browser

SCREENSHOTS = REPO_ROOT / "build" / "screenshots"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PROJECTOR = {"width": 1920, "height": 1080}
PHONE = {"width": 390, "height": 844}
WAIT_MS = 10_000  # polling runs every 1.5 s: a step must show within a few polls


@pytest.fixture
def served(tmp_path, small_course):
    """The app on the seven-type quiz course, served over HTTP, with one facilitator."""
    settings = _web_settings(tmp_path / "instance", workshop_course(small_course))
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


@pytest.fixture
def browser():
    executable = need_tool("chromium", "chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def watch_errors(page, errors: list[str]) -> None:
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))


def shoot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"workshop-{name}.png"), full_page=True)


def fill(phone, item, right: bool) -> None:
    """Answer ``item`` on a phone with the controls a participant uses."""
    q = item.question
    form = phone.locator("form.ws-answer")
    if isinstance(q, models.SingleChoice | models.MultipleChoice):
        wanted = {q.answer} if isinstance(q, models.SingleChoice) else set(q.answers)
        for choice in q.choices:
            if (choice.id in wanted) == right:
                form.locator(f'input[value="{choice.id}"]').check()
                if isinstance(q, models.SingleChoice):
                    break
    elif isinstance(q, models.TrueFalse):
        form.get_by_label("Vrai" if q.answer == right else "Faux", exact=True).check()
    elif isinstance(q, models.Matching):
        rights = [p.right for p in q.pairs]
        chosen = rights if right else rights[1:] + rights[:1]
        for pair, value in zip(q.pairs, chosen, strict=True):
            form.get_by_label(pair.left, exact=True).select_option(value)
    elif isinstance(q, models.Ordering):
        for text in item.order:
            rank = q.items.index(text) + 1
            form.get_by_label(text, exact=True).select_option(
                str(rank if right else len(q.items) + 1 - rank)
            )
    elif isinstance(q, models.Numeric):
        form.get_by_label(re.compile("Votre réponse")).fill(str(int(q.answer)) if right else "7")
    else:
        form.get_by_label("Votre réponse").fill(q.accepted[0] if right else "Autre chose")
    form.get_by_role("button", name="Envoyer ma réponse").click()


def test_a_facilitator_and_three_phones_run_a_live_quiz(browser, served):
    app, base = served
    errors: list[str] = []
    facilitator = browser.new_context(viewport=PROJECTOR, locale="fr-FR")
    desk = facilitator.new_page()
    watch_errors(desk, errors)
    desk.goto(base + "/atelier/sessions")
    assert "/atelier/connexion" in desk.url  # facilitator pages need a login
    desk.get_by_label("Adresse électronique").fill("anim@example.org")
    desk.get_by_label("Mot de passe").fill(PASSWORD)
    desk.get_by_role("button", name="Se connecter").click()
    desk.get_by_label("Titre de la session").fill("Atelier de Dakar — jour 2")
    desk.get_by_label("Afficher un classement à la fin").check()
    desk.get_by_role("button", name="Ouvrir la session").click()
    join_link = desk.locator(".ws-link a").get_attribute("href")
    code = desk.locator(".ws-code").inner_text().replace("\u202f", "").replace(" ", "")
    assert re.fullmatch(r"[A-Z2-9]{6}", code)
    session_id = desk.url.rsplit("/", 1)[1]
    with app.app_context():
        items = session_attempt(services.workshop_by_key(db.session(), session_id)).items

    projector = facilitator.new_page()
    watch_errors(projector, errors)
    projector.goto(f"{base}/atelier/sessions/{session_id}/projection")
    shoot(projector, "projector-empty")

    phones = {}
    for n, name in enumerate(("Awa", "Bruno", "Chloé")):
        context = browser.new_context(
            viewport=PHONE, locale="fr-FR", is_mobile=True, has_touch=True, device_scale_factor=2
        )
        phone = context.new_page()
        watch_errors(phone, errors)
        if n == 0:
            phone.goto(join_link)  # what the QR code opens: the code is filled in
            assert phone.get_by_label("Code de la session").input_value() == code
        else:
            phone.goto(base + "/atelier/")
            phone.get_by_label("Code de la session").fill(code[:3].lower() + " " + code[3:])
        if n == 0:
            shoot(phone, "phone-join")
        phone.get_by_label("Votre prénom ou pseudonyme").fill(name)
        phone.get_by_role("button", name="Rejoindre").click()
        phone.get_by_text("Le quiz va commencer").wait_for(timeout=WAIT_MS)
        phones[name] = phone

    # The projector learns about the three arrivals by polling, without a reload.
    projector.locator(".ws-names li").nth(2).wait_for(timeout=WAIT_MS)
    assert projector.locator(".ws-people").inner_text().startswith("3")
    shoot(projector, "projector-lobby")
    shoot(phones["Awa"], "phone-lobby")

    projector.get_by_role("button", name="Lancer la première question").click()
    for number, item in enumerate(items, start=1):
        for phone in phones.values():
            phone.locator("form.ws-answer").wait_for(timeout=WAIT_MS)
            assert f"Question {number} sur {len(items)}" in phone.locator("legend").text_content()
        shoot(phones["Awa"], f"phone-question-{item.question.type}")
        shoot(projector, f"projector-question-{item.question.type}")
        fill(phones["Awa"], item, right=True)
        fill(phones["Bruno"], item, right=False)
        fill(phones["Chloé"], item, right=number % 2 == 1)
        for phone in phones.values():
            phone.get_by_text("Réponse enregistrée").wait_for(timeout=WAIT_MS)
        projector.get_by_text("3 réponses sur 3").wait_for(timeout=WAIT_MS)

        projector.get_by_role("button", name="Clore les réponses").click()
        if item.question.type in ("matching", "ordering"):  # one row per pair or place
            rows = projector.locator(".ws-parts tbody tr")
            assert rows.count() == len(getattr(item.question, "pairs", None) or item.order)
        else:
            assert projector.locator(".ws-bar-row").count() >= 2
        assert projector.locator(".is-revealed").count() == 0
        phones["Bruno"].get_by_text("Les réponses sont closes").wait_for(timeout=WAIT_MS)
        shoot(projector, f"projector-distribution-{item.question.type}")

        projector.get_by_role("button", name="Montrer la bonne réponse").click()
        projector.locator(".ws-reveal").wait_for()
        assert (
            projector.locator(".ws-bars.is-revealed .is-correct, .ws-parts.is-revealed").count()
            >= 1
        )
        phones["Awa"].locator(".ws-verdict.is-right").wait_for(timeout=WAIT_MS)
        phones["Bruno"].locator(".ws-verdict.is-wrong").wait_for(timeout=WAIT_MS)
        if number == 1:
            shoot(projector, "projector-reveal")
            shoot(phones["Bruno"], "phone-reveal")
        last = number == len(items)
        projector.get_by_role(
            "button", name="Voir les résultats" if last else "Question suivante"
        ).click()

    projector.get_by_role("heading", name="Quiz terminé").wait_for(timeout=WAIT_MS)
    ranking = projector.locator(".ws-podium .ws-name, .ws-leaderboard .ws-name").all_inner_texts()
    assert ranking == ["Awa", "Chloé", "Bruno"]
    shoot(projector, "projector-leaderboard")
    for phone in phones.values():
        phone.get_by_text("Votre rang").wait_for(timeout=WAIT_MS)
    shoot(phones["Chloé"], "phone-finished")
    assert "7 sur 7" in phones["Awa"].locator(".ws-score-line").inner_text()

    desk.reload()
    rows = desk.locator(".ws-stats tbody tr")
    assert rows.count() == len(items)
    shoot(desk, "dashboard")
    desk.get_by_role("link", name="Synthèse imprimable").click()
    shoot(desk, "summary")

    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    problems = []
    pages = {"dashboard": f"/atelier/sessions/{session_id}", "projector": "", "phone": ""}
    for name, page in (("dashboard", desk), ("projector", projector), ("phone", phones["Awa"])):
        if pages[name]:
            page.goto(base + pages[name])
        for violation in axe.run(page).response["violations"]:
            if violation["impact"] in {"serious", "critical"}:
                targets = [node["target"] for node in violation["nodes"]][:3]
                problems.append(f"{name}: {violation['id']} {targets}")
    assert problems == []
    assert errors == []
    facilitator.close()


def test_a_phone_without_javascript_follows_with_manual_refreshes(browser, served):
    app, base = served
    with app.app_context():
        dbs = db.session()
        owner = services.authenticate(dbs, "anim@example.org", PASSWORD)
        workshop = services.open_session(dbs, owner, "theme-1", "Sans JavaScript")
        session_id, code = workshop.public_id, workshop.code
        items = session_attempt(workshop).items
    context = browser.new_context(viewport=PHONE, locale="fr-FR", java_script_enabled=False)
    phone = context.new_page()
    phone.goto(f"{base}/atelier/?code={code}")
    phone.get_by_label("Votre prénom ou pseudonyme").fill("Awa")
    phone.get_by_role("button", name="Rejoindre").click()
    phone.get_by_text("Le quiz va commencer").wait_for()
    # The waiting page refreshes itself (<noscript> meta refresh) when scripts are off.
    assert phone.locator('noscript meta[http-equiv="refresh"]').count() == 1
    with app.app_context():
        dbs = db.session()
        services.move_live(dbs, services.workshop_by_key(dbs, session_id), "start", len(items))
    phone.reload()
    fill(phone, items[0], right=True)
    phone.locator(".ws-verdict.is-saved").wait_for()
    with app.app_context():
        dbs = db.session()
        workshop = services.workshop_by_key(dbs, session_id)
        services.move_live(dbs, workshop, "close", len(items))
        services.move_live(dbs, workshop, "reveal", len(items))
    phone.reload()
    phone.locator(".ws-verdict.is-right").wait_for()
    assert items[0].question.explanation in phone.locator(".ws-explanation").inner_text()
    context.close()
