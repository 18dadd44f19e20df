"""Live session: N phones in one workshop session, with the projector and the dashboard open.

The app runs under gunicorn with the settings ``docs/deploy.md`` recommends for a 2-core
machine (``bench.common.WORKERS`` × ``THREADS``), on SQLite and, when a server answers, on
PostgreSQL. Every phone joins with the code, then behaves as the real page does
(``webapp/static/workshop.js``): it polls the session's state every 1.5 s and loads its page
again when the state changes. The facilitator runs a live quiz of 10 questions: opens a
question, leaves it open for a 20 s window in which every phone answers at a random moment
(the answer is a form POST, then the page it redirects to), closes it, reveals the answer
and moves on. The projector and the dashboard poll the session every 1.5 s and load their
page again when something changed, as in the room.

Reported: answer latency (the POST) p50/p95/p99, the p95 time from an answer's response to
the end of the first projector page that includes it, errors, and answers stored against
answers sent. One event loop drives every phone (asyncio streams, one connection per
request, as phones behind a proxy come), so the load generator stays small next to the
server on the same two cores.
"""

from __future__ import annotations

import asyncio
import json
import random
import re
import tempfile
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from bench.common import REPO, THREADS, WORKERS, Gunicorn, Table, percentile, upgrade
from bench.web_bench import app_env, fill_form

QUESTIONS = 10
QUIZ = "theme-1"  # draws ten questions
WINDOW = 20.0  # seconds a question stays open; each phone answers at a random moment in it
POLL = 1.5  # seconds between two polls of a page, as workshop.js does
JOINING_AT_ONCE = 50
TARGETED = 300  # phones in the rows with a target; 1,000 are reported (bench/room_bench.py)
PASSWORD = "live-benchmark-password"
TARGET_P95_MS = 500
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
REQUEST_TIMEOUT = 30.0


class HttpError(Exception):
    """A response the page would not expect."""


