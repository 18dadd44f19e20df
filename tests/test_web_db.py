"""Persistence: migrations (`coopkit db upgrade`), SQLite in WAL mode, the instance secret,
`coopkit serve`."""

from __future__ import annotations

import os
import re
import stat

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from coopkit.cli import main
from tests.conftest import WEB_COURSE
from webapp import db
from webapp.models import Attempt, Learner


def head_revision() -> str:
    return ScriptDirectory.from_config(db.alembic_config()).get_current_head()


def test_db_upgrade_applies_every_migration(runner, make_app, monkeypatch):
    app = make_app(root=WEB_COURSE, migrate=False)
    engine = app.extensions["coopkit.db"].engine
    with engine.connect() as connection:
        assert "attempt" not in inspect(connection).get_table_names()  # start-up migrates not
    monkeypatch.setenv("DATABASE_URL", app.config["DATABASE_URL"])
    result = runner.invoke(main, ["db", "upgrade", "--root", str(WEB_COURSE)])
    assert result.exit_code == 0, result.output
    assert "Database up to date" in result.output
    with engine.connect() as connection:
        version = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
        tables = set(inspect(connection).get_table_names())
    assert version == head_revision()
    assert {"learner", "slide_view", "attempt", "answer"} <= tables
    again = runner.invoke(main, ["db", "upgrade", "--root", str(WEB_COURSE)])
    assert again.exit_code == 0, again.output  # nothing left to do


def test_migrations_match_the_models(make_app):
    """No model column is missing from the migrated database (autogenerate finds nothing)."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from webapp.models import Base

    app = make_app(root=WEB_COURSE)
    with app.extensions["coopkit.db"].engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    ours = [d for d in diff if "workshop" not in repr(d)]
    assert ours == []


def test_sqlite_runs_in_wal_mode_with_foreign_keys(make_app, tmp_path):
    app = make_app(root=WEB_COURSE, DATABASE_URL=f"sqlite:///{tmp_path / 'wal.sqlite3'}")
    with app.extensions["coopkit.db"].engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_a_second_start_on_the_same_database_keeps_the_data(make_app, tmp_path):
    url = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    first = make_app(root=WEB_COURSE, DATABASE_URL=url)
    with first.app_context():
        db.session().add(Learner(id="a" * 32, display_name="Awa"))
        db.session().commit()
    second = make_app(root=WEB_COURSE, DATABASE_URL=url)
    with second.app_context():
        assert db.session().get(Learner, "a" * 32).display_name == "Awa"


def test_the_secret_key_is_random_and_kept_in_the_instance_folder(make_app, tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    instance = tmp_path / "instance-secret"
    first = make_app(root=WEB_COURSE, INSTANCE_PATH=instance)
    second = make_app(root=WEB_COURSE, INSTANCE_PATH=instance)
    other = make_app(root=WEB_COURSE)
    assert len(first.config["SECRET_KEY"]) == 64
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]
    assert other.config["SECRET_KEY"] != first.config["SECRET_KEY"]
    mode = stat.S_IMODE(os.stat(instance / "secret_key").st_mode)
    assert mode == 0o600


def test_the_secret_key_comes_from_the_environment_when_set(make_app, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    assert make_app(root=WEB_COURSE).config["SECRET_KEY"] == "from-the-environment"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgres://u:p@db/coop", "postgresql+psycopg://u:p@db/coop"),
        ("postgresql://u@db/coop", "postgresql+psycopg://u@db/coop"),
        ("postgresql+psycopg://u@db/coop", "postgresql+psycopg://u@db/coop"),
        ("sqlite:///x.sqlite3", "sqlite:///x.sqlite3"),
    ],
)
def test_database_urls_pick_the_psycopg_driver(url, expected):
    assert db.normalise_url(url) == expected


@pytest.mark.postgres
def test_postgresql_when_database_url_is_set(make_app):
    """The whole learner path on PostgreSQL: migrations, slide views, a graded attempt."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        pytest.skip("DATABASE_URL does not point at PostgreSQL (.ci/run sets it when one answers)")
    app = make_app(root=WEB_COURSE, DATABASE_URL=url)
    assert app.extensions["coopkit.db"].engine.dialect.name == "postgresql"
    client = app.test_client()
    assert client.get("/themes/theme-1/1").status_code == 200
    page = client.get("/quiz/theme-1/tentative/5").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post(
        "/quiz/theme-1/tentative/5", data={"csrf_token": csrf, "confirm_blank": "1"}
    )
    assert response.status_code == 302
    attempt_id = int(response.headers["Location"].rsplit("/", 1)[1])
    assert client.get(response.headers["Location"]).status_code == 200
    with app.app_context():
        stored = db.session().get(Attempt, attempt_id)
        assert (stored.quiz_id, stored.seed, stored.score) == ("theme-1", 5, 0)
        assert [a.response for a in stored.answers] == [None] * len(stored.answers)
        learner = db.session().get(Learner, stored.learner_id)
        assert learner is not None


