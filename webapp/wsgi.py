"""WSGI entry point for production servers: ``gunicorn 'webapp.wsgi:app'``.

Configuration comes from the environment: ``COOPKIT_ROOT`` (the course folder),
``DATABASE_URL`` (PostgreSQL for several workers or machines) and ``SECRET_KEY``
(shared by every worker, or sessions break between them). Apply the migrations first,
once per release: ``coopkit db upgrade``. Behind a reverse proxy,
``COOPKIT_PROXIES`` is how many proxies set ``X-Forwarded-*`` headers (usually 1) and
``COOPKIT_PROXY_ADDRESSES`` the addresses they connect from (default: this machine):
the app then sees each visitor's address and the https scheme, and only on requests
that came through a proxy; a visitor reaching the app directly cannot pose as another.
"""

import ipaddress
import os

from werkzeug.middleware.proxy_fix import ProxyFix

from webapp import create_app


def trusted_proxies() -> int:
    """How many proxies in front of the app to trust (``COOPKIT_PROXIES``, default 0)."""
    value = os.environ.get("COOPKIT_PROXIES", "0").strip() or "0"
    if not value.isdigit():
        raise ValueError(f"COOPKIT_PROXIES must be a number of proxies, not {value!r}")
    return int(value)


def proxy_networks() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """The addresses proxies connect from (``COOPKIT_PROXY_ADDRESSES``: addresses or
    networks, comma-separated; default 127.0.0.1 and ::1, a proxy on this machine)."""
    value = os.environ.get("COOPKIT_PROXY_ADDRESSES", "127.0.0.1, ::1")
    try:
        return [ipaddress.ip_network(part.strip()) for part in value.split(",") if part.strip()]
    except ValueError as error:
        raise ValueError(f"COOPKIT_PROXY_ADDRESSES: {error}") from None


class FromProxies:
    """Werkzeug's ProxyFix, for the requests that come from a proxy's address only."""

    def __init__(self, wsgi_app, proxies: int, networks) -> None:
        self.direct = wsgi_app
        # Trust exactly that many X-Forwarded-* values, never more: the rest can be forged.
        self.fixed = ProxyFix(wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
        self.networks = networks

    def __call__(self, environ, start_response):
        try:
            remote = ipaddress.ip_address(environ.get("REMOTE_ADDR", ""))
        except ValueError:
            remote = None
        through_proxy = remote is not None and any(remote in n for n in self.networks)
        return (self.fixed if through_proxy else self.direct)(environ, start_response)


app = create_app()
if proxies := trusted_proxies():
    app.wsgi_app = FromProxies(app.wsgi_app, proxies, proxy_networks())
