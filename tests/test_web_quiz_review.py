"""Self-paced quizzes after issue 20: a submitted draw is closed, a warning before leaving
questions blank, the review (« Sans réponse », grid, choices as a list); the fixes of item 7."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from course import load_course
from course.attempts import draw
from tests.conftest import REPO_ROOT, WEB_COURSE
from tests.test_web_quizzes import answered_rightly, count, token
from tests.test_workshop_flow import login
from webapp import db
from webapp.models import Attempt


@pytest.fixture
def quiz_app(make_app):
    return make_app(root=WEB_COURSE)


def test_submitting_the_same_draw_again_stores_nothing_and_shows_its_result(quiz_app):
    client = quiz_app.test_client()
    url, data, _ = answered_rightly(client)
    first = client.post(url, data=data)
    assert first.status_code == 302
    # Browser Back, then the same form sent again (the old page's token and answers).
    again = client.post(url, data=data)
    assert again.status_code == 302
    assert again.headers["Location"] == first.headers["Location"]
    assert count(quiz_app, Attempt) == 1
    shown = client.get(again.headers["Location"]).get_data(as_text=True)
    assert "déjà validée" in shown and "Réussi&nbsp;: 100&nbsp;%" in shown
    # Opening the questions page of a submitted draw leads to its result too.
    reopened = client.get(url)
    assert (reopened.status_code, reopened.headers["Location"]) == (302, first.headers["Location"])
    # Another learner may still answer the same draw.
    other = quiz_app.test_client()
    page = other.get(url).get_data(as_text=True)
    fields = {k: v for k, v in data.items() if k != "csrf_token"}
    assert other.post(url, data={"csrf_token": token(page), **fields}).status_code == 302
    assert count(quiz_app, Attempt) == 2


def test_unanswered_questions_are_warned_about_before_anything_is_stored(quiz_app):
    client = quiz_app.test_client()
    url, data, attempt = answered_rightly(client)
    skipped = attempt.items[1]
    data = {k: v for k, v in data.items() if not k.startswith(skipped.key)}
    warned = client.post(url, data=data)
    assert warned.status_code == 200
    html = warned.get_data(as_text=True)
    assert count(quiz_app, Attempt) == 0
    assert "1 question sans réponse" in html
    assert f'href="#{skipped.key}-question">Question 2</a>' in html
    assert "Valider quand même" in html
    # The warning's button sends the answers given so far, as they are.
    confirm = re.search(r'<form method="post" class="actions">(.*?)</form>', html, re.S).group(1)
    sent = dict(re.findall(r'<input name="([^"]+)" type="hidden" value="([^"]*)">', confirm))
    assert sent["confirm_blank"] == "1"
    first = attempt.items[0]
    assert any(name.startswith(first.key) for name in sent)
    done = client.post(url, data={**data, "confirm_blank": "1"})
    assert done.status_code == 302
    assert count(quiz_app, Attempt) == 1
    result = client.get(done.headers["Location"]).get_data(as_text=True)
    review = result.split('id="correction"')[1]
    assert review.count('<span class="badge blank">Sans réponse</span>') == 1
    assert review.count('<span class="badge ok">Juste</span>') == len(attempt.items) - 1


def test_the_review_has_a_question_grid_retry_twice_and_choices_as_a_list(quiz_app):
    client = quiz_app.test_client()
    url, data, attempt = answered_rightly(client)
    multiple = next(i for i in attempt.items if i.question.type == "multiple")
    wrong = next(c.id for c in multiple.question.choices if c.id not in multiple.question.answers)
    data[multiple.key] = [*multiple.question.answers, wrong]  # one tick too many
    result = client.get(client.post(url, data=data).headers["Location"]).get_data(as_text=True)
    grid = re.search(r'<nav class="question-grid".*?</nav>', result, re.S).group(0)
    links = re.findall(r'href="#reponse-(\d+)"', grid)
    assert links == [str(n) for n in range(1, len(attempt.items) + 1)]
    for n in links:
        assert f'id="reponse-{n}"' in result
    number = attempt.items.index(multiple) + 1
    assert re.search(rf'<a class="partial" href="#reponse-{number}">', grid)
    assert result.count("Réessayer avec de nouvelles questions") == 2
    assert "cochée" not in result  # no « cochée / non cochée » table
    item = result.split(f'id="reponse-{number}"')[1].split("</li>\n  \n")[0]
    rows = re.findall(r'<li class="([^"]*)">', item)
    assert len(rows) == len(multiple.question.choices)
    assert sum("ko" in r.split() for r in rows) == 1  # the wrong tick, marked
    assert "À ne pas choisir" in item and "Bonne réponse" in item


def test_history_times_are_local_and_not_labelled_utc(quiz_app):
    client = quiz_app.test_client()
    url, data, _ = answered_rightly(client)
    client.post(url, data=data)
    with quiz_app.app_context():
        stamp = db.session().scalars(select(Attempt)).one().submitted_at
    for page in ("/parcours", "/quiz/theme-2/"):
        html = client.get(page).get_data(as_text=True)
        assert "Date (UTC)" not in html and "(UTC)" not in html
        iso = stamp.isoformat(timespec="seconds") + "Z"
        assert f'<time class="local-time" datetime="{iso}">' in html


def test_a_unit_follows_the_number_it_counts(shipped_app):
    app = shipped_app
    course = load_course(REPO_ROOT)
    for quiz_id in course.quizzes:
        seed = next(
            (
                s
                for s in range(200)
                if any(
                    i.question.type == "numeric" and i.question.unit
                    for i in draw(course, quiz_id, s).items
                )
            ),
            None,
        )
        if seed is not None:
            break
    else:
        raise AssertionError("no numeric question with a unit in the course")
    item = next(i for i in draw(course, quiz_id, seed).items if i.question.type == "numeric")
    html = app.test_client().get(f"/quiz/{quiz_id}/tentative/{seed}").get_data(as_text=True)
    assert f"(en {item.question.unit})" not in html
    assert f'<label class="unit" for="{item.key}">{item.question.unit}</label>' in html


def test_workshop_fields_never_say_none_in_aria(make_app, small_course):
    from tests.test_workshop_flow import workshop_course

    app = make_app(root=workshop_course(small_course))
    with app.app_context():
        from tests.test_workshop_flow import PASSWORD
        from webapp.workshop import services

        services.add_facilitator(db.session(), "anim@example.org", PASSWORD)
    anonymous = app.test_client()
    facilitator = login(app)
    pages = [
        (anonymous, "/atelier/"),
        (anonymous, "/atelier/connexion"),
        (facilitator, "/atelier/sessions"),
        (facilitator, "/atelier/mot-de-passe"),
    ]
    for client, url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.get_data(as_text=True)
        assert '="None"' not in html, url
        assert "aria-invalid" not in html, url  # nothing is invalid on a fresh form


def test_the_login_redirect_has_no_stray_question_mark(make_app, small_course):
    from tests.test_workshop_flow import workshop_course

    app = make_app(root=workshop_course(small_course))
    response = app.test_client().get("/atelier/sessions")
    assert response.status_code == 302
    assert response.headers["Location"] == "/atelier/connexion?next=/atelier/sessions"
