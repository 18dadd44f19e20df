"""The course as Markdown: a readable handout, and pandoc's input for a comparison deck.

Slides become level-2 headings (pandoc's slide level 2), facilitator notes go in
``::: notes`` blocks (pandoc's speaker-notes syntax), profiles become pipe tables.
"""

from __future__ import annotations

from course import models
from course.course import Course
from course.presenting import (
    FORM_NAMES,
    chart_sources,
    cite,
    facilitator_notes,
    membership_points,
    process_title,
    processes_of_kind,
    profile_rows,
    profile_sources,
    source_entry,
)
from course.typography import french


def _escape_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _table(columns: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(_escape_cell(c) for c in columns) + " |"]
    lines.append("|" + "|".join("---" for _ in columns) + "|")
    lines += ["| " + " | ".join(_escape_cell(c) for c in row) + " |" for row in rows]
    return lines


def _slide(course: Course, slide: object) -> list[str]:
    if isinstance(slide, models.ContentSlide):
        title = f"{slide.title} — {slide.subtitle}" if slide.subtitle else slide.title
        lines = [f"## {title}", ""]
        for bullet in slide.bullets:
            lines.append(f"- {bullet.text}")
            lines += [f"    - {sub}" for sub in bullet.sub]
    elif isinstance(slide, models.ProcessSlide):
        process = course.processes[slide.process]
        lines = [f"## {slide.title or process_title(process)}", ""]
        lines += _table(["", ""], [list(row) for row in profile_rows(course, process)])
        lines += ["", profile_sources(course, process)]
    elif isinstance(slide, models.TimelineSlide):
        processes = sorted(
            (course.processes[p] for p in slide.timeline), key=lambda p: p.founded.year
        )
        lines = [f"## {slide.title}", ""]
        lines += _table(
            ["Année", "Processus", "Source"],
            [[str(p.founded.year), p.acronym, cite(course, p.founded)] for p in processes],
        )
    elif isinstance(slide, models.FormsSlide):
        lines = [f"## {slide.title}", ""]
        for n, form in enumerate(slide.forms, 1):
            text = f" : {form.text}" if form.text else ""
            held = processes_of_kind(course, form.kind)
            lines.append(french(f"{n}. **{FORM_NAMES[form.kind]}**{text} ({held})"))
    elif isinstance(slide, models.GridSlide):
        lines = [f"## {slide.title}", ""]
        for n, card in enumerate(slide.cards, 1):
            text = f" — {card.text}" if card.text else ""
            group = f" ({card.group})" if card.group else ""
            lines.append(f"{n}. **{card.title}**{text}{group}")
    elif isinstance(slide, models.ChronologySlide):
        lines = [f"## {slide.title}", ""]
        lines += _table(
            ["Année", "Repère"],
            [[str(e.year), e.label] for e in sorted(slide.events, key=lambda e: e.year)],
        )
    elif isinstance(slide, models.ChartSlide):
        processes = [course.processes[p] for p in slide.chart.processes]
        lines = [f"## {slide.title}", ""]
        lines += _table(
            ["Processus", "Membres (année)"],
            [
                [p.acronym, " → ".join(f"{c} ({y})" for y, c in membership_points(p))]
                for p in processes
            ],
        )
        lines += ["", french(chart_sources(course, processes))]
    elif isinstance(slide, models.QuoteSlide):
        lines = [f"## {slide.title}", "", f"> {slide.quote.text}"]
        if slide.quote.author:
            lines += [">", f"> — {slide.quote.author}"]
    elif isinstance(slide, models.TableSlide):
        lines = [f"## {slide.title}", ""]
        lines += _table(list(slide.table.columns), [list(r) for r in slide.table.rows])
    else:  # pragma: no cover - the model has no other slide kind
        raise TypeError(f"unknown slide {slide!r}")
    notes = facilitator_notes(slide)
    if notes:
        lines += ["", "::: notes", notes, ":::"]
    return [*lines, ""]


def module_markdown(course: Course, module: models.Module) -> str:
    """One module as a Markdown document (pandoc title block, objectives, slides, activities)."""
    lines = [f"% {course.info.title} — Thème {module.number}", f"% {module.title}", ""]
    lines += ["## Objectifs", ""] + [f"- {o}" for o in module.objectives] + [""]
    for section in module.sections:
        lines += [f"# {section.title}", ""]
        for slide in section.slides:
            lines += _slide(course, slide)
    if module.activities:
        lines += ["# Activités", ""]
        for activity in module.activities:
            lines += [f"## {activity.title} ({activity.duration_minutes} min)", ""]
            lines += [f"{number}. {step}" for number, step in enumerate(activity.instructions, 1)]
            lines.append("")
    if module.key_points:
        lines += ["## À retenir", ""] + [f"- {p}" for p in module.key_points] + [""]
    lines += ["## Sources", ""]
    lines += [f"- {source_entry(course.sources[s])}" for s in module.sources]
    return "\n".join(lines) + "\n"
