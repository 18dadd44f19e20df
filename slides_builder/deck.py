"""One module → one deck: which slides to make, in which order, with which notes.

Cover, objectives, timed agenda, a divider per section, the module's slides (content,
process profiles, timelines, quotes, tables) with each activity after its slide, the
in-room quiz (a question slide, then its answer), the summary and the sources.
"""

from __future__ import annotations

from pathlib import Path

from pptx.presentation import Presentation

from course import models
from course.course import Course
from course.presenting import (
    FORM_NAMES,
    chart_sources,
    cite,
    facilitator_notes,
    map_alt_text,
    membership_label,
    membership_points,
    process_title,
    processes_of_kind,
    profile_rows,
    profile_sources,
    short_source_title,
    source_date,
    source_entry,
)
from course.typography import french
from slides_builder.fit import Para
from slides_builder.questions import module_questions, split_for_the_room, word
from slides_builder.visuals import (
    chart_slide,
    events_slide,
    forms_slide,
    grid_slide,
    member_map_slide,
)
from slides_builder.writer import DeckWriter, SlideRecord

BULLET_INDENT = 20.0  # points from the frame's edge to a bullet's text
SUB_INDENT = 46.0
LEAD_EXTRA = 4  # points added to a lead line


# --- the module, slide by slide --------------------------------------------------------


def _bullet_blocks(bullets: list[models.Bullet], subtitle: str | None = None):
    def make(body: int, sub: int) -> list[list[Para]]:
        blocks = []
        if subtitle:
            blocks.append([Para(subtitle, size=body, bold=True, bullet=None)])
        for bullet in bullets:
            block = [Para(bullet.text, size=body, indent=BULLET_INDENT)]
            block += [
                Para(text, level=1, size=sub, bullet="–", indent=SUB_INDENT, space_before=3)
                for text in bullet.sub
            ]
            blocks.append(block)
        return blocks

    return make


def _plain_blocks(lines: list[tuple[str, bool, bool]], lead: bool = False):
    """Blocks from (text, bold, bulleted) lines; with ``lead``, the first line is larger
    (a quiz question, a quotation)."""

    def make(body: int, sub: int) -> list[list[Para]]:
        return [
            [
                Para(
                    text,
                    size=body + LEAD_EXTRA if lead and number == 0 else body,
                    bold=bold,
                    bullet="•" if bulleted else None,
                    indent=BULLET_INDENT if bulleted else 0.0,
                    space_before=12.0 if number == 1 and lead else 6.0,
                )
            ]
            for number, (text, bold, bulleted) in enumerate(lines)
        ]

    return make


def _minutes(value: int) -> str:
    return f"{value // 60} h {value % 60:02d}"


def agenda(module: models.Module) -> list[tuple[str, int]]:
    """The workshop's parts in order with their minutes (sections without a duration share
    what the module's duration leaves)."""
    after: dict[str, list[models.Activity]] = {}
    loose = []
    slide_ids = {slide.id: section.id for section in module.sections for slide in section.slides}
    for activity in module.activities:
        if activity.after_slide in slide_ids:
            after.setdefault(slide_ids[activity.after_slide], []).append(activity)
        else:
            loose.append(activity)
    known = sum(s.duration_minutes or 0 for s in module.sections)
    known += sum(a.duration_minutes for a in module.activities)
    unknown = [s for s in module.sections if s.duration_minutes is None]
    share = max(module.duration_minutes - known, 0) // len(unknown) if unknown else 0
    parts = []
    for section in module.sections:
        parts.append((section.title, section.duration_minutes or share))
        parts += [
            (french(f"Activité : {a.title}"), a.duration_minutes) for a in after.get(section.id, [])
        ]
    parts += [(french(f"Activité : {a.title}"), a.duration_minutes) for a in loose]
    return parts


def agenda_lines(module: models.Module) -> list[str]:
    """Agenda lines with clock times from the start, e.g. « 0 h 00 – 0 h 20 · Introduction »."""
    lines, start = [], 0
    for title, minutes in agenda(module):
        end = start + minutes
        lines.append(f"{_minutes(start)} – {_minutes(end)} · {title} ({minutes} min)")
        start = end
    return lines


