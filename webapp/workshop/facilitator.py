"""Facilitator pages: log in, open sessions, run the live quiz, read and export results."""

from __future__ import annotations

import math
from functools import wraps
from urllib.parse import urlsplit

from flask import (
    Response,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from wtforms import SelectChoice

from course.attempts import Draw
from webapp import db
from webapp.content import current_course
from webapp.errors import BadSubmission
from webapp.models import utcnow
from webapp.workshop import live, ratelimit, services
from webapp.workshop.analysis import (
    correct_answer_label,
    distribution,
    item_statistics,
    part_rows,
)
from webapp.workshop.codes import display_code
from webapp.workshop.common import (
    TOO_MANY_FOR_ACCOUNT,
    asked_items,
    bp,
    browser_budget,
    choice_letters,
    join_url,
    labels,
    qr_svg,
    record_failure,
    results,
    session_attempt,
)
from webapp.workshop.export import ParticipantRow, participants_csv, questions_csv
from webapp.workshop.forms import LoginForm, NewSessionForm, PasswordForm
from webapp.workshop.models import Facilitator, Workshop
from webapp.workshop.state import IllegalTransition, Pace, Status, allowed_actions

FACILITATOR_KEY = "ws_facilitator"
ACTION_LABELS = {
    "start": "Lancer la première question",
    "close": "Clore les réponses",
    "reveal": "Montrer la bonne réponse",
    "next": "Question suivante",
    "finish": "Terminer le quiz",
}


# --- Facilitator authentication --------------------------------------------------------------


def current_facilitator() -> Facilitator | None:
    """The facilitator logged in on this browser, or None."""
    if "ws_facilitator" not in g:
        g.ws_facilitator = services.facilitator_of_login(
            db.session(), session.get(FACILITATOR_KEY), current_app.config["FACILITATOR_IDLE"]
        )
    return g.ws_facilitator


def facilitator_required(view):
    """Refuse a view to anyone but a logged-in facilitator (sent to the login page)."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if current_facilitator() is None:
            flash("Connectez-vous pour accéder aux pages de l’animateur.")
            # full_path ends in a lone « ? » when there is no query string.
            target = request.full_path.removesuffix("?") if request.method == "GET" else None
            return redirect(url_for("workshop.login", next=target))
        return view(*args, **kwargs)

    return wrapped


def own_session(session_key: str) -> Workshop:
    """A session of the logged-in facilitator; 404 for anyone else's (no hint it exists)."""
    workshop = services.workshop_by_key(db.session(), session_key)
    if workshop is None or workshop.facilitator_id != current_facilitator().id:
        abort(404)
    return workshop


def _safe_next(target: str | None) -> str | None:
    """Only a local workshop path: never an open redirect to another site."""
    if not target:
        return None
    parts = urlsplit(target)
    prefix = url_for("workshop.sessions")
    if parts.scheme or parts.netloc or not parts.path.startswith(prefix.rsplit("/", 1)[0] + "/"):
        return None
    return target


@bp.route("/connexion", methods=["GET", "POST"])
def login():
    """Log a facilitator in (failures are rate-limited like join attempts)."""
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        dbs = db.session()
        # Per account: neither new cookies nor forged addresses give a guesser more tries.
        account = f"login:compte:{services.normalise_email(form.email.data)}"
        budgets = {account: ratelimit.PER_ACCOUNT, **browser_budget("login")}
        if ratelimit.is_blocked(dbs, budgets):
            form.password.errors.append(TOO_MANY_FOR_ACCOUNT)
            status = 429
        else:
            facilitator = services.authenticate(dbs, form.email.data, form.password.data)
            if facilitator is None:
                record_failure("login", budgets)
                form.password.errors.append("Adresse ou mot de passe incorrect.")
            else:
                session[FACILITATOR_KEY] = services.start_login(dbs, facilitator)
                session.permanent = True
                return redirect(_safe_next(request.args.get("next")) or url_for(".sessions"))
    return render_template("workshop/login.html", form=form), status


@bp.post("/deconnexion")
def logout():
    """Log the facilitator out: the login ends on the server too, so a copy of the cookie
    taken before opens nothing."""
    services.end_login(db.session(), session.pop(FACILITATOR_KEY, None))
    flash("Vous êtes déconnecté.")
    return redirect(url_for(".login"))


@bp.route("/mot-de-passe", methods=["GET", "POST"])
@facilitator_required
def password():
    """Change the facilitator's password (every other login of the account ends)."""
    form = PasswordForm()
    facilitator = current_facilitator()
    budgets = {f"mot-de-passe:compte:{facilitator.id}": ratelimit.PER_ACCOUNT}
    if form.validate_on_submit():
        try:
            if ratelimit.is_blocked(db.session(), budgets):
                raise services.WorkshopError(TOO_MANY_FOR_ACCOUNT)
            token = services.change_password(
                db.session(), facilitator, form.current.data, form.new.data
            )
        except services.WrongPassword as error:
            record_failure("mot-de-passe", budgets)
            form.current.errors.append(str(error))
        except services.WorkshopError as error:
            form.current.errors.append(str(error))
        else:
            session[FACILITATOR_KEY] = token  # every other login of the account has ended
            flash("Mot de passe modifié.")
            return redirect(url_for(".sessions"))
    return render_template("workshop/password.html", form=form)


# --- Facilitator pages ---------------------------------------------------------------------


def _quiz_choices() -> list[SelectChoice]:
    quizzes = current_course().quizzes.values()
    # Theme quizzes first in module order, then the course quiz.
    order = {m.id: n for n, m in enumerate(current_course().modules)}
    ranked = sorted(quizzes, key=lambda q: (q.module is None, order.get(q.module or "", 0), q.id))
    return [SelectChoice(q.id, q.title) for q in ranked]


@bp.route("/sessions", methods=["GET", "POST"])
@facilitator_required
def sessions():
    """The facilitator's sessions, and the form that opens a new one."""
    facilitator = current_facilitator()
    form = NewSessionForm()
    form.quiz_id.choices = _quiz_choices()
    if form.validate_on_submit():
        workshop = services.open_session(
            db.session(),
            facilitator,
            form.quiz_id.data,
            form.title.data,
            Pace(form.pace.data),
            form.leaderboard.data,
            form.timer_seconds,
        )
        flash(f"Session ouverte : code {display_code(workshop.code)}.")
        return redirect(url_for(".dashboard", session_key=workshop.public_id))
    mine = sorted(facilitator.sessions, key=lambda s: s.created_at, reverse=True)
    return render_template(
        "workshop/sessions.html",
        form=form,
        current=[s for s in mine if s.status != Status.ARCHIVED],
        archived=[s for s in mine if s.status == Status.ARCHIVED],
        **labels(),
    )


def _live_context(workshop: Workshop, attempt: Draw, answers: list) -> dict:
    """The current question, its distribution and the actions the facilitator can take."""
    index = workshop.current_index
    item = services.item_at(attempt, index)
    context = {
        "attempt": attempt,
        "item": item,
        "number": None if index is None else index + 1,
        "actions": allowed_actions(workshop.live, len(attempt.items))
        if workshop.is_open and workshop.pace == Pace.LIVE
        else [],
        "action_labels": ACTION_LABELS,
        "phase": workshop.phase,
        "last": index is not None and index + 1 == len(attempt.items),
    }
    deadline = workshop.deadline
    context["remaining"] = (
        None if deadline is None else max(0, math.ceil((deadline - utcnow()).total_seconds()))
    )
    if item is not None:
        given = [a for a in answers if a.key == item.key]
        done = {a.participant_id for a in given}
        context.update(
            waiting=[p.name for p in workshop.participants if p.id not in done],
            answered=len(given),
            bars=distribution(item, given),
            parts=part_rows(item, given),
            right_answer=correct_answer_label(item.question),
            letters=choice_letters(item) if hasattr(item.question, "choices") else [],
        )
    return context


def _session_page(session_key: str, template: str):
    """A facilitator's page on one session: its join code, results and live state."""
    workshop = own_session(session_key)
    attempt = session_attempt(workshop)
    found = results(workshop, attempt)
    return render_template(
        template,
        workshop=workshop,
        join_link=join_url(workshop),
        qr=qr_svg(join_url(workshop)),
        count=len(attempt.items),
        **found,
        **_live_context(workshop, attempt, found["answers"]),
        **labels(),
    )


@bp.get("/sessions/<session_key>")
@facilitator_required
def dashboard(session_key: str):
    """The facilitator's view of a session: who joined, progress, item analysis, controls."""
    return _session_page(session_key, "workshop/dashboard.html")


@bp.get("/sessions/<session_key>/projection")
@facilitator_required
def projector(session_key: str):
    """The projector view: the current question large, the join code and QR code."""
    return _session_page(session_key, "workshop/projector.html")


@bp.post("/sessions/<session_key>/direct")
@facilitator_required
def live_action(session_key: str):
    """Move the live quiz on (start, close answers, reveal, next question, finish)."""
    workshop = own_session(session_key)
    attempt = session_attempt(workshop)
    action = request.form.get("action", "")
    try:
        seen = int(request.form.get("version", ""))
    except ValueError:
        raise BadSubmission("Le formulaire ne précise pas l’état de la session.") from None
    try:
        services.move_live(db.session(), workshop, action, len(attempt.items), seen)
        live.forget(workshop.public_id)
    except services.Conflict as conflict:
        flash(str(conflict))
    except IllegalTransition:
        flash("Cette action n’est plus possible : voici l’état actuel de la session.")
    back = ".projector" if request.form.get("back") == "projection" else ".dashboard"
    return redirect(url_for(back, session_key=workshop.public_id), code=303)


@bp.post("/sessions/<session_key>/statut")
@facilitator_required
def change_status(session_key: str):
    """Close a session (no more joins or answers) or archive it (hidden from the list)."""
    workshop = own_session(session_key)
    action = request.form.get("action", "")
    try:
        services.change_status(db.session(), workshop, action)
        live.forget(workshop.public_id)
    except IllegalTransition:
        flash("Cette action n’est pas possible pour cette session.")
    else:
        flash("Session fermée." if action == "close" else "Session archivée.")
    if action == "archive":
        return redirect(url_for(".sessions"), code=303)
    return redirect(url_for(".dashboard", session_key=workshop.public_id), code=303)


@bp.get("/sessions/<session_key>/etat")
@facilitator_required
def facilitator_state(session_key: str):
    """What the facilitator's pages poll: a fingerprint that changes with any activity."""
    workshop = own_session(session_key)
    activity = _activity(workshop)
    return live.state_response({"version": workshop.version, "activity": activity}, activity)


def _activity(workshop: Workshop) -> str:
    """A fingerprint of everything the facilitator's pages show: step, arrivals, answers
    (counted, not loaded: a room may hold a thousand)."""
    dbs = db.session()
    people = services.count_participants(dbs, workshop)
    return f"{workshop.version}-{people}-{services.count_all_answers(dbs, workshop)}"


@bp.get("/sessions/<session_key>/resultats.csv")
@facilitator_required
def results_csv(session_key: str):
    """Per-participant results as CSV (UTF-8 with BOM, semicolons, French headers)."""
    workshop = own_session(session_key)
    attempt = session_attempt(workshop)
    rows = [ParticipantRow(p.id, p.name, p.joined_at) for p in workshop.participants]
    answers = services.answers_of(db.session(), workshop)
    text = participants_csv(asked_items(workshop, attempt), rows, answers)
    return _csv(text, f"atelier-{workshop.code}-participants.csv")


@bp.get("/sessions/<session_key>/questions.csv")
@facilitator_required
def questions_csv_view(session_key: str):
    """Per-question statistics as CSV."""
    workshop = own_session(session_key)
    attempt = session_attempt(workshop)
    asked = asked_items(workshop, attempt)
    stats = item_statistics(asked, services.answers_of(db.session(), workshop))
    return _csv(questions_csv(stats), f"atelier-{workshop.code}-questions.csv")


def _csv(text: str, filename: str) -> Response:
    return Response(
        text.encode("utf-8"),
        mimetype="text/csv",
        headers={
            "Content-Type": "text/csv; charset=utf-8",
            "Content-Disposition": f'attachment; filename="{filename}"',
        },
    )


@bp.get("/sessions/<session_key>/synthese")
@facilitator_required
def summary(session_key: str):
    """A printable summary: item analysis and results."""
    workshop = own_session(session_key)
    attempt = session_attempt(workshop)
    return render_template(
        "workshop/summary.html",
        workshop=workshop,
        attempt=attempt,
        right_answer=correct_answer_label,
        **results(workshop, attempt),
        **labels(),
    )
