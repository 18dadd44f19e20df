"""CSRF on every POST (Flask-WTF) and security headers on every response."""

from __future__ import annotations

from flask import Flask, Response, request
from flask.sessions import SecureCookieSessionInterface
from flask_wtf.csrf import CSRFProtect

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "object-src 'none'",
    ]
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}

csrf = CSRFProtect()


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session; with ``SESSION_COOKIE_SECURE = "auto"``, the cookie is
    ``Secure`` on the requests that came over HTTPS.

    ``coopkit serve`` answers a room's phones over plain HTTP, where a ``Secure`` cookie would
    never come back (and every form would fail its CSRF check), yet the same server may sit
    behind a TLS proxy, where the cookie must not leak to plain HTTP.
    """

    def get_cookie_secure(self, app: Flask) -> bool:
        setting = app.config["SESSION_COOKIE_SECURE"]
        return request.is_secure if setting == "auto" else bool(setting)


def init_app(app: Flask) -> None:
    """CSRF on every POST; the security headers on every response (pages, files, errors)."""
    app.session_interface = SessionInterface()
    csrf.init_app(app)
    app.after_request(_security_headers)


def _security_headers(response: Response) -> Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)  # a view's own value wins
    return response