def served_by(monkeypatch) -> list:
    """Record what ``coopkit serve`` hands to waitress instead of serving it."""
    from coopkit import serve_cmd

    calls = []
    monkeypatch.setattr(serve_cmd, "run_waitress", lambda app, *args: calls.append((app, args)))
    return calls


def test_serve_applies_migrations_then_runs_the_app_on_waitress(runner, monkeypatch, tmp_path):
    calls = served_by(monkeypatch)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'serve.sqlite3'}")
    monkeypatch.setenv("SECRET_KEY", "test")
    monkeypatch.delenv("COOPKIT_PUBLIC_URL", raising=False)
    result = runner.invoke(main, ["serve", "--root", str(WEB_COURSE), "--port", "5123"])
    assert result.exit_code == 0, result.output
    (app, (host, port, threads, public_url, room, _)) = calls[0]
    assert (host, port, threads, public_url, room) == (
        "127.0.0.1",
        5123,
        8,
        "http://127.0.0.1:5123",
        False,
    )
    assert app.config["PUBLIC_URL"] == "http://127.0.0.1:5123"
    # waitress speaks plain HTTP: the cookie is Secure only on requests that came over HTTPS
    assert app.config["SESSION_COOKIE_SECURE"] == "auto"
    engine = db.make_engine(os.environ["DATABASE_URL"])
    try:
        with engine.connect() as connection:
            assert "attempt" in inspect(connection).get_table_names()
    finally:
        engine.dispose()


def test_serve_room_gives_links_the_laptops_network_address(runner, monkeypatch, tmp_path):
    from coopkit import serve_cmd

    calls = served_by(monkeypatch)
    monkeypatch.setattr(serve_cmd, "lan_addresses", lambda: ["192.168.137.1", "10.0.0.4"])
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'serve.sqlite3'}")
    monkeypatch.setenv("SECRET_KEY", "test")
    monkeypatch.delenv("COOPKIT_PUBLIC_URL", raising=False)
    result = runner.invoke(main, ["serve", "--root", str(WEB_COURSE), "--room"])
    assert result.exit_code == 0, result.output
    (app, (host, port, _, public_url, room, reachable)) = calls[0]
    assert (host, port, public_url, room, reachable) == (
        "0.0.0.0",
        5000,
        "http://192.168.137.1:5000",
        True,
        True,
    )
    assert app.config["PUBLIC_URL"] == "http://192.168.137.1:5000"


def test_a_configured_public_url_wins(runner, monkeypatch, tmp_path):
    calls = served_by(monkeypatch)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'serve.sqlite3'}")
    monkeypatch.setenv("SECRET_KEY", "test")
    monkeypatch.setenv("COOPKIT_PUBLIC_URL", "https://atelier.example.org/")
    result = runner.invoke(main, ["serve", "--root", str(WEB_COURSE), "--room"])
    assert result.exit_code == 0, result.output
    assert calls[0][0].config["PUBLIC_URL"] == "https://atelier.example.org"


@pytest.mark.parametrize(
    ("base_url", "secure"), [("http://192.168.1.5/", False), ("https://x/", True)]
)
def test_auto_secure_cookies_follow_the_requests_scheme(make_app, base_url, secure):
    """A room's phones on plain HTTP get a cookie they send back; HTTPS gets a Secure one."""
    app = make_app(root=WEB_COURSE, SESSION_COOKIE_SECURE="auto")
    response = app.test_client().get("/", base_url=base_url)
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("coopkit=")
    assert ("; Secure" in cookie) is secure


def test_serve_reports_content_errors_without_a_traceback(runner, small_course, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "test")
    (small_course / "modules" / "theme-1.yaml").write_text("id: theme-1\nnumber: [\n")
    result = runner.invoke(main, ["serve", "--root", str(small_course)])
    assert result.exit_code == 1
    assert "theme-1.yaml:" in result.output
    assert "Traceback" not in result.output
