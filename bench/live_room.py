"""The live room's latencies: N phones in one live session, the projector and the dashboard open.

Targets (issue 20, item 2): an answer shows on the projector and on the dashboard within 1 s
(p95), and a new question reaches every phone within 1.5 s, for 1,000 phones on the 2-core
deployment of docs/deploy.md (gunicorn ``-w 2 --threads 2``), on SQLite and PostgreSQL.

Every client behaves as ``webapp/static/workshop.js`` does: phones poll the session's state
every second (first poll at a random moment) sending the ETag they hold, and load their page
when the version changed; the projector and the dashboard poll every 0.4 s and load their
page when the activity changed. The facilitator opens each question for a window in which
every phone answers at a random moment (a form POST), then closes it, reveals the answer and
moves on. Measured:

- answer → projector (dashboard): from an answer's response to the end of the first
  projector (dashboard) page that began loading after it;
- question → phone: from the moment the facilitator pressed « next » to the end of the
  phone's load of the page that shows the question (every phone, every question).

One asyncio event loop drives every client, one connection per request (phones come
through a proxy), on the same two cores as the server: the figures include that load.
Usage: ``python -m bench.live_room [PHONES] [QUESTIONS] [sqlite|postgresql]``.
"""

from __future__ import annotations

import asyncio
import random
import re
import secrets
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

from bench.common import REPO, THREADS, WORKERS, Gunicorn, Table, percentile, upgrade
from bench.web_bench import app_env, fill_form

QUIZ = "theme-1"
WINDOW = 15.0  # seconds a question stays open; each phone answers at a random moment of it
PHONE_POLL, SCREEN_POLL = 1.0, 0.4  # seconds, as workshop.js (data-poll-ms)
JOINING_AT_ONCE = 50
PASSWORD = "quatre chevaux dans un pré"
POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
TARGET_SHOWN_S, TARGET_ARRIVAL_S = 1.0, 1.5
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
CURRENT = re.compile(r'data-current="([^"]*)"')


