"""Participant pages: join a session with its code, answer on a phone, see the results."""

from __future__ import annotations

import math

from flask import abort, flash, redirect, render_template, request, session, url_for

from course.attempts import Draw
from course.grading import InvalidResponse
from webapp import db
from webapp.answers import AnswerMistake, is_blank, read_answer
from webapp.errors import BadSubmission
from webapp.models import utcnow
from webapp.workshop import live, ratelimit, services
from webapp.workshop.analysis import correct_answer_label, response_label
from webapp.workshop.codes import normalise_code
from webapp.workshop.common import (
    TOO_MANY,
    asked_items,
    bp,
    browser_budget,
    choice_letters,
    record_failure,
    room_standings,
    session_attempt,
)
from webapp.workshop.forms import JoinForm
from webapp.workshop.models import Participant, Workshop
from webapp.workshop.state import Pace, Phase, Status

PARTICIPANTS_KEY = "ws_participants"
REMEMBERED_SESSIONS = 20
LEADERBOARD_SIZE = 10


# --- Participants ------------------------------------------------------------------------


def current_participant(workshop: Workshop) -> Participant | None:
    """The participant this browser joined ``workshop`` as, if any."""
    tokens = session.get(PARTICIPANTS_KEY)
    token = tokens.get(str(workshop.id)) if isinstance(tokens, dict) else None
    return services.participant_by_token(db.session(), workshop.id, token)


def remember_participant(participant: Participant) -> None:
    """Keep the participant's secret token in the signed session cookie."""
    tokens = session.get(PARTICIPANTS_KEY)
    tokens = dict(tokens) if isinstance(tokens, dict) else {}
    tokens.pop(str(participant.session_id), None)
    tokens[str(participant.session_id)] = participant.token
    session[PARTICIPANTS_KEY] = dict(list(tokens.items())[-REMEMBERED_SESSIONS:])
    session.permanent = True


@bp.route("/", methods=["GET", "POST"])
def join():
    """Join a session with its code and a display name (no account)."""
    form = JoinForm()
    if request.method == "GET" and request.args.get("code"):
        form.code.data = request.args["code"][:20]
    status = 200
    if form.validate_on_submit():
        dbs = db.session()
        budgets = browser_budget("join")
        # Checked before the code is looked at: once blocked, guessing learns nothing.
        if ratelimit.is_blocked(dbs, budgets):
            form.code.errors.append(TOO_MANY)
            status = 429
        else:
            code = normalise_code(form.code.data)
            workshop = services.open_session_by_code(dbs, code) if code else None
            if workshop is None:
                record_failure("join", budgets)
                form.code.errors.append(
                    "Aucune session ouverte ne porte ce code. Vérifiez-le auprès de l’animateur."
                )
            elif current_participant(workshop) is not None:
                return redirect(url_for(".participate", session_key=workshop.public_id))
            else:
                try:
                    participant = services.join(dbs, workshop, form.name.data)
                except services.WorkshopError as error:
                    form.name.errors.append(str(error))
                else:
                    remember_participant(participant)
                    return redirect(url_for(".participate", session_key=workshop.public_id))
    return render_template("workshop/join.html", form=form), status


def _session_and_participant(session_key: str) -> tuple[Workshop, Participant | None]:
    """The session at this address (404 if none) and who this browser joined it as."""
    workshop = services.workshop_by_key(db.session(), session_key)
    if workshop is None:
        abort(404)
    return workshop, current_participant(workshop)


