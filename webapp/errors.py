"""Error pages in French (400, 404, 405, 413, 500, 503) and the refused submission."""

from __future__ import annotations

from flask import Flask, current_app, render_template
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException, SecurityError

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
UNSAVED_MESSAGE = (
    "Le serveur ne peut pas enregistrer pour l’instant (base de données en lecture seule, "
    "disque plein ou indisponible). Rien n’a été enregistré\u00a0: réessayez dans un moment."
)
CSRF_MESSAGE = (
    "Le formulaire a expiré ou ne vient pas de ce site (jeton de sécurité absent ou "
    "invalide). Rechargez la page et recommencez."
)


class BadSubmission(Exception):
    """A submission that does not fit what was offered: answered with a 400 and stored nowhere."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def init_app(app: Flask) -> None:
    """Answer every error with a page in French."""
    app.register_error_handler(CSRFError, lambda _error: error_page(400, CSRF_MESSAGE))
    app.register_error_handler(BadSubmission, lambda error: error_page(400, error.message))
    app.register_error_handler(OperationalError, _database_error)
    app.register_error_handler(SecurityError, _untrusted_host)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(500, lambda _error: error_page(500))


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


def _database_error(error: OperationalError):
    """A database that cannot be written or reached: a 503 in French. The user action's
    transaction was rolled back (``webapp.db.transaction``), so nothing is half-stored."""
    current_app.logger.error("database unavailable: %s", str(error.orig or error).strip())
    return error_page(503, UNSAVED_MESSAGE)


def _untrusted_host(_error: SecurityError):
    """A ``Host`` outside ``TRUSTED_HOSTS``: no page of the site can be addressed from it (no
    link can be built), so a plain text answer."""
    text = "Requête refusée\u00a0: cette adresse ne correspond pas au site."
    return text, 400, {"Content-Type": "text/plain; charset=utf-8"}
