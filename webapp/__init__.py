"""The Flask app: self-paced lessons, quizzes, the processes explorer and downloads.

``create_app`` loads the course once, applies the database migrations and
registers one blueprint per area: lessons, quizzes, explorer, downloads and the
workshop mode (facilitator accounts, live sessions, under ``/atelier``).
"""

from __future__ import annotations

import gc
import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask

MAX_BODY_BYTES = 64 * 1024  # a full quiz submission is a few kilobytes


def serving(app: Flask) -> Flask:
    """``app``, once a server process has loaded it: its objects set aside from collection.

    A process serving one app keeps the course, the templates and the modules for good,
    yet every full garbage collection walked them all: 122,000 objects, 105–123 ms with
    both of a worker's threads stopped, a pause every few thousand requests that lands
    on some learner's page. Frozen (``gc.freeze``), they are skipped: a full collection
    then took 2–7 ms. Only for a process's one app: a frozen object is never freed, so
    tests, which make many apps, do not call this.
    """
    gc.freeze()
    return app


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app: configuration, course, database, security headers and blueprints."""
    config = dict(test_config or {})
    instance_path = config.pop("INSTANCE_PATH", None)
    app = Flask(
        __name__,
        instance_path=str(Path(instance_path).resolve()) if instance_path else None,
        instance_relative_config=True,
    )
    app.config.from_mapping(
        COURSE_ROOT=os.environ.get("COOPKIT_ROOT", os.getcwd()),
        DATABASE_URL=os.environ.get("DATABASE_URL"),
        BUILD_DIR=None,
        MAX_CONTENT_LENGTH=MAX_BODY_BYTES,
        MAX_FORM_PARTS=300,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=os.environ.get("COOPKIT_INSECURE_COOKIES") != "1",
        SESSION_COOKIE_NAME="coopkit",
        PERMANENT_SESSION_LIFETIME=timedelta(days=365),
        SESSION_REFRESH_EACH_REQUEST=False,  # refreshed daily instead (webapp.learners)
        WTF_CSRF_TIME_LIMIT=None,  # the token is bound to the learner's signed session
        MIGRATE_ON_START=True,
    )
    app.config.update(config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = os.environ.get("SECRET_KEY") or _instance_secret(app)
    if not app.config["DATABASE_URL"]:
        database = Path(app.instance_path) / "coopkit.sqlite3"
        app.config["DATABASE_URL"] = f"sqlite:///{database}"
    if not app.config["BUILD_DIR"]:
        app.config["BUILD_DIR"] = str(Path(app.config["COURSE_ROOT"]) / "build")

    from webapp import content, cookies, db, layout, learners, pagecache, security

    app.session_interface = cookies.SessionInterface()
    content.init_app(app)
    pagecache.init_app(app)
    layout.init_app(app)
    db.init_app(app)
    security.init_app(app)
    learners.init_app(app)

    from webapp.downloads.routes import bp as downloads_bp
    from webapp.explorer.routes import bp as explorer_bp
    from webapp.lessons.routes import bp as lessons_bp
    from webapp.quizzes.routes import bp as quizzes_bp
    from webapp.workshop.routes import bp as workshop_bp

    app.register_blueprint(lessons_bp)
    app.register_blueprint(quizzes_bp, url_prefix="/quiz")
    app.register_blueprint(explorer_bp, url_prefix="/processus")
    app.register_blueprint(downloads_bp, url_prefix="/telechargements")
    app.register_blueprint(workshop_bp, url_prefix="/atelier")
    return app


def _instance_secret(app: Flask) -> str:
    """A random secret kept in the instance folder, so sessions survive a restart."""
    path = Path(app.instance_path) / "secret_key"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # written earlier, or by another worker just now
        pass
    else:
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return path.read_text().strip()
