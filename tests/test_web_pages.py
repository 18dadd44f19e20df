"""Every page of the web app on the shipped course, and the rules every page follows."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from markupsafe import escape

from course import models
from course.countries import country_name
from tests.conftest import WEB_COURSE
from webapp.content import current_course, french_duration


def every_url(app: Flask) -> list[str]:
    """The URL of every page a learner can reach without submitting a form."""
    with app.app_context():
        course = current_course()
        urls = ["/", "/glossaire", "/parcours", "/quiz/", "/telechargements/"]
        for module in course.modules:
            urls += [f"/themes/{module.id}/", f"/themes/{module.id}/notes"]
            urls += [f"/themes/{module.id}/{n}" for n in range(1, len(module.slides) + 1)]
        for quiz_id in course.quizzes:
            urls += [f"/quiz/{quiz_id}/", f"/quiz/{quiz_id}/tentative/1"]
        urls += ["/processus/", "/processus/chronologie", "/processus/pays/", "/processus/matrice"]
        urls += [f"/processus/{pid}" for pid in course.processes]
        codes = {code for p in course.processes.values() for code in p.members}
        urls += [f"/processus/pays/{code}" for code in sorted(codes)]
    return urls


def test_every_page_answers_in_french_with_the_security_headers(shipped_app, client):
    urls = every_url(shipped_app)
    assert len(urls) > 50
    failures = []
    for url in urls:
        response = client.get(url)
        html = response.get_data(as_text=True)
        if response.status_code != 200:
            failures.append(f"{url}: {response.status_code}")
            continue
        if '<html lang="fr">' not in html or "<main" not in html:
            failures.append(f"{url}: not a French page with a main landmark")
        csp = response.headers.get("Content-Security-Policy", "")
        if "script-src 'self'" not in csp or "unsafe-inline" in csp:
            failures.append(f"{url}: CSP {csp!r}")
        if re.search(r"<script>|<style|\sstyle=|\son[a-z]+=", html):
            failures.append(f"{url}: inline script or style (the CSP would block it)")
    assert failures == []


def test_lesson_pages_never_show_facilitator_notes(shipped_app, client):
    with shipped_app.app_context():
        course = current_course()
        checked = 0
        for module in course.modules:
            notes_page = _text(client.get(f"/themes/{module.id}/notes"))
            for number, slide in enumerate(module.slides, start=1):
                page = _text(client.get(f"/themes/{module.id}/{number}"))
                if slide.notes:
                    # A long stretch of the notes is distinctive enough not to occur by chance.
                    secret = _escaped(max(slide.notes.split("\n"), key=len)[:80])
                    assert secret not in page, f"{slide.id}: facilitator notes on the slide page"
                    assert secret not in notes_page, f"{slide.id}: facilitator notes in the notes"
                    checked += 1
                if slide.learner_notes:
                    assert _escaped(slide.learner_notes[:60]) in notes_page
    assert checked > 10


def _escaped(text: str) -> str:
    return str(escape(text))


def _text(response) -> str:
    """A page's HTML without its tags (glossary links split the texts they mark)."""
    return re.sub(r"<[^>]+>", "", response.get_data(as_text=True))


def test_facilitator_notes_hidden_and_learner_notes_shown(make_app):
    # The small course's first slide has both kinds of notes, with known texts.
    client = make_app(root=WEB_COURSE).test_client()
    page = client.get("/themes/theme-1/1").get_data(as_text=True)
    notes = client.get("/themes/theme-1/notes").get_data(as_text=True)
    for html in (page, notes):
        assert "SECRET-ANIMATEUR" not in html
        assert "Note pour l’apprenant visible" in html
        assert "Un détail &lt;b&gt;gras&lt;/b&gt;" in html  # course text is escaped
        assert "<b>gras</b>" not in html


def test_glossary_terms_are_explained_in_place(shipped_app, client):
    with shipped_app.app_context():
        course = current_course()
        glossary_terms = {entry.term for entry in course.glossary}
        for module in course.modules:
            for number, slide in enumerate(module.slides, start=1):
                html = client.get(f"/themes/{module.id}/{number}").get_data(as_text=True)
                linked = re.findall(r'<a class="term" href="#(terme-[a-z0-9-]+)"', html)
                if linked:
                    for anchor in linked:
                        assert f'id="{anchor}"' in html, f"{slide.id}: {anchor} not explained"
                    return
    pytest.fail(f"no slide links any of {len(glossary_terms)} glossary terms")


