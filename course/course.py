"""The loaded course: validated models plus the look-ups every renderer needs."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from course import giveaways, models
from course.errors import Problem


@dataclass(frozen=True)
class SlidePlace:
    """Where a slide stands: its module, its section and its position (1-based) in the module."""

    module: models.Module
    section: models.Section
    slide: object
    number: int


@dataclass
class Course:
    """One validated course. Build it with ``course.loader.load_course``."""

    root: Path
    info: models.CourseInfo
    modules: list[models.Module]
    sources: dict[str, models.Source]
    processes: dict[str, models.Process]
    quizzes: dict[str, models.Quiz]
    warnings: list[Problem] = field(default_factory=list)

    def module(self, module_id: str) -> models.Module:
        """The module with this id (KeyError if none)."""
        return self.modules_by_id[module_id]

    @cached_property
    def modules_by_id(self) -> dict[str, models.Module]:
        """Modules by id, in course order."""
        return {m.id: m for m in self.modules}

    @cached_property
    def slides(self) -> dict[str, SlidePlace]:
        """Every slide by id, with its place."""
        places = {}
        for module in self.modules:
            number = 0
            for section in module.sections:
                for slide in section.slides:
                    number += 1
                    places[slide.id] = SlidePlace(module, section, slide, number)
        return places

    @cached_property
    def glossary(self) -> list[models.GlossaryEntry]:
        """All glossary entries of all modules, sorted by term."""
        entries = [entry for module in self.modules for entry in module.glossary]
        return sorted(entries, key=lambda e: sort_key(e.term))

    @cached_property
    def listed_countries(self) -> dict[str, frozenset[str]]:
        """By process id, in id order: every country any membership figure of it lists."""
        return {
            process.id: frozenset(code for figure in process.memberships for code in figure.members)
            for process in sorted(self.processes.values(), key=lambda p: p.id)
        }

    @cached_property
    def written_reads(self) -> dict[tuple[str, str], giveaways.Read]:
        """By (quiz id, question id), written questions as the giveaway check reads them,
        filled as draws meet them: read once, not on every attempt (generated questions
        differ by seed and are read each time)."""
        return {}

    def quiz_for_module(self, module_id: str) -> models.Quiz | None:
        """The quiz bank that tests a module, if any."""
        return next((q for q in self.quizzes.values() if q.module == module_id), None)

    def processes_sorted(self) -> list[models.Process]:
        """Processes by founding year (unknown last), then acronym."""
        return sorted(
            self.processes.values(),
            key=lambda p: (p.founded is None, p.founded.year if p.founded else 0, p.acronym),
        )


def sort_key(text: str) -> str:
    """A French-friendly sort key: accents and case ignored (« États » sorts with E)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))
