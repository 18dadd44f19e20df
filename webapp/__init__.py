"""The Flask app: self-paced lessons, quizzes, the processes explorer and downloads.

``create_app`` loads the course once and registers one blueprint per area: lessons,
quizzes, explorer, downloads and the workshop mode (facilitator accounts, live
sessions, under ``/atelier``). Migrations are a release step (``coopkit db upgrade``);
``coopkit serve`` applies them to its own SQLite file before serving.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

from webapp.config import Config, from_environment


def create_app(test_config: Mapping[str, Any] | None = None, config_class=Config) -> Flask:
    """Build the app: settings, course, database, security headers, errors and blueprints.

    Settings come from ``config_class``, then the environment, then ``test_config``.
    """
    config = dict(test_config or {})
    instance_path = config.pop("INSTANCE_PATH", None)
    app = Flask(
        __name__,
        instance_path=str(Path(instance_path).resolve()) if instance_path else None,
        instance_relative_config=True,
    )
    app.config.from_object(config_class)
    app.config.update({k: v for k, v in from_environment().items() if v is not None})
    app.config.update(config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret(app)
    if not app.config.get("DATABASE_URL"):
        database = Path(app.instance_path) / "coopkit.sqlite3"
        app.config["DATABASE_URL"] = f"sqlite:///{database}"
    if not app.config["BUILD_DIR"]:
        app.config["BUILD_DIR"] = str(Path(app.config["COURSE_ROOT"]) / "build")

    from webapp import content, db, errors, learners, security

    content.init_app(app)
    db.init_app(app)
    security.init_app(app)
    errors.init_app(app)
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
