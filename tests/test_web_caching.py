"""The worker's in-memory caches: lesson pages rendered once, slide views looked up once,
and the session cookie re-signed once a day rather than on every page."""

from __future__ import annotations

import re
import time
from datetime import date

import pytest
from itsdangerous import BadSignature
from sqlalchemy import event
from werkzeug.datastructures import MultiDict

from course import load_course
from course.attempts import draw
from tests.conftest import REPO_ROOT, WEB_COURSE
from webapp import learners
from webapp.content import current_course
from webapp.quizzes.render import KeptFields, questions_html


class QueryCounter:
    """Counts the SQL statements an app's engine runs while active."""

    def __init__(self, app) -> None:
        self.engine = app.extensions["coopkit.db"].engine
        self.statements: list[str] = []

    def __enter__(self) -> QueryCounter:
        event.listen(self.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *_exc) -> None:
        event.remove(self.engine, "before_cursor_execute", self._count)

    def _count(self, _conn, _cursor, statement, *_args) -> None:
        self.statements.append(statement)


def test_a_lesson_page_is_rendered_once_and_served_to_every_learner(make_app):
    app = make_app()
    pages = app.extensions["coopkit.pages"]
    first = app.test_client().get("/themes/theme-2/3").get_data(as_text=True)
    assert len(pages) == 1
    second = app.test_client().get("/themes/theme-2/3").get_data(as_text=True)
    assert second == first and len(pages) == 1
    app.test_client().get("/themes/theme-2/4")
    assert len(pages) == 2


def test_a_page_with_a_flashed_message_is_the_learners_own_and_not_kept(make_app):
    app = make_app(root=WEB_COURSE)
    client = app.test_client()
    page = client.get("/parcours").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    client.post("/parcours", data={"csrf_token": token, "display_name": "Awa"})
    flashed = client.get("/themes/theme-1/1").get_data(as_text=True)
    assert "Votre nom a été enregistré." in flashed
    assert len(app.extensions["coopkit.pages"]) == 0
    again = client.get("/themes/theme-1/1").get_data(as_text=True)
    assert "Votre nom a été enregistré." not in again
    assert len(app.extensions["coopkit.pages"]) == 1
    assert "Votre nom a été enregistré." not in app.test_client().get("/themes/theme-1/1").text


def test_a_slide_view_is_stored_once_and_then_costs_no_query(make_app):
    app = make_app()
    client = app.test_client()
    with QueryCounter(app) as first:
        client.get("/themes/theme-1/2")
    assert any("INSERT INTO slide_view" in s for s in first.statements)
    with QueryCounter(app) as again:
        client.get("/themes/theme-1/2")
    assert again.statements == []
    # Another learner's view of the same slide is still stored.
    with QueryCounter(app) as other:
        app.test_client().get("/themes/theme-1/2")
    assert any("INSERT INTO slide_view" in s for s in other.statements)
    home = client.get("/").get_data(as_text=True)
    assert re.search(r'id="progress-theme-1" max="\d+" value="1"', home)


def test_the_session_cookie_is_sent_on_the_first_visit_of_a_day_only(make_app, monkeypatch):
    app = make_app()
    client = app.test_client()
    assert "Set-Cookie" in client.get("/themes/theme-1/1").headers  # a new learner
    assert "Set-Cookie" not in client.get("/themes/theme-1/2").headers
    tomorrow = date.fromordinal(date.today().toordinal() + 1)

    class Tomorrow(date):
        @classmethod
        def today(cls) -> date:
            return tomorrow

    monkeypatch.setattr(learners, "date", Tomorrow)
    refreshed = client.get("/themes/theme-1/2")
    assert "Expires=" in refreshed.headers["Set-Cookie"]  # a year from tomorrow
    assert "Set-Cookie" not in client.get("/themes/theme-1/3").headers


def test_session_cookies_keep_flasks_format_and_follow_a_new_secret_key(make_app):
    from flask.sessions import SecureCookieSessionInterface

    app = make_app()
    ours, stock = app.session_interface, SecureCookieSessionInterface()
    with app.app_context():
        cookie = stock.get_signing_serializer(app).dumps({"learner": "a" * 32})
        assert ours.get_signing_serializer(app).loads(cookie) == {"learner": "a" * 32}
        back = ours.get_signing_serializer(app).dumps({"learner": "b" * 32})
        assert stock.get_signing_serializer(app).loads(back) == {"learner": "b" * 32}
        old_key = app.secret_key
        app.secret_key = "a new secret key, long enough to be one"
        with pytest.raises(BadSignature):
            ours.get_signing_serializer(app).loads(cookie)
        app.config["SECRET_KEY_FALLBACKS"] = [old_key]  # a rotated key, still accepted
        assert ours.get_signing_serializer(app).loads(cookie) == {"learner": "a" * 32}


