"""Web: quiz submissions at their sustained maximum (a service level), and for information
the lesson page, the quiz page and a Flask "hello" app.

Both apps run under gunicorn with the same workers and threads (``bench.common``), side
by side; wrk loads one URL at a time for a fixed time with a bounded number of
connections, after a warm-up of each. Every request comes on a new connection
(``Connection: close``), as nginx sends requests to its upstream by default (HTTP/1.0,
no keep-alive; docs/deploy.md). With kept-alive connections, gunicorn's gthread workers
gave bimodal figures — hello at 2,100 or 8,000 req/s from one run to the next, by how
wrk's 16 connections happened to land on the two workers. Each run of a row comes
between two runs of hello, ROUNDS times (``measure``). The learner's pages are requested
with one learner's cookie, as a browser would send it. The quiz page is requested with a
new seed each time: each request is a learner's first view of a new attempt.
"""

from __future__ import annotations

import http.client
import json
import os
import secrets
import shutil
import statistics
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

from bench.common import REPO, THREADS, WORKERS, Gunicorn, Table, upgrade

DURATION = "4s"
WARM_UP = "2s"
ROUNDS = 3
CONNECTIONS = 16
SUBMISSIONS_PER_SECOND = 100  # stored quiz attempts per second, at least (issue 15)
SUBMISSION_P99_MS = 500
LESSON = "/themes/theme-2/3"
QUIZ = "/quiz/theme-1/tentative/1234"  # the attempt submitted over and over
QUIZ_PAGE = "/quiz/theme-1/tentative/<seed>"
MAX_SEED = 2**31 - 1

# Each request asks for a new attempt of the quiz: a random seed per request.
RANDOM_SEED_LUA = """
local counter = 0
init = function(args)
  math.randomseed(os.time() * 1000 + (tonumber(tostring({}):match("0x(%x+)"), 16) or 0) % 1000)
end
request = function()
  local path = string.format("/quiz/theme-1/tentative/%d", math.random(0, MAX_SEED))
  return wrk.format("GET", path)
end
""".replace("MAX_SEED", str(MAX_SEED))

# wrk prints this JSON line when the run ends; ``errors.status`` counts responses ≥ 400.
REPORT_LUA = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "seconds": %f, "p50_us": %d, "p99_us": %d, '
    .. '"bad_status": %d, "socket_errors": %d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50),
    latency:percentile(99), e.status, e.connect + e.read + e.write + e.timeout))
end
"""


@dataclass
class Load:
    """What wrk measured for one URL."""

    per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    failures: int  # responses ≥ 400 and socket errors
    cpu_us: float | None = None  # the server's CPU time per request (all its processes)

    def describe(self) -> str:
        text = f"{self.per_second:.0f} req/s, p50 {self.p50_ms:.1f} ms, p99 {self.p99_ms:.1f} ms"
        if self.cpu_us is not None:
            text += f", server CPU {self.cpu_us:.0f} µs/req"
        return text


def with_cpu(server: Gunicorn, load: Callable[..., Load]) -> Callable[..., Load]:
    """``load``, also counting the CPU time ``server`` spent per request during it.

    Both servers run on the same cores, with wrk: when the machine is busy all along
    (it is), a row's ratio to hello is about the inverse ratio of their CPU per request,
    which says where a row's time goes: the hello app's is gunicorn's and the kernel's.
    """

    def measured(**options) -> Load:
        before = server.cpu_seconds()
        result = load(**options)
        after = server.cpu_seconds()
        if before is not None and after is not None and result.requests:
            result.cpu_us = (after - before) / result.requests * 1e6
        return result

    return measured


def find_wrk() -> str | None:
    """wrk's path; installed with apt-get when missing and this process may (root, Debian)."""
    found = shutil.which("wrk")
    if found or os.geteuid() != 0 or not shutil.which("apt-get"):
        return found
    print("bench: installing wrk (apt-get install wrk)…", flush=True)
    subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=False)
    return shutil.which("wrk")


def wrk(
    wrk_path: str,
    port: int,
    path: str,
    *,
    headers=None,
    method="GET",
    body=None,
    script="",
    duration=DURATION,
) -> Load:
    """Load ``path`` for ``duration`` with CONNECTIONS connections; return wrk's figures.

    ``script`` is more Lua for wrk (a ``request`` function choosing each request's path).
    """
    script = REPORT_LUA + script
    if method != "GET":
        script += f"wrk.method = {json.dumps(method)}\nwrk.body = {json.dumps(body or '')}\n"
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    try:
        command = [wrk_path, "-t", "2", "-c", str(CONNECTIONS), "-d", duration, "--timeout", "5s"]
        command += ["-s", handle.name]
        for name, value in {**(headers or {}), "Connection": "close"}.items():
            command += ["-H", f"{name}: {value}"]
        output = subprocess.run(
            [*command, f"http://127.0.0.1:{port}{path}"],
            check=True,
            capture_output=True,
            text=True,
            timeout=60,
        ).stdout
    finally:
        os.unlink(handle.name)
    report = json.loads(output.strip().splitlines()[-1])
    return Load(
        per_second=report["requests"] / report["seconds"],
        p50_ms=report["p50_us"] / 1000,
        p99_ms=report["p99_us"] / 1000,
        requests=report["requests"],
        failures=report["bad_status"] + report["socket_errors"],
    )


