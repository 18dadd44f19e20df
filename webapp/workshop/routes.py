"""Workshop pages: facilitators run sessions, participants join with a code and answer."""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlsplit

import segno
from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from markupsafe import Markup
from wtforms import SelectChoice

from course.attempts import Attempt, UnknownQuiz
from course.grading import InvalidResponse, format_number
from webapp import db
from webapp.content import current_course, drawn
from webapp.security import BadSubmission
from webapp.workshop import ratelimit, services
from webapp.workshop.analysis import (
    correct_answer_label,
    distribution,
    item_statistics,
    response_label,
    standings,
)
from webapp.workshop.codes import display_code, normalise_code
from webapp.workshop.export import ParticipantRow, participants_csv, questions_csv
from webapp.workshop.forms import JoinForm, LoginForm, NewSessionForm, PasswordForm
from webapp.workshop.models import Facilitator, Participant, WorkshopSession
from webapp.workshop.responses import AnswerFormError, choice_letters, field, parse_response
from webapp.workshop.state import (
    PACE_LABELS,
    STATUS_LABELS,
    IllegalTransition,
    Pace,
    Phase,
    Status,
    allowed_actions,
)

bp = Blueprint("workshop", __name__)

FACILITATOR_KEY = "ws_facilitator"
PARTICIPANTS_KEY = "ws_participants"
REMEMBERED_SESSIONS = 20
LEADERBOARD_SIZE = 10
ACTION_LABELS = {
    "start": "Lancer la première question",
    "close": "Clore les réponses",
    "reveal": "Montrer la bonne réponse",
    "next": "Question suivante",
    "finish": "Terminer le quiz",
}
TOO_MANY = (
    "Trop de tentatives infructueuses depuis cet appareil. Patientez quelques minutes, "
    "puis vérifiez le code auprès de l’animateur."
)


@bp.app_template_global()
def workshop_field(item, position: int) -> str:
    """The name of a part's field in an answer form (``q3-1``)."""
    return field(item, position)


@bp.app_template_global()
def workshop_choice_letters(item) -> list[tuple[str, str, str]]:
    """(letter, choice id, text) of a choice question, in the order participants see them."""
    return choice_letters(item)


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


def session_attempt(workshop: WorkshopSession) -> Attempt:
    """The session's questions, drawn from its quiz and fixed seed (kept: ``drawn``)."""
    try:
        return drawn(workshop.quiz_id, workshop.seed)
    except (UnknownQuiz, ValueError):
        # The course changed since the session opened (quiz removed or too small).
        abort(404)


def client_budgets(purpose: str) -> dict[str, int]:
    """The rate-limit keys of this request and their budgets: its browser and its address."""
    browser = session.get("learner") or "aucun"  # the signed cookie every visitor gets
    address = request.remote_addr or "inconnue"
    return {
        f"{purpose}:navigateur:{browser}": ratelimit.PER_BROWSER,
        f"{purpose}:adresse:{address}": ratelimit.PER_ADDRESS,
    }


def qr_svg(url: str) -> Markup:
    """An inline SVG QR code for ``url`` (segno writes only paths, no text from the URL)."""
    code = segno.make(url, error="m")
    return Markup(code.svg_inline(border=2, dark="#111", light="#fff", omitsize=True))


def join_url(workshop: WorkshopSession) -> str:
    """The absolute address phones open to join this session."""
    return url_for("workshop.join", code=workshop.code, _external=True)


def _quiz_title(quiz_id: str) -> str:
    quiz = current_course().quizzes.get(quiz_id)
    return quiz.title if quiz else quiz_id


@bp.app_template_global("workshop_quiz_title")
def workshop_quiz_title(quiz_id: str) -> str:
    """The title of a session's quiz."""
    return _quiz_title(quiz_id)


# --- Facilitator authentication --------------------------------------------------------------