# Programme items of the day shown between a theme's own slots.
PAUSES = ("break", "lunch")


def programme_slots(course: Course, module: models.Module) -> list[tuple[str, object]]:
    """(day title, programme item): the theme's slots in the course's programme, with the
    pauses between them (none when the course has no programme)."""
    slots = []
    for day in course.info.programme:
        mine = [n for n, item in enumerate(day.items) if item.module == module.id]
        if mine:
            slots += [
                (day.title, item)
                for item in day.items[mine[0] : mine[-1] + 1]
                if item.module == module.id or item.kind in PAUSES
            ]
    return slots


def programme_lines(
    module: models.Module, slots: list[tuple[str, object]]
) -> tuple[str, list[tuple[str, bool, bool]]]:
    """The programme slide's title (the days and hours of the theme) and its lines: a
    line per slot, « 09:45–11:20 · title », under its day when the theme spans days."""
    days = list(dict.fromkeys(day for day, _ in slots))
    spans = []
    for day in days:
        items = [item for d, item in slots if d == day]
        spans.append(f"{day.lower()}, {items[0].start}–{items[-1].end}")
    title = french("Programme : " + " ; ".join(spans))
    prefix = french(f"Thème {module.number} : ")
    lines = []
    for day in days:
        if len(days) > 1:
            lines.append((day, True, False))
        for d, item in slots:
            if d == day:
                text = item.title.removeprefix(prefix)
                lines.append(
                    (f"{item.start}–{item.end} · {text[:1].upper()}{text[1:]}", False, True)
                )
    return title, lines


def _quiz_minutes(slots: list[tuple[str, object]]) -> int | None:
    return next((item.minutes for _, item in slots if item.kind == "quiz"), None)


def _activity_lines(activity: models.Activity) -> list[tuple[str, bool, bool]]:
    """What the room reads while it works: the format and time, then the steps (the goal,
    the materials and the debriefing are in the notes and the guide)."""
    kind = activity.format[:1].upper() + activity.format[1:]
    lines = [(french(f"{kind} · {activity.duration_minutes} min"), True, False)]
    lines += [(f"{n}. {step}", False, False) for n, step in enumerate(activity.instructions, 1)]
    return lines


def _activity_notes(activity: models.Activity) -> str:
    debrief = "\n".join(f"– {point}" for point in activity.debrief)
    materials = " ; ".join(activity.materials)
    return french(
        f"Objectif : {activity.goal}\n"
        + (f"Matériel : {materials}\n" if materials else "")
        + (f"Groupes : {activity.grouping}\n" if activity.grouping else "")
        + f"Débriefing :\n{debrief}"
    )


def _timeline_caption(course: Course, processes: list[models.Process]) -> str:
    cited = list(dict.fromkeys(cite(course, p.founded) for p in processes if p.founded))
    return french("Source : " + " ; ".join(cited)) if cited else ""


