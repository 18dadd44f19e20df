"""Workshop mode through the Flask test client: accounts, sessions, live quiz, results, safety."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from sqlalchemy import func, inspect, select
from sqlalchemy.exc import IntegrityError

from webapp import db
from webapp.workshop import ratelimit, services
from webapp.workshop.models import (
    Facilitator,
    JoinFailure,
    Participant,
    Workshop,
    WorkshopAnswer,
)
from webapp.workshop.routes import session_attempt

PASSWORD = "une phrase de passe"

# A quiz with one question of every type, on the scaffolded course's slide.
WORKSHOP_QUIZ = """\
id: theme-1
title: Quiz du premier thème
module: theme-1
pass_percent: 50
questions:
  - id: q-single
    type: single
    prompt: Quel processus sert d'exemple ?
    choices:
      - {id: a, text: EX}
      - {id: b, text: Aucun}
      - {id: c, text: Un autre}
    answer: a
    explanation: Le fichier des processus décrit EX.
    slide: profil-exemple
  - id: q-multiple
    type: multiple
    prompt: Quels pays sont membres d'EX ?
    choices:
      - {id: fr, text: France}
      - {id: be, text: Belgique}
      - {id: de, text: Allemagne}
    answers: [fr, be]
    explanation: EX réunit la France et la Belgique.
    slide: profil-exemple
  - id: q-true-false
    type: true_false
    prompt: EX est un processus mondial.
    answer: false
    explanation: EX est régional.
    slide: profil-exemple
  - id: q-matching
    type: matching
    prompt: Associez chaque pays à sa capitale.
    pairs:
      - {left: France, right: Paris}
      - {left: Belgique, right: Bruxelles}
      - {left: Allemagne, right: Berlin}
    explanation: Trois capitales.
    slide: profil-exemple
  - id: q-ordering
    type: ordering
    prompt: Classez ces années.
    items: ["1990", "2000", "2010"]
    explanation: Dans l'ordre.
    slide: profil-exemple
  - id: q-numeric
    type: numeric
    prompt: En quelle année EX a-t-il été créé ?
    answer: 2000
    explanation: En 2000.
    slide: profil-exemple
  - id: q-short
    type: short_text
    prompt: Quel est le sigle du processus d'exemple ?
    accepted: [EX]
    explanation: EX.
    slide: profil-exemple
