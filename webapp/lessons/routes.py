"""Lessons: the course home, one slide per page, the learner's notes, the glossary, progress."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from course import models
from webapp import db
from webapp.content import current_course, glossary
from webapp.learners import current_learner, learner_id, store_learner
from webapp.lessons.forms import DisplayNameForm
from webapp.models import Attempt, Learner, SlideView, utcnow
from webapp.timeline import timeline_svg

bp = Blueprint("lessons", __name__)


def _module_or_404(module_id: str) -> models.Module:
    try:
        return current_course().module(module_id)
    except KeyError:
        abort(404)


def slide_texts(slide) -> list[str]:
    """Every text a learner sees on a slide (never the facilitator notes)."""
    texts = [getattr(slide, "title", None), getattr(slide, "subtitle", None), slide.learner_notes]
    for bullet in getattr(slide, "bullets", []):
        texts += [bullet.text, *bullet.sub]
    if isinstance(slide, models.QuoteSlide):
        texts.append(slide.quote.text)
    if isinstance(slide, models.TableSlide):
        texts += [cell for row in slide.table.rows for cell in row]
    texts += [f.text for f in getattr(slide, "forms", [])]
    texts += [t for card in getattr(slide, "cards", []) for t in (card.title, card.text)]
    texts += [event.label for event in getattr(slide, "events", [])]
    return [t for t in texts if t]


def progress_by_module() -> dict[str, int]:
    """How many distinct slides of each module this learner has read."""
    if current_learner() is None:
        return {}
    rows = db.session().execute(
        select(SlideView.module_id, func.count())
        .where(SlideView.learner_id == learner_id())
        .group_by(SlideView.module_id)
    )
    return {module_id: count for module_id, count in rows}


def best_scores() -> dict[str, Attempt]:
    """This learner's best attempt per quiz."""
    if current_learner() is None:
        return {}
    attempts = db.session().scalars(
        select(Attempt).where(Attempt.learner_id == learner_id()).order_by(Attempt.percent)
    )
    return {attempt.quiz_id: attempt for attempt in attempts}


def record_view(module: models.Module, slide_id: str) -> None:
    """Remember that this learner read this slide (once; another tab doing it too is harmless).

    A slide read before is only looked up: paging back through a theme writes nothing.
    """
    dbs = db.session()
    learner = learner_id()
    seen = select(SlideView.id).where(
        SlideView.learner_id == learner, SlideView.slide_id == slide_id
    )
    if dbs.scalar(seen) is not None:
        return
    try:
        with db.transaction(dbs):
            store_learner(dbs)
            view = db.insert(dbs, SlideView).values(
                learner_id=learner, module_id=module.id, slide_id=slide_id, seen_at=utcnow()
            )
            dbs.execute(view.on_conflict_do_nothing(index_elements=["learner_id", "slide_id"]))
    except OperationalError as error:
        # Best effort: a read-only or full disk must not hide the lesson from the learner.
        current_app.logger.warning("slide view not recorded: %s", error.orig or error)


@bp.get("/")
def home():
    """The course, its themes with objectives and duration, and this learner's progress."""
    course = current_course()
    return render_template(
        "lessons/home.html",
        course=course,
        progress=progress_by_module(),
        best=best_scores(),
        final_quiz=course.quizzes.get("final"),
    )


@bp.get("/themes/<module_id>/")
def module(module_id: str):
    """A theme's overview: objectives, sections, glossary, quiz."""
    module = _module_or_404(module_id)
    course = current_course()
    return render_template(
        "lessons/module.html",
        module=module,
        quiz=course.quiz_for_module(module.id),
        read=progress_by_module().get(module.id, 0),
        best=best_scores(),
    )


@bp.get("/themes/<module_id>/<int:number>")
def slide(module_id: str, number: int):
    """One slide per page, with previous/next, progress and the terms it uses explained."""
    module = _module_or_404(module_id)
    slides = module.slides
    if not 1 <= number <= len(slides):
        abort(404)
    current = slides[number - 1]
    record_view(module, current.id)
    course = current_course()
    return render_template(
        "lessons/slide.html",
        module=module,
        section=course.slides[current.id].section,
        slide=current,
        number=number,
        total=len(slides),
        terms=glossary().find(slide_texts(current)),
        quiz=course.quiz_for_module(module.id),
        timeline=_timeline_for(current),
    )


def _timeline_for(slide) -> object:
    if not isinstance(slide, models.TimelineSlide):
        return None
    processes = [current_course().processes[pid] for pid in slide.timeline]
    return timeline_svg(processes, slide.title, svg_id=f"chronologie-{slide.id}")


@bp.get("/themes/<module_id>/notes")
def notes(module_id: str):
    """The learner's notes for a theme: every slide's content and learner notes, printable."""
    module = _module_or_404(module_id)
    return render_template(
        "lessons/notes.html",
        module=module,
        timelines={s.id: _timeline_for(s) for s in module.slides},
        terms=glossary().find([t for s in module.slides for t in slide_texts(s)]),
    )


@bp.get("/glossaire")
def glossary_page():
    """Every term of the course, alphabetically."""
    return render_template("lessons/glossary.html", entries=current_course().glossary)


@bp.route("/parcours", methods=["GET", "POST"])
def profile():
    """The learner's display name and attempt history."""
    form = DisplayNameForm()
    if form.validate_on_submit():
        dbs = db.session()
        name = form.display_name.data or None
        with db.transaction(dbs):
            store_learner(dbs)
            dbs.get(Learner, learner_id()).display_name = name
        flash("Votre nom a été enregistré." if name else "Nom effacé.")
        return redirect(url_for("lessons.profile"))
    learner = current_learner()
    if learner is not None and not form.is_submitted():
        form.display_name.data = learner.display_name
    attempts = []
    if learner is not None:
        attempts = (
            db.session()
            .scalars(
                select(Attempt)
                .where(Attempt.learner_id == learner.id)
                .order_by(Attempt.submitted_at.desc(), Attempt.id.desc())
            )
            .all()
        )
    status = 400 if form.errors else 200
    return render_template(
        "lessons/profile.html",
        form=form,
        attempts=attempts,
        progress=progress_by_module(),
        quizzes=current_course().quizzes,
    ), status
