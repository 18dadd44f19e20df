"""Alembic environment: the connection comes from ``webapp.db.upgrade`` (no alembic.ini)."""

from alembic import context

from webapp.models import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",  # SQLite cannot ALTER most things
)
with context.begin_transaction():
    context.run_migrations()