@dataclass
class Client:
    """A browser: cookies, and one new connection per request."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)

    async def request(self, method: str, path: str, fields: dict | None = None):
        """(status, Location, body) of one request."""
        body = urlencode(fields, doseq=True).encode() if fields is not None else b""
        lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{self.port}", "Connection: close"]
        if self.cookies:
            lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        if fields is not None:
            lines += ["Content-Type: application/x-www-form-urlencoded"]
        lines.append(f"Content-Length: {len(body)}")
        reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
        try:
            writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
            await writer.drain()
            raw = await asyncio.wait_for(reader.read(), REQUEST_TIMEOUT)
        finally:
            writer.close()
        head, _, payload = raw.partition(b"\r\n\r\n")
        header_lines = head.decode("latin-1").split("\r\n")
        status = int(header_lines[0].split()[1])
        location = ""
        for line in header_lines[1:]:
            name, _, value = line.partition(":")
            if name.lower() == "set-cookie":
                for key, morsel in SimpleCookie(value.strip()).items():
                    self.cookies[key] = morsel.value
            elif name.lower() == "location":
                location = value.strip()
        if b"transfer-encoding: chunked" in head.lower():
            payload = _unchunk(payload)
        return status, location, payload.decode("utf-8", "replace")


def _unchunk(data: bytes) -> bytes:
    out, rest = b"", data
    while rest:
        size_line, _, rest = rest.partition(b"\r\n")
        size = int(size_line.split(b";")[0] or b"0", 16)
        if size == 0:
            break
        out, rest = out + rest[:size], rest[size + 2 :]
    return out


def _local(location: str) -> str:
    parts = urlsplit(location)
    return parts.path + (f"?{parts.query}" if parts.query else "")


@dataclass
class Run:
    """What the phones, the projector and the dashboard saw."""

    latencies: list[float] = field(default_factory=list)  # answer POSTs, seconds
    answered_at: list[float] = field(default_factory=list)  # when each answer's POST returned
    projector_loads: list[tuple[float, float]] = field(default_factory=list)  # (start, end)
    errors: list[str] = field(default_factory=list)
    sent: set[tuple[str, str]] = field(default_factory=set)
    requests: int = 0
    server_cpu: float | None = None  # CPU seconds gunicorn's processes used during the run

    def error(self, who: str, problem: str) -> None:
        self.errors.append(f"{who}: {problem}")


class Phone:
    """One participant's phone: joins, polls, loads its page, answers each open question."""

    def __init__(self, run: Run, port: int, code: str, session_id: str, name: str) -> None:
        self.run, self.name, self.code = run, name, code
        self.client = Client(port)
        self.page_path = f"/atelier/participer/{session_id}"
        self.state_path = f"{self.page_path}/etat"
        self.version: str | None = None
        self.page = ""
        self.answered: set[str] = set()
        self.pending: asyncio.Task | None = None

    async def get(self, path: str):
        self.run.requests += 1
        status, _, body = await self.client.request("GET", path)
        if status != 200:
            raise HttpError(f"GET {path} answered {status}")
        return body

    async def join(self) -> None:
        page = await self.get(f"/atelier/?code={self.code}")
        fields = {"csrf_token": CSRF.search(page).group(1), "code": self.code, "name": self.name}
        self.run.requests += 1
        status, location, _ = await self.client.request("POST", "/atelier/", fields)
        if status != 302 or self.page_path not in location:
            raise HttpError(f"join answered {status} → {location!r}")
        await self.load()

    async def load(self) -> None:
        self.page = await self.get(self.page_path)
        self.version = re.search(r'data-current="([^"]*)"', self.page).group(1)

    async def poll_until(self, stop: asyncio.Event) -> None:
        """Poll every POLL seconds (first poll at a random moment); reload on a change."""
        await asyncio.sleep(random.uniform(0, POLL))
        while not stop.is_set():
            try:
                state = json.loads(await self.get(self.state_path))
                if str(state["version"]) != self.version:
                    await self.load()
                    self.answer_later()
            except Exception as problem:  # counted; the real page backs off and goes on
                self.run.error(self.name, f"{type(problem).__name__}: {problem}")
            await asyncio.sleep(POLL)

    def answer_later(self) -> None:
        """If the page shows an unanswered question, answer it at a random moment of its
        window (the window is known to the driver: ``self.deadline``)."""
        if 'class="ws-answer"' not in self.page or self.pending is not None:
            return
        delay = max(0.0, self.deadline - time.perf_counter()) * random.random()
        self.pending = asyncio.ensure_future(self.answer(delay))

    async def answer(self, delay: float) -> None:
        await asyncio.sleep(delay)
        try:
            fields = fill_form(self.page, "ws-answer")
            key = fields["item"]
            started = time.perf_counter()
            self.run.requests += 1
            status, location, _ = await self.client.request(
                "POST", f"{self.page_path}/repondre", fields
            )
            done = time.perf_counter()
            if status != 303:
                raise HttpError(f"answer answered {status}")
            self.run.latencies.append(done - started)
            self.run.answered_at.append(done)
            self.run.sent.add((self.name, key))
            self.page = await self.get(_local(location))  # the browser follows the redirect
        except Exception as problem:
            self.run.error(self.name, f"{type(problem).__name__}: {problem}")
        finally:
            self.pending = None


class Screen:
    """The projector or the dashboard: polls the session, loads its page when it changed."""

    def __init__(self, run: Run, client: Client, path: str, projector: bool) -> None:
        self.run, self.client, self.path, self.projector = run, client, path, projector
        self.activity: str | None = None

    async def load(self) -> None:
        started = time.perf_counter()
        self.run.requests += 1
        status, _, body = await self.client.request("GET", self.path)
        if status != 200:
            raise HttpError(f"GET {self.path} answered {status}")
        self.activity = re.search(r'data-current="([^"]*)"', body).group(1)
        if self.projector:
            self.run.projector_loads.append((started, time.perf_counter()))

    async def poll_until(self, stop: asyncio.Event) -> None:
        await self.load()
        while not stop.is_set():
            await asyncio.sleep(POLL)
            try:
                self.run.requests += 1
                status, _, body = await self.client.request("GET", f"{self.path_state}")
                if status != 200:
                    raise HttpError(f"state answered {status}")
                if json.loads(body)["activity"] != self.activity:
                    await self.load()
            except Exception as problem:
                self.run.error("écran", f"{type(problem).__name__}: {problem}")

    @property
    def path_state(self) -> str:
        return self.path.rsplit("/", 1)[0] + "/etat" if self.projector else self.path + "/etat"


