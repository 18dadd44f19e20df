"""Load a course folder into one validated ``Course``, or report every problem at once.

A course folder holds ``modules/`` (``course.yaml``, ``sources.yaml``,
``processes.yaml`` and one file per theme, named after its id) and ``quizzes/``
(one bank per file). Loading reads every file, validates it, then checks the
references between files; all problems are collected, then raised together.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from course import models
from course.course import Course
from course.errors import ContentError, ContentErrors, Problem
from course.yamlsource import LineMap, Loc, line_for, read_yaml

COURSE_FILE = "course.yaml"
SOURCES_FILE = "sources.yaml"
PROCESSES_FILE = "processes.yaml"
RESERVED = {COURSE_FILE, SOURCES_FILE, PROCESSES_FILE}


def load_course(root: Path | str = ".") -> Course:
    """Read and validate the course under ``root``; raise ``ContentErrors`` on any problem."""
    return _Loading(Path(root)).run()


class _Loading:
    """One load: the files read so far, their line maps, and the problems found."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        self.lines: dict[Path, LineMap] = {}

    # -- reading ---------------------------------------------------------------

    def run(self) -> Course:
        modules_dir = self.root / "modules"
        quizzes_dir = self.root / "quizzes"
        if not modules_dir.is_dir():
            raise ContentErrors(
                [Problem(modules_dir, 1, "no 'modules' folder here; is --root a course folder?")]
            )
        info = self.read(modules_dir / COURSE_FILE, models.CourseInfo)
        source_list = self.read(modules_dir / SOURCES_FILE, models.SourceList)
        process_list = self.read(modules_dir / PROCESSES_FILE, models.ProcessList)

        module_paths = sorted(
            p for p in modules_dir.glob("*.y*ml") if p.name not in RESERVED and p.is_file()
        )
        modules = {path: self.read(path, models.Module) for path in module_paths}
        quiz_paths = sorted(quizzes_dir.glob("*.y*ml")) if quizzes_dir.is_dir() else []
        quizzes = {path: self.read(path, models.Quiz) for path in quiz_paths}

        if info is None or source_list is None or process_list is None:
            raise ContentErrors(self.problems)

        loaded_modules = {p: m for p, m in modules.items() if m is not None}
        # With a module unreadable, its slides are unknown: checking quiz references to
        # slides would only add knock-on errors.
        self.slides_complete = len(loaded_modules) == len(modules)
        loaded_quizzes = {p: q for p, q in quizzes.items() if q is not None}
        order = self.check_module_files(modules_dir, info, loaded_modules)
        course = Course(
            root=self.root,
            info=info,
            modules=order,
            sources={s.id: s for s in source_list.sources},
            processes={p.id: p for p in process_list.processes},
            quizzes={q.id: q for q in loaded_quizzes.values()},
            warnings=self.warnings,
        )
        self.module_paths = {m.id: p for p, m in loaded_modules.items()}
        self.check_ids(modules_dir, source_list, process_list, loaded_modules, loaded_quizzes)
        self.check_references(course, modules_dir, loaded_modules, loaded_quizzes)
        self.check_figures(modules_dir / PROCESSES_FILE, process_list)
        self.course_programme = info.programme
        self.check_programme(course, modules_dir / COURSE_FILE)
        self.check_handouts(course, modules_dir / COURSE_FILE, loaded_modules)
        if not self.problems:  # generating needs every reference resolved
            self.check_quizzes(course, loaded_quizzes)
        if self.problems:
            raise ContentErrors(self.problems)
        return course

    def read(self, path: Path, model: type[BaseModel]) -> Any:
        """Parse and validate one file; record its problems and return None on failure."""
        try:
            data, lines = read_yaml(path)
        except ContentError as exc:
            self.problems.append(exc.problem)
            return None
        self.lines[path] = lines
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            self.problems.extend(_problems_from(path, lines, exc))
            return None

    def report(self, path: Path, loc: Loc, message: str, *, warning: bool = False) -> None:
        """Record a problem at the line of ``loc`` in ``path``."""
        line = line_for(self.lines.get(path, {}), loc)
        problem = Problem(path, line, f"{_loc_text(loc)}: {message}" if loc else message, warning)
        (self.warnings if warning else self.problems).append(problem)

    # -- checks across files ---------------------------------------------------

    def check_module_files(
        self,
        modules_dir: Path,
        info: models.CourseInfo,
        loaded: dict[Path, models.Module],
    ) -> list[models.Module]:
        """Modules are files named after their id, listed in course.yaml; return them in order."""
        by_id: dict[str, models.Module] = {}
        for path, module in loaded.items():
            if path.stem != module.id:
                self.report(path, ("id",), f"module id '{module.id}' must match its file name")
            by_id[module.id] = module
        course_path = modules_dir / COURSE_FILE
        for index, module_id in enumerate(info.modules):
            if module_id not in by_id and not (modules_dir / f"{module_id}.yaml").is_file():
                self.report(
                    course_path,
                    ("modules", index),
                    f"no module '{module_id}' (expected modules/{module_id}.yaml)"
                    + _suggest(module_id, by_id),
                )
        for path, module in loaded.items():
            if module.id not in info.modules:
                self.report(path, ("id",), f"module '{module.id}' is not listed in course.yaml")
        return [by_id[i] for i in info.modules if i in by_id]

    def check_ids(self, modules_dir, source_list, process_list, modules, quizzes) -> None:
        """Ids are unique where they are referred to."""
        self.unique(
            modules_dir / SOURCES_FILE,
            "source",
            [(("sources", i), s.id) for i, s in enumerate(source_list.sources)],
        )
        self.unique(
            modules_dir / PROCESSES_FILE,
            "process",
            [(("processes", i), p.id) for i, p in enumerate(process_list.processes)],
        )
        slide_places, section_places, activity_places, terms = [], [], [], []
        for path, module in modules.items():
            for si, section in enumerate(module.sections):
                section_places.append((path, ("sections", si), section.id))
                for li, slide in enumerate(section.slides):
                    slide_places.append((path, ("sections", si, "slides", li), slide.id))
            for ai, activity in enumerate(module.activities):
                activity_places.append((path, ("activities", ai), activity.id))
            for gi, entry in enumerate(module.glossary):
                terms.append((path, ("glossary", gi, "term"), entry.term))
        self.unique_across("section", section_places)
        self.unique_across("slide", slide_places)
        self.unique_across("activity", activity_places)
        self.unique_across("glossary term", terms, key="term")
        self.unique_across("quiz", [(p, ("id",), q.id) for p, q in quizzes.items()])
        for path, quiz in quizzes.items():
            self.unique(
                path, "question", [(("questions", i), q.id) for i, q in enumerate(quiz.questions)]
            )

    def unique(self, path: Path, what: str, places: list[tuple[Loc, str]]) -> None:
        self.unique_across(what, [(path, loc, value) for loc, value in places])

    def unique_across(
        self, what: str, places: list[tuple[Path, Loc, str]], key: str = "id"
    ) -> None:
        """Report every repetition of a value after its first place."""
        first: dict[str, tuple[Path, Loc]] = {}
        for path, loc, value in places:
            if value in first:
                other_path, other_loc = first[value]
                other_line = line_for(self.lines.get(other_path, {}), other_loc)
                where = "" if other_path == path else f"{other_path.name}:"
                self.report(
                    path,
                    (*loc, key) if key == "id" else loc,
                    f"duplicate {what} {key} '{value}' (first at {where}line {other_line})",
                )
            else:
                first[value] = (path, loc)

    def check_references(self, course: Course, modules_dir, modules, quizzes) -> None:
        """Every id a file mentions names something that exists: one check per kind of id."""
        self.check_source_references(course, modules_dir / PROCESSES_FILE, modules)
        self.check_process_references(course, modules, quizzes)
        self.check_slide_references(course, modules, quizzes)
        self.check_quiz_references(course, quizzes)

    def check_source_references(self, course: Course, process_path: Path, modules) -> None:
        """Sources named by processes and their dated figures, modules, slides and quotes."""
        sources = course.sources
        for pi, process in enumerate(course.processes.values()):
            base = ("processes", pi)
            self.refs(process_path, (*base, "sources"), process.sources, sources, "source")
            figures: list[tuple[Loc, models.Figure]] = []
            if process.founded:
                figures.append(((*base, "founded"), process.founded))
            if process.topics:
                figures.append(((*base, "topics"), process.topics))
            if process.support:
                figures.append(((*base, "support"), process.support))
            figures += [((*base, "memberships", i), m) for i, m in enumerate(process.memberships)]
            for loc, figure in figures:
                self.ref(process_path, (*loc, "source"), figure.source, sources, "source")
        for path, module in modules.items():
            self.refs(path, ("sources",), module.sources, sources, "source")
            for loc, slide in _slides_with_places(module):
                self.refs(path, (*loc, "sources"), slide.sources, sources, "source")
                if isinstance(slide, models.QuoteSlide):
                    quote_source = slide.quote.source
                    self.ref(path, (*loc, "quote", "source"), quote_source, sources, "source")

    def check_process_references(self, course: Course, modules, quizzes) -> None:
        """Processes shown by profile and timeline slides (a timeline needs founding years)
        and those a generated question draws from."""
        processes = course.processes
        for path, module in modules.items():
            for loc, slide in _slides_with_places(module):
                if isinstance(slide, models.ProcessSlide):
                    self.ref(path, (*loc, "process"), slide.process, processes, "process")
                elif isinstance(slide, models.TimelineSlide):
                    self.refs(path, (*loc, "timeline"), slide.timeline, processes, "process")
                    for ti, pid in enumerate(slide.timeline):
                        if pid in processes and processes[pid].founded is None:
                            self.report(
                                path,
                                (*loc, "timeline", ti),
                                f"process '{pid}' has no founding year to place on a timeline",
                            )
                elif isinstance(slide, models.ChartSlide):
                    chart = (*loc, "chart", "processes")
                    self.refs(path, chart, slide.chart.processes, processes, "process")
                    for ci, pid in enumerate(slide.chart.processes):
                        if pid in processes and not processes[pid].memberships:
                            self.report(
                                path,
                                (*chart, ci),
                                f"process '{pid}' has no dated membership to chart",
                            )
        for path, quiz in quizzes.items():
            for qi, question in enumerate(quiz.questions):
                if isinstance(question, models.Generated):
                    loc = ("questions", qi, "processes")
                    self.refs(path, loc, question.processes, processes, "process")

    def check_slide_references(self, course: Course, modules, quizzes) -> None:
        """Slides an activity follows (in its own module) and a question points back to."""
        for path, module in modules.items():
            module_slides = {s.id for s in module.slides}
            for ai, activity in enumerate(module.activities):
                if activity.after_slide:
                    self.ref(
                        path,
                        ("activities", ai, "after_slide"),
                        activity.after_slide,
                        module_slides,
                        "slide in this module",
                    )
        if not self.slides_complete:  # a module unreadable: its slides are unknown
            return
        slide_ids = {s.id for m in course.modules for s in m.slides}
        for path, quiz in quizzes.items():
            for qi, question in enumerate(quiz.questions):
                self.ref(path, ("questions", qi, "slide"), question.slide, slide_ids, "slide")

    def check_quiz_references(self, course: Course, quizzes) -> None:
        """The module a quiz belongs to and the quizzes it draws from."""
        for path, quiz in quizzes.items():
            if quiz.module:
                self.ref(path, ("module",), quiz.module, set(course.info.modules), "module")
            for di, draw in enumerate(quiz.draw_from):
                self.ref(path, ("draw_from", di, "quiz"), draw.quiz, course.quizzes, "quiz")

    def ref(self, path: Path, loc: Loc, value: str, known: Iterable[str], what: str) -> None:
        known = known if isinstance(known, (set, dict)) else set(known)
        if value not in known:
            self.report(path, loc, f"unknown {what} '{value}'" + _suggest(value, known))

    def refs(self, path: Path, loc: Loc, values: list[str], known, what: str) -> None:
        for index, value in enumerate(values):
            self.ref(path, (*loc, index), value, known, what)

    def check_quizzes(self, course: Course, quizzes: dict[Path, models.Quiz]) -> None:
        """Recipes the dataset can build and draws the banks can fill; giveaways no draw
        can avoid are warnings (the quiz still works)."""
        # The quiz engine builds on the loaded course.
        from course.attempts import check_quiz, unavoidable_giveaways

        for path, quiz in quizzes.items():
            for loc, message in check_quiz(course, quiz.id):
                self.report(path, loc, message)
            for loc, message in unavoidable_giveaways(course, quiz.id):
                self.report(path, loc, message, warning=True)

    def check_programme(self, course: Course, path: Path) -> None:
        """Slots follow each other without gap or overlap; every slot names what exists;
        every section and activity of a theme on the programme has exactly one slot, long
        enough for what it holds."""
        modules = course.modules_by_id
        placed: dict[tuple[str, str], Loc] = {}  # (module id, section or activity id)
        on_programme: set[str] = set()
        for di, day in enumerate(course.info.programme):
            for ii, item in enumerate(day.items):
                loc = ("programme", di, "items", ii)
                if ii:
                    before = day.items[ii - 1]
                    if item.start_minutes != before.end_minutes:
                        gap = "overlaps" if item.start_minutes < before.end_minutes else "leaves"
                        self.report(
                            path,
                            (*loc, "start"),
                            f"'{item.title}' starts at {item.start} but '{before.title}' "
                            f"({before.start} + {before.minutes} min) ends at {before.end}: "
                            f"it {gap} {abs(item.start_minutes - before.end_minutes)} min "
                            + ("of overlap" if gap == "overlaps" else "unaccounted for"),
                        )
                if item.quiz is not None:
                    self.ref(path, (*loc, "quiz"), item.quiz, course.quizzes, "quiz")
                    quiz = course.quizzes.get(item.quiz)
                    if item.kind == "test" and quiz is not None and not quiz.fixed:
                        self.report(
                            path,
                            (*loc, "quiz"),
                            f"quiz '{item.quiz}' is not fixed: a test asks the same questions "
                            "every time (set 'fixed: true' in its bank)",
                        )
                if item.module is None:
                    continue
                module = modules.get(item.module)
                if module is None:
                    if self.slides_complete:  # else its file failed: no knock-on error
                        self.ref(path, (*loc, "module"), item.module, modules, "module")
                    continue
                if item.kind == "quiz" and item.quiz is None:
                    if course.quiz_for_module(module.id) is None:
                        self.report(path, (*loc, "module"), f"no quiz tests '{module.id}'")
                    continue
                if item.kind not in ("module", "activity"):
                    continue
                on_programme.add(module.id)
                parts = self.slot_parts(path, loc, item, module)
                for part_id, (part_loc, _) in parts.items():
                    if (module.id, part_id) in placed:
                        first = line_for(self.lines.get(path, {}), placed[module.id, part_id])
                        self.report(
                            path,
                            part_loc,
                            f"'{part_id}' of {module.id} already has a slot (line {first})",
                        )
                    placed[module.id, part_id] = part_loc
                needed = sum(minutes for _, minutes in parts.values())
                if item.minutes < needed:
                    detail = " + ".join(f"{pid} {m}" for pid, (_, m) in parts.items())
                    self.report(
                        path,
                        (*loc, "minutes"),
                        f"'{item.title}' has {item.minutes} min but holds {needed} min "
                        f"of {module.id} ({detail})",
                    )
        for module_id in sorted(on_programme):
            module = modules[module_id]
            parts = [s.id for s in module.sections] + [a.id for a in module.activities]
            missing = [p for p in parts if (module_id, p) not in placed]
            if missing:
                self.report(
                    path,
                    ("programme",),
                    f"{module_id}: no slot for {', '.join(missing)}",
                )

    def slot_parts(
        self, path: Path, loc: Loc, item: models.ProgrammeItem, module: models.Module
    ) -> dict[str, tuple[Loc, int]]:
        """What a module or activity slot holds: id -> (where it is named, minutes).

        A module slot holds its sections (when it lists none: those no other slot of the
        module lists) and the activities run after their slides, except activities that
        have a slot of their own."""
        own_slots = {
            i.activity
            for day in self.course_programme
            for i in day.items
            if i.kind == "activity" and i.module == module.id
        }
        if item.kind == "activity":
            activity = next((a for a in module.activities if a.id == item.activity), None)
            if activity is None:
                known = [a.id for a in module.activities]
                self.ref(path, (*loc, "activity"), item.activity or "", known, "activity")
                return {}
            return {activity.id: ((*loc, "activity"), activity.duration_minutes)}
        by_id = {s.id: s for s in module.sections}
        if item.sections:
            sections = []
            for index, section_id in enumerate(item.sections):
                self.ref(path, (*loc, "sections", index), section_id, by_id, "section")
                if section_id in by_id:
                    sections.append(((*loc, "sections", index), by_id[section_id]))
        else:  # the sections no other slot of this module lists
            listed = {
                section_id
                for day in self.course_programme
                for i in day.items
                if i.kind == "module" and i.module == module.id
                for section_id in i.sections
            }
            sections = [(loc, s) for s in module.sections if s.id not in listed]
        parts: dict[str, tuple[Loc, int]] = {}
        section_of_slide = {
            slide.id: section.id for section in module.sections for slide in section.slides
        }
        last = module.sections[-1].id
        for section_loc, section in sections:
            parts[section.id] = (section_loc, section.duration_minutes or 0)
            for activity in module.activities:
                home = section_of_slide.get(activity.after_slide or "", last)
                if home == section.id and activity.id not in own_slots:
                    parts[activity.id] = (section_loc, activity.duration_minutes)
        return parts

    def check_handouts(
        self, course: Course, path: Path, modules: dict[Path, models.Module]
    ) -> None:
        """Handout ids are unique across the course; a quiz block names a fixed bank."""
        places: list[tuple[Path, Loc, str]] = []
        blocks: list[tuple[Path, Loc, models.Handout]] = []
        for hi, handout in enumerate(course.info.handouts):
            places.append((path, ("handouts", hi), handout.id))
            blocks.append((path, ("handouts", hi), handout))
        for module_path, module in modules.items():
            for ai, activity in enumerate(module.activities):
                for hi, handout in enumerate(activity.handouts):
                    loc = ("activities", ai, "handouts", hi)
                    places.append((module_path, loc, handout.id))
                    blocks.append((module_path, loc, handout))
        self.unique_across("handout", places)
        for handout_path, loc, handout in blocks:
            for bi, block in enumerate(handout.blocks):
                if not isinstance(block, models.QuizBlock):
                    continue
                where = (*loc, "blocks", bi, "quiz")
                self.ref(handout_path, where, block.quiz, course.quizzes, "quiz")
                quiz = course.quizzes.get(block.quiz)
                if quiz is not None and not quiz.fixed:
                    self.report(
                        handout_path,
                        where,
                        f"quiz '{block.quiz}' is not fixed: a printed test needs the same "
                        "questions every time (set 'fixed: true' in its bank)",
                    )

    def check_figures(self, path: Path, process_list: models.ProcessList) -> None:
        """Warn where a source's stated count and its list disagree (both are kept as written)."""
        for pi, process in enumerate(process_list.processes):
            for mi, figure in enumerate(process.memberships):
                if (
                    figure.count is not None
                    and figure.members
                    and figure.count != len(figure.members)
                ):
                    self.report(
                        path,
                        ("processes", pi, "memberships", mi, "count"),
                        f"{process.acronym}: the source states {figure.count} members "
                        f"but lists {len(figure.members)}",
                        warning=True,
                    )