def current_facilitator() -> Facilitator | None:
    """The facilitator logged in on this browser, or None."""
    if "ws_facilitator" not in g:
        found = None
        stored = session.get(FACILITATOR_KEY)
        if isinstance(stored, list) and len(stored) == 2 and isinstance(stored[0], int):
            candidate = db.session().get(Facilitator, stored[0])
            if candidate is not None and services.login_stamp(candidate) == stored[1]:
                found = candidate
        g.ws_facilitator = found
    return g.ws_facilitator


def facilitator_required(view):
    """Refuse a view to anyone but a logged-in facilitator (sent to the login page)."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if current_facilitator() is None:
            flash("Connectez-vous pour accéder aux pages de l’animateur.")
            target = request.full_path if request.method == "GET" else None
            return redirect(url_for("workshop.login", next=target))
        return view(*args, **kwargs)

    return wrapped


def own_session(session_id: int) -> WorkshopSession:
    """A session of the logged-in facilitator; 404 for anyone else's (no hint it exists)."""
    workshop = db.session().get(WorkshopSession, session_id)
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
        clients = client_budgets("login")
        if ratelimit.is_blocked(dbs, clients):
            form.password.errors.append(TOO_MANY)
            status = 429
        else:
            facilitator = services.authenticate(dbs, form.email.data, form.password.data)
            if facilitator is None:
                ratelimit.record_failure(dbs, clients)
                form.password.errors.append("Adresse ou mot de passe incorrect.")
            else:
                session[FACILITATOR_KEY] = [facilitator.id, services.login_stamp(facilitator)]
                session.permanent = True
                return redirect(_safe_next(request.args.get("next")) or url_for(".sessions"))
    return render_template("workshop/login.html", form=form), status


@bp.post("/deconnexion")
def logout():
    """Log the facilitator out."""
    session.pop(FACILITATOR_KEY, None)
    flash("Vous êtes déconnecté.")
    return redirect(url_for(".login"))


@bp.route("/mot-de-passe", methods=["GET", "POST"])
@facilitator_required
def password():
    """Change the facilitator's password (other browsers are logged out)."""
    form = PasswordForm()
    facilitator = current_facilitator()
    if form.validate_on_submit():
        try:
            services.change_password(db.session(), facilitator, form.current.data, form.new.data)
        except services.WorkshopError as error:
            form.current.errors.append(str(error))
        else:
            session[FACILITATOR_KEY] = [facilitator.id, services.login_stamp(facilitator)]
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
        )
        flash(f"Session ouverte : code {display_code(workshop.code)}.")
        return redirect(url_for(".dashboard", session_id=workshop.id))
    mine = sorted(facilitator.sessions, key=lambda s: s.created_at, reverse=True)
    return render_template(
        "workshop/sessions.html",
        form=form,
        current=[s for s in mine if s.status != Status.ARCHIVED],
        archived=[s for s in mine if s.status == Status.ARCHIVED],
        **_labels(),
    )


def _labels() -> dict:
    return {
        "status_labels": STATUS_LABELS,
        "pace_labels": PACE_LABELS,
        "display_code": display_code,
    }


def _results(workshop: WorkshopSession, attempt: Attempt) -> dict:
    """Everything the dashboard, the summary and the projector's last screen show."""
    answers = services.answers_of(db.session(), workshop)
    people = [(p.id, p.name) for p in workshop.participants]
    maximum = sum(item.question.points for item in attempt.items)
    return {
        "answers": answers,
        "stats": item_statistics(attempt.items, answers),
        "table": standings(people, answers),
        "maximum": maximum,
    }


def _live_context(workshop: WorkshopSession, attempt: Attempt, answers: list) -> dict:
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
    if item is not None:
        given = [a for a in answers if a.key == item.key]
        context.update(
            answered=len(given),
            bars=distribution(item, given),
            right_answer=correct_answer_label(item.question),
            letters=choice_letters(item) if hasattr(item.question, "choices") else [],
        )
    return context