def open_session(database_url: str) -> tuple[int, str, str]:
    """A facilitator and a live session on the quiz; (id, address key, join code)."""
    from webapp import create_app, db
    from webapp.workshop import services
    from webapp.workshop.state import Pace

    upgrade(database_url)
    with tempfile.TemporaryDirectory() as instance:
        app = create_app(
            {"COURSE_ROOT": str(REPO), "DATABASE_URL": database_url, "INSTANCE_PATH": instance}
        )
        try:
            with app.app_context():
                dbs = db.session()
                owner = services.add_facilitator(dbs, "live@example.org", PASSWORD)
                workshop = services.open_session(dbs, owner, QUIZ, "En direct", Pace.LIVE)
                return workshop.id, workshop.public_id, workshop.code
        finally:
            db.database(app).close()


async def facilitator(port: int) -> Client:
    """A logged-in facilitator's browser."""
    desk = Client(port)
    status, _, page = await desk.request("GET", "/atelier/connexion")
    fields = {
        "csrf_token": CSRF.search(page).group(1),
        "email": "live@example.org",
        "password": PASSWORD,
    }
    status, _, _ = await desk.request("POST", "/atelier/connexion", fields)
    if status != 302:
        raise HttpError(f"login answered {status}")
    return desk


async def act(desk: Client, session_id: str, action: str) -> None:
    """Press a live control on the dashboard (the form carries the version it shows)."""
    status, _, page = await desk.request("GET", f"/atelier/sessions/{session_id}")
    version = re.search(r'name="version" value="(\d+)"', page).group(1)
    fields = {"csrf_token": CSRF.search(page).group(1), "version": version, "action": action}
    status, _, _ = await desk.request("POST", f"/atelier/sessions/{session_id}/direct", fields)
    if status != 303:
        raise HttpError(f"{action} answered {status}")


async def live_session(port: int, session_id: str, code: str, participants: int) -> Run:
    """Join every phone, then run the quiz with the screens open; the phones' results."""
    run = Run()
    phones = [Phone(run, port, code, session_id, f"Téléphone {n:04d}") for n in range(participants)]
    gate = asyncio.Semaphore(JOINING_AT_ONCE)

    async def join(phone: Phone) -> None:
        async with gate:
            try:
                await phone.join()
            except Exception as problem:
                run.error(phone.name, f"join: {type(problem).__name__}: {problem}")

    await asyncio.gather(*(join(phone) for phone in phones))
    desk = await facilitator(port)
    base = f"/atelier/sessions/{session_id}"
    screens = [Screen(run, desk, f"{base}/projection", True), Screen(run, desk, base, False)]
    stop = asyncio.Event()
    for phone in phones:
        phone.deadline = time.perf_counter()
    pollers = [asyncio.ensure_future(p.poll_until(stop)) for p in (*phones, *screens)]
    for number in range(QUESTIONS):
        deadline = time.perf_counter() + WINDOW
        for phone in phones:
            phone.deadline = deadline
        await act(desk, session_id, "start" if number == 0 else "next")
        await asyncio.sleep(WINDOW)
        while any(phone.pending is not None for phone in phones):  # answers on their way
            await asyncio.sleep(0.1)
        await act(desk, session_id, "close")
        await act(desk, session_id, "reveal")
    await act(desk, session_id, "finish")  # after the last question: the results
    await asyncio.sleep(2 * POLL)  # the screens load their last page
    stop.set()
    await asyncio.gather(*pollers)
    return run


