"""The live room: an optional timer per question, and how many questions were asked.

Revision ID: 0005_live_room
Revises: 0004_facilitator_logins
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_live_room"
down_revision = "0004_facilitator_logins"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("workshop_session") as table:
        table.add_column(sa.Column("timer_seconds", sa.Integer(), nullable=True))
        table.add_column(sa.Column("asked", sa.Integer(), nullable=False, server_default="0"))
        table.add_column(sa.Column("asked_at", sa.DateTime(), nullable=True))
    # Sessions that ran before: one under way asked the questions up to its current one; a
    # finished one is taken to have asked them all (how far it went was not kept).
    op.execute(
        "UPDATE workshop_session SET asked = CASE WHEN phase = 'finished' THEN 1000 "
        "ELSE COALESCE(current_index + 1, 0) END"
    )


def downgrade() -> None:
    with op.batch_alter_table("workshop_session") as table:
        table.drop_column("asked_at")
        table.drop_column("asked")
        table.drop_column("timer_seconds")
