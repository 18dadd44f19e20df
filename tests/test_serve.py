"""``coopkit serve``: waitress by default, a room mode phones can reach, no POSIX-only code.

The servers started here listen on 127.0.0.1 only; room mode is tried with ``--host
127.0.0.1``, which keeps everything else it does (the address it prints and gives to
join links).
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from coopkit import network
from tests.conftest import WEB_COURSE

START_TIMEOUT = 60  # seconds: the first start migrates a new SQLite database


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def serving(tmp_path: Path, *args: str) -> Iterator[tuple[subprocess.Popen, int]]:
    """``coopkit serve ARGS`` in its own process, once it answers on 127.0.0.1."""
    port = free_port()
    env = dict(
        os.environ,
        DATABASE_URL=f"sqlite:///{tmp_path / 'serve.sqlite3'}",
        SECRET_KEY="test secret",
        PYTHONUNBUFFERED="1",
    )
    env.pop("COOPKIT_PUBLIC_URL", None)
    command = [sys.executable, "-m", "coopkit", "serve", "--port", str(port)]
    command += ["--root", str(WEB_COURSE), *args]
    process = subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    out, err = process.communicate(timeout=5)
                    pytest.fail(f"coopkit serve did not start:\n{out}\n{err}")
                time.sleep(0.2)
        yield process, port
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate(timeout=10)


def stop(process: subprocess.Popen) -> tuple[int, str, str]:
    """Ctrl+C, as a trainer stops the server; the exit code and what it printed."""
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=20)
    return process.returncode, out, err


def test_serve_runs_on_waitress_and_stops_cleanly_on_ctrl_c(tmp_path):
    with serving(tmp_path) as (process, port):
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as response:
            assert response.status == 200
            # Flask's development server always names itself (« Server: Werkzeug/… »);
            # waitress is told to name nothing.
            assert response.headers.get("Server") is None
        code, out, err = stop(process)
    assert code == 0, err
    assert f"http://127.0.0.1:{port}/" in out
    assert "stopped" in out
    assert "Traceback" not in err
    assert "development server" not in err.lower()


def test_room_mode_prints_the_address_phones_can_reach(tmp_path):
    addresses = network.lan_addresses()
    with serving(tmp_path, "--room", "--host", "127.0.0.1") as (process, port):
        _, out, err = stop(process)
    if addresses:
        assert f"Participants join at: http://{addresses[0]}:{port}/atelier/" in out
        assert "netsh advfirewall" in out  # how to open the port on Windows
        assert "\u2580" in out or "\u2584" in out or "\u2588" in out  # the QR code's blocks
    else:  # a machine on no network: said plainly, and the app still serves this machine
        assert "on no network" in err
        assert f"http://127.0.0.1:{port}/" in out


def test_a_port_in_use_gives_one_line_and_exit_1(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = dict(os.environ, DATABASE_URL=f"sqlite:///{tmp_path / 'x.sqlite3'}")
        result = subprocess.run(
            [sys.executable, "-m", "coopkit", "serve", "--port", str(port), "--root", WEB_COURSE],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr
    assert "Traceback" not in result.stderr


class FakeIP:
    def __init__(self, ip, is_ipv4=True):
        self.ip = ip
        self.is_IPv4 = is_ipv4


class FakeAdapter:
    def __init__(self, *ips):
        self.ips = list(ips)


def test_lan_addresses_leave_out_what_no_phone_reaches_and_put_a_hotspot_first(monkeypatch):
    adapters = [
        FakeAdapter(FakeIP("127.0.0.1"), FakeIP(("::1", 0, 0), is_ipv4=False)),
        FakeAdapter(FakeIP("172.17.0.1")),  # a container bridge
        FakeAdapter(FakeIP("169.254.10.3")),  # no DHCP answer
        FakeAdapter(FakeIP("10.20.0.5")),
        FakeAdapter(FakeIP("192.168.137.1")),  # Windows' mobile hotspot
    ]
    monkeypatch.setattr(network.ifaddr, "get_adapters", lambda: adapters)
    assert network.lan_addresses() == ["192.168.137.1", "10.20.0.5", "172.17.0.1"]


def test_lan_addresses_empty_on_a_machine_with_only_loopback(monkeypatch):
    monkeypatch.setattr(network.ifaddr, "get_adapters", lambda: [FakeAdapter(FakeIP("127.0.0.1"))])
    assert network.lan_addresses() == []


POSIX_ONLY = ["fcntl", "pwd", "grp", "termios", "resource", "syslog", "posix_ipc"]


def test_the_app_imports_and_serves_where_posix_only_modules_do_not_exist(tmp_path):
    """As on Windows: importing the app and the server, then answering, needs none of them."""
    script = f"""