def test_slide_page_has_progress_pager_and_sources(client, shipped_app):
    with shipped_app.app_context():
        module = current_course().modules[1]
    total = len(module.slides)
    first = client.get(f"/themes/{module.id}/1").get_data(as_text=True)
    assert f'<progress id="slide-progress" max="{total}" value="1">' in first
    assert f'href="/themes/{module.id}/2"' in first and 'rel="next"' in first
    assert 'data-key="ArrowRight"' in first
    assert "Source" in first
    last = client.get(f"/themes/{module.id}/{total}").get_data(as_text=True)
    assert 'rel="prev"' in last and f"/quiz/{module.id}/" in last
    assert client.get(f"/themes/{module.id}/{total + 1}").status_code == 404
    assert client.get(f"/themes/{module.id}/0").status_code == 404
    assert client.get("/themes/no-such-theme/").status_code == 404


def test_home_lists_every_theme_and_the_learners_progress(shipped_app):
    client = shipped_app.test_client()
    with shipped_app.app_context():
        course = current_course()
    home = client.get("/").get_data(as_text=True)
    for module in course.modules:
        assert module.title in home
        assert french_duration(module.duration_minutes) in home
        assert module.objectives[0] in home
    first = course.modules[0]
    for number in (1, 2, 3, 2):  # a slide read twice counts once
        client.get(f"/themes/{first.id}/{number}")
    home = client.get("/").get_data(as_text=True)
    assert f'id="progress-{first.id}" max="{len(first.slides)}" value="3"' in home
    assert (
        f'id="progress-{course.modules[1].id}" max="{len(course.modules[1].slides)}" value="0"'
        in home
    )
    # Another learner (another cookie) starts from zero.
    other = shipped_app.test_client().get("/").get_data(as_text=True)
    assert f'id="progress-{first.id}" max="{len(first.slides)}" value="0"' in other


def test_profile_saves_an_optional_display_name(make_app):
    client = make_app(root=WEB_COURSE).test_client()
    page = client.get("/parcours").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/parcours", data={"csrf_token": token, "display_name": " Awa "})
    assert response.status_code == 302
    assert 'value="Awa"' in client.get("/parcours").get_data(as_text=True)
    too_long = client.post("/parcours", data={"csrf_token": token, "display_name": "x" * 81})
    assert too_long.status_code == 400
    assert 'value="Awa"' in client.get("/parcours").get_data(as_text=True)


