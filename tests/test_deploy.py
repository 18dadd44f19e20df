"""Several machines on one database: migrations started together take turns; the WSGI entry
trusts its proxies."""

from __future__ import annotations

import importlib
import multiprocessing
import os
import secrets

import pytest
from flask import request
from sqlalchemy import create_engine, text

from tests.conftest import WEB_COURSE
from tests.test_web_db import head_revision
from webapp import db

STARTING_TOGETHER = 4


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def fresh_url(request, tmp_path):
    """The address of an empty database of the kind the parameter names."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
        return
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql")):
        pytest.skip("DATABASE_URL does not point at PostgreSQL")
    schema = f"deploy_test_{secrets.token_hex(4)}"
    admin = create_engine(db.normalise_url(url))
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in url else "?"
    yield f"{url}{separator}options=-csearch_path%3D{schema}"
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def start_worker(url: str, barrier) -> None:
    """A release step (``coopkit db upgrade``): open the database and apply the migrations."""
    engine = db.make_engine(url)
    try:
        barrier.wait()
        db.upgrade(engine)
    finally:
        engine.dispose()


def test_workers_starting_together_on_a_fresh_database_all_boot(fresh_url):
    """Release steps started at once on a new database (two machines): none fails."""
    spawn = multiprocessing.get_context("spawn")  # separate processes, like workers
    barrier = spawn.Barrier(STARTING_TOGETHER, timeout=60)
    workers = [
        spawn.Process(target=start_worker, args=(fresh_url, barrier))
        for _ in range(STARTING_TOGETHER)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=90)
    assert [worker.exitcode for worker in workers] == [0] * STARTING_TOGETHER
    engine = db.make_engine(fresh_url)
    try:
        with engine.connect() as connection:
            versions = connection.execute(text("SELECT version_num FROM alembic_version")).all()
    finally:
        engine.dispose()
    assert versions == [(head_revision(),)]


@pytest.fixture
def wsgi_app(monkeypatch, tmp_path):
    """A loader of ``webapp.wsgi`` configured from the environment, as gunicorn does."""

    def load(proxies: str | None, addresses: str | None = None):
        monkeypatch.setenv("COOPKIT_ROOT", str(WEB_COURSE))
        url = f"sqlite:///{tmp_path / 'wsgi.sqlite3'}"
        monkeypatch.setenv("DATABASE_URL", url)
        engine = db.make_engine(url)
        db.upgrade(engine)  # the release step: the entry point checks it was done
        engine.dispose()
        monkeypatch.setenv("SECRET_KEY", "a secret shared by every worker")
        if addresses is None:
            monkeypatch.delenv("COOPKIT_PROXY_ADDRESSES", raising=False)
        else:
            monkeypatch.setenv("COOPKIT_PROXY_ADDRESSES", addresses)
        if proxies is None:
            monkeypatch.delenv("COOPKIT_PROXIES", raising=False)
        else:
            monkeypatch.setenv("COOPKIT_PROXIES", proxies)
        import webapp.wsgi

        app = importlib.reload(webapp.wsgi).app
        app.add_url_rule("/_seen", "seen", lambda: f"{request.remote_addr} {request.scheme}")
        return app

    yield load


FORWARDED = {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"}


def test_behind_one_proxy_the_app_sees_the_visitor_and_https(wsgi_app):
    client = wsgi_app("1", "10.0.0.2").test_client()
    seen = client.get("/_seen", headers=FORWARDED, environ_base={"REMOTE_ADDR": "10.0.0.2"})
    assert seen.get_data(as_text=True) == "203.0.113.7 https"


def test_a_proxy_on_this_machine_is_trusted_by_default(wsgi_app):
    client = wsgi_app("1").test_client()
    seen = client.get("/_seen", headers=FORWARDED, environ_base={"REMOTE_ADDR": "127.0.0.1"})
    assert seen.get_data(as_text=True) == "203.0.113.7 https"


def test_forwarded_headers_from_an_address_that_is_no_proxy_are_ignored(wsgi_app):
    """A visitor reaching the app directly cannot pose as another address, even with
    proxies configured: only the proxies' own addresses are believed."""
    client = wsgi_app("1", "10.0.0.2, 10.1.0.0/16").test_client()
    for visitor in ("198.51.100.4", "10.0.0.3"):
        seen = client.get("/_seen", headers=FORWARDED, environ_base={"REMOTE_ADDR": visitor})
        assert seen.get_data(as_text=True) == f"{visitor} http"
    seen = client.get("/_seen", headers=FORWARDED, environ_base={"REMOTE_ADDR": "10.1.4.5"})
    assert seen.get_data(as_text=True) == "203.0.113.7 https"


def test_proxy_addresses_that_are_not_addresses_are_refused(wsgi_app):
    with pytest.raises(ValueError, match="COOPKIT_PROXY_ADDRESSES"):
        wsgi_app("1", "nginx.local")


def test_without_proxies_forwarded_headers_are_ignored(wsgi_app):
    """A visitor cannot pose as another address by sending the header itself."""
    client = wsgi_app(None).test_client()
    seen = client.get("/_seen", headers=FORWARDED, environ_base={"REMOTE_ADDR": "10.0.0.2"})
    assert seen.get_data(as_text=True) == "10.0.0.2 http"


def test_a_proxy_count_that_is_not_a_number_is_refused(wsgi_app):
    with pytest.raises(ValueError, match="COOPKIT_PROXIES must be a number"):
        wsgi_app("yes")
