"""What every request does: the learner's cookie, slide views stored once, flashed messages
for their learner only, links under the mount point, security headers."""

from __future__ import annotations

import re

from sqlalchemy import event

from tests.conftest import WEB_COURSE


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


def test_a_flashed_message_is_shown_once_and_to_its_learner_only(make_app):
    app = make_app(root=WEB_COURSE)
    client = app.test_client()
    page = client.get("/parcours").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    client.post("/parcours", data={"csrf_token": token, "display_name": "Awa"})
    flashed = client.get("/themes/theme-1/1").get_data(as_text=True)
    assert "Votre nom a été enregistré." in flashed
    again = client.get("/themes/theme-1/1").get_data(as_text=True)
    assert "Votre nom a été enregistré." not in again
    assert "Votre nom a été enregistré." not in app.test_client().get("/themes/theme-1/1").text


def test_a_slide_read_again_is_stored_once(make_app):
    app = make_app()
    client = app.test_client()
    with QueryCounter(app) as first:
        client.get("/themes/theme-1/2")
    assert any("INSERT INTO slide_view" in s for s in first.statements)
    with QueryCounter(app) as again:
        client.get("/themes/theme-1/2")
    assert not any("INSERT" in s for s in again.statements)
    # Another learner's view of the same slide is still stored.
    with QueryCounter(app) as other:
        app.test_client().get("/themes/theme-1/2")
    assert any("INSERT INTO slide_view" in s for s in other.statements)
    home = client.get("/").get_data(as_text=True)
    assert re.search(r'id="progress-theme-1" max="\d+" value="1"', home)


def test_a_tampered_or_foreign_cookie_makes_a_new_learner(make_app):
    app = make_app()
    client = app.test_client()
    client.get("/themes/theme-1/1")
    cookie = client.get_cookie("coopkit").value
    forged = cookie[:-2] + ("AA" if not cookie.endswith("AA") else "BB")
    other = app.test_client()
    other.set_cookie("coopkit", forged)
    other.get("/themes/theme-1/1")
    assert other.get_cookie("coopkit").value != forged  # a new learner, newly signed
    stranger = make_app().test_client()  # another secret key
    stranger.set_cookie("coopkit", cookie)
    stranger.get("/themes/theme-1/1")
    assert stranger.get_cookie("coopkit").value != cookie


# --- Links and headers


def test_the_layout_links_follow_the_mount_point(make_app):
    app = make_app()
    mounted = app.test_client().get("/themes/theme-2/3", base_url="http://localhost/cours/").text
    assert 'href="/cours/static/app.css"' in mounted
    assert 'href="/cours/quiz/"' in mounted
    plain = app.test_client().get("/themes/theme-2/3").text
    assert 'href="/static/app.css"' in plain and 'href="/quiz/"' in plain
    assert "/cours/" not in plain


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
