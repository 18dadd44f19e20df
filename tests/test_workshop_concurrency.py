"""50 participants answer the same question at once, against a served app, on each database.

The app is served by werkzeug (threaded) on 127.0.0.1; clients use ``http.client``
from their own threads, each with its own cookie, released together by a barrier.
Every participant sends its answer twice at the same moment (a double tap), so the
test checks both that no answer is lost and that none is stored twice. The same
test runs on SQLite and, when ``DATABASE_URL`` points at PostgreSQL, on PostgreSQL
(in a throw-away schema).
"""

from __future__ import annotations

import http.client
import re
import threading
import time
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import pytest
from sqlalchemy import select
from werkzeug.serving import make_server

from tests.conftest import postgres_schema, postgres_url
from tests.test_workshop_flow import PASSWORD, right_fields, workshop_course, wrong_fields
from webapp import db
from webapp.workshop import services
from webapp.workshop.models import Facilitator, Participant, Workshop, WorkshopAnswer
from webapp.workshop.routes import session_attempt

PARTICIPANTS = 50
SUBMITS_EACH = 2
TIMEOUT = 60  # seconds for the whole burst; a deadlock fails the test instead of hanging


@pytest.fixture
def database_url(request, tmp_path):
    """A fresh database of the kind the parameter names."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'burst.sqlite3'}"
        return
    url = postgres_url()
    if url is None:
        pytest.skip("DATABASE_URL does not point at PostgreSQL")
    with postgres_schema(url) as schema_url:
        yield schema_url


class Browser:
    """A minimal cookie-keeping HTTP client on ``http.client`` (one connection per request)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, fields: dict | None = None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT)
        headers = {}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if fields is not None:
            body = urlencode(fields, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            payload = response.read().decode("utf-8")
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    self.cookies[name] = morsel.value
            return response.status, response.headers, payload
        finally:
            connection.close()

    def token(self) -> str:
        _, _, html = self.request("GET", "/atelier/")
        return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


@pytest.mark.parametrize(
    "database_url",
    ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)],
    indirect=True,
)
def test_fifty_participants_answer_the_same_question_at_once(make_app, small_course, database_url):
    app = make_app(
        workshop_course(small_course), DATABASE_URL=database_url, SESSION_COOKIE_SECURE=False
    )
    dialect = app.extensions["coopkit.db"].engine.dialect.name
    assert database_url.startswith(dialect)  # the parameter's database, not a fallback
    with app.app_context():
        dbs = db.session()
        owner = services.add_facilitator(dbs, "anim@example.org", PASSWORD)
        workshop = services.open_session(dbs, owner, "theme-1", "Rafale")
        session_id, session_key, code = workshop.id, workshop.public_id, workshop.code
        item = session_attempt(workshop).items[0]
        services.move_live(dbs, workshop, "start", len(session_attempt(workshop).items))

    server = make_server("127.0.0.1", 0, app, threaded=True)
    serving = threading.Thread(target=server.serve_forever, daemon=True)
    serving.start()
    try:
        phones = []
        for n in range(PARTICIPANTS):
            phone = Browser(server.port)
            status, _, _ = phone.request(
                "POST",
                "/atelier/",
                {"csrf_token": phone.token(), "code": code, "name": f"Participant {n:02d}"},
            )
            assert status == 302, f"join {n}: {status}"
            phones.append((phone, right_fields(item) if n % 2 else wrong_fields(item)))

        barrier = threading.Barrier(PARTICIPANTS * SUBMITS_EACH, timeout=TIMEOUT)
        statuses: list[int] = []
        errors: list[BaseException] = []
        lock = threading.Lock()

        def submit(phone: Browser, fields: dict, token: str) -> None:
            try:
                barrier.wait()
                status, _, _ = phone.request(
                    "POST",
                    f"/atelier/participer/{session_key}/repondre",
                    {"csrf_token": token, **fields},
                )
                with lock:
                    statuses.append(status)
            except BaseException as error:  # reported below, with the thread's context
                with lock:
                    errors.append(error)

        threads = []
        for phone, fields in phones:
            token = phone.token()
            threads += [
                threading.Thread(target=submit, args=(phone, fields, token))
                for _ in range(SUBMITS_EACH)
            ]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=TIMEOUT)
        elapsed = time.perf_counter() - started
        print(f"{dialect}: {len(threads)} answers in {elapsed:.2f} s")
        assert not any(thread.is_alive() for thread in threads), "requests still running"
    finally:
        server.shutdown()
        serving.join(timeout=10)

    assert errors == []
    assert statuses == [303] * (PARTICIPANTS * SUBMITS_EACH)
    assert elapsed < TIMEOUT
    with app.app_context():
        dbs = db.session()
        answers = list(
            dbs.scalars(select(WorkshopAnswer).where(WorkshopAnswer.session_id == session_id))
        )
        names = {p.id: p.name for p in dbs.scalars(select(Participant))}
        assert dbs.scalar(select(Workshop.version)) == 1
        assert len(list(dbs.scalars(select(Facilitator)))) == 1
    assert len(answers) == PARTICIPANTS  # none lost, none duplicated
    assert len({a.participant_id for a in answers}) == PARTICIPANTS
    assert {a.item_key for a in answers} == {item.key}
    right = sorted(names[a.participant_id] for a in answers if a.correct)
    assert right == [f"Participant {n:02d}" for n in range(1, PARTICIPANTS, 2)]
