"""Every kind of bad input gives `path:line: message`, exit 1 and no traceback."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from coopkit.cli import main
from course import ContentErrors, load_course


def validate(runner, root: Path):
    result = runner.invoke(main, ["validate", "--root", str(root)])
    assert "Traceback" not in result.output + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture drifted: {old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, fragment: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if fragment in line:
            return number
    raise AssertionError(f"{fragment!r} not in {path}")


def test_scaffold_is_valid(runner, small_course):
    result = validate(runner, small_course)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("OK: 1 modules, 2 slides, 1 processes")


CASES = {
    # name: (file, old text, new text, fragment of the line expected, message expected)
    "yaml syntax": (
        "modules/theme-1.yaml",
        "title: Premier thème",
        "title: [Premier thème",
        None,
        "YAML syntax error",
    ),
    "unknown key": (
        "modules/theme-1.yaml",
        "duration_minutes: 60",
        "duration_minute: 60",
        "duration_minute:",
        "unknown key 'duration_minute'; did you mean 'duration_minutes'?",
    ),
    "wrong type": (
        "modules/theme-1.yaml",
        "duration_minutes: 60",
        "duration_minutes: une heure",
        "duration_minutes:",
        "duration_minutes: Input should be a valid integer",
    ),
    "missing field": (
        "modules/theme-1.yaml",
        "    goal: Faire connaissance\n",
        "",
        "- id: tour-de-table",
        "activities[0]: missing required key 'goal'",
    ),
    "duplicate id": (
        "modules/theme-1.yaml",
        "id: premiere-diapositive",
        "id: profil-exemple",
        "process: exemple",  # the second slide's id is the line before; see the check below
        "duplicate slide id 'profil-exemple' (first at line 13)",
    ),
    "unknown process": (
        "modules/theme-1.yaml",
        "process: exemple",
        "process: exempel",
        "process: exempel",
        "unknown process 'exempel'; did you mean 'exemple'?",
    ),
    "unknown source": (
        "modules/processes.yaml",
        "sources: [ma-source]",
        "sources: [ta-source]",
        "sources: [ta-source]",
        "processes[0].sources[0]: unknown source 'ta-source'",
    ),
    "unknown slide": (
        "quizzes/theme-1.yaml",
        "slide: profil-exemple",
        "slide: profil-inconnu",
        "slide: profil-inconnu",
        "questions[0].slide: unknown slide 'profil-inconnu'",
    ),
    "bad country code": (
        "modules/processes.yaml",
        "members: [FR, BE]",
        "members: [FR, XX]",
        "members: [FR, XX]",
        "'XX' is not an ISO 3166-1 alpha-2 code",
    ),
    "duplicate key": (
        "modules/theme-1.yaml",
        "number: 1\n",
        "number: 1\nnumber: 2\n",
        "number: 2",
        "duplicate key 'number'",
    ),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_bad_content_is_reported_with_file_and_line(runner, small_course, case):
    rel, old, new, fragment, message = CASES[case]
    path = small_course / rel
    replace_in(path, old, new)
    result = validate(runner, small_course)
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[-1].startswith("Aborted with ")
    matching = [line for line in lines if message in line]
    assert matching, result.stderr
    problem = matching[0]
    file_part, line_part, text = problem.split(":", 2)
    assert Path(file_part).resolve() == path.resolve()
    if fragment is not None:
        expected = line_of(path, fragment) - (1 if case == "duplicate id" else 0)
        assert int(line_part) == expected, problem
    assert message in text, problem


def test_yaml_syntax_error_line(runner, small_course):
    path = small_course / "modules/theme-1.yaml"
    replace_in(path, "  - Expliquer", "  - Expliquer: [oops\n  - x")
    result = validate(runner, small_course)
    assert result.exit_code == 1
    file_part, line_part, _ = result.stderr.splitlines()[0].split(":", 2)
    assert Path(file_part).name == "theme-1.yaml"
    assert abs(int(line_part) - line_of(path, "Expliquer")) <= 2


def test_not_utf8(runner, small_course):
    path = small_course / "modules/theme-1.yaml"
    data = path.read_bytes().replace("Premier thème".encode(), "Premier thème".encode("latin-1"))
    path.write_bytes(data)
    result = validate(runner, small_course)
    assert result.exit_code == 1
    expected_line = line_of_bytes(data, b"Premier th")
    assert f"theme-1.yaml:{expected_line}: file is not UTF-8 (byte 0xe8)" in result.stderr


def line_of_bytes(data: bytes, fragment: bytes) -> int:
    return data[: data.index(fragment)].count(b"\n") + 1


@pytest.mark.parametrize("body", ["", "\n\n", "# only a comment\n"])
def test_empty_file(runner, small_course, body):
    (small_course / "quizzes/theme-1.yaml").write_text(body, encoding="utf-8")
    result = validate(runner, small_course)
    assert result.exit_code == 1
    assert "theme-1.yaml:1: file is empty" in result.stderr


def test_alias_bomb_is_refused_fast(runner, small_course):
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    (small_course / "modules/theme-1.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    started = time.perf_counter()
    result = validate(runner, small_course)
    assert time.perf_counter() - started < 5  # generous: expansion would never finish
    assert result.exit_code == 1
    assert "theme-1.yaml:2: anchors and aliases" in result.stderr


def test_enormous_file_is_refused_unread(runner, small_course):
    path = small_course / "modules/theme-1.yaml"
    path.write_text("x: " + "a" * 2_000_000 + "\n", encoding="utf-8")
    result = validate(runner, small_course)
    assert result.exit_code == 1
    assert "theme-1.yaml:1: file is too large (2,000,004 bytes" in result.stderr


def test_deep_nesting_is_refused(runner, small_course):
    path = small_course / "modules/theme-1.yaml"
    path.write_text("x: " + "[" * 60 + "]" * 60 + "\n", encoding="utf-8")
    result = validate(runner, small_course)
    assert result.exit_code == 1
    assert "nesting is deeper than" in result.stderr


def test_every_error_at_once(runner, small_course):
    replace_in(small_course / "modules/theme-1.yaml", "duration_minutes: 60", "duration_minutes: x")
    replace_in(small_course / "quizzes/theme-1.yaml", "answer: a", "answer: z")
    result = validate(runner, small_course)
    assert result.exit_code == 1
    assert "theme-1.yaml:" in result.stderr
    assert "answer 'z' is not one of the choices (a, b)" in result.stderr
    assert result.stderr.splitlines()[-1] == "Aborted with 2 errors."


def test_module_file_must_be_listed(runner, small_course):
    source = small_course / "modules/theme-1.yaml"
    (small_course / "modules/theme-2.yaml").write_text(
        source.read_text(encoding="utf-8").replace("id: theme-1", "id: theme-2"), encoding="utf-8"
    )
    result = validate(runner, small_course)
    assert result.exit_code == 1
    assert "module 'theme-2' is not listed in course.yaml" in result.stderr


def test_missing_modules_folder(runner, tmp_path):
    result = validate(runner, tmp_path)
    assert result.exit_code == 1
    assert "no 'modules' folder here" in result.stderr


def test_count_mismatch_is_a_warning(runner, small_course):
    replace_in(small_course / "modules/processes.yaml", "count: 2,", "count: 3,")
    result = validate(runner, small_course)
    assert result.exit_code == 0
    assert "warning: processes[0].memberships[0].count: EX: the source states 3" in result.stderr


def test_load_course_raises_all_problems(small_course):
    replace_in(small_course / "modules/theme-1.yaml", "number: 1", "number: zéro")
    with pytest.raises(ContentErrors) as caught:
        load_course(small_course)
    assert len(caught.value.problems) == 1
    assert caught.value.problems[0].path.name == "theme-1.yaml"


def test_unknown_key_never_suggests_itself(runner, small_course):
    # 'subtitle' is a key of content slides, not of processes: no "did you mean 'subtitle'?"
    replace_in(small_course / "modules/processes.yaml", "    region: Europe", "    subtitle: X")
    result = validate(runner, small_course)
    assert "unknown key 'subtitle'" in result.stderr
    assert "did you mean 'subtitle'" not in result.stderr


def test_thousands_of_open_brackets_give_a_line_not_a_stack_overflow(runner, small_course):
    theme = small_course / "modules" / "theme-1.yaml"
    theme.write_text("id: theme-1\nnumber: " + "[" * 5000 + "\n", encoding="utf-8")
    result = validate(runner, small_course)
    assert result.exit_code == 1
    assert "modules/theme-1.yaml:2: nesting is deeper than 40 levels" in result.stderr


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: p.mkdir(), "is a folder, not a YAML file"),
        (lambda p: os.mkfifo(p), "is not a regular file (a pipe, a socket or a device)"),
        (lambda p: p.symlink_to(p.name), "symbolic link loop: it leads back to itself"),
        (lambda p: p.symlink_to("nowhere.yaml"), "broken symbolic link"),
    ],
    ids=["folder", "fifo", "symlink loop", "broken link"],
)
def test_what_is_not_a_readable_file_is_named_in_one_line(runner, small_course, make, message):
    make(small_course / "quizzes" / "extra.yaml")
    result = validate(runner, small_course)  # a FIFO must not make it wait for a writer
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0].endswith(f"quizzes/extra.yaml: {message}")


def test_an_unreadable_file_is_named_in_one_line(runner, small_course, monkeypatch):
    """Tests run as root here, where file modes do not stop a read: the refusal is simulated
    where the operating system would give it."""
    theme = small_course / "modules" / "theme-1.yaml"
    original = Path.read_bytes

    def refuse(path: Path) -> bytes:
        if path == theme:
            raise PermissionError(13, "Permission denied", str(path))
        return original(path)

    monkeypatch.setattr(Path, "read_bytes", refuse)
    result = validate(runner, small_course)
    assert result.exit_code == 1
    assert "modules/theme-1.yaml: cannot read the file: Permission denied" in result.stderr
