"""Plain-data views of the course for other tools (JSON export of the dataset)."""

from __future__ import annotations

from typing import Any

from course.countries import country_name
from course.course import Course
from course.models import Process


def process_record(process: Process) -> dict[str, Any]:
    """One process as a JSON-ready dict; ``source``/``as_of`` date the member list."""
    reference = process.member_list or (process.memberships[0] if process.memberships else None)
    dated = reference or process.founded
    return {
        "id": process.id,
        "acronym": process.acronym,
        "name": process.name,
        "name_en": process.name_en,
        "kind": process.kind,
        "region": process.region,
        "founded": process.founded.year if process.founded else None,
        "founded_source": process.founded.source if process.founded else None,
        "members": process.members,
        "members_fr": [country_name(code) for code in process.members],
        "member_count": reference.count if reference else None,
        "topics": list(process.topics.items) if process.topics else [],
        "support": process.support.text if process.support else None,
        "source": dated.source if dated else process.sources[0],
        "as_of": dated.as_of if dated and dated.as_of else None,
        "figures": [m.model_dump(exclude_none=True) for m in process.memberships],
        "sources": list(process.sources),
    }


def processes_records(course: Course) -> list[dict[str, Any]]:
    """Every process of the dataset, in file order."""
    return [process_record(p) for p in course.processes.values()]
