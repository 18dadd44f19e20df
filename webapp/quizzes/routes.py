"""Quizzes: start (a new seed), answer, grade and store in one transaction, review, history."""

from __future__ import annotations

import secrets

from flask import Blueprint, abort, redirect, render_template, request, url_for
from sqlalchemy import select

from course import models
from course.attempts import AttemptResult, Draw, grade_attempt
from course.responses import InvalidResponse
from webapp import db
from webapp.answers import read_answers, unexpected_fields
from webapp.content import current_course, drawn
from webapp.errors import BadSubmission
from webapp.learners import current_learner, learner_id, store_learner
from webapp.models import Answer, Attempt
from webapp.quizzes.forms import StartForm

bp = Blueprint("quizzes", __name__)


MAX_SEED = 2**31 - 1


def _quiz_or_404(quiz_id: str) -> models.Quiz:
    quiz = current_course().quizzes.get(quiz_id)
    if quiz is None:
        abort(404)
    return quiz


def _history(quiz_id: str | None = None) -> list[Attempt]:
    if current_learner() is None:
        return []
    query = select(Attempt).where(Attempt.learner_id == learner_id())
    if quiz_id:
        query = query.where(Attempt.quiz_id == quiz_id)
    return list(db.session().scalars(query.order_by(Attempt.id.desc())))


@bp.get("/")
def index():
    """Every quiz of the course, with this learner's best score."""
    best: dict[str, Attempt] = {}
    for attempt in sorted(_history(), key=lambda a: a.percent):
        best[attempt.quiz_id] = attempt
    return render_template("quizzes/index.html", quizzes=current_course().quizzes, best=best)


@bp.route("/<quiz_id>/", methods=["GET", "POST"])
def start(quiz_id: str):
    """A quiz's presentation and history; posting draws a new seed and opens the questions."""
    quiz = _quiz_or_404(quiz_id)
    form = StartForm()
    if form.validate_on_submit():
        seed = secrets.randbelow(MAX_SEED)
        return redirect(url_for("quizzes.take", quiz_id=quiz.id, seed=seed))
    module = current_course().modules_by_id.get(quiz.module) if quiz.module else None
    count = len(drawn(quiz.id, 0).items)
    return render_template(
        "quizzes/start.html",
        quiz=quiz,
        module=module,
        count=count,
        form=form,
        history=_history(quiz.id),
    )


def _draw_or_404(quiz_id: str, seed: int) -> Draw:
    _quiz_or_404(quiz_id)
    if not 0 <= seed <= MAX_SEED:
        abort(404)
    return drawn(quiz_id, seed)


@bp.route("/<quiz_id>/tentative/<int:seed>", methods=["GET", "POST"])
def take(quiz_id: str, seed: int):
    """The questions of one attempt; a valid submission is graded, stored and reviewed."""
    attempt = _draw_or_404(quiz_id, seed)
    if request.method == "POST":
        return _submit(attempt)
    return _questions_page(attempt)


def _submit(attempt: Draw):
    """Check, grade and store a submission; show it again if the learner must fix something."""
    if unexpected_fields(attempt.items, request.form, allowed={"csrf_token", "submit"}):
        raise BadSubmission(
            "Cette soumission contient une réponse à une question qui ne fait pas partie "
            "de ce quiz. Rien n’a été enregistré."
        )
    try:
        answers = read_answers(attempt.items, request.form)
        if answers.mistakes:
            return _questions_page(attempt, answers.mistakes), 422
        result = grade_attempt(attempt, answers.values)
    except InvalidResponse:
        raise BadSubmission(
            "Une réponse ne correspond à aucun choix proposé par ce quiz. Rien n’a été enregistré."
        ) from None
    stored = _store(attempt, answers.values, result)
    return redirect(url_for("quizzes.result", attempt_id=stored))


def _questions_page(attempt: Draw, mistakes: dict[str, str] | None = None) -> str:
    """The page of an attempt's questions; with mistakes, the learner's answers shown again."""
    return render_template(
        "quizzes/take.html",
        quiz=current_course().quizzes[attempt.quiz_id],
        attempt=attempt,
        count=len(attempt.items),
        values=request.form if mistakes else None,
        mistakes=mistakes or {},
    )


def _store(draw_: Draw, responses: dict[str, object], result: AttemptResult) -> int:
    """Store the attempt and all its answers in one transaction (all or nothing); its id.

    The rows are made before the transaction begins: on SQLite it holds the only write
    lock, which every other submission waits for.
    """
    attempt = Attempt(
        learner_id=learner_id(),
        quiz_id=draw_.quiz_id,
        seed=draw_.seed,
        score=result.score,
        maximum=result.maximum,
        percent=result.percent,
        passed=result.passed,
        answers=[
            Answer(
                position=position,
                item_key=item.key,
                question_id=item.question.id,
                response=responses.get(item.key),
                score=result.grades[item.key].score,
                maximum=result.grades[item.key].maximum,
                correct=result.grades[item.key].correct,
            )
            for position, item in enumerate(draw_.items, start=1)
        ],
    )
    new_learner = current_learner() is None
    dbs = db.session()
    with db.transaction(dbs):
        if new_learner:
            store_learner(dbs)
        dbs.add(attempt)
    return attempt.id


@bp.get("/resultats/<int:attempt_id>")
def result(attempt_id: int):
    """Score, pass or fail, and each question with the answer, the explanation and its slide."""
    attempt = db.session().get(Attempt, attempt_id)
    if attempt is None or attempt.learner_id != learner_id():
        abort(404)
    quiz = _quiz_or_404(attempt.quiz_id)
    review = _review(attempt)
    return render_template(
        "quizzes/result.html",
        attempt=attempt,
        quiz=quiz,
        review=review,
        start_form=StartForm(),
    )


def _review(attempt: Attempt):
    """The attempt rebuilt from its seed and regraded from the stored answers.

    Returns None when the quiz has changed since (the stored scores still stand).
    """
    try:
        rebuilt = drawn(attempt.quiz_id, attempt.seed)
        responses = {a.item_key: a.response for a in attempt.answers}
        if [i.question.id for i in rebuilt.items] != [a.question_id for a in attempt.answers]:
            return None
        graded = grade_attempt(rebuilt, responses)
    except (ValueError, KeyError):
        return None
    return [(item, graded.grades[item.key]) for item in rebuilt.items]
