"""The content commands: validate on the shipped course, schema, new, export processes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from coopkit.cli import main
from course import load_course
from course.countries import country_name
from tests.conftest import REPO_ROOT


def test_shipped_course_validates(runner):
    result = runner.invoke(main, ["validate", "--root", str(REPO_ROOT)])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("OK: 3 modules")


def test_the_command_runs_as_a_process_and_reports_errors_by_its_exit_code(tmp_path):
    """``python -m coopkit`` is what the installed ``coopkit`` command runs."""
    command = [sys.executable, "-m", "coopkit", "validate", "--root"]
    ok = subprocess.run([*command, str(REPO_ROOT)], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.startswith("OK: 3 modules")
    broken = tmp_path / "broken"
    (broken / "modules").mkdir(parents=True)
    (broken / "modules" / "course.yaml").write_text("title: [unclosed\n", encoding="utf-8")
    failed = subprocess.run([*command, str(broken)], capture_output=True, text=True)
    assert failed.returncode == 1
    assert "course.yaml:" in failed.stderr and "Traceback" not in failed.stderr


def test_new_scaffolds_a_course_that_validates(runner, tmp_path):
    target = tmp_path / "autre-cours"
    result = runner.invoke(main, ["new", str(target)])
    assert result.exit_code == 0, result.output
    assert (
        (target / "modules/course.yaml")
        .read_text(encoding="utf-8")
        .startswith("# yaml-language-server: $schema=../schemas/course.schema.json")
    )
    assert runner.invoke(main, ["validate", "--root", str(target)]).exit_code == 0


def test_new_refuses_to_overwrite(runner, tmp_path):
    target = tmp_path / "c"
    runner.invoke(main, ["new", str(target)])
    marker = target / "modules/theme-1.yaml"
    before = marker.read_text(encoding="utf-8")
    result = runner.invoke(main, ["new", str(target)])
    assert result.exit_code == 1
    assert "not overwriting existing files" in result.stderr
    assert marker.read_text(encoding="utf-8") == before


def test_schema_describes_every_format(runner, tmp_path):
    result = runner.invoke(main, ["schema", "--out", str(tmp_path)])
    assert result.exit_code == 0
    module = json.loads((tmp_path / "module.schema.json").read_text(encoding="utf-8"))
    assert module["additionalProperties"] is False
    assert {"id", "title", "sections", "objectives"} <= set(module["required"])
    quiz = json.loads((tmp_path / "quiz.schema.json").read_text(encoding="utf-8"))
    assert "SingleChoice" in quiz["$defs"] and "Matching" in quiz["$defs"]


def test_committed_schemas_are_current(runner, tmp_path):
    runner.invoke(main, ["schema", "--out", str(tmp_path)])
    for fresh in tmp_path.glob("*.schema.json"):
        committed = REPO_ROOT / "schemas" / fresh.name
        assert committed.read_text(encoding="utf-8") == fresh.read_text(encoding="utf-8"), (
            f"schemas/{fresh.name} is stale: run `coopkit schema`"
        )


def test_export_processes_round_trip(runner, small_course):
    result = runner.invoke(main, ["export", "processes", "--root", str(small_course)])
    assert result.exit_code == 0, result.stderr
    records = json.loads(result.stdout)
    course = load_course(small_course)
    assert [r["id"] for r in records] == list(course.processes)
    for record in records:
        process = course.processes[record["id"]]
        assert record["founded"] == (process.founded.year if process.founded else None)
        assert record["members"] == process.members
        assert record["members_fr"] == [country_name(c) for c in process.members]
        assert record["kind"] in {"bilateral", "regional", "interregional", "global"}
        assert record["source"] in course.sources
        assert isinstance(record["as_of"], int)


def test_export_refuses_invalid_content(runner, small_course):
    path = Path(small_course / "modules/processes.yaml")
    path.write_text(path.read_text(encoding="utf-8").replace("kind: regional", "kind: local"))
    result = runner.invoke(main, ["export", "processes", "--root", str(small_course)])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "processes.yaml:6: processes[0].kind: Input should be" in result.stderr
