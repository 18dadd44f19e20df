"""Workshop sessions get an unguessable key for their addresses (``public_id``).

Revision ID: 0003_session_keys
Revises: 0002_workshop
Create Date: 2026-12-03
"""

import secrets

import sqlalchemy as sa
from alembic import op

revision = "0003_session_keys"
down_revision = "0002_workshop"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("workshop_session") as batch:
        batch.add_column(sa.Column("public_id", sa.String(32), nullable=True))
    connection = op.get_bind()
    sessions = sa.table("workshop_session", sa.column("id"), sa.column("public_id"))
    for (session_id,) in connection.execute(sa.select(sessions.c.id)).all():
        connection.execute(
            sessions.update()
            .where(sessions.c.id == session_id)
            .values(public_id=secrets.token_urlsafe(16))
        )
    with op.batch_alter_table("workshop_session") as batch:
        batch.alter_column("public_id", existing_type=sa.String(32), nullable=False)
        batch.create_unique_constraint("uq_workshop_session_public_id", ["public_id"])


def downgrade() -> None:
    with op.batch_alter_table("workshop_session") as batch:
        batch.drop_constraint("uq_workshop_session_public_id", type_="unique")
        batch.drop_column("public_id")
