"""``coopkit look``: build the decks, report their density and write contact sheets."""

from __future__ import annotations

from pathlib import Path

import click

from coopkit.build_cmd import _layout_map
from coopkit.common import ROOT_OPTION, load_or_exit


@click.command()
@ROOT_OPTION
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("build"),
    show_default=True,
    help="Folder for decks/ and look/ (the PDFs and contact sheets).",
)
@click.option(
    "--template",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="An organisation's .pptx template, as for coopkit build.",
)
@click.option("--layout-map", "layout_map", metavar="ROLE=NAME", multiple=True)
@click.option(
    "--sheets/--no-sheets",
    default=True,
    show_default=True,
    help="Render the decks with LibreOffice and write contact sheets (else: report only).",
)
def look(
    root: Path, out: Path, template: Path | None, layout_map: tuple[str, ...], sheets: bool
) -> None:
    """Build the decks, print their words per text slide, and write contact sheets of every
    deck rendered by LibreOffice to OUT/look/ (look at them before a release)."""
    from slides_builder.build import build_course
    from slides_builder.density import MAX_WORDS, MEDIAN_TARGET, density, slide_words
    from slides_builder.fit import FitError
    from slides_builder.look import LookError, contact_sheets
    from slides_builder.writer import TemplateError

    roles = _layout_map(layout_map, template)
    course = load_or_exit(root)
    try:
        decks = build_course(course, out, template, parts=["decks"], layout_map=roles)
    except TemplateError as exc:
        raise click.ClickException(f"template {template}: {exc}") from None
    except FitError as exc:
        raise click.ClickException(str(exc)) from None
    from slides_builder.deck import module_deck

    counted = []
    for module in course.modules:
        prs, records = module_deck(course, module, template, roles)
        figures = density(slide_words(module.id, prs, records))
        counted += figures.text_slides
        click.echo(f"{module.id}: {figures.summary()}")
        for slide in figures.over:
            click.echo(f"  slide {slide.number}: {slide.words} words · {slide.title}")
        for after, before in figures.thin:
            click.echo(
                f"  slide {after.number}: thin continuation "
                f"({after.body_words} words after {before.body_words}) · {after.title}"
            )
    total = density(counted)
    click.echo(
        f"all decks: {len(counted)} text slides, median {total.median:g} words "
        f"(target ≤ {MEDIAN_TARGET}), max {total.most} (target ≤ {MAX_WORDS})"
    )
    if not sheets:
        return
    try:
        written = contact_sheets(sorted(decks), out / "look")
    except LookError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Wrote {len(written)} contact sheets in {out / 'look'}.")