@dataclass
class Client:
    """A browser: cookies, its cached ETags, one new connection per request."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)
    etags: dict[str, tuple[str, str]] = field(default_factory=dict)  # path -> (etag, body)

    async def request(self, method: str, path: str, fields: dict | None = None):
        """(status, location, body); a 304 gives back the body cached with its ETag."""
        body = urlencode(fields, doseq=True).encode() if fields is not None else b""
        lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{self.port}", "Connection: close"]
        if self.cookies:
            lines.append("Cookie: " + "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        if method == "GET" and path in self.etags:
            lines.append(f"If-None-Match: {self.etags[path][0]}")
        if fields is not None:
            lines.append("Content-Type: application/x-www-form-urlencoded")
        lines.append(f"Content-Length: {len(body)}")
        reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
        try:
            writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
            await writer.drain()
            raw = await asyncio.wait_for(reader.read(), 60)
        finally:
            writer.close()
        head, _, payload = raw.partition(b"\r\n\r\n")
        header_lines = head.decode("latin-1").split("\r\n")
        status = int(header_lines[0].split()[1])
        location = etag = ""
        for line in header_lines[1:]:
            name, _, value = line.partition(":")
            name, value = name.lower(), value.strip()
            if name == "set-cookie":
                for key, morsel in SimpleCookie(value).items():
                    self.cookies[key] = morsel.value
            elif name == "location":
                location = value
            elif name == "etag":
                etag = value
        if b"transfer-encoding: chunked" in head.lower():
            payload = _unchunk(payload)
        text = payload.decode("utf-8", "replace")
        if status == 304:
            return 200, location, self.etags[path][1]
        if etag and method == "GET":
            self.etags[path] = (etag, text)
        return status, location, text


def _unchunk(data: bytes) -> bytes:
    out, rest = b"", data
    while rest:
        size_line, _, rest = rest.partition(b"\r\n")
        size = int(size_line.split(b";")[0] or b"0", 16)
        if size == 0:
            break
        out, rest = out + rest[:size], rest[size + 2 :]
    return out


@dataclass
class Room:
    """What every client saw."""

    answered_at: list[float] = field(default_factory=list)
    answer_latency: list[float] = field(default_factory=list)
    loads: dict[str, list[tuple[float, float]]] = field(
        default_factory=lambda: {"projector": [], "dashboard": []}
    )
    arrivals: list[float] = field(default_factory=list)  # question opened -> phone shows it
    opened_at: dict[str, float] = field(default_factory=dict)  # version -> when « next » sent
    errors: list[str] = field(default_factory=list)
    requests: int = 0
    not_modified: int = 0
    server_cpu: tuple[float, float] | None = None  # (CPU seconds of gunicorn, wall seconds)


class Phone:
    def __init__(self, room: Room, port: int, key: str, code: str, name: str) -> None:
        self.room, self.code, self.name = room, code, name
        self.client = Client(port)
        self.page_path = f"/atelier/participer/{key}"
        self.version = ""
        self.page = ""
        self.deadline = 0.0
        self.pending: asyncio.Task | None = None

    async def get(self, path: str) -> str:
        self.room.requests += 1
        status, _, body = await self.client.request("GET", path)
        if status != 200:
            raise RuntimeError(f"GET {path} answered {status}")
        return body

    async def join(self) -> None:
        page = await self.get(f"/atelier/?code={self.code}")
        fields = {"csrf_token": CSRF.search(page).group(1), "code": self.code, "name": self.name}
        self.room.requests += 1
        status, location, _ = await self.client.request("POST", "/atelier/", fields)
        if status != 302 or self.page_path not in location:
            raise RuntimeError(f"join answered {status}")
        await self.load()

    async def load(self) -> None:
        self.page = await self.get(self.page_path)
        self.version = CURRENT.search(self.page).group(1)
        opened = self.room.opened_at.get(self.version)
        if opened is not None and 'class="ws-answer"' in self.page:
            self.room.arrivals.append(time.perf_counter() - opened)

    async def poll(self, stop: asyncio.Event) -> None:
        await asyncio.sleep(random.uniform(0, PHONE_POLL))
        while not stop.is_set():
            try:
                before = len(self.client.etags)
                state = await self.get(f"{self.page_path}/etat")
                self.room.not_modified += before == len(self.client.etags) and bool(before)
                if re.search(r'"version":\s*(\d+)', state).group(1) != self.version:
                    await self.load()
                    if 'class="ws-answer"' in self.page and self.pending is None:
                        delay = max(0.0, self.deadline - time.perf_counter()) * random.random()
                        self.pending = asyncio.ensure_future(self.answer(delay))
            except Exception as problem:
                self.room.errors.append(f"{self.name}: {type(problem).__name__}: {problem}")
            await asyncio.sleep(PHONE_POLL)

    async def answer(self, delay: float) -> None:
        await asyncio.sleep(delay)
        try:
            fields = fill_form(self.page, "ws-answer")
            started = time.perf_counter()
            self.room.requests += 1
            status, _, _ = await self.client.request("POST", f"{self.page_path}/repondre", fields)
            done = time.perf_counter()
            if status != 303:
                raise RuntimeError(f"answer answered {status}")
            self.room.answer_latency.append(done - started)
            self.room.answered_at.append(done)
            await self.load()  # the browser follows the redirect
        except Exception as problem:
            self.room.errors.append(f"{self.name}: {type(problem).__name__}: {problem}")
        finally:
            self.pending = None


async def screen(room: Room, desk: Client, path: str, name: str, stop: asyncio.Event) -> None:
    """The projector or the dashboard: poll the activity, load the page when it changed."""
    state_path = path.removesuffix("/projection") + "/etat"
    shown = ""
    while not stop.is_set():
        try:
            room.requests += 1
            _, _, state = await desk.request("GET", state_path)
            activity = re.search(r'"activity":\s*"([^"]*)"', state).group(1)
            if activity != shown:
                started = time.perf_counter()
                room.requests += 1
                status, _, page = await desk.request("GET", path)
                if status != 200:
                    raise RuntimeError(f"{name} answered {status}")
                room.loads[name].append((started, time.perf_counter()))
                shown = CURRENT.search(page).group(1)
        except Exception as problem:
            room.errors.append(f"{name}: {type(problem).__name__}: {problem}")
        await asyncio.sleep(SCREEN_POLL)


def open_session(database_url: str) -> tuple[str, str]:
    """A facilitator and a live session on the quiz; (address key, join code)."""
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
                owner = services.add_facilitator(dbs, "room@example.org", PASSWORD)
                workshop = services.open_session(dbs, owner, QUIZ, "Salle", Pace.LIVE)
                return workshop.public_id, workshop.code
        finally:
            db.database(app).close()


async def act(room: Room, desk: Client, base: str, action: str) -> None:
    """Press a live control as the dashboard does (with the version it shows)."""
    _, _, page = await desk.request("GET", base)
    version = int(re.search(r'name="version" value="(\d+)"', page).group(1))
    fields = {"csrf_token": CSRF.search(page).group(1), "version": version, "action": action}
    room.opened_at[str(version + 1)] = time.perf_counter()
    status, _, _ = await desk.request("POST", f"{base}/direct", fields)
    if status != 303:
        raise RuntimeError(f"{action} answered {status}")


async def live_room(port: int, key: str, code: str, phones: int, questions: int) -> Room:
    room = Room()
    clients = [Phone(room, port, key, code, f"Téléphone {n:04d}") for n in range(phones)]
    gate = asyncio.Semaphore(JOINING_AT_ONCE)

    async def join(phone: Phone) -> None:
        async with gate:
            try:
                await phone.join()
            except Exception as problem:
                room.errors.append(f"{phone.name}: join: {type(problem).__name__}: {problem}")

    await asyncio.gather(*(join(phone) for phone in clients))
    desk = Client(port)
    _, _, page = await desk.request("GET", "/atelier/connexion")
    login = {"csrf_token": CSRF.search(page).group(1), "email": "room@example.org"}
    await desk.request("POST", "/atelier/connexion", login | {"password": PASSWORD})
    base = f"/atelier/sessions/{key}"
    stop = asyncio.Event()
    tasks = [asyncio.ensure_future(phone.poll(stop)) for phone in clients]
    tasks += [
        asyncio.ensure_future(screen(room, Client(port, dict(desk.cookies)), path, name, stop))
        for path, name in ((f"{base}/projection", "projector"), (base, "dashboard"))
    ]
    for number in range(questions):
        deadline = time.perf_counter() + WINDOW
        for phone in clients:
            phone.deadline = deadline
        await act(room, desk, base, "start" if number == 0 else "next")
        await asyncio.sleep(WINDOW)
        while any(phone.pending is not None for phone in clients):
            await asyncio.sleep(0.1)
        await act(room, desk, base, "close")
        await act(room, desk, base, "reveal")
        await asyncio.sleep(3)  # the phones load the reveal
    stop.set()
    await asyncio.gather(*tasks)
    return room


def shown_after(answered: list[float], loads: list[tuple[float, float]]) -> list[float]:
    """Per answer: until the end of the first page load that began after it."""
    loads = sorted(loads)
    delays = []
    for at in answered:
        ends = [end for start, end in loads if start >= at]
        delays.append((min(ends) if ends else float("inf")) - at)
    return delays


def measure(database_url: str, phones: int, questions: int) -> Room:
    key, code = open_session(database_url)
    server = Gunicorn("webapp.wsgi:app", app_env(database_url))
    with server as port:
        cpu, started = server.cpu_seconds(), time.perf_counter()
        room = asyncio.run(live_room(port, key, code, phones, questions))
        if cpu is not None and (after := server.cpu_seconds()) is not None:
            room.server_cpu = (after - cpu, time.perf_counter() - started)
    return room


def add_row(table: Table, label: str, phones: int, questions: int, room: Room) -> None:
    projector = shown_after(room.answered_at, room.loads["projector"])
    dashboard = shown_after(room.answered_at, room.loads["dashboard"])
    p95 = {
        "projector": percentile(projector, 95),
        "dashboard": percentile(dashboard, 95),
        "arrival": percentile(room.arrivals, 95),
    }
    latest = max(room.arrivals, default=float("inf"))
    ours = (
        f"answer → projector p95 {p95['projector']:.2f} s, → dashboard p95 "
        f"{p95['dashboard']:.2f} s; question → phone p95 {p95['arrival']:.2f} s, max "
        f"{latest:.2f} s ({len(room.arrivals)} arrivals); answer POST p95 "
        f"{1000 * percentile(room.answer_latency, 95):.0f} ms; {len(room.answered_at)} "
        f"answers, {len(room.errors)} errors; {room.requests} requests "
        f"({room.not_modified} polls answered 304)"
    )
    if room.server_cpu:  # what the server needs, whatever else the shared machine runs
        cpu, wall = room.server_cpu
        ours += (
            f"; server CPU {1000 * cpu / room.requests:.1f} ms/request, "
            f"{cpu / wall:.2f} cores on average"
        )
    for error in room.errors[:5]:
        print(f"bench: live room {label}: {error}", flush=True)
    ok = (
        not room.errors
        and max(p95["projector"], p95["dashboard"]) < TARGET_SHOWN_S
        and latest < TARGET_ARRIVAL_S
    )
    table.add(
        f"live room, {label}: {phones} phones × {questions} questions "
        f"(gunicorn -w {WORKERS} --threads {THREADS})",
        ours,
        "—",
        None,
        f"answer shown p95 < {TARGET_SHOWN_S:.0f} s; every phone has the question < "
        f"{TARGET_ARRIVAL_S} s; 0 errors",
        ok,
    )


def run_bench(table: Table, phones: int = 1000, questions: int = 3, which=("sqlite", "pg")):
    """The room on SQLite, then on PostgreSQL when a server answers."""
    if "sqlite" in which:
        with tempfile.TemporaryDirectory() as tmp:
            url = f"sqlite:///{Path(tmp) / 'room.sqlite3'}"
            add_row(table, "SQLite", phones, questions, measure(url, phones, questions))
    if "pg" in which:
        from bench.burst_bench import postgres_answers

        if not postgres_answers(POSTGRES_URL):
            table.add("live room, PostgreSQL", "skipped: no server", "—", None, "—", None)
            return
        with throwaway_schema(POSTGRES_URL) as url:
            add_row(table, "PostgreSQL", phones, questions, measure(url, phones, questions))


@contextmanager
def throwaway_schema(url: str):
    """A PostgreSQL URL whose tables go to a schema made for the run and dropped after it."""
    from sqlalchemy import create_engine, text

    from webapp.db import normalise_url

    schema = f"bench_{secrets.token_hex(4)}"
    admin = create_engine(normalise_url(url))
    try:
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        yield normalise_url(f"{url}?options=-csearch_path%3D{schema}")
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


if __name__ == "__main__":
    args = sys.argv[1:]
    table = Table()
    chosen = tuple(a for a in args if a in ("sqlite", "pg")) or ("sqlite", "pg")
    numbers = [int(a) for a in args if a.isdigit()]
    run_bench(table, *(numbers or [1000]), which=chosen)
    print(table.markdown())
