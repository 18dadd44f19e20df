"""Workshop burst: 300 participants join one session and answer 10 questions each.

The app runs under gunicorn (``bench.common``) on SQLite and, when a server answers,
on PostgreSQL in a throw-away schema. Participants are simulated by a thread pool:
each joins with the session's code, then, ten times, opens its phone page, fills the
answer form it shows and sends it. Every request's latency is measured; afterwards the
answers stored in the database are compared with the answers that were sent.
"""

from __future__ import annotations

import os
import re
import secrets
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from bench.common import REPO, THREADS, WORKERS, Gunicorn, Table, percentile
from bench.web_bench import Browser, app_env, fill_form

PARTICIPANTS = 300
QUESTIONS = 10  # the theme-1 quiz draws ten questions
QUIZ = "theme-1"
CLIENT_THREADS = 50
TIME_LIMIT = 120  # seconds for the whole burst
P99_MS = 1000  # every request of the burst (issue 15)
POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
PASSWORD = "burst-benchmark-password"
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@dataclass
class Burst:
    """What the simulated participants saw: latencies, errors, answers sent."""

    deadline: float
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    sent: set[tuple[str, str]] = field(default_factory=set)  # (participant name, item key)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def timed(self, browser: Browser, method: str, path: str, fields=None):
        """One request, its latency recorded; refused once the time limit has passed."""
        if time.perf_counter() > self.deadline:
            raise TimeoutError(f"time limit of {TIME_LIMIT} s reached")
        started = time.perf_counter()
        result = browser.request(method, path, fields)
        with self.lock:
            self.latencies.append(time.perf_counter() - started)
        return result


def participant(burst: Burst, port: int, code: str, session_key: str, name: str) -> None:
    """Join with the code, then answer every question the phone page offers."""
    phone = Browser(port)
    try:
        _, _, page = burst.timed(phone, "GET", f"/atelier/?code={code}")
        token = CSRF.search(page).group(1)
        fields = {"csrf_token": token, "code": code, "name": name}
        status, location, _ = burst.timed(phone, "POST", "/atelier/", fields)
        if status != 302 or f"/participer/{session_key}" not in location:
            raise RuntimeError(f"join answered {status} → {location!r}")
        page_path = f"/atelier/participer/{session_key}"
        answer_path = f"{page_path}/repondre"
        for _ in range(QUESTIONS):
            status, _, page = burst.timed(phone, "GET", page_path)
            if status != 200:
                raise RuntimeError(f"phone page answered {status}")
            answer = fill_form(page, "ws-answer")
            status, location, _ = burst.timed(phone, "POST", answer_path, answer)
            if status != 303:
                raise RuntimeError(f"answer answered {status}")
            with burst.lock:
                burst.sent.add((name, answer["item"]))
            # The feedback page (``?vu=<item>``), which also offers the next question.
            target = urlsplit(location)
            page_path = target.path + (f"?{target.query}" if target.query else "")
    except Exception as error:  # counted, and the first ones shown in the report
        with burst.lock:
            burst.errors.append(f"{name}: {type(error).__name__}: {error}")


def open_session(database_url: str) -> tuple[int, str, str]:
    """A facilitator and a self-paced session on the theme-1 quiz; (id, address key, join code)."""
    from webapp import create_app, db
    from webapp.workshop import services
    from webapp.workshop.state import Pace

    with tempfile.TemporaryDirectory() as instance:
        app = create_app(
            {"COURSE_ROOT": str(REPO), "DATABASE_URL": database_url, "INSTANCE_PATH": instance}
        )
        db.upgrade(db.database(app).engine)  # the release step, before any worker starts
        try:
            with app.app_context():
                dbs = db.session()
                owner = services.add_facilitator(dbs, "bench@example.org", PASSWORD)
                workshop = services.open_session(dbs, owner, QUIZ, "Rafale", Pace.SELF)
                return workshop.id, workshop.public_id, workshop.code
        finally:
            app.extensions["coopkit.db"].close()


