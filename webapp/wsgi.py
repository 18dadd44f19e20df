"""WSGI entry point for production servers: ``gunicorn 'webapp.wsgi:app'``.

Configuration comes from the environment: ``COOPKIT_ROOT`` (the course folder),
``DATABASE_URL`` (PostgreSQL for several workers or machines) and ``SECRET_KEY``
(shared by every worker, or sessions break between them). Apply the migrations first,
once per release: ``coopkit db upgrade``. Behind a reverse proxy,
``COOPKIT_PROXIES`` is how many proxies set ``X-Forwarded-*`` headers (usually 1):
the app then sees each visitor's address (the join rate limit counts per address)
and the https scheme of its public links.
"""

import os

from werkzeug.middleware.proxy_fix import ProxyFix

from webapp import create_app


def trusted_proxies() -> int:
    """How many proxies in front of the app to trust (``COOPKIT_PROXIES``, default 0)."""
    value = os.environ.get("COOPKIT_PROXIES", "0").strip() or "0"
    if not value.isdigit():
        raise ValueError(f"COOPKIT_PROXIES must be a number of proxies, not {value!r}")
    return int(value)


app = create_app()
if proxies := trusted_proxies():
    # Trust exactly that many X-Forwarded-* values, never more: the rest can be forged.
    app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