def test_a_remembered_cookie_is_still_checked_for_age_and_tampering(make_app, monkeypatch):
    from webapp import cookies

    app = make_app()
    client = app.test_client()
    client.get("/themes/theme-1/1")
    learner = client.get_cookie("coopkit").value
    with app.test_request_context(headers={"Cookie": f"coopkit={learner}"}):
        from flask import request

        first = app.session_interface.open_session(app, request)
        again = app.session_interface.open_session(app, request)
        assert again == first and "learner" in again
        again["learner"] = "changed in one request only"
        assert app.session_interface.open_session(app, request)["learner"] == first["learner"]
        a_year_on = time.time() + app.permanent_session_lifetime.total_seconds() + 60
        monkeypatch.setattr(cookies.time, "time", lambda: a_year_on)
        assert "learner" not in app.session_interface.open_session(app, request)
    forged = learner[:-2] + ("AA" if not learner.endswith("AA") else "BB")
    with app.test_request_context(headers={"Cookie": f"coopkit={forged}"}):
        from flask import request

        assert "learner" not in app.session_interface.open_session(app, request)


# --- Parts of pages made once per worker: layout links, the quiz page's frame, CSRF tokens


def _csrf(html: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def test_the_layout_links_follow_the_mount_point(make_app):
    app = make_app()
    mounted = app.test_client().get("/themes/theme-2/3", base_url="http://localhost/cours/").text
    assert 'href="/cours/static/app.css"' in mounted
    assert 'href="/cours/quiz/"' in mounted
    plain = app.test_client().get("/themes/theme-2/3").text
    assert 'href="/static/app.css"' in plain and 'href="/quiz/"' in plain
    assert "/cours/" not in plain


def test_the_quiz_page_keeps_its_frame_and_writes_each_learners_questions_and_token(make_app):
    app = make_app(root=WEB_COURSE)
    first, second = app.test_client(), app.test_client()
    mine = first.get("/quiz/theme-2/tentative/11").text
    theirs = second.get("/quiz/theme-2/tentative/12").text
    assert len(app.extensions["coopkit.pages"]) == 1  # one frame for the quiz
    assert "<!--hole:" not in mine + theirs
    assert mine.split("<form")[0] == theirs.split("<form")[0]
    assert mine.split("<form")[1] != theirs.split("<form")[1]  # other seed, other questions
    assert _csrf(mine) != _csrf(theirs)
    # A learner's signed token is kept: the next page carries the same one, and it is good.
    again = first.get("/quiz/theme-2/tentative/13").text
    assert _csrf(again) == _csrf(mine)
    start = first.post("/quiz/theme-2/", data={"csrf_token": _csrf(again)})
    assert start.status_code == 302


def test_security_headers_come_once_on_pages_static_files_and_errors(make_app):
    from webapp.security import CSP

    client = make_app().test_client()
    for url in ("/themes/theme-2/3", "/static/app.css", "/page-qui-n-existe-pas"):
        with client.get(url) as response:  # a static file is streamed: close it
            assert response.headers.getlist("Content-Security-Policy") == [CSP], url
            assert response.headers.getlist("X-Frame-Options") == ["DENY"], url


def test_a_security_header_a_view_sets_itself_is_kept(make_app):
    app = make_app()
    app.add_url_rule("/integrable", "integrable", lambda: ("ok", {"X-Frame-Options": "SAMEORIGIN"}))
    response = app.test_client().get("/integrable")
    assert response.headers.getlist("X-Frame-Options") == ["SAMEORIGIN"]
    assert response.headers.getlist("X-Content-Type-Options") == ["nosniff"]


def test_kept_question_fields_are_the_fields_written_afresh_at_every_position():
    course = load_course(REPO_ROOT)
    kept = KeptFields(course, size=50)
    generated = 0
    for quiz_id in course.quizzes:
        for seed in range(40):
            items = draw(course, quiz_id, seed).items
            fresh = questions_html(items)
            assert questions_html(items, kept=kept) == fresh  # written, then kept
            assert questions_html(items, kept=kept) == fresh  # read back
            generated += sum(kept.written.get(i.question.id) is not i.question for i in items)
    assert generated > 0  # theme-2's generated questions were met, and written each time
    assert len(kept.fields) == 50  # bounded; and a generated question is never kept
    assert all(question_id in kept.written for question_id, _order in kept.fields._entries)


def test_answers_shown_again_are_not_taken_from_kept_fields(make_app):
    app = make_app()
    with app.app_context():
        course = current_course()
        kept = KeptFields(course)
        items = draw(course, "theme-1", 7).items
        questions_html(items, kept=kept)  # every question's fields kept, nothing checked
        item = next(i for i in items if i.question.type in ("single", "true_false"))
        choice = item.order[0] if item.order else "faux"
        answered = MultiDict({item.key: choice})
        page = questions_html(items, answered, kept=kept)
        assert f'<input checked id="{item.key}-' in page
        assert page == questions_html(items, answered)
