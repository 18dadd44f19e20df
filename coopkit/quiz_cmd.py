"""Quiz commands: ``coopkit export quiz`` (LMS formats), ``coopkit quiz preview`` and
``coopkit quiz check``."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from coopkit.common import ROOT_OPTION, load_or_exit
from course.attempts import UnknownQuiz, draw
from course.generate import GenerationError
from course.kinds import kind_of

FORMAT_CHOICE = click.Choice(["moodle-xml", "gift", "qti"])


@click.command("quiz")
@click.argument("quiz_id", metavar="ID|all")
@ROOT_OPTION
@click.option("--format", "fmt", type=FORMAT_CHOICE, required=True, help="The LMS format.")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write (default: standard output; required for qti).",
)
@click.option(
    "--seed",
    type=int,
    default=0,
    show_default=True,
    help="Seed for the questions generated from the dataset.",
)
def export_quiz(quiz_id: str, root: Path, fmt: str, out: Path | None, seed: int) -> None:
    """Export quiz ID (or all) as Moodle XML, GIFT or a QTI 2.1 package."""
    from course.files import write_atomically
    from course.interchange import export

    if fmt == "qti" and out is None:
        raise click.UsageError("a QTI package is a zip file: give --out FILE.zip")
    course = load_or_exit(root)
    try:
        data = export(course, quiz_id, fmt, seed)
    except (UnknownQuiz, GenerationError) as exc:
        raise click.ClickException(str(exc)) from None
    if out is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    try:
        write_atomically(out, data)
    except OSError as exc:
        raise click.ClickException(f"cannot write {out}: {exc.strerror or exc}") from None
    click.echo(f"wrote {out} ({len(data)} bytes)", err=True)


@click.group("quiz")
def quiz() -> None:
    """Look at quizzes as learners get them."""


@quiz.command("preview")
@click.argument("quiz_id")
@ROOT_OPTION
@click.option("--seed", type=int, default=0, show_default=True, help="The attempt's seed.")
@click.option("--count", type=click.IntRange(min=1), help="Questions to draw.")
def preview(quiz_id: str, root: Path, seed: int, count: int | None) -> None:
    """Print an attempt of QUIZ_ID with its answers (what a learner would get with SEED)."""
    course = load_or_exit(root)
    try:
        attempt = draw(course, quiz_id, seed, count=count)
    except (UnknownQuiz, GenerationError, ValueError) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"{attempt.quiz_id} — seed {seed} — pass mark {attempt.pass_percent} %")
    for item in attempt.items:
        question = item.question
        click.echo(f"\n{item.key}. [{question.type}] {question.prompt}  ({question.id})")
        for line in kind_of(question).answer_lines(question, item.order):
            click.echo(f"   {line}")


@quiz.command("check")
@ROOT_OPTION
@click.option(
    "--seeds",
    type=click.IntRange(min=1),
    default=20,
    show_default=True,
    help="Seeds to try each generated question with.",
)
def check(root: Path, seeds: int) -> None:
    """Check that every draw works: recipes the dataset can build, draws their banks allow."""
    from course.attempts import check_quiz
    from course.errors import Problem
    from course.yamlsource import line_for, read_yaml

    course = load_or_exit(root)
    problems = []
    for path in sorted((root / "quizzes").glob("*.y*ml")):
        data, lines = read_yaml(path)
        quiz_id = data.get("id") if isinstance(data, dict) else None
        if quiz_id not in course.quizzes:
            continue
        for loc, message in check_quiz(course, quiz_id, seeds=seeds):
            problems.append(Problem(path, line_for(lines, loc), f"{_loc_text(loc)}: {message}"))
    for problem in problems:
        click.echo(str(problem), err=True)
    if problems:
        raise click.ClickException(f"{len(problems)} quiz problem(s)")
    click.echo(f"OK: {len(course.quizzes)} quizzes draw without problems ({seeds} seeds each).")


def _loc_text(loc: tuple) -> str:
    """("questions", 3, "slide") → questions[3].slide"""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text