# -- turning pydantic errors into readable lines ------------------------------


def _slides_with_places(module: models.Module) -> Iterator[tuple[Loc, models.Slide]]:
    """Every slide of a module with its YAML location."""
    for si, section in enumerate(module.sections):
        for li, slide in enumerate(section.slides):
            yield ("sections", si, "slides", li), slide


def _loc_text(loc: Loc) -> str:
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        elif (
            part in models.UNION_TAGS or part in models.BLOCK_TAGS or part in models.QUESTION_TYPES
        ):
            continue
        else:
            text += f".{part}" if text else str(part)
    return text


def _field_names() -> set[str]:
    names: set[str] = set()
    stack = [models.Model]
    while stack:
        cls = stack.pop()
        names.update(cls.model_fields)
        stack.extend(cls.__subclasses__())
    return names


def _suggest(value: str, known: Iterable[str]) -> str:
    candidates = [str(k) for k in known if str(k) != str(value)]  # a key valid elsewhere
    close = difflib.get_close_matches(str(value), candidates, n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else ""


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "…"


def _problems_from(path: Path, lines: LineMap, exc: ValidationError) -> list[Problem]:
    problems = []
    seen: Counter[tuple[int, str]] = Counter()
    for error in exc.errors(include_url=False):
        loc = tuple(error["loc"])
        kind = error["type"]
        where = _loc_text(loc[:-1]) if loc else ""
        last = loc[-1] if loc else ""
        if kind == "missing":
            message = f"missing required key '{last}'"
            message = f"{where}: {message}" if where else message
        elif kind == "extra_forbidden":
            message = f"unknown key '{last}'" + _suggest(str(last), _field_names())
            message = f"{where}: {message}" if where else message
        else:
            text = error["msg"].removeprefix("Value error, ")
            if kind == "union_tag_invalid":
                ctx = error.get("ctx", {})
                text = (
                    f"unknown {ctx.get('discriminator', 'type')} {ctx.get('tag')}; "
                    f"expected one of {ctx.get('expected_tags')}"
                )
            elif kind not in ("value_error", "assertion_error") and not isinstance(
                error.get("input"), (dict, list)
            ):
                text += f" (got {_shown(error.get('input'))})"
            full = _loc_text(loc)
            message = f"{full}: {text}" if full else text
        line = line_for(lines, loc)
        if seen[(line, message)]:
            continue
        seen[(line, message)] += 1
        problems.append(Problem(path, line, message))
    return problems
