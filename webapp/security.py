"""Security headers, CSRF, and error pages in French (400, 404, 405, 413, 500)."""

from __future__ import annotations

from flask import Flask, current_app, g, render_template, session
from flask_wtf.csrf import CSRFError, CSRFProtect, generate_csrf
from werkzeug.exceptions import HTTPException

from webapp.pagecache import Lru

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

MESSAGES = {
    400: "La requête n’a pas pu être traitée\u00a0: elle ne correspond pas à ce que le site "
    "a proposé.",
    404: "Cette page n’existe pas, ou plus.",
    405: "Cette action n’est pas possible à cette adresse.",
    413: "La requête est trop volumineuse.",
    500: "Une erreur inattendue s’est produite. Réessayez dans un instant.",
    503: "Ce fichier ne peut pas être construit pour l’instant. Réessayez plus tard.",
}
TITLES = {
    400: "Requête refusée",
    404: "Page introuvable",
    405: "Action non autorisée",
    413: "Requête trop volumineuse",
    500: "Erreur du serveur",
    503: "Service indisponible",
}

csrf = CSRFProtect()
SIGNED_TOKENS = 20_000  # sessions whose signed CSRF token a worker keeps: about 6 MB


class BadSubmission(Exception):
    """A submission that does not fit what was offered: answered with a 400 and stored nowhere."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def init_app(app: Flask) -> None:
    """CSRF on every POST, security headers on every response, French error pages."""
    csrf.init_app(app)
    app.extensions["coopkit.csrf_tokens"] = Lru(SIGNED_TOKENS)
    # Flask-WTF gives templates its generate_csrf both ways; a later processor wins.
    app.jinja_env.globals["csrf_token"] = signed_csrf_token
    app.context_processor(lambda: {"csrf_token": signed_csrf_token})
    app.wsgi_app = SecurityHeaders(app.wsgi_app)
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(BadSubmission, lambda e: error_page(400, e.message))
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(500, lambda e: error_page(500))


HEADERS = [
    ("Content-Security-Policy", CSP),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
    ("X-Frame-Options", "DENY"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
]
_HEADER_NAMES = {name.lower() for name, _ in HEADERS}


class SecurityHeaders:
    """WSGI middleware: every response gets each security header its view has not set.

    At the WSGI level the headers are a plain list: adding them through Flask's
    ``after_request`` and werkzeug's ``Headers`` cost a twentieth of a page's time. It
    also covers static files and error pages.
    """

    def __init__(self, app) -> None:
        self.app = app

    def __call__(self, environ, start_response):
        def with_headers(status, headers, exc_info=None):
            present = {name.lower() for name, _ in headers} & _HEADER_NAMES
            headers.extend(header for header in HEADERS if header[0].lower() not in present)
            return start_response(status, headers, exc_info)

        return self.app(environ, with_headers)


def signed_csrf_token() -> str:
    """The session's signed CSRF token for a form, as Flask-WTF's ``generate_csrf`` gives it.

    Signing (an itsdangerous serializer made, then an HMAC) cost a twelfth of a quiz
    page; a session keeps one raw token, so its signed form is kept per worker too.
    Tokens have no time limit (``WTF_CSRF_TIME_LIMIT`` is None: the token is bound to
    the signed session), so an earlier signature of the same token is as good.
    """
    tokens: Lru = current_app.extensions["coopkit.csrf_tokens"]
    field = current_app.config["WTF_CSRF_FIELD_NAME"]  # also the session key, in Flask-WTF
    raw = session.get(field)
    signed = tokens.get(raw) if isinstance(raw, str) else None
    if signed is None:
        signed = generate_csrf()
        tokens.put(session[field], signed)
    g.setdefault(field, signed)  # what generate_csrf gives the request's other forms
    return signed


def error_page(code: int, message: str | None = None):
    """An error page in French. An oversized body is a bad request like any forged one: 400."""
    if code == 413:
        code, message = 400, MESSAGES[413]
    body = render_template(
        "errors/error.html",
        code=code,
        title=TITLES.get(code, "Erreur"),
        message=message or MESSAGES.get(code, "La requête n’a pas abouti."),
    )
    return body, code


def _http_error(error: HTTPException):
    if error.code is not None and error.code < 400:  # routing redirects are not errors
        return error
    return error_page(error.code or 500)


def _csrf_error(_error: CSRFError):
    return error_page(
        400,
        "Le formulaire a expiré ou ne vient pas de ce site (jeton de sécurité absent ou "
        "invalide). Rechargez la page et recommencez.",
    )
