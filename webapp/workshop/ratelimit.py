"""Rate limiting of join (and login) attempts, counted in the database.

Why a table and not Flask-Limiter: the app runs as several gunicorn workers (and
possibly several machines) sharing one database, so an in-memory counter would let
a guesser multiply their budget by the number of workers; Flask-Limiter would need a
Redis or Memcached server just for this. A row per client and time window, bumped
with one atomic upsert, is shared by every worker and needs no new dependency.

Only *failures* count: a room of thirty phones behind one Wi-Fi router shares one
address, and their correct joins must not lock each other out. A client that
reached the limit is refused before its code is even looked at, so guessing stops.
"""

from __future__ import annotations

import time

from sqlalchemy import delete, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from webapp.workshop.models import JoinFailure

WINDOW_SECONDS = 10 * 60
MAX_FAILURES = 10  # per client and window: 31**6 codes leave a guesser no chance


def upsert(db: Session, table):
    """The dialect's INSERT that supports ON CONFLICT (SQLite and PostgreSQL)."""
    dialect = db.get_bind().dialect.name
    if dialect == "postgresql":
        return postgresql.insert(table)
    if dialect == "sqlite":
        return sqlite.insert(table)
    raise RuntimeError(f"workshop mode supports SQLite and PostgreSQL, not {dialect}")


def _window(now: float) -> int:
    return int(now // WINDOW_SECONDS) * WINDOW_SECONDS


def is_blocked(db: Session, client: str, now: float | None = None) -> bool:
    """True when ``client`` failed too often in the current window."""
    now = time.time() if now is None else now
    failures = db.scalar(
        select(func.coalesce(func.sum(JoinFailure.failures), 0)).where(
            JoinFailure.client == client, JoinFailure.window_start == _window(now)
        )
    )
    return failures >= MAX_FAILURES


def record_failure(db: Session, client: str, now: float | None = None) -> None:
    """Count one failure of ``client`` (atomically, whatever the number of workers)."""
    now = time.time() if now is None else now
    window = _window(now)
    statement = upsert(db, JoinFailure).values(client=client, window_start=window, failures=1)
    statement = statement.on_conflict_do_update(
        index_elements=["client", "window_start"],
        set_={"failures": JoinFailure.failures + 1},
    )
    db.execute(statement)
    # Old windows are useless: drop them so the table stays small.
    db.execute(delete(JoinFailure).where(JoinFailure.window_start < window - WINDOW_SECONDS))
    db.commit()