def stored_answers(database_url: str, session_id: int) -> list[tuple[str, str]]:
    """(participant name, item key) of every answer stored for the session."""
    from sqlalchemy import create_engine, select

    from webapp.workshop.models import Participant, WorkshopAnswer

    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                select(Participant.name, WorkshopAnswer.item_key)
                .join(Participant, Participant.id == WorkshopAnswer.participant_id)
                .where(WorkshopAnswer.session_id == session_id)
            )
            return [(name, key) for name, key in rows]
    finally:
        engine.dispose()


def run_burst(database_url: str) -> tuple[Burst, list[tuple[str, str]], float]:
    """Serve the app on ``database_url`` and let every participant through."""
    session_id, session_key, code = open_session(database_url)
    with Gunicorn("webapp.wsgi:app", app_env(database_url)) as port:
        burst = Burst(deadline=time.perf_counter() + TIME_LIMIT)
        started = time.perf_counter()
        with ThreadPoolExecutor(CLIENT_THREADS) as pool:
            for n in range(PARTICIPANTS):
                pool.submit(participant, burst, port, code, session_key, f"Participant {n:03d}")
        elapsed = time.perf_counter() - started
    return burst, stored_answers(database_url, session_id), elapsed


def add_row(table: Table, label: str, burst: Burst, stored: list, elapsed: float) -> None:
    """One row: errors, answers lost or duplicated against those sent, latency."""
    expected = PARTICIPANTS * QUESTIONS
    lost = len(burst.sent - set(stored))
    unexpected = len(set(stored) - burst.sent)
    duplicated = len(stored) - len(set(stored))
    p50 = percentile(burst.latencies, 50) * 1000
    p99 = percentile(burst.latencies, 99) * 1000
    ours = (
        f"{len(set(stored))}/{expected} answers stored, {len(burst.errors)} errors, "
        f"{lost} lost, {duplicated + unexpected} duplicated or unsent; "
        f"{len(burst.latencies)} requests, p50 {p50:.0f} ms, p99 {p99:.0f} ms, {elapsed:.1f} s"
    )
    ok = (
        not burst.errors
        and len(burst.sent) == expected
        and lost == duplicated == unexpected == 0
        and p99 < P99_MS
        and elapsed <= TIME_LIMIT
    )
    for error in burst.errors[:5]:
        print(f"bench: burst {label}: {error}", flush=True)
    table.add(
        f"workshop burst, {label}: {PARTICIPANTS} participants × {QUESTIONS} answers "
        f"(gunicorn -w {WORKERS} --threads {THREADS}, {CLIENT_THREADS} client threads)",
        ours,
        "—",
        None,
        f"0 errors, 0 lost or duplicated, p99 < {P99_MS / 1000:.0f} s",
        ok,
    )


def postgres_url() -> str:
    """DATABASE_URL when it names PostgreSQL, else the local test server's address."""
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql")) else POSTGRES_URL


def postgres_answers(url: str) -> bool:
    """True when something listens at the URL's host and port."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    try:
        socket.create_connection((parsed.host or "127.0.0.1", parsed.port or 5432), 2).close()
    except OSError:
        return False
    return True


@contextmanager
def scoped_schema(url: str) -> Iterator[str]:
    """A URL on a schema of the server at ``url`` made for one run, dropped afterwards."""
    from sqlalchemy import create_engine, text

    from webapp.db import normalise_url

    schema = f"bench_{secrets.token_hex(4)}"
    admin = create_engine(normalise_url(url))
    try:
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        separator = "&" if "?" in url else "?"
        yield normalise_url(f"{url}{separator}options=-csearch_path%3D{schema}")
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


def run_postgres(table: Table, url: str) -> None:
    """The burst on PostgreSQL, in a schema created for it and dropped afterwards."""
    with scoped_schema(url) as scoped:
        add_row(table, "PostgreSQL", *run_burst(scoped))


def run_bench(table: Table) -> None:
    """Add the burst rows: SQLite, then PostgreSQL when a server answers."""
    with tempfile.TemporaryDirectory() as tmp:
        add_row(table, "SQLite", *run_burst(f"sqlite:///{Path(tmp) / 'burst.sqlite3'}"))
    url = postgres_url()
    if postgres_answers(url):
        run_postgres(table, url)
    else:
        note = f"skipped: no PostgreSQL server answers at {url}"
        print(f"bench: {note}", flush=True)
        table.add("workshop burst, PostgreSQL", note, "—", None, "—", None)
