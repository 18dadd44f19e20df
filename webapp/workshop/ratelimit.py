"""Rate limiting of join codes and passwords, counted in the database.

Why a table and not Flask-Limiter: the app runs as several gunicorn workers (and
possibly several machines) sharing one database, so an in-memory counter would let
a guesser multiply their budget by the number of workers; Flask-Limiter would need a
Redis or Memcached server just for this. A row per client and time window, bumped
with one atomic upsert, is shared by every worker and needs no new dependency.

Only *failures* count. What is guessed decides what is counted:
- a password, per account (the e-mail typed): forged addresses or new cookies give a
  guesser no new tries at one account; and per browser;
- a join code, per browser (its signed session cookie): a hard budget;
- both, per network address, as a coarse backstop only: a room of thirty phones behind
  one Wi-Fi router shares one address, so the address is never blocked. Past its budget,
  each further failure from it is answered more slowly (``delay``), which makes guessing
  from behind it slow, while a participant who types the right code joins at once.
With 31**6 ≈ 887 million codes, even a guesser who drops cookies, slowed to a few
seconds a guess, has no real chance.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from webapp.db import insert, transaction
from webapp.workshop.models import JoinFailure

WINDOW_SECONDS = 10 * 60
PER_BROWSER = 10  # failures before a browser is refused for 10 to 20 minutes
PER_ACCOUNT = 10  # wrong passwords before an account refuses logins for 10 to 20 minutes
PER_ADDRESS = 100  # failures from one address before each further one is slowed down
DELAY_STEP = 0.5  # seconds added per PER_ADDRESS further failures…
MAX_DELAY = 5.0  # …up to this: a slowed request still holds a server thread


def _window(now: float) -> int:
    return int(now // WINDOW_SECONDS) * WINDOW_SECONDS


def failures(db: Session, client: str, now: float | None = None) -> int:
    """How many failures ``client`` has in the current window and the one before.

    Counting only the current window would reset every budget on the hour's tenth
    minutes: a guesser could spend it just before the turn and again just after. With
    the previous window counted too, a budget covers the last 10 to 20 minutes.
    """
    now = time.time() if now is None else now
    return db.scalar(
        select(func.coalesce(func.sum(JoinFailure.failures), 0)).where(
            JoinFailure.client == client,
            JoinFailure.window_start >= _window(now) - WINDOW_SECONDS,
        )
    )


def is_blocked(db: Session, budgets: Mapping[str, int], now: float | None = None) -> bool:
    """True when any of the clients (key → allowed failures) used up its budget."""
    return any(failures(db, client, now) >= budget for client, budget in budgets.items())


def delay(db: Session, address_key: str, now: float | None = None) -> float:
    """How long to hold the answer to one more failure from an address (0 within budget)."""
    beyond = failures(db, address_key, now) - PER_ADDRESS
    if beyond < 0:
        return 0.0
    return min(MAX_DELAY, DELAY_STEP * (1 + beyond // PER_ADDRESS))


def record_failure(db: Session, clients: Iterable[str], now: float | None = None) -> None:
    """Count one failure for each client (atomically, whatever the number of workers)."""
    now = time.time() if now is None else now
    window = _window(now)
    with transaction(db):
        for client in clients:
            statement = insert(db, JoinFailure).values(
                client=client, window_start=window, failures=1
            )
            statement = statement.on_conflict_do_update(
                index_elements=["client", "window_start"],
                set_={"failures": JoinFailure.failures + 1},
            )
            db.execute(statement)
        # Old windows are useless: drop them so the table stays small.
        db.execute(delete(JoinFailure).where(JoinFailure.window_start < window - WINDOW_SECONDS))