def _session_page(session_id: int, template: str):
    """A facilitator's page on one session: its join code, results and live state."""
    workshop = own_session(session_id)
    attempt = session_attempt(workshop)
    results = _results(workshop, attempt)
    return render_template(
        template,
        workshop=workshop,
        join_link=join_url(workshop),
        qr=qr_svg(join_url(workshop)),
        count=len(attempt.items),
        **results,
        **_live_context(workshop, attempt, results["answers"]),
        **_labels(),
    )


@bp.get("/sessions/<int:session_id>")
@facilitator_required
def dashboard(session_id: int):
    """The facilitator's view of a session: who joined, progress, item analysis, controls."""
    return _session_page(session_id, "workshop/dashboard.html")


@bp.get("/sessions/<int:session_id>/projection")
@facilitator_required
def projector(session_id: int):
    """The projector view: the current question large, the join code and QR code."""
    return _session_page(session_id, "workshop/projector.html")


@bp.post("/sessions/<int:session_id>/direct")
@facilitator_required
def live_action(session_id: int):
    """Move the live quiz on (start, close answers, reveal, next question, finish)."""
    workshop = own_session(session_id)
    attempt = session_attempt(workshop)
    action = request.form.get("action", "")
    try:
        seen = int(request.form.get("version", ""))
    except ValueError:
        raise BadSubmission("Le formulaire ne précise pas l’état de la session.") from None
    try:
        services.move_live(db.session(), workshop, action, len(attempt.items), seen)
    except services.Conflict as conflict:
        flash(str(conflict))
    except IllegalTransition:
        flash("Cette action n’est plus possible : voici l’état actuel de la session.")
    back = ".projector" if request.form.get("back") == "projection" else ".dashboard"
    return redirect(url_for(back, session_id=workshop.id), code=303)


@bp.post("/sessions/<int:session_id>/statut")
@facilitator_required
def change_status(session_id: int):
    """Close a session (no more joins or answers) or archive it (hidden from the list)."""
    workshop = own_session(session_id)
    action = request.form.get("action", "")
    try:
        services.change_status(db.session(), workshop, action)
    except IllegalTransition:
        flash("Cette action n’est pas possible pour cette session.")
    else:
        flash("Session fermée." if action == "close" else "Session archivée.")
    if action == "archive":
        return redirect(url_for(".sessions"), code=303)
    return redirect(url_for(".dashboard", session_id=workshop.id), code=303)


@bp.get("/sessions/<int:session_id>/etat")
@facilitator_required
def facilitator_state(session_id: int):
    """What the facilitator's pages poll: a fingerprint that changes with any activity."""
    workshop = own_session(session_id)
    dbs = db.session()
    answers = services.count_all_answers(dbs, workshop)
    activity = f"{workshop.version}-{len(workshop.participants)}-{answers}"
    return {"version": workshop.version, "activity": activity}


@bp.get("/sessions/<int:session_id>/resultats.csv")
@facilitator_required
def results_csv(session_id: int):
    """Per-participant results as CSV (UTF-8 with BOM, semicolons, French headers)."""
    workshop = own_session(session_id)
    attempt = session_attempt(workshop)
    rows = [ParticipantRow(p.id, p.name, p.joined_at) for p in workshop.participants]
    answers = services.answers_of(db.session(), workshop)
    text = participants_csv(attempt.items, rows, answers)
    return _csv(text, f"atelier-{workshop.code}-participants.csv")


@bp.get("/sessions/<int:session_id>/questions.csv")
@facilitator_required
def questions_csv_view(session_id: int):
    """Per-question statistics as CSV."""
    workshop = own_session(session_id)
    attempt = session_attempt(workshop)
    stats = item_statistics(attempt.items, services.answers_of(db.session(), workshop))
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


