"""Shared fixtures: a small valid course to corrupt, a CLI runner, web apps on a database.

Web apps use SQLite in the test's folder, or, when ``DATABASE_URL`` points at
PostgreSQL, a throw-away schema of that server (``.ci/run`` runs the database tests
both ways).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner

from course.scaffold import scaffold

REPO_ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def small_course(tmp_path: Path) -> Path:
    """A fresh copy of the scaffolded course (valid), in a temporary folder."""
    root = tmp_path / "course"
    scaffold(root)
    return root


@pytest.fixture
def runner() -> CliRunner:
    """A click runner that keeps stderr apart from stdout."""
    return CliRunner()


# --- Web app -------------------------------------------------------------------

WEB_COURSE = REPO_ROOT / "tests" / "data" / "web-course"


def postgres_url() -> str | None:
    """The PostgreSQL server the tests may use (``DATABASE_URL``), or None."""
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql")) else None


@contextmanager
def postgres_schema(url: str) -> Iterator[str]:
    """A URL on a new, empty schema of the server at ``url``; the schema is dropped after."""
    from sqlalchemy import create_engine, text

    from webapp.db import normalise_url

    schema = f"test_{secrets.token_hex(5)}"
    admin = create_engine(normalise_url(url))
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in url else "?"
    try:
        yield f"{url}{separator}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _web_settings(instance: Path, root: Path, resources: ExitStack | None = None, **config) -> dict:
    """Test settings; the database is PostgreSQL only when ``resources`` can hold a schema."""
    instance = Path(config.get("INSTANCE_PATH", instance))
    server = postgres_url() if resources is not None else None
    database = (
        resources.enter_context(postgres_schema(server))
        if server
        else f"sqlite:///{instance / 'test.sqlite3'}"  # never the shell's own database
    )
    settings = {
        "COURSE_ROOT": str(root),
        "INSTANCE_PATH": str(instance),
        "BUILD_DIR": str(instance / "build"),
        "DATABASE_URL": database,
    }
    settings.update(config)
    return settings


def test_app(settings: dict, migrate: bool = True):
    """A web app with the test settings, its database upgraded as the release step does."""
    from webapp import create_app, db
    from webapp.config import TestConfig

    app = create_app(settings, config_class=TestConfig)
    if migrate:
        db.upgrade(db.database(app).engine)
    return app


test_app.__test__ = False  # a helper, not a test


@pytest.fixture
def make_app(tmp_path: Path):
    """A factory of web apps on a course folder, each with its own instance folder and database
    (``migrate=False``: left as it is, as a worker finds it)."""
    apps = []
    with ExitStack() as resources:

        def make(root: Path = REPO_ROOT, migrate: bool = True, **config):
            instance = tmp_path / f"instance-{len(apps)}"
            app = test_app(_web_settings(instance, root, resources, **config), migrate)
            apps.append(app)
            return app

        yield make
        for app in apps:
            app.extensions["coopkit.db"].close()


@pytest.fixture(scope="session")
def shipped_app(tmp_path_factory):
    """The web app on the shipped course (one per test session: it only reads the course)."""
    with ExitStack() as resources:
        app = test_app(_web_settings(tmp_path_factory.mktemp("shipped"), REPO_ROOT, resources))
        yield app
        app.extensions["coopkit.db"].close()


@pytest.fixture
def client(shipped_app):
    """A test client on the shipped course: a new anonymous learner each time."""
    return shipped_app.test_client()
