"""Workshop operations on the database: accounts, sessions, joining, answering, moving on.

Each function takes the SQLAlchemy session explicitly and makes its change in one write
transaction (``webapp.db.transaction``), so routes stay thin and the rules (one answer
per question, answers only while a question is open, one transition at a time) live in
one place and in SQL.
"""

from __future__ import annotations

import gzip
import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta
from functools import cache
from importlib import resources

from sqlalchemy import and_, delete, exists, func, literal, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.types import JSON, Boolean, DateTime, Float, Integer, String
from werkzeug.security import check_password_hash, generate_password_hash

from course.attempts import Draw, Item
from course.grading import grade
from course.grading import normalise_text as _fold
from webapp.db import insert, transaction
from webapp.models import utcnow
from webapp.workshop.analysis import StoredAnswer
from webapp.workshop.codes import new_code
from webapp.workshop.models import (
    Facilitator,
    FacilitatorLogin,
    Participant,
    Workshop,
    WorkshopAnswer,
)
from webapp.workshop.state import IllegalTransition, Pace, Phase, Status, advance, next_status

MIN_PASSWORD_LENGTH = 10
MIN_TIMER, MAX_TIMER = 5, 600
# An answer sent as the timer runs out is still taken if it arrives this late (the phone's
# clock and the network): the room sees the countdown end, not the server's.
TIMER_GRACE = timedelta(seconds=2)
MAX_NAME_LENGTH = 40
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@cache
def _dummy_hash() -> str:
    """Checked against when the e-mail is unknown, so a login takes as long either way.

    Made on the first failed login, not at import: scrypt takes 32 MB and 0.1 s, which
    every worker would otherwise pay at start-up.
    """
    return generate_password_hash("not a password of anyone")


class WorkshopError(ValueError):
    """A refusal to show the person, in French."""


class WrongPassword(WorkshopError):
    """The current password given to change it is wrong (counted by the rate limit)."""


class Conflict(WorkshopError):
    """The workshop changed meanwhile (another tab or facilitator moved it on)."""


# --- Facilitator accounts -----------------------------------------------------------


def normalise_email(email: str) -> str:
    """The e-mail as stored and compared: trimmed, lower-case."""
    return email.strip().lower()


@cache
def common_passwords() -> frozenset[str]:
    """The 20,000 common passwords Django ships (common-passwords.LICENSE.txt), read once."""
    packed = resources.files("webapp.workshop").joinpath("common-passwords.txt.gz").read_bytes()
    return frozenset(gzip.decompress(packed).decode("utf-8").split())


