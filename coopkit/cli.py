"""The ``coopkit`` command line. Thin: each command calls one package function."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from course import ContentErrors, Course, load_course

ROOT_OPTION = click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default=True,
    help="The course folder (holding modules/ and quizzes/).",
)


def load_or_exit(root: Path) -> Course:
    """Load the course, or print every problem as path:line: message and exit 1."""
    try:
        course = load_course(root)
    except ContentErrors as exc:
        for problem in exc.problems:
            click.echo(str(problem), err=True)
        count = len(exc.problems)
        click.echo(f"Aborted with {count} error{'s' if count > 1 else ''}.", err=True)
        sys.exit(1)
    for warning in course.warnings:
        click.echo(str(warning), err=True)
    return course


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="coopkit")
def main() -> None:
    """Workshop toolkit for the course « Coopération internationale »."""


@main.command()
@ROOT_OPTION
def validate(root: Path) -> None:
    """Check the course; print path:line: message for every problem."""
    course = load_or_exit(root)
    slides = sum(len(m.slides) for m in course.modules)
    questions = sum(len(q.questions) for q in course.quizzes.values())
    click.echo(
        f"OK: {len(course.modules)} modules, {slides} slides, {len(course.processes)} processes, "
        f"{len(course.quizzes)} quizzes ({questions} questions), "
        f"{len(course.warnings)} warning{'s' if len(course.warnings) != 1 else ''}."
    )


@main.command()
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("schemas"),
    show_default=True,
    help="Folder for the JSON Schema files.",
)
def schema(out: Path) -> None:
    """Write the JSON Schema of each YAML format (for editors that validate while typing)."""
    from course.schema import write_schemas

    for path in write_schemas(out):
        click.echo(f"wrote {path}")


@main.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def new(directory: Path) -> None:
    """Create an empty course in DIRECTORY that validates."""
    from course.scaffold import scaffold

    try:
        written = scaffold(directory)
    except FileExistsError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Created a course in {directory} ({len(written)} files).")
    click.echo(f"Next: coopkit validate --root {directory}")


@main.group()
def export() -> None:
    """Export content for other tools."""


@export.command("processes")
@ROOT_OPTION
@click.option("--format", "fmt", type=click.Choice(["json"]), default="json", show_default=True)
def export_processes(root: Path, fmt: str) -> None:
    """Print the processes dataset (JSON array)."""
    from course.export import processes_records

    course = load_or_exit(root)
    click.echo(json.dumps(processes_records(course), ensure_ascii=False, indent=2))


@export.command("markdown")
@ROOT_OPTION
@click.option("--module", "module_id", help="Only this module (default: all, one after another).")
def export_markdown(root: Path, module_id: str | None) -> None:
    """Print the course as Markdown (a handout; pandoc can turn it into slides)."""
    from course.markdown import module_markdown

    course = load_or_exit(root)
    if module_id and module_id not in course.modules_by_id:
        known = ", ".join(course.modules_by_id)
        raise click.BadParameter(f"no module '{module_id}' (known: {known})", param_hint="--module")
    modules = [course.module(module_id)] if module_id else course.modules
    click.echo("\n".join(module_markdown(course, m) for m in modules), nl=False)


# Quiz commands live in their own module (the quiz engineer's); registered here.
from coopkit.quiz_cmd import export_quiz, quiz  # noqa: E402

export.add_command(export_quiz)
main.add_command(quiz)

# The deck builder's command (slides_builder owner's); registered here.
from coopkit.build_cmd import build  # noqa: E402

main.add_command(build)

# The web app's command (webapp owner's); registered here.
from coopkit.serve_cmd import serve  # noqa: E402

main.add_command(serve)

# Workshop facilitator accounts (the workshop owner's); registered here.
from coopkit.facilitator_cmd import facilitator  # noqa: E402

main.add_command(facilitator)

if __name__ == "__main__":  # pragma: no cover
    main()