def projector_delays(run: Run) -> list[float]:
    """For each answer: from its response to the end of the first projector page loaded after."""
    loads = sorted(run.projector_loads)
    delays = []
    for answered in run.answered_at:
        ends = [end for start, end in loads if start >= answered]
        delays.append((min(ends) if ends else float("inf")) - answered)
    return delays


def stored_answers(database_url: str, session_id: int) -> list[tuple[str, str]]:
    """(participant name, item key) of every answer stored for the session."""
    from sqlalchemy import create_engine, select

    from webapp.db import normalise_url
    from webapp.workshop.models import Participant, WorkshopAnswer

    engine = create_engine(normalise_url(database_url))
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


def measure(database_url: str, participants: int) -> tuple[Run, list, float]:
    """Serve the app on ``database_url`` and run one live session; (run, stored, seconds)."""
    session_id, session_key, code = open_session(database_url)
    server = Gunicorn("webapp.wsgi:app", app_env(database_url))
    with server as port:
        started = time.perf_counter()
        cpu_before = server.cpu_seconds()
        run = asyncio.run(live_session(port, session_key, code, participants))
        elapsed = time.perf_counter() - started
        cpu_after = server.cpu_seconds()
    if cpu_before is not None and cpu_after is not None:
        run.server_cpu = cpu_after - cpu_before
    return run, stored_answers(database_url, session_id), elapsed


def add_row(table: Table, label: str, participants: int, run: Run, stored: list, elapsed: float):
    """One row: answer latency, projector delay, errors, answers stored against sent."""
    expected = participants * QUESTIONS
    lost = len(run.sent - set(stored))
    extra = len(stored) - len(set(stored)) + len(set(stored) - run.sent)
    ms = [1000 * s for s in run.latencies]
    shown = [1000 * s for s in projector_delays(run)]
    p95 = percentile(ms, 95)
    ours = (
        f"answers p50 {percentile(ms, 50):.0f} ms, p95 {p95:.0f} ms, p99 "
        f"{percentile(ms, 99):.0f} ms; on the projector p95 {percentile(shown, 95) / 1000:.1f} s; "
        f"{len(set(stored))}/{len(run.sent)} stored/sent of {expected}, {lost} lost, "
        f"{extra} duplicated; {len(run.errors)} errors; {run.requests} requests in "
        f"{elapsed:.0f} s"
    )
    if run.server_cpu is not None:  # what the server needs, whatever else the machine runs
        ours += (
            f"; server CPU {1000 * run.server_cpu / run.requests:.1f} ms/request, "
            f"{run.server_cpu / elapsed:.2f} of the 2 cores"
        )
    for error in run.errors[:5]:
        print(f"bench: live {label} {participants}: {error}", flush=True)
    what = (
        f"live session, {label}: {participants} phones × {QUESTIONS} questions, {WINDOW:.0f} s "
        f"each, projector and dashboard open (gunicorn -w {WORKERS} --threads {THREADS})"
    )
    if participants > TARGETED:
        table.add(what, ours, "—", None, "reported (room issue sets it)", None)
        return
    ok = not run.errors and len(run.sent) == expected and lost == extra == 0 and p95 < TARGET_P95_MS
    target = f"0 errors, 0 lost or duplicated, answer p95 < {TARGET_P95_MS} ms"
    table.add(what, ours, "—", None, target, ok)


def run_bench(table: Table, participants: int = 300) -> None:
    """The live session with ``participants`` phones on SQLite, then on PostgreSQL."""
    from bench.burst_bench import postgres_answers, postgres_url, scoped_schema

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'live.sqlite3'}"
        add_row(table, "SQLite", participants, *measure(url, participants))
    url = postgres_url()
    if not postgres_answers(url):
        note = f"skipped: no PostgreSQL server answers at {url}"
        print(f"bench: {note}", flush=True)
        table.add("live session, PostgreSQL", note, "—", None, "—", None)
        return
    with scoped_schema(url) as scoped:
        add_row(table, "PostgreSQL", participants, *measure(scoped, participants))
