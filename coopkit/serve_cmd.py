"""``coopkit serve``: the web app on waitress, for this machine or for the phones of a room."""

from __future__ import annotations

import sys
from pathlib import Path

import click
import segno

from coopkit.common import ROOT_OPTION, exit_with_problems
from coopkit.db_cmd import upgrade_embedded
from coopkit.network import lan_addresses
from course import ContentErrors

# A live session of 100 phones polling every second or two keeps a few requests in flight;
# a thread waits out a SQLite writer's turn now and then. 8 threads held the room benchmark
# (docs/benchmarks.md); waitress's own default is 4.
ROOM_THREADS = 8
# Each phone keeps one or two connections open: waitress's default of 100 would make the
# 101st phone wait for another one's connection to time out.
CONNECTION_LIMIT = 1000

FIREWALL_HELP = """\
If phones cannot open it: they must be on the same Wi-Fi as this computer (or on its
hotspot), and the firewall must let port {port} in.
  Windows: answer "Allow access" (private networks) when Windows asks, or, in an
           administrator prompt:
    {netsh}
  macOS:   System Settings > Network > Firewall > Options: allow incoming connections
           for Python."""
NETSH = "netsh advfirewall firewall add rule name=coopkit dir=in action=allow protocol=TCP"


def base_url(host: str, port: int) -> str:
    """``http://host:port``, with IPv6 addresses in brackets."""
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


@click.command()
@click.option(
    "--host",
    default=None,
    help="Address to listen on.  [default: 127.0.0.1; with --room, every interface]",
)
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--room",
    is_flag=True,
    help="Serve the phones of the room: listen on every interface and give join links and "
    "QR codes the laptop's network address.",
)
@click.option(
    "--public-url",
    envvar="COOPKIT_PUBLIC_URL",
    help="The address participants open (join links, QR codes), e.g. https://atelier.example.org. "
    "[env: COOPKIT_PUBLIC_URL]",
)
@click.option(
    "--threads",
    default=ROOM_THREADS,
    show_default=True,
    type=click.IntRange(1, 256),
    help="Requests served at once.",
)
@click.option(
    "--debug", is_flag=True, help="Flask's development server and debugger (never for a room)."
)
@ROOT_OPTION
def serve(
    host: str | None,
    port: int,
    room: bool,
    public_url: str | None,
    threads: int,
    debug: bool,
    root: Path,
) -> None:
    """Run the web app on waitress (SQLite in instance/, upgraded first, unless DATABASE_URL
    is set)."""
    from webapp import create_app

    host = host or ("0.0.0.0" if room else "127.0.0.1")
    room_addresses = lan_addresses() if room else []
    reachable = bool(room_addresses) or public_url is not None
    if public_url is None:
        # In a room, the address phones can reach; else the one the server listens on.
        public_host = room_addresses[0] if room_addresses else host
        public_url = base_url("127.0.0.1" if public_host == "0.0.0.0" else public_host, port)
    config = {
        "COURSE_ROOT": str(root.resolve()),
        "PUBLIC_URL": public_url.rstrip("/"),
        # waitress speaks plain HTTP: the session cookie is marked Secure only on requests
        # that came over HTTPS (through a proxy that says so), or phones would never send
        # it back and every form would fail its CSRF check.
        "SESSION_COOKIE_SECURE": "auto",
    }
    try:
        app = create_app(config)
    except ContentErrors as exc:
        exit_with_problems(exc)
    upgrade_embedded(app)
    try:
        if debug:
            click.echo(f"coopkit (development server): {public_url}/ (Ctrl+C to stop)")
            app.run(host=host, port=port, threaded=True, use_reloader=False, debug=True)
        else:
            run_waitress(app, host, port, threads, public_url, room, reachable)
    finally:
        app.extensions["coopkit.db"].close()


def run_waitress(
    app, host: str, port: int, threads: int, public_url: str, room: bool, reachable: bool
) -> None:
    """Serve ``app`` until Ctrl+C, after saying where it can be reached."""
    from waitress import create_server

    try:
        server = create_server(
            app,
            host=host,
            port=port,
            threads=threads,
            connection_limit=CONNECTION_LIMIT,
            ident="",  # no Server header naming the software and its version
        )
    except OSError as exc:
        raise click.ClickException(
            f"cannot listen on {host}:{port}: {exc.strerror or exc}"
        ) from None
    click.echo(f"coopkit: {public_url}/ (Ctrl+C to stop)")
    if room:
        announce_room(public_url, port, reachable)
    server.run()  # returns on Ctrl+C, after closing its sockets
    click.echo("coopkit: stopped.")


def announce_room(public_url: str, port: int, reachable: bool) -> None:
    """Print the join address with a QR code, and what to do when phones cannot reach it."""
    join = f"{public_url}/atelier/"
    if not reachable:
        click.echo(
            "Warning: this computer is on no network, so only it can open the app. Join the "
            "room's Wi-Fi (or turn on its hotspot), then run `coopkit serve --room` again.",
            err=True,
        )
        return
    click.echo(f"Participants join at: {join}")
    qr = segno.make(join, error="m")
    # Half-block characters need a UTF-8 capable stream (Windows consoles are, through
    # Python's console I/O; a redirected stream on an old code page may not be).
    encoding = (getattr(sys.stdout, "encoding", None) or "").lower()
    if "utf" in encoding:
        qr.terminal(compact=True)
    click.echo(FIREWALL_HELP.format(port=port, netsh=f"{NETSH} localport={port}"))
