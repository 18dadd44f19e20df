"""What every command shares: the --root option and loading the course or exiting cleanly."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn

import click

from course import ContentErrors, Course, load_course

ROOT_OPTION = click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="The course folder (holding modules/ and quizzes/).",
)


def exit_with_problems(errors: ContentErrors) -> NoReturn:
    """Print every problem as path:line: message, then the count, and exit 1."""
    for problem in errors.problems:
        click.echo(str(problem), err=True)
    count = len(errors.problems)
    click.echo(f"Aborted with {count} error{'s' if count > 1 else ''}.", err=True)
    sys.exit(1)


def load_or_exit(root: Path) -> Course:
    """Load the course, or print every problem as path:line: message and exit 1."""
    try:
        course = load_course(root)
    except ContentErrors as exc:
        exit_with_problems(exc)
    for warning in course.warnings:
        click.echo(str(warning), err=True)
    return course
