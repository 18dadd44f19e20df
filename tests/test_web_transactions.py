"""Write transactions (``webapp.db.transaction``): all or nothing, and on SQLite writers in
several processes and threads lose no update and meet no "database is locked"."""

from __future__ import annotations

import multiprocessing
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import text

from tests.conftest import REPO_ROOT, WEB_COURSE
from webapp.db import Database, transaction

PROCESSES, THREADS, WRITES = 2, 4, 25


def _count_up(path: Path) -> None:
    """THREADS threads, each adding 1 to the tally WRITES times by reading then writing."""
    database = Database(f"sqlite:///{path}")

    def add_ones() -> None:
        for _ in range(WRITES):
            with database.sessions() as session, transaction(session):
                value = session.execute(text("SELECT n FROM tally")).scalar_one()
                session.execute(text("UPDATE tally SET n = :n"), {"n": value + 1})

    threads = [threading.Thread(target=add_ones) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    database.close()


def test_writers_in_several_processes_and_threads_lose_no_update(tmp_path):
    path = tmp_path / "tally.sqlite3"
    database = Database(f"sqlite:///{path}")
    with database.engine.begin() as connection:
        connection.execute(text("CREATE TABLE tally (n INTEGER NOT NULL)"))
        connection.execute(text("INSERT INTO tally (n) VALUES (0)"))
    fork = multiprocessing.get_context("fork")  # like gunicorn's workers
    children = [fork.Process(target=_count_up, args=(path,)) for _ in range(PROCESSES)]
    for child in children:
        child.start()
    for child in children:
        child.join(timeout=120)
        assert child.exitcode == 0, "a writer failed"
    with database.engine.connect() as connection:
        assert connection.execute(text("SELECT n FROM tally")).scalar_one() == (
            PROCESSES * THREADS * WRITES
        )
    database.close()


def test_a_failed_write_leaves_nothing_and_the_next_one_goes_through(tmp_path):
    database = Database(f"sqlite:///{tmp_path / 'failed.sqlite3'}")
    with database.engine.begin() as connection:
        connection.execute(text("CREATE TABLE note (body TEXT)"))
    with database.sessions() as session, pytest.raises(RuntimeError), transaction(session):
        session.execute(text("INSERT INTO note (body) VALUES ('half done')"))
        raise RuntimeError("the second statement failed")
    done = threading.Event()

    def write_again() -> None:
        with database.sessions() as session, transaction(session):
            session.execute(text("INSERT INTO note (body) VALUES ('whole')"))
        done.set()

    threading.Thread(target=write_again, daemon=True).start()
    assert done.wait(timeout=10), "the write lock was not released"
    with database.engine.connect() as connection:
        assert connection.execute(text("SELECT body FROM note")).scalars().all() == ["whole"]
    database.close()


SERVE_WITHOUT_FCNTL = """
import re, sys
sys.modules["fcntl"] = None  # as on Windows: importing it fails
from webapp import create_app, db
app = create_app({"COURSE_ROOT": sys.argv[1], "INSTANCE_PATH": sys.argv[2],
                  "SESSION_COOKIE_SECURE": False})
db.upgrade(db.database(app).engine)
client = app.test_client()
page = client.get("/quiz/theme-1/tentative/3").get_data(as_text=True)
token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
blank = {"csrf_token": token, "confirm_blank": "1"}  # confirmed: nothing answered
response = client.post("/quiz/theme-1/tentative/3", data=blank)
assert response.status_code == 302, response.status_code
assert client.get(response.headers["Location"]).status_code == 200
print("served")
"""


def test_the_app_starts_and_stores_where_fcntl_does_not_exist(tmp_path):
    result = subprocess.run(
        [sys.executable, "-c", SERVE_WITHOUT_FCNTL, str(WEB_COURSE), str(tmp_path)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "served"