"""


def workshop_course(root: Path) -> Path:
    """The scaffolded course with the seven-type quiz."""
    (root / "quizzes" / "theme-1.yaml").write_text(WORKSHOP_QUIZ, encoding="utf-8")
    return root


@pytest.fixture
def app(make_app, small_course):
    app = make_app(workshop_course(small_course))
    with app.app_context():
        services.add_facilitator(db.session(), "anim@example.org", PASSWORD)
        services.add_facilitator(db.session(), "autre@example.org", PASSWORD)
    return app


def token(html: str) -> str:
    """The CSRF token of the first form of a page."""
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


def login(app, email="anim@example.org", password=PASSWORD):
    client = app.test_client()
    page = client.get("/atelier/connexion").get_data(as_text=True)
    response = client.post(
        "/atelier/connexion",
        data={"csrf_token": token(page), "email": email, "password": password},
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    return client


def open_session(client, pace="live", leaderboard=False) -> tuple[str, str]:
    """Open a session through the form; return its id and join code."""
    page = client.get("/atelier/sessions").get_data(as_text=True)
    data = {"csrf_token": token(page), "title": "Atelier test", "quiz_id": "theme-1", "pace": pace}
    if leaderboard:
        data["leaderboard"] = "y"
    response = client.post("/atelier/sessions", data=data)
    assert response.status_code == 302
    session_id = response.headers["Location"].rsplit("/", 1)[1]
    html = client.get(f"/atelier/sessions/{session_id}").get_data(as_text=True)
    code = re.search(r'class="ws-code"[^>]*>([^<]+)<', html).group(1).replace("\u202f", "")
    return session_id, code


def join(app, code: str, name: str):
    """A new phone joining with ``code`` as ``name``; returns the client and the response."""
    phone = app.test_client()
    page = phone.get(f"/atelier/?code={code}").get_data(as_text=True)
    response = phone.post("/atelier/", data={"csrf_token": token(page), "code": code, "name": name})
    return phone, response


def live(client, session_id: str, action: str):
    """The facilitator presses a live control (with the version they see)."""
    html = client.get(f"/atelier/sessions/{session_id}").get_data(as_text=True)
    version = re.search(r'name="version" value="(\d+)"', html).group(1)
    return client.post(
        f"/atelier/sessions/{session_id}/direct",
        data={"csrf_token": token(html), "version": version, "action": action},
    )


def answer(phone, session_id: str, fields: dict):
    """A participant sends an answer form (the token of this browser, from any form)."""
    page = phone.get("/atelier/").get_data(as_text=True)
    return phone.post(
        f"/atelier/participer/{session_id}/repondre",
        data={"csrf_token": token(page), **fields},
        follow_redirects=True,
    )


def items_of(app, session_id):
    with app.app_context():
        return session_attempt(services.workshop_by_key(db.session(), session_id)).items


def current_item(app, session_id):
    with app.app_context():
        workshop = services.workshop_by_key(db.session(), session_id)
        return session_attempt(workshop).items[workshop.current_index]


def right_fields(item) -> dict:
    """Form fields that answer ``item`` right."""
    q = item.question
    if q.type == "single":
        return {"item": item.key, item.key: q.answer}
    if q.type == "multiple":
        return {"item": item.key, item.key: list(q.answers)}
    if q.type == "true_false":
        return {"item": item.key, item.key: "vrai" if q.answer else "faux"}
    if q.type == "matching":
        return {"item": item.key} | {
            f"{item.key}-{n}": p.right for n, p in enumerate(q.pairs, start=1)
        }
    if q.type == "ordering":
        return {"item": item.key} | {
            f"{item.key}-{n}": str(q.items.index(text) + 1)
            for n, text in enumerate(item.order, start=1)
        }
    if q.type == "numeric":
        return {"item": item.key, item.key: str(int(q.answer))}
    return {"item": item.key, item.key: q.accepted[0].lower()}


def wrong_fields(item) -> dict:
    """Form fields that answer ``item`` wrong (but validly)."""
    q = item.question
    if q.type == "single":
        wrong = next(c.id for c in q.choices if c.id != q.answer)
        return {"item": item.key, item.key: wrong}
    if q.type == "multiple":
        return {"item": item.key, item.key: [c.id for c in q.choices if c.id not in q.answers]}
    if q.type == "true_false":
        return {"item": item.key, item.key: "faux" if q.answer else "vrai"}
    if q.type == "matching":
        rights = [p.right for p in q.pairs]
        shifted = rights[1:] + rights[:1]
        return {"item": item.key} | {f"{item.key}-{n}": r for n, r in enumerate(shifted, start=1)}
    if q.type == "ordering":
        return {"item": item.key} | {
            f"{item.key}-{n}": str(len(q.items) - q.items.index(text))
            for n, text in enumerate(item.order, start=1)
        }
    if q.type == "numeric":
        return {"item": item.key, item.key: "1,5"}
    return {"item": item.key, item.key: "Mauvaise réponse"}


def stored_answers(app, session_key: str) -> list[WorkshopAnswer]:
    with app.app_context():
        workshop = services.workshop_by_key(db.session(), session_key)
        return list(
            db.session().scalars(
                select(WorkshopAnswer).where(WorkshopAnswer.session_id == workshop.id)
            )
        )


# --- Accounts and access ------------------------------------------------------------------


def test_cli_adds_a_facilitator_with_a_scrypt_hash(runner, small_course, tmp_path, monkeypatch):
    from coopkit.cli import main

    database = tmp_path / "cli.sqlite3"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{database}")
    args = ["facilitator", "add", "Anim@Example.org", "--root", str(small_course)]
    result = runner.invoke(main, args, input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    assert "Facilitator account created: anim@example.org" in result.output
    assert PASSWORD not in result.output
    again = runner.invoke(main, args, input=f"{PASSWORD}\n{PASSWORD}\n")
    assert again.exit_code == 1
    assert "Un compte existe déjà pour anim@example.org." in again.output
    short = runner.invoke(
        main,
        ["facilitator", "add", "b@example.org", "--root", str(small_course)],
        input="court\ncourt\n",
    )
    assert short.exit_code == 1
    assert "au moins 10 caractères" in short.output
    from webapp.db import make_engine

    engine = make_engine(f"sqlite:///{database}")
    with engine.connect() as connection:
        rows = connection.execute(select(Facilitator.email, Facilitator.password_hash)).all()
    engine.dispose()
    assert [email for email, _ in rows] == ["anim@example.org"]
    assert rows[0][1].startswith("scrypt:")


@pytest.mark.parametrize(
    "url",
    [
        "/atelier/sessions",
        "/atelier/mot-de-passe",
        "/atelier/sessions/1",
        "/atelier/sessions/1/projection",
        "/atelier/sessions/1/etat",
        "/atelier/sessions/1/resultats.csv",
        "/atelier/sessions/1/questions.csv",
        "/atelier/sessions/1/synthese",
    ],
)
def test_facilitator_pages_refuse_anonymous_visitors_and_participants(app, url):
    client = login(app)
    _, code = open_session(client)
    phone, _ = join(app, code, "Awa")
    for visitor in (app.test_client(), phone):
        response = visitor.get(url)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/atelier/connexion")


def test_facilitator_actions_refuse_participants(app):
    client = login(app)
    session_id, code = open_session(client)
    phone, _ = join(app, code, "Awa")
    page = phone.get("/atelier/").get_data(as_text=True)  # any form gives this browser's token
    response = phone.post(
        f"/atelier/sessions/{session_id}/direct",
        data={"csrf_token": token(page), "version": "0", "action": "start"},
    )
    assert response.status_code == 302
    with app.app_context():
        assert services.workshop_by_key(db.session(), session_id).phase == "lobby"


def test_another_facilitator_cannot_see_or_drive_a_session(app):
    session_id, _ = open_session(login(app))
    other = login(app, "autre@example.org")
    for url in ("", "/projection", "/synthese", "/resultats.csv", "/etat"):
        assert other.get(f"/atelier/sessions/{session_id}{url}").status_code == 404
    page = other.get("/atelier/sessions").get_data(as_text=True)
    assert "Atelier test" not in page
    response = other.post(
        f"/atelier/sessions/{session_id}/direct",
        data={"csrf_token": token(page), "version": "0", "action": "start"},
    )
    assert response.status_code == 404


def test_wrong_password_is_refused_and_logout_ends_the_session(app):
    client = app.test_client()
    page = client.get("/atelier/connexion").get_data(as_text=True)
    response = client.post(
        "/atelier/connexion",
        data={"csrf_token": token(page), "email": "anim@example.org", "password": "mauvais mdp"},
    )
    assert response.status_code == 200
    assert "Adresse ou mot de passe incorrect." in response.get_data(as_text=True)
    client = login(app)
    page = client.get("/atelier/sessions").get_data(as_text=True)
    response = client.post("/atelier/deconnexion", data={"csrf_token": token(page)})
    assert response.status_code == 302
    assert client.get("/atelier/sessions").status_code == 302


def test_password_change_logs_other_browsers_out(app):
    laptop = login(app)
    phone = login(app)
    page = laptop.get("/atelier/mot-de-passe").get_data(as_text=True)
    new = "une autre phrase de passe"
    mismatch = laptop.post(
        "/atelier/mot-de-passe",
        data={"csrf_token": token(page), "current": PASSWORD, "new": new, "confirm": new + "x"},
    )
    assert "Les deux saisies diffèrent." in mismatch.get_data(as_text=True)
    wrong = laptop.post(
        "/atelier/mot-de-passe",
        data={"csrf_token": token(page), "current": "pas le bon", "new": new, "confirm": new},
    )
    assert "Le mot de passe actuel est incorrect." in wrong.get_data(as_text=True)
    done = laptop.post(
        "/atelier/mot-de-passe",
        data={"csrf_token": token(page), "current": PASSWORD, "new": new, "confirm": new},
    )
    assert done.status_code == 302
    assert laptop.get("/atelier/sessions").status_code == 200  # this browser stays in
    assert phone.get("/atelier/sessions").status_code == 302  # the other is logged out
    login(app, password=new)


def test_login_redirects_only_to_local_workshop_pages(app):
    client = app.test_client()
    page = client.get("/atelier/connexion").get_data(as_text=True)
    response = client.post(
        "/atelier/connexion?next=https://evil.example/atelier/",
        data={"csrf_token": token(page), "email": "anim@example.org", "password": PASSWORD},
    )
    assert response.headers["Location"] == "/atelier/sessions"


# --- The live quiz ---------------------------------------------------------------------------


def test_live_quiz_with_three_participants(app):
    facilitator = login(app)
    session_id, code = open_session(facilitator, leaderboard=True)
    phones = {}
    for name in ("Awa", "Bruno", "Chloé"):
        phone, response = join(app, code.lower(), name)  # codes are case-insensitive
        assert response.status_code == 302
        phones[name] = phone
    projector = facilitator.get(f"/atelier/sessions/{session_id}/projection")
    html = projector.get_data(as_text=True)
    assert "3</span> participants" in html
    assert all(name in html for name in phones)
    assert "<svg" in html and "segno" in html  # the QR code
    assert "Gardez cette page ouverte" not in html

    waiting = phones["Awa"].get(f"/atelier/participer/{session_id}").get_data(as_text=True)
    assert "gardez cette page ouverte" in waiting
    assert 'http-equiv="refresh"' in waiting  # works without JavaScript too

    items = items_of(app, session_id)
    assert len(items) == 7
    assert live(facilitator, session_id, "start").status_code == 303
    for number, item in enumerate(items, start=1):
        assert current_item(app, session_id).key == item.key
        page = phones["Awa"].get(f"/atelier/participer/{session_id}").get_data(as_text=True)
        assert f"Question {number} sur 7" in page
        assert 'http-equiv="refresh"' not in page  # a form is never wiped by a refresh
        answer(phones["Awa"], session_id, right_fields(item))
        answer(phones["Bruno"], session_id, wrong_fields(item))
        # Chloé does not answer question 2.
        if number != 2:
            answer(phones["Chloé"], session_id, right_fields(item))
        shown = facilitator.get(f"/atelier/sessions/{session_id}/projection").get_data(as_text=True)
        expected = 2 if number == 2 else 3
        assert f'ws-big-number">{expected}</span> réponses sur 3' in shown
        live(facilitator, session_id, "close")
        closed = facilitator.get(f"/atelier/sessions/{session_id}/projection").get_data(
            as_text=True
        )
        # A matching or an ordering shows one row per pair (a whole mapping per bar would
        # not fit the screen); the other types a bar per answer.
        shape = "ws-parts" if item.question.type in ("matching", "ordering") else "ws-bars"
        assert shape in closed and "is-revealed" not in closed
        assert item.question.explanation not in closed  # not yet revealed
        live(facilitator, session_id, "reveal")
        revealed = facilitator.get(f"/atelier/sessions/{session_id}/projection").get_data(
            as_text=True
        )
        assert "is-revealed" in revealed
        assert "Bonne réponse" in revealed
        mine = phones["Bruno"].get(f"/atelier/participer/{session_id}").get_data(as_text=True)
        assert "Réponse inexacte" in mine or "en partie juste" in mine
        assert "Réponse attendue\u00a0:" in mine
        live(facilitator, session_id, "next")

    with app.app_context():
        workshop = services.workshop_by_key(db.session(), session_id)
        assert workshop.phase == "finished"
    answers = stored_answers(app, session_id)
    assert len(answers) == 7 * 3 - 1
    by_name = {}
    with app.app_context():
        names = {p.id: p.name for p in db.session().scalars(select(Participant))}
    for a in answers:
        by_name.setdefault(names[a.participant_id], []).append(a)
    assert all(a.correct for a in by_name["Awa"])
    assert not any(a.correct for a in by_name["Bruno"])
    assert len(by_name["Chloé"]) == 6

    final = facilitator.get(f"/atelier/sessions/{session_id}/projection").get_data(as_text=True)
    assert "Quiz terminé" in final
    assert final.index("Awa") < final.index("Chloé") < final.index("Bruno")  # leaderboard
    phone_end = phones["Bruno"].get(f"/atelier/participer/{session_id}").get_data(as_text=True)
    assert "Votre rang" in phone_end

    dashboard = facilitator.get(f"/atelier/sessions/{session_id}").get_data(as_text=True)
    assert "Analyse par question" in dashboard
    # Question 2 (multiple choice): Awa right, Bruno wrong, Chloé did not answer.
    assert "Allemagne" in dashboard  # Bruno's wrong pick is the most frequent wrong answer


def test_answers_are_idempotent_first_answer_counts(app):
    facilitator = login(app)
    session_id, code = open_session(facilitator)
    phone, _ = join(app, code, "Awa")
    live(facilitator, session_id, "start")
    item = current_item(app, session_id)
    first = answer(phone, session_id, right_fields(item))
    assert first.status_code == 200
    second = answer(phone, session_id, wrong_fields(item))
    assert "seule votre première réponse compte" in second.get_data(as_text=True)
    (stored,) = stored_answers(app, session_id)
    assert stored.correct


def test_an_answer_after_the_question_closed_is_refused_with_a_message(app):
    facilitator = login(app)
    session_id, code = open_session(facilitator)
    phone, _ = join(app, code, "Awa")
    live(facilitator, session_id, "start")
    item = current_item(app, session_id)
    page = phone.get(f"/atelier/participer/{session_id}").get_data(as_text=True)
    live(facilitator, session_id, "close")  # closes while the phone still shows the form
    response = phone.post(
        f"/atelier/participer/{session_id}/repondre",
        data={"csrf_token": token(page), **right_fields(item)},
        follow_redirects=True,
    )
    assert "Cette question est close" in response.get_data(as_text=True)
    assert stored_answers(app, session_id) == []


def test_answers_before_the_start_or_to_another_question_are_refused(app):
    facilitator = login(app)
    session_id, code = open_session(facilitator)
    phone, _ = join(app, code, "Awa")
    first, second = items_of(app, session_id)[:2]
    early = answer(phone, session_id, right_fields(first))
    assert "Cette question est close" in early.get_data(as_text=True)
    live(facilitator, session_id, "start")
    ahead = answer(phone, session_id, right_fields(second))
    assert "Cette question est close" in ahead.get_data(as_text=True)
    assert stored_answers(app, session_id) == []


FORGED = {
    "single": lambda key: {key: "zzz"},
    "multiple": lambda key: {key: ["zzz"]},
    "true_false": lambda key: {key: "peut-être"},
    "matching": lambda key: {f"{key}-1": "Tokyo"},
    "ordering": lambda key: {f"{key}-1": "9", f"{key}-2": "1", f"{key}-3": "2"},
}


def test_forged_answers_are_rejected_and_nothing_is_stored(app):
    facilitator = login(app)
    session_id, code = open_session(facilitator, pace="self")
    phone, _ = join(app, code, "Awa")
    assert answer(phone, session_id, {"item": "q99"}).status_code == 400
    forged_types = set()
    for item in items_of(app, session_id):
        forge = FORGED.get(item.question.type)
        if forge is None:  # any text is a valid numeric or short answer: nothing to forge
            continue
        response = answer(phone, session_id, {"item": item.key, **forge(item.key)})
        assert response.status_code == 400, item.question.type
        assert "ne correspond pas aux choix proposés" in response.get_data(as_text=True)
        forged_types.add(item.question.type)
    assert forged_types == set(FORGED)
    assert stored_answers(app, session_id) == []


def test_mistakes_a_person_can_fix_are_explained_and_not_stored(app):
    facilitator = login(app)
    session_id, code = open_session(facilitator, pace="self")
    phone, _ = join(app, code, "Awa")
    by_type = {item.question.type: item for item in items_of(app, session_id)}
    ordering, numeric = by_type["ordering"], by_type["numeric"]
    same_rank = {"item": ordering.key} | {f"{ordering.key}-{n}": "1" for n in (1, 2, 3)}
    cases = [
        (same_rank, "Chaque rang ne peut servir qu’une fois."),
        ({"item": ordering.key, f"{ordering.key}-1": "1"}, "Donnez un rang à chaque élément."),
        ({"item": numeric.key, numeric.key: "deux mille"}, "Saisissez un nombre"),
        ({"item": numeric.key}, "Choisissez ou saisissez une réponse avant d’envoyer."),
    ]
    for fields, message in cases:
        response = answer(phone, session_id, fields)
        assert response.status_code == 200
        assert message in response.get_data(as_text=True)
    assert stored_answers(app, session_id) == []


def test_a_stale_double_click_on_next_does_not_skip_a_question(app):
    facilitator = login(app)
    session_id, _ = open_session(facilitator)
    html = facilitator.get(f"/atelier/sessions/{session_id}").get_data(as_text=True)
    data = {"csrf_token": token(html), "version": "0", "action": "start"}
    assert facilitator.post(f"/atelier/sessions/{session_id}/direct", data=data).status_code == 303
    stale = facilitator.post(
        f"/atelier/sessions/{session_id}/direct",
        data=data | {"action": "close"},
        follow_redirects=True,
    )
    assert "La session a changé entre-temps" in stale.get_data(as_text=True)
    with app.app_context():
        workshop = services.workshop_by_key(db.session(), session_id)
        assert (workshop.phase, workshop.current_index, workshop.version) == ("asking", 0, 1)


def test_state_endpoints_change_when_the_facilitator_moves_on(app):
    facilitator = login(app)
    session_id, code = open_session(facilitator)
    phone, _ = join(app, code, "Awa")
    before = phone.get(f"/atelier/participer/{session_id}/etat").get_json()
    activity = facilitator.get(f"/atelier/sessions/{session_id}/etat").get_json()["activity"]
    live(facilitator, session_id, "start")
    after = phone.get(f"/atelier/participer/{session_id}/etat").get_json()
    assert after["version"] == before["version"] + 1
    answer(phone, session_id, right_fields(current_item(app, session_id)))
    new_activity = facilitator.get(f"/atelier/sessions/{session_id}/etat").get_json()["activity"]
    assert new_activity != activity


# --- Privacy and safety ------------------------------------------------------------------------


def test_a_participant_sees_only_their_own_answers(app):
    facilitator = login(app)
    session_id, code = open_session(facilitator, pace="self")
    awa, _ = join(app, code, "Awa")
    bruno, _ = join(app, code, "Bruno")
    first = items_of(app, session_id)[0]
    secret = "réponse secrète d’Awa"
    fields = wrong_fields(first)
    if first.question.type == "short_text":
        fields[first.key] = secret
    answer(awa, session_id, fields)
    awa_page = awa.get(f"/atelier/participer/{session_id}?vu={first.key}").get_data(as_text=True)
    assert 'class="ws-mine"' in awa_page
    bruno_page = bruno.get(f"/atelier/participer/{session_id}?vu={first.key}").get_data(
        as_text=True
    )
    assert 'class="ws-mine"' not in bruno_page  # Bruno has not answered: no feedback
    assert secret not in bruno_page
    assert "Question 1 sur 7" in bruno_page


def test_participant_text_is_escaped_everywhere(app):
    facilitator = login(app)
    session_id, code = open_session(facilitator, leaderboard=True)
    names = ['<script>alert("x")</script>', "<img src=x onerror=alert(1)>"]
    phones = []
    for name in names:
        phone, response = join(app, code, name)
        assert response.status_code == 302
        phones.append(phone)
    pages = [facilitator.get(f"/atelier/sessions/{session_id}/projection")]  # names in the lobby
    live(facilitator, session_id, "start")
    pages += [facilitator.get(f"/atelier/sessions/{session_id}{url}") for url in ("", "/synthese")]
    for page in pages:
        html = page.get_data(as_text=True)
        assert "<script>alert" not in html and "<img src=x" not in html
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
        assert "&lt;img src=x onerror=alert(1)&gt;" in html
    for phone in phones:
        own = phone.get(f"/atelier/participer/{session_id}").get_data(as_text=True)
        assert "<script>alert" not in own and "<img src=x" not in own
    csv_text = facilitator.get(f"/atelier/sessions/{session_id}/resultats.csv").get_data(
        as_text=True
    )
    assert "<script>" in csv_text  # CSV is data, not HTML; formulas are what it must defuse


def guess(client, code: str, address: str = "127.0.0.1"):
    page = client.get("/atelier/", environ_base={"REMOTE_ADDR": address}).get_data(as_text=True)
    return client.post(
        "/atelier/",
        data={"csrf_token": token(page), "code": code, "name": "Eve"},
        environ_base={"REMOTE_ADDR": address},
    )


def test_join_attempts_are_rate_limited_per_browser(app):
    facilitator = login(app)
    _, code = open_session(facilitator)
    eve = app.test_client()
    for n in range(ratelimit.PER_BROWSER):
        response = guess(eve, f"AAAA{n + 22}")
        assert response.status_code == 200
        assert "Aucune session ouverte ne porte ce code" in response.get_data(as_text=True)
    blocked = guess(eve, code)
    assert blocked.status_code == 429  # even the right code is refused once blocked
    assert "Trop de tentatives" in blocked.get_data(as_text=True)
    # Another phone on the same Wi-Fi (same address) still joins.
    _, response = join(app, code, "Awa")
    assert response.status_code == 302
    with app.app_context():
        browser_rows = db.session().scalars(
            select(JoinFailure.failures).where(JoinFailure.client.like("join:navigateur:%"))
        )
        assert list(browser_rows) == [ratelimit.PER_BROWSER]


def test_a_noisy_address_is_slowed_down_never_blocked(app, monkeypatch):
    """A room on one Wi-Fi shares an address: after its budget of wrong codes, each further
    wrong code is answered more slowly, and a participant with the right code still joins."""
    from webapp.workshop import common

    monkeypatch.setattr(ratelimit, "PER_ADDRESS", 15)  # the same rule, a budget quick to use up
    waits: list[float] = []
    monkeypatch.setattr(common.time, "sleep", waits.append)
    facilitator = login(app)
    _, code = open_session(facilitator)
    for n in range(40):  # cookies dropped: a new browser each time
        assert guess(app.test_client(), f"BBBB{n % 8 + 22}", "203.0.113.9").status_code == 200
    assert waits[:14] == [0.0] * 14
    assert 0 < waits[15] <= waits[-1] <= ratelimit.MAX_DELAY
    assert waits[-1] > waits[15]  # progressive
    right = guess(app.test_client(), code, "203.0.113.9")
    assert right.status_code == 302  # the right code joins at once
    assert len(waits) == 40


def test_failed_logins_are_rate_limited_too(app):
    client = app.test_client()
    page = client.get("/atelier/connexion").get_data(as_text=True)
    data = {"csrf_token": token(page), "email": "anim@example.org", "password": "pas le bon"}
    for _ in range(ratelimit.PER_BROWSER):
        assert client.post("/atelier/connexion", data=data).status_code == 200
    blocked = client.post("/atelier/connexion", data=data | {"password": PASSWORD})
    assert blocked.status_code == 429
    assert client.get("/atelier/sessions").status_code == 302


def test_rate_limit_windows_expire(app):
    budgets = {"join:adresse:1.2.3.4": 3}
    with app.app_context():
        dbs = db.session()
        for _ in range(3):
            assert not ratelimit.is_blocked(dbs, budgets, now=10_000)
            ratelimit.record_failure(dbs, budgets, now=10_000)
        assert ratelimit.is_blocked(dbs, budgets, now=10_000)
        assert not ratelimit.is_blocked(dbs, {"join:adresse:5.6.7.8": 3}, now=10_000)
        # The turn of a window does not hand back the budget; the one after does.
        assert ratelimit.is_blocked(dbs, budgets, now=10_000 + ratelimit.WINDOW_SECONDS)
        later = 10_000 + 2 * ratelimit.WINDOW_SECONDS
        assert not ratelimit.is_blocked(dbs, budgets, now=later)
        ratelimit.record_failure(dbs, budgets, now=later + 3 * ratelimit.WINDOW_SECONDS)
        assert dbs.scalar(select(func.count()).select_from(JoinFailure)) == 1  # old rows pruned


def test_names_are_unique_per_session_and_cleaned(app):
    facilitator = login(app)
    _, code = open_session(facilitator)
    _, first = join(app, code, "  Zoé \t Martin ")
    assert first.status_code == 302
    _, clash = join(app, code, "zoe martin")
    assert "déjà pris" in clash.get_data(as_text=True)
    with app.app_context():
        (participant,) = db.session().scalars(select(Participant))
        assert participant.name == "Zoé Martin"


def test_closed_sessions_refuse_joins_and_answers_and_archive_hides_them(app):
    facilitator = login(app)
    session_id, code = open_session(facilitator, pace="self")
    phone, _ = join(app, code, "Awa")
    html = facilitator.get(f"/atelier/sessions/{session_id}").get_data(as_text=True)
    facilitator.post(
        f"/atelier/sessions/{session_id}/statut",
        data={"csrf_token": token(html), "action": "close"},
    )
    _, late = join(app, code, "Bruno")
    assert "Aucune session ouverte ne porte ce code" in late.get_data(as_text=True)
    first = items_of(app, session_id)[0]
    refused = answer(phone, session_id, right_fields(first))
    assert "La session est terminée" in refused.get_data(as_text=True)
    assert stored_answers(app, session_id) == []
    facilitator.post(
        f"/atelier/sessions/{session_id}/statut",
        data={"csrf_token": token(html), "action": "archive"},
    )
    listing = facilitator.get("/atelier/sessions").get_data(as_text=True)
    assert "Sessions archivées (1)" in listing


def test_join_codes_are_unique_among_open_sessions(app):
    with app.app_context():
        dbs = db.session()
        owner = dbs.scalar(select(Facilitator))
        first = services.open_session(dbs, owner, "theme-1", "Un")
        second = services.open_session(dbs, owner, "theme-1", "Deux")
        assert first.code != second.code
        second.code = first.code
        with pytest.raises(IntegrityError, match=r"(?i)unique"):  # SQLite and PostgreSQL
            dbs.commit()
        dbs.rollback()
        services.change_status(dbs, first, "close")
        again = dbs.get(Workshop, second.id)
        again.code = first.code  # a closed session's code may be reused
        dbs.commit()


# --- Self-paced sessions and results -------------------------------------------------------------


def test_self_paced_session_with_feedback_score_and_exports(app):
    facilitator = login(app)
    session_id, code = open_session(facilitator, pace="self", leaderboard=True)
    awa, _ = join(app, code, "Awa")
    bruno, _ = join(app, code, "=CMD()")
    items = items_of(app, session_id)
    for n, item in enumerate(items, start=1):
        response = answer(awa, session_id, right_fields(item))
        html = response.get_data(as_text=True)
        assert "Bonne réponse" in html
        assert item.question.explanation.split()[0] in html
        if n < len(items):
            assert f"Question {n + 1} sur 7" in html
    assert "Quiz terminé" in html
    assert "7 sur 7" in html
    for item in items[:3]:
        answer(bruno, session_id, wrong_fields(item))

    dashboard = facilitator.get(f"/atelier/sessions/{session_id}").get_data(as_text=True)
    assert "7 / 7" in dashboard and "3 / 7" in dashboard

    response = facilitator.get(f"/atelier/sessions/{session_id}/resultats.csv")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response.headers["Content-Disposition"]
    body = response.get_data()
    assert body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Participant", "Arrivée (UTC)", "Questions répondues"]
    assert [row[0] for row in rows[1:]] == ["Awa", "'=CMD()"]
    assert rows[1][3:6] == ["7", "7", "100"]

    questions = facilitator.get(f"/atelier/sessions/{session_id}/questions.csv").get_data()
    rows = list(csv.reader(io.StringIO(questions.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][4] == "Taux de réussite (%)"
    assert [row[2] for row in rows[1:]] == ["2", "2", "2", "1", "1", "1", "1"]

    summary = facilitator.get(f"/atelier/sessions/{session_id}/synthese").get_data(as_text=True)
    assert "Synthèse" in summary and "Résultats des participants" in summary
    assert "Questions et bonnes réponses" in summary


def test_the_session_fixes_its_questions_for_everyone(app):
    facilitator = login(app)
    session_id, _ = open_session(facilitator)
    with app.app_context():
        workshop = services.workshop_by_key(db.session(), session_id)
        first = session_attempt(workshop)
        again = session_attempt(workshop)
    assert [i.question.id for i in first.items] == [i.question.id for i in again.items]
    assert [i.order for i in first.items] == [i.order for i in again.items]


def test_a_session_whose_quiz_left_the_course_answers_404(app):
    facilitator = login(app)
    session_id, code = open_session(facilitator)
    phone, _ = join(app, code, "Awa")
    with app.app_context():
        services.workshop_by_key(db.session(), session_id).quiz_id = "retire"
        db.session().commit()
    assert facilitator.get(f"/atelier/sessions/{session_id}").status_code == 404
    assert phone.get(f"/atelier/participer/{session_id}").status_code == 404
    assert facilitator.get("/atelier/sessions").status_code == 200  # the list still works


def test_migration_creates_the_workshop_tables_and_downgrades(app):
    from alembic import command

    from webapp.db import alembic_config

    with app.app_context():
        engine = app.extensions["coopkit.db"].engine
        tables = set(inspect(engine).get_table_names())
        assert {
            "workshop_facilitator",
            "workshop_session",
            "workshop_participant",
            "workshop_answer",
            "workshop_join_failure",
        } <= tables
        config = alembic_config()
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "0001")
        assert not any(t.startswith("workshop_") for t in inspect(engine).get_table_names())


def test_workshop_pages_follow_the_csp_and_french_typography(app):
    facilitator = login(app)
    session_id, code = open_session(facilitator, leaderboard=True)
    phone, _ = join(app, code, "Awa")
    live(facilitator, session_id, "start")
    answer(phone, session_id, right_fields(current_item(app, session_id)))
    live(facilitator, session_id, "close")
    pages = {
        url: facilitator.get(url)
        for url in (
            "/atelier/sessions",
            "/atelier/mot-de-passe",
            f"/atelier/sessions/{session_id}",
            f"/atelier/sessions/{session_id}/projection",
            f"/atelier/sessions/{session_id}/synthese",
        )
    }
    pages["/atelier/"] = phone.get("/atelier/")
    pages["/atelier/connexion"] = app.test_client().get("/atelier/connexion")
    pages["participant"] = phone.get(f"/atelier/participer/{session_id}")
    for url, response in pages.items():
        html = response.get_data(as_text=True)
        assert response.status_code == 200, url
        assert "script-src 'self'" in response.headers["Content-Security-Policy"]
        assert response.headers["Cache-Control"] == "no-store"
        assert not re.search(r"<script>|<style|\sstyle=|\son[a-z]+=", html), url
        text = re.sub(r"<[^>]+>", " ", re.sub(r"<(script|svg)\b.*?</\1>", "", html, flags=re.S))
        # A plain space before ; : ! ? % is a typographic error in French.
        assert not re.search(r"\w [;:!?%]", text), (url, re.findall(r".{20}\w [;:!?%].{5}", text))
