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
    ],
)
def test_french_typography(typed: str, expected: str):
    assert french(typed) == expected


def test_typography_is_idempotent():
    once = french("« Qu'est-ce qu'un PCR ? » : une question ; voilà !")
    assert french(once) == once
