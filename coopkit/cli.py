"""The ``coopkit`` command line. Thin: each command calls one package function."""

from __future__ import annotations

import json
from pathlib import Path

import click

from coopkit.build_cmd import build
from coopkit.common import ROOT_OPTION, load_or_exit
from coopkit.db_cmd import db_group
from coopkit.facilitator_cmd import facilitator
from coopkit.look_cmd import look
from coopkit.quiz_cmd import export_quiz, quiz
from coopkit.serve_cmd import serve


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


@export.command("scorm")
@ROOT_OPTION
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("build/lms"),
    show_default=True,
    help="Folder for the packages.",
)
def export_scorm(root: Path, out: Path) -> None:
    """Write SCORM 1.2 packages: one per theme, one for the course quiz."""
    from webapp.offline import write_scorm

    course = load_or_exit(root)
    try:
        written = write_scorm(course, out)
    except OSError as exc:  # a folder that cannot be written: say so, no traceback
        raise click.ClickException(f"{out}: {exc.strerror or exc}") from None
    for path in written:
        click.echo(f"wrote {path}")


@export.command("site")
@ROOT_OPTION
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("build/site"),
    show_default=True,
    help="Folder for the site (its index.html opens from a USB stick).",
)
def export_site(root: Path, out: Path) -> None:
    """Write the offline site: lessons, quizzes graded in the browser, glossary, explorer."""
    from webapp.offline import write_site

    course = load_or_exit(root)
    try:
        written = write_site(course, out)
    except OSError as exc:  # a folder that cannot be written: say so, no traceback
        raise click.ClickException(f"{out}: {exc.strerror or exc}") from None
    click.echo(f"wrote {len(written)} files in {out}; open {out / 'index.html'}")


export.add_command(export_quiz)
for command in (quiz, build, look, serve, facilitator, db_group):
    main.add_command(command)


if __name__ == "__main__":  # pragma: no cover
    main()