def test_explorer_filters_and_sorts(shipped_app, client):
    with shipped_app.app_context():
        processes = list(current_course().processes.values())
    regional = [p for p in processes if p.kind == "regional"]
    html = client.get("/processus/?kind=regional&sort=annee&order=asc").get_data(as_text=True)
    shown = re.findall(r'<th scope="row"><a href="/processus/([a-z0-9-]+)">', html)
    assert sorted(shown) == sorted(p.id for p in regional)
    years = [p.founded.year for p in sorted(regional, key=lambda p: shown.index(p.id)) if p.founded]
    assert years == sorted(years)
    assert 'aria-sort="ascending"' in html
    descending = client.get("/processus/?sort=annee&order=desc").get_data(as_text=True)
    order = re.findall(r'<th scope="row"><a href="/processus/([a-z0-9-]+)">', descending)
    by_id = {p.id: p for p in processes}
    years = [by_id[i].founded.year for i in order if by_id[i].founded]
    assert years == sorted(years, reverse=True)
    decade = next(p.founded.year // 10 * 10 for p in processes if p.founded)
    in_decade = client.get(f"/processus/?decade={decade}").get_data(as_text=True)
    shown = re.findall(r'<th scope="row"><a href="/processus/([a-z0-9-]+)">', in_decade)
    expected = [p.id for p in processes if p.founded and p.founded.year // 10 * 10 == decade]
    assert sorted(shown) == sorted(expected)


@pytest.mark.parametrize(
    "query", ["kind=imaginary", "sort=secret", "decade=1234", "region=Atlantide", "order=up"]
)
def test_explorer_rejects_a_filter_it_did_not_offer(client, query):
    response = client.get(f"/processus/?{query}")
    assert response.status_code == 400
    assert "Ce filtre ne correspond à aucune option proposée." in response.get_data(as_text=True)


def test_process_page_names_members_in_french_with_source_and_year(shipped_app, client):
    with shipped_app.app_context():
        course = current_course()
        process = next(p for p in course.processes.values() if len(p.members) >= 3)
    html = client.get(f"/processus/{process.id}").get_data(as_text=True)
    for code in process.members:
        assert _escaped(country_name(code)) in html
    assert str(process.member_list.as_of or course.sources[process.member_list.source].year) in html
    if process.founded:
        assert str(process.founded.year) in html
    assert client.get("/processus/no-such-process").status_code == 404


def test_country_page_and_matrix_agree_with_the_member_lists(shipped_app, client):
    with shipped_app.app_context():
        processes = list(current_course().processes.values())
    code = max(
        {c for p in processes for c in p.members},
        key=lambda c: sum(c in p.members for p in processes),
    )
    expected = sorted(p.id for p in processes if code in p.members)
    html = client.get(f"/processus/pays/{code}").get_data(as_text=True)
    shown = re.findall(r'<th scope="row"><a href="/processus/([a-z0-9-]+)">', html)
    assert sorted(shown) == expected
    matrix = client.get("/processus/matrice").get_data(as_text=True)
    marks = matrix.count('<span class="visually-hidden">membre</span>')
    assert marks == sum(len(p.members) for p in processes)
    assert client.get("/processus/pays/XX").status_code == 404


def test_timeline_is_server_rendered_svg_with_every_dated_process(shipped_app, client):
    with shipped_app.app_context():
        dated = [p for p in current_course().processes.values() if p.founded]
    html = client.get("/processus/chronologie").get_data(as_text=True)
    svg = re.search(r"<svg class=\"timeline\".*?</svg>", html, re.S).group(0)
    assert svg.count("<circle") == len(dated)
    assert 'role="img"' in svg and "<title" in svg
    for process in dated:
        assert f"{_escaped(process.acronym)} ({process.founded.year})" in svg


def test_timeline_slide_shows_the_svg(shipped_app, client):
    with shipped_app.app_context():
        course = current_course()
        place = next(
            (p for p in course.slides.values() if isinstance(p.slide, models.TimelineSlide)), None
        )
    if place is None:
        pytest.fail("the shipped course has no timeline slide to check")
    html = client.get(f"/themes/{place.module.id}/{place.number}").get_data(as_text=True)
    assert html.count("<circle") == len(place.slide.timeline)


def test_error_pages_are_in_french(make_app):
    app = make_app(root=WEB_COURSE, PROPAGATE_EXCEPTIONS=False)

    @app.get("/boom")
    def boom():
        raise RuntimeError("boom")

    client = app.test_client()
    missing = client.get("/pas-de-page")
    assert missing.status_code == 404
    assert "Page introuvable" in missing.get_data(as_text=True)
    broken = client.get("/boom")
    assert broken.status_code == 500
    assert "Une erreur inattendue s’est produite" in broken.get_data(as_text=True)
    wrong_method = client.delete("/")
    assert wrong_method.status_code == 405
    assert "Action non autorisée" in wrong_method.get_data(as_text=True)


def test_session_cookie_is_signed_httponly_secure_and_samesite(client):
    response = client.get("/")
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("coopkit=")
    for flag in ("Secure", "HttpOnly", "SameSite=Lax"):
        assert flag in cookie
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_a_forged_learner_cookie_is_ignored(shipped_app):
    client = shipped_app.test_client()
    client.set_cookie("coopkit", "eyJsZWFybmVyIjoiYWJjIn0.forged.signature")
    response = client.get("/")
    assert response.status_code == 200
    assert "coopkit=" in response.headers["Set-Cookie"]  # a fresh, properly signed id


@pytest.mark.parametrize(
    ("minutes", "text"), [(45, "45\u00a0min"), (120, "2\u00a0h"), (190, "3\u00a0h\u00a010")]
)
def test_durations_read_the_french_way(minutes, text):
    assert french_duration(minutes) == text


def test_process_page_shows_the_support_and_each_pages_address(shipped_app, client):
    html = client.get("/processus/midcom").get_data(as_text=True)
    assert "Secrétariat et appui" in html
    assert _escaped("Secrétariat du COMESA") in html
    assert "OIM, fiche du MIDCOM" in html  # the citation names a publisher, never an id
    assert 'href="https://www.iom.int/migration-dialogue-comesa-member-states-midcom' in html
    assert "page consultée le 3 décembre 2026" in html
    assert "page non datée" in html
    assert "oim-midcom" not in html.replace("/processus/", "")
