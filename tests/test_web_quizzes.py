"""Quizzes in the browser's place: drawing, answering, grading, storing, forged submissions."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import event, func, select

from course import load_course, models
from course.attempts import Draw, Item, draw
from tests.conftest import REPO_ROOT, WEB_COURSE
from webapp import db
from webapp.models import Answer, Attempt, Learner


def token(html: str) -> str:
    """The CSRF token of the first form of a page."""
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def right_fields(item: Item) -> dict[str, object]:
    """The form fields that answer ``item`` right."""
    q = item.question
    if isinstance(q, models.SingleChoice):
        return {item.key: q.answer}
    if isinstance(q, models.MultipleChoice):
        return {item.key: list(q.answers)}
    if isinstance(q, models.TrueFalse):
        return {item.key: "vrai" if q.answer else "faux"}
    if isinstance(q, models.Matching):
        return {f"{item.key}-{n}": pair.right for n, pair in enumerate(q.pairs, start=1)}
    if isinstance(q, models.Ordering):
        return {
            f"{item.key}-{n}": str(q.items.index(text) + 1)
            for n, text in enumerate(item.order, start=1)
        }
    if isinstance(q, models.Numeric):
        return {item.key: f"{q.answer:g}".replace(".", ",")}
    if isinstance(q, models.ShortText):
        return {item.key: q.accepted[0].upper()}  # case does not matter
    raise AssertionError(q)


def count(app, model) -> int:
    with app.app_context():
        return db.session().scalar(select(func.count()).select_from(model))


@pytest.fixture
def app(make_app):
    return make_app(root=WEB_COURSE)


def open_attempt(client, quiz_id: str) -> tuple[str, str, int]:
    """Start a quiz as a learner does: the start page, its button, the questions page."""
    start = client.get(f"/quiz/{quiz_id}/").get_data(as_text=True)
    response = client.post(f"/quiz/{quiz_id}/", data={"csrf_token": token(start)})
    assert response.status_code == 302
    url = response.headers["Location"]
    seed = int(re.search(r"/tentative/(\d+)$", url).group(1))
    page = client.get(url)
    assert page.status_code == 200
    return url, page.get_data(as_text=True), seed


def answered_rightly(client, quiz_id: str = "theme-2") -> tuple[str, dict, Draw]:
    """Open an attempt as a learner does: its URL, the form data that answers it all right,
    and its questions."""
    url, page, seed = open_attempt(client, quiz_id)
    attempt = draw(load_course(WEB_COURSE), quiz_id, seed)
    data = {"csrf_token": token(page)}
    for item in attempt.items:
        data.update(right_fields(item))
    return url, data, attempt


def test_right_answers_score_full_marks_and_are_stored_with_the_answers(app):
    client = app.test_client()
    url, data, attempt = answered_rightly(client)
    assert {i.question.type for i in attempt.items} >= {"matching", "ordering", "multiple"}
    response = client.post(url, data=data)
    assert response.status_code == 302
    result = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Réussi&nbsp;: 100&nbsp;%" in result
    assert result.count("Explication&nbsp;:") == len(attempt.items)
    assert "/themes/theme-2/" in result  # links back to the slides
    with app.app_context():
        stored = db.session().scalars(select(Attempt)).one()
        assert (stored.quiz_id, stored.seed, stored.passed) == ("theme-2", attempt.seed, True)
        assert stored.score == stored.maximum == len(attempt.items)
        assert [a.item_key for a in stored.answers] == [i.key for i in attempt.items]
        assert all(a.correct for a in stored.answers)
        assert stored.submitted_at is not None


def test_blank_answers_score_zero_and_fail(app):
    client = app.test_client()
    url, page, _ = open_attempt(client, "theme-2")
    response = client.post(url, data={"csrf_token": token(page), "confirm_blank": "1"})
    result = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Pas encore réussi&nbsp;: 0&nbsp;%" in result
    assert "sans réponse" in result


def test_partly_right_matching_earns_partial_credit(app):
    client = app.test_client()
    course = load_course(WEB_COURSE)
    seed = next(
        s
        for s in range(100)
        if any(i.question.id == "q-match" for i in draw(course, "theme-2", s).items)
    )
    url = f"/quiz/theme-2/tentative/{seed}"
    page = client.get(url).get_data(as_text=True)
    item = next(i for i in draw(course, "theme-2", seed).items if i.question.id == "q-match")
    fields = right_fields(item)
    fields[f"{item.key}-1"] = "2001"  # the distractor: one pair out of three wrong
    response = client.post(url, data={"csrf_token": token(page), "confirm_blank": "1", **fields})
    assert response.status_code == 302
    with app.app_context():
        answer = db.session().scalars(select(Answer).where(Answer.item_key == item.key)).one()
        assert answer.score == pytest.approx(2 / 3)
        assert answer.response == {
            p.left: fields[f"{item.key}-{n}"] for n, p in enumerate(item.question.pairs, start=1)
        }


def test_retry_draws_a_new_seed_and_history_lists_attempts(app):
    client = app.test_client()
    url, page, first_seed = open_attempt(client, "theme-1")
    result_url = client.post(url, data={"csrf_token": token(page), "confirm_blank": "1"}).headers[
        "Location"
    ]
    result = client.get(result_url).get_data(as_text=True)
    assert "Réessayer avec de nouvelles questions" in result
    retry = client.post("/quiz/theme-1/", data={"csrf_token": token(result)})
    second_seed = int(re.search(r"/tentative/(\d+)$", retry.headers["Location"]).group(1))
    assert second_seed != first_seed
    page = client.get(retry.headers["Location"]).get_data(as_text=True)
    client.post(retry.headers["Location"], data={"csrf_token": token(page), "confirm_blank": "1"})
    history = client.get("/parcours").get_data(as_text=True)
    assert history.count("/quiz/resultats/") == 2
    assert (
        len(
            re.findall(
                r'<li><a href="/quiz/resultats/\d+">',
                client.get("/quiz/theme-1/").get_data(as_text=True),
            )
        )
        == 2
    )


def test_a_result_is_only_shown_to_its_learner(app):
    owner = app.test_client()
    url, page, _ = open_attempt(owner, "theme-1")
    result_url = owner.post(url, data={"csrf_token": token(page), "confirm_blank": "1"}).headers[
        "Location"
    ]
    assert owner.get(result_url).status_code == 200
    assert app.test_client().get(result_url).status_code == 404
    assert owner.get("/quiz/resultats/999999").status_code == 404


def test_the_final_quiz_draws_from_the_theme_banks(app):
    client = app.test_client()
    _, page, seed = open_attempt(client, "final")
    attempt = draw(load_course(WEB_COURSE), "final", seed)
    assert len(attempt.items) == 3
    for item in attempt.items:
        assert (
            item.question.prompt.replace("’", "&#39;")[:10] in page
            or item.question.prompt[:10] in page
        )


# --- Forged or invalid submissions: 400, a French message, nothing stored ----------


def forged(app, mutate) -> tuple[int, str]:
    """Submit a right attempt after ``mutate(data, attempt)``; return status and page text."""
    client = app.test_client()
    url, data, attempt = answered_rightly(client)
    mutate(data, attempt)
    response = client.post(url, data=data)
    return response.status_code, response.get_data(as_text=True)


def _item(attempt, kind: str) -> Item:
    return next(i for i in attempt.items if i.question.type == kind)


def _unknown_question(data, attempt):
    data["q99"] = "a"


def _choice_not_offered(data, attempt):
    data[_item(attempt, "single").key] = "z"


def _multiple_choice_not_offered(data, attempt):
    data[_item(attempt, "multiple").key] = ["a", "zz"]


def _matching_right_not_offered(data, attempt):
    data[f"{_item(attempt, 'matching').key}-1"] = "1492"


def _ordering_position_out_of_range(data, attempt):
    data[f"{_item(attempt, 'ordering').key}-1"] = "9"


def _missing_csrf(data, attempt):
    del data["csrf_token"]


def _forged_csrf(data, attempt):
    data["csrf_token"] = "forged"


@pytest.mark.parametrize(
    "mutate",
    [
        _unknown_question,
        _choice_not_offered,
        _multiple_choice_not_offered,
        _matching_right_not_offered,
        _ordering_position_out_of_range,
        _missing_csrf,
        _forged_csrf,
    ],
)
def test_forged_submissions_get_400_in_french_and_store_nothing(app, mutate):
    status, html = forged(app, mutate)
    assert status == 400
    assert "Requête refusée" in html
    assert "Rien n’a été enregistré" in html or "jeton de sécurité" in html
    assert count(app, Attempt) == 0
    assert count(app, Answer) == 0


def test_an_oversized_body_gets_400_and_stores_nothing(app):
    status, html = forged(app, lambda data, attempt: data.update(padding="x" * 100_000))
    assert status == 400
    assert "trop volumineuse" in html
    assert count(app, Attempt) == 0


def test_answers_for_another_quiz_are_refused(app):
    client = app.test_client()
    _, page, seed = open_attempt(client, "theme-1")
    other = draw(load_course(WEB_COURSE), "theme-2", seed)
    data = {"csrf_token": token(page)}
    for item in other.items:
        data.update(right_fields(item))
    response = client.post(f"/quiz/theme-1/tentative/{seed}", data=data)
    assert response.status_code == 400
    assert count(app, Attempt) == 0


def test_a_too_long_text_answer_is_refused(make_app):
    app = make_app(root=WEB_COURSE)
    client = app.test_client()
    course = load_course(WEB_COURSE)
    seed = next(
        s
        for s in range(50)
        if any(i.question.type == "short_text" for i in draw(course, "theme-1", s).items)
    )
    url = f"/quiz/theme-1/tentative/{seed}"
    key = next(
        i.key for i in draw(course, "theme-1", seed).items if i.question.type == "short_text"
    )
    page = client.get(url).get_data(as_text=True)
    assert client.post(url, data={"csrf_token": token(page), key: "x" * 201}).status_code == 400
    assert count(app, Attempt) == 0


def test_unknown_quiz_and_seed_out_of_range_are_404(app):
    client = app.test_client()
    assert client.get("/quiz/no-such-quiz/").status_code == 404
    assert client.get("/quiz/no-such-quiz/tentative/1").status_code == 404
    assert client.get(f"/quiz/theme-2/tentative/{2**40}").status_code == 404


# --- Mistakes a learner can fix: the form comes back with a message -----------------


def test_a_number_that_is_not_a_number_is_shown_back_not_stored(app):
    def not_a_number(data, attempt):
        data[_item(attempt, "numeric").key] = "mille neuf cent"

    status, html = forged(app, not_a_number)
    assert status == 422
    assert "n’est pas un nombre" in html
    assert 'value="mille neuf cent"' in html  # the learner's answers are kept
    assert count(app, Attempt) == 0


def test_two_items_at_the_same_position_are_shown_back(app):
    def same_position(data, attempt):
        item = _item(attempt, "ordering")
        data[f"{item.key}-1"] = data[f"{item.key}-2"] = "1"

    status, html = forged(app, same_position)
    assert status == 422
    assert "une position différente" in html
    assert count(app, Attempt) == 0


def test_an_attempt_is_stored_whole_or_not_at_all(app, monkeypatch):
    """A failure while storing the answers leaves no attempt, no answer and no learner row."""
    stored: list[Answer] = []

    def disk_full_after_some(_mapper, _connection, answer: Answer) -> None:
        stored.append(answer)  # the learner and the attempt are inserted, not yet committed
        if len(stored) == 3:
            raise RuntimeError("disk full")

    client = app.test_client()
    url, page, _ = open_attempt(client, "theme-2")
    event.listen(Answer, "before_insert", disk_full_after_some)
    try:
        with pytest.raises(RuntimeError, match="disk full"):
            client.post(url, data={"csrf_token": token(page), "confirm_blank": "1"})
    finally:
        event.remove(Answer, "before_insert", disk_full_after_some)
    assert len(stored) == 3
    assert (count(app, Attempt), count(app, Answer), count(app, Learner)) == (0, 0, 0)
    # The learner's row was rolled back with the rest: a later attempt stores it again.
    url, page, _ = open_attempt(client, "theme-2")
    assert (
        client.post(url, data={"csrf_token": token(page), "confirm_blank": "1"}).status_code == 302
    )
    assert (count(app, Attempt), count(app, Learner)) == (1, 1)


def test_shipped_theme_2_quiz_has_matching_and_generated_questions():
    """The browser test relies on it; so does the course's promise of generated questions."""
    course = load_course(REPO_ROOT)
    quiz = course.quiz_for_module("theme-2")
    assert quiz is not None
    kinds = {q.type for q in quiz.questions}
    assert "matching" in kinds or any(
        getattr(q, "generator", None) in {"founding_year", "members"} for q in quiz.questions
    )
    assert "generated" in kinds
