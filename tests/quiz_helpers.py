"""Helpers for the quiz engine's tests: the fixture course and a question's right response."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from course import Course, load_course, models
from course.kinds import kind_of

QUIZ_COURSE = Path(__file__).parent / "data" / "quiz_course"
REPO_ROOT = Path(__file__).resolve().parents[1]


@cache
def quiz_course() -> Course:
    """The small course under tests/data/quiz_course (real facts, every question type)."""
    return load_course(QUIZ_COURSE)


def right_response(question) -> object:
    """The response that earns full marks, in the shape ``grade`` expects."""
    return kind_of(question).right_response(question)


def dataset_course(root: Path = REPO_ROOT) -> Course:
    """The shipped course's sources and processes only, so generators can be tested on the
    real dataset whatever state the theme files are in."""
    from course.yamlsource import read_yaml

    def read(name: str, model):
        data, _lines = read_yaml(root / "modules" / name)
        return model.model_validate(data)

    return Course(
        root=root,
        info=read("course.yaml", models.CourseInfo),
        modules=[],
        sources={s.id: s for s in read("sources.yaml", models.SourceList).sources},
        processes={p.id: p for p in read("processes.yaml", models.ProcessList).processes},
        quizzes={},
    )
