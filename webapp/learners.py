"""Anonymous learners: a random id in the signed session cookie, a row on first write."""

from __future__ import annotations

import re
import secrets

from flask import Flask, g, session
from sqlalchemy.orm import Session

from webapp import db
from webapp.models import Learner, utcnow

_LEARNER_ID = re.compile(r"^[0-9a-f]{32}$")


def init_app(app: Flask) -> None:
    """Give every visitor a learner id."""
    app.before_request(_ensure_learner_id)


def _ensure_learner_id() -> None:
    if not _LEARNER_ID.match(str(session.get("learner", ""))):
        session["learner"] = secrets.token_hex(16)
        session.permanent = True


def learner_id() -> str:
    """The id of the learner making this request."""
    return session["learner"]


def current_learner() -> Learner | None:
    """The stored learner of this request, or None before their first saved action."""
    if "learner" not in g:
        g.learner = db.session().get(Learner, learner_id()) if "learner" in session else None
    return g.learner


def store_learner(db_session: Session) -> None:
    """Give this request's learner a row, in ``db_session``'s write transaction.

    ``INSERT … ON CONFLICT DO NOTHING``: two tabs of a new learner writing at the same
    moment both succeed, on PostgreSQL too.
    """
    statement = db.insert(db_session, Learner).values(id=learner_id(), created_at=utcnow())
    db_session.execute(statement.on_conflict_do_nothing(index_elements=["id"]))
    g.pop("learner", None)  # read again when asked
