"""``coopkit db upgrade``: apply the database migrations, once per release."""

from __future__ import annotations

from pathlib import Path

import click

from coopkit.common import ROOT_OPTION, exit_with_problems
from course import ContentErrors


@click.group("db")
def db_group() -> None:
    """The web app's database (SQLite in instance/, or DATABASE_URL)."""


@db_group.command("upgrade")
@ROOT_OPTION
def upgrade(root: Path) -> None:
    """Apply every migration not yet applied (a release step, before the workers start)."""
    from webapp import create_app, db

    try:
        app = create_app({"COURSE_ROOT": str(root.resolve())})
    except ContentErrors as exc:
        exit_with_problems(exc)
    database = db.database(app)
    try:
        db.upgrade(database.engine)
    finally:
        database.close()
    click.echo(f"Database up to date: {database.engine.url.render_as_string()}")


def upgrade_embedded(app) -> None:
    """Apply the migrations to the app's SQLite file, so one command serves a fresh checkout.

    A PostgreSQL database is upgraded by the release step (``coopkit db upgrade``), never
    by a process that serves.
    """
    from webapp import db

    if db.is_embedded(app):
        db.upgrade(db.database(app).engine)
