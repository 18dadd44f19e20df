"""Security headers, CSRF, and error pages in French (400, 404, 405, 413, 500)."""

from __future__ import annotations

from flask import Flask, render_template
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.exceptions import HTTPException

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


class BadSubmission(Exception):
    """A submission that does not fit what was offered: answered with a 400 and stored nowhere."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def init_app(app: Flask) -> None:
    """CSRF on every POST, security headers on every response, French error pages."""
    csrf.init_app(app)
    app.after_request(_headers)
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(BadSubmission, lambda e: error_page(400, e.message))
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(500, lambda e: error_page(500))


HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
_HEADER_KEYS = {name.lower(): name for name in HEADERS}


def _headers(response):
    """Add each security header a view has not set itself (one pass over the headers)."""
    present = {key.lower() for key, _ in response.headers if key.lower() in _HEADER_KEYS}
    response.headers.extend((k, v) for k, v in HEADERS.items() if k.lower() not in present)
    return response


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
