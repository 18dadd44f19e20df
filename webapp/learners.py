"""Anonymous learners: a random id in the signed session cookie, a row on first write."""

from __future__ import annotations

import re
import secrets
from datetime import date

from flask import Flask, g, session
from sqlalchemy import Connection

from webapp import db
from webapp.models import Learner, utcnow
from webapp.pagecache import is_stored, note_stored

_LEARNER_ID = re.compile(r"^[0-9a-f]{32}$")


def init_app(app: Flask) -> None:
    """Give every visitor a learner id."""
    app.before_request(_ensure_learner_id)


def _ensure_learner_id() -> None:
    if not _LEARNER_ID.match(str(session.get("learner", ""))):
        session["learner"] = secrets.token_hex(16)
        session.permanent = True
    # The cookie's expiry moves forward once a day, not on every request
    # (SESSION_REFRESH_EACH_REQUEST is off: signing a cookie per page cost a third of a
    # lesson page's time). A learner who comes back within the lifetime stays known.
    today = date.today().toordinal()
    if session.get("day") != today:
        session["day"] = today


def learner_id() -> str:
    """The id of the learner making this request."""
    return session["learner"]


def current_learner() -> Learner | None:
    """The stored learner of this request, or None before their first saved action."""
    if "learner" not in g:
        g.learner = db.session().get(Learner, learner_id()) if "learner" in session else None
    return g.learner


def stored_learner() -> Learner:
    """The learner of this request, added to the session (not yet committed) when new."""
    learner = current_learner()
    if learner is None:
        learner = Learner(id=learner_id())
        db.session().add(learner)
        g.learner = learner
    return learner


def ensure_learner_row(connection: Connection) -> None:
    """Make sure this request's learner has a row, in ``connection``'s transaction.

    One ``INSERT … ON CONFLICT DO NOTHING`` rather than a look-up then an insert; a
    worker remembers (``learner_row_committed``) the learners whose row it has seen
    committed and skips them.
    """
    learner = learner_id()
    if is_stored(("learner", learner)):
        return
    statement = db.insert_or_ignore(connection, Learner, "id")
    connection.execute(statement, {"id": learner, "created_at": utcnow()})


def learner_row_committed() -> None:
    """Note, after a commit, that this request's learner has a row (rows are never deleted)."""
    note_stored(("learner", learner_id()))
