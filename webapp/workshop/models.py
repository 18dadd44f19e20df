"""What workshop mode stores: facilitators, sessions, participants, answers, join failures.

The tables share the web app's ``Base`` (one metadata, one migration history).
Two constraints carry the integrity rules, so they hold across gunicorn workers:
a join code is unique among *open* sessions (a partial unique index), and a
participant has at most one answer per question (a unique constraint that the
insert-or-ignore in ``services.record_answer`` relies on).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    JSON,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.models import Base, utcnow
from webapp.workshop.codes import new_public_id
from webapp.workshop.state import LiveState, Pace, Phase, Status

OPEN_ONLY = text("status = 'open'")


class Facilitator(Base):
    """A person who runs workshops: an e-mail and a password hash (scrypt)."""

    __tablename__ = "workshop_facilitator"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    sessions: Mapped[list[Workshop]] = relationship(back_populates="facilitator")


class FacilitatorLogin(Base):
    """One browser's login: ended by logging out, by a password change, or by idleness.

    The browser's cookie holds a random token; only its SHA-256 is stored, so a copy of the
    database opens no login.
    """

    __tablename__ = "workshop_login"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    facilitator_id: Mapped[int] = mapped_column(
        ForeignKey("workshop_facilitator.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)

    facilitator: Mapped[Facilitator] = relationship()


class Workshop(Base):
    """A workshop session (« session » to people): a quiz with a fixed seed, a join code, a
    status and the live quiz's state. Named apart from Flask's and SQLAlchemy's sessions."""

    __tablename__ = "workshop_session"
    __table_args__ = (
        Index(
            "ix_workshop_session_open_code",
            "code",
            unique=True,
            sqlite_where=OPEN_ONLY,
            postgresql_where=OPEN_ONLY,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # What addresses show instead of ``id`` (webapp.workshop.codes.new_public_id).
    public_id: Mapped[str] = mapped_column(String(32), unique=True, default=new_public_id)
    facilitator_id: Mapped[int] = mapped_column(
        ForeignKey("workshop_facilitator.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(120))
    code: Mapped[str] = mapped_column(String(6))
    quiz_id: Mapped[str] = mapped_column(String(64))
    seed: Mapped[int] = mapped_column(Integer)
    pace: Mapped[str] = mapped_column(String(8), default=Pace.LIVE.value)
    leaderboard: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(10), default=Status.OPEN.value)
    phase: Mapped[str] = mapped_column(String(10), default=Phase.LOBBY.value)
    current_index: Mapped[int | None] = mapped_column(Integer)
    # Bumped on every change participants should see; pages poll it to know when to refresh.
    version: Mapped[int] = mapped_column(Integer, default=0)
    # Seconds each live question stays open (None: until the facilitator closes it).
    timer_seconds: Mapped[int | None] = mapped_column(Integer)
    # How many questions the live quiz has opened: an early end rates only those.
    asked: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # When the current live question opened (its timer runs from there).
    asked_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]

    facilitator: Mapped[Facilitator] = relationship(back_populates="sessions")
    participants: Mapped[list[Participant]] = relationship(
        back_populates="workshop", cascade="all, delete-orphan", order_by="Participant.joined_at"
    )

    @property
    def live(self) -> LiveState:
        """The live quiz's state as the pure state machine sees it."""
        return LiveState(Phase(self.phase), self.current_index)

    def asked_count(self, count: int) -> int:
        """How many of the ``count`` questions were put to the room: all of them in a
        self-paced session, those the facilitator opened in a live one."""
        return count if self.pace == Pace.SELF else min(self.asked or 0, count)

    @property
    def deadline(self) -> datetime | None:
        """When the open live question's timer runs out (None without a timer)."""
        if not self.timer_seconds or self.asked_at is None or self.phase != Phase.ASKING:
            return None
        return self.asked_at + timedelta(seconds=self.timer_seconds)

    @property
    def is_open(self) -> bool:
        """True while people can join and answer."""
        return self.status == Status.OPEN


class Participant(Base):
    """Someone who joined a session with a display name; no account, known by a secret token."""

    __tablename__ = "workshop_participant"
    __table_args__ = (UniqueConstraint("session_id", "name_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("workshop_session.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(40))
    # The name as compared for uniqueness: « Zoé » and « zoe » are the same person on a board.
    name_key: Mapped[str] = mapped_column(String(40))
    token: Mapped[str] = mapped_column(String(64), unique=True)
    joined_at: Mapped[datetime] = mapped_column(default=utcnow)

    workshop: Mapped[Workshop] = relationship(back_populates="participants")


class WorkshopAnswer(Base):
    """A participant's one stored answer to one question of a session (the first one sent)."""

    __tablename__ = "workshop_answer"
    __table_args__ = (UniqueConstraint("session_id", "participant_id", "item_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("workshop_session.id", ondelete="CASCADE"), index=True
    )
    participant_id: Mapped[int] = mapped_column(
        ForeignKey("workshop_participant.id", ondelete="CASCADE"), index=True
    )
    item_key: Mapped[str] = mapped_column(String(16))
    question_id: Mapped[str] = mapped_column(String(80))
    response: Mapped[Any] = mapped_column(JSON)
    score: Mapped[float]
    maximum: Mapped[float]
    correct: Mapped[bool]
    answered_at: Mapped[datetime] = mapped_column(default=utcnow)


class JoinFailure(Base):
    """Failed join (or login) attempts of one client in one time window: the rate limit."""

    __tablename__ = "workshop_join_failure"

    client: Mapped[str] = mapped_column(String(80), primary_key=True)
    window_start: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    failures: Mapped[int] = mapped_column(Integer, default=0)
