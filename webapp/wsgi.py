"""WSGI entry point for production servers: ``gunicorn 'webapp.wsgi:app'``.

Configuration comes from the environment: ``COOPKIT_ROOT`` (the course folder),
``DATABASE_URL`` (PostgreSQL for several workers or machines) and ``SECRET_KEY``
(shared by every worker, or sessions break between them).
"""

from webapp import create_app

app = create_app()