def module_deck(
    course: Course,
    module: models.Module,
    template: Path | None = None,
    layout_map: dict[str, str] | None = None,
) -> tuple[Presentation, list[SlideRecord]]:
    """Build the deck of one module; returns the presentation and what each slide holds."""
    deck = DeckWriter(course, template, layout_map)
    info = course.info
    deck.cover(
        french(f"Thème {module.number} : {module.title}"),
        "\n".join(
            filter(
                None,
                [
                    module.subtitle,
                    info.title,
                    info.organisation,
                    french(f"Durée : {module.duration_minutes} min"),
                ],
            )
        ),
        module.summary or "",
    )
    deck.bullets(
        "Objectifs",
        _plain_blocks([(o, False, True) for o in module.objectives]),
        french("Présenter les objectifs ; demander aux participants leurs attentes."),
        "objectives",
    )
    slots = programme_slots(course, module)
    if slots:
        title, lines = programme_lines(module, slots)
        deck.bullets(
            title,
            _plain_blocks(lines),
            french(
                "Le programme de l’atelier pour ce thème, pauses et quiz compris ; "
                f"durée des contenus : {module.duration_minutes} min."
            ),
            "programme",
            limit_words=True,
        )
    else:
        deck.bullets(
            "Programme",
            _plain_blocks([(line, False, True) for line in agenda_lines(module)]),
            french(f"Durée totale prévue : {module.duration_minutes} min."),
            "agenda",
        )
    shown_sources: list[str] = list(module.sources)
    after: dict[str, list[models.Activity]] = {}
    for activity in module.activities:
        after.setdefault(activity.after_slide or "", []).append(activity)
    timed = dict(agenda(module))
    for number, section in enumerate(module.sections, start=1):
        deck.divider(
            section.title,
            f"Partie {number} · {timed.get(section.title, 0)} min",
            french(f"Partie {number} : {section.title}."),
            section.id,
        )
        for slide in section.slides:
            shown_sources += _slide(deck, course, slide)
            for activity in after.pop(slide.id, []):
                _activity(deck, activity)
    for activities in after.values():
        for activity in activities:
            _activity(deck, activity)
    room, appendix = split_for_the_room(module_questions(course, module))
    _quiz(deck, course, room, _quiz_minutes(slots))
    points = module.key_points or module.objectives
    deck.bullets(
        "À retenir",
        _plain_blocks([(p, False, True) for p in points]),
        french("Reprendre les points clés ; répondre aux dernières questions."),
        "summary",
    )
    sources = [course.sources[s] for s in dict.fromkeys(shown_sources) if s in course.sources]
    _sources(deck, course, sources)
    _quiz(deck, course, appendix, None, appendix=True)
    deck.finish(
        info.footer or info.title, french(f"{info.title} — Thème {module.number} : {module.title}")
    )
    return deck.prs, deck.records


def _sources(deck: DeckWriter, course: Course, sources: list[models.Source]) -> None:
    """The sources slide: the documents by their short titles, and a count of the web pages
    (each slide names its own); the full references in the notes (and the guide)."""
    documents = [s for s in sources if not s.url]
    pages = len(sources) - len(documents)
    lines = [
        (f"{short_source_title(course, s.id)} ({source_date(s)})", False, True) for s in documents
    ]
    if pages:
        lines.append(
            (
                french(
                    f"{pages} page{'s' if pages > 1 else ''} web citée{'s' if pages > 1 else ''} "
                    "sur les diapositives (références complètes dans les notes)"
                ),
                False,
                True,
            )
        )
    deck.bullets(
        "Sources",
        _plain_blocks(lines),
        "Les chiffres datés indiquent leur source et leur année sur chaque diapositive.\n"
        + "\n".join(f"– {source_entry(s)}" for s in sources),
        "sources",
        limit_words=True,
    )


