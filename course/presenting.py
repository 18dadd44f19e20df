"""Facts about processes and sources worded for people: shared by decks, handouts and the web."""

from __future__ import annotations

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


def profile_rows(course: Course, process: Process) -> list[tuple[str, str]]:
    """The rows of a process profile: label, value (each figure with its source and year)."""
    rows: list[tuple[str, str]] = [("Type", f"{process.kind_label} — {process.region}")]
    if process.founded:
        founded = f"{process.founded.year} ({cite(course, process.founded)})"
        # The note tells what other sources say (another year, the founding meeting), so a
        # disputed year never stands alone.
        note = f". {process.founded.note}" if process.founded.note else ""
        rows.append(("Création", founded + note))
    else:
        rows.append(("Création", "année non indiquée par les sources du cours"))
    reference = process.member_list
    for figure in process.memberships:
        label = membership_heading(course, figure)
        rows.append((label, f"{membership_label(figure)} ({cite(course, figure)})"))
    if process.support:
        rows.append(
            ("Secrétariat et appui", f"{process.support.text} ({cite(course, process.support)})")
        )
    if reference:
        rows.append(
            (
                f"Liste des membres ({cite(course, reference)})",
                ", ".join(member_names(reference.members)),
            )
        )
    if process.topics:
        rows.append((f"Objet ({cite(course, process.topics)})", " ; ".join(process.topics.items)))
    return rows


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