class FormFiller(HTMLParser):
    """The fields of the first ``<form class=...>`` of a page, each given one valid value.

    Hidden fields keep their value, radio buttons and check boxes take their first
    value, text fields get a number or a word, and the selects of one question take
    distinct options in turn (so an ordering gets distinct ranks, as a person gives).
    """

    def __init__(self, form_class: str) -> None:
        super().__init__()
        self.form_class = form_class
        self.inside = False
        self.done = False
        self.fields: dict[str, str] = {}
        self.select: str | None = None
        self.options: list[str] = []
        self.option_text: list[str] | None = None
        self.option_value: str | None = None
        self.selects_per_question: dict[str, int] = {}

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and not self.done and self.form_class in a.get("class", "").split():
            self.inside = True
        if not self.inside:
            return
        name = a.get("name")
        if tag == "input" and name and name not in self.fields:
            kind = a.get("type", "text")
            if kind in ("hidden", "radio", "checkbox"):
                self.fields[name] = a.get("value", "")
            elif kind == "text":
                self.fields[name] = "2" if a.get("inputmode") == "decimal" else "réponse"
        elif tag == "textarea" and name:
            self.fields[name] = "réponse"
        elif tag == "select" and name:
            self.select, self.options = name, []
        elif tag == "option" and self.select:
            self.option_value = a.get("value")
            self.option_text = []

    def handle_data(self, data):
        if self.option_text is not None:
            self.option_text.append(data)

    def handle_endtag(self, tag):
        if not self.inside:
            return
        if tag == "option" and self.option_text is not None:
            value = self.option_value
            if value is None:
                value = "".join(self.option_text).strip()
            if value:
                self.options.append(value)
            self.option_text = None
        elif tag == "select" and self.select:
            question = self.select.rsplit("-", 1)[0]
            turn = self.selects_per_question.get(question, 0)
            self.selects_per_question[question] = turn + 1
            if self.options:
                self.fields[self.select] = self.options[turn % len(self.options)]
            self.select = None
        elif tag == "form":
            self.inside, self.done = False, True


def fill_form(html: str, form_class: str) -> dict[str, str]:
    """One valid value per field of the page's form of class ``form_class``."""
    filler = FormFiller(form_class)
    filler.feed(html)
    if "csrf_token" not in filler.fields:
        raise RuntimeError(f"no form of class {form_class!r} with a CSRF token on the page")
    return filler.fields


class Browser:
    """A cookie-keeping client on ``http.client``: one connection per request, like a phone."""

    def __init__(self, port: int, timeout: float = 30) -> None:
        self.port, self.timeout = port, timeout
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, fields: dict | None = None) -> tuple[int, str, str]:
        """Send one request; return (status, Location header, body)."""
        headers = {"Cookie": self.cookie_header()} if self.cookies else {}
        body = None
        if fields is not None:
            body = urlencode(fields, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            payload = response.read().decode("utf-8")
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, response.headers.get("Location", ""), payload

    def cookie_header(self) -> str:
        """The cookies as a ``Cookie`` header value."""
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())


def app_env(database_url: str) -> dict[str, str]:
    """The environment gunicorn's workers read (``webapp.wsgi``)."""
    return {
        "COOPKIT_ROOT": str(REPO),
        "DATABASE_URL": database_url,
        "SECRET_KEY": secrets.token_hex(32),
        "COOPKIT_INSECURE_COOKIES": "1",  # plain HTTP on 127.0.0.1
    }


def count_attempts(database_url: str) -> int:
    """Quiz attempts stored in the database."""
    from sqlalchemy import create_engine, func, select

    from webapp.models import Attempt

    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            return connection.scalar(select(func.count()).select_from(Attempt))
    finally:
        engine.dispose()


