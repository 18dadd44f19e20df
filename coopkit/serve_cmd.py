"""``coopkit serve``: run the web app (its own SQLite file upgraded first)."""

from __future__ import annotations

import ipaddress
from pathlib import Path

import click

from coopkit.common import ROOT_OPTION, exit_with_problems
from coopkit.db_cmd import upgrade_embedded
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
    """Run the app (SQLite in instance/, upgraded first, unless DATABASE_URL is set)."""
    from webapp import create_app

    config = {"COURSE_ROOT": str(root.resolve())}
    if is_loopback(host):
        # Plain HTTP on this machine only: a Secure cookie would never come back.
        config["SESSION_COOKIE_SECURE"] = False
    try:
        app = create_app(config)
    except ContentErrors as exc:
        exit_with_problems(exc)
    upgrade_embedded(app)
    click.echo(f"coopkit: http://{host}:{port}/ (Ctrl+C to stop)")
    try:
        app.run(host=host, port=port, threaded=True, use_reloader=False)
    finally:
        app.extensions["coopkit.db"].close()
