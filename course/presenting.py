"""Facts about processes and sources worded for people: shared by decks, handouts and the web."""

from __future__ import annotations

import re

from course.countries import country_name
from course.course import Course, sort_key
from course.models import Figure, Membership, Process, SlideBase, Source
from course.typography import french


def read_when_undated(course: Course, figure: Figure) -> bool:
    """True for a figure of an undated page that only holds for the year it was read."""
    source = course.sources[figure.source]
    return source.undated and figure.as_of in (None, source.year)


def cite(course: Course, figure: Figure) -> str:
    """« source, year » for a dated figure, e.g. « Diaporama 2005 (2005) »; for a figure of
    an undated page, « page non datée, consultée en 2026 » rather than a bare year."""
    source = course.sources[figure.source]
    label = short_source_title(course, figure.source)
    citation = figure.citation or ""
    if read_when_undated(course, figure):
        if "non datée" in citation:
            return f"{label} — {citation}"
        when = f"page non datée, consultée en {source.year}"
        return f"{label}, {when}" + (f" — {citation}" if citation else "")
    year = figure.as_of or source.year
    detail = f" — {citation}" if citation else ""
    return f"{label}, {year}{detail}"


def membership_heading(course: Course, figure: Membership) -> str:
    """« Membres en 2015 », or « Membres (page non datée) » when the year is only the
    year the page was read."""
    if read_when_undated(course, figure):
        return "Membres (page non datée)"
    return f"Membres en {figure.as_of}" if figure.as_of else "Membres"


def short_source_title(course: Course, source_id: str) -> str:
    """A short label for a source: its own label (« OIM, fiche du MIDSA »), else its title's
    first part."""
    source = course.sources[source_id]
    if source.label:
        return source.label
    title = source.title.split(" : ")[0].split(" (")[0]
    return title if len(title) <= 60 else title[:57] + "…"


_MONTHS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]


def french_date(iso: str) -> str:
    """« 3 décembre 2026 » for 2026-12-03 (« décembre 2000 » for 2000-12; the year alone)."""
    parts = [int(p) for p in iso.split("-")]
    if len(parts) == 3:
        day = "1er" if parts[2] == 1 else str(parts[2])
        return f"{day} {_MONTHS[parts[1] - 1]} {parts[0]}"
    if len(parts) == 2:
        return f"{_MONTHS[parts[1] - 1]} {parts[0]}"
    return str(parts[0])


def source_date(source: Source) -> str:
    """When a source is from: its date or year, or « page non datée » for an undated page."""
    if source.undated:
        return "page non datée"
    return french_date(source.date) if source.date else str(source.year)


def source_entry(source: Source) -> str:
    """A source as a reference list gives it: title, publisher, date, consultation, address."""
    parts = [source.title, source.publisher, source_date(source)]
    if source.accessed:
        parts.append(f"consultée le {french_date(source.accessed)}")
    if source.url:
        parts.append(source.url)
    return ", ".join(p for p in parts if p)


def member_names(codes: list[str]) -> list[str]:
    """French names of member codes, in French alphabetical order."""
    return sorted((country_name(code) for code in codes), key=sort_key)


def membership_label(figure: Membership) -> str:
    """The member count as the source words it, else the count or the list's length."""
    if figure.count_label:
        return figure.count_label
    count = figure.count if figure.count is not None else len(figure.members)
    return f"{count} États"


def process_title(process: Process) -> str:
    """« Name (ACRONYM) », or the name alone when it already says the acronym: is it, begins
    or ends with it, or holds it in brackets (« Processus de Quito », « Processus de Bali sur
    … », « Forum spécialisé sur les migrations du MERCOSUR », « … (Processus de Colombo) »)."""
    name, acronym = process.name, process.acronym
    if name.startswith(acronym) or name.endswith(acronym) or f"({acronym})" in name:
        return name
    return f"{process.name} ({process.acronym})"


UNKNOWN = "non précisé dans les sources"
UNKNOWN_YEAR = "année non indiquée par les sources du cours"
PROFILE_LABELS = (
    "Type",
    "Création",
    "Membres",
    "Liste des membres",
    "Objet",
    "Secrétariat et appui",
)
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


def _when(course: Course, figure: Figure) -> str | None:
    """A figure's year for a profile, or « page non datée, consultée en 2026 »."""
    if read_when_undated(course, figure):
        return f"page non datée, consultée en {course.sources[figure.source].year}"
    return str(figure.as_of) if figure.as_of else None


