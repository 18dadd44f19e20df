"""Security of workshop mode, tried from outside: join codes, logins, passwords.

Each test plays a visitor, an attacker or an unlucky operator through the Flask test client.
"""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

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


# --- 6. A database that cannot be used: one line ----------------------------------------------


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("postgresql://postgres@127.0.0.1:1/test", "cannot open the database"),
        ("sqlite:////nonexistent-folder/x.sqlite3", "unable to open database file"),
        ("mysql://someone@localhost/coopkit", "coopkit works with SQLite and PostgreSQL"),
        ("not a url", "Could not parse"),
    ],
    ids=["unreachable", "no such folder", "unsupported", "misspelt"],
)
def test_serve_on_a_database_it_cannot_use_says_why_in_one_line(runner, small_course, url, said):
    from coopkit.cli import main

    result = runner.invoke(
        main, ["serve", "--root", str(small_course)], env={"DATABASE_URL": url, "SECRET_KEY": "x"}
    )
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    assert said in lines[0]
    assert "Traceback" not in result.output


def test_a_database_that_was_not_upgraded_is_refused_with_what_to_run(tmp_path):
    """PostgreSQL is upgraded by the release step, never by a server: the check says so."""
    engine = db.make_engine(f"sqlite:///{tmp_path / 'empty.sqlite3'}")
    try:
        with pytest.raises(db.DatabaseUnavailable, match="revision none, the code needs "):
            db.check(engine)
        db.upgrade(engine)
        db.check(engine)  # up to date: no complaint
    finally:
        engine.dispose()


def test_gunicorn_on_a_database_it_cannot_use_stops_with_one_line(small_course, tmp_path):
    import os
    import subprocess
    import sys

    env = dict(
        os.environ,
        COOPKIT_ROOT=str(small_course),
        DATABASE_URL="postgresql://postgres@127.0.0.1:1/test",
        SECRET_KEY="x",
    )
    gunicorn = [sys.executable, "-m", "gunicorn", "--preload", "-w", "2"]
    result = subprocess.run(
        [*gunicorn, "-b", "127.0.0.1:0", "webapp.wsgi:app"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 4  # gunicorn's "App failed to load": it stops
    ours = [line for line in result.stderr.splitlines() if line.startswith("coopkit:")]
    assert len(ours) == 1 and "cannot open the database" in ours[0]
    assert "Traceback" not in result.stderr


# --- 8. Degrade, don't fail -----------------------------------------------------------------


def quiz_submission(client, quiz_id: str, seed: int = 3):
    page = client.get(f"/quiz/{quiz_id}/tentative/{seed}").get_data(as_text=True)
    # Blank answers, confirmed past the warning step: the submission goes to the store.
    data = {"csrf_token": token(page), "confirm_blank": "1"}
    return client.post(f"/quiz/{quiz_id}/tentative/{seed}", data=data)


def test_a_read_only_database_still_serves_lessons_and_refuses_submissions_cleanly(
    make_app, small_course, tmp_path
):
    """The database file opened read-only (SQLite's mode=ro: the way to make a write fail
    for root, whom file modes do not stop): reading works, writing gets a French 503."""
    from webapp.models import Attempt, SlideView

    path = tmp_path / "shared.sqlite3"
    writable = make_app(small_course, DATABASE_URL=f"sqlite:///{path}")
    read_only = make_app(
        small_course, migrate=False, DATABASE_URL=f"sqlite:///file:{path}?mode=ro&uri=true"
    )
    learner = read_only.test_client()
    for url in ("/", "/themes/theme-1/", "/themes/theme-1/1", "/quiz/", "/processus/"):
        assert learner.get(url).status_code == 200, url  # a slide view is best effort
    refused = quiz_submission(learner, "theme-1")
    assert refused.status_code == 503
    page = refused.get_data(as_text=True)
    assert "Rien n’a été enregistré" in page
    with writable.app_context():
        assert db.session().scalars(select(Attempt)).all() == []
        assert db.session().scalars(select(SlideView)).all() == []
    # The same submission on the writable database is stored: the 503 was the disk's doing.
    assert quiz_submission(writable.test_client(), "theme-1").status_code == 302


def test_a_download_whose_build_fails_gets_the_503_page(make_app, monkeypatch):
    """A disk that fills up while the deck is built on demand: the visitor sees the French
    503 page, the operator's log the cause; nothing is half-written."""
    import errno

    from slides_builder import build as builder
    from tests.conftest import WEB_COURSE

    app = make_app(root=WEB_COURSE)

    def full_disk(path, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(builder, "write_atomically", full_disk)
    response = app.test_client().get("/telechargements/diaporamas/theme-2.pptx")
    assert response.status_code == 503
    assert "Service indisponible" in response.get_data(as_text=True)
    assert not list(Path(app.config["BUILD_DIR"]).rglob("*.pptx"))


# --- 5. Links from the public URL, never from a Host header ------------------------------------


def test_join_links_come_from_the_public_url_whatever_the_host_header(make_app, small_course):
    from webapp.workshop.common import join_url

    app = make_app(workshop_course(small_course), PUBLIC_URL="https://atelier.example.org")
    with app.app_context():
        owner = services.add_facilitator(db.session(), "anim@example.org", PASSWORD)
        workshop = services.open_session(db.session(), owner, "theme-1", "Atelier")
    with app.test_request_context("/atelier/", headers={"Host": "evil.example"}):
        link = join_url(workshop)
    assert link == f"https://atelier.example.org/atelier/?code={workshop.code}"


def test_trusted_hosts_refuse_any_other_host(make_app, small_course, monkeypatch):
    monkeypatch.setenv("COOPKIT_TRUSTED_HOSTS", "atelier.example.org, localhost")
    app = make_app(small_course)
    client = app.test_client()
    assert client.get("/", headers={"Host": "atelier.example.org"}).status_code == 200
    assert client.get("/", headers={"Host": "evil.example"}).status_code == 400


# --- 10. Headers -------------------------------------------------------------------------------


def test_hsts_is_in_the_nginx_example():
    deploy = (Path(__file__).parents[1] / "docs" / "deploy.md").read_text(encoding="utf-8")
    assert 'add_header Strict-Transport-Security "max-age=31536000' in deploy
