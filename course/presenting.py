"""Facts about processes and sources worded for people: shared by decks, handouts and the web."""

from __future__ import annotations

import re

from course.countries import country_name
from course.course import Course, sort_key
from course.models import Figure, Membership, Process


def cite(course: Course, figure: Figure) -> str:
    """« source, year » for a dated figure, e.g. « Diaporama 2005 (2005) »."""
    source = course.sources[figure.source]
    label = short_source_title(course, figure.source)
    year = figure.as_of or source.year
    detail = f" — {figure.citation}" if figure.citation else ""
    return f"{label}, {year}{detail}"


def short_source_title(course: Course, source_id: str) -> str:
    """A short label for a source: its publisher's first part, or its title."""
    source = course.sources[source_id]
    title = source.title.split(" : ")[0].split(" (")[0]
    return title if len(title) <= 60 else title[:57] + "…"


def member_names(codes: list[str]) -> list[str]:
    """French names of member codes, in French alphabetical order."""
    return sorted((country_name(code) for code in codes), key=sort_key)


def membership_label(figure: Membership) -> str:
    """The member count as the source words it, else the count or the list's length."""
    if figure.count_label:
        return figure.count_label
    count = figure.count if figure.count is not None else len(figure.members)
    return f"{count} États"


def profile_title(process: Process) -> str:
    """A profile's title: the name, with the acronym only when the name does not hold it."""
    if process.acronym in process.name:
        return process.name
    return f"{process.name} ({process.acronym})"


UNKNOWN = "non précisé dans les sources"
PROFILE_LABELS = ("Type", "Création", "Membres", "Liste des membres", "Objet")
_COUNT = re.compile(r"(?:plus de |environ |près de |moins de )?\d+")


def member_count(figure: Membership) -> str:
    """A membership figure's number as the source words it (« plus de 50 »), else the
    count, else the list's length; a figure with no number keeps the source's words."""
    found = _COUNT.search(figure.count_label or "")
    if found and (figure.count is None or found.group(0).endswith(str(figure.count))):
        return found.group(0)
    if figure.count_label and figure.count is not None and figure.count != len(figure.members):
        return figure.count_label  # « 32 États + Hong Kong (RAS) »: the words explain the count
    if figure.count is not None:
        return str(figure.count)
    return figure.count_label or str(len(figure.members))


def member_counts(process: Process) -> str:
    """Every dated count in one line, latest first: « 12 (2026) ; 10 ou 11 en 2005 »."""
    by_year: dict[int | None, list[str]] = {}
    for figure in process.memberships:
        counts = by_year.setdefault(figure.as_of, [])
        if member_count(figure) not in counts:
            counts.append(member_count(figure))
    years = sorted(by_year, key=lambda year: year or 0, reverse=True)
    parts = []
    for number, year in enumerate(years):
        counts = " ou ".join(by_year[year])
        if year is None:
            parts.append(counts)
        else:
            parts.append(f"{counts} ({year})" if number == 0 else f"{counts} en {year}")
    return " ; ".join(parts) or UNKNOWN


def profile_rows(course: Course, process: Process) -> list[tuple[str, str]]:
    """The rows of a process profile, the same five for every process (PROFILE_LABELS),
    with no source inside a cell: ``profile_sources`` gives the line for the foot."""
    reference = process.member_list
    members = (
        f"{', '.join(member_names(reference.members))} ({reference.as_of})"
        if reference and reference.as_of
        else ", ".join(member_names(reference.members))
        if reference
        else UNKNOWN
    )
    values = (
        f"{process.kind_label} — {process.region}",
        str(process.founded.year) if process.founded else UNKNOWN,
        member_counts(process),
        members,
        " ; ".join(process.topics.items) if process.topics else UNKNOWN,
    )
    return list(zip(PROFILE_LABELS, values, strict=True))


def profile_sources(course: Course, process: Process) -> str:
    """The one source line under a profile: each source once, with its year and the places
    in it (« Coopération internationale, 2005 — diapositive 13 · … »)."""
    figures = [process.founded, *process.memberships, process.topics]
    places: dict[str, list[str]] = {}
    for figure in filter(None, figures):
        source = course.sources[figure.source]
        key = f"{short_source_title(course, figure.source)}, {figure.as_of or source.year}"
        details = places.setdefault(key, [])
        citation = figure.citation
        if citation and not any(d.startswith(citation) for d in details):
            details[:] = [d for d in details if not citation.startswith(d)] + [citation]
    if not places:
        places = {short_source_title(course, s): [] for s in process.sources}
    cited = [
        f"{key} ({' ; '.join(details)})" if details else key for key, details in places.items()
    ]
    return ("Sources : " if len(cited) > 1 else "Source : ") + " · ".join(cited)


def map_alt_text(process: Process) -> str:
    """What a membership map shows, for screen readers: the process and its members."""
    names = member_names(process.members)
    return (
        f"Carte des membres du {process.acronym} ({process.name}) : "
        f"{len(names)} États, {', '.join(names)}."
    )
