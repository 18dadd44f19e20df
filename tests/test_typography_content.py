"""Shipped French text: no word mangled by the 2005 deck's extraction; typography applied."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from course.typography import NBSP, NNBSP, french

ROOT = Path(__file__).resolve().parents[1]
CONTENT_FILES = sorted((ROOT / "modules").glob("*.yaml")) + sorted(
    (ROOT / "quizzes").glob("*.yaml")
)

# Words of the deck's extraction that lost their apostrophe or œ (« dune » for « d'une »,
# « main duvre » for « main-d'œuvre »…), taken from the seed text.
MANGLED = """
dune dun duvre uvre dinformations dorigine sagit lorsquil lintérêt dêtres daccords sétendent
saccroit nexiste léchelon léchange lun loccasion linitiative lhomme lexpérience lexpression
lentrée lautomne lasile laccord lInitiative lEtat lAgenda déventuels détudes déquité dintégration
dimmigration didées didentité dexpériences dexpertise dengager dautres daméliorer daide dadopter
daction dEtats doffrir sefforcer lagestion quil sy
""".split()  # noqa: SIM905 - a word list reads best as text
MANGLED_RE = re.compile(r"(?<![\w’'-])(" + "|".join(MANGLED) + r")(?![\w’'-])")


def test_content_files_exist():
    assert len(CONTENT_FILES) >= 5, "modules/ and quizzes/ should hold the course"


@pytest.mark.parametrize("path", CONTENT_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_no_mangled_words(path: Path):
    problems = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        text = line.split("#", 1)[0] if line.lstrip().startswith("#") else line
        for match in MANGLED_RE.finditer(text):
            problems.append(f"{path.name}:{number}: « {match.group(1)} » in: {line.strip()[:80]}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", CONTENT_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_etat_keeps_its_accent(path: Path):
    text = path.read_text(encoding="utf-8")
    assert not re.search(r"\bEtats?\b", text), "write « État(s) » with its accent"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("l'État", "l’État"),
        ("Pourquoi ?", f"Pourquoi{NNBSP}?"),
        ("Objet : asile", f"Objet{NBSP}: asile"),
        ("« PCR »", f"«{NBSP}PCR{NBSP}»"),
        ("https://example.org", "https://example.org"),
        ("10:30", "10:30"),
        ("aujourd'hui ; demain !", f"aujourd’hui{NNBSP}; demain{NNBSP}!"),
        ("l'« approche »", f"l’«{NBSP}approche{NBSP}»"),
        ("d' « introduction »", f"d’«{NBSP}introduction{NBSP}»"),
        ("« le « PCR » dit »", f"«{NBSP}le “PCR” dit{NBSP}»"),
        ("« a » et « b »", f"«{NBSP}a{NBSP}» et «{NBSP}b{NBSP}»"),
        ("de 1990-2008", "de 1990–2008"),
        ("les 9-11 juillet 2007", "les 9–11 juillet 2007"),
        ("ISO 3166-1, le 2008-08-11", "ISO 3166-1, le 2008-08-11"),
    ],
)
def test_french_typography(typed: str, expected: str):
    assert french(typed) == expected


def test_typography_is_idempotent():
    for typed in (
        "« Qu'est-ce qu'un PCR ? » : une question ; voilà !",
        "l'« approche » du « rapport « Migrations » » (1990-2008)",
    ):
        once = french(typed)
        assert french(once) == once


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def _nested_guillemets(text: str) -> bool:
    depth = 0
    for char in text:
        if char == "«":
            depth += 1
            if depth > 1:
                return True
        elif char == "»":
            depth = max(depth - 1, 0)
    return False


def test_shipped_texts_have_no_straight_apostrophe_before_a_quote_nor_nested_guillemets():
    from course.loader import load_course

    course = load_course(ROOT)
    objects = [*course.modules, *course.processes.values(), *course.quizzes.values()]
    texts = [t for obj in objects for t in _strings(obj.model_dump())]
    assert len(texts) > 1000
    assert not [t for t in texts if re.search(r"'\s?«", t)]
    assert not [t for t in texts if _nested_guillemets(t)]
