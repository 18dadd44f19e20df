"""`coopkit export markdown`: a handout and pandoc's input, with every slide and note."""

from __future__ import annotations

from coopkit.cli import main
from course import load_course
from course.presenting import profile_rows


def test_markdown_has_slides_notes_and_profile(runner, small_course):
    result = runner.invoke(main, ["export", "markdown", "--root", str(small_course)])
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    course = load_course(small_course)
    module = course.modules[0]
    assert text.startswith(f"% {course.info.title} — Thème 1\n% {module.title}\n")
    assert "## Première diapositive" in text
    assert "- Un point détaillé\n    - Un détail" in text
    assert "::: notes\nCe que l’animateur dit\u202f; une question" in text
    for label, value in profile_rows(course, course.processes["exemple"]):
        assert f"| {label} | {value} |" in text
    assert "| Liste des membres" in text and "Belgique, France" in text


def test_markdown_unknown_module(runner, small_course):
    args = ["export", "markdown", "--root", str(small_course), "--module", "theme-9"]
    result = runner.invoke(main, args)
    assert result.exit_code == 2
    assert "no module 'theme-9' (known: theme-1)" in result.stderr


def test_profile_rows_show_the_support_and_the_source_line_its_source_and_year():
    from course import load_course
    from course.presenting import UNKNOWN, profile_sources
    from tests.test_processes_data import ROOT

    course = load_course(ROOT)
    rows = dict(profile_rows(course, course.processes["rabat"]))
    assert rows["Secrétariat et appui"].startswith("Secrétariat mis en œuvre par l’ICMPD")
    # Issue 18: no source inside a cell; the one source line under the profile cites each
    # figure with its year, and an undated page as such (no bare year passing for its date).
    sources = profile_sources(course, course.processes["rabat"])
    assert "Processus de Rabat, page du secrétariat — page non datée" in sources
    assert "APS, conférence de Rabat, 2006 — 11 juillet 2006" in sources
    assert "Portail belge, conférence de Rabat, 2006" in sources
    assert "page non datée, postérieure au 31 janvier 2020" in sources
    assert not any("Portail belge" in value or "APS" in value for value in rows.values())
    assert "en 2006" in rows["Membres"] and "page non datée" in rows["Membres"]
    assert rows["Secrétariat et appui"] != UNKNOWN
    assert dict(profile_rows(course, course.processes["apc"]))["Secrétariat et appui"] == UNKNOWN
