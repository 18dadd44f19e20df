"""``coopkit facilitator add EMAIL``: create a workshop facilitator account."""

from __future__ import annotations

from pathlib import Path

import click

from coopkit.common import ROOT_OPTION, exit_with_problems
from coopkit.db_cmd import upgrade_embedded
from course import ContentErrors


@click.group()
def facilitator() -> None:
    """Manage the accounts of workshop facilitators."""


@facilitator.command("add")
@click.argument("email")
@ROOT_OPTION
@click.password_option(
    "--password",
    prompt="Password",
    help="Prompted for (twice, hidden) when not given; prefer the prompt to the option.",
)
def add(email: str, root: Path, password: str) -> None:
    """Create a facilitator account; the password is hashed with scrypt, never stored."""
    from webapp import create_app, db
    from webapp.workshop import services

    try:
        app = create_app({"COURSE_ROOT": str(root.resolve())})
    except ContentErrors as exc:
        exit_with_problems(exc)
    upgrade_embedded(app)
    try:
        with app.app_context():
            account = services.add_facilitator(db.session(), email, password)
            click.echo(f"Facilitator account created: {account.email}")
    except services.WorkshopError as error:
        raise click.ClickException(str(error)) from None
    finally:
        app.extensions["coopkit.db"].close()
