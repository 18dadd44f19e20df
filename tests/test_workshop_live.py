"""The live room without a browser: an early end rates only the questions asked, the timer
refuses late answers, polls are cheap (ETag, 304), the dashboard names who has not answered."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from tests.test_workshop_flow import (
    PASSWORD,
    answer,
    items_of,
    join,
    live,
    login,
    open_session,
    right_fields,
    token,
    workshop_course,
    wrong_fields,
)
from webapp import db
from webapp.workshop import services


@pytest.fixture
def app(make_app, small_course):
    """The app on the seven-type quiz course, with one facilitator."""
    app = make_app(workshop_course(small_course))
    with app.app_context():
        services.add_facilitator(db.session(), "anim@example.org", PASSWORD)
    return app


def run_questions(app, facilitator, session_id, phones, asked: int) -> None:
    """Ask ``asked`` questions: the first phone answers right, the others wrong."""
    items = items_of(app, session_id)
    live(facilitator, session_id, "start")
    for number, item in enumerate(items[:asked], start=1):
        for n, phone in enumerate(phones):
            answer(phone, session_id, right_fields(item) if n == 0 else wrong_fields(item))
        live(facilitator, session_id, "close")
        live(facilitator, session_id, "reveal")
        if number < asked:
            live(facilitator, session_id, "next")


def test_an_early_end_rates_only_the_questions_asked(app):
    facilitator = login(app)
    session_id, code = open_session(facilitator, leaderboard=True)
    awa, _ = join(app, code, "Awa")
    run_questions(app, facilitator, session_id, [awa], asked=2)
    live(facilitator, session_id, "finish")  # after 2 of 7 questions
    projector = facilitator.get(f"/atelier/sessions/{session_id}/projection").get_data(as_text=True)
    # Awa answered both questions asked right: 100 %, not 2/7 = 29 %.
    assert "Taux de réussite de la salle\u00a0: 100\u202f%" in projector
    assert "2 questions posées sur 7" in projector
    summary = facilitator.get(f"/atelier/sessions/{session_id}/synthese").get_data(as_text=True)
    assert re.search(r"Réussite moyenne</dt><dd>100\s*%", summary)
    assert summary.count('<td class="is-number">2 / 2</td>') == 1  # answered of asked
    stats = facilitator.get(f"/atelier/sessions/{session_id}/questions.csv").get_data(as_text=True)
    assert len(stats.strip().splitlines()) == 1 + 2  # a header and the two questions asked
    people = facilitator.get(f"/atelier/sessions/{session_id}/resultats.csv").get_data(as_text=True)
    assert ";100;" in people.splitlines()[1]  # Awa's percentage over the questions asked
    phone = awa.get(f"/atelier/participer/{session_id}").get_data(as_text=True)
    assert re.search(r"Votre score\u00a0: <strong>(\d+) sur \1</strong>", phone)


def test_ending_after_every_question_rates_them_all(app):
    facilitator = login(app)
    session_id, code = open_session(facilitator)
    awa, _ = join(app, code, "Awa")
    run_questions(app, facilitator, session_id, [awa], asked=len(items_of(app, session_id)))
    live(facilitator, session_id, "next")  # « Voir les résultats »
    with app.app_context():
        workshop = services.workshop_by_key(db.session(), session_id)
        assert workshop.phase == "finished" and workshop.asked == 7
    summary = facilitator.get(f"/atelier/sessions/{session_id}/synthese").get_data(as_text=True)
    assert '<td class="is-number">7 / 7</td>' in summary


def test_the_timer_refuses_answers_once_over(app):
    facilitator = login(app)
    page = facilitator.get("/atelier/sessions").get_data(as_text=True)
    assert "Minuterie par question" in page
    data = {"csrf_token": token(page), "title": "Minuté", "quiz_id": "theme-1", "pace": "live"}
    response = facilitator.post("/atelier/sessions", data=data | {"timer": "20"})
    session_id = response.headers["Location"].rsplit("/", 1)[1]
    html = facilitator.get(f"/atelier/sessions/{session_id}").get_data(as_text=True)
    code = re.search(r'class="ws-code"[^>]*>([^<]+)<', html).group(1).replace("\u202f", "")
    awa, _ = join(app, code, "Awa")
    bruno, _ = join(app, code, "Bruno")
    live(facilitator, session_id, "start")
    item = items_of(app, session_id)[0]
    shown = awa.get(f"/atelier/participer/{session_id}").get_data(as_text=True)
    remaining = int(re.search(r'data-remaining="(\d+)"', shown).group(1))
    assert 18 <= remaining <= 20
    assert "Réponse enregistrée" in answer(awa, session_id, right_fields(item)).get_data(
        as_text=True
    )
    with app.app_context():  # 23 s later: the 20 s and the 2 s of grace are over
        dbs = db.session()
        workshop = services.workshop_by_key(dbs, session_id)
        workshop.asked_at -= timedelta(seconds=23)
        dbs.commit()
    late = answer(bruno, session_id, right_fields(item)).get_data(as_text=True)
    assert "Le temps est écoulé" in late
    with app.app_context():
        workshop = services.workshop_by_key(db.session(), session_id)
        assert services.count_all_answers(db.session(), workshop) == 1


def test_polls_answer_304_while_nothing_changed(app):
    facilitator = login(app)
    session_id, code = open_session(facilitator)
    awa, _ = join(app, code, "Awa")
    state = f"/atelier/participer/{session_id}/etat"
    first = awa.get(state)
    etag = first.headers["ETag"]
    assert first.get_json()["version"] == 0 and "no-cache" in first.headers["Cache-Control"]
    again = awa.get(state, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""
    live(facilitator, session_id, "start")
    moved = awa.get(state, headers={"If-None-Match": etag})
    assert moved.status_code == 200 and moved.get_json()["version"] == 1
    desk = f"/atelier/sessions/{session_id}/etat"
    seen = facilitator.get(desk)
    assert facilitator.get(desk, headers={"If-None-Match": seen.headers["ETag"]}).status_code == 304
    answer(awa, session_id, right_fields(items_of(app, session_id)[0]))
    assert facilitator.get(desk, headers={"If-None-Match": seen.headers["ETag"]}).status_code == 200


def test_the_dashboard_names_who_has_not_answered(app):
    facilitator = login(app)
    session_id, code = open_session(facilitator)
    phones = {name: join(app, code, name)[0] for name in ("Awa", "Bruno", "Chloé")}
    live(facilitator, session_id, "start")
    answer(phones["Bruno"], session_id, right_fields(items_of(app, session_id)[0]))
    html = facilitator.get(f"/atelier/sessions/{session_id}").get_data(as_text=True)
    waiting = re.search(r'class="ws-name-list">(.*?)</ul>', html).group(1)
    assert "Awa" in waiting and "Chloé" in waiting and "Bruno" not in waiting
    assert "Pas encore répondu\u202f: 2 sur 3" in html
    for name in ("Awa", "Chloé"):
        answer(phones[name], session_id, right_fields(items_of(app, session_id)[0]))
    html = facilitator.get(f"/atelier/sessions/{session_id}").get_data(as_text=True)
    assert "Tout le monde a répondu" in html