@bp.get("/participer/<session_key>")
def participate(session_key: str):
    """A participant's phone: the open question, their own answer, the reveal, their score."""
    workshop, participant = _session_and_participant(session_key)
    if participant is None:
        # Never the session's code: only those who were given it may join.
        flash("Rejoignez d’abord la session avec son code.")
        return redirect(url_for(".join"))
    attempt = session_attempt(workshop)
    mine = services.answers_of_participant(db.session(), participant)
    context = {
        "workshop": workshop,
        "participant": participant,
        "attempt": attempt,
        "count": len(attempt.items),
        "mine": mine,
        "answered": len(mine),
        "score": sum(a.score for a in mine.values()),
        "maximum": sum(item.question.points for item in attempt.items),
        "label": response_label,
        "right_answer": correct_answer_label,
        "choice_letters": choice_letters,
    }
    finished = (
        workshop.phase == Phase.FINISHED
        or workshop.status != Status.OPEN
        or (workshop.pace == Pace.SELF and len(mine) == len(attempt.items))
    )
    # Points after each reveal, rank too when the session shows a leaderboard.
    revealed = workshop.pace == Pace.LIVE and workshop.phase == Phase.REVEALED
    if workshop.leaderboard and (finished or revealed):
        table = room_standings(workshop)
        context["mine_rank"] = next(s for s in table if s.participant_id == participant.id)
        context["people"] = len(table)
        context["table"] = table[:LEADERBOARD_SIZE] if finished else []
    if workshop.pace == Pace.LIVE:
        context["maximum"] = sum(it.question.points for it in asked_items(workshop, attempt))
    deadline = workshop.deadline
    context["remaining"] = (
        None if deadline is None else max(0, math.ceil((deadline - utcnow()).total_seconds()))
    )
    if workshop.pace == Pace.SELF:
        context.update(_self_paced(attempt, mine))
    else:
        index = workshop.current_index
        item = services.item_at(attempt, index)
        context.update(item=item, number=None if index is None else index + 1)
    # Pages without a form refresh themselves when JavaScript is off; a form must not be wiped.
    context["form_shown"] = (
        workshop.is_open
        and context["item"] is not None
        and (workshop.pace == Pace.SELF or workshop.phase == Phase.ASKING)
        and context["item"].key not in mine
    )
    return render_template("workshop/participant.html", **context)


def _self_paced(attempt: Draw, mine: dict) -> dict:
    """The question to show: the one just answered (for feedback), else the next unanswered."""
    shown = request.args.get("vu")
    feedback = next((it for it in attempt.items if it.key == shown and it.key in mine), None)
    pending = [(n, it) for n, it in enumerate(attempt.items, start=1) if it.key not in mine]
    number, item = pending[0] if pending else (None, None)
    feedback_number = next(
        (n for n, it in enumerate(attempt.items, start=1) if it is feedback), None
    )
    return {
        "item": item,
        "number": number,
        "feedback": feedback,
        "feedback_number": feedback_number,
    }


@bp.post("/participer/<session_key>/repondre")
def answer(session_key: str):
    """Store a participant's answer: the first one counts; a closed question refuses it."""
    workshop, participant = _session_and_participant(session_key)
    if participant is None:
        flash("Rejoignez d’abord la session avec son code.")
        return redirect(url_for(".join"), code=303)
    attempt = session_attempt(workshop)
    key = request.form.get("item", "")
    index = next((n for n, it in enumerate(attempt.items) if it.key == key), None)
    if index is None:
        raise BadSubmission("Cette question ne fait pas partie de la session.")
    item = attempt.items[index]
    back = url_for(".participate", session_key=workshop.public_id)
    try:
        response = read_answer(item, request.form)
    except AnswerMistake as mistake:
        flash(str(mistake))
        return redirect(back, code=303)
    except InvalidResponse:
        raise BadSubmission("Cette réponse ne correspond pas aux choix proposés.") from None
    if is_blank(response):
        flash("Choisissez ou saisissez une réponse avant d’envoyer.")
        return redirect(back, code=303)
    try:
        outcome = services.record_answer(db.session(), workshop, participant, index, item, response)
    except InvalidResponse:
        raise BadSubmission("Cette réponse ne correspond pas aux choix proposés.") from None
    except services.WorkshopError as refusal:
        flash(str(refusal))
        return redirect(back, code=303)
    if not outcome.stored:
        flash("Vous aviez déjà répondu : seule votre première réponse compte.")
    if workshop.pace == Pace.SELF:
        back = url_for(".participate", session_key=workshop.public_id, vu=item.key)
    return redirect(back, code=303)


@bp.get("/participer/<session_key>/etat")
def participant_state(session_key: str):
    """What a participant's phone polls: the session's version (changes on each step).
    Only for the session's participants: to anyone else, the session does not exist.
    Answered from the worker's memory most of the time (``live``): a room polls it a
    thousand times a second."""
    dbs = db.session()
    known = live.version_of(dbs, session_key)
    tokens = session.get(PARTICIPANTS_KEY)
    token = tokens.get(str(known.session_id)) if known and isinstance(tokens, dict) else None
    if known is None or not live.is_member(dbs, known.session_id, token):
        abort(404)
    state = {"version": known.version, "activity": str(known.version)}
    return live.state_response(state, str(known.version))
