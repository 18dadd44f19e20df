"""The course as the app sees it: loaded once at start-up, plus helpers for templates."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from flask import Flask, current_app, url_for
from markupsafe import Markup, escape

from course import Course, load_course, models
from course.attempts import Draw, draw
from course.countries import country_name
from course.course import sort_key
from course.presenting import (
    FORM_NAMES,
    chart_sources,
    cite,
    french_date,
    member_names,
    membership_heading,
    membership_label,
    membership_points,
    process_title,
    processes_of_kind,
    profile_rows,
    profile_sources,
    short_source_title,
    source_date,
)
from webapp.maps import member_map_svg


def init_app(app: Flask) -> None:
    """Load and validate the course under ``COURSE_ROOT`` once; fail start-up if it is invalid."""
    course = load_course(Path(app.config["COURSE_ROOT"]))
    app.extensions["coopkit.course"] = course
    app.extensions["coopkit.glossary"] = Glossary(course.glossary)
    app.jinja_env.globals.update(
        course_info=course.info,
        cite=lambda figure: cite(current_course(), figure),
        profile_rows=lambda process: profile_rows(current_course(), process),
        profile_sources=lambda process: profile_sources(current_course(), process),
        form_label=lambda kind: (FORM_NAMES[kind], processes_of_kind(current_course(), kind)),
        membership_points=membership_points,
        chart_sources=lambda processes: chart_sources(current_course(), processes),
        process_title=process_title,
        source_label=lambda source_id: short_source_title(current_course(), source_id),
        source_date=source_date,
        french_date=french_date,
        country_name=country_name,
        member_names=member_names,
        countries_sorted=countries_sorted,
        membership_label=membership_label,
        member_map_svg=member_map_svg,
        membership_heading=lambda figure: membership_heading(current_course(), figure),
        slide_url=slide_url,
        slide_title=slide_title,
        term_tracker=set,  # one per slide: only the first mention of a term is linked
        term_anchor=anchor,
    )
    app.context_processor(lambda: {"course": current_course()})
    app.jinja_env.filters["process_of"] = lambda pid: current_course().processes[pid]
    app.jinja_env.filters["glossed"] = lambda text, seen=None: glossary().mark(text, seen)
    app.jinja_env.filters["number"] = french_number
    app.jinja_env.filters["duration"] = french_duration
    app.jinja_env.filters["local_time"] = local_time


def current_course() -> Course:
    """The course loaded at start-up."""
    return current_app.extensions["coopkit.course"]


def drawn(quiz_id: str, seed: int) -> Draw:
    """The attempt ``seed`` draws from quiz ``quiz_id`` of the loaded course.

    Raises what ``draw`` raises (an unknown quiz, a quiz too small).
    """
    return draw(current_course(), quiz_id, seed)


def glossary() -> Glossary:
    """The glossary of the whole course, ready to mark terms in texts."""
    return current_app.extensions["coopkit.glossary"]


def slide_url(slide_id: str, **values) -> str:
    """The lesson page that shows a slide."""
    place = current_course().slides[slide_id]
    return url_for("lessons.slide", module_id=place.module.id, number=place.number, **values)


def countries_sorted(codes: list[str]) -> list[tuple[str, str]]:
    """(code, French name) pairs in French alphabetical order of the names."""
    return sorted(((c, country_name(c)) for c in codes), key=lambda pair: sort_key(pair[1]))


def slide_title(slide) -> str:
    """A slide's title; a process profile without one is titled with the process name."""
    if getattr(slide, "title", None):
        return slide.title
    return current_course().processes[slide.process].name


def french_number(value: float, decimals: int = 0) -> str:
    """A number the French way: decimal comma, narrow no-break space between thousands."""
    text = f"{value:,.{decimals}f}"
    if decimals:  # 12,0 reads as 12; 0,50 as 0,5
        text = text.rstrip("0").rstrip(".")
    return text.replace(",", "\u202f").replace(".", ",")


def french_duration(minutes: int) -> str:
    """A duration as French writes it: « 45\u00a0min », « 2\u00a0h », « 3\u00a0h\u00a010 »."""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest}\u00a0min"
    return f"{hours}\u00a0h" + (f"\u00a0{rest:02d}" if rest else "")


def local_time(moment: datetime) -> Markup:
    """A stored UTC time as <time>: app.js shows it in the reader's time zone; without
    script it reads « 03/12/2026 19:58 UTC »."""
    stamp = moment.replace(tzinfo=None).isoformat(timespec="seconds") + "Z"
    shown = moment.strftime("%d/%m/%Y %H:%M") + "\u00a0UTC"
    return Markup('<time class="local-time" datetime="{}">{}</time>').format(stamp, shown)


def anchor(term: str) -> str:
    """A stable HTML id for a term (« approche équilibrée » → terme-approche-equilibree)."""
    plain = unicodedata.normalize("NFKD", term).encode("ascii", "ignore").decode().lower()
    return "terme-" + (re.sub(r"[^a-z0-9]+", "-", plain).strip("-") or "x")


def _html_pattern(term: str) -> str:
    return re.escape(str(escape(term)))


@dataclass
class Glossary:
    """Finds glossary terms in texts and links their first mention to the explanation."""

    entries: list[models.GlossaryEntry]

    def __post_init__(self) -> None:
        self.by_key = {e.term.casefold(): e for e in self.entries}
        # Longest first, so « trafic illicite de migrants » wins over « trafic ».
        terms = sorted((e.term for e in self.entries), key=len, reverse=True)
        acronyms = [t for t in terms if t.isupper()]
        words = [t for t in terms if not t.isupper()]
        # Acronyms match as written (« PCR », not « pcr »); words whatever their case.
        self.patterns = [
            re.compile(rf"(?<!\w)({'|'.join(map(_html_pattern, group))})(?!\w)", flags)
            for group, flags in ((acronyms, 0), (words, re.IGNORECASE))
            if group
        ]

    def find(self, texts: list[str]) -> list[models.GlossaryEntry]:
        """The entries mentioned in any of ``texts``, in glossary order."""
        found: dict[str, models.GlossaryEntry] = {}
        for text in texts:
            for match in self._matches(str(escape(text))):
                entry = self.by_key[match.group(1).casefold()]
                found.setdefault(entry.term, entry)
        return [e for e in self.entries if e.term in found]

    def _matches(self, html: str) -> list[re.Match[str]]:
        found = sorted(
            (m for pattern in self.patterns for m in pattern.finditer(html)),
            key=lambda m: (m.start(), -len(m.group(1))),
        )
        kept, end = [], -1
        for match in found:
            if match.start() >= end:
                kept.append(match)
                end = match.end()
        return kept

    def mark(self, text: str | None, seen: set[str] | None = None) -> Markup:
        """``text`` escaped, its first mention of each term linked to the term's explanation."""
        if not text:
            return Markup("")
        html = str(escape(text))
        seen = set() if seen is None else seen
        pieces, last = [], 0
        for match in self._matches(html):
            entry = self.by_key[match.group(1).casefold()]
            if entry.term in seen:
                continue
            seen.add(entry.term)
            title = escape(entry.expansion or entry.definition)
            pieces.append(html[last : match.start()])
            pieces.append(
                f'<a class="term" href="#{anchor(entry.term)}" title="{title}">{match.group(1)}</a>'
            )
            last = match.end()
        pieces.append(html[last:])
        return Markup("".join(pieces))
