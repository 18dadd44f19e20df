"""What the live pages poll, answered cheaply: a thousand phones ask every second.

A phone's poll needs two facts: the session's version (it changes on each facilitator step)
and that the browser joined the session (only participants may poll). Each worker keeps
both in memory: a session's version for ``FRESH`` seconds (a step reaches the phones that
much later at most) and, for good, that a token belongs to a session (tokens never move to
another session). A poll then costs no database query most of the time, and the answer
carries an ETag so an unchanged state is a bodiless 304.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from flask import Response, jsonify, request

from webapp.workshop import services

FRESH = 0.2  # seconds a worker trusts the version it read
MAX_MEMBERS = 50_000  # (session, token) pairs remembered per worker; forgotten all at once


@dataclass(frozen=True)
class LiveVersion:
    """The little a phone's poll needs to know about a session."""

    session_id: int
    version: int
    read_at: float


_versions: dict[str, LiveVersion] = {}
_members: set[tuple[int, str]] = set()


def version_of(db, session_key: str) -> LiveVersion | None:
    """The session's id and version, read at most ``FRESH`` seconds ago (None: no session)."""
    now = time.monotonic()
    known = _versions.get(session_key)
    if known is not None and now - known.read_at < FRESH:
        return known
    workshop = services.workshop_by_key(db, session_key)
    if workshop is None:
        _versions.pop(session_key, None)
        return None
    known = LiveVersion(workshop.id, workshop.version, now)
    _versions[session_key] = known
    return known


def forget(session_key: str) -> None:
    """Drop what this worker knows of a session's version (the facilitator moved it on: this
    worker's phones learn it at once, the other workers' within ``FRESH`` seconds)."""
    _versions.pop(session_key, None)


def is_member(db, session_id: int, token: str | None) -> bool:
    """True when ``token`` is a participant's of this session (remembered once seen)."""
    if not token:
        return False
    if (session_id, token) in _members:
        return True
    if services.participant_by_token(db, session_id, token) is None:
        return False
    if len(_members) >= MAX_MEMBERS:
        _members.clear()
    _members.add((session_id, token))
    return True


def state_response(state: dict, tag: str) -> Response:
    """``state`` as JSON with an ETag; a bodiless 304 when the browser holds this one."""
    etag = f'"{tag}"'
    if etag in request.headers.get("If-None-Match", ""):
        response = Response(status=304)
    else:
        response = jsonify(state)
    response.headers["ETag"] = etag
    # Cached by the browser, but asked again every time: the 304 is what makes it cheap.
    response.headers["Cache-Control"] = "private, no-cache"
    return response
