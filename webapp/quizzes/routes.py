"""Quizzes: start (a new seed), answer, grade and store in one transaction, review, history."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select

from course import models
from course.attempts import AttemptResult, Draw, Item, grade_attempt
from course.grading import Grade
from course.kinds import kind_of
from course.responses import InvalidResponse, is_blank
from webapp import db
from webapp.answers import read_answers, unexpected_fields
from webapp.content import current_course, drawn
from webapp.errors import BadSubmission
from webapp.learners import current_learner, learner_id, store_learner
from webapp.models import Answer, Attempt, Learner
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
    done = _submitted(attempt)
    if done is not None:
        # A submitted draw is closed: Back then submit again stores nothing.
        if request.method == "POST":
            flash("Cette tentative était déjà validée : rien de plus n’a été enregistré.")
        return redirect(url_for("quizzes.result", attempt_id=done))
    if request.method == "POST":
        return _submit(attempt)
    return _questions_page(attempt)


def _submitted(draw_: Draw) -> int | None:
    """The id of this learner's stored attempt of this very draw, if any."""
    if current_learner() is None:
        return None
    return db.session().scalar(
        select(Attempt.id).where(
            Attempt.learner_id == learner_id(),
            Attempt.quiz_id == draw_.quiz_id,
            Attempt.seed == draw_.seed,
        )
    )


def _submit(attempt: Draw):
    """Check, grade and store a submission; show it again if the learner must fix something."""
    allowed = {"csrf_token", "submit", "confirm_blank"}
    if unexpected_fields(attempt.items, request.form, allowed=allowed):
        raise BadSubmission(
            "Cette soumission contient une réponse à une question qui ne fait pas partie "
            "de ce quiz. Rien n’a été enregistré."
        )
    try:
        answers = read_answers(attempt.items, request.form)
        if answers.mistakes:
            return _questions_page(attempt, answers.mistakes), 422
        blank = [item.key for item in attempt.items if is_blank(answers.values.get(item.key))]
        if blank and "confirm_blank" not in request.form:
            # A warning step: the learner may have missed a question.
            return _questions_page(attempt, blank=blank)
        result = grade_attempt(attempt, answers.values)
    except InvalidResponse:
        raise BadSubmission(
            "Une réponse ne correspond à aucun choix proposé par ce quiz. Rien n’a été enregistré."
        ) from None
    stored = _store(attempt, answers.values, result)
    return redirect(url_for("quizzes.result", attempt_id=stored))


def _questions_page(
    attempt: Draw, mistakes: dict[str, str] | None = None, blank: list[str] | None = None
) -> str:
    """The page of an attempt's questions; with mistakes to fix or unanswered questions to
    confirm, the learner's answers shown again."""
    numbers = {item.key: n for n, item in enumerate(attempt.items, start=1)}
    return render_template(
        "quizzes/take.html",
        quiz=current_course().quizzes[attempt.quiz_id],
        attempt=attempt,
        count=len(attempt.items),
        values=request.form if mistakes or blank else None,
        mistakes=mistakes or {},
        blank=blank or [],
        numbers=numbers,
    )


def _store(draw_: Draw, responses: dict[str, object], result: AttemptResult) -> int:
    """Store the attempt and all its answers in one transaction (all or nothing); its id."""
    dbs = db.session()
    with db.transaction(dbs):
        store_learner(dbs)
        # The learner's row locked (PostgreSQL; SQLite's write transaction already is):
        # two submissions of one draw at once store it once.
        dbs.execute(select(Learner.id).where(Learner.id == learner_id()).with_for_update())
        done = _submitted(draw_)
        if done is not None:
            return done
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


@dataclass
class Reviewed:
    """One question of a submitted attempt, as the review shows it."""

    item: Item
    grade: Grade
    blank: bool
    # (text, picked by the learner, right) of each choice in the order shown; None
    # for a question that is not answered by picking choices.
    choices: list[tuple[str, bool, bool]] | None

    @property
    def verdict(self) -> str:
        if self.blank:
            return "blank"
        if self.grade.correct:
            return "right"
        return "partial" if self.grade.score > 0 else "wrong"


CHOICE_TYPES = {"single", "multiple", "true_false"}


def _reviewed(item: Item, grade: Grade, response: object) -> Reviewed:
    choices = None
    if item.question.type in CHOICE_TYPES:
        kind = kind_of(item.question)
        picked = kind.picked(response) if not is_blank(response) else []
        choices = [
            (label, value in picked, right)
            for value, label, right in kind.offered(item.question, item.order)
        ]
    return Reviewed(item, grade, is_blank(response), choices)


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
    return [_reviewed(i, graded.grades[i.key], responses.get(i.key)) for i in rebuilt.items]
