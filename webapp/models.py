"""What the app stores: anonymous learners, the slides they read and their quiz attempts."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> datetime:
    """The current time in UTC (stored without time zone, read as UTC)."""
    return datetime.now(UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    """Base of every table; Alembic migrations follow its metadata."""


class Learner(Base):
    """An anonymous learner, known by a random id kept in a signed cookie."""

    __tablename__ = "learner"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    display_name: Mapped[str | None] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    attempts: Mapped[list[Attempt]] = relationship(back_populates="learner")


class SlideView(Base):
    """A slide a learner has read (once per slide), for the progress shown on the home page."""

    __tablename__ = "slide_view"
    __table_args__ = (UniqueConstraint("learner_id", "slide_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[str] = mapped_column(ForeignKey("learner.id", ondelete="CASCADE"))
    module_id: Mapped[str] = mapped_column(String(64), index=True)
    slide_id: Mapped[str] = mapped_column(String(64))
    seen_at: Mapped[datetime] = mapped_column(default=utcnow)


class Attempt(Base):
    """One graded quiz attempt: the seed that drew its questions, the score and the time."""

    __tablename__ = "attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[str] = mapped_column(
        ForeignKey("learner.id", ondelete="CASCADE"), index=True
    )
    quiz_id: Mapped[str] = mapped_column(String(64), index=True)
    seed: Mapped[int]
    score: Mapped[float] = mapped_column(Float)
    maximum: Mapped[float] = mapped_column(Float)
    percent: Mapped[float] = mapped_column(Float)
    passed: Mapped[bool]
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)

    learner: Mapped[Learner] = relationship(back_populates="attempts")
    answers: Mapped[list[Answer]] = relationship(
        back_populates="attempt", cascade="all, delete-orphan", order_by="Answer.position"
    )


class Answer(Base):
    """The learner's response to one item of an attempt, and the points it earned."""

    __tablename__ = "answer"

    id: Mapped[int] = mapped_column(primary_key=True)
    attempt_id: Mapped[int] = mapped_column(
        ForeignKey("attempt.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int]
    item_key: Mapped[str] = mapped_column(String(16))
    question_id: Mapped[str] = mapped_column(String(80))
    response: Mapped[Any] = mapped_column(JSON, nullable=True)  # None: unanswered
    score: Mapped[float] = mapped_column(Float)
    maximum: Mapped[float] = mapped_column(Float)
    correct: Mapped[bool]

    attempt: Mapped[Attempt] = relationship(back_populates="answers")
