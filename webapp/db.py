"""The database: one engine per app, one ORM session per request, migrations as a release step.

SQLite in the instance folder by default, PostgreSQL when ``DATABASE_URL`` says so.
A user action that writes does it in one transaction of the request's session
(``transaction``): everything it changes is committed together, or nothing is.

On SQLite, SQLAlchemy's documented pysqlite recipe ("Serializable isolation /
Savepoints / Transactional DDL") lets SQLAlchemy emit ``BEGIN`` itself, so that a write
transaction can begin with ``BEGIN IMMEDIATE``: it takes the write lock first, waiting
for it up to ``busy_timeout``, instead of reading, then failing at once with
"database is locked" when another writer committed meanwhile. WAL mode lets readers go
on while one transaction writes.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask, current_app, g
from sqlalchemy import Engine, create_engine, event, make_url, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(__file__).parent / "migrations"
# The PostgreSQL advisory lock held while migrating ("coop" in ASCII), so two release
# steps started at once do not both create the same tables.
MIGRATION_LOCK = 0x636F6F70
BUSY_TIMEOUT_MS = 5000  # how long a SQLite writer waits for the write lock
BEGIN = "coopkit_sqlite_begin"  # execution option: how a SQLite transaction begins


class DatabaseUnavailable(Exception):
    """The database cannot be used; the message says which and why, in one line."""


def describe(url) -> str:
    """The database's URL as it may be shown: without its password."""
    return make_url(str(url)).render_as_string(hide_password=True) if url else "(none)"


def reason(error: BaseException) -> str:
    """The driver's own first line ("connection refused", "database … does not exist")."""
    cause = getattr(error, "orig", None) or error
    text = str(cause).strip() or type(cause).__name__
    return text.splitlines()[0]


def normalise_url(url: str) -> str:
    """Accept Heroku-style ``postgres://`` URLs and pick the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url.removeprefix(prefix)
    return url


def make_engine(url: str) -> Engine:
    """An engine for ``url``; on SQLite, WAL, foreign keys, a busy timeout and our BEGIN."""
    try:
        engine = create_engine(normalise_url(url))
    except (ArgumentError, ImportError) as error:  # a typo, or a database we do not support
        raise DatabaseUnavailable(
            f"cannot use the database {describe(url) if '://' in str(url) else url!r}: "
            f"{reason(error)} (coopkit works with SQLite and PostgreSQL)"
        ) from None
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
    return engine


def _sqlite_connect(dbapi_connection, _record) -> None:
    # The recipe: pysqlite must not emit BEGIN on its own; the "begin" event does.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    # In WAL mode, NORMAL syncs at checkpoints, not at each commit: a power cut may lose
    # the last commits but never corrupts the file (SQLite's own advice for WAL).
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.close()


def _sqlite_begin(connection) -> None:
    mode = connection.get_execution_options().get(BEGIN, "DEFERRED")
    connection.exec_driver_sql(f"BEGIN {mode}")


@contextmanager
def transaction(db_session: Session) -> Iterator[Session]:
    """One write transaction in ``db_session``: committed at the end, rolled back on error.

    Whatever the session read before ends first (its transaction holds nothing to
    write), then the write transaction begins, on SQLite with ``BEGIN IMMEDIATE``. Make
    every change inside the ``with``.
    """
    if db_session.in_transaction():
        db_session.commit()
    db_session.connection(execution_options={BEGIN: "IMMEDIATE"})
    try:
        yield db_session
        db_session.commit()
    except BaseException:
        db_session.rollback()
        raise


def insert(db_session: Session, table):
    """The dialect's INSERT, which has ``on_conflict_do_nothing`` (SQLite and PostgreSQL)."""
    name = db_session.get_bind().dialect.name
    if name == "postgresql":
        return postgresql.insert(table)
    if name == "sqlite":
        return sqlite.insert(table)
    raise RuntimeError(f"coopkit supports SQLite and PostgreSQL, not {name}")


def alembic_config() -> Config:
    """Alembic's configuration, built in code: users need no alembic.ini."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def upgrade(engine: Engine) -> None:
    """Apply every migration not yet applied to the database behind ``engine``."""
    config = alembic_config()
    with engine.connect() as connection:
        connection = connection.execution_options(**{BEGIN: "IMMEDIATE"})
        with connection.begin():
            if connection.dialect.name == "postgresql":
                # Held until this transaction ends, so it covers the whole upgrade.
                connection.execute(
                    text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK}
                )
            config.attributes["connection"] = connection
            command.upgrade(config, "head")


def check(engine: Engine) -> None:
    """Open the database once and check its schema is the code's: a server then refuses to
    start, in one line, rather than fail on every request."""
    where = describe(engine.url)
    try:
        with engine.connect() as connection:
            current = MigrationContext.configure(connection).get_current_revision()
    except SQLAlchemyError as error:
        raise DatabaseUnavailable(f"cannot open the database {where}: {reason(error)}") from None
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if current != head:
        raise DatabaseUnavailable(
            f"the database {where} is at revision {current or 'none'}, the code needs {head}: "
            "run `coopkit db upgrade`"
        )


def is_embedded(app: Flask) -> bool:
    """True when the app's database is a SQLite file (``coopkit serve`` upgrades it itself)."""
    return database(app).engine.dialect.name == "sqlite"


class Database:
    """The app's engine and session factory."""

    def __init__(self, url: str) -> None:
        self.engine = make_engine(url)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    def close(self) -> None:
        """Close every pooled connection (tests call it; servers at exit)."""
        self.engine.dispose()


def init_app(app: Flask) -> None:
    """Open the database and close each request's session after it."""
    app.extensions["coopkit.db"] = Database(app.config["DATABASE_URL"])
    app.teardown_appcontext(_close_session)


def database(app: Flask | None = None) -> Database:
    """The app's ``Database`` (the current app's by default)."""
    return (app or current_app).extensions["coopkit.db"]


def session() -> Session:
    """This request's session (opened on first use)."""
    if "db_session" not in g:
        g.db_session = database().sessions()
    return g.db_session


def _close_session(_exc: BaseException | None) -> None:
    db_session = g.pop("db_session", None)
    if db_session is not None:
        db_session.close()
