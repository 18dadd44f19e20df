"""Security of workshop mode, tried from outside: join codes, logins, passwords.

Each test plays a visitor, an attacker or an unlucky operator through the Flask test client.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from tests.test_workshop_flow import PASSWORD, join, login, open_session, token, workshop_course
from webapp import db
from webapp.models import utcnow
from webapp.workshop import services
from webapp.workshop.models import FacilitatorLogin


@pytest.fixture
def app(make_app, small_course):
    app = make_app(workshop_course(small_course))
    with app.app_context():
        services.add_facilitator(db.session(), "anim@example.org", PASSWORD)
    return app


def cookie_of(client) -> str:
    return client.get_cookie("coopkit").value


# --- 1. Join codes never leak --------------------------------------------------------------


def test_a_visitor_who_has_not_joined_gets_no_join_code_from_any_route(app):
    facilitator = login(app)
    key, code = open_session(facilitator)
    visitor = app.test_client()
    for url in (
        f"/atelier/participer/{key}",
        f"/atelier/participer/{key}/etat",
        f"/atelier/sessions/{key}",
        f"/atelier/sessions/{key}/projection",
        f"/atelier/sessions/{key}/etat",
        f"/atelier/sessions/{key}/resultats.csv",
        f"/atelier/sessions/{key}/synthese",
    ):
        response = visitor.get(url)
        text = response.get_data(as_text=True) + response.headers.get("Location", "")
        assert code not in text, url
        assert code.lower() not in text.lower(), url
        assert response.status_code in (302, 404), url
    # The phone page sends a visitor to the join form, without the code.
    response = visitor.get(f"/atelier/participer/{key}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/atelier/")


def test_session_status_answers_only_the_sessions_participants(app):
    facilitator = login(app)
    key, code = open_session(facilitator)
    phone, _ = join(app, code, "Awa")
    assert phone.get(f"/atelier/participer/{key}/etat").status_code == 200
    assert app.test_client().get(f"/atelier/participer/{key}/etat").status_code == 404
    # A participant of another session is a stranger here.
    other_key, other_code = open_session(facilitator)
    stranger, _ = join(app, other_code, "Bruno")
    assert stranger.get(f"/atelier/participer/{key}/etat").status_code == 404
    assert stranger.get(f"/atelier/participer/{other_key}/etat").status_code == 200


def test_session_addresses_cannot_be_guessed_by_counting(app):
    facilitator = login(app)
    keys = [open_session(facilitator)[0] for _ in range(3)]
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{20,}", key) for key in keys)
    assert len(set(keys)) == 3
    visitor = app.test_client()
    for number in (1, 2, 3):  # the old sequential ids lead nowhere
        assert visitor.get(f"/atelier/participer/{number}").status_code == 404


# --- 2. Logins that end --------------------------------------------------------------------


def test_a_cookie_saved_before_logout_opens_nothing_after_it(app):
    laptop = login(app)
    saved = cookie_of(laptop)
    page = laptop.get("/atelier/sessions").get_data(as_text=True)
    assert laptop.post("/atelier/deconnexion", data={"csrf_token": token(page)}).status_code == 302
    thief = app.test_client()
    thief.set_cookie("coopkit", saved)
    response = thief.get("/atelier/sessions")
    assert response.status_code == 302
    assert "/atelier/connexion" in response.headers["Location"]


def test_a_cookie_saved_before_a_password_change_opens_nothing_after_it(app):
    laptop = login(app)
    saved = cookie_of(laptop)
    page = laptop.get("/atelier/mot-de-passe").get_data(as_text=True)
    new = "une autre phrase de passe"
    done = laptop.post(
        "/atelier/mot-de-passe",
        data={"csrf_token": token(page), "current": PASSWORD, "new": new, "confirm": new},
    )
    assert done.status_code == 302
    thief = app.test_client()
    thief.set_cookie("coopkit", saved)
    assert thief.get("/atelier/sessions").status_code == 302
    assert laptop.get("/atelier/sessions").status_code == 200


def test_a_login_ends_after_hours_without_use(app):
    laptop = login(app)
    assert laptop.get("/atelier/sessions").status_code == 200
    with app.app_context():
        dbs = db.session()
        idle = app.config["FACILITATOR_IDLE"]
        assert idle == timedelta(hours=12)  # the default: a working day, not the learner's year
        with db.transaction(dbs):
            dbs.execute(
                update(FacilitatorLogin).values(last_seen_at=utcnow() - idle - timedelta(minutes=1))
            )
    assert laptop.get("/atelier/sessions").status_code == 302
    with app.app_context():
        assert db.session().scalars(select(FacilitatorLogin)).all() == []  # ended for good


def test_a_login_in_use_stays_open(app):
    laptop = login(app)
    with app.app_context():
        dbs = db.session()
        with db.transaction(dbs):
            dbs.execute(
                update(FacilitatorLogin).values(last_seen_at=utcnow() - timedelta(hours=11))
            )
    assert laptop.get("/atelier/sessions").status_code == 200
    with app.app_context():
        seen = db.session().scalar(select(FacilitatorLogin.last_seen_at))
    assert utcnow() - seen < timedelta(minutes=1)  # its use was noted: 12 more hours


def test_the_idle_time_comes_from_the_environment(make_app, small_course, monkeypatch):
    monkeypatch.setenv("COOPKIT_FACILITATOR_IDLE_HOURS", "3")
    app = make_app(workshop_course(small_course))
    assert app.config["FACILITATOR_IDLE"] == timedelta(hours=3)


def test_the_database_keeps_no_working_login_token(app):
    laptop = login(app)
    with app.app_context():
        stored = db.session().scalar(select(FacilitatorLogin.token_hash))
    assert stored not in laptop.get_cookie("coopkit").value


# --- 4. Passwords --------------------------------------------------------------------------


@pytest.mark.parametrize("password", ["1234567890", "qwertyuiop", "Password12", "liverpool1"])
def test_common_passwords_are_refused(app, password):
    with app.app_context(), pytest.raises(services.WorkshopError, match="plus courants"):
        services.add_facilitator(db.session(), "awa@example.org", password)


@pytest.mark.parametrize(
    ("email", "password"),
    [
        ("awa.diop@example.org", "awa.diop@example.org"),
        ("awa.diop@example.org", "AwaDiop2026!"),
        ("mamadou.ndiaye@example.sn", "ndiaye-123456"),
    ],
)
def test_passwords_made_from_the_email_are_refused(app, email, password):
    with app.app_context(), pytest.raises(services.WorkshopError, match="adresse électronique"):
        services.add_facilitator(db.session(), email, password)


def test_a_good_password_is_accepted(app):
    with app.app_context():
        services.add_facilitator(db.session(), "awa.diop@example.org", "le baobab de Kédougou")


def test_the_cli_says_why_a_password_is_refused(runner, small_course, tmp_path, monkeypatch):
    from coopkit.cli import main

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    monkeypatch.setenv("SECRET_KEY", "test")
    result = runner.invoke(
        main,
        ["facilitator", "add", "awa@example.org", "--root", str(small_course)],
        input="qwertyuiop\nqwertyuiop\n",
    )
    assert result.exit_code == 1
    assert "plus courants" in result.output
    assert "Traceback" not in result.output


# --- 3. Rate limits ------------------------------------------------------------------------


def test_password_guessing_is_limited_per_account_whatever_the_address_or_cookie(app, monkeypatch):
    """Each guess from a new browser with a new forged X-Forwarded-For: still 10 at most."""
    from webapp.workshop import common, ratelimit

    monkeypatch.setattr(common.time, "sleep", lambda seconds: None)
    for n in range(ratelimit.PER_ACCOUNT):
        guesser = app.test_client()
        page = guesser.get("/atelier/connexion").get_data(as_text=True)
        wrong = guesser.post(
            "/atelier/connexion",
            data={"csrf_token": token(page), "email": "Anim@Example.org ", "password": f"x{n}"},
            headers={"X-Forwarded-For": f"198.51.100.{n}"},
            environ_base={"REMOTE_ADDR": f"203.0.113.{n}"},
        )
        assert wrong.status_code == 200
    guesser = app.test_client()
    page = guesser.get("/atelier/connexion").get_data(as_text=True)
    blocked = guesser.post(
        "/atelier/connexion",
        data={"csrf_token": token(page), "email": "anim@example.org", "password": PASSWORD},
        environ_base={"REMOTE_ADDR": "192.0.2.200"},
    )
    assert blocked.status_code == 429  # even the right password, for this account, for now
    assert "pour ce compte" in blocked.get_data(as_text=True)
    # Another account is not affected.
    with app.app_context():
        services.add_facilitator(db.session(), "autre@example.org", PASSWORD)
    login(app, email="autre@example.org")


def test_the_password_change_check_is_limited_per_account(app, monkeypatch):
    from webapp.workshop import common, ratelimit

    monkeypatch.setattr(common.time, "sleep", lambda seconds: None)
    laptop = login(app)
    page = laptop.get("/atelier/mot-de-passe").get_data(as_text=True)
    new = "une autre phrase de passe"
    for n in range(ratelimit.PER_ACCOUNT):
        wrong = laptop.post(
            "/atelier/mot-de-passe",
            data={"csrf_token": token(page), "current": f"essai {n}", "new": new, "confirm": new},
        )
        assert "Le mot de passe actuel est incorrect." in wrong.get_data(as_text=True)
    right = laptop.post(
        "/atelier/mot-de-passe",
        data={"csrf_token": token(page), "current": PASSWORD, "new": new, "confirm": new},
    )
    assert "pour ce compte" in right.get_data(as_text=True)
    login(app)  # the password did not change


# --- 7. An interrupted first start recovers ---------------------------------------------------

KILLED_MIGRATION = """
import os, sys
from alembic.operations import Operations
from webapp import db

