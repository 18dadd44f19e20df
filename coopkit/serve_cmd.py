"""``coopkit serve``: apply the database migrations, then run the web app."""

from __future__ import annotations

import ipaddress
from pathlib import Path

import click

from coopkit.common import ROOT_OPTION, exit_with_problems
from course import ContentErrors


def is_loopback(host: str) -> bool:
    """True for addresses only this machine can reach (127.0.0.1, ::1, localhost)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
@ROOT_OPTION
def serve(host: str, port: int, root: Path) -> None:
    """Apply migrations, then run the app (SQLite in instance/ unless DATABASE_URL is set)."""
    from webapp import create_app, serving

    config = {"COURSE_ROOT": str(root.resolve())}
    if is_loopback(host):
        # Plain HTTP on this machine only: a Secure cookie would never come back.
        config["SESSION_COOKIE_SECURE"] = False
    try:
        app = serving(create_app(config))  # applies pending migrations
    except ContentErrors as exc:
        exit_with_problems(exc)
    click.echo(f"coopkit: http://{host}:{port}/ (Ctrl+C to stop)")
    try:
        app.run(host=host, port=port, threaded=True, use_reloader=False)
    finally:
        app.extensions["coopkit.db"].close()
