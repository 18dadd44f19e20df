"""The workshop blueprint and what its facilitator and participant pages share."""

from __future__ import annotations

import time

import segno
from flask import Blueprint, Response, abort, current_app, request, session, url_for
from markupsafe import Markup

from course.attempts import Draw, UnknownQuiz
from course.grading import format_number
from webapp import db
from webapp.content import current_course, drawn
from webapp.workshop import ratelimit, services
from webapp.workshop.analysis import item_statistics, standings
from webapp.workshop.codes import display_code
from webapp.workshop.models import Workshop
from webapp.workshop.state import PACE_LABELS, STATUS_LABELS, Pace, Phase

bp = Blueprint("workshop", __name__)

TOO_MANY = (
    "Trop de tentatives infructueuses depuis cet appareil. Patientez quelques minutes, "
    "puis vérifiez le code auprès de l’animateur."
)


TOO_MANY_FOR_ACCOUNT = (
    "Trop de mots de passe erronés pour ce compte. Réessayez dans quelques minutes."
)

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # as questions/_macros.html puts them on the phones


def choice_letters(item) -> list[tuple[str, str, str]]:
    """(letter, choice id, text) of a choice question, in the order participants see them."""
    texts = {c.id: c.text for c in item.question.choices}
    return [(LETTERS[n], cid, texts[cid]) for n, cid in enumerate(item.order)]


@bp.app_template_filter("ws_points")
def points(value: float) -> str:
    """Points the French way, at most two decimals (« 1,5 »)."""
    return format_number(round(value, 2))


@bp.after_request
def _no_store(response: Response) -> Response:
    # Live pages change every few seconds and some are personal: never serve them from cache.
    response.headers.setdefault("Cache-Control", "no-store")
    return response


# --- Helpers -----------------------------------------------------------------------------


def session_attempt(workshop: Workshop) -> Draw:
    """The session's questions, drawn from its quiz and fixed seed."""
    try:
        return drawn(workshop.quiz_id, workshop.seed)
    except (UnknownQuiz, ValueError):
        # The course changed since the session opened (quiz removed or too small).
        abort(404)


def browser_budget(purpose: str) -> dict[str, int]:
    """The rate-limit key of this browser (its signed cookie's learner id) and its budget."""
    browser = session.get("learner") or "aucun"  # the signed cookie every visitor gets
    return {f"{purpose}:navigateur:{browser}": ratelimit.PER_BROWSER}


def address_key(purpose: str) -> str:
    """The rate-limit key of this request's network address (a coarse backstop only)."""
    return f"{purpose}:adresse:{request.remote_addr or 'inconnue'}"


def record_failure(purpose: str, budgets: dict[str, int]) -> None:
    """Count a failure for each budget and the address; a guesser behind an address over its
    budget gets the answer late (``ratelimit.delay``), never a block."""
    dbs = db.session()
    address = address_key(purpose)
    ratelimit.record_failure(dbs, [*budgets, address])
    time.sleep(ratelimit.delay(dbs, address))


def qr_svg(url: str) -> Markup:
    """An inline SVG QR code for ``url`` (segno writes only paths, no text from the URL)."""
    code = segno.make(url, error="m")
    return Markup(code.svg_inline(border=2, dark="#111", light="#fff", omitsize=True))


def join_url(workshop: Workshop) -> str:
    """The absolute address phones open to join this session: on the configured public URL
    (``coopkit serve --room`` gives the laptop's network address), else the request's own."""
    public = current_app.config.get("PUBLIC_URL")
    if public:
        return public.rstrip("/") + url_for("workshop.join", code=workshop.code)
    return url_for("workshop.join", code=workshop.code, _external=True)


def _quiz_title(quiz_id: str) -> str:
    quiz = current_course().quizzes.get(quiz_id)
    return quiz.title if quiz else quiz_id


@bp.app_template_global("workshop_quiz_title")
def workshop_quiz_title(quiz_id: str) -> str:
    """The title of a session's quiz."""
    return _quiz_title(quiz_id)


def labels() -> dict:
    """What templates need to name a session's status and pace and show its code."""
    return {
        "status_labels": STATUS_LABELS,
        "pace_labels": PACE_LABELS,
        "display_code": display_code,
    }


def asked_items(workshop: Workshop, attempt: Draw) -> list:
    """The questions put to the room so far: a live quiz ended early rates only those."""
    return attempt.items[: workshop.asked_count(len(attempt.items))]


# (session id, version) -> standings, while no answer can change them (see ``room_standings``)
_STANDINGS: dict[tuple[int, int], list] = {}


def room_standings(workshop: Workshop) -> list:
    """Everyone's points and rank. A live quiz between two questions cannot change them, so
    each worker computes them once per step: after a reveal, a thousand phones ask at once."""
    frozen = workshop.pace == Pace.LIVE and (workshop.phase != Phase.ASKING or not workshop.is_open)
    key = (workshop.id, workshop.version)
    if frozen and key in _STANDINGS:
        return _STANDINGS[key]
    answers = services.answers_of(db.session(), workshop)
    table = standings([(p.id, p.name) for p in workshop.participants], answers)
    if frozen:
        if len(_STANDINGS) > 64:
            _STANDINGS.clear()
        _STANDINGS[key] = table
    return table


def results(workshop: Workshop, attempt: Draw) -> dict:
    """Everything the dashboard, the summary and the projector's last screen show; rates and
    maxima count only the questions asked (ending after 4 of 12 rates those 4)."""
    answers = services.answers_of(db.session(), workshop)
    people = [(p.id, p.name) for p in workshop.participants]
    asked = asked_items(workshop, attempt)
    return {
        "answers": answers,
        "asked": asked,
        "stats": item_statistics(asked, answers),
        "table": standings(people, answers),
        "maximum": sum(item.question.points for item in asked),
    }
