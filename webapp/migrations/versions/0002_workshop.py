"""Workshop mode: facilitators, sessions, participants, answers and join failures.

Revision ID: 0002_workshop
Revises: 0001
Create Date: 2026-11-23
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_workshop"
down_revision = "0001"
branch_labels = None
depends_on = None

OPEN_ONLY = sa.text("status = 'open'")


def upgrade() -> None:
    op.create_table(
        "workshop_facilitator",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("email", sa.String(254), nullable=False, unique=True),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
    )
    op.create_table(
        "workshop_session",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "facilitator_id",
            sa.Integer(),
            sa.ForeignKey("workshop_facilitator.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("title", sa.String(120), nullable=False),
        sa.Column("code", sa.String(6), nullable=False),
        sa.Column("quiz_id", sa.String(64), nullable=False),
        sa.Column("seed", sa.Integer(), nullable=False),
        sa.Column("pace", sa.String(8), nullable=False),
        sa.Column("leaderboard", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("phase", sa.String(10), nullable=False),
        sa.Column("current_index", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
    )
    op.create_index("ix_workshop_session_facilitator_id", "workshop_session", ["facilitator_id"])
    op.create_index(
        "ix_workshop_session_open_code",
        "workshop_session",
        ["code"],
        unique=True,
        sqlite_where=OPEN_ONLY,
        postgresql_where=OPEN_ONLY,
    )
    op.create_table(
        "workshop_participant",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "session_id",
            sa.Integer(),
            sa.ForeignKey("workshop_session.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("name", sa.String(40), nullable=False),
        sa.Column("name_key", sa.String(40), nullable=False),
        sa.Column("token", sa.String(64), nullable=False, unique=True),
        sa.Column("joined_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("session_id", "name_key"),
    )
    op.create_index("ix_workshop_participant_session_id", "workshop_participant", ["session_id"])
    op.create_table(
        "workshop_answer",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "session_id",
            sa.Integer(),
            sa.ForeignKey("workshop_session.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column(
            "participant_id",
            sa.Integer(),
            sa.ForeignKey("workshop_participant.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("item_key", sa.String(16), nullable=False),
        sa.Column("question_id", sa.String(80), nullable=False),
        sa.Column("response", sa.JSON(), nullable=True),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("maximum", sa.Float(), nullable=False),
        sa.Column("correct", sa.Boolean(), nullable=False),
        sa.Column("answered_at", sa.DateTime(), nullable=False),
        sa.UniqueConstraint("session_id", "participant_id", "item_key"),
    )
    op.create_index("ix_workshop_answer_session_id", "workshop_answer", ["session_id"])
    op.create_index("ix_workshop_answer_participant_id", "workshop_answer", ["participant_id"])
    op.create_table(
        "workshop_join_failure",
        sa.Column("client", sa.String(80), primary_key=True),
        sa.Column("window_start", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("failures", sa.Integer(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("workshop_join_failure")
    op.drop_table("workshop_answer")
    op.drop_table("workshop_participant")
    op.drop_table("workshop_session")
    op.drop_table("workshop_facilitator")
