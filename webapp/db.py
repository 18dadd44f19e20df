"""The database: one engine per app, one session per request, migrations at start-up.

SQLite in the instance folder by default (WAL mode, so readers never wait for
the writer); PostgreSQL when ``DATABASE_URL`` says so.
"""

from __future__ import annotations

import fcntl
import os
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from flask import Flask, current_app, g
from sqlalchemy import Connection, Dialect, Engine, Insert, create_engine, event, text
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


def upsert(db: Session | Connection, table):
    """The dialect's INSERT that supports ON CONFLICT (SQLite and PostgreSQL)."""
    dialect = db.dialect if isinstance(db, Connection) else db.get_bind().dialect
    return _dialect_insert(dialect.name, table)


@cache
def _dialect_insert(dialect: str, table):
    # Statements are immutable (``.values()`` returns a new one), so one per table is shared.
    if dialect == "postgresql":
        return postgresql.insert(table)
    if dialect == "sqlite":
        return sqlite.insert(table)
    raise RuntimeError(f"coopkit supports SQLite and PostgreSQL, not {dialect}")


def insert_or_ignore(connection: Connection, table, *keys: str):
    """``INSERT … ON CONFLICT (keys) DO NOTHING`` for ``table``; values come at execution.

    Built once per dialect and table: building the statement anew cost as much as
    running it.
    """
    return _insert_or_ignore(connection.dialect.name, table, keys)


@cache
def _insert_or_ignore(dialect: str, table, keys: tuple[str, ...]):
    return _dialect_insert(dialect, table).on_conflict_do_nothing(index_elements=list(keys))


class DriverInsert:
    """An INSERT compiled by SQLAlchemy once per dialect and run on the driver's cursor.

    For the hottest write, a quiz submission (an attempt, then its answers). Executed
    through Core, SQLAlchemy spent more time setting up each execution (its context,
    parameter processing, result) than SQLite took to insert: 354 µs a submission,
    against 190 µs on the cursor. The SQL is still SQLAlchemy's, for the connection's
    dialect, and ``rows`` converts values with the column types' own bind processors
    (JSON, dates, booleans), before the writer takes its turn. Rows give a value for
    every column but the primary key, which the database numbers.
    """

    def __init__(self, statement: Insert) -> None:
        self.statement = statement
        self.keys = [c.key for c in statement.table.columns if not c.primary_key]
        self._compiled: dict[str, tuple[str, tuple[str, ...] | None, dict]] = {}

    def _for(self, dialect: Dialect) -> tuple[str, tuple[str, ...] | None, dict]:
        """(SQL, parameter order for positional drivers or None, processors by key)."""
        found = self._compiled.get(dialect.name)
        if found is None:
            compiled = self.statement.compile(
                dialect=dialect, column_keys=self.keys, for_executemany=True
            )
            processors = {
                name: processor
                for name, bind in compiled.binds.items()
                if (processor := bind.type.dialect_impl(dialect).bind_processor(dialect))
            }
            order = tuple(compiled.positiontup) if compiled.positional else None
            found = self._compiled[dialect.name] = (compiled.string, order, processors)
        return found

    def rows(self, dialect: Dialect, rows: list[dict]) -> list[dict]:
        """``rows`` with each value converted as the column's type does for ``dialect``."""
        _sql, _order, processors = self._for(dialect)
        for row in rows:
            for key, processor in processors.items():
                if key in row:
                    row[key] = processor(row[key])
        return rows

    def run(self, connection: Connection, rows: list[dict]) -> list[tuple]:
        """Insert converted ``rows`` in ``connection``'s transaction; the rows it returns."""
        sql, order, _processors = self._for(connection.dialect)
        values = [tuple(row[key] for key in order) for row in rows] if order else rows
        cursor = connection.connection.cursor()
        try:
            if len(values) == 1:
                cursor.execute(sql, values[0])
            else:
                cursor.executemany(sql, values)
            return cursor.fetchall() if cursor.description else []
        finally:
            cursor.close()


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
    turns = WriterTurns(_sqlite_file(engine))  # on SQLite, a migration is one more writer
    try:
        with turns.turn(), engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                # Held until this transaction ends, so it covers the whole upgrade.
                connection.execute(
                    text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK}
                )
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    finally:
        turns.close()


class WriterTurns:
    """Writers to one SQLite file take turns on a lock file beside it (threads and processes).

    SQLite lets one transaction write at a time. A writer that finds the file locked
    sleeps and tries again (SQLite's busy handler waits 1, 2, 5… up to 100 ms between
    tries), so under load writers slept far longer than the writes took: quiz
    submissions had a p99 of 500–750 ms with the CPUs 18 % idle, and 100–165 ms with
    turns. Queued on a lock, a writer starts as soon as the one before it has committed.
    PostgreSQL locks rows, not the database, and an in-memory database has one
    connection: neither needs turns.
    """

    def __init__(self, database: str | None) -> None:
        self.path = f"{database}.write-lock" if database else None
        self._threads = threading.Lock()  # flock() does not exclude threads sharing a file
        self._handle = None
        self._pid = 0

    @contextmanager
    def turn(self) -> Iterator[None]:
        """Hold the turn for one write transaction."""
        if self.path is None:
            yield
            return
        with self._threads:
            handle = self._file()
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _file(self):
        if self._pid != os.getpid():  # a forked child opens its own file description
            self._handle = open(self.path, "a")  # noqa: SIM115 (kept open; see close)
            self._pid = os.getpid()
        return self._handle

    def close(self) -> None:
        """Close the lock file (opened again on the next turn)."""
        with self._threads:
            if self._handle is not None:
                self._handle.close()
            self._handle, self._pid = None, 0


def _sqlite_file(engine: Engine) -> str | None:
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return database


def dialect() -> Dialect:
    """The dialect of the app's database (SQLite or PostgreSQL)."""
    return current_app.extensions["coopkit.db"].engine.dialect


def writing() -> AbstractContextManager[Connection]:
    """A write transaction for this request, on a connection of its own (``Database.writing``)."""
    return current_app.extensions["coopkit.db"].writing()


def writer_turn(db_session: Session) -> AbstractContextManager[None]:
    """The turn for a write transaction made through ``db_session`` (workshop services).

    A session made elsewhere than ``Database`` (a script, a test) writes without turns.
    """
    turns = db_session.info.get("writer_turns")
    return turns.turn() if turns else nullcontext()


class Database:
    """The app's engine and session factory."""

    def __init__(self, url: str) -> None:
        self.engine = make_engine(url)
        self.writer_turns = WriterTurns(_sqlite_file(self.engine))
        self.sessions = sessionmaker(
            self.engine, expire_on_commit=False, info={"writer_turns": self.writer_turns}
        )

    @contextmanager
    def writing(self) -> Iterator[Connection]:
        """One write transaction: committed at the end, rolled back on error.

        Everything a writer can prepare is done before its turn: the connection is
        checked out first, and callers build their rows first. Inside the turn, a
        thread that has to wait for the GIL keeps every other writer waiting.
        Python's sqlite3 opens the transaction at its first INSERT, after the turn is
        taken, so it sees what the writer before it committed.
        """
        with (
            self.engine.connect() as connection,
            self.writer_turns.turn(),
            connection.begin(),
        ):
            yield connection

    def close(self) -> None:
        """Close every pooled connection and the lock file (tests call it; servers at exit)."""
        self.engine.dispose()
        self.writer_turns.close()


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