made = []
create_table = Operations.create_table

def create_then_die(self, *args, **kwargs):
    result = create_table(self, *args, **kwargs)
    made.append(args[0])
    if len(made) == 5:
        os._exit(9)  # as kill -9 or a power cut would stop it: no clean-up runs
    return result

Operations.create_table = create_then_die
db.upgrade(db.make_engine(sys.argv[1]))
"""


def test_a_first_start_killed_halfway_is_completed_by_the_next(tmp_path):
    """Migrations run in one transaction on SQLite too: killed after 5 tables of the first
    start, the file holds none of them, and the next start builds the whole schema."""
    import subprocess
    import sys

    from sqlalchemy import inspect

    url = f"sqlite:///{tmp_path / 'first.sqlite3'}"
    killed = subprocess.run(
        [sys.executable, "-c", KILLED_MIGRATION, url], capture_output=True, text=True, timeout=120
    )
    assert killed.returncode == 9, killed.stderr
    engine = db.make_engine(url)
    try:
        with engine.connect() as connection:
            assert inspect(connection).get_table_names() == []  # nothing half-made
        db.upgrade(engine)  # the next start
        with engine.connect() as connection:
            tables = set(inspect(connection).get_table_names())
            version = connection.exec_driver_sql("SELECT version_num FROM alembic_version")
            assert version.scalar_one() == db_head()
    finally:
        engine.dispose()
    assert {"learner", "attempt", "workshop_session", "workshop_login"} <= tables


def db_head() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(db.alembic_config()).get_current_head()