import sys
for name in {POSIX_ONLY!r}:
    sys.modules[name] = None  # "import fcntl" now raises ImportError, as on Windows
import waitress  # the server coopkit serve runs
import coopkit.cli, coopkit.serve_cmd
from webapp import create_app
app = create_app({{"COURSE_ROOT": {str(WEB_COURSE)!r}, "SECRET_KEY": "x",
    "DATABASE_URL": {f"sqlite:///{tmp_path / 'win.sqlite3'}"!r},
    "INSTANCE_PATH": {str(tmp_path / "instance")!r}}})
coopkit.serve_cmd.upgrade_embedded(app)  # what coopkit serve does before serving
client = app.test_client()
assert client.get("/").status_code == 200
assert client.get("/quiz/").status_code == 200
assert client.get("/atelier/").status_code == 200
print("served")
"""
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert "served" in result.stdout


def test_the_projectors_join_link_and_qr_code_carry_the_public_url(make_app, small_course):
    """What ``--room`` configures: phones get the laptop's address, never 127.0.0.1."""
    import segno

    from tests.test_workshop_flow import PASSWORD, login, open_session, workshop_course
    from webapp import db
    from webapp.workshop import services

    app = make_app(workshop_course(small_course), PUBLIC_URL="http://192.168.137.1:5000")
    with app.app_context():
        services.add_facilitator(db.session(), "anim@example.org", PASSWORD)
    facilitator = login(app)
    session_id, code = open_session(facilitator)
    page = facilitator.get(f"/atelier/sessions/{session_id}/projection").get_data(as_text=True)
    join = f"http://192.168.137.1:5000/atelier/?code={code}"
    assert "192.168.137.1:5000/atelier" in page
    assert "localhost" not in page and "127.0.0.1" not in page
    qr = segno.make(join, error="m").svg_inline(border=2, dark="#111", light="#fff", omitsize=True)
    assert qr in page


LOADED = re.compile(
    r"<(?:script|img|iframe|source|audio|video|embed)\b[^>]*\bsrc=\"([^\"]+)\""
    r"|<link\b[^>]*\bhref=\"([^\"]+)\""
    r"|url\(\s*['\"]?([^'\")]+)"
    r"|@import\s+['\"]([^'\"]+)"
)


def remote_resources(text: str) -> list[str]:
    """What a page or a style sheet would load from another host."""
    found = [next(g for g in m.groups() if g) for m in LOADED.finditer(text)]
    return [url for url in found if re.match(r"(?i)^(https?:)?//", url)]


def test_no_page_loads_anything_from_the_internet(make_app, small_course):
    """A room without internet: learner, participant, projector and dashboard pages, and the
    style sheets and scripts they use, load only from the app."""
    from tests.test_workshop_flow import PASSWORD, join, login, open_session, workshop_course
    from webapp import db
    from webapp.workshop import services

    app = make_app(workshop_course(small_course))
    with app.app_context():
        services.add_facilitator(db.session(), "anim@example.org", PASSWORD)
    facilitator = login(app)
    session_id, code = open_session(facilitator)
    phone, joined = join(app, code, "Awa")
    learner = app.test_client()
    pages = {
        "/": learner,
        "/themes/theme-1/1": learner,
        "/quiz/": learner,
        "/processus/": learner,
        "/atelier/": learner,
        joined.headers["Location"]: phone,
        f"/atelier/sessions/{session_id}": facilitator,
        f"/atelier/sessions/{session_id}/projection": facilitator,
    }
    seen_static = set()
    for url, client in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.get_data(as_text=True)
        assert remote_resources(html) == [], url
        seen_static |= set(re.findall(r'(?:src|href)="(/static/[^"?]+)', html))
    assert any(path.endswith(".css") for path in seen_static)
    assert any(path.endswith(".js") for path in seen_static)
    for path in seen_static:
        with learner.get(path) as response:  # a file response: closed after reading
            assert remote_resources(response.get_data(as_text=True)) == [], path


def test_remote_resources_are_found_where_they_hide():
    """The check above can fail: each way a page pulls from another host is caught."""
    page = (
        '<script src="https://cdn.example/x.js"></script><link href="//fonts.example/css" '
        'rel="stylesheet"><img src="/static/local.png"><a href="https://example.org">ok</a>'
        "<style>@import 'https://x/y.css'; body{background:url(http://x/bg.png)}</style>"
    )
    assert remote_resources(page) == [
        "https://cdn.example/x.js",
        "//fonts.example/css",
        "https://x/y.css",
        "http://x/bg.png",
    ]