@bp.get("/sessions/<int:session_id>/synthese")
@facilitator_required
def summary(session_id: int):
    """A printable summary: item analysis and results."""
    workshop = own_session(session_id)
    attempt = session_attempt(workshop)
    return render_template(
        "workshop/summary.html",
        workshop=workshop,
        attempt=attempt,
        right_answer=correct_answer_label,
        **_results(workshop, attempt),
        **_labels(),
    )


# --- Participants ------------------------------------------------------------------------


def current_participant(workshop: WorkshopSession) -> Participant | None:
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
        clients = client_budgets("join")
        # Checked before the code is looked at: once blocked, guessing learns nothing.
        if ratelimit.is_blocked(dbs, clients):
            form.code.errors.append(TOO_MANY)
            status = 429
        else:
            code = normalise_code(form.code.data)
            workshop = services.open_session_by_code(dbs, code) if code else None
            if workshop is None:
                ratelimit.record_failure(dbs, clients)
                form.code.errors.append(
                    "Aucune session ouverte ne porte ce code. Vérifiez-le auprès de l’animateur."
                )
            elif current_participant(workshop) is not None:
                return redirect(url_for(".participate", session_id=workshop.id))
            else:
                try:
                    participant = services.join(dbs, workshop, form.name.data)
                except services.WorkshopError as error:
                    form.name.errors.append(str(error))
                else:
                    remember_participant(participant)
                    return redirect(url_for(".participate", session_id=workshop.id))
    return render_template("workshop/join.html", form=form), status


def _participant_or_redirect(session_id: int):
    workshop = db.session().get(WorkshopSession, session_id)
    if workshop is None:
        abort(404)
    participant = current_participant(workshop)
    return workshop, participant


@bp.get("/participer/<int:session_id>")
def participate(session_id: int):
    """A participant's phone: the open question, their own answer, the reveal, their score."""
    workshop, participant = _participant_or_redirect(session_id)
    if participant is None:
        flash("Rejoignez d’abord la session avec son code.")
        code = workshop.code if workshop.is_open else None
        return redirect(url_for(".join", code=code))
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
    if workshop.leaderboard and (
        workshop.phase == Phase.FINISHED
        or workshop.status != Status.OPEN
        or (workshop.pace == Pace.SELF and len(mine) == len(attempt.items))
    ):
        table = _results(workshop, attempt)["table"]
        context["mine_rank"] = next(s for s in table if s.participant_id == participant.id)
        context["table"] = table[:LEADERBOARD_SIZE]
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


def _self_paced(attempt: Attempt, mine: dict) -> dict:
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


def _is_blank(response: object) -> bool:
    return response is None or response in ("", [], {})


@bp.post("/participer/<int:session_id>/repondre")
def answer(session_id: int):
    """Store a participant's answer: the first one counts; a closed question refuses it."""
    workshop, participant = _participant_or_redirect(session_id)
    if participant is None:
        flash("Rejoignez d’abord la session avec son code.")
        return redirect(url_for(".join"), code=303)
    attempt = session_attempt(workshop)
    key = request.form.get("item", "")
    index = next((n for n, it in enumerate(attempt.items) if it.key == key), None)
    if index is None:
        raise BadSubmission("Cette question ne fait pas partie de la session.")
    item = attempt.items[index]
    back = url_for(".participate", session_id=workshop.id)
    try:
        response = parse_response(item, request.form)
    except AnswerFormError as mistake:
        flash(str(mistake))
        return redirect(back, code=303)
    except InvalidResponse:
        raise BadSubmission("Cette réponse ne correspond pas aux choix proposés.") from None
    if _is_blank(response):
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
        back = url_for(".participate", session_id=workshop.id, vu=item.key)
    return redirect(back, code=303)


@bp.get("/participer/<int:session_id>/etat")
def participant_state(session_id: int):
    """What a participant's phone polls: the session's version (changes on each step)."""
    workshop = db.session().get(WorkshopSession, session_id)
    if workshop is None:
        abort(404)
    return {"version": workshop.version, "activity": str(workshop.version)}