def median(loads: list[Load]) -> Load:
    """The run with the median requests per second."""
    return sorted(loads, key=lambda load: load.per_second)[len(loads) // 2]


def measure(wrk_path: str, hello_server: Gunicorn, server: Gunicorn, database_url: str) -> dict:
    """Each row ROUNDS times, every run between two runs of hello (hello, lesson, hello,
    quiz, hello, submission, hello…): a row's ratio in a round is its rate over the mean
    of the two hello runs around it, and the row's ratio is the median of its rounds.

    The shared machine's speed drifts, by up to 1.8 × within a minute: pairing each run
    with the hello runs just before and after it cancels a drift that medians taken
    row by row, seconds apart, let through (the lesson page read 0.74 one way and 0.79
    the other, from the same runs).
    """
    hello_port, port = hello_server.port, server.port
    learner = Browser(port)
    status, _, _ = learner.request("GET", LESSON)
    assert status == 200, f"{LESSON}: {status}"
    status, _, page = learner.request("GET", QUIZ)
    assert status == 200, f"{QUIZ}: {status}"
    fields = fill_form(page, "quiz")
    status, _, _ = learner.request("POST", QUIZ, fields)
    assert status in (302, 303), f"quiz submission answered {status}, not a redirect"
    cookie = {"Cookie": learner.cookie_header()}
    form = {**cookie, "Content-Type": "application/x-www-form-urlencoded"}
    hello = with_cpu(hello_server, partial(wrk, wrk_path, hello_port, "/"))
    rows = {
        key: with_cpu(server, load)
        for key, load in {
            "lesson": partial(wrk, wrk_path, port, LESSON, headers=cookie),
            "quiz": partial(wrk, wrk_path, port, QUIZ, headers=cookie, script=RANDOM_SEED_LUA),
            "submit": partial(
                wrk, wrk_path, port, QUIZ, headers=form, method="POST", body=urlencode(fields)
            ),
        }.items()
    }
    for load in (hello, *rows.values()):
        load(duration=WARM_UP)
    before = count_attempts(database_url)
    hellos = [hello()]
    runs: dict[str, list[Load]] = {key: [] for key in rows}
    ratios: dict[str, list[float]] = {key: [] for key in rows}
    for _ in range(ROUNDS):
        for key, load in rows.items():
            runs[key].append(load())
            hellos.append(hello())
            around = (hellos[-2].per_second + hellos[-1].per_second) / 2
            ratios[key].append(runs[key][-1].per_second / around)
    results: dict = {key: median(found) for key, found in runs.items()}
    results["hello"] = median(hellos)
    results["ratios"] = {key: statistics.median(found) for key, found in ratios.items()}
    results["sent"] = sum(load.requests for load in runs["submit"])
    results["submit_seconds"] = sum(load.requests / load.per_second for load in runs["submit"])
    results["stored"] = count_attempts(database_url) - before
    return results


def run_bench(table: Table) -> None:
    """Add the hello, lesson and quiz rows (for information) and the submission row."""
    wrk_path = find_wrk()
    if wrk_path is None:
        message = "wrk is needed: apt-get install wrk"
        print(f"bench: {message}", flush=True)
        table.add("web throughput", message, "—", None, "wrk installed", False)
        return
    with tempfile.TemporaryDirectory() as tmp:
        database_url = f"sqlite:///{Path(tmp) / 'web.sqlite3'}"
        upgrade(database_url)
        hello_server = Gunicorn("bench.hello:app")
        server = Gunicorn("webapp.wsgi:app", app_env(database_url))
        with hello_server, server:
            results = measure(wrk_path, hello_server, server, database_url)
    hello = results["hello"]
    setup = (
        f"gunicorn -w {WORKERS} --threads {THREADS}, wrk -c {CONNECTIONS} -d {DURATION}, "
        f"median of {ROUNDS}, each run between two hello runs"
    )
    baseline = f"hello {hello.describe()}"
    table.add(f"hello app / (for information; {setup})", hello.describe(), "—", None, "—", None)
    for key, what in (
        ("lesson", f"lesson page {LESSON}"),
        ("quiz", f"quiz page {QUIZ_PAGE}, a new seed per request"),
    ):
        load = results[key]
        ours = load.describe() + (f", {load.failures} failed" if load.failures else "")
        ok = None if not load.failures else False  # for information, but never failing
        table.add(f"{what} (for information)", ours, baseline, results["ratios"][key], "—", ok)
    submit = results["submit"]
    stored_per_second = results["stored"] / results["submit_seconds"]
    ours = (
        f"{stored_per_second:.0f} stored submissions/s ({results['stored']} stored of "
        f"{results['sent']} sent), p50 {submit.p50_ms:.0f} ms, p99 {submit.p99_ms:.0f} ms"
    )
    if submit.failures:
        ours += f", {submit.failures} failed"
    ok = (
        stored_per_second >= SUBMISSIONS_PER_SECOND
        and submit.p99_ms < SUBMISSION_P99_MS
        and submit.failures == 0
        and results["stored"] >= results["sent"]  # in flight at the end: stored too
    )
    table.add(
        f"self-paced quiz submissions at their sustained maximum, SQLite ({QUIZ}: an attempt "
        f"and its 10 answers; wrk -c {CONNECTIONS}, {ROUNDS} × {DURATION})",
        ours,
        baseline,
        results["ratios"]["submit"],
        f"≥ {SUBMISSIONS_PER_SECOND}/s, p99 < {SUBMISSION_P99_MS} ms",
        ok,
    )
