"""The app's settings: ``Config`` for serving, ``TestConfig`` for the test suite.

Values that differ between deployments come from the environment when the app is made
(``from_environment``), so every gunicorn worker of a machine reads the same ones.
"""

from __future__ import annotations

import os
from datetime import timedelta
from typing import Any


class Config:
    """Settings of a served app."""

    MAX_CONTENT_LENGTH = 64 * 1024  # a full quiz submission is a few kilobytes
    MAX_FORM_PARTS = 300
    SESSION_COOKIE_NAME = "coopkit"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    # Reached through the TLS proxy (docs/deploy.md); "auto": Secure on HTTPS requests only
    # (``coopkit serve``, whose room is plain HTTP).
    SESSION_COOKIE_SECURE: bool | str = True
    # Learners are anonymous: their id lives in the cookie, so it lasts a year.
    PERMANENT_SESSION_LIFETIME = timedelta(days=365)
    # A learner may read a quiz for more than Flask-WTF's default hour before submitting;
    # the token is bound to the learner's signed session cookie.
    WTF_CSRF_TIME_LIMIT = None
    BUILD_DIR = None  # default: build/ in the course folder
    # A facilitator's login ends after this long without use (the cookie itself lasts a
    # year, for the learner's id); COOPKIT_FACILITATOR_IDLE_HOURS changes it.
    FACILITATOR_IDLE = timedelta(hours=12)
    # The address participants open, scheme, host and port (``https://atelier.example.org``):
    # join links and QR codes are made from it rather than from the request's Host header.
    PUBLIC_URL: str | None = None


class TestConfig(Config):
    """Settings of the apps the tests make (each test gives its database and folders)."""

    TESTING = True


def from_environment() -> dict[str, Any]:
    """The settings the environment gives: course folder, database, secret key, cookies."""
    settings: dict[str, Any] = {
        "COURSE_ROOT": os.environ.get("COOPKIT_ROOT") or os.getcwd(),
        "DATABASE_URL": os.environ.get("DATABASE_URL"),
        "SECRET_KEY": os.environ.get("SECRET_KEY"),
        "PUBLIC_URL": os.environ.get("COOPKIT_PUBLIC_URL"),
    }
    idle_hours = os.environ.get("COOPKIT_FACILITATOR_IDLE_HOURS")
    if idle_hours:
        try:
            settings["FACILITATOR_IDLE"] = timedelta(hours=float(idle_hours))
        except ValueError:
            raise ValueError("COOPKIT_FACILITATOR_IDLE_HOURS must be a number of hours") from None
    if os.environ.get("COOPKIT_INSECURE_COOKIES") == "1":  # plain HTTP on 127.0.0.1 only
        settings["SESSION_COOKIE_SECURE"] = False
    return settings
