"""Shared fixtures: a small valid course to corrupt, and a CLI runner."""

from __future__ import annotations

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


def _web_settings(instance: Path, root: Path, **config) -> dict:
    instance = Path(config.get("INSTANCE_PATH", instance))
    settings = {
        "TESTING": True,
        "COURSE_ROOT": str(root),
        "INSTANCE_PATH": str(instance),
        "BUILD_DIR": str(instance / "build"),
        # SQLite in the test's own folder, whatever DATABASE_URL the shell has.
        "DATABASE_URL": f"sqlite:///{instance / 'test.sqlite3'}",
    }
    settings.update(config)
    return settings


@pytest.fixture
def make_app(tmp_path: Path):
    """A factory of web apps on a course folder, each with its own instance folder and database."""
    from webapp import create_app

    apps = []

    def make(root: Path = REPO_ROOT, **config):
        instance = tmp_path / f"instance-{len(apps)}"
        app = create_app(_web_settings(instance, root, **config))
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.extensions["coopkit.db"].close()


@pytest.fixture(scope="session")
def shipped_app(tmp_path_factory):
    """The web app on the shipped course (one per test session: it only reads the course)."""
    from webapp import create_app

    app = create_app(_web_settings(tmp_path_factory.mktemp("shipped"), REPO_ROOT))
    yield app
    app.extensions["coopkit.db"].close()


@pytest.fixture
def client(shipped_app):
    """A test client on the shipped course: a new anonymous learner each time."""
    return shipped_app.test_client()