def member_counts(course: Course, process: Process) -> str:
    """Every dated count in one line, latest first: « 12 (2026) ; 10 ou 11 en 2005 »."""
    by_when: dict[tuple[int, str | None], list[str]] = {}
    for figure in process.memberships:
        key = (figure.as_of or 0, _when(course, figure))
        counts = by_when.setdefault(key, [])
        if member_count(figure) not in counts:
            counts.append(member_count(figure))
    parts = []
    for number, key in enumerate(sorted(by_when, reverse=True)):
        counts, when = " ou ".join(by_when[key]), key[1]
        if when is None:
            parts.append(counts)
        elif number == 0 or not when.isdigit():
            parts.append(f"{counts} ({when})")
        else:
            parts.append(f"{counts} en {when}")
    return " ; ".join(parts) or UNKNOWN


def profile_rows(course: Course, process: Process) -> list[tuple[str, str]]:
    """The rows of a process profile, the same for every process (PROFILE_LABELS), with no
    source inside a cell: ``profile_sources`` gives the one line for the foot."""
    founded = str(process.founded.year) if process.founded else UNKNOWN_YEAR
    reference = process.member_list
    members = UNKNOWN
    if reference:
        when = _when(course, reference)
        members = ", ".join(member_names(reference.members)) + (f" ({when})" if when else "")
    values = (
        f"{process.kind_label} — {process.region}",
        founded,
        member_counts(course, process),
        members,
        " ; ".join(process.topics.items) if process.topics else UNKNOWN,
        process.support.text if process.support else UNKNOWN,
    )
    return list(zip(PROFILE_LABELS, values, strict=True))


def profile_sources(course: Course, process: Process, detailed: bool = True) -> str:
    """The one source line under a profile: every figure it shows cited once (a citation that
    another one extends is dropped), « Source : … · … », then the founding note if any.
    Without ``detailed``, each source is named with its year only (a slide's foot line; the
    places in the sources go to the speaker notes)."""
    figures = [process.founded, *process.memberships, process.topics, process.support]
    if not detailed:
        figures = [f.model_copy(update={"citation": None}) for f in figures if f is not None]
    cited: list[str] = []
    for text in (cite(course, f) for f in figures if f is not None):
        if any(c.startswith(text) for c in cited):
            continue
        cited = [c for c in cited if not text.startswith(c)] + [text]
    if not cited:
        cited = [short_source_title(course, s) for s in process.sources]
    line = ("Sources : " if len(cited) > 1 else "Source : ") + " · ".join(cited)
    if process.founded and process.founded.note:
        # What other sources say of the founding (another year, the founding meeting), so a
        # disputed year never stands alone; it cites its own sources, so it goes at the foot.
        line = f"{line} · Création : {process.founded.note}"
    return line


def facilitator_notes(slide: SlideBase) -> str:
    """The slide's facilitator notes followed by its questions to the room, each marked
    essential or optional, with the answer to expect (and how to handle it if sensitive)."""
    parts = [slide.notes] if slide.notes else []
    for question in slide.room_questions:
        mark = "essentielle" if question.essential else "facultative, si le temps le permet"
        lines = [
            french(f"Question à la salle ({mark}) : « {question.question} »"),
            french(f"Réponse attendue : {question.expected}"),
        ]
        if question.caution:
            lines.append(french(f"Question sensible : {question.caution}"))
        parts.append("\n".join(lines))
    return "\n\n".join(parts)


def map_alt_text(process: Process) -> str:
    """What a membership map shows, for screen readers: the process and its members."""
    names = member_names(process.members)
    return (
        f"Carte des membres — {process.acronym} ({process.name}) : "
        f"{len(names)} membres, {', '.join(names)}."
    )


FORM_NAMES = {  # the forms of cooperation (« la coopération bilatérale »…)
    "bilateral": "Bilatérale",
    "regional": "Régionale",
    "interregional": "Interrégionale",
    "global": "Mondiale",
}


def processes_of_kind(course: Course, kind: str) -> str:
    """How many processes of one form the course presents, e.g. « 19 processus »."""
    return f"{sum(1 for p in course.processes.values() if p.kind == kind)} processus"


def membership_points(process: Process) -> list[tuple[int, int]]:
    """(year, member count) of each dated membership figure, oldest first; when two sources
    give a year different counts, the reference list's (or the first given) is kept."""
    points: dict[int, int] = {}
    reference = process.member_list
    for figure in sorted(process.memberships, key=lambda f: f is not reference):
        count = figure.count if figure.count is not None else len(figure.members)
        if figure.as_of and count and figure.as_of not in points:
            points[figure.as_of] = count
    return sorted(points.items())


def chart_sources(course: Course, processes: list[Process]) -> str:
    """The source line under a membership chart."""
    cited = list(
        dict.fromkeys(
            f"{short_source_title(course, f.source)}, {f.as_of}"
            for p in processes
            for f in p.memberships
            if f.as_of
        )
    )
    return ("Sources : " if len(cited) > 1 else "Source : ") + " ; ".join(cited)
