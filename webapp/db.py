"""The database: one engine per app, one session per request, migrations at start-up.

SQLite in the instance folder by default (WAL mode, so readers never wait for
the writer); PostgreSQL when ``DATABASE_URL`` says so.
"""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from flask import Flask, current_app, g
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(__file__).parent / "migrations"
# The PostgreSQL advisory lock a process holds while it migrates ("coop" in ASCII).
MIGRATION_LOCK = 0x636F6F70


def normalise_url(url: str) -> str:
    """Accept Heroku-style ``postgres://`` URLs and pick the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite connections get WAL, foreign keys and a busy timeout."""
    url = normalise_url(url)
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    # In WAL mode, NORMAL syncs at checkpoints, not at each commit: a power cut may lose
    # the last commits but never corrupts the file (SQLite's own advice for WAL; Rails'
    # default since 7.1). It made a stored quiz attempt several times cheaper.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def upsert(db: Session, table):
    """The dialect's INSERT that supports ON CONFLICT (SQLite and PostgreSQL)."""
    dialect = db.get_bind().dialect.name
    if dialect == "postgresql":
        return postgresql.insert(table)
    if dialect == "sqlite":
        return sqlite.insert(table)
    raise RuntimeError(f"coopkit supports SQLite and PostgreSQL, not {dialect}")


def alembic_config() -> Config:
    """Alembic's configuration, built in code: users need no alembic.ini."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def upgrade(engine: Engine) -> None:
    """Apply every migration not yet applied to the database behind ``engine``.

    Processes starting together (gunicorn workers, several machines) take turns: on a
    fresh database they would otherwise all create the same tables and all but one
    would fail to boot. The first does the work; the others then find nothing to do.
    """
    config = alembic_config()
    with _sqlite_file_lock(engine), engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # Held until this transaction ends, so it covers the whole upgrade.
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


@contextmanager
def _sqlite_file_lock(engine: Engine) -> Iterator[None]:
    """An exclusive lock on a file beside an SQLite database (one machine: a file lock does)."""
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    if not database or database == ":memory:" or database.startswith("file:"):
        yield
        return
    with open(f"{database}.migrate-lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # released when the file is closed
        yield


class Database:
    """The app's engine and session factory."""

    def __init__(self, url: str) -> None:
        self.engine = make_engine(url)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    def close(self) -> None:
        """Close every pooled connection (tests call it; servers at exit)."""
        self.engine.dispose()


def init_app(app: Flask) -> None:
    """Open the database, apply migrations and close each request's session after it."""
    database = Database(app.config["DATABASE_URL"])
    app.extensions["coopkit.db"] = database
    if app.config["MIGRATE_ON_START"]:
        upgrade(database.engine)
    app.teardown_appcontext(_close_session)


def session() -> Session:
    """This request's session (opened on first use)."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["coopkit.db"].sessions()
    return g.db_session


def _close_session(_exc: BaseException | None) -> None:
    db_session = g.pop("db_session", None)
    if db_session is not None:
        db_session.close()
