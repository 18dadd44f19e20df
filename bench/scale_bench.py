"""Content scale: synthetic courses of 1×, 10× and 100× the shipped content.

Each copy of a module and quiz bank gets suffixed ids, and every reference is renamed
with it, so the synthetic course validates like the real one. The processes dataset
stays 1×: at 100× one file would pass the loader's 1 MB limit per file, and a course
has one dataset however many modules draw on it.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

import yaml

from bench.common import BIN, REPO, Table, run

REF_KEYS = {"slide", "after_slide", "process", "module", "quiz"}
REF_LIST_KEYS = {"timeline", "processes"}
ID_KEYS = {"id"}


def _rename(value: Any, suffix: str, known: set[str]) -> Any:
    """Suffix every id and every reference to a known id inside ``value``."""
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            is_id = key in ID_KEYS and isinstance(item, str)
            if key == "choices":  # choice ids are local to their question
                out[key] = item
            elif is_id or (key in REF_KEYS and isinstance(item, str) and item in known):
                out[key] = item + suffix
            elif (
                key in REF_LIST_KEYS
                and isinstance(item, list)
                and all(isinstance(i, str) for i in item)
            ):
                out[key] = [i + suffix if i in known else i for i in item]
            elif key == "term" and isinstance(item, str):
                out[key] = f"{item} {suffix}"
            else:
                out[key] = _rename(item, suffix, known)
        return out
    if isinstance(value, list):
        return [_rename(item, suffix, known) for item in value]
    return value


def _ids(value: Any) -> set[str]:
    if isinstance(value, dict):
        found = {value["id"]} if isinstance(value.get("id"), str) else set()
        for key, item in value.items():
            if key != "choices":
                found |= _ids(item)
        return found
    if isinstance(value, list):
        return set().union(*(_ids(i) for i in value)) if value else set()
    return set()


def _dump(path: Path, data: Any) -> None:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def synthetic_course(factor: int, target: Path, source: Path = REPO) -> Path:
    """Write a course ``factor`` times the size of ``source`` into ``target``."""
    # libyaml's loader, as course.yamlsource reads: PyYAML's pure-Python one refuses a « ? »
    # inside a flow sequence that libyaml accepts (theme-2's handout prompts have some).
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    load = lambda p: yaml.load(p.read_text(encoding="utf-8"), Loader=loader)  # noqa: E731
    (target / "modules").mkdir(parents=True)
    (target / "quizzes").mkdir()
    shutil.copy(source / "modules/sources.yaml", target / "modules/sources.yaml")
    info = load(source / "modules/course.yaml")
    processes = load(source / "modules/processes.yaml")
    modules = {p: load(p) for p in sorted((source / "modules").glob("theme-*.yaml"))}
    quizzes = {p: load(p) for p in sorted((source / "quizzes").glob("*.yaml"))}
    known = set().union(*map(_ids, modules.values())) | {q["id"] for q in quizzes.values()}
    suffixes = [""] + [f"-x{n}" for n in range(1, factor)]
    module_ids = []
    for suffix in suffixes:
        rename = (lambda d: d) if not suffix else (lambda d, s=suffix: _rename(d, s, known))
        for data in modules.values():
            copy = rename(data)
            module_ids.append(copy["id"])
            _dump(target / "modules" / f"{copy['id']}.yaml", copy)
        for data in quizzes.values():
            copy = rename(data)
            if copy.get("draw_from") and suffix:
                continue  # one final quiz is enough
            _dump(target / "quizzes" / f"{copy['id']}.yaml", copy)
    _dump(target / "modules/processes.yaml", processes)
    _dump(target / "modules/course.yaml", {**info, "modules": module_ids})
    return target


STARTUP = (
    "from webapp import create_app; "
    "create_app({{'COURSE_ROOT': {root!r}, 'TESTING': True, 'DATABASE_URL': 'sqlite://'}})"
)


STARTUP = (
    "from webapp import create_app; "
    "create_app({{'COURSE_ROOT': {root!r}, 'TESTING': True, 'DATABASE_URL': 'sqlite://'}})"
)


def run_bench(table: Table, factors: tuple[int, ...] = (1, 10, 100)) -> None:
    """Validate, build and app start-up time and peak memory at each scale."""
    coopkit = str(BIN / "coopkit")
    python = str(BIN / "python")
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for factor in factors:
            root = synthetic_course(factor, Path(tmp) / f"x{factor}")
            validate = run([coopkit, "validate", "--root", str(root)])
            build = run(
                [
                    coopkit,
                    "build",
                    "--root",
                    str(root),
                    "--out",
                    str(root / "out"),
                    "--only",
                    "decks",
                ],
                timeout=1800,
            )
            startup = run([python, "-c", STARTUP.format(root=str(root))])
            results[factor] = (validate, build, startup)
    base_validate, base_build, base_startup = results[factors[0]]
    for factor, (validate, build, startup) in results.items():
        for what, measured, base in (
            ("validate", validate, base_validate),
            ("build decks", build, base_build),
            ("app start-up", startup, base_startup),
        ):
            growth = measured.seconds / base.seconds
            linear_ok = growth <= factor * 1.25 if factor > 1 else None
            table.add(
                f"scale {factor}×: {what}",
                f"{measured.seconds:.2f} s, {measured.peak_mb:.0f} MB",
                f"1×: {base.seconds:.2f} s",
                growth,
                f"≤ {factor} × (linear)" if factor > 1 else "—",
                linear_ok,
            )
    startup_mb = results[factors[0]][2].peak_mb
    table.add(
        "start-up memory per worker at 1×",
        f"{startup_mb:.0f} MB",
        "—",
        None,
        "< 100 MB",
        startup_mb < 100,
    )
