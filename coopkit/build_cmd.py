"""``coopkit build``: the workshop decks, facilitator guides, handouts, LMS exports (quiz
banks and SCORM packages) and the offline site of a course."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from coopkit.common import ROOT_OPTION, load_or_exit
from course.files import replacing_folder, write_atomically


@click.command()
@ROOT_OPTION
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("build"),
    show_default=True,
    help="Folder for decks/, guides/, handouts/, lms/ and site/.",
)
@click.option(
    "--template",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="An organisation's .pptx template (its layouts and placeholders are used).",
)
@click.option(
    "--layout-map",
    "layout_map",
    metavar="ROLE=NAME",
    multiple=True,
    help="The template's layout for a kind of slide, when its placeholders leave a doubt "
    "(roles: cover, section, content, title_only; repeatable), e.g. content='ORG – Texte'.",
)
@click.option(
    "--only",
    type=click.Choice(["decks", "guides", "handouts", "lms", "scorm", "site"]),
    multiple=True,
    help="Build only these outputs (repeatable; default: all).",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    default=lambda: min(os.cpu_count() or 1, 4),
    show_default="the number of CPUs, at most 4",
    help="Render this many decks at once, each in its own process.",
)
def build(
    root: Path,
    out: Path,
    template: Path | None,
    layout_map: tuple[str, ...],
    only: tuple[str, ...],
    jobs: int,
) -> None:
    """Build one deck and one facilitator guide per theme, the handouts, the LMS exports, the
    SCORM packages (lms/*.scorm.zip) and the offline site (site/)."""
    from course.generate import GenerationError
    from slides_builder.build import PARTS, build_course
    from slides_builder.fit import FitError
    from slides_builder.writer import TemplateError

    roles = _layout_map(layout_map, template)
    course = load_or_exit(root)  # invalid content: every error listed, nothing written
    progress = (lambda line: click.echo(line, err=True)) if sys.stderr.isatty() else None
    wanted = set(only or (*PARTS, "scorm", "site"))
    parts = wanted & set(PARTS)
    try:
        # Built beside ``out`` (with what it held), then swapped in whole: a failure at any
        # point (a page that cannot render, a full disk) leaves the previous build as it was.
        with replacing_folder(out) as staging:
            offline = _offline_files(course, staging, wanted)
            written = build_course(course, staging, template, progress, parts, jobs, roles)
            written += [write_atomically(path, data) for path, data in offline.items()]
    except TemplateError as exc:
        raise click.ClickException(f"template {template}: {exc}") from None
    except (FitError, GenerationError) as exc:  # content to shorten, or a recipe the data
        raise click.ClickException(str(exc)) from None  # cannot supply: nothing written
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise click.ClickException(f"cannot write the build to {out}: {reason}") from None
    click.echo(f"Built {len(written)} files in {out}.")


def _offline_files(course, out: Path, wanted: set[str]) -> dict[Path, bytes]:
    """The SCORM packages (in lms/) and the offline site (in site/), when wanted."""
    if not wanted & {"scorm", "site"}:
        return {}
    from webapp.offline import scorm_packages, site_files  # Flask: only when needed

    files: dict[Path, bytes] = {}
    if "scorm" in wanted:
        files.update((out / "lms" / name, data) for name, data in scorm_packages(course).items())
    if "site" in wanted:
        files.update((out / "site" / name, data) for name, data in site_files(course).items())
    return files


def _layout_map(pairs: tuple[str, ...], template: Path | None) -> dict[str, str] | None:
    """``ROLE=NAME`` options as a dict (roles are checked against the template later)."""
    if not pairs:
        return None
    if template is None:
        raise click.UsageError("--layout-map needs --template (it names the template's layouts)")
    roles = {}
    for pair in pairs:
        role, equals, name = pair.partition("=")
        if not equals or not role.strip() or not name.strip():
            raise click.BadParameter(
                f"expected ROLE=NAME, got « {pair} »", param_hint="--layout-map"
            )
        roles[role.strip()] = name.strip()
    return roles