def _letters_and_digits(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", _fold(text))


def password_problem(password: str, email: str = "") -> str | None:
    """Why a new password is refused, or None when it is acceptable."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Le mot de passe doit compter au moins {MIN_PASSWORD_LENGTH} caractères."
    if len(password) > 200:
        return "Le mot de passe ne peut dépasser 200 caractères."
    if password.strip().lower() in common_passwords():
        return (
            "Ce mot de passe figure parmi les plus courants : ils sont essayés en premier. "
            "Choisissez-en un autre, par exemple une phrase de quelques mots."
        )
    folded = _letters_and_digits(password)
    email = normalise_email(email)
    parts = {email, email.split("@")[0], *re.split(r"[@._+-]", email)}
    if any(len(p) >= 4 and _letters_and_digits(p) in folded for p in parts if p) or (
        folded and folded in _letters_and_digits(email)
    ):
        return "Le mot de passe ne doit pas reprendre l’adresse électronique."
    return None


def add_facilitator(db: Session, email: str, password: str) -> Facilitator:
    """Create a facilitator account (password hashed with scrypt)."""
    email = normalise_email(email)
    if not _EMAIL.match(email) or len(email) > 254:
        raise WorkshopError(f"« {email} » n’est pas une adresse électronique valide.")
    problem = password_problem(password, email)
    if problem:
        raise WorkshopError(problem)
    if db.scalar(select(Facilitator).where(Facilitator.email == email)):
        raise WorkshopError(f"Un compte existe déjà pour {email}.")
    facilitator = Facilitator(email=email, password_hash=generate_password_hash(password))
    with transaction(db):
        db.add(facilitator)
    return facilitator


def authenticate(db: Session, email: str, password: str) -> Facilitator | None:
    """The facilitator with this e-mail and password, or None."""
    facilitator = db.scalar(select(Facilitator).where(Facilitator.email == normalise_email(email)))
    if facilitator is None:
        check_password_hash(_dummy_hash(), password)
        return None
    return facilitator if check_password_hash(facilitator.password_hash, password) else None


def change_password(db: Session, facilitator: Facilitator, current: str, new: str) -> str:
    """Replace the password after checking the current one; every login of the account ends,
    and the token of a new one (for the browser that made the change) is returned."""
    if not check_password_hash(facilitator.password_hash, current):
        raise WrongPassword("Le mot de passe actuel est incorrect.")
    problem = password_problem(new, facilitator.email)
    if problem:
        raise WorkshopError(problem)
    new_hash = generate_password_hash(new)
    token = secrets.token_urlsafe(32)
    with transaction(db):
        facilitator.password_hash = new_hash
        db.execute(
            delete(FacilitatorLogin).where(FacilitatorLogin.facilitator_id == facilitator.id)
        )
        db.add(FacilitatorLogin(token_hash=_token_hash(token), facilitator_id=facilitator.id))
    return token


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_login(db: Session, facilitator: Facilitator) -> str:
    """A new login for one browser: the token its cookie keeps."""
    token = secrets.token_urlsafe(32)
    with transaction(db):
        db.add(FacilitatorLogin(token_hash=_token_hash(token), facilitator_id=facilitator.id))
    return token


# A login's last use is written at most this often: not a write on every page.
SEEN_EVERY = timedelta(minutes=5)


def facilitator_of_login(db: Session, token: object, idle: timedelta) -> Facilitator | None:
    """The facilitator of the login ``token`` opens, unless it ended or was idle too long."""
    if not isinstance(token, str) or not token:
        return None
    login = db.scalar(
        select(FacilitatorLogin).where(FacilitatorLogin.token_hash == _token_hash(token))
    )
    if login is None:
        return None
    now = utcnow()
    if now - login.last_seen_at > idle:
        end_login(db, token)
        return None
    if now - login.last_seen_at > SEEN_EVERY:
        with transaction(db):
            login.last_seen_at = now
    return login.facilitator


def end_login(db: Session, token: object) -> None:
    """End the login ``token`` opens (logging out): the cookie opens nothing any more."""
    if isinstance(token, str) and token:
        with transaction(db):
            db.execute(
                delete(FacilitatorLogin).where(FacilitatorLogin.token_hash == _token_hash(token))
            )


# --- Sessions ---------------------------------------------------------------------------


def open_session(
    db: Session,
    facilitator: Facilitator,
    quiz_id: str,
    title: str,
    pace: Pace = Pace.LIVE,
    leaderboard: bool = False,
    timer_seconds: int | None = None,
) -> Workshop:
    """Open a workshop with a fresh join code (unique among open sessions) and a fixed seed;
    ``timer_seconds``: how long each live question stays open (None: until closed)."""
    if timer_seconds is not None and not MIN_TIMER <= timer_seconds <= MAX_TIMER:
        raise WorkshopError(f"La minuterie va de {MIN_TIMER} à {MAX_TIMER} secondes.")
    seed = secrets.randbelow(2**31)
    for _ in range(20):
        workshop = Workshop(
            facilitator_id=facilitator.id,
            title=title.strip()[:120],
            code=new_code(),
            quiz_id=quiz_id,
            seed=seed,
            pace=pace.value,
            leaderboard=leaderboard,
            timer_seconds=timer_seconds if pace == Pace.LIVE else None,
            status=Status.OPEN.value,
            phase=Phase.LOBBY.value,
            version=0,
        )
        try:
            with transaction(db):
                db.add(workshop)
        except IntegrityError:  # the code is taken by another open workshop: draw again
            continue
        return workshop
    raise WorkshopError("Impossible d’attribuer un code de session. Réessayez.")


def workshop_by_key(db: Session, public_id: str) -> Workshop | None:
    """The session whose address carries ``public_id``, or None."""
    return db.scalar(select(Workshop).where(Workshop.public_id == public_id))


def open_session_by_code(db: Session, code: str) -> Workshop | None:
    """The open workshop with this join code, if any."""
    return db.scalar(
        select(Workshop).where(Workshop.code == code, Workshop.status == Status.OPEN.value)
    )


def change_status(db: Session, workshop: Workshop, action: str) -> None:
    """Close or archive a workshop."""
    status = next_status(Status(workshop.status), action).value
    with transaction(db):
        workshop.status = status
        if workshop.closed_at is None:
            workshop.closed_at = utcnow()
        workshop.version += 1


def move_live(
    db: Session,
    workshop: Workshop,
    action: str,
    count: int,
    seen_version: int | None = None,
) -> None:
    """Apply a facilitator's live action to the state they saw (``seen_version``).

    Optimistic lock: two clicks on « next » (two tabs, a double click) must not skip a
    question, so the update only applies if nobody moved the workshop on meanwhile.
    """
    if not workshop.is_open:
        raise IllegalTransition("the session is not open")
    version = workshop.version if seen_version is None else seen_version
    if version != workshop.version:
        raise Conflict("La session a changé entre-temps : voici son état actuel.")
    target = advance(workshop.live, action, count)
    values = {"phase": target.phase.value, "current_index": target.index, "version": version + 1}
    if target.phase is Phase.ASKING and target.index is not None:  # a question opens
        values.update(asked=max(workshop.asked or 0, target.index + 1), asked_at=utcnow())
    with transaction(db):
        result = db.execute(
            update(Workshop)
            .where(Workshop.id == workshop.id, Workshop.version == version)
            .values(**values)
        )
    if result.rowcount != 1:
        raise Conflict("La session a changé entre-temps : voici son état actuel.")
    db.refresh(workshop)


# --- Participants ------------------------------------------------------------------------


def name_key(name: str) -> str:
    """A display name as compared for uniqueness (case and accents ignored)."""
    return _fold(name)[:MAX_NAME_LENGTH]


def clean_name(name: str) -> str:
    """A display name trimmed, with inner whitespace collapsed and control characters removed."""
    printable = "".join(c for c in name if c.isprintable())
    return " ".join(printable.split())[:MAX_NAME_LENGTH]


def join(db: Session, workshop: Workshop, name: str) -> Participant:
    """Add a participant with a secret token; refuse a name already taken in the workshop."""
    name = clean_name(name)
    if not name:
        raise WorkshopError("Indiquez un nom à afficher.")
    participant = Participant(
        session_id=workshop.id, name=name, name_key=name_key(name), token=secrets.token_hex(16)
    )
    try:
        with transaction(db):
            db.add(participant)
    except IntegrityError:
        raise WorkshopError(
            f"Le nom « {name} » est déjà pris dans cette session : choisissez-en un autre."
        ) from None
    return participant


def participant_by_token(db: Session, session_id: int, token: str | None) -> Participant | None:
    """The participant of this workshop holding ``token``, if any."""
    if not token:
        return None
    return db.scalar(
        select(Participant).where(Participant.session_id == session_id, Participant.token == token)
    )


# --- Answers --------------------------------------------------------------------------------


@dataclass(frozen=True)
class AnswerOutcome:
    """What happened to a submitted answer."""

    stored: bool  # False: an answer was already stored (the first one counts)
    answer: WorkshopAnswer


def record_answer(
    db: Session,
    workshop: Workshop,
    participant: Participant,
    index: int,
    item: Item,
    response: object,
) -> AnswerOutcome:
    """Store a participant's answer to question ``index`` if it may still be answered.

    The rule: the first answer counts. The insert is one statement guarded by the
    session's state and the unique constraint, so a double submit, a second worker or
    the facilitator closing the question at the same moment cannot store two answers
    or a late one. Raises ``WorkshopError`` when the question is not open.
    """
    result = grade(item.question, response)  # InvalidResponse for a forged submission
    deadline = workshop.deadline
    if deadline is not None and utcnow() > deadline + TIMER_GRACE:
        raise WorkshopError("Le temps est écoulé : votre réponse n’a pas été enregistrée.")
    values = {
        "session_id": literal(workshop.id, Integer),
        "participant_id": literal(participant.id, Integer),
        "item_key": literal(item.key, String),
        "question_id": literal(item.question.id, String),
        "response": literal(response, JSON),
        "score": literal(result.score, Float),
        "maximum": literal(result.maximum, Float),
        "correct": literal(result.correct, Boolean),
        "answered_at": literal(utcnow(), DateTime),
    }
    open_now = exists().where(Workshop.id == workshop.id, _accepting(index))
    statement = (
        insert(db, WorkshopAnswer)
        .from_select(list(values), select(*values.values()).where(open_now))
        .on_conflict_do_nothing(index_elements=["session_id", "participant_id", "item_key"])
        .returning(WorkshopAnswer.id)
    )
    # RETURNING, not rowcount: psycopg reports -1 for INSERT … SELECT through SQLAlchemy.
    with transaction(db):
        inserted = db.execute(statement).scalar() is not None
    existing = db.scalar(
        select(WorkshopAnswer).where(
            WorkshopAnswer.session_id == workshop.id,
            WorkshopAnswer.participant_id == participant.id,
            WorkshopAnswer.item_key == item.key,
        )
    )
    if existing is None:
        raise WorkshopError("Cette question est close : votre réponse n’a pas été enregistrée.")
    return AnswerOutcome(stored=inserted, answer=existing)


def _accepting(index: int):
    """SQL condition: the workshop is open and question ``index`` takes answers now."""
    return and_(
        Workshop.status == Status.OPEN.value,
        (Workshop.pace == Pace.SELF.value)
        | and_(
            Workshop.phase == Phase.ASKING.value,
            Workshop.current_index == index,
        ),
    )


def answers_of(db: Session, workshop: Workshop) -> list[StoredAnswer]:
    """Every stored answer of a workshop, for the analysis functions."""
    rows = db.scalars(
        select(WorkshopAnswer)
        .where(WorkshopAnswer.session_id == workshop.id)
        .order_by(WorkshopAnswer.id)
    )
    return [
        StoredAnswer(a.participant_id, a.item_key, a.response, a.score, a.maximum) for a in rows
    ]


def answers_of_participant(db: Session, participant: Participant) -> dict[str, WorkshopAnswer]:
    """A participant's own answers by item key (never anyone else's)."""
    rows = db.scalars(select(WorkshopAnswer).where(WorkshopAnswer.participant_id == participant.id))
    return {a.item_key: a for a in rows}


def count_answers(db: Session, workshop: Workshop, item_key: str) -> int:
    """How many participants answered this item."""
    return db.scalar(
        select(func.count())
        .select_from(WorkshopAnswer)
        .where(WorkshopAnswer.session_id == workshop.id, WorkshopAnswer.item_key == item_key)
    )


def count_participants(db: Session, workshop: Workshop) -> int:
    """How many participants joined (counted, not loaded: a room may hold a thousand)."""
    return db.scalar(
        select(func.count()).select_from(Participant).where(Participant.session_id == workshop.id)
    )


def count_all_answers(db: Session, workshop: Workshop) -> int:
    """How many answers the workshop holds (all questions)."""
    return db.scalar(
        select(func.count())
        .select_from(WorkshopAnswer)
        .where(WorkshopAnswer.session_id == workshop.id)
    )


def item_at(attempt: Draw, index: int | None) -> Item | None:
    """The item at ``index`` of an attempt, or None."""
    if index is None or not 0 <= index < len(attempt.items):
        return None
    return attempt.items[index]
