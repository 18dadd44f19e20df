"""Facilitator logins kept on the server, so logging out ends them (``workshop_login``).

Revision ID: 0004_facilitator_logins
Revises: 0003_session_keys
Create Date: 2026-12-03
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_facilitator_logins"
down_revision = "0003_session_keys"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "workshop_login",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
        sa.Column(
            "facilitator_id",
            sa.Integer(),
            sa.ForeignKey("workshop_facilitator.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(), nullable=False),
    )
    op.create_index("ix_workshop_login_facilitator_id", "workshop_login", ["facilitator_id"])


def downgrade() -> None:
    op.drop_index("ix_workshop_login_facilitator_id", "workshop_login")
    op.drop_table("workshop_login")