def _slide(deck: DeckWriter, course: Course, slide) -> list[str]:
    """Make the slides of one content-model slide; returns the source ids it shows."""
    notes = facilitator_notes(slide)
    if isinstance(slide, models.ContentSlide):
        deck.bullets(
            slide.title, _bullet_blocks(slide.bullets, slide.subtitle), notes, "content", slide.id
        )
        return list(slide.sources)
    if isinstance(slide, models.ProcessSlide):
        process = course.processes[slide.process]
        # The foot line names each source with its year; the notes give the places in them.
        detailed = french(profile_sources(course, process))
        deck.table(
            slide.title or process_title(process),
            [list(row) for row in profile_rows(course, process)],
            "\n\n".join(filter(None, [notes or process.summary, detailed])),
            "process",
            slide.id,
            widths=[0.2, 0.8],
            label_column=True,
            caption=french(profile_sources(course, process, detailed=False)),
        )
        if process.members:
            member_map_slide(
                deck,
                french(f"{process.acronym} : carte des membres"),
                process.members,
                map_alt_text(process),
                membership_label(process.member_list),
                french(f"Source : {cite(course, process.member_list)}"),
                notes or process.summary or "",
                slide.id,
            )
        return [*slide.sources, *process.sources]
    if isinstance(slide, models.TimelineSlide):
        processes = [course.processes[p] for p in slide.timeline]
        entries = [(p.founded.year, p.acronym) for p in processes if p.founded]
        deck.timeline(slide.title, entries, _timeline_caption(course, processes), notes, slide.id)
        return [*slide.sources, *(p.founded.source for p in processes if p.founded)]
    if isinstance(slide, models.QuoteSlide):
        quote = slide.quote
        lines = [(f"« {quote.text} »", False, False)]
        attribution = ", ".join(
            filter(None, [quote.author, short_source_title(course, quote.source)])
        )
        lines.append((f"— {attribution}", True, False))
        deck.bullets(
            slide.title,
            _plain_blocks([(french(t), b, u) for t, b, u in lines], lead=True),
            notes,
            "quote",
            slide.id,
        )
        return [*slide.sources, quote.source]
    if isinstance(slide, models.TableSlide):
        deck.table(
            slide.title,
            [list(r) for r in slide.table.rows],
            notes,
            "table",
            slide.id,
            header=list(slide.table.columns),
        )
        return list(slide.sources)
    if isinstance(slide, models.FormsSlide):
        steps = [
            (FORM_NAMES[f.kind], f.text or "", processes_of_kind(course, f.kind))
            for f in slide.forms
        ]
        forms_slide(deck, slide.title, steps, notes, slide.id)
        return list(slide.sources)
    if isinstance(slide, models.GridSlide):
        cards = [(c.title, c.text, c.group) for c in slide.cards]
        grid_slide(deck, slide.title, cards, notes, slide.id, slide.numbered)
        return list(slide.sources)
    if isinstance(slide, models.ChronologySlide):
        entries = [(e.year, e.label) for e in slide.events]
        labels = [short_source_title(course, s) for s in slide.sources]
        caption = french("Sources : " + " ; ".join(labels)) if labels else ""
        events_slide(deck, slide.title, entries, caption, notes, slide.id)
        return list(slide.sources)
    if isinstance(slide, models.ChartSlide):
        processes = [course.processes[p] for p in slide.chart.processes]
        series = [(p.acronym, membership_points(p)) for p in processes]
        caption = french(chart_sources(course, processes))
        chart_slide(deck, slide.title, series, caption, notes, slide.id)
        return [*slide.sources, *(f.source for p in processes for f in p.memberships)]
    raise TypeError(f"unknown slide {slide!r}")  # pragma: no cover


def _activity(deck: DeckWriter, activity: models.Activity) -> None:
    deck.bullets(
        french(f"Activité : {activity.title}"),
        _plain_blocks(_activity_lines(activity)),
        _activity_notes(activity),
        "activity",
        activity.id,
    )


def _quiz(
    deck: DeckWriter,
    course: Course,
    questions: list,
    minutes: int | None,
    appendix: bool = False,
) -> None:
    """The quiz in the room (a question slide, then its answer), or the questions left
    for the appendix after the sources."""
    if not questions:
        return
    total = len(questions)
    counted = f"{total} question{'s' if total > 1 else ''}"
    if appendix:
        deck.divider(
            french("Annexe : questions supplémentaires"),
            french(f"{counted} pour réviser ou prolonger le quiz"),
            french("Questions à poser s’il reste du temps, ou à reprendre en révision."),
            None,
        )
    else:
        deck.divider(
            "Quiz",
            counted + (f" · {minutes} min" if minutes else ""),
            french(
                "Quiz en salle : lire chaque question, laisser répondre, puis montrer la réponse."
            ),
            None,
        )
    label = "Question supplémentaire" if appendix else "Question"
    answer_label = "Réponse supplémentaire" if appendix else "Réponse"
    for number, question in enumerate(questions, start=1):
        worded = word(question)
        lines = [(question.prompt, True, False)]
        if worded.instruction:
            lines.append((worded.instruction, False, False))
        lines += [(option, False, False) for option in worded.options]
        key = " ; ".join(worded.answer)
        deck.bullets(
            f"{label} {number} sur {total}",
            _plain_blocks(lines, lead=True),
            french(f"Réponse : {key}\n{question.explanation}"),
            "question",
            question.id,
        )
        # The explanation is said, not read: it is in the notes.
        answer_lines = [(question.prompt, True, False)]
        answer_lines += [(line, False, True) for line in worded.answer]
        taught = course.slides.get(question.slide)
        back = getattr(taught.slide, "title", None) if taught else None
        deck.bullets(
            f"{answer_label} {number} sur {total}",
            _plain_blocks(answer_lines),
            french(
                f"{question.explanation}" + (f"\nVoir la diapositive « {back} »." if back else "")
            ),
            "answer",
            question.id,
        )
