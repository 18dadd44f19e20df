"""When each part of a theme starts: the running clock of the facilitator guide.

A theme's flow is its sections (with their minutes) and its activities, each placed
after the slide it follows: a section an activity interrupts is split, its minutes
shared by slide count. When the course has a programme (``CourseInfo.programme``), the
clock shows the time of day: each of the theme's slots holds its sections (or its one
activity) from the slot's start, the time it has left is a margin, and the quiz and the
pauses between the slots are rows of their own. Without a programme the clock starts
at 0 h 00.
"""

from __future__ import annotations

from dataclasses import dataclass

from course import models
from course.course import Course
from course.typography import french
from slides_builder.deck import PAUSES, programme_slots


@dataclass(frozen=True)
class Part:
    """A row of the timing table."""

    start: int  # minutes: from midnight with a programme, from the theme's start without
    minutes: int
    title: str
    kind: str  # section, activity, quiz, break, lunch, margin
    day: str = ""  # the programme's day title (empty without a programme)
    slides: tuple[str, ...] = ()  # ids of the content slides shown in it

    @property
    def end(self) -> int:
        return self.start + self.minutes


@dataclass(frozen=True)
class Segment:
    """A piece of the theme's flow before it is put on the clock."""

    minutes: int
    title: str
    kind: str
    slides: tuple[str, ...] = ()  # content slide ids it covers, in order


def clock(minutes: int) -> str:
    """« 9 h 05 » (French time of day; also a duration from the start: « 0 h 20 »)."""
    return f"{minutes // 60} h {minutes % 60:02d}"


def theme_flow(
    module: models.Module,
    sections: list[models.Section] | None = None,
    own_slot: frozenset[str] = frozenset(),
) -> list[Segment]:
    """Sections (all, or ``sections``) and the activities run after their slides, in the
    order they are run, each with its minutes; activities in ``own_slot`` are left out
    (the programme gives them a slot of their own)."""
    known = sum(s.duration_minutes or 0 for s in module.sections)
    known += sum(a.duration_minutes for a in module.activities)
    unknown = [s for s in module.sections if s.duration_minutes is None]
    share = max(module.duration_minutes - known, 0) // len(unknown) if unknown else 0
    after: dict[str, list[models.Activity]] = {}
    slide_ids = {slide.id for slide in module.slides}
    last = module.sections[-1].slides[-1].id
    for activity in module.activities:
        if activity.id not in own_slot:  # placed after no known slide: at the theme's end
            home = activity.after_slide if activity.after_slide in slide_ids else last
            after.setdefault(home, []).append(activity)
    flow: list[Segment] = []
    for section in module.sections if sections is None else sections:
        minutes = section.duration_minutes or share
        ids = [slide.id for slide in section.slides]
        # Cut the section after each slide an activity follows (and at its end).
        cuts = [i + 1 for i, slide_id in enumerate(ids) if slide_id in after]
        if not cuts or cuts[-1] != len(ids):
            cuts.append(len(ids))
        done_slides = done_minutes = 0
        for piece, cut in enumerate(cuts):
            # Minutes by slide count, rounded so that the pieces add up to the section's.
            upto = round(minutes * cut / len(ids))
            title = section.title if piece == 0 else french(f"{section.title} (suite)")
            # The section's divider slide goes with its first piece.
            shown = ((section.id,) if piece == 0 else ()) + tuple(ids[done_slides:cut])
            if upto > done_minutes:
                flow.append(Segment(upto - done_minutes, title, "section", shown))
            done_slides, done_minutes = cut, upto
            flow += [_activity_segment(a) for a in after.get(ids[cut - 1], [])]
    return flow


def _activity_segment(activity: models.Activity) -> Segment:
    title = french(f"Activité : {activity.title}")
    return Segment(activity.duration_minutes, title, "activity", (activity.id,))


def theme_timing(course: Course, module: models.Module) -> list[Part]:
    """The timing table's rows: on the programme's clock when the course has one (its
    slots for the theme, the pauses between them), else from 0 h 00."""
    slots = programme_slots(course, module)  # the deck's programme slide shows the same
    if not slots:
        parts, start = [], 0
        for segment in theme_flow(module):
            parts.append(
                Part(start, segment.minutes, segment.title, segment.kind, "", segment.slides)
            )
            start += segment.minutes
        return parts
    own_slot = frozenset(item.activity for _, item in slots if item.kind == "activity")
    listed = {s for _, item in slots if item.kind == "module" for s in item.sections}
    activities = {a.id: a for a in module.activities}
    parts = []
    for day, item in slots:
        start = _minutes_of_day(item.start)
        if item.kind == "module":
            by_id = {s.id: s for s in module.sections}
            sections = [by_id[s] for s in item.sections if s in by_id] or [
                s for s in module.sections if s.id not in listed
            ]
            flow = theme_flow(module, sections, own_slot)
        elif item.kind == "activity":
            flow = [_activity_segment(activities[item.activity])]
        else:  # the theme's quiz, or a pause
            kind = item.kind if item.kind in PAUSES else "quiz"
            parts.append(Part(start, item.minutes, item.title, kind, day))
            continue
        for segment in flow:
            parts.append(
                Part(start, segment.minutes, segment.title, segment.kind, day, segment.slides)
            )
            start += segment.minutes
        end = _minutes_of_day(item.start) + item.minutes
        if start < end:  # the slot is longer than what it holds
            parts.append(Part(start, end - start, "Questions et marge", "margin", day))
    return parts


def _minutes_of_day(value) -> int:
    """Minutes from midnight of a programme's start, « 09:00 »."""
    hours, minutes = str(value).split(":")
    return int(hours) * 60 + int(minutes)
