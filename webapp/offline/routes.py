"""The offline quiz page: a drawn attempt, its questions as JSON for the in-browser grader.

Registered only on the app that renders the offline site and the SCORM packages, never on
the served app (whose quizzes are graded by the server).
"""

from __future__ import annotations

import json

from flask import Blueprint, abort, render_template

from course.attempts import Draw, UnknownQuiz, draw
from webapp.content import current_course

bp = Blueprint("offline", __name__)

# A static page holds one attempt; seed 0 is the one the LMS exports show too.
SEED = 0


def attempt_data(attempt: Draw) -> dict:
    """What the in-browser grader needs: each item's key, shown order and question data
    (the same data ``course.grading`` grades), and the pass mark."""
    return {
        "quiz": attempt.quiz_id,
        "pass_percent": attempt.pass_percent,
        "items": [
            {
                "key": item.key,
                "order": list(item.order),
                "question": item.question.model_dump(mode="json"),
            }
            for item in attempt.items
        ],
    }


def script_json(data: dict) -> str:
    """JSON safe inside a <script> element (no "</" to close it early)."""
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")


@bp.get("/<quiz_id>/hors-ligne")
def quiz(quiz_id: str):
    """A quiz graded in the browser: the questions, then the score and the explanations."""
    course = current_course()
    try:
        attempt = draw(course, quiz_id, SEED)
    except UnknownQuiz:
        abort(404)
    quiz = course.quizzes[quiz_id]
    module = course.modules_by_id.get(quiz.module) if quiz.module else None
    return render_template(
        "offline/quiz.html",
        quiz=quiz,
        module=module,
        attempt=attempt,
        count=len(attempt.items),
        data=script_json(attempt_data(attempt)),
    )
